import type { FastifyRequest } from 'fastify';
import { resendLetter } from '../../../core/notifications/policy-notifications.js';
import { confirmPayment } from '../../../core/policies/confirm-policy.js';
import type { Repositories } from '../../../core/ports.js';
import { addRecord } from '../../../core/records/keep-record.js';
import type { App } from '../../context.js';
import type { Kit } from '../../kit/api.js';
import { book } from './book.js';
import {
  baseUrl,
  bookingAnswer,
  formatterFor,
  partnerCode,
  renderBooking,
  renderBookings,
} from './context.js';
import { XcoverError } from './errors.js';
import { BOOKING, loadBooking, loadPackage, PACKAGE, type PackageData, save, xcoverIds } from './packages.js';
import { priceRequests } from './quotes.js';
import { packageMarket } from './quoting.js';
import { BookingListResponse, BookingResponse, NoContent } from './response-schemas.js';
import {
  BookingBody,
  EmailBody,
  InstantBookingBody,
  ListQuery,
  PackageParams,
  PartnerParams,
} from './schemas.js';
import { bookingJson, bookingStatus, partnerJson, policyStatus } from './wire.js';

/** Bookings: book a package, instant booking, payment confirmation, list, get, and the e-mail resend. */
export async function bookingRoutes(app: App, { write }: Kit): Promise<void> {
  app.post(
    '/bookings/:id/',
    {
      schema: {
        summary: 'Book quotes of a package (XCover)',
        description:
          'Binds the chosen quotes for the policyholder, all or none. `require_payment_confirmation` leaves them PENDING_PAYMENT until `PUT bookings/{id}/confirm`.',
        tags: ['xcover'],
        params: PackageParams,
        body: BookingBody,
        response: { 200: BookingResponse },
      },
    },
    async (request, reply) =>
      write(request, reply, async (deps) => {
        const tenant = request.tenant;
        const body = request.body;
        const pkg = await loadPackage(deps.repos, tenant, request.params.id, { forUpdate: true });
        if (body.partner_transaction_id !== undefined || body.customer_language !== undefined) {
          pkg.data = {
            ...pkg.data,
            partner_transaction_id: body.partner_transaction_id ?? pkg.data.partner_transaction_id,
            customer_language: body.customer_language ?? pkg.data.customer_language,
          };
          await save(deps, tenant, pkg);
        }
        const booking = await book(deps, tenant, pkg, {
          quotes: body.quotes,
          policyholder: body.policyholder,
          paymentPending: body.require_payment_confirmation ?? false,
        });
        return {
          status: 200,
          body: await renderBooking(deps.repos, tenant, request, pkg.record.handle, { booking }),
        };
      }),
  );

  app.post(
    '/instant_booking/',
    {
      schema: {
        summary: 'Quote and book in one call (XCover instant booking)',
        tags: ['xcover'],
        params: PartnerParams,
        body: InstantBookingBody,
        response: { 200: BookingResponse },
      },
    },
    async (request, reply) =>
      write(request, reply, async (deps) => {
        const tenant = request.tenant;
        const body = request.body;
        const market = await packageMarket(deps, tenant, {
          currency: body.currency,
          customer_country: body.customer_country ?? body.policyholder.country ?? undefined,
          customer_language: body.customer_language,
        });
        // Nothing is booked unless every request can be.
        const priced = await priceRequests(deps, tenant, market, body.request, {
          store: true,
          partial: false,
        });
        const now = deps.clock.now();
        const data: PackageData = {
          currency: market.currency,
          customer_country: market.country,
          customer_region: body.customer_region ?? body.policyholder.region ?? null,
          customer_language: market.language,
          partner_transaction_id: body.partner_transaction_id ?? null,
          security_token: xcoverIds.token(),
          quotes: priced.quotes,
          opted_out_at: null,
          created_at: now.toISOString(),
          updated_at: now.toISOString(),
        };
        const record = {
          kind: PACKAGE,
          handle: xcoverIds.package(),
          key: null,
          ref: null,
          email: null,
          data: data as unknown as Record<string, unknown>,
          personalId: null,
          createdAt: now,
        };
        await addRecord(deps, tenant, record);
        const booking = await book(
          deps,
          tenant,
          { record, data },
          {
            quotes: priced.quotes.map((q) => ({ id: q.id })),
            policyholder: body.policyholder,
            paymentPending: body.require_payment_confirmation ?? false,
          },
        );
        return {
          status: 200,
          body: await renderBooking(deps.repos, tenant, request, record.handle, { booking }),
        };
      }),
  );

  app.put(
    '/bookings/:id/confirm',
    {
      schema: {
        summary: 'Payment arrived: confirm a PENDING_PAYMENT booking (XCover)',
        tags: ['xcover'],
        params: PackageParams,
        response: { 201: BookingResponse },
      },
    },
    async (request, reply) =>
      write(request, reply, async (deps) => {
        const tenant = request.tenant;
        const booking = await loadBooking(deps.repos, tenant, request.params.id, { forUpdate: true });
        for (const q of booking.data.quotes) {
          const policy = await deps.repos.policies.get(tenant, q.policyId);
          if (policy?.status === 'pending_payment') await confirmPayment(deps, tenant, q.policyId);
        }
        await save(deps, tenant, booking);
        return { status: 201, body: await renderBooking(deps.repos, tenant, request, request.params.id) };
      }),
  );

  app.get(
    '/bookings/',
    {
      schema: {
        summary: 'List bookings, newest first (XCover)',
        tags: ['xcover'],
        params: PartnerParams,
        querystring: ListQuery,
        response: { 200: BookingListResponse },
      },
    },
    async (request) => {
      const repos = app.protego.db.read;
      const { limit = 20, offset = 0, status } = request.query;
      const { total, results } = status
        ? await bookingsOfStatus(repos, request, status, { limit, offset })
        : await bookingsPage(repos, request, { limit, offset });
      const url = `${baseUrl(request)}/xcover/partners/${partnerCode(request)}/bookings/`;
      const filter = status ? `&status=${status}` : '';
      const link = (at: number) =>
        at <= 0 ? `${url}?limit=${limit}${filter}` : `${url}?limit=${limit}&offset=${at}${filter}`;
      return {
        count: total,
        next: offset + limit < total ? link(offset + limit) : null,
        previous: offset > 0 ? link(offset - limit) : null,
        results,
      };
    },
  );

  app.get(
    '/bookings/:id/',
    {
      schema: {
        summary: 'Get a booking (XCover)',
        tags: ['xcover'],
        params: PackageParams,
        response: { 200: BookingResponse },
      },
    },
    async (request) => {
      const repos = app.protego.db.read;
      const answer = await bookingAnswer(repos, request.tenant, request, request.params.id);
      const partner = await repos.partners.getById(request.tenant.partnerId);
      return bookingJson(answer, formatterFor(answer.pkg), {
        partner: partnerJson(partner!),
        customer_language: answer.pkg.customer_language,
      });
    },
  );

  app.post(
    '/bookings/:id/send_email',
    {
      schema: {
        summary: "Send the policyholder's letter again (XCover)",
        description:
          'BOOKING_CONFIRMED (default) queues the policy letter with its certificate again for every policy in force (begun, or bought to begin later); BOOKING_CANCELLED, for a cancelled booking, the letter confirming the end of cover and its refund. 202 only when a letter was queued; with none to send (a booking awaiting payment, a policyholder without an e-mail address, a booking voided before payment), 422.',
        tags: ['xcover'],
        params: PackageParams,
        body: EmailBody,
        response: { 202: NoContent('the letters are queued') },
      },
    },
    async (request, reply) =>
      write(request, reply, async (deps) => {
        const tenant = request.tenant;
        const event = request.body?.event ?? 'BOOKING_CONFIRMED';
        const booking = await loadBooking(deps.repos, tenant, request.params.id);
        const answer = await bookingAnswer(deps.repos, tenant, request, request.params.id, booking);
        const status = bookingStatus(answer.views);
        let sent = 0;
        if (event === 'BOOKING_CANCELLED') {
          if (status !== 'CANCELLED') {
            throw new XcoverError(422, 'validation_error', 'An API error occurred.', [
              'BOOKING_CANCELLED email can be only triggered for CANCELLED bookings.',
            ]);
          }
          for (const view of answer.views)
            if (view.policy && (await resendLetter(deps, view.policy, 'end_of_cover'))) sent += 1;
        }
        if (event === 'BOOKING_CONFIRMED') {
          if (status === 'CANCELLED') {
            throw new XcoverError(422, 'validation_error', 'An API error occurred.', [
              'BOOKING_CONFIRMED email can be only triggered for CONFIRMED bookings.',
            ]);
          }
          for (const view of answer.views)
            if (view.policy && (await resendLetter(deps, view.policy, 'cover'))) sent += 1;
        }
        // A 202 says a letter is on its way: with none to send, the request did not happen.
        if (sent === 0) {
          throw new XcoverError(422, 'validation_error', 'An API error occurred.', [
            `${event} email has nothing to send for this booking: no policy of it is ${
              event === 'BOOKING_CONFIRMED' ? 'confirmed' : 'cancelled after it was paid'
            }, or the policyholder has no email address.`,
          ]);
        }
        return { status: 202, body: null };
      }),
  );
}

type Rendered = Awaited<ReturnType<typeof renderBooking>>;

async function bookingsPage(
  repos: Repositories,
  request: FastifyRequest,
  at: { limit: number; offset: number },
): Promise<{ total: number; results: Rendered[] }> {
  const page = await repos.dialectRecords.page(request.tenant, BOOKING, at);
  return { total: page.total, results: await renderBookings(repos, request.tenant, request, page.records) };
}

/**
 * One page of the bookings showing `status`, newest first. A booking's status is its policies' (a
 * lapse or a renewal changes it without touching the booking): one read gives every booking's policy
 * statuses, the rule picks the page, and only the page is read and rendered.
 */
async function bookingsOfStatus(
  repos: Repositories,
  request: FastifyRequest,
  status: string,
  at: { limit: number; offset: number },
): Promise<{ total: number; results: Rendered[] }> {
  const all = await repos.dialectRecords.linkedPolicies(request.tenant, BOOKING, {
    list: 'quotes',
    id: 'policyId',
  });
  const showing = all.filter(
    (b) => bookingStatus(b.policies.map((p) => ({ status: policyStatus(p) }))) === status,
  );
  const handles = showing.slice(at.offset, at.offset + at.limit).map((b) => b.handle);
  const records = new Map(
    (await repos.dialectRecords.getMany(request.tenant, BOOKING, handles)).map((r) => [r.handle, r]),
  );
  const page = handles.flatMap((h) => records.get(h) ?? []);
  return { total: showing.length, results: await renderBookings(repos, request.tenant, request, page) };
}
