import type { InstalmentPlan, Product, ProductMarket, RateTable } from '../../core/catalog/product.js';
import type { IssuedCredentials } from '../../core/partners/issue-credentials.js';
import { camelCase, snakeCase } from '../kit/case.js';
import type { ProductBody } from './schemas.js';

/**
 * The admin API's JSON (snake_case) ⇄ the core's (camelCase). Pure: imports neither Fastify nor
 * storage. A product is answered as it was put, so the two directions are each other's inverse.
 */

type WireRateTable = ProductBody['markets'][number]['rates'][string];

function rateTableJson(t: RateTable): WireRateTable {
  return t.type === 'bands'
    ? { type: 'bands', bands: t.bands.map((b) => ({ up_to: b.upTo, premium: b.premium })) }
    : { type: 'percentage', rate_bp: t.rateBp, min: t.min, max: t.max };
}

function toRateTable(t: WireRateTable): RateTable {
  return t.type === 'bands'
    ? { type: 'bands', bands: t.bands.map((b) => ({ upTo: b.up_to, premium: b.premium })) }
    : { type: 'percentage', rateBp: t.rate_bp, min: t.min, max: t.max };
}

const mapValues = <A, B>(o: Record<string, A>, f: (a: A) => B): Record<string, B> =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v)]));

const mapKeys = <V>(o: Record<string, V>, f: (k: string) => string): Record<string, V> =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [f(k), v]));

function marketJson(m: ProductMarket): ProductBody['markets'][number] {
  return {
    country: m.country,
    currency: m.currency,
    item_price: m.itemPrice,
    rates: mapValues(m.rates, rateTableJson),
    taxes: m.taxes.map((t) => ({ name: t.name, rate_bp: t.rateBp, mode: t.mode })),
  };
}

function toMarket(m: ProductBody['markets'][number]): ProductMarket {
  return {
    country: m.country,
    currency: m.currency,
    itemPrice: m.item_price,
    rates: mapValues(m.rates, toRateTable),
    taxes: m.taxes.map((t) => ({ name: t.name, rateBp: t.rate_bp, mode: t.mode })),
  };
}

export function productJson(p: Product): ProductBody {
  return {
    code: p.code,
    name: p.name,
    coverage: p.coverage,
    terms: p.terms,
    renewable: p.renewable,
    cover_start: p.coverStart,
    categories: p.categories,
    markets: p.markets.map(marketJson),
    policyholder_fields: mapKeys(p.policyholderFields, snakeCase) as ProductBody['policyholder_fields'],
    cancellation: {
      cooling_off_days: p.cancellation.coolingOffDays,
      after_cooling_off: p.cancellation.afterCoolingOff,
      after_paid_claim: p.cancellation.afterPaidClaim,
    },
    rounding: p.rounding,
    cover_limit: p.coverLimit,
    documents: {
      ...(p.documents.termsUrl !== undefined ? { terms_url: p.documents.termsUrl } : {}),
      ...(p.documents.ipidUrl !== undefined ? { ipid_url: p.documents.ipidUrl } : {}),
    },
    ...(p.display
      ? { display: mapValues(p.display, (langs) => mapValues(langs, (c) => mapKeys(c, snakeCase))) }
      : {}),
    ...(p.instalmentPlans
      ? {
          instalment_plans: p.instalmentPlans.map((i) => ({
            name: i.name,
            label: i.label,
            period_months: i.periodMonths,
          })),
        }
      : {}),
    ...(p.instalmentsLapseAfterDays !== undefined
      ? { instalments_lapse_after_days: p.instalmentsLapseAfterDays }
      : {}),
  };
}

export function toProduct(b: ProductBody): Product {
  const plans: InstalmentPlan[] | undefined = b.instalment_plans?.map((i) => ({
    name: i.name,
    label: i.label,
    periodMonths: i.period_months,
  }));
  return {
    code: b.code,
    name: b.name,
    coverage: b.coverage,
    terms: b.terms,
    renewable: b.renewable,
    coverStart: b.cover_start,
    categories: b.categories,
    markets: b.markets.map(toMarket),
    policyholderFields: mapKeys(b.policyholder_fields, camelCase) as Product['policyholderFields'],
    cancellation: {
      coolingOffDays: b.cancellation.cooling_off_days,
      afterCoolingOff: b.cancellation.after_cooling_off,
      afterPaidClaim: b.cancellation.after_paid_claim,
    },
    rounding: b.rounding,
    coverLimit: b.cover_limit,
    documents: {
      ...(b.documents.terms_url !== undefined ? { termsUrl: b.documents.terms_url } : {}),
      ...(b.documents.ipid_url !== undefined ? { ipidUrl: b.documents.ipid_url } : {}),
    },
    ...(b.display
      ? { display: mapValues(b.display, (langs) => mapValues(langs, (c) => mapKeys(c, camelCase))) }
      : {}),
    ...(plans ? { instalmentPlans: plans } : {}),
    ...(b.instalments_lapse_after_days !== undefined
      ? { instalmentsLapseAfterDays: b.instalments_lapse_after_days }
      : {}),
  };
}

/** Credentials just issued, shown once, in the admin API's words. */
export function credentialsJson(c: IssuedCredentials) {
  return {
    mode: c.mode,
    api_key: c.apiKey,
    oauth: { client_id: c.oauth.clientId, client_secret: c.oauth.clientSecret },
    hmac: { key_id: c.hmac.keyId, secret: c.hmac.secret },
  };
}
