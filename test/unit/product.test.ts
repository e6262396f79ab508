import { describe, expect, it } from 'vitest';
import {
  type Product,
  productMarket,
  productName,
  type RateTable,
  validateProduct,
} from '../../src/core/catalog/product.js';
import { DEMO_PRODUCTS } from '../../src/demo/catalog.js';
import { coreErrorOf, fieldsOf } from './fixtures.js';

/** A fresh copy of a demo product, safe to break. */
function demo(code: string): Product {
  const found = DEMO_PRODUCTS.find((p) => p.code === code);
  if (!found) throw new Error(`no demo product ${code}`);
  return structuredClone(found);
}

/** tech-insurance: terms 12 and 24, markets SE (index 0) and US (index 1), band tables, VAT included. */
const tech = () => demo('tech-insurance');
/** product-protection: terms 12, 24, 36, markets GB and US, percentage tables. */
const protection = () => demo('product-protection');

function bandsOf(p: Product, market: number, term: string) {
  const table = p.markets[market]!.rates[term] as Extract<RateTable, { type: 'bands' }>;
  return table.bands;
}

describe('validateProduct: the demo catalog', () => {
  it('has five products', () => {
    expect(DEMO_PRODUCTS.map((p) => p.code)).toEqual([
      'refurbished-electronics',
      'tech-insurance',
      'garantie-1j',
      'CIFRWE',
      'product-protection',
    ]);
  });

  it.each(DEMO_PRODUCTS.map((p) => [p.code, p] as const))('%s is valid', (_code, p) => {
    expect(() => validateProduct(p)).not.toThrow();
  });
});

describe('validateProduct: each rule names its field', () => {
  it.each([
    ['a', false],
    ['ab', true],
    ['CIFRWE', true],
    ['a.b-c_d', true],
    ['x'.repeat(63), true],
    ['x'.repeat(64), false],
    ['-ab', false],
    ['_ab', false],
    ['bad code', false],
    ['bad/code', false],
    ['', false],
  ])('code %j valid: %s', (code, ok) => {
    const p = tech();
    p.code = code;
    if (ok) expect(() => validateProduct(p)).not.toThrow();
    else expect(fieldsOf(() => validateProduct(p))).toEqual(['code']);
  });

  it('name needs a language', () => {
    const p = tech();
    p.name = {};
    expect(fieldsOf(() => validateProduct(p))).toEqual(['name']);
  });

  it('no terms: terms, and every rate table is now for a term the product does not have', () => {
    const p = tech();
    p.terms = [];
    expect(fieldsOf(() => validateProduct(p))).toEqual([
      'terms',
      'markets/0/rates/12',
      'markets/0/rates/24',
      'markets/1/rates/12',
      'markets/1/rates/24',
    ]);
  });

  it.each([0, -12, 121, 1.5, Number.NaN])('term %d is not whole months from 1 to 120', (term) => {
    const p = tech();
    p.terms = [12, 24, term];
    for (const m of p.markets) m.rates[String(term)] = { type: 'bands', bands: [{ upTo: 1e12, premium: 1 }] };
    expect(fieldsOf(() => validateProduct(p))).toEqual(['terms/2']);
  });

  it.each([1, 120])('term %d is allowed', (term) => {
    const p = tech();
    p.terms = [12, 24, term];
    for (const m of p.markets) m.rates[String(term)] = { type: 'bands', bands: [{ upTo: 1e12, premium: 1 }] };
    expect(() => validateProduct(p)).not.toThrow();
  });

  it('a term listed twice', () => {
    const p = tech();
    p.terms = [12, 24, 12];
    const error = coreErrorOf(() => validateProduct(p));
    expect(error.fields).toEqual([{ field: 'terms', message: 'a term is listed twice' }]);
  });

  it('no markets', () => {
    const p = tech();
    p.markets = [];
    expect(fieldsOf(() => validateProduct(p))).toEqual(['markets']);
  });

  it.each(['se', 'SWE', 'S', '', '12'])('market country %j is not ISO alpha-2 upper case', (country) => {
    const p = tech();
    p.markets[1]!.country = country;
    expect(fieldsOf(() => validateProduct(p))).toEqual(['markets/1/country']);
  });

  it('a country listed twice is reported on the second market', () => {
    const p = tech();
    p.markets[1]!.country = 'SE';
    p.markets[1]!.currency = 'SEK';
    const error = coreErrorOf(() => validateProduct(p));
    expect(error.fields).toEqual([{ field: 'markets/1/country', message: 'listed twice' }]);
    expect(error.message).toBe('invalid product tech-insurance');
  });

  it.each(['sek', 'SE', 'SEKK', ''])('market currency %j is not ISO 4217 upper case', (currency) => {
    const p = tech();
    p.markets[0]!.currency = currency;
    expect(fieldsOf(() => validateProduct(p))).toEqual(['markets/0/currency']);
  });

  it('item price min above max; min equal to max is fine', () => {
    const p = tech();
    p.markets[1]!.itemPrice = { min: 10_000, max: 9_999 };
    expect(fieldsOf(() => validateProduct(p))).toEqual(['markets/1/itemPrice']);
    p.markets[1]!.itemPrice = { min: 10_000, max: 10_000 };
    expect(() => validateProduct(p)).not.toThrow();
  });

  it('a term without a rate table in a market', () => {
    const p = tech();
    delete p.markets[0]!.rates['24'];
    const error = coreErrorOf(() => validateProduct(p));
    expect(error.fields).toEqual([
      { field: 'markets/0/rates/24', message: 'no rate table for the 24-month term' },
    ]);
  });

  it('a rate table for a term the product does not offer', () => {
    const p = tech();
    p.markets[1]!.rates['6'] = { type: 'bands', bands: [{ upTo: 1e12, premium: 100 }] };
    const error = coreErrorOf(() => validateProduct(p));
    expect(error.fields).toEqual([{ field: 'markets/1/rates/6', message: 'not one of the product terms' }]);
  });

  it('a band table needs a band', () => {
    const p = tech();
    p.markets[0]!.rates['12'] = { type: 'bands', bands: [] };
    expect(fieldsOf(() => validateProduct(p))).toEqual(['markets/0/rates/12/bands']);
  });

  it('bands must rise: an equal upTo is refused', () => {
    const p = tech();
    const bands = bandsOf(p, 0, '24');
    bands[1]!.upTo = bands[0]!.upTo;
    const error = coreErrorOf(() => validateProduct(p));
    expect(error.fields).toEqual([{ field: 'markets/0/rates/24/bands/1/upTo', message: 'bands must rise' }]);
  });

  it('the last band must reach the dearest item the market accepts', () => {
    const p = tech();
    const bands = bandsOf(p, 0, '24');
    bands.at(-1)!.upTo = p.markets[0]!.itemPrice.max - 1;
    expect(coreErrorOf(() => validateProduct(p)).fields.map((f) => f.field)).toEqual([
      'markets/0/rates/24/bands',
    ]);
  });

  it('bands must rise: a lower upTo is refused, at its own index', () => {
    const p = tech();
    const bands = bandsOf(p, 1, '12');
    bands[1]!.upTo = bands[0]!.upTo - 1;
    // band 1 falls below band 0; band 2 is still above band 1
    expect(fieldsOf(() => validateProduct(p))).toEqual(['markets/1/rates/12/bands/1/upTo']);
  });

  it('a percentage table with its floor above its cap; equal is fine', () => {
    const p = protection();
    p.markets[0]!.rates['24'] = { type: 'percentage', rateBp: 1_600, min: 50_000, max: 44_900 };
    expect(fieldsOf(() => validateProduct(p))).toEqual(['markets/0/rates/24/min']);
    p.markets[0]!.rates['24'] = { type: 'percentage', rateBp: 1_600, min: 44_900, max: 44_900 };
    expect(() => validateProduct(p)).not.toThrow();
  });

  // Held by the core, not only by the admin API's schema: the console's form has no schema.
  it.each([-1, 0.5, Number.NaN, 1e12 + 1])('a band premium of %d is not whole minor units', (premium) => {
    const p = tech();
    bandsOf(p, 0, '12')[0]!.premium = premium;
    expect(fieldsOf(() => validateProduct(p))).toEqual(['markets/0/rates/12/bands/0/premium']);
  });

  it.each([
    [{ rateBp: -1 }, 'markets/0/rates/24/rateBp'],
    [{ rateBp: 10_001 }, 'markets/0/rates/24/rateBp'],
    [{ rateBp: 12.5 }, 'markets/0/rates/24/rateBp'],
    [{ max: -1 }, 'markets/0/rates/24/max'],
  ])('a percentage table with %j', (change, field) => {
    const p = protection();
    p.markets[0]!.rates['24'] = { type: 'percentage', rateBp: 1_600, min: 0, max: 44_900, ...change };
    expect(fieldsOf(() => validateProduct(p))).toContain(field);
  });

  it.each([-1, 366, 1.5])('cooling-off of %d days', (days) => {
    const p = tech();
    p.cancellation.coolingOffDays = days;
    expect(fieldsOf(() => validateProduct(p))).toEqual(['cancellation/coolingOffDays']);
  });

  it.each([
    [-1, false],
    [0, true],
    [10_000, true],
    [10_001, false],
  ])('tax rate %i bp valid: %s', (rate, ok) => {
    const p = tech();
    p.markets[1]!.taxes.push({ name: 'Extra', rateBp: rate, mode: 'added' });
    if (ok) expect(() => validateProduct(p)).not.toThrow();
    else expect(fieldsOf(() => validateProduct(p))).toEqual(['markets/1/taxes/1/rateBp']);
  });

  it('reports every problem at once, in order', () => {
    const p = tech();
    p.code = '!';
    p.markets[0]!.currency = 'kr';
    delete p.markets[1]!.rates['12'];
    p.markets[1]!.taxes[0]!.rateBp = 20_000;
    expect(fieldsOf(() => validateProduct(p))).toEqual([
      'code',
      'markets/0/currency',
      'markets/1/rates/12',
      'markets/1/taxes/0/rateBp',
    ]);
  });
});

describe('productName / productMarket', () => {
  it('names the product in the language asked, else English, else any, else the code', () => {
    const p = tech();
    expect(productName(p, 'sv')).toBe('Teknikförsäkring');
    expect(productName(p, 'fr')).toBe('Tech Insurance');
    expect(productName({ ...p, name: { de: 'Technikversicherung' } }, 'fr')).toBe('Technikversicherung');
    expect(productName({ ...p, name: {} }, 'fr')).toBe('tech-insurance');
  });

  it('finds a market by country, whatever its case', () => {
    const p = tech();
    expect(productMarket(p, 'US')).toBe(p.markets[1]);
    expect(productMarket(p, 'se')).toBe(p.markets[0]);
    expect(productMarket(p, 'DE')).toBeUndefined();
  });
});
