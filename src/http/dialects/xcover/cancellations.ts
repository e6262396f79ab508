import { Type } from 'typebox';
import { cancelPolicy } from '../../../core/policies/cancel-policy.js';
import { confirmCancellation, previewCancellation } from '../../../core/policies/cancellation-change.js';
import { amountKept, type RefundQuote } from '../../../core/policies/refund.js';
import { TERMINAL_STATUSES } from '../../../core/policies/state-machine.js';
import type { App } from '../../context.js';
import type { Kit } from '../../kit/api.js';
import { inClientFields } from '../../kit/fields.js';
import { bookingAnswer, formatterFor } from './context.js';
import { loadBooking, quoteOf, save, selectQuotes, xcoverIds } from './packages.js';
import { CancellationResponse } from './response-schemas.js';
import { CancelBody, NoBody, PackageParams } from './schemas.js';
import {
  type BookingAnswer,
  bookingStatus,
  coiJson,
  iso,
  partnerJson,
  policyBlock,
  policyDate,
  policyholderJson,
  type QuoteView,
} from './wire.js';

interface Outcome {
  quote: RefundQuote;
  cancelledAt: Date | null;
}

/** A cancellation's answer: the cancelled quotes with their refunds, the booking's totals after it. */
function cancellationJson(
  a: BookingAnswer,
  outcomes: Map<string, Outcome>,
  extra: { cancellation_id: string | null; confirm_before: string | null; partner: unknown },
) {
  const f = formatterFor(a.pkg);
  // A preview shows the booking as the cancellation would leave it.
  const after: QuoteView[] = a.views.map((v) => (outcomes.has(v.id) ? { ...v, status: 'CANCELLED' } : v));
  const live = after.filter((v) => v.status !== 'CANCELLED');
  const total = (pick: (v: QuoteView) => number) => live.reduce((s, v) => s + pick(v), 0);
  let refunds = 0;
  const quotes = after
    .filter((v) => outcomes.has(v.id))
    .map((v) => {
      const { quote, cancelledAt } = outcomes.get(v.id)!;
      refunds += quote.refund.amount;
      return {
        id: v.id,
        policy_start_date: policyDate(v.start),
        policy_end_date: policyDate(v.end),
        policy_cancellation_date: iso(cancelledAt),
        policy_coolingoff_date: iso(quote.coolingOffEndsAt),
        status: v.status,
        ...f.pair('price', v.premium.total),
        ...f.pair('refund_value', quote.refund.amount),
        // What is kept of what the customer paid: nothing of a price never collected.
        ...f.pair('adjustment_fee', amountKept(quote, v.premium.total)),
        refund_rule: quote.rule,
        policy: policyBlock(v.product, v.item, a.pkg.customer_language),
        insured: null,
        created_at: iso(v.createdAt),
        confirmed_at: iso(v.confirmedAt),
        updated_at: iso(v.updatedAt),
        cancelled_at: iso(cancelledAt),
        commission: null,
      };
    });
  return {
    id: a.id,
    status: bookingStatus(after),
    quotes,
    policyholder: policyholderJson(a.booking),
    pds_url: a.views[0]?.product.documents.termsUrl ?? null,
    coi: coiJson(a.base, a.partnerCode, a.id, a.pkg.security_token),
    created_at: a.booking.created_at,
    updated_at: a.booking.updated_at,
    ...f.pair(
      'total_price',
      total((v) => v.premium.total),
    ),
    ...f.pair('total_refund', refunds),
    ...f.pair(
      'total_tax',
      total((v) => v.premium.tax),
    ),
    ...f.pair(
      'total_premium',
      total((v) => v.premium.net),
    ),
    currency: a.pkg.currency,
    ...extra,
  };
}

/** Cancellation: at once, or previewed (refund and `cancellation_id`, nothing changes) and then confirmed. */
export async function cancellationRoutes(app: App, { write }: Kit): Promise<void> {
  app.post(
    '/bookings/:id/cancel',
    {
      schema: {
        summary: 'Cancel a booking, or some of its quotes (XCover)',
        description:
          'With `preview: true` nothing changes: the answer shows each refund and a `cancellation_id` to confirm within 24 hours. Refunds follow the product: all of it before cover starts or within the cooling-off period, then pro rata or nothing.',
        tags: ['xcover'],
        params: PackageParams,
        body: CancelBody,
        response: { 200: CancellationResponse },
      },
    },
    async (request, reply) =>
      write(request, reply, async (deps) => {
        const tenant = request.tenant;
        const body = request.body ?? {};
        const preview = body.preview ?? false;
        const booking = await loadBooking(deps.repos, tenant, request.params.id, { forUpdate: true });
        const chosen = await selectQuotes(
          deps.repos,
          tenant,
          booking.data,
          body.quotes,
          (p) => !TERMINAL_STATUSES.includes(p.status),
          'nothing in this booking can be cancelled: every policy has ended',
        );
        const reason = body.reason ?? 'requested';
        const partner = partnerJson((await deps.repos.partners.getById(tenant.partnerId))!);
        const outcomes = new Map<string, Outcome>();
        let extra = {
          cancellation_id: null as string | null,
          confirm_before: null as string | null,
          partner,
        };
        if (preview) {
          // The core holds the refunds shown until the cancellation expires; the booking changes not.
          const group = await previewCancellation(deps, tenant, {
            policyIds: chosen.map((q) => q.policyId),
            reason,
            groupId: xcoverIds.action('CCL'),
          });
          for (const change of group.changes) {
            const quote = change.cancellation!.quote!;
            outcomes.set(quoteOf(booking.data, change.policyId), { quote, cancelledAt: null });
          }
          extra = { cancellation_id: group.groupId, confirm_before: group.expiresAt.toISOString(), partner };
        } else {
          for (const q of chosen) {
            const { quote } = await cancelPolicy(deps, tenant, { policyId: q.policyId, reason });
            outcomes.set(q.id, { quote, cancelledAt: deps.clock.now() });
          }
          await save(deps, tenant, booking);
        }
        const answer = await bookingAnswer(deps.repos, tenant, request, request.params.id, booking);
        return { status: 200, body: cancellationJson(answer, outcomes, extra) };
      }),
  );

  app.post(
    '/bookings/:id/confirm_cancellation/:cancellation/',
    {
      schema: {
        summary: 'Confirm a previewed cancellation (XCover)',
        tags: ['xcover'],
        params: Type.Object({
          partner: Type.String(),
          id: Type.String(),
          cancellation: Type.String({ maxLength: 64 }),
        }),
        body: NoBody,
        response: { 200: CancellationResponse },
      },
    },
    async (request, reply) =>
      write(request, reply, async (deps) => {
        const tenant = request.tenant;
        const booking = await loadBooking(deps.repos, tenant, request.params.id, { forUpdate: true });
        const confirmed = await inClientFields({ changeId: 'cancellation_id' }, () =>
          confirmCancellation(deps, tenant, request.params.cancellation, {
            within: booking.data.quotes.map((q) => q.policyId),
          }),
        );
        const outcomes = new Map<string, Outcome>();
        for (const { change, quote } of confirmed.cancelled) {
          outcomes.set(quoteOf(booking.data, change.policyId), { quote, cancelledAt: change.confirmedAt });
        }
        // Confirmed again: the same answer, and the booking as it was.
        if (!confirmed.replayed) await save(deps, tenant, booking);
        const answer = await bookingAnswer(deps.repos, tenant, request, request.params.id, booking);
        const partner = partnerJson((await deps.repos.partners.getById(tenant.partnerId))!);
        return {
          status: 200,
          body: cancellationJson(answer, outcomes, { cancellation_id: null, confirm_before: null, partner }),
        };
      }),
  );
}
