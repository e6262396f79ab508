import { CoreError, isCoreError } from '../../../core/errors.js';
import { startInstalments } from '../../../core/instalments/start-instalments.js';
import { enqueue } from '../../../core/notifications/publish.js';
import type { Tenant } from '../../../core/partners/partner.js';
import { bindPolicy } from '../../../core/policies/bind-policy.js';
import { confirmPayment } from '../../../core/policies/confirm-policy.js';
import type { CoreDeps } from '../../../core/ports.js';
import type { App } from '../../context.js';
import {
  baseUrl,
  bookingAnswer,
  formatterFor,
  partnerCode,
  renderBooking,
  type XcoverContext,
} from './context.js';
import { XcoverError } from './errors.js';
import {
  BOOKING,
  type BookedQuote,
  type BookingData,
  findBooking,
  type Loaded,
  loadBooking,
  loadPackage,
  PACKAGE,
  type PackageData,
  packageQuote,
  save,
  xcoverIds,
} from './packages.js';
import { checkPolicyholder, toCore } from './policyholder.js';
import { priceRequests } from './quotes.js';
import { packageMarket, parseDate } from './quoting.js';
import {
  BookingBody,
  EmailBody,
  InstantBookingBody,
  ListQuery,
  PackageParams,
  PartnerParams,
  type Policyholder,
} from './schemas.js';
import { bookingJson, bookingStatus, partnerJson } from './wire.js';

interface BookRequest {
  quotes: { id: string; instalment_plan?: string | null | undefined }[];
  policyholder: Policyholder;
  paymentPending: boolean;
}

/**
 * Binds every chosen quote of a package, all or nothing: a quote that cannot be bound fails the whole
 * booking (the transaction writes none of it), and the answer names each failing quote.
 */
export async function book(
  deps: CoreDeps,
  tenant: Tenant,
  pkg: Loaded<PackageData>,
  input: BookRequest,
): Promise<Loaded<BookingData>> {
  const id = pkg.record.handle;
  if (await findBooking(deps.repos, tenant, id)) {
    throw new CoreError('invalid_transition', `quote package ${id} is already booked`, [
      { field: 'id', message: 'already booked' },
    ]);
  }
  checkPolicyholder(input.policyholder);
  const holder = toCore(input.policyholder, pkg.data.customer_language);
  const booked: BookedQuote[] = [];
  const failures: CoreError[] = [];
  const seen = new Set<string>();
  for (const [i, chosen] of input.quotes.entries()) {
    const at = `quotes/${i}`;
    try {
      if (seen.has(chosen.id))
        throw new CoreError('validation_failed', 'quote listed twice', [
          { field: `${at}/id`, message: 'listed twice' },
        ]);
      seen.add(chosen.id);
      const quote = packageQuote(pkg.data, chosen.id, `${at}/id`);
      const refs: Record<string, string> = { booking_id: id, quote_id: quote.id };
      if (pkg.data.partner_transaction_id) refs.partner_transaction_id = pkg.data.partner_transaction_id;
      const start = parseDate(quote.request.policy_start_date, `${at}/policy_start_date`);
      const policy = await bindPolicy(deps, tenant, {
        source: { offerId: quote.offerId, optionId: quote.optionId },
        policyholder: holder,
        refs,
        ...(start ? { coverageStart: start } : {}),
        paymentPending: input.paymentPending,
      });
      if (chosen.instalment_plan) {
        try {
          await startInstalments(deps, policy, chosen.instalment_plan);
        } catch (error) {
          if (isCoreError(error)) {
            throw new CoreError(
              error.code,
              error.message,
              error.fields.map((f) => ({ ...f, field: `${at}/instalment_plan` })),
            );
          }
          throw error;
        }
      }
      booked.push({ id: quote.id, policyId: policy.id, instalmentPlan: chosen.instalment_plan ?? null });
    } catch (error) {
      if (!isCoreError(error)) throw error;
      const fields = error.fields.map((f) =>
        f.field.startsWith('policyholder/') || f.field.startsWith(at) ? f : { ...f, field: `${at}/id` },
      );
      failures.push(new CoreError(error.code, error.message, fields));
    }
  }
  if (failures.length > 0) {
    const first = failures[0]!;
    const message =
      failures.length === 1
        ? first.message
        : `${failures.length} quotes could not be booked: nothing was booked`;
    throw new CoreError(
      first.code,
      message,
      failures.flatMap((f) => f.fields),
    );
  }
  const now = deps.clock.now();
  const data: BookingData = {
    policyholder: input.policyholder,
    quotes: booked,
    created_at: now.toISOString(),
    updated_at: now.toISOString(),
    cancellations: {},
    updates: {},
    renewals: {},
  };
  const record = {
    kind: BOOKING,
    handle: id,
    key: null,
    ref: null,
    email: input.policyholder.email ?? null,
    data: data as unknown as Record<string, unknown>,
    personalId: null,
    createdAt: now,
  };
  await deps.repos.dialectRecords.insert(tenant, record);
  return { record, data };
}

/** Bookings: book a package, instant booking, payment confirmation, list, get, and the e-mail resend. */
export async function bookingRoutes(app: App, { write }: XcoverContext): Promise<void> {
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
          await save(deps.repos, tenant, pkg, deps.clock.now());
        }
        const booking = await book(deps, tenant, pkg, {
          quotes: body.quotes,
          policyholder: body.policyholder,
          paymentPending: body.require_payment_confirmation ?? false,
        });
        const answer = await bookingAnswer(deps.repos, tenant, request, pkg.record.handle, booking);
        return { status: 200, body: bookingJson(answer, formatterFor(answer.pkg)) };
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
        await deps.repos.dialectRecords.insert(tenant, record);
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
        const answer = await bookingAnswer(deps.repos, tenant, request, record.handle, booking);
        return { status: 200, body: bookingJson(answer, formatterFor(answer.pkg)) };
      }),
  );

  app.put(
    '/bookings/:id/confirm',
    {
      schema: {
        summary: 'Payment arrived: confirm a PENDING_PAYMENT booking (XCover)',
        tags: ['xcover'],
        params: PackageParams,
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
        await save(deps.repos, tenant, booking, deps.clock.now());
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
      },
    },
    async (request) => {
      const repos = app.protego.store.read;
      const { limit = 20, offset = 0 } = request.query;
      const page = await repos.dialectRecords.page(request.tenant, BOOKING, { limit, offset });
      const results = [];
      for (const record of page.records) {
        results.push(await renderBooking(repos, request.tenant, request, record.handle));
      }
      const url = `${baseUrl(request)}/xcover/partners/${partnerCode(request)}/bookings/`;
      const link = (at: number) => (at <= 0 ? `${url}?limit=${limit}` : `${url}?limit=${limit}&offset=${at}`);
      return {
        count: page.total,
        next: offset + limit < page.total ? link(offset + limit) : null,
        previous: offset > 0 ? link(offset - limit) : null,
        results,
      };
    },
  );

  app.get(
    '/bookings/:id/',
    { schema: { summary: 'Get a booking (XCover)', tags: ['xcover'], params: PackageParams } },
    async (request) => {
      const repos = app.protego.store.read;
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
          'BOOKING_CONFIRMED (default) queues the policy letter with its certificate for every policy whose cover has begun. BOOKING_CANCELLED is accepted for cancelled bookings only; Protego sends no cancellation letter of its own, so it queues nothing.',
        tags: ['xcover'],
        params: PackageParams,
        body: EmailBody,
      },
    },
    async (request, reply) =>
      write(request, reply, async (deps) => {
        const tenant = request.tenant;
        const event = request.body?.event ?? 'BOOKING_CONFIRMED';
        const booking = await loadBooking(deps.repos, tenant, request.params.id);
        const answer = await bookingAnswer(deps.repos, tenant, request, request.params.id, booking);
        const status = bookingStatus(answer.views);
        if (event === 'BOOKING_CANCELLED' && status !== 'CANCELLED') {
          throw new XcoverError(422, 'validation_error', 'An API error occurred.', [
            'BOOKING_CANCELLED email can be only triggered for CANCELLED bookings.',
          ]);
        }
        if (event === 'BOOKING_CONFIRMED') {
          if (status === 'CANCELLED') {
            throw new XcoverError(422, 'validation_error', 'An API error occurred.', [
              'BOOKING_CONFIRMED email can be only triggered for CONFIRMED bookings.',
            ]);
          }
          for (const view of answer.views) {
            if (view.policy?.status === 'active')
              await enqueue(deps, tenant, 'policy_letter', { policy_id: view.policy.id });
          }
        }
        return { status: 202, body: null };
      }),
  );
}
