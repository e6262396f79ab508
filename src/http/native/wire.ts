import type { FieldRule, PolicyholderField, Product } from '../../core/catalog/product.js';
import type { PricedOffer } from '../../core/offers/offer.js';
import type { InsuredItem, MerchantRefs, Policy, Policyholder } from '../../core/policies/policy.js';
import type { RefundQuote } from '../../core/policies/refund.js';
import type { Premium } from '../../core/pricing/premium.js';
import { snakeCase } from '../kit/case.js';
import { jsonbOrder } from '../kit/jsonb-order.js';

/** The native API's JSON: snake_case, money in minor units, times as RFC 3339 strings. */
const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** Personal ids are shown masked: the merchant sent it, nobody needs it back. */
function mask(personalId: string): string {
  return `${'*'.repeat(Math.max(0, personalId.length - 4))}${personalId.slice(-4)}`;
}

/** A policyholder as the native API writes it: snake_case, the personal id masked. */
function policyholderJson(p: Policyholder) {
  const a = p.address;
  return defined({
    first_name: p.firstName,
    last_name: p.lastName,
    email: p.email,
    phone: p.phone,
    personal_id: p.personalId ? mask(p.personalId) : undefined,
    address: a
      ? defined({
          line1: a.line1,
          line2: a.line2,
          postal_code: a.postalCode,
          city: a.city,
          country: a.country,
        })
      : undefined,
    language: p.language,
    comment: p.comment,
    external_id: p.externalId,
  });
}

function itemJson(item: InsuredItem) {
  return defined({
    category: item.category,
    name: item.name,
    brand: item.brand,
    model: item.model,
    sku: item.sku,
    serial_number: item.serialNumber,
    price: item.price,
    purchased_at: item.purchasedAt?.toISOString(),
  });
}

function premiumJson(p: Premium) {
  return {
    currency: p.currency,
    net: p.net,
    tax: p.tax,
    total: p.total,
    taxes: p.taxes.map((t) => ({ name: t.name, rate_bp: t.rateBp, amount: t.amount })),
  };
}

/** The merchant's references: the core's own keys in snake_case, a partner's own keys as they are. */
const REF_KEYS: Record<string, string> = {
  orderId: 'order_id',
  lineId: 'line_id',
  planLineId: 'plan_line_id',
  basketId: 'basket_id',
};
const REF_KEYS_IN = Object.fromEntries(Object.entries(REF_KEYS).map(([core, wire]) => [wire, core]));

function refsJson(refs: MerchantRefs): Record<string, string> {
  return Object.fromEntries(
    Object.entries(refs)
      .filter((e): e is [string, string] => e[1] !== undefined)
      .map(([k, v]) => [REF_KEYS[k] ?? k, v]),
  );
}

export function toRefs(refs: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(refs ?? {}).map(([k, v]) => [REF_KEYS_IN[k] ?? k, v]));
}

/** Drops the keys whose value is undefined, as JSON would. */
function defined<T extends Record<string, unknown>>(o: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as never;
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
    policyholder: policyholderJson(p.policyholder),
    item: itemJson(p.item),
    premium: premiumJson(p.premium),
    cover_start: p.coverStart,
    coverage_start: iso(p.coverageStart),
    coverage_end: iso(p.coverageEnd),
    bound_at: iso(p.boundAt),
    offer_id: p.offerId,
    option_id: p.offerOptionId,
    refs: refsJson(p.refs),
    refund: p.refund,
    renewal_of: p.renewalOf ?? null,
    renewed_by: p.renewedBy ?? null,
    renewal_opt_out: p.renewalOptOut ?? false,
    created_at: p.createdAt.toISOString(),
    updated_at: p.updatedAt.toISOString(),
  };
}

export function offerJson(o: PricedOffer) {
  return {
    id: o.id,
    object: 'offer' as const,
    mode: o.mode,
    country: o.country,
    currency: o.currency,
    language: o.language,
    created_at: o.createdAt.toISOString(),
    expires_at: o.expiresAt.toISOString(),
    refs: refsJson(o.refs),
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
        unit_premium: premiumJson(opt.unitPremium),
        premium: premiumJson(opt.premium),
        policyholder_fields: policyholderFieldsJson(opt.policyholderFields),
        documents: documentsJson(opt.documents),
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
    data: historyDataJson(e.data),
  };
}

/** A history row's data in snake_case; the premiums in it as the API writes premiums. */
function historyDataJson(data: Record<string, unknown>): Record<string, unknown> {
  return jsonbOrder(
    Object.fromEntries(
      Object.entries(data).map(([k, v]) => [
        snakeCase(k),
        (k === 'premium' || k === 'previousPremium') && isPremium(v) ? premiumJson(v) : v,
      ]),
    ),
  );
}

const isPremium = (v: unknown): v is Premium =>
  typeof v === 'object' && v !== null && Array.isArray((v as Premium).taxes);

/** Which policyholder data a product asks for, by the field names of this API. */
function policyholderFieldsJson(fields: Record<PolicyholderField, FieldRule>): Record<string, FieldRule> {
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [snakeCase(k), v]));
}

function documentsJson(d: Product['documents']): Record<string, string> {
  return Object.fromEntries(
    Object.entries(d)
      .filter((e): e is [string, string] => e[1] !== undefined)
      .map(([k, v]) => [snakeCase(k), v]),
  );
}
