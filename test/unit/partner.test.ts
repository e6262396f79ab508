import { describe, expect, it } from 'vitest';
import {
  type Market,
  marketFor,
  type Partner,
  requireMarket,
  validateCommission,
  validatePartnerInput,
} from '../../src/core/partners/partner.js';
import { DEMO_PARTNER } from '../../src/demo/catalog.js';
import { coreErrorOf, fieldsOf } from './fixtures.js';

const se: Market = { country: 'SE', currency: 'SEK', language: 'sv' };
const de: Market = { country: 'DE', currency: 'EUR', language: 'de' };

describe('validatePartnerInput', () => {
  it('accepts the demo partner', () => {
    expect(() => validatePartnerInput(DEMO_PARTNER)).not.toThrow();
  });

  it.each([
    ['ab', true],
    ['electroshop', true],
    ['shop-2_b', true],
    ['0shop', true],
    ['x'.repeat(63), true],
    ['x'.repeat(64), false],
    ['a', false],
    ['Electroshop', false], // lower case only
    ['-shop', false],
    ['_shop', false],
    ['shop.se', false], // no dots, unlike product codes
    ['shop se', false],
    ['', false],
  ])('code %j valid: %s', (code, ok) => {
    const run = () => validatePartnerInput({ code, name: 'Shop', markets: [se] });
    if (ok) expect(run).not.toThrow();
    else expect(fieldsOf(run)).toEqual(['code']);
  });

  it.each(['', '   ', 'x'.repeat(201)])('refuses the name %j', (name) => {
    expect(fieldsOf(() => validatePartnerInput({ code: 'shop', name, markets: [se] }))).toEqual(['name']);
  });

  it('needs a market', () => {
    const error = coreErrorOf(() => validatePartnerInput({ code: 'shop', name: 'Shop', markets: [] }));
    expect(error.fields).toEqual([{ field: 'markets', message: 'at least one market' }]);
    expect(error.message).toBe('invalid partner');
  });

  it.each([
    [{ ...de, country: 'de' }, 'markets/1/country'],
    [{ ...de, country: 'DEU' }, 'markets/1/country'],
    [{ ...de, currency: 'eur' }, 'markets/1/currency'],
    [{ ...de, currency: 'EU' }, 'markets/1/currency'],
    [{ ...de, language: 'DE' }, 'markets/1/language'],
    [{ ...de, language: 'deu' }, 'markets/1/language'],
    [{ ...de, language: '' }, 'markets/1/language'],
  ])('market %j -> %s', (bad, field) => {
    expect(fieldsOf(() => validatePartnerInput({ code: 'shop', name: 'Shop', markets: [se, bad] }))).toEqual([
      field,
    ]);
  });

  it('a country listed twice is reported on the later market', () => {
    const error = coreErrorOf(() =>
      validatePartnerInput({ code: 'shop', name: 'Shop', markets: [se, de, { ...se }] }),
    );
    expect(error.fields).toEqual([{ field: 'markets/2/country', message: 'listed twice' }]);
  });

  it('reports every problem at once, in order', () => {
    const bad: Market = { country: 'x', currency: 'x', language: 'x' };
    expect(fieldsOf(() => validatePartnerInput({ code: 'X', name: 'Shop', markets: [se, bad] }))).toEqual([
      'code',
      'markets/1/country',
      'markets/1/currency',
      'markets/1/language',
    ]);
  });
});

describe('validateCommission', () => {
  it.each([0, 1, 1_500, 10_000])('%i bp is fine', (bp) => {
    expect(() => validateCommission(bp)).not.toThrow();
  });

  it.each([-1, 10_001, 1.5, Number.NaN, Number.POSITIVE_INFINITY])(
    '%d bp is refused on commissionBp',
    (bp) => {
      const error = coreErrorOf(() => validateCommission(bp));
      expect(error.fields).toEqual([
        { field: 'commissionBp', message: 'an integer from 0 to 10000 basis points' },
      ]);
    },
  );
});

describe('marketFor / requireMarket', () => {
  const partner: Partner = {
    id: 'ptn_1',
    code: 'shop',
    name: 'Shop',
    markets: [se, de],
    counterpartHandle: '66006782-1921-4AE9-9E21-698BA45C99C9',
    createdAt: new Date('2025-01-01T00:00:00Z'),
  };

  it('finds a market by country, whatever its case', () => {
    expect(marketFor(partner, 'DE')).toBe(de);
    expect(marketFor(partner, 'se')).toBe(se);
    expect(marketFor(partner, 'FR')).toBeUndefined();
    expect(requireMarket(partner, 'de')).toBe(de);
  });

  it('refuses a country the partner does not sell in, on the field asked for', () => {
    const error = coreErrorOf(() => requireMarket(partner, 'FR'));
    expect(error.fields).toEqual([{ field: 'market', message: "not one of the partner's markets (SE, DE)" }]);
    expect(fieldsOf(() => requireMarket(partner, 'FR', 'country'))).toEqual(['country']);
  });
});
