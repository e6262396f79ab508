import { Type } from 'typebox';
import { confirmRenewalGroup } from '../../../core/policies/change-group.js';
import type { PolicyChange } from '../../../core/policies/policy-change.js';
import { awaitsRenewal, optOutOfRenewal, quoteRenewal } from '../../../core/policies/renew-policy.js';
import type { App } from '../../context.js';
import type { Kit } from '../../kit/api.js';
import { inClientFields } from '../../kit/fields.js';
import { bookingAnswer, formatterFor, renderBooking } from './context.js';
import { loadBooking, save, selectQuotes, xcoverIds } from './packages.js';
import { answerWith, withChanges } from './pending-changes.js';
import { BookingResponse, NoContent } from './response-schemas.js';
import { NoBody, PackageParams, RenewalBody } from './schemas.js';

/** Renewal of renewable quotes: priced, then confirmed as the next term; or declined. */
export async function renewalRoutes(app: App, { write }: Kit): Promise<void> {
  app.patch(
    '/renewals/:id/quote_for_renewal/',
    {
      schema: {
        summary: 'Price the next term of renewable quotes (XCover): confirm it with renewals/{id}/confirm',
        tags: ['xcover'],
        params: PackageParams,
        body: RenewalBody,
        response: { 200: BookingResponse },
      },
    },
    async (request, reply) =>
      write(request, reply, async (deps) => {
        const tenant = request.tenant;
        const booking = await loadBooking(deps.repos, tenant, request.params.id, { forUpdate: true });
        // The core keeps the priced renewals, grouped under the id shown; the booking changes not.
        const id = xcoverIds.action('RNW');
        const changes = new Map<string, PolicyChange>();
        for (const q of await selectQuotes(
          deps.repos,
          tenant,
          booking.data,
          request.body?.quotes,
          awaitsRenewal,
          'nothing in this booking can be renewed: no policy in force awaits renewal',
        )) {
          changes.set(q.id, await quoteRenewal(deps, tenant, q.policyId, { groupId: id }));
        }
        const answer = await bookingAnswer(deps.repos, tenant, request, request.params.id, booking);
        const f = formatterFor(answer.pkg);
        const views = withChanges(answer, changes, f).filter((v) => changes.has(v.id));
        return { status: 200, body: answerWith(answer, views, { renewal_id: id }) };
      }),
  );

  app.post(
    '/renewals/:id/confirm/:renewal/',
    {
      schema: {
        summary: 'Confirm a priced renewal (XCover): the next term is booked',
        tags: ['xcover'],
        params: Type.Object({
          partner: Type.String(),
          id: Type.String(),
          renewal: Type.String({ maxLength: 64 }),
        }),
        body: NoBody,
        response: { 201: BookingResponse },
      },
    },
    async (request, reply) =>
      write(request, reply, async (deps) => {
        const tenant = request.tenant;
        const booking = await loadBooking(deps.repos, tenant, request.params.id, { forUpdate: true });
        // Each renewed policy names its renewal (`renewedBy`): the booking shows it from there.
        await inClientFields({ changeId: 'renewal_id' }, () =>
          confirmRenewalGroup(deps, tenant, request.params.renewal, {
            within: booking.data.quotes.map((q) => q.policyId),
          }),
        );
        await save(deps, tenant, booking);
        const extra = { renewal_id: request.params.renewal };
        return {
          status: 201,
          body: await renderBooking(deps.repos, tenant, request, request.params.id, { booking, extra }),
        };
      }),
  );

  app.post(
    '/renewals/:id/opt_out/',
    {
      schema: {
        summary: 'The customer will not renew (XCover): no renewal can be quoted, cover ends at its term',
        tags: ['xcover'],
        params: PackageParams,
        body: RenewalBody,
        response: { 204: NoContent('no renewal will be quoted') },
      },
    },
    async (request, reply) =>
      write(request, reply, async (deps) => {
        const tenant = request.tenant;
        const booking = await loadBooking(deps.repos, tenant, request.params.id, { forUpdate: true });
        for (const q of await selectQuotes(
          deps.repos,
          tenant,
          booking.data,
          request.body?.quotes,
          awaitsRenewal,
          'nothing in this booking can be renewed: no policy in force awaits renewal',
        )) {
          await optOutOfRenewal(deps, tenant, q.policyId);
        }
        return { status: 204, body: null };
      }),
  );
}
