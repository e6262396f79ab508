import type { Offer } from '../../core/offers/offer.js';
import type { Policy, Policyholder } from '../../core/policies/policy.js';
import type { RefundQuote } from '../../core/policies/refund.js';

/** The native API's JSON: snake_case, money in minor units, times as RFC 3339 strings. */
const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** Personal ids are shown masked: the merchant sent it, nobody needs it back. */
function maskPolicyholder(p: Policyholder): Policyholder {
  if (!p.personal_id) return p;
  return {
    ...p,
    personal_id: `${'*'.repeat(Math.max(0, p.personal_id.length - 4))}${p.personal_id.slice(-4)}`,
  };
}

function itemJson(item: Policy['item']) {
  const { purchased_at, ...rest } = item;
  return { ...rest, ...(purchased_at ? { purchased_at: purchased_at.toISOString() } : {}) };
}

export function policyJson(p: Policy) {
  return {
    id: p.id,
    object: 'policy' as const,
    mode: p.mode,
    status: p.status,
    product_code: p.productCode,
    term_months: p.termMonths,
    country: p.country,
    language: p.language,
    policyholder: maskPolicyholder(p.policyholder),
    item: itemJson(p.item),
    premium: p.premium,
    cover_start: p.coverStart,
    coverage_start: iso(p.coverageStart),
    coverage_end: iso(p.coverageEnd),
    bound_at: iso(p.boundAt),
    offer_id: p.offerId,
    option_id: p.offerOptionId,
    refs: p.refs as Record<string, string>,
    refund: p.refund,
    renewal_of: p.renewalOf ?? null,
    renewed_by: p.renewedBy ?? null,
    renewal_opt_out: p.renewalOptOut ?? false,
    created_at: p.createdAt.toISOString(),
    updated_at: p.updatedAt.toISOString(),
  };
}

export function offerJson(o: Offer) {
  return {
    id: o.id,
    object: 'offer' as const,
    mode: o.mode,
    country: o.country,
    currency: o.currency,
    language: o.language,
    created_at: o.createdAt.toISOString(),
    expires_at: o.expiresAt.toISOString(),
    refs: o.refs,
    items: o.items.map((i) => ({
      ref: i.ref,
      quantity: i.quantity,
      item: itemJson(i.item),
      options: i.options.map((opt) => ({
        id: opt.id,
        product_code: opt.productCode,
        product_name: opt.productName,
        coverage: opt.coverage,
        term_months: opt.termMonths,
        unit_premium: opt.unitPremium,
        premium: opt.premium,
        policyholder_fields: opt.policyholderFields,
        documents: opt.documents,
      })),
    })),
  };
}

export function refundJson(q: RefundQuote) {
  return {
    refund: q.refund,
    rule: q.rule,
    cooling_off_ends_at: iso(q.coolingOffEndsAt),
    remaining_days: q.remainingDays,
    total_days: q.totalDays,
  };
}

/** One row of a history (policy or claim events): what changed, from which status to which, when. */
export function historyEventJson(e: {
  id: string;
  type: string;
  fromStatus: string | null;
  toStatus: string;
  occurredAt: Date;
  data: Record<string, unknown>;
}) {
  return {
    id: e.id,
    type: e.type,
    from_status: e.fromStatus,
    to_status: e.toStatus,
    occurred_at: e.occurredAt.toISOString(),
    data: e.data,
  };
}
