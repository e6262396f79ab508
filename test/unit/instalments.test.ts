import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type InstalmentPlan, type Product, validateProduct } from '../../src/core/catalog/product.js';
import { instalmentTaxLines, planInstalments, quotePlans } from '../../src/core/instalments/schedule.js';
import type { Premium } from '../../src/core/pricing/premium.js';
import { DEMO_PRODUCTS } from '../../src/demo/catalog.js';
import { fieldsOf } from './fixtures.js';

const monthly: InstalmentPlan = { name: 'monthly', label: 'Monthly', periodMonths: 1 };
const quarterly: InstalmentPlan = { name: 'quarterly', label: 'Quarterly', periodMonths: 3 };
const premium = (net: number, tax: number): Premium => ({
  currency: 'GBP',
  net,
  tax,
  total: net + tax,
  taxes: [{ name: 'IPT', rateBp: 1200, amount: tax }],
});
const START = new Date('2026-01-31T09:30:00.000Z');
const protection = (): Product =>
  structuredClone(DEMO_PRODUCTS.find((p) => p.code === 'product-protection')!);

describe('planInstalments', () => {
  it('splits net and tax in equal shares, the remainder on the first instalment', () => {
    // 4990 total = 4455 net + 535 tax over 12 months.
    const plan = planInstalments(premium(4455, 535), monthly, START, 12);
    expect(plan).toHaveLength(12);
    expect(plan.map((i) => i.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(plan[0]).toMatchObject({ net: 4455 - 371 * 11, tax: 535 - 44 * 11 });
    expect(plan[0]!.amount).toBe(374 + 51);
    for (const i of plan.slice(1)) expect(i).toMatchObject({ net: 371, tax: 44, amount: 415 });
    expect(plan.reduce((s, i) => s + i.amount, 0)).toBe(4990);
  });

  it('an even split has no remainder', () => {
    const plan = planInstalments(premium(1000, 200), quarterly, START, 12);
    expect(plan.map((i) => [i.amount, i.net, i.tax])).toEqual([
      [300, 250, 50],
      [300, 250, 50],
      [300, 250, 50],
      [300, 250, 50],
    ]);
  });

  it('periods run in calendar months from the start of cover, without drifting at a month end', () => {
    const plan = planInstalments(premium(1000, 200), monthly, START, 12);
    expect(plan[0]!.periodStart).toEqual(START);
    expect(plan[0]!.periodEnd.toISOString()).toBe('2026-02-28T09:30:00.000Z');
    expect(plan[1]!.periodStart.toISOString()).toBe('2026-02-28T09:30:00.000Z');
    expect(plan[2]!.periodStart.toISOString()).toBe('2026-03-31T09:30:00.000Z');
    expect(plan[11]!.periodEnd.toISOString()).toBe('2027-01-31T09:30:00.000Z');
    for (let n = 1; n < plan.length; n += 1) expect(plan[n]!.periodStart).toEqual(plan[n - 1]!.periodEnd);
    const q = planInstalments(premium(1000, 200), quarterly, START, 24);
    expect(q).toHaveLength(8);
    expect(q.map((i) => i.periodStart.toISOString().slice(0, 10))).toEqual([
      '2026-01-31',
      '2026-04-30',
      '2026-07-31',
      '2026-10-31',
      '2027-01-31',
      '2027-04-30',
      '2027-07-31',
      '2027-10-31',
    ]);
  });

  it('refuses a plan that does not divide the term', () => {
    expect(() => planInstalments(premium(1000, 200), quarterly, START, 10)).toThrow(RangeError);
  });

  it('always adds up to the premium exactly, with no negative share', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 0, max: 2_000_000 }),
        fc.constantFrom(1, 2, 3, 4, 6, 12),
        fc.constantFrom(12, 24, 36, 48, 60, 120),
        (net, tax, period, term) => {
          const plan = planInstalments(
            premium(net, tax),
            { name: 'p', label: 'P', periodMonths: period },
            START,
            term,
          );
          expect(plan).toHaveLength(term / period);
          expect(plan.reduce((s, i) => s + i.amount, 0)).toBe(net + tax);
          expect(plan.reduce((s, i) => s + i.net, 0)).toBe(net);
          expect(plan.reduce((s, i) => s + i.tax, 0)).toBe(tax);
          for (const i of plan) {
            expect(i.amount).toBe(i.net + i.tax);
            expect(i.net).toBeGreaterThanOrEqual(0);
            expect(i.tax).toBeGreaterThanOrEqual(0);
            // Every instalment after the first is the same.
            if (i.number > 1) expect(i.amount).toBe(plan.at(-1)!.amount);
          }
          expect(plan[0]!.amount - plan.at(-1)!.amount).toBeLessThan(2 * plan.length);
          expect(plan[0]!.amount).toBeGreaterThanOrEqual(plan.at(-1)!.amount);
        },
      ),
    );
  });
});

describe('quotePlans', () => {
  it('lists the plans that fit the term, with the first and the regular instalment', () => {
    expect(quotePlans(protection(), premium(4455, 535), 12)).toEqual([
      {
        name: 'monthly',
        label: 'Monthly',
        count: 12,
        amount: 4990,
        firstInstalmentAmount: 425,
        instalmentAmount: 415,
      },
      {
        name: 'quarterly',
        label: 'Quarterly',
        count: 4,
        amount: 4990,
        firstInstalmentAmount: 1116 + 136,
        instalmentAmount: 1113 + 133,
      },
    ]);
  });

  it('leaves out plans that do not divide the term, and products without plans offer none', () => {
    const product = { ...protection(), instalmentPlans: [monthly, { ...quarterly, periodMonths: 5 }] };
    expect(quotePlans(product, premium(1000, 0), 12).map((p) => p.name)).toEqual(['monthly']);
    expect(quotePlans({ ...protection(), instalmentPlans: undefined }, premium(1000, 0), 12)).toEqual([]);
  });

  it('a one-period plan is one instalment of everything', () => {
    const yearly = { name: 'yearly', label: 'Yearly', periodMonths: 12 };
    expect(quotePlans({ ...protection(), instalmentPlans: [yearly] }, premium(900, 100), 12)).toEqual(
      [{ ...yearly, count: 1, amount: 1000, firstInstalmentAmount: 1000, instalmentAmount: 1000 }].map(
        ({ periodMonths: _, ...rest }) => rest,
      ),
    );
  });
});

describe('validateProduct: instalment plans', () => {
  it('accepts the demo product-protection plans', () => {
    const p = protection();
    expect(p.instalmentPlans?.map((x) => x.name)).toEqual(['monthly', 'quarterly']);
    expect(p.instalmentsLapseAfterDays).toBe(14);
    expect(() => validateProduct(p)).not.toThrow();
  });

  it('a plan whose period does not divide every term is refused', () => {
    // product-protection runs 12, 24 and 36 months: 5 divides none, 24 divides 24 only.
    const p = { ...protection(), instalmentPlans: [monthly, { ...quarterly, periodMonths: 24 }] };
    expect(fieldsOf(() => validateProduct(p))).toEqual([
      'instalmentPlans/1/periodMonths',
      'instalmentPlans/1/periodMonths',
    ]);
  });

  it('plan names are unique, periods whole, and the grace a whole number of days', () => {
    const p = {
      ...protection(),
      instalmentPlans: [monthly, { ...monthly, label: 'Again' }, { ...quarterly, periodMonths: 0 }],
      instalmentsLapseAfterDays: -1,
    };
    expect(fieldsOf(() => validateProduct(p))).toEqual([
      'instalmentPlans/1/name',
      'instalmentPlans/2/periodMonths',
      'instalmentsLapseAfterDays',
    ]);
  });
});

describe('instalment tax lines', () => {
  const lines = [
    { name: 'IPT', rateBp: 1_200, amount: 535 },
    { name: 'Admin fee', rateBp: 0, amount: 100 },
  ];

  it('shares an instalment tax by the lines weights, the remainder on the last, adding up exactly', () => {
    // 53 × 535 / 635 = 44.65 → 45; the last line takes 53 − 45.
    expect(instalmentTaxLines(lines, 53).map((l) => [l.name, l.amount])).toEqual([
      ['IPT', 45],
      ['Admin fee', 8],
    ]);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), (tax) => {
        const split = instalmentTaxLines(lines, tax);
        return split.reduce((s, l) => s + l.amount, 0) === tax && split.every((l) => l.amount >= 0);
      }),
    );
  });
});
