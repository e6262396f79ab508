import { expect } from 'vitest';
import type { Product, ProductMarket, RateTable, TaxRule } from '../../src/core/catalog/product.js';
import { CoreError, type ErrorCode, type FieldError } from '../../src/core/errors.js';
import type { RoundingMode } from '../../src/core/money.js';
import type { Policy } from '../../src/core/policies/policy.js';
import type { Premium } from '../../src/core/pricing/premium.js';

/** Runs fn, expects it to throw a CoreError with this code, and hands the error back. */
export function coreErrorOf(fn: () => unknown, code: ErrorCode = 'validation_failed'): CoreError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught, 'expected a CoreError to be thrown').toBeInstanceOf(CoreError);
  const error = caught as CoreError;
  expect(error.code).toBe(code);
  return error;
}

/** The field paths of the CoreError fn throws, in order. */
export function fieldsOf(fn: () => unknown, code: ErrorCode = 'validation_failed'): string[] {
  return coreErrorOf(fn, code).fields.map((f: FieldError) => f.field);
}

export function market(overrides: Partial<ProductMarket> = {}): ProductMarket {
  return {
    country: 'SE',
    currency: 'SEK',
    itemPrice: { min: 0, max: 10_000_000 },
    rates: { '12': { type: 'bands', bands: [{ upTo: 10_000_000, premium: 10_000 }] } },
    taxes: [],
    ...overrides,
  };
}

/** A small valid product: one SE market, one 12-month term, no taxes, half-even rounding. */
export function product(overrides: Partial<Product> = {}): Product {
  return {
    code: 'test-product',
    name: { en: 'Test product' },
    coverage: 'accidental_damage',
    terms: [12],
    renewable: false,
    coverStart: 'at_binding',
    categories: [],
    markets: [market()],
    policyholderFields: {
      name: 'optional',
      personalId: 'optional',
      address: 'optional',
      phone: 'optional',
      email: 'optional',
      comment: 'optional',
    },
    cancellation: { coolingOffDays: 14, afterCoolingOff: 'pro_rata', afterPaidClaim: 'none' },
    rounding: 'half_even',
    coverLimit: { SEK: 10_000_000 },
    documents: {},
    ...overrides,
  };
}

/** A product whose only market prices the 12-month term with `table` and these taxes. */
export function pricedProduct(table: RateTable, taxes: TaxRule[], rounding: RoundingMode = 'half_even') {
  const m = market({ rates: { '12': table }, taxes });
  return { product: product({ markets: [m], rounding }), market: m };
}

/** A flat band table: every item price up to 10 000 000 costs `premium`. */
export const flat = (premium: number): RateTable => ({
  type: 'bands',
  bands: [{ upTo: 10_000_000, premium }],
});

export function premium(total: number, currency = 'SEK'): Premium {
  return { currency, net: total, tax: 0, total, taxes: [] };
}

/** A bound, active SEK policy, built by hand. */
export function policy(overrides: Partial<Policy> = {}): Policy {
  const start = new Date('2025-01-01T00:00:00Z');
  return {
    id: 'pol_test',
    partnerId: 'ptn_test',
    mode: 'test',
    productCode: 'test-product',
    termMonths: 12,
    country: 'SE',
    language: 'sv',
    status: 'active',
    policyholder: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' },
    item: { category: 'Tablet', price: { amount: 850_000, currency: 'SEK' } },
    premium: premium(12_000),
    coverStart: 'at_binding',
    coverageStart: start,
    coverageEnd: new Date('2026-01-01T00:00:00Z'),
    boundAt: start,
    offerId: null,
    offerOptionId: null,
    refs: {},
    refund: null,
    claimPaid: false,
    commissionBp: 0,
    createdAt: start,
    updatedAt: start,
    ...overrides,
  };
}
