import { CoreError, type FieldError } from '../errors.js';
import { isCurrencyCode, type RoundingMode } from '../money.js';

export const COVERAGE_TYPES = [
  'extended_warranty',
  'accidental_damage',
  'theft',
  'damage_and_theft',
] as const;
export type CoverageType = (typeof COVERAGE_TYPES)[number];

export const POLICYHOLDER_FIELDS = ['name', 'personalId', 'address', 'phone', 'email', 'comment'] as const;
export type PolicyholderField = (typeof POLICYHOLDER_FIELDS)[number];
export type FieldRule = 'required' | 'optional' | 'not_collected';

/** When cover begins once the policy is bound. */
export type CoverStart = 'at_binding' | 'at_fulfilment';

/**
 * What a shop shows of a product in one market and language: the communication kit (SocGen), a
 * plan's title and details link (Hakuna). What is not configured falls back to the product's name
 * and documents (`displayContent`), so every product can be shown.
 */
export interface DisplayContent {
  title: string;
  description?: string;
  iconUrl?: string;
  conditionsUrl?: string;
  noticeUrl?: string;
  termsUrl?: string;
  detailsUrl?: string;
}

/** Display content per market country, then per language. */
type ProductDisplay = Record<string, Record<string, Partial<DisplayContent>>>;

/** Premium per unit from the item's price: fixed price bands, or a share of the price with floor and cap. */
export type RateTable =
  | { type: 'bands'; bands: { upTo: number; premium: number }[] }
  | { type: 'percentage'; rateBp: number; min: number; max: number };

export interface TaxRule {
  name: string;
  /** Basis points: 2500 = 25 %. */
  rateBp: number;
  /** `included`: the rate table's price already contains the tax; `added`: the tax comes on top. */
  mode: 'included' | 'added';
}

export interface ProductMarket {
  country: string;
  currency: string;
  /** Item price range the product accepts in this market, in minor units (inclusive). */
  itemPrice: { min: number; max: number };
  /** Rate table per term, keyed by the term in months ("12"). */
  rates: Record<string, RateTable>;
  taxes: TaxRule[];
}

export interface Product {
  code: string;
  name: Record<string, string>;
  coverage: CoverageType;
  /** Terms offered, in months; each has a rate table in every market. */
  terms: number[];
  renewable: boolean;
  coverStart: CoverStart;
  /** Item categories the product covers, compared case-insensitively; empty means any. */
  categories: string[];
  markets: ProductMarket[];
  policyholderFields: Record<PolicyholderField, FieldRule>;
  cancellation: {
    coolingOffDays: number;
    /** What a cancellation after the cooling-off window returns. */
    afterCoolingOff: 'pro_rata' | 'none';
    /** Once a claim was paid, nothing is refunded unless the product says otherwise. */
    afterPaidClaim: 'none' | 'pro_rata';
  };
  rounding: RoundingMode;
  /** Largest amount a claim may ask for, per market currency, in minor units. */
  coverLimit: Record<string, number>;
  documents: { termsUrl?: string; ipidUrl?: string };
  /** What shops show per market and language (`displayContent`); the name and documents otherwise. */
  display?: ProductDisplay;
  /** Ways to pay the premium in parts; absent or empty when it is paid at once. */
  instalmentPlans?: InstalmentPlan[];
  /** Days after an instalment's period starts that cover lapses while it is unpaid (default 14). */
  instalmentsLapseAfterDays?: number;
}

/** Paying the premium in equal parts, one per period of `periodMonths` calendar months. */
export interface InstalmentPlan {
  name: string;
  label: string;
  periodMonths: number;
}

export const DEFAULT_INSTALMENTS_LAPSE_AFTER_DAYS = 14;

export function productName(product: Product, language: string): string {
  return product.name[language] ?? product.name.en ?? Object.values(product.name)[0] ?? product.code;
}

export function productMarket(product: Product, country: string): ProductMarket | undefined {
  return product.markets.find((m) => m.country === country.toUpperCase());
}

/** An amount the catalog holds: whole minor units, none negative, within what the admin API's schema takes. */
const isAmount = (n: number) => Number.isSafeInteger(n) && n >= 0 && n <= 1e12;
const AMOUNT = 'whole minor units, 0 or more';

/**
 * Every rule of a product, those the admin API's schema also checks (amounts, ranges) included, so a
 * caller without that schema (the console's form) is held to the same: band order, a rate table for every
 * term in every market, one market per country.
 */
export function validateProduct(p: Product): void {
  const errors: FieldError[] = [];
  const push = (field: string, message: string) => errors.push({ field, message });
  if (!/^[a-z0-9][a-z0-9_.-]{1,62}$/i.test(p.code))
    push('code', 'letters, digits, . - _, 2 to 63 characters');
  if (Object.keys(p.name).length === 0) push('name', 'at least one language');
  if (p.terms.length === 0) push('terms', 'at least one term');
  p.terms.forEach((t, i) => {
    if (!Number.isInteger(t) || t < 1 || t > 120) push(`terms/${i}`, 'whole months from 1 to 120');
  });
  if (new Set(p.terms).size !== p.terms.length) push('terms', 'a term is listed twice');
  if (p.markets.length === 0) push('markets', 'at least one market');
  const countries = new Set<string>();
  p.markets.forEach((m, i) => {
    const at = `markets/${i}`;
    if (!/^[A-Z]{2}$/.test(m.country)) push(`${at}/country`, 'ISO 3166 alpha-2, upper case');
    if (countries.has(m.country)) push(`${at}/country`, 'listed twice');
    countries.add(m.country);
    if (!isCurrencyCode(m.currency)) push(`${at}/currency`, 'ISO 4217, upper case');
    if (!isAmount(m.itemPrice.min)) push(`${at}/itemPrice/min`, AMOUNT);
    if (!isAmount(m.itemPrice.max)) push(`${at}/itemPrice/max`, AMOUNT);
    if (m.itemPrice.min > m.itemPrice.max) push(`${at}/itemPrice`, 'min is above max');
    for (const term of p.terms) {
      const table = m.rates[String(term)];
      if (!table) push(`${at}/rates/${term}`, `no rate table for the ${term}-month term`);
      else validateRateTable(table, `${at}/rates/${term}`, push);
      // An eligible item must always get a price: the bands reach the dearest item the market takes.
      const last = table?.type === 'bands' ? table.bands.at(-1) : undefined;
      if (last && last.upTo < m.itemPrice.max) {
        push(
          `${at}/rates/${term}/bands`,
          `the last band ends at ${last.upTo}, below item_price.max ${m.itemPrice.max}`,
        );
      }
    }
    for (const key of Object.keys(m.rates)) {
      if (!p.terms.includes(Number(key))) push(`${at}/rates/${key}`, 'not one of the product terms');
    }
    m.taxes.forEach((t, j) => {
      if (t.rateBp < 0 || t.rateBp > 10_000) push(`${at}/taxes/${j}/rateBp`, 'from 0 to 10000');
    });
  });
  const days = p.cancellation.coolingOffDays;
  if (!Number.isInteger(days) || days < 0 || days > 365)
    push('cancellation/coolingOffDays', 'whole days from 0 to 365');
  validateInstalmentPlans(p, push);
  validateDisplay(p, push);
  if (errors.length > 0) throw new CoreError('validation_failed', `invalid product ${p.code}`, errors);
}

/** A plan must split every term into whole periods, or some term would end mid-instalment. */
function validateInstalmentPlans(p: Product, push: (field: string, message: string) => void): void {
  const names = new Set<string>();
  (p.instalmentPlans ?? []).forEach((plan, i) => {
    const at = `instalmentPlans/${i}`;
    if (!/^[a-z0-9][a-z0-9_.-]{0,62}$/i.test(plan.name)) push(`${at}/name`, 'letters, digits, . - _');
    if (names.has(plan.name)) push(`${at}/name`, 'listed twice');
    names.add(plan.name);
    if (!Number.isInteger(plan.periodMonths) || plan.periodMonths < 1) {
      push(`${at}/periodMonths`, 'whole months, at least 1');
      return;
    }
    for (const term of p.terms) {
      if (term % plan.periodMonths !== 0)
        push(`${at}/periodMonths`, `does not divide the ${term}-month term`);
    }
  });
  const lapse = p.instalmentsLapseAfterDays;
  if (lapse !== undefined && (!Number.isInteger(lapse) || lapse < 0 || lapse > 365))
    push('instalmentsLapseAfterDays', 'whole days from 0 to 365');
}

/** Content only for markets the product sells in, in two-letter languages, with a title if one is set. */
function validateDisplay(p: Product, push: (field: string, message: string) => void): void {
  const countries = new Set(p.markets.map((m) => m.country));
  for (const [country, languages] of Object.entries(p.display ?? {})) {
    if (!countries.has(country)) push(`display/${country}`, 'not one of the product markets');
    for (const [language, content] of Object.entries(languages)) {
      const at = `display/${country}/${language}`;
      if (!/^[a-z]{2}$/.test(language)) push(at, 'ISO 639-1 language, lower case');
      if (content.title !== undefined && content.title.trim() === '') push(`${at}/title`, 'empty');
    }
  }
}

function validateRateTable(t: RateTable, at: string, push: (field: string, message: string) => void): void {
  if (t.type === 'bands') {
    if (t.bands.length === 0) push(`${at}/bands`, 'at least one band');
    t.bands.forEach((b, i) => {
      const previous = t.bands[i - 1];
      if (!isAmount(b.upTo)) push(`${at}/bands/${i}/upTo`, AMOUNT);
      else if (previous && b.upTo <= previous.upTo) push(`${at}/bands/${i}/upTo`, 'bands must rise');
      if (!isAmount(b.premium)) push(`${at}/bands/${i}/premium`, AMOUNT);
    });
  } else {
    if (!Number.isInteger(t.rateBp) || t.rateBp < 0 || t.rateBp > 10_000)
      push(`${at}/rateBp`, 'whole basis points from 0 to 10000');
    if (!isAmount(t.min)) push(`${at}/min`, AMOUNT);
    if (!isAmount(t.max)) push(`${at}/max`, AMOUNT);
    if (t.min > t.max) push(`${at}/min`, 'min is above max');
  }
}
