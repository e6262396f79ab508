import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Product } from '../../src/core/catalog/product.js';
import { DAY_MS } from '../../src/core/clock.js';
import { coolingOffEnd, quoteRefund } from '../../src/core/policies/refund.js';
import { policy, premium, product } from './fixtures.js';

const t = (iso: string) => new Date(iso);
const cancellation = (c: Partial<Product['cancellation']>): Product =>
  product({
    cancellation: { coolingOffDays: 14, afterCoolingOff: 'pro_rata', afterPaidClaim: 'none', ...c },
  });

/** 14 days of cooling-off, then pro rata; nothing after a paid claim; half-even. */
const standard = cancellation({});
/** Cover 2025-01-01 to 2026-01-01 (365 days), bound at the start, 120.00 SEK. */
const active = policy();

describe('quoteRefund: before cover starts', () => {
  it('start in the future: everything back, even after the cooling-off window', () => {
    const p = policy({
      boundAt: t('2025-01-01T00:00:00Z'),
      coverageStart: t('2025-02-01T00:00:00Z'),
      coverageEnd: t('2026-02-01T00:00:00Z'),
    });
    const q = quoteRefund(p, standard, t('2025-01-20T00:00:00Z'));
    expect(q.refund).toEqual({ amount: 12_000, currency: 'SEK' });
    expect(q.rule).toBe('not_started');
    expect(q.totalDays).toBe(365);
    expect(q.remainingDays).toBe(365);
    expect(q.coolingOffEndsAt).toEqual(t('2025-01-15T00:00:00Z'));
  });

  it('one ms before the start is still not started', () => {
    const q = quoteRefund(active, cancellation({ afterCoolingOff: 'none' }), t('2024-12-31T23:59:59.999Z'));
    expect(q).toMatchObject({ rule: 'not_started', refund: { amount: 12_000 } });
  });

  it('no start yet (waiting for fulfilment): everything back', () => {
    const p = policy({ coverStart: 'at_fulfilment', coverageStart: null, coverageEnd: null });
    const q = quoteRefund(p, standard, t('2025-06-01T00:00:00Z'));
    expect(q).toEqual({
      refund: { amount: 12_000, currency: 'SEK' },
      rule: 'not_started',
      coolingOffEndsAt: t('2025-01-15T00:00:00Z'),
      remainingDays: 0,
      totalDays: 0,
    });
  });

  it('not bound: no cooling-off end', () => {
    const p = policy({ boundAt: null, coverageStart: null, coverageEnd: null, status: 'quoted' });
    const q = quoteRefund(p, standard, t('2025-06-01T00:00:00Z'));
    expect(q.coolingOffEndsAt).toBeNull();
    expect(q.rule).toBe('not_started');
    expect(coolingOffEnd(p, standard)).toBeNull();
  });
});

describe('quoteRefund: cooling-off', () => {
  it('ends coolingOffDays after binding', () => {
    expect(coolingOffEnd(active, standard)).toEqual(t('2025-01-15T00:00:00Z'));
    expect(coolingOffEnd(active, cancellation({ coolingOffDays: 30 }))).toEqual(t('2025-01-31T00:00:00Z'));
  });

  it.each([
    '2025-01-01T00:00:00.000Z', // at binding
    '2025-01-06T00:00:00.000Z',
    '2025-01-14T23:59:59.999Z',
    '2025-01-15T00:00:00.000Z', // the boundary instant itself
  ])('cancelled at %s: everything back', (iso) => {
    const q = quoteRefund(active, standard, t(iso));
    expect(q.refund).toEqual({ amount: 12_000, currency: 'SEK' });
    expect(q.rule).toBe('cooling_off');
  });

  it('everything back in the window even for a product that refunds nothing afterwards', () => {
    const q = quoteRefund(active, cancellation({ afterCoolingOff: 'none' }), t('2025-01-10T00:00:00Z'));
    expect(q).toMatchObject({ rule: 'cooling_off', refund: { amount: 12_000 } });
  });

  it('one ms after the window: pro rata by whole remaining days', () => {
    // 365 - 14 days left, less 1 ms: 350 whole days; 12000 * 350 / 365 = 11506.85 -> 11507
    const q = quoteRefund(active, standard, t('2025-01-15T00:00:00.001Z'));
    expect(q).toMatchObject({ rule: 'pro_rata', remainingDays: 350, totalDays: 365 });
    expect(q.refund).toEqual({ amount: 11_507, currency: 'SEK' });
  });

  it('counts the window from binding, not from the start of cover', () => {
    // bound 2025-01-01, cover 2025-01-10 to 2026-01-10: window ends 2025-01-15 although cover began on the 10th
    const p = policy({ coverageStart: t('2025-01-10T00:00:00Z'), coverageEnd: t('2026-01-10T00:00:00Z') });
    expect(quoteRefund(p, standard, t('2025-01-12T00:00:00Z')).rule).toBe('cooling_off');
    // 2025-01-20 to 2026-01-10 is 355 days: 12000 * 355 / 365 = 11671.23 -> 11671
    expect(quoteRefund(p, standard, t('2025-01-20T00:00:00Z'))).toMatchObject({
      rule: 'pro_rata',
      remainingDays: 355,
      refund: { amount: 11_671 },
    });
  });

  it('zero cooling-off days: the window is the binding instant only', () => {
    const none = cancellation({ coolingOffDays: 0 });
    expect(quoteRefund(active, none, t('2025-01-01T00:00:00.000Z')).rule).toBe('cooling_off');
    // 365 days less 1 ms: 364 whole days; 12000 * 364 / 365 = 11967.12 -> 11967
    expect(quoteRefund(active, none, t('2025-01-01T00:00:00.001Z'))).toMatchObject({
      rule: 'pro_rata',
      remainingDays: 364,
      refund: { amount: 11_967 },
    });
  });
});

describe('quoteRefund: after cooling-off', () => {
  it('100 days used of 365: 265/365 of the premium, half-even', () => {
    // 2025-01-01 + 100 days = 2025-04-11
    const q = quoteRefund(active, standard, t('2025-04-11T00:00:00Z'));
    // 12000 * 265 / 365 = 8712.33 -> 8712
    expect(q).toEqual({
      refund: { amount: 8_712, currency: 'SEK' },
      rule: 'pro_rata',
      coolingOffEndsAt: t('2025-01-15T00:00:00Z'),
      remainingDays: 265,
      totalDays: 365,
    });
    // 39.90: 3990 * 265 / 365 = 2896.85 -> 2897
    const small = policy({ premium: premium(3_990) });
    expect(quoteRefund(small, standard, t('2025-04-11T00:00:00Z')).refund.amount).toBe(2_897);
  });

  it('a part-used day does not count as remaining', () => {
    // 2025-04-11 12:00: 264.5 days left -> 264; 12000 * 264 / 365 = 8679.45 -> 8679
    const q = quoteRefund(active, standard, t('2025-04-11T12:00:00Z'));
    expect(q).toMatchObject({ remainingDays: 264, refund: { amount: 8_679 } });
  });

  it('rounds a tie by the product mode', () => {
    // leap year: 2024-01-01 to 2025-01-01 is 366 days; at 2024-07-02, 183 are left.
    const leap = (total: number) =>
      policy({
        premium: premium(total),
        boundAt: t('2024-01-01T00:00:00Z'),
        coverageStart: t('2024-01-01T00:00:00Z'),
        coverageEnd: t('2025-01-01T00:00:00Z'),
      });
    const at = t('2024-07-02T00:00:00Z');
    const even = cancellation({});
    const up = { ...cancellation({}), rounding: 'half_up' as const };
    // 5 * 183 / 366 = 2.5
    expect(quoteRefund(leap(5), even, at)).toMatchObject({ totalDays: 366, remainingDays: 183 });
    expect(quoteRefund(leap(5), even, at).refund.amount).toBe(2);
    expect(quoteRefund(leap(5), up, at).refund.amount).toBe(3);
    // 7 * 183 / 366 = 3.5
    expect(quoteRefund(leap(7), even, at).refund.amount).toBe(4);
    expect(quoteRefund(leap(7), up, at).refund.amount).toBe(4);
  });

  it("afterCoolingOff 'none': nothing back", () => {
    const q = quoteRefund(active, cancellation({ afterCoolingOff: 'none' }), t('2025-04-11T00:00:00Z'));
    expect(q.refund).toEqual({ amount: 0, currency: 'SEK' });
    expect(q.rule).toBe('no_refund');
  });

  it.each([
    '2026-01-01T00:00:00Z', // the end itself
    '2026-03-01T00:00:00Z',
  ])('at or after the end of cover (%s): 0 remaining days, nothing back', (iso) => {
    const q = quoteRefund(active, standard, t(iso));
    expect(q).toMatchObject({ rule: 'pro_rata', remainingDays: 0, totalDays: 365, refund: { amount: 0 } });
  });

  it('the last whole day', () => {
    // 2025-12-31 00:00: one day left; 12000 / 365 = 32.88 -> 33
    expect(quoteRefund(active, standard, t('2025-12-31T00:00:00Z'))).toMatchObject({
      remainingDays: 1,
      refund: { amount: 33 },
    });
    // one ms later: no whole day left
    expect(quoteRefund(active, standard, t('2025-12-31T00:00:00.001Z'))).toMatchObject({
      remainingDays: 0,
      refund: { amount: 0 },
    });
  });

  it('keeps the premium currency', () => {
    const p = policy({ premium: premium(12_000, 'EUR') });
    expect(quoteRefund(p, standard, t('2025-04-11T00:00:00Z')).refund).toEqual({
      amount: 8_712,
      currency: 'EUR',
    });
  });
});

describe('quoteRefund: after a paid claim', () => {
  it("afterPaidClaim 'none': nothing back, even inside cooling-off", () => {
    const p = policy({ claimPaid: true });
    for (const iso of ['2025-01-02T00:00:00Z', '2025-01-15T00:00:00Z', '2025-04-11T00:00:00Z']) {
      const q = quoteRefund(p, standard, t(iso));
      expect(q.refund).toEqual({ amount: 0, currency: 'SEK' });
      expect(q.rule).toBe('after_paid_claim');
    }
  });

  it("afterPaidClaim 'pro_rata': the unused days, even inside cooling-off", () => {
    const p = policy({ claimPaid: true });
    const product = cancellation({ afterPaidClaim: 'pro_rata' });
    // 2025-01-02: 364 days left; 12000 * 364 / 365 = 11967.12 -> 11967
    expect(quoteRefund(p, product, t('2025-01-02T00:00:00Z'))).toMatchObject({
      rule: 'pro_rata',
      remainingDays: 364,
      refund: { amount: 11_967 },
    });
    // 2025-04-11: 265 days left -> 8712
    expect(quoteRefund(p, product, t('2025-04-11T00:00:00Z'))).toMatchObject({
      rule: 'pro_rata',
      refund: { amount: 8_712 },
    });
  });

  it("afterPaidClaim 'pro_rata' even when the product refunds nothing after cooling-off", () => {
    const p = policy({ claimPaid: true });
    const product = cancellation({ afterPaidClaim: 'pro_rata', afterCoolingOff: 'none' });
    expect(quoteRefund(p, product, t('2025-04-11T00:00:00Z'))).toMatchObject({
      rule: 'pro_rata',
      refund: { amount: 8_712 },
    });
  });
});

describe('quoteRefund: properties', () => {
  const scenario = fc.record({
    total: fc.nat(10_000_000),
    coverDays: fc.integer({ min: 1, max: 1_100 }),
    coolingOff: fc.integer({ min: 0, max: 30 }),
    boundBeforeStartMs: fc.integer({ min: 0, max: 10 * DAY_MS }),
    afterCoolingOff: fc.constantFrom('pro_rata' as const, 'none' as const),
    afterPaidClaim: fc.constantFrom('pro_rata' as const, 'none' as const),
    claimPaid: fc.boolean(),
    rounding: fc.constantFrom('half_even' as const, 'half_up' as const),
  });

  function build(s: Scenario) {
    const start = t('2025-01-01T00:00:00Z');
    const p = policy({
      premium: premium(s.total),
      boundAt: new Date(start.getTime() - s.boundBeforeStartMs),
      coverageStart: start,
      coverageEnd: new Date(start.getTime() + s.coverDays * DAY_MS),
      claimPaid: s.claimPaid,
    });
    const prod: Product = {
      ...product({ rounding: s.rounding }),
      cancellation: {
        coolingOffDays: s.coolingOff,
        afterCoolingOff: s.afterCoolingOff,
        afterPaidClaim: s.afterPaidClaim,
      },
    };
    return { p, prod, start };
  }

  it('the refund is always between 0 and the total', () => {
    fc.assert(
      fc.property(scenario, fc.integer({ min: -30 * DAY_MS, max: 1_200 * DAY_MS }), (s, offset) => {
        const { p, prod, start } = build(s);
        const q = quoteRefund(p, prod, new Date(start.getTime() + offset));
        expect(Number.isInteger(q.refund.amount)).toBe(true);
        expect(q.refund.amount).toBeGreaterThanOrEqual(0);
        expect(q.refund.amount).toBeLessThanOrEqual(s.total);
        expect(q.remainingDays).toBeGreaterThanOrEqual(0);
        expect(q.remainingDays).toBeLessThanOrEqual(q.totalDays);
        expect(q.totalDays).toBe(s.coverDays);
      }),
    );
  });

  it('inside cooling-off after the start, with no paid claim, everything comes back', () => {
    fc.assert(
      fc.property(scenario, fc.double({ min: 0, max: 1, noNaN: true }), (s, share) => {
        const { p, prod, start } = build({ ...s, claimPaid: false });
        const end = coolingOffEnd(p, prod)!.getTime();
        if (end < start.getTime()) return;
        const at = new Date(start.getTime() + Math.floor(share * (end - start.getTime())));
        const q = quoteRefund(p, prod, at);
        expect(q.rule).toBe('cooling_off');
        expect(q.refund.amount).toBe(s.total);
      }),
    );
  });

  it('after cooling-off, the refund never grows as the cancellation moves later', () => {
    fc.assert(
      fc.property(
        scenario,
        fc.integer({ min: 1, max: 1_200 * DAY_MS }),
        fc.integer({ min: 0, max: 400 * DAY_MS }),
        (s, afterWindow, later) => {
          const { p, prod, start } = build(s);
          const windowEnd = Math.max(coolingOffEnd(p, prod)!.getTime(), start.getTime());
          const first = quoteRefund(p, prod, new Date(windowEnd + afterWindow));
          const second = quoteRefund(p, prod, new Date(windowEnd + afterWindow + later));
          expect(second.refund.amount).toBeLessThanOrEqual(first.refund.amount);
          expect(second.remainingDays).toBeLessThanOrEqual(first.remainingDays);
        },
      ),
    );
  });
});

interface Scenario {
  total: number;
  coverDays: number;
  coolingOff: number;
  boundBeforeStartMs: number;
  afterCoolingOff: 'pro_rata' | 'none';
  afterPaidClaim: 'pro_rata' | 'none';
  claimPaid: boolean;
  rounding: 'half_even' | 'half_up';
}
