import { type Product, productName } from '../../../core/catalog/product.js';
import { toMajorNumber } from '../../../core/money.js';
import type { InsuredItem, Policy } from '../../../core/policies/policy.js';
import type { Premium } from '../../../core/pricing/premium.js';
import { commissionOn } from '../../../core/statements/policy-share.js';
import type { BookingData, PackageData } from './packages.js';

/** The statuses XCover shows for quotes, bookings and packages. */
export type XcoverStatus =
  | 'RECEIVED'
  | 'CONFIRMED'
  | 'CANCELLED'
  | 'DELETED'
  | 'PENDING_PAYMENT'
  | 'FAILED'
  | 'RENEWED'
  | 'OPTED_OUT';

/** A policy's core status in XCover's words. Expired cover stays CONFIRMED unless it was renewed. */
export function policyStatus(policy: Pick<Policy, 'status' | 'renewedBy'>): XcoverStatus {
  if (policy.status === 'quoted') return 'RECEIVED';
  if (policy.status === 'pending_payment') return 'PENDING_PAYMENT';
  if (policy.status === 'cancelled' || policy.status === 'voided') return 'CANCELLED';
  if (policy.status === 'expired' && policy.renewedBy) return 'RENEWED';
  return 'CONFIRMED';
}

/** Amounts as XCover shows them: a major-unit number and the same amount formatted for the customer. */
export interface Formatter {
  num(minor: number): number;
  str(minor: number): string;
  /** `{price: 2.01, price_formatted: "£2.01"}` */
  pair(name: string, minor: number | null): Record<string, number | string | null>;
}

/**
 * Number formats by locale and currency. Making one costs a millisecond and a page of 100 bookings made
 * one per booking; the few locales and currencies a partner sells in are kept (a bounded number, in
 * case clients send many languages).
 */
const formats = new Map<string, Intl.NumberFormat>();

function numberFormat(currency: string, language: string, country: string): Intl.NumberFormat {
  const key = `${language}-${country} ${currency}`;
  let intl = formats.get(key);
  if (intl) return intl;
  try {
    intl = new Intl.NumberFormat(`${language}-${country}`, { style: 'currency', currency });
  } catch {
    intl = new Intl.NumberFormat('en', { style: 'currency', currency });
  }
  if (formats.size >= 200) formats.clear();
  formats.set(key, intl);
  return intl;
}

export function formatter(currency: string, language: string, country: string): Formatter {
  const intl = numberFormat(currency, language, country);
  const num = (minor: number) => toMajorNumber(minor, currency);
  const str = (minor: number) => intl.format(num(minor));
  return {
    num,
    str,
    pair: (name, minor) => ({
      [name]: minor === null ? null : num(minor),
      [`${name}_formatted`]: minor === null ? null : str(minor),
    }),
  };
}

export const iso = (at: Date | null | undefined) => (at ? at.toISOString() : null);
/**
 * Policy dates (`policy_start_date`, `policy_end_date`) read `2021-10-01T00:29:29+00:00`, as nearly
 * every one of XCover's recorded answers writes them: in every answer and webhook alike.
 */
export const policyDate = (at: Date | null) => (at ? at.toISOString().replace(/\.\d{3}Z$/, '+00:00') : null);

/** A span as Python's timedelta prints it, which is what XCover sends: `9 13:14:46`. */
function duration(from: Date | null, to: Date | null): string | null {
  if (!from || !to) return null;
  const total = Math.max(0, Math.round((to.getTime() - from.getTime()) / 1000));
  const days = Math.floor(total / 86_400);
  const rest = total % 86_400;
  const hms = [Math.floor(rest / 3600), Math.floor((rest % 3600) / 60), rest % 60]
    .map((n, i) => (i === 0 ? String(n) : String(n).padStart(2, '0')))
    .join(':');
  const clock = hms.length < 8 ? `0${hms}` : hms;
  return days > 0 ? `${days} ${clock}` : clock;
}

function taxJson(premium: Premium, f: Formatter) {
  return {
    ...f.pair('total_tax', premium.tax),
    ...f.pair('total_amount_without_tax', premium.net),
    taxes: premium.taxes.map((t) => ({
      tax_amount: f.num(t.amount),
      tax_code: t.name,
      tax_amount_formatted: f.str(t.amount),
    })),
  };
}

function commissionJson(premium: Premium, commissionBp: number, f: Formatter) {
  const amount = commissionOn(premium.net, commissionBp);
  return {
    ...f.pair('partner_commission', amount),
    ...f.pair('surcharge_commission', 0),
    ...f.pair('total_commission', amount),
  };
}

export function policyBlock(product: Product, item: InsuredItem, language: string) {
  const name = productName(product, language);
  return {
    policy_type: product.code,
    policy_type_group_name: 'product',
    policy_name: name,
    policy_code: product.code.toUpperCase(),
    policy_version: '1',
    category: product.coverage,
    content: {
      title: item.name ? `${name} for ${item.name}` : name,
      header: null,
      description: `${product.coverage.replaceAll('_', ' ')} cover for the item, for the term of the plan`,
      optout_msg: '',
      disclaimer: 'This plan is underwritten by Protego.',
    },
    underwriter: { disclaimer: 'This plan is arranged and underwritten by Protego.', name: 'Protego' },
    claim_selector_id: '',
  };
}

/** Everything a quote's answer is made from, booked or not. */
export interface QuoteView {
  id: string;
  product: Product;
  item: InsuredItem;
  premium: Premium;
  commissionBp: number;
  status: XcoverStatus;
  start: Date | null;
  end: Date | null;
  createdAt: Date;
  updatedAt: Date;
  confirmedAt: Date | null;
  cancelledAt: Date | null;
  policy?: Policy;
  /** Instalment plans offered with the quote (package answers). */
  instalmentPlans?: { name: string; label: string; amount: number; firstInstalmentAmount: number }[];
  /** The policy of the next term, once a renewal was confirmed. */
  nextRenewal?: Policy | null;
  canBeCancelled?: boolean;
  extra?: Record<string, unknown>;
}

function quoteBase(q: QuoteView, f: Formatter, language: string) {
  const limit = q.product.coverLimit[q.premium.currency];
  const cover = limit === undefined ? q.item.price.amount : Math.min(limit, q.item.price.amount);
  return {
    id: q.id,
    policy_start_date: policyDate(q.start),
    policy_end_date: policyDate(q.end),
    status: q.status,
    ...f.pair('price', q.premium.total),
    policy: policyBlock(q.product, q.item, language),
    insured: null,
    tax: taxJson(q.premium, f),
    duration: duration(q.start, q.end),
    benefits: [
      {
        description: `${q.product.coverage.replaceAll('_', ' ')} up to the cover amount`,
        ...f.pair('limit', cover),
        // Priced in the policy's own currency, with no excess to pay on a claim.
        ...f.pair('limit_policy_currency', cover),
        ...f.pair('excess', 0),
        ...f.pair('excess_policy_currency', 0),
      },
    ],
    commission: commissionJson(q.premium, q.commissionBp, f),
    created_at: iso(q.createdAt),
    confirmed_at: iso(q.confirmedAt),
    updated_at: iso(q.updatedAt),
    cancelled_at: iso(q.cancelledAt),
    is_renewable: q.product.renewable,
    is_pricebeat_enabled: null,
    ...f.pair('cover_amount', cover),
    pds_url: q.product.documents.termsUrl ?? null,
    attachments: [],
    files: [],
    extra_fields: {},
    surcharge: { total_amount: null, total_amount_formatted: null, surcharges: null },
    ...q.extra,
  };
}

function packageQuoteJson(q: QuoteView, f: Formatter, language: string) {
  return {
    ...quoteBase(q, f, language),
    ...f.pair('discount_price', q.premium.total),
    ...f.pair('discount_amount', 0),
    instalment_plans: (q.instalmentPlans ?? []).map((p) => ({
      name: p.name,
      label: p.label,
      amount: f.num(p.amount),
      first_instalment_amount: f.num(p.firstInstalmentAmount),
    })),
  };
}

function bookingQuoteJson(q: QuoteView, f: Formatter, language: string) {
  return {
    ...quoteBase(q, f, language),
    next_renewal: q.nextRenewal
      ? {
          status: policyStatus(q.nextRenewal),
          policy_start_date: policyDate(q.nextRenewal.coverageStart),
          policy_end_date: policyDate(q.nextRenewal.coverageEnd),
          ...f.pair('price', q.nextRenewal.premium.total),
        }
      : null,
    can_be_cancelled: q.canBeCancelled ?? false,
  };
}

const sum = (views: QuoteView[], pick: (p: Premium) => number) =>
  views.reduce((total, v) => total + pick(v.premium), 0);

/** Links a customer or partner follows: the certificate (with the package's security token). */
export function coiJson(base: string, partnerCode: string, id: string, token: string) {
  const url = `${base}/xcover/coi/${partnerCode}/${id}`;
  return { url: `${url}?security_token=${token}`, pdf: `${url}.pdf?security_token=${token}` };
}

export interface PackageAnswer {
  id: string | null;
  pkg: PackageData;
  views: QuoteView[];
  status: XcoverStatus;
  errors?: Record<string, unknown>;
}

export function packageJson(a: PackageAnswer, f: Formatter) {
  const live = a.views.filter((v) => v.status !== 'CANCELLED');
  const total = sum(live, (p) => p.total);
  return {
    id: a.id,
    status: a.status,
    currency: a.pkg.currency,
    ...f.pair('total_price', total),
    partner_transaction_id: a.pkg.partner_transaction_id,
    created_at: a.pkg.created_at,
    updated_at: a.pkg.updated_at,
    pds_url: a.views[0]?.product.documents.termsUrl ?? null,
    security_token: a.id ? a.pkg.security_token : null,
    quotes: Object.fromEntries(
      a.views.map((v, i) => [String(i), packageQuoteJson(v, f, a.pkg.customer_language)]),
    ),
    bundle_code: null,
    ...f.pair('bundle_price', total),
    bundle_content: {},
    bundle_discount_percent: 0,
    ...f.pair('bundle_discount_amount', 0),
    errors: a.errors ?? {},
  };
}

export function policyholderJson(booking: BookingData) {
  const p = booking.policyholder;
  const or = <T>(v: T | undefined) => (v === undefined ? null : v);
  return {
    first_name: or(p.first_name),
    middle_name: or(p.middle_name),
    last_name: or(p.last_name),
    email: or(p.email),
    phone: or(p.phone),
    country: or(p.country),
    age: or(p.age),
    address1: or(p.address1),
    address2: or(p.address2),
    city: or(p.city),
    postcode: or(p.postcode),
    region: or(p.region),
    secondary_email: or(p.secondary_email),
    birth_date: or(p.birth_date),
    company: or(p.company),
    allow_updates: p.allow_updates ?? false,
  };
}

/** The partner as a booking names it: its code is XCover's partner id. */
export function partnerJson(partner: { code: string; name: string }) {
  return { id: partner.code, slug: partner.code, name: partner.name, title: partner.name };
}

export interface BookingAnswer {
  id: string;
  pkg: PackageData;
  booking: BookingData;
  views: QuoteView[];
  base: string;
  partnerCode: string;
  /** The policyholder's own page of the booking's first policy (the link their letter carries). */
  accountUrl: string | null;
}

/** A booking's status: cancelled when every policy is, pending while one awaits payment. */
export function bookingStatus(views: readonly Pick<QuoteView, 'status'>[]): XcoverStatus {
  if (views.length > 0 && views.every((v) => v.status === 'CANCELLED')) return 'CANCELLED';
  if (views.some((v) => v.status === 'PENDING_PAYMENT')) return 'PENDING_PAYMENT';
  if (views.length > 0 && views.every((v) => v.status === 'RENEWED')) return 'RENEWED';
  return 'CONFIRMED';
}

export function bookingJson(a: BookingAnswer, f: Formatter, extra: Record<string, unknown> = {}) {
  const live = a.views.filter((v) => v.status !== 'CANCELLED');
  return {
    id: a.id,
    status: bookingStatus(a.views),
    currency: a.pkg.currency,
    ...f.pair(
      'total_price',
      sum(live, (p) => p.total),
    ),
    partner_transaction_id: a.pkg.partner_transaction_id,
    created_at: a.booking.created_at,
    updated_at: a.booking.updated_at,
    pds_url: a.views[0]?.product.documents.termsUrl ?? null,
    security_token: a.pkg.security_token,
    quotes: a.views.map((v) => bookingQuoteJson(v, f, a.pkg.customer_language)),
    coi: coiJson(a.base, a.partnerCode, a.id, a.pkg.security_token),
    account_url: a.accountUrl,
    policyholder: policyholderJson(a.booking),
    ...f.pair(
      'total_tax',
      sum(live, (p) => p.tax),
    ),
    ...f.pair(
      'total_premium',
      sum(live, (p) => p.net),
    ),
    ...extra,
  };
}
