import { checkEligibility } from '../../../core/catalog/eligibility.js';
import { nearestTerm } from '../../../core/catalog/terms.js';
import { CoreError, invalid } from '../../../core/errors.js';
import { fromMajor } from '../../../core/money.js';
import { createOffer } from '../../../core/offers/create-offer.js';
import type { Offer, OfferOption } from '../../../core/offers/offer.js';
import { type Market, requireMarket, type Tenant } from '../../../core/partners/partner.js';
import { requireEnablement } from '../../../core/policies/lookups.js';
import type { InsuredItem } from '../../../core/policies/policy.js';
import type { CoreDeps } from '../../../core/ports.js';
import { inClientFields } from '../../kit/fields.js';
import type { QuoteRequest } from './schemas.js';

/** Where a package is sold: its country, currency and language, checked against the partner's markets. */
export async function packageMarket(
  deps: CoreDeps,
  tenant: Tenant,
  input: { customer_country?: string | undefined; currency: string; customer_language?: string | undefined },
): Promise<Market> {
  const partner = await deps.repos.partners.getById(tenant.partnerId);
  if (!partner) throw invalid('partner', 'unknown partner');
  const currency = input.currency.toUpperCase();
  // Without a country, the currency names the market when only one market sells in it.
  const byCurrency = partner.markets.filter((m) => m.currency === currency);
  const fallback = byCurrency.length === 1 ? byCurrency[0]!.country : undefined;
  const country = (input.customer_country ?? fallback)?.toUpperCase();
  if (!country) {
    throw invalid('customer_country', `required: more than one market, or none, sells in ${currency}`);
  }
  const market = requireMarket(partner, country, 'customer_country');
  if (currency !== market.currency) {
    throw invalid('currency', `policies for customers in ${country} are priced in ${market.currency}`);
  }
  return { country, currency, language: (input.customer_language ?? market.language).toLowerCase() };
}

export function parseDate(text: string | null | undefined, field: string): Date | undefined {
  if (text === undefined || text === null) return undefined;
  const at = new Date(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(at.getTime())) {
    throw invalid(field, 'Datetime has wrong format. Use ISO 8601, e.g. 2026-01-31T10:00:00Z.');
  }
  return at;
}

/** The item from `products[0]` or from the same fields flat on the request, priced in the package's currency. */
function itemOf(request: QuoteRequest, currency: string, field: string): InsuredItem {
  const nested = request.products?.[0];
  const source = nested ?? request;
  const at = nested ? `${field}/products/0` : field;
  if (source.price === undefined) throw invalid(`${field}/products`, 'This field is required.');
  const amount = fromMajor(source.price, currency);
  if (amount === undefined) throw invalid(`${at}/price`, `not a valid amount of ${currency}`);
  const text = (v: string | null | undefined) => (v === null || v === undefined || v === '' ? undefined : v);
  const purchasedAt = parseDate(source.purchase_date, `${at}/purchase_date`);
  const item: InsuredItem = { category: text(source.category) ?? 'general', price: { amount, currency } };
  for (const key of ['name', 'brand', 'model', 'sku'] as const) {
    const value = text(source[key]);
    if (value !== undefined) item[key] = value;
  }
  const serialNumber = text(source.serial_number);
  if (serialNumber !== undefined) item.serialNumber = serialNumber;
  if (purchasedAt) item.purchasedAt = purchasedAt;
  return item;
}

export interface PricedQuote {
  offer: Offer;
  option: OfferOption;
  item: InsuredItem;
}

/**
 * Prices one request of a package as a one-item core offer, not stored yet, and picks the option of the
 * requested product, for the term nearest the requested dates.
 */
export async function priceQuote(
  deps: CoreDeps,
  tenant: Tenant,
  market: Market,
  request: QuoteRequest,
  field: string,
): Promise<PricedQuote> {
  const item = itemOf(request, market.currency, field);
  const { product } = await requireEnablement(deps, tenant, request.policy_type, `${field}/policy_type`);
  const start = parseDate(request.policy_start_date, `${field}/policy_start_date`) ?? deps.clock.now();
  const end = parseDate(request.policy_end_date, `${field}/policy_end_date`);
  if (end && end.getTime() <= start.getTime()) {
    throw invalid(`${field}/policy_end_date`, 'must be after policy_start_date');
  }
  const term = nearestTerm(product.terms, start, end);
  const offer = await inClientFields({ coverageStart: `${field}/policy_start_date` }, () =>
    createOffer(deps, tenant, {
      country: market.country,
      language: market.language,
      items: [{ ref: '0', item, quantity: 1 }],
      // The caller stores it once the requested product was found in it.
      store: false,
      // What booking will refuse is refused now (the start of cover), by the same core rule.
      ...(request.policy_start_date ? { coverageStart: start } : {}),
    }),
  );
  const option = offer.items[0]?.options.find((o) => o.productCode === product.code && o.termMonths === term);
  if (!option) {
    const verdict = checkEligibility(product, market.country, item.category, item.price);
    const reason = verdict.eligible ? 'no price for this item' : verdict.reason.replace('_', ' ');
    const at = request.products ? `${field}/products/0` : field;
    throw new CoreError('not_eligible', `${product.code} does not cover this item (${reason})`, [
      {
        field: verdict.eligible || verdict.reason !== 'category' ? `${at}/price` : `${at}/category`,
        message: `not covered by ${product.code}: ${reason}`,
      },
    ]);
  }
  return { offer, option, item };
}

/** The request as it stands after a PATCH: the changed fields over the original, products replaced whole. */
export function mergeRequest(original: QuoteRequest, change: Partial<QuoteRequest>): QuoteRequest {
  const merged: QuoteRequest = { ...original };
  for (const [key, value] of Object.entries(change)) {
    if (key === 'quote_id' || value === undefined) continue;
    (merged as Record<string, unknown>)[key] = value;
  }
  // A flat price correction applies to the nested product, where the original had one.
  if (original.products && !change.products) {
    const product = { ...original.products[0]! };
    for (const key of [
      'name',
      'price',
      'category',
      'brand',
      'model',
      'sku',
      'serial_number',
      'purchase_date',
    ] as const) {
      if (change[key] !== undefined) {
        (product as Record<string, unknown>)[key] = change[key];
        delete (merged as Record<string, unknown>)[key];
      }
    }
    merged.products = [product];
  }
  return merged;
}
