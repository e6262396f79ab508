import { describe, expect, it } from 'vitest';
import { checkEligibility } from '../../src/core/catalog/eligibility.js';
import { DEMO_PRODUCTS } from '../../src/demo/catalog.js';
import { market, product } from './fixtures.js';

const se = market({ country: 'SE', currency: 'SEK', itemPrice: { min: 50_000, max: 5_000_000 } });
const de = market({ country: 'DE', currency: 'EUR', itemPrice: { min: 5_000, max: 300_000 } });
const tablets = product({ categories: ['Tablet', 'Smartphone'], markets: [se, de] });
const anything = product({ categories: [], markets: [se] });

const sek = (amount: number) => ({ amount, currency: 'SEK' });

describe('checkEligibility', () => {
  it('eligible: hands back the market of the country', () => {
    const result = checkEligibility(tablets, 'SE', 'Tablet', sek(850_000));
    expect(result).toEqual({ eligible: true, market: se });
    expect(result.eligible && result.market).toBe(tablets.markets[0]);
    const german = checkEligibility(tablets, 'DE', 'Smartphone', { amount: 79_900, currency: 'EUR' });
    expect(german.eligible && german.market).toBe(tablets.markets[1]);
  });

  it('market missing', () => {
    expect(checkEligibility(tablets, 'NO', 'Tablet', { amount: 850_000, currency: 'NOK' })).toEqual({
      eligible: false,
      reason: 'market',
    });
    expect(checkEligibility(tablets, 'FR', 'Tablet', { amount: 10_000, currency: 'EUR' })).toEqual({
      eligible: false,
      reason: 'market',
    });
  });

  it('finds the market whatever the case of the country', () => {
    expect(checkEligibility(tablets, 'se', 'Tablet', sek(850_000)).eligible).toBe(true);
    expect(checkEligibility(tablets, 'De', 'Tablet', { amount: 10_000, currency: 'EUR' }).eligible).toBe(
      true,
    );
  });

  it('currency mismatch', () => {
    expect(checkEligibility(tablets, 'SE', 'Tablet', { amount: 850_000, currency: 'EUR' })).toEqual({
      eligible: false,
      reason: 'currency',
    });
    expect(checkEligibility(tablets, 'DE', 'Tablet', sek(10_000))).toEqual({
      eligible: false,
      reason: 'currency',
    });
  });

  it.each(['Tablet', 'tablet', 'TABLET', '  Tablet ', 'smartPHONE'])(
    'category %j matches case-insensitively',
    (c) => {
      expect(checkEligibility(tablets, 'SE', c, sek(850_000)).eligible).toBe(true);
    },
  );

  it.each(['Laptop', 'Tablets', 'Tab', ''])('category %j is not covered', (c) => {
    expect(checkEligibility(tablets, 'SE', c, sek(850_000))).toEqual({ eligible: false, reason: 'category' });
  });

  it.each(['Laptop', 'Anything at all', ''])('empty categories cover any category: %j', (c) => {
    expect(checkEligibility(anything, 'SE', c, sek(850_000)).eligible).toBe(true);
  });

  it.each([
    [49_999, false],
    [50_000, true], // min is inclusive
    [50_001, true],
    [4_999_999, true],
    [5_000_000, true], // max is inclusive
    [5_000_001, false],
    [0, false],
  ])('price %i in a 500.00..50000.00 range -> eligible %s', (amount, eligible) => {
    const result = checkEligibility(tablets, 'SE', 'Tablet', sek(amount));
    expect(result.eligible).toBe(eligible);
    if (!result.eligible) expect(result.reason).toBe('price_range');
  });

  it('checks market, then currency, then category, then price', () => {
    expect(checkEligibility(tablets, 'NO', 'Laptop', { amount: 1, currency: 'USD' })).toMatchObject({
      reason: 'market',
    });
    expect(checkEligibility(tablets, 'SE', 'Laptop', { amount: 1, currency: 'USD' })).toMatchObject({
      reason: 'currency',
    });
    expect(checkEligibility(tablets, 'SE', 'Laptop', sek(1))).toMatchObject({ reason: 'category' });
    expect(checkEligibility(tablets, 'SE', 'Tablet', sek(1))).toMatchObject({ reason: 'price_range' });
  });

  it('demo catalog: a 799.00 EUR smartphone in Germany can have the Hakuna warranty, a laptop cannot', () => {
    const garantie = DEMO_PRODUCTS.find((p) => p.code === 'garantie-1j')!;
    expect(
      checkEligibility(garantie, 'DE', 'Smartphones', { amount: 79_900, currency: 'EUR' }).eligible,
    ).toBe(true);
    expect(checkEligibility(garantie, 'DE', 'Laptops', { amount: 79_900, currency: 'EUR' })).toEqual({
      eligible: false,
      reason: 'category',
    });
  });
});
