import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PolicyHistoryEntry } from '../../src/core/policies/policy.js';
import type { Premium } from '../../src/core/pricing/premium.js';
import { deriveStatement, statementTally } from '../../src/core/statements/derive-statement.js';
import { parseMonth } from '../../src/core/statements/period.js';
import { refundedShare, writtenShare } from '../../src/core/statements/policy-share.js';
import type { StatementEvent } from '../../src/core/statements/statement-event.js';
import { fieldsOf } from './fixtures.js';

/** 499.00 SEK with 25 % VAT included: 99.80 VAT, 399.20 net. */
const sek: Premium = {
  currency: 'SEK',
  net: 39_920,
  tax: 9_980,
  total: 49_900,
  taxes: [{ name: 'Regular VAT', rateBp: 2_500, amount: 9_980 }],
};
/** 100.00 EUR with two taxes: 10.00 and 5.00, 85.00 net. */
const eur: Premium = {
  currency: 'EUR',
  net: 8_500,
  tax: 1_500,
  total: 10_000,
  taxes: [
    { name: 'Levy', rateBp: 588, amount: 500 },
    { name: 'Versicherungsteuer', rateBp: 1_176, amount: 1_000 },
  ],
};

let n = 0;
function ev(
  type: 'bound' | 'cancelled' | 'voided' | 'quoted' | 'activated',
  at: string,
  premium: Premium,
  opts: {
    refund?: number;
    from?: PolicyHistoryEntry['fromStatus'];
    commissionBp?: number;
  } = {},
): StatementEvent {
  n += 1;
  const data =
    opts.refund === undefined ? {} : { refund: { amount: opts.refund, currency: premium.currency } };
  return {
    event: {
      id: `pev_${String(n).padStart(4, '0')}`,
      type,
      fromStatus: opts.from === undefined ? (type === 'bound' ? null : 'active') : opts.from,
      occurredAt: new Date(at),
      data,
    },
    premium,
    commissionBp: opts.commissionBp ?? 1_500,
  };
}

const october = parseMonth('2026-10');
const november = parseMonth('2026-11');
const generatedAt = new Date('2026-12-01T08:00:00Z');
const derive = (events: StatementEvent[], period = october) =>
  deriveStatement({ partnerId: 'ptn_1', mode: 'live', period, generatedAt, events });

describe('parseMonth', () => {
  it('is the UTC month as [start, end)', () => {
    expect(parseMonth('2026-10')).toEqual({
      month: '2026-10',
      start: new Date('2026-10-01T00:00:00.000Z'),
      end: new Date('2026-11-01T00:00:00.000Z'),
    });
    expect(parseMonth('2026-12').end).toEqual(new Date('2027-01-01T00:00:00.000Z'));
    expect(parseMonth('2028-02').end).toEqual(new Date('2028-03-01T00:00:00.000Z'));
  });

  it.each(['2026-13', '2026-00', '2026-1', '26-10', '2026-10-01', '', 'october', '1999-12', ' 2026-10'])(
    '"%s" is refused, naming the field',
    (text) => {
      expect(fieldsOf(() => parseMonth(text))).toEqual(['month']);
      expect(fieldsOf(() => parseMonth(text, 'params:month'))).toEqual(['params:month']);
    },
  );
});

describe('deriveStatement', () => {
  it('bound in October, cancelled in November: premium in October, refund in November', () => {
    const bound = ev('bound', '2026-10-15T10:00:00Z', sek);
    const cancelled = ev('cancelled', '2026-11-20T10:00:00Z', sek, { refund: 24_950 });
    const events = [bound, cancelled];

    // 15 % of 399.20 net = 59.88 commission; 499.00 − 59.88 = 439.12 due.
    expect(derive(events).currencies).toEqual([
      {
        currency: 'SEK',
        policiesWritten: 1,
        premiumsWritten: 49_900,
        refunds: 0,
        net: 49_900,
        taxes: [{ name: 'Regular VAT', written: 9_980, refunded: 0, net: 9_980 }],
        commission: 5_988,
        netDueToInsurer: 43_912,
      },
    ]);
    // Half back: VAT 99.80 × 249.50 / 499.00 = 49.90; net 199.60; commission 15 % = 29.94.
    expect(derive(events, november).currencies).toEqual([
      {
        currency: 'SEK',
        policiesWritten: 0,
        premiumsWritten: 0,
        refunds: 24_950,
        net: -24_950,
        taxes: [{ name: 'Regular VAT', written: 0, refunded: 4_990, net: -4_990 }],
        commission: -2_994,
        netDueToInsurer: -21_956,
      },
    ]);
  });

  it('a full refund inside cooling-off gives back exactly the tax and the commission', () => {
    // Amounts that do not divide evenly: 123.45 total, taxes 20.57 and 1.23, 101.65 net, 12.5 %.
    const odd: Premium = {
      currency: 'SEK',
      net: 10_165,
      tax: 2_180,
      total: 12_345,
      taxes: [
        { name: 'VAT', rateBp: 2_000, amount: 2_057 },
        { name: 'Levy', rateBp: 120, amount: 123 },
      ],
    };
    const statement = derive([
      ev('bound', '2026-10-01T00:00:00Z', odd, { commissionBp: 1_250 }),
      ev('cancelled', '2026-10-10T00:00:00Z', odd, { refund: 12_345, commissionBp: 1_250 }),
    ]);
    expect(statement.currencies).toEqual([
      {
        currency: 'SEK',
        policiesWritten: 1,
        premiumsWritten: 12_345,
        refunds: 12_345,
        net: 0,
        taxes: [
          { name: 'Levy', written: 123, refunded: 123, net: 0 },
          { name: 'VAT', written: 2_057, refunded: 2_057, net: 0 },
        ],
        commission: 0,
        netDueToInsurer: 0,
      },
    ]);
  });

  it('a pro-rata refund splits each tax in proportion, rounded half-even once per policy', () => {
    // 33.25 back of 100.00: Versicherungsteuer 10.00 × 0.3325 = 3.325 → 3.32 (half to even),
    // Levy 5.00 × 0.3325 = 1.6625 → 1.66; net back 33.25 − 4.98 = 28.27; commission 10 % = 2.827 → 2.83.
    const statement = derive(
      [ev('cancelled', '2026-10-20T00:00:00Z', eur, { refund: 3_325, commissionBp: 1_000 })],
      october,
    );
    expect(statement.currencies).toEqual([
      {
        currency: 'EUR',
        policiesWritten: 0,
        premiumsWritten: 0,
        refunds: 3_325,
        net: -3_325,
        taxes: [
          { name: 'Levy', written: 0, refunded: 166, net: -166 },
          { name: 'Versicherungsteuer', written: 0, refunded: 332, net: -332 },
        ],
        commission: -283,
        netDueToInsurer: -3_042,
      },
    ]);
  });

  it('a policy bound unpaid and voided: its refund is 0, yet the written premium comes off in full', () => {
    const statement = derive([
      ev('bound', '2026-10-03T00:00:00Z', sek),
      ev('voided', '2026-10-04T00:00:00Z', sek, { refund: 0, from: 'pending_payment' }),
    ]);
    expect(statement.currencies).toEqual([
      {
        currency: 'SEK',
        policiesWritten: 1,
        premiumsWritten: 49_900,
        refunds: 49_900,
        net: 0,
        taxes: [{ name: 'Regular VAT', written: 9_980, refunded: 9_980, net: 0 }],
        commission: 0,
        netDueToInsurer: 0,
      },
    ]);
  });

  it('a quote voided before binding never counted: no premium, no refund, no currency', () => {
    const statement = derive([
      ev('quoted', '2026-10-03T00:00:00Z', sek, { from: null }),
      ev('voided', '2026-10-04T00:00:00Z', sek, { refund: 0, from: 'quoted' }),
    ]);
    expect(statement.currencies).toEqual([]);
  });

  it('a paid policy voided before cover began gives back what was paid', () => {
    const statement = derive([
      ev('voided', '2026-10-04T00:00:00Z', sek, { refund: 49_900, from: 'scheduled' }),
    ]);
    expect(statement.currencies[0]).toMatchObject({
      refunds: 49_900,
      taxes: [{ name: 'Regular VAT', written: 0, refunded: 9_980, net: -9_980 }],
      commission: -5_988,
    });
  });

  it('two currencies are kept apart, sorted by code', () => {
    const statement = derive([
      ev('bound', '2026-10-01T00:00:00Z', sek),
      ev('bound', '2026-10-02T00:00:00Z', sek),
      ev('bound', '2026-10-03T00:00:00Z', eur, { commissionBp: 2_000 }),
    ]);
    expect(statement.currencies.map((c) => c.currency)).toEqual(['EUR', 'SEK']);
    // EUR: 20 % of 85.00 = 17.00. SEK: two policies, 2 × 59.88.
    expect(statement.currencies[0]).toMatchObject({
      policiesWritten: 1,
      premiumsWritten: 10_000,
      commission: 1_700,
      netDueToInsurer: 8_300,
    });
    expect(statement.currencies[1]).toMatchObject({
      policiesWritten: 2,
      premiumsWritten: 99_800,
      taxes: [{ name: 'Regular VAT', written: 19_960, refunded: 0, net: 19_960 }],
      commission: 11_976,
      netDueToInsurer: 87_824,
    });
  });

  it('commission is at the rate snapshotted on each policy, whatever the partner earns today', () => {
    // Bound at 15 %, then the rate went to 30 %: the October sale and its November refund stay at 15 %.
    const bound = ev('bound', '2026-10-15T00:00:00Z', sek, { commissionBp: 1_500 });
    const later = ev('bound', '2026-11-02T00:00:00Z', sek, { commissionBp: 3_000 });
    const cancelled = ev('cancelled', '2026-11-03T00:00:00Z', sek, {
      refund: 49_900,
      commissionBp: 1_500,
    });
    expect(derive([bound, later, cancelled]).currencies[0]?.commission).toBe(5_988);
    // November: +30 % of 399.20 (119.76) for the new sale, −59.88 for the refunded one.
    expect(derive([bound, later, cancelled], november).currencies[0]?.commission).toBe(11_976 - 5_988);
  });

  it('counts an event at the first instant of the month, and leaves one at the first of the next to it', () => {
    const events = [
      ev('bound', '2026-10-01T00:00:00.000Z', sek),
      ev('bound', '2026-10-31T23:59:59.999Z', sek),
      ev('bound', '2026-11-01T00:00:00.000Z', sek),
      ev('bound', '2026-09-30T23:59:59.999Z', sek),
    ];
    expect(derive(events).currencies[0]?.policiesWritten).toBe(2);
    expect(derive(events, november).currencies[0]?.policiesWritten).toBe(1);
  });

  it('other event types do not count', () => {
    expect(
      derive([ev('quoted', '2026-10-01T00:00:00Z', sek), ev('activated', '2026-10-02T00:00:00Z', sek)])
        .currencies,
    ).toEqual([]);
  });

  it('the same events give the same statement, in any order', () => {
    const events = [
      ev('bound', '2026-10-01T00:00:00Z', sek),
      ev('bound', '2026-10-02T00:00:00Z', eur),
      ev('cancelled', '2026-10-05T00:00:00Z', eur, { refund: 3_325 }),
      ev('cancelled', '2026-10-06T00:00:00Z', sek, { refund: 12_345 }),
    ];
    const first = derive(events);
    expect(derive(events)).toEqual(first);
    expect(derive([...events].reverse())).toEqual(first);
    expect(first).toMatchObject({
      partnerId: 'ptn_1',
      mode: 'live',
      period: october,
      generatedAt,
      closed: true,
    });
  });

  it('a month added batch by batch is the statement of all its events at once', () => {
    const events = [
      ev('bound', '2026-10-01T00:00:00Z', sek),
      ev('bound', '2026-10-02T00:00:00Z', eur),
      ev('cancelled', '2026-10-05T00:00:00Z', eur, { refund: 3_325 }),
      ev('cancelled', '2026-10-06T00:00:00Z', sek, { refund: 12_345 }),
      ev('bound', '2026-11-01T00:00:00Z', sek),
    ];
    const tally = statementTally(october);
    for (const batch of [events.slice(0, 2), [], events.slice(2, 3), events.slice(3)]) tally.add(batch);
    expect(tally.statement({ partnerId: 'ptn_1', mode: 'live', period: october, generatedAt })).toEqual(
      derive(events),
    );
  });

  it('an open month says so', () => {
    const open = deriveStatement({
      partnerId: 'ptn_1',
      mode: 'test',
      period: october,
      generatedAt: new Date('2026-10-31T23:59:59.999Z'),
      events: [],
    });
    expect(open).toMatchObject({ closed: false, currencies: [] });
  });

  it('a refund the history cannot account for is an error, not a guess', () => {
    expect(() => derive([ev('cancelled', '2026-10-05T00:00:00Z', sek)])).toThrow(/no valid refund/);
    expect(() => derive([ev('cancelled', '2026-10-05T00:00:00Z', sek, { refund: 50_000 })])).toThrow(
      RangeError,
    );
  });
});

describe('policy shares', () => {
  const premiumArb = fc
    .record({
      taxes: fc.array(fc.integer({ min: 0, max: 50_000 }), { maxLength: 3 }),
      net: fc.integer({ min: 0, max: 500_000 }),
    })
    .map(({ taxes, net }): Premium => {
      const tax = taxes.reduce((s, t) => s + t, 0);
      return {
        currency: 'EUR',
        net,
        tax,
        total: net + tax,
        taxes: taxes.map((amount, i) => ({ name: `T${i}`, rateBp: 0, amount })),
      };
    });

  it('giving everything back returns exactly what was written', () => {
    fc.assert(
      fc.property(premiumArb, fc.integer({ min: 0, max: 10_000 }), (p, bp) => {
        expect(refundedShare(p, p.total, bp)).toEqual(writtenShare(p, bp));
      }),
    );
  });

  it('a partial refund gives back no more of any tax than was written', () => {
    fc.assert(
      fc.property(premiumArb, fc.double({ min: 0, max: 1, noNaN: true }), (p, share) => {
        const amount = Math.floor(p.total * share);
        const back = refundedShare(p, amount, 1_000);
        expect(back.gross).toBe(amount);
        back.taxes.forEach((t, i) => {
          expect(t.amount).toBeGreaterThanOrEqual(0);
          expect(t.amount).toBeLessThanOrEqual(p.taxes[i]!.amount);
        });
      }),
    );
  });
});
