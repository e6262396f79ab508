import { Type } from 'typebox';
import { CoreError, notFound } from '../../../core/errors.js';
import type { Tenant } from '../../../core/partners/partner.js';
import { cancelPolicy } from '../../../core/policies/cancel-policy.js';
import type { RefundQuote } from '../../../core/policies/refund.js';
import { TERMINAL_STATUSES } from '../../../core/policies/state-machine.js';
import type { CoreDeps } from '../../../core/ports.js';
import type { App } from '../../context.js';
import type { Kit } from '../../kit/api.js';
import { bookingAnswer, formatterFor } from './context.js';
import {
  type BookingData,
  bookedQuote,
  type Loaded,
  loadBooking,
  save,
  selectQuotes,
  xcoverIds,
} from './packages.js';
import { CancellationResponse } from './response-schemas.js';
import { CancelBody, NoBody, PackageParams } from './schemas.js';
import {
  type BookingAnswer,
  bookingStatus,
  coiJson,
  iso,
  partnerJson,
  policyBlock,
  policyholderJson,
  type QuoteView,
} from './wire.js';

/** How long a previewed cancellation may be confirmed at the refund it showed. */
const CONFIRM_WITHIN_MS = 24 * 3_600_000;

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
        policy_start_date: iso(v.start),
        policy_end_date: iso(v.end),
        policy_cancellation_date: iso(cancelledAt),
        policy_coolingoff_date: iso(quote.coolingOffEndsAt),
        status: v.status,
        ...f.pair('price', v.premium.total),
        ...f.pair('refund_value', quote.refund.amount),
        // What the customer keeps paying for: the price less the refund.
        ...f.pair('adjustment_fee', v.premium.total - quote.refund.amount),
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
    pds_url: a.views[0]?.product.documents.terms_url ?? null,
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

async function cancelQuotes(
  deps: CoreDeps,
  tenant: Tenant,
  booking: Loaded<BookingData>,
  quoteIds: string[],
  opts: { preview: boolean; reason: string },
): Promise<Map<string, Outcome>> {
  const outcomes = new Map<string, Outcome>();
  for (const quoteId of quoteIds) {
    const booked = bookedQuote(booking.data, quoteId);
    const result = await cancelPolicy(deps, tenant, {
      policyId: booked.policyId,
      preview: opts.preview,
      reason: opts.reason,
    });
    outcomes.set(quoteId, { quote: result.quote, cancelledAt: opts.preview ? null : deps.clock.now() });
  }
  return outcomes;
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
        const quoteIds = chosen.map((q) => q.id);
        const reason = body.reason ?? 'requested';
        const outcomes = await cancelQuotes(deps, tenant, booking, quoteIds, { preview, reason });
        const partner = partnerJson((await deps.repos.partners.getById(tenant.partnerId))!);
        let extra = {
          cancellation_id: null as string | null,
          confirm_before: null as string | null,
          partner,
        };
        if (preview) {
          const id = xcoverIds.action('CCL');
          const confirmBefore = new Date(deps.clock.now().getTime() + CONFIRM_WITHIN_MS).toISOString();
          booking.data = {
            ...booking.data,
            cancellations: { ...booking.data.cancellations, [id]: { quoteIds, reason, confirmBefore } },
          };
          extra = { cancellation_id: id, confirm_before: confirmBefore, partner };
        }
        await save(deps.repos, tenant, booking, deps.clock.now());
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
        const pending = booking.data.cancellations[request.params.cancellation];
        if (!pending) throw notFound(`cancellation ${request.params.cancellation}`, 'cancellation_id');
        if (new Date(pending.confirmBefore).getTime() < deps.clock.now().getTime()) {
          throw new CoreError(
            'offer_expired',
            `cancellation ${request.params.cancellation} expired at ${pending.confirmBefore}`,
            [{ field: 'cancellation_id', message: 'expired: preview the cancellation again' }],
          );
        }
        const outcomes = await cancelQuotes(deps, tenant, booking, pending.quoteIds, {
          preview: false,
          reason: pending.reason,
        });
        const { [request.params.cancellation]: _, ...rest } = booking.data.cancellations;
        booking.data = { ...booking.data, cancellations: rest };
        await save(deps.repos, tenant, booking, deps.clock.now());
        const answer = await bookingAnswer(deps.repos, tenant, request, request.params.id, booking);
        const partner = partnerJson((await deps.repos.partners.getById(tenant.partnerId))!);
        return {
          status: 200,
          body: cancellationJson(answer, outcomes, { cancellation_id: null, confirm_before: null, partner }),
        };
      }),
  );
}
