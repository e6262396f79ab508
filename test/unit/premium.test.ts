import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RateTable, TaxRule } from '../../src/core/catalog/product.js';
import { type Premium, pricePremium, tablePremium, timesQuantity } from '../../src/core/pricing/premium.js';
import { DEMO_PRODUCTS } from '../../src/demo/catalog.js';
import { flat, pricedProduct } from './fixtures.js';

const bands: RateTable = {
  type: 'bands',
  bands: [
    { upTo: 1_000, premium: 100 },
    { upTo: 5_000, premium: 300 },
    { upTo: 10_000, premium: 700 },
  ],
};

describe('tablePremium: bands', () => {
  it.each([
    [0, 100],
    [1, 100],
    [999, 100],
    [1_000, 100], // exactly at upTo: still this band
    [1_001, 300], // one above: next band
    [5_000, 300],
    [5_001, 700],
    [10_000, 700],
  ])('item price %i -> %i', (price, expected) => {
    expect(tablePremium(bands, price, 'half_even')).toBe(expected);
    expect(tablePremium(bands, price, 'half_up')).toBe(expected);
  });

  it('above the last band there is no price', () => {
    expect(tablePremium(bands, 10_001, 'half_even')).toBeUndefined();
    expect(tablePremium(bands, 99_999_999, 'half_up')).toBeUndefined();
  });
});

describe('tablePremium: percentage', () => {
  // 8 % with a floor of 15.00 and a cap of 300.00 (SocGen CIFRWE).
  const pct: RateTable = { type: 'percentage', rateBp: 800, min: 1_500, max: 30_000 };

  it.each([
    [100_000, 8_000], // 8 % of 1000.00
    [50_000, 4_000],
    [18_750, 1_500], // exactly the floor
    [18_749, 1_500], // 1499.92 -> 1500 by rounding, then floor
    [10_000, 1_500], // 800 clamped up to the floor
    [0, 1_500],
    [375_000, 30_000], // exactly the cap
    [375_013, 30_000], // 30001.04 -> 30001, then clamped down
    [500_000, 30_000], // 40000 clamped down to the cap
  ])('item price %i -> %i', (price, expected) => {
    expect(tablePremium(pct, price, 'half_even')).toBe(expected);
  });

  const open: RateTable = { type: 'percentage', rateBp: 1_000, min: 0, max: 1_000_000 };
  it.each([
    // [price, half_even, half_up]: 10 % of the price
    [12_345, 1_234, 1_235], // 1234.5: tie
    [12_355, 1_236, 1_236], // 1235.5: tie, even neighbour is up
    [12_346, 1_235, 1_235], // 1234.6
    [12_344, 1_234, 1_234], // 1234.4
    [5, 0, 1], // 0.5
  ])('rounds once: 10 %% of %i -> half_even %i, half_up %i', (price, even, up) => {
    expect(tablePremium(open, price, 'half_even')).toBe(even);
    expect(tablePremium(open, price, 'half_up')).toBe(up);
  });

  it('rounds before clamping to the floor', () => {
    // 10 % of 12345 = 1234.5; half-even gives 1234, below a floor of 1235.
    const floored: RateTable = { type: 'percentage', rateBp: 1_000, min: 1_235, max: 1_000_000 };
    expect(tablePremium(floored, 12_345, 'half_even')).toBe(1_235);
    expect(tablePremium(floored, 12_345, 'half_up')).toBe(1_235);
  });
});

describe('pricePremium', () => {
  const vat25: TaxRule = { name: 'Regular VAT', rateBp: 2_500, mode: 'included' };

  // A flat table price and its taxes: the whole premium, every tax line rounded once.
  it.each<{ name: string; gross: number; taxes: TaxRule[]; expected: Omit<Premium, 'currency'> }>([
    {
      name: 'carves an included 25 % tax out of the table price: 39.90 gross -> 7.98 tax, 31.92 net',
      gross: 3_990,
      taxes: [vat25],
      expected: {
        net: 3_192,
        tax: 798,
        total: 3_990,
        taxes: [{ name: 'Regular VAT', rateBp: 2_500, amount: 798 }],
      },
    },
    {
      name: 'charges an added tax on top of the table price',
      gross: 10_000,
      taxes: [{ name: 'IPT', rateBp: 1_200, mode: 'added' }],
      expected: {
        net: 10_000,
        tax: 1_200,
        total: 11_200,
        taxes: [{ name: 'IPT', rateBp: 1_200, amount: 1_200 }],
      },
    },
    {
      // 25 % + 10 % included: 10000*2500/13500 = 1851.85 -> 1852, 10000*1000/13500 = 740.74 -> 741
      name: 'carves two included taxes out together, each rounded once',
      gross: 10_000,
      taxes: [
        { name: 'A', rateBp: 2_500, mode: 'included' },
        { name: 'B', rateBp: 1_000, mode: 'included' },
      ],
      expected: {
        net: 7_407,
        tax: 2_593,
        total: 10_000,
        taxes: [
          { name: 'A', rateBp: 2_500, amount: 1_852 },
          { name: 'B', rateBp: 1_000, amount: 741 },
        ],
      },
    },
    {
      // 25 % included: 2000, net 8000; 10 % added on 8000: 800; total 10800. Included lines come first.
      name: 'mixes included and added taxes: added is charged on the net left after the included one',
      gross: 10_000,
      taxes: [
        { name: 'Added', rateBp: 1_000, mode: 'added' },
        { name: 'VAT', rateBp: 2_500, mode: 'included' },
      ],
      expected: {
        net: 8_000,
        tax: 2_800,
        total: 10_800,
        taxes: [
          { name: 'VAT', rateBp: 2_500, amount: 2_000 },
          { name: 'Added', rateBp: 1_000, amount: 800 },
        ],
      },
    },
    {
      name: 'without taxes: net = total = table price',
      gross: 4_990,
      taxes: [],
      expected: { net: 4_990, tax: 0, total: 4_990, taxes: [] },
    },
  ])('$name', ({ gross, taxes, expected }) => {
    const { product, market } = pricedProduct(flat(gross), taxes);
    expect(pricePremium(product, market, 12, 129_900)).toEqual({ currency: 'SEK', ...expected });
  });

  it("prices the Sitoo guide's 1299.00 phone with the demo catalog (39.90 and 59.90, VAT 7.98 and 11.98)", () => {
    const tech = DEMO_PRODUCTS.find((p) => p.code === 'tech-insurance')!;
    const us = tech.markets.find((m) => m.country === 'US')!;
    const twelve = pricePremium(tech, us, 12, 129_900)!;
    expect(twelve).toMatchObject({ currency: 'USD', net: 3_192, tax: 798, total: 3_990 });
    const twentyFour = pricePremium(tech, us, 24, 129_900)!;
    // 5990 * 2500 / 12500 = 1198 exactly
    expect(twentyFour).toMatchObject({ currency: 'USD', net: 4_792, tax: 1_198, total: 5_990 });
  });

  it('mixes included and added taxes with rounding', () => {
    // 3990 gross, 25 % included: 798, net 3192; 5 % added: 159.6 -> 160; total 4150
    const { product, market } = pricedProduct(flat(3_990), [
      vat25,
      { name: 'Fee', rateBp: 500, mode: 'added' },
    ]);
    expect(pricePremium(product, market, 12, 5_000)).toMatchObject({ net: 3_192, tax: 958, total: 4_150 });
  });

  it('an added tax on a tie: half_even and half_up differ', () => {
    // 25 % of 1050 = 262.5
    const added: TaxRule[] = [{ name: 'Added', rateBp: 2_500, mode: 'added' }];
    const even = pricedProduct(flat(1_050), added, 'half_even');
    const up = pricedProduct(flat(1_050), added, 'half_up');
    expect(pricePremium(even.product, even.market, 12, 1)).toMatchObject({
      net: 1_050,
      tax: 262,
      total: 1_312,
    });
    expect(pricePremium(up.product, up.market, 12, 1)).toMatchObject({ net: 1_050, tax: 263, total: 1_313 });
    // 25 % of 1070 = 267.5: half-even now goes up too
    expect(pricePremium(even.product, { ...even.market, rates: { '12': flat(1_070) } }, 12, 1)).toMatchObject(
      {
        tax: 268,
        total: 1_338,
      },
    );
  });

  it('an included tax on a tie: half_even and half_up differ, total stays the table price', () => {
    // 100 % included on 1001: 1001*10000/20000 = 500.5
    const included: TaxRule[] = [{ name: 'Full', rateBp: 10_000, mode: 'included' }];
    const even = pricedProduct(flat(1_001), included, 'half_even');
    const up = pricedProduct(flat(1_001), included, 'half_up');
    expect(pricePremium(even.product, even.market, 12, 1)).toMatchObject({
      net: 501,
      tax: 500,
      total: 1_001,
    });
    expect(pricePremium(up.product, up.market, 12, 1)).toMatchObject({ net: 500, tax: 501, total: 1_001 });
  });

  it('prices a percentage table and rounds the share by the product mode', () => {
    // 10 % of 12345 = 1234.5, then 25 % included: half-even 1234 -> 246.8 -> 247; half-up 1235 -> 247
    const table: RateTable = { type: 'percentage', rateBp: 1_000, min: 0, max: 1_000_000 };
    const even = pricedProduct(table, [vat25], 'half_even');
    const up = pricedProduct(table, [vat25], 'half_up');
    expect(pricePremium(even.product, even.market, 12, 12_345)).toMatchObject({
      net: 987,
      tax: 247,
      total: 1_234,
    });
    expect(pricePremium(up.product, up.market, 12, 12_345)).toMatchObject({
      net: 988,
      tax: 247,
      total: 1_235,
    });
  });

  it('has no price for a term without a rate table or an item above the last band', () => {
    const { product, market } = pricedProduct(bands, [vat25]);
    expect(pricePremium(product, market, 24, 1_000)).toBeUndefined();
    expect(pricePremium(product, market, 12, 10_001)).toBeUndefined();
    expect(pricePremium(product, market, 12, 10_000)).toMatchObject({ total: 700, tax: 140, net: 560 });
  });
});

describe('timesQuantity', () => {
  const unit: Premium = {
    currency: 'SEK',
    net: 3_192,
    tax: 798,
    total: 3_990,
    taxes: [{ name: 'Regular VAT', rateBp: 2_500, amount: 798 }],
  };

  it('multiplies every figure', () => {
    expect(timesQuantity(unit, 3)).toEqual({
      currency: 'SEK',
      net: 9_576,
      tax: 2_394,
      total: 11_970,
      taxes: [{ name: 'Regular VAT', rateBp: 2_500, amount: 2_394 }],
    });
    expect(timesQuantity(unit, 1)).toEqual(unit);
  });

  it('does not change the unit premium', () => {
    const copy = structuredClone(unit);
    timesQuantity(unit, 5);
    expect(unit).toEqual(copy);
  });

  it('does not round again: three units of a tie are three times the unit, not the price of the sum', () => {
    // One unit: 1001 with 100 % included, half-even: tax 500, net 501.
    // Pricing 3003 at once would give 1501.5 -> 1502 tax; timesQuantity keeps 3 x 500 = 1500.
    const included: TaxRule[] = [{ name: 'Full', rateBp: 10_000, mode: 'included' }];
    const { product, market } = pricedProduct(flat(1_001), included, 'half_even');
    const one = pricePremium(product, market, 12, 1)!;
    const three = timesQuantity(one, 3);
    expect(three).toMatchObject({ net: 1_503, tax: 1_500, total: 3_003 });
    expect(three.taxes[0]!.amount).toBe(1_500);
    const summed = pricePremium(product, { ...market, rates: { '12': flat(3_003) } }, 12, 1)!;
    expect(summed.tax).toBe(1_502);
  });
});

describe('pricing properties', () => {
  const table = fc.oneof(
    fc
      .array(fc.record({ step: fc.integer({ min: 1, max: 1_000_000 }), premium: fc.nat(1_000_000) }), {
        minLength: 1,
        maxLength: 5,
      })
      .map((steps): RateTable => {
        let upTo = 0;
        return {
          type: 'bands',
          bands: steps.map((s) => {
            upTo += s.step;
            return { upTo: upTo, premium: s.premium };
          }),
        };
      }),
    fc
      .record({ rateBp: fc.nat(10_000), min: fc.nat(100_000), span: fc.nat(10_000_000) })
      .map((r): RateTable => ({ type: 'percentage', rateBp: r.rateBp, min: r.min, max: r.min + r.span })),
  );
  const tax = (mode: fc.Arbitrary<'included' | 'added'>) =>
    fc.record({ name: fc.constantFrom('VAT', 'IPT', 'Fee'), rateBp: fc.nat(10_000), mode });
  const rounding = fc.constantFrom('half_even' as const, 'half_up' as const);
  const price = fc.nat(6_000_000);

  it('net + tax === total, tax is the sum of the lines, every tax amount >= 0, each within half a unit', () => {
    fc.assert(
      fc.property(
        table,
        fc.array(tax(fc.constantFrom('included' as const, 'added' as const)), { maxLength: 4 }),
        rounding,
        price,
        (t, taxes, mode, itemPrice) => {
          const { product, market } = pricedProduct(t, taxes, mode);
          const p = pricePremium(product, market, 12, itemPrice);
          const base = tablePremium(t, itemPrice, mode);
          if (base === undefined) {
            expect(p).toBeUndefined();
            return;
          }
          expect(p).toBeDefined();
          const premium = p!;
          expect(premium.net + premium.tax).toBe(premium.total);
          expect(premium.taxes.reduce((s, l) => s + l.amount, 0)).toBe(premium.tax);
          expect(premium.taxes).toHaveLength(taxes.length);
          for (const line of premium.taxes) {
            expect(Number.isInteger(line.amount)).toBe(true);
            expect(line.amount).toBeGreaterThanOrEqual(0);
          }
          const includedRate = taxes.filter((x) => x.mode === 'included').reduce((s, x) => s + x.rateBp, 0);
          const includedLines = premium.taxes.slice(0, taxes.filter((x) => x.mode === 'included').length);
          const addedLines = premium.taxes.slice(includedLines.length);
          for (const line of includedLines) {
            // amount ~ base * r / (1 + R), off by at most half a unit
            const d = 10_000 + includedRate;
            expect(Math.abs(2 * (line.amount * d - base * line.rateBp))).toBeLessThanOrEqual(d);
          }
          for (const line of addedLines) {
            expect(Math.abs(2 * (line.amount * 10_000 - premium.net * line.rateBp))).toBeLessThanOrEqual(
              10_000,
            );
          }
        },
      ),
    );
  });

  it('products with only included taxes charge exactly the table price', () => {
    fc.assert(
      fc.property(
        table,
        fc.array(tax(fc.constant('included' as const)), { maxLength: 4 }),
        rounding,
        price,
        (t, taxes, mode, itemPrice) => {
          const { product, market } = pricedProduct(t, taxes, mode);
          const p = pricePremium(product, market, 12, itemPrice);
          const base = tablePremium(t, itemPrice, mode);
          if (base === undefined) return;
          expect(p!.total).toBe(base);
          expect(p!.net).toBe(base - p!.tax);
        },
      ),
    );
  });

  it('products with only added taxes have net === table price', () => {
    fc.assert(
      fc.property(
        table,
        fc.array(tax(fc.constant('added' as const)), { maxLength: 4 }),
        rounding,
        price,
        (t, taxes, mode, itemPrice) => {
          const { product, market } = pricedProduct(t, taxes, mode);
          const p = pricePremium(product, market, 12, itemPrice);
          const base = tablePremium(t, itemPrice, mode);
          if (base === undefined) return;
          expect(p!.net).toBe(base);
          expect(p!.total).toBeGreaterThanOrEqual(base);
        },
      ),
    );
  });

  it('timesQuantity is linear in every figure', () => {
    fc.assert(
      fc.property(
        fc.nat(1_000_000),
        fc.array(fc.nat(100_000), { maxLength: 3 }),
        fc.integer({ min: 0, max: 1_000 }),
        (net, amounts, q) => {
          const tax = amounts.reduce((s, a) => s + a, 0);
          const unit: Premium = {
            currency: 'EUR',
            net,
            tax,
            total: net + tax,
            taxes: amounts.map((amount, i) => ({ name: `T${i}`, rateBp: 100 * i, amount })),
          };
          const n = timesQuantity(unit, q);
          expect(n.net).toBe(net * q);
          expect(n.tax).toBe(tax * q);
          expect(n.total).toBe((net + tax) * q);
          expect(n.net + n.tax).toBe(n.total);
          expect(n.taxes.map((t) => t.amount)).toEqual(amounts.map((a) => a * q));
          expect(n.currency).toBe('EUR');
        },
      ),
    );
  });
});
