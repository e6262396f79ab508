import { describe, expect, it } from 'vitest';
import { endsBoundCover, eventTypesFor } from '../../src/core/notifications/policy-notifications.js';
import { changesPrice, mergeItem, repricePolicy } from '../../src/core/policies/modify-policy.js';
import type { Policy, PolicyHistoryEntry } from '../../src/core/policies/policy.js';
import { changeStatus, type PolicyChange } from '../../src/core/policies/policy-change.js';
import { nextTerm } from '../../src/core/policies/renew-policy.js';
import type { Premium } from '../../src/core/pricing/premium.js';
import { QUOTE_VALIDITY_MS } from '../../src/core/quote-validity.js';
import { deriveStatement } from '../../src/core/statements/derive-statement.js';
import { parseMonth } from '../../src/core/statements/period.js';
import { adjustmentShare, writtenShare } from '../../src/core/statements/policy-share.js';
import { DEMO_PRODUCTS } from '../../src/demo/catalog.js';
import { fieldsOf, policy, premium, product } from './fixtures.js';

const protection = DEMO_PRODUCTS.find((p) => p.code === 'product-protection')!;

/** product-protection, GB, 12 months: 10 % of the item price, 12 % IPT included (half-even). */
const gbp = (total: number, tax: number): Premium => ({
  currency: 'GBP',
  net: total - tax,
  tax,
  total,
  taxes: [{ name: 'Insurance Premium Tax', rateBp: 1_200, amount: tax }],
});
const gbPolicy = (price: number, p: Premium) =>
  policy({
    productCode: 'product-protection',
    country: 'GB',
    item: { category: 'Laptop', serialNumber: 'SN-1', price: { amount: price, currency: 'GBP' } },
    premium: p,
  });

describe('repricing a modified policy', () => {
  // 49.90 → 4.99 premium: IPT 4.99 × 12/112 = 0.5346 → 0.53; 99.90 → 9.99: IPT 1.0704 → 1.07.
  const before = gbPolicy(49_900, gbp(4_990, 535));

  it('prices the new item with the current rate table: the whole premium and new − old', () => {
    const item = mergeItem(before.item, { price: { amount: 99_900, currency: 'GBP' } });
    const { premium: after, priceDiff } = repricePolicy(protection, before, item);
    expect(after).toEqual(gbp(9_990, 1_070));
    expect(priceDiff).toBe(9_990 - 4_990);
  });

  it('a cheaper item gives a negative difference; the floor and cap of the table still apply', () => {
    const cheaper = repricePolicy(protection, before, {
      ...before.item,
      price: { amount: 2_500, currency: 'GBP' },
    });
    expect(cheaper.premium.total).toBe(499); // 10 % is 2.50, under the 4.99 minimum
    expect(cheaper.priceDiff).toBe(499 - 4_990);
    const dearer = repricePolicy(protection, before, {
      ...before.item,
      price: { amount: 500_000, currency: 'GBP' },
    });
    expect(dearer.premium.total).toBe(29_900); // 10 % is 500.00, capped at 299.00
    expect(dearer.priceDiff).toBe(29_900 - 4_990);
  });

  it('a change that leaves category and price alone keeps the premium, even if the rates moved', () => {
    const stale = gbPolicy(49_900, gbp(4_000, 429));
    const item = mergeItem(stale.item, { serialNumber: 'SN-2', model: 'X2' });
    expect(changesPrice(stale.item, item)).toBe(false);
    expect(item).toEqual({ ...stale.item, serialNumber: 'SN-2', model: 'X2' });
    expect(repricePolicy(protection, stale, item)).toEqual({ premium: stale.premium, priceDiff: 0 });
  });

  it('refuses an item the product no longer covers, naming the field', () => {
    const tooDear = { ...before.item, price: { amount: 600_000, currency: 'GBP' } };
    expect(fieldsOf(() => repricePolicy(protection, before, tooDear), 'not_eligible')).toEqual([
      'item/price/amount',
    ]);
    const phonesOnly = product({ categories: ['Smartphone'], markets: [protection.markets[0]!] });
    expect(
      fieldsOf(
        () => repricePolicy(phonesOnly, before, { ...before.item, category: 'Tablet' }),
        'not_eligible',
      ),
    ).toEqual(['item/category']);
    expect(
      fieldsOf(
        () =>
          repricePolicy(protection, before, { ...before.item, price: { amount: 99_900, currency: 'USD' } }),
        'not_eligible',
      ),
    ).toEqual(['item/price/currency']);
  });

  it('refuses a term the product no longer prices', () => {
    const longTerm = { ...before, termMonths: 48 };
    const item = { ...before.item, price: { amount: 60_000, currency: 'GBP' } };
    expect(fieldsOf(() => repricePolicy(protection, longTerm, item), 'not_eligible')).toEqual(['termMonths']);
  });

  it('mergeItem keeps what is not given and checks what is', () => {
    expect(mergeItem(before.item, { serialNumber: undefined }).serialNumber).toBe('SN-1');
    expect(fieldsOf(() => mergeItem(before.item, { category: ' ' }))).toEqual(['item/category']);
    expect(fieldsOf(() => mergeItem(before.item, { price: { amount: -1, currency: 'GBP' } }))).toEqual([
      'item/price/amount',
    ]);
    expect(fieldsOf(() => mergeItem(before.item, { price: { amount: 1.5, currency: 'GBP' } }))).toEqual([
      'item/price/amount',
    ]);
  });
});

describe('renewal dates', () => {
  it('the next term is as long as this one and starts when it ends', () => {
    const p = policy({ coverageEnd: new Date('2027-03-02T10:00:00Z'), termMonths: 12 });
    expect(nextTerm(p)).toEqual({
      start: new Date('2027-03-02T10:00:00Z'),
      end: new Date('2028-03-02T10:00:00Z'),
    });
    const twoYears = policy({ coverageEnd: new Date('2026-08-31T00:00:00Z'), termMonths: 24 });
    expect(nextTerm(twoYears).end).toEqual(new Date('2028-08-31T00:00:00Z'));
  });

  it('clamps to the end of a shorter month (29 February → 28 February)', () => {
    const p = policy({ coverageEnd: new Date('2028-02-29T12:00:00Z'), termMonths: 12 });
    expect(nextTerm(p).end).toEqual(new Date('2029-02-28T12:00:00Z'));
  });

  it('a policy with no coverage end yet has no next term', () => {
    expect(() => nextTerm(policy({ coverageEnd: null }))).toThrow(RangeError);
  });
});

describe('pending changes', () => {
  const created = new Date('2026-03-02T10:00:00Z');
  const change: PolicyChange = {
    id: 'pch_1',
    groupId: 'pch_1',
    partnerId: 'ptn_test',
    mode: 'test',
    policyId: 'pol_test',
    kind: 'update',
    status: 'pending',
    item: { category: 'Laptop', price: { amount: 1, currency: 'SEK' } },
    premium: premium(200),
    previousPremium: premium(100),
    priceDiff: 100,
    termMonths: 12,
    coverageStart: null,
    coverageEnd: null,
    expiresAt: new Date(created.getTime() + QUOTE_VALIDITY_MS),
    createdAt: created,
    confirmedAt: null,
    resultPolicyId: null,
    cancellation: null,
  };

  it('a pending change expires 24 hours after it was priced; a confirmed one never does', () => {
    expect(changeStatus(change, new Date(created.getTime() + QUOTE_VALIDITY_MS - 1))).toBe('pending');
    expect(changeStatus(change, new Date(created.getTime() + QUOTE_VALIDITY_MS))).toBe('expired');
    expect(QUOTE_VALIDITY_MS).toBe(24 * 3_600_000);
    const confirmed = { ...change, status: 'confirmed' as const, confirmedAt: created };
    expect(changeStatus(confirmed, new Date(created.getTime() + 2 * QUOTE_VALIDITY_MS))).toBe('confirmed');
  });
});

describe('partner events of modifications and renewals', () => {
  const event = (overrides: Partial<PolicyHistoryEntry>): PolicyHistoryEntry => ({
    id: 'pev_1',
    policyId: 'pol_test',
    type: 'modified',
    fromStatus: 'active',
    toStatus: 'active',
    occurredAt: new Date(),
    data: {},
    ...overrides,
  });

  it('modified and opted out are updates; renewed is policy.renewed', () => {
    expect(eventTypesFor(event({}))).toEqual(['policy.updated']);
    expect(eventTypesFor(event({ fromStatus: 'scheduled', toStatus: 'scheduled' }))).toEqual([
      'policy.updated',
    ]);
    expect(eventTypesFor(event({ type: 'renewal_opted_out' }))).toEqual(['policy.updated']);
    expect(eventTypesFor(event({ type: 'renewed' }))).toEqual(['policy.renewed']);
  });

  it('an expiry says policy.renewal_expired only when the expiry step marked it', () => {
    const expired = { type: 'expired' as const, toStatus: 'expired' as const };
    expect(eventTypesFor(event(expired))).toEqual(['policy.expired']);
    expect(eventTypesFor(event({ ...expired, data: { renewalExpired: true } }))).toEqual([
      'policy.expired',
      'policy.renewal_expired',
    ]);
  });
});

describe('modifications on statements', () => {
  const before = gbp(4_990, 535);
  const after = gbp(9_990, 1_070);

  it('a dearer premium writes the difference, its tax and the commission on its net', () => {
    expect(adjustmentShare(before, after, 1_000)).toEqual({
      side: 'written',
      share: {
        gross: 5_000,
        taxes: [{ name: 'Insurance Premium Tax', amount: 535 }],
        net: 4_465,
        // commission(8 920) − commission(4 455) = 892 − 446 (445.5 rounds half-even to 446)
        commission: 892 - 446,
      },
    });
  });

  it('a cheaper premium gives the difference back; an unchanged one is nothing', () => {
    expect(adjustmentShare(after, before, 1_000)).toEqual({
      side: 'refunded',
      share: {
        gross: 5_000,
        taxes: [{ name: 'Insurance Premium Tax', amount: 535 }],
        net: 4_465,
        commission: 892 - 446,
      },
    });
    expect(adjustmentShare(before, { ...before }, 1_000)).toBeUndefined();
  });

  it('bound, repriced up, repriced down: the month adds up to the premium the policy ends with', () => {
    const period = parseMonth('2026-03', 'month');
    const at = (day: number) => new Date(Date.UTC(2026, 2, day));
    const ev = (
      id: string,
      type: PolicyHistoryEntry['type'],
      day: number,
      data = {},
    ): PolicyHistoryEntry => ({
      id,
      policyId: 'pol_1',
      type,
      fromStatus: type === 'bound' ? null : 'active',
      toStatus: 'active',
      occurredAt: at(day),
      data,
    });
    const cheaper = gbp(2_000, 214);
    const statement = deriveStatement({
      partnerId: 'ptn_test',
      mode: 'test',
      period,
      generatedAt: at(31),
      events: [
        { event: ev('pev_1', 'bound', 2), premium: before, commissionBp: 1_000 },
        {
          event: ev('pev_2', 'modified', 3, { previousPremium: before, premium: after, priceDiff: 5_000 }),
          premium: after,
          commissionBp: 1_000,
        },
        {
          event: ev('pev_3', 'modified', 4, {
            previousPremium: after,
            premium: cheaper,
            priceDiff: -7_990,
          }),
          premium: cheaper,
          commissionBp: 1_000,
        },
      ],
    });
    const gb = statement.currencies[0]!;
    expect(gb.policiesWritten).toBe(1);
    expect(gb.premiumsWritten).toBe(4_990 + 5_000);
    expect(gb.refunds).toBe(7_990);
    expect(gb.net).toBe(cheaper.total);
    expect(gb.commission).toBe(writtenShare(cheaper, 1_000).commission);
    expect(gb.taxes).toEqual([{ name: 'Insurance Premium Tax', written: 1_070, refunded: 856, net: 214 }]);
  });

  it('a modified event without its premiums is corruption, not a guess', () => {
    expect(() =>
      deriveStatement({
        partnerId: 'ptn_test',
        mode: 'test',
        period: parseMonth('2026-03', 'month'),
        generatedAt: new Date('2026-03-31T00:00:00Z'),
        events: [
          {
            event: {
              id: 'pev_x',
              type: 'modified',
              fromStatus: 'active',
              occurredAt: new Date('2026-03-05T00:00:00Z'),
              data: { priceDiff: 10 },
            },
            premium: premium(100),
            commissionBp: 0,
          },
        ],
      }),
    ).toThrow(/previousPremium/);
  });
});

describe('letters on the end of cover', () => {
  const end = (
    type: PolicyHistoryEntry['type'],
    fromStatus: PolicyHistoryEntry['fromStatus'],
  ): PolicyHistoryEntry => ({
    id: 'pev_1',
    policyId: 'pol_test',
    type,
    fromStatus,
    toStatus: type === 'expired' ? 'expired' : type === 'voided' ? 'voided' : 'cancelled',
    occurredAt: new Date(),
    data: {},
  });
  const bound = { boundAt: new Date() } as Policy;
  const quoted = { boundAt: null } as Policy;

  it('goes to a customer whose cover was cancelled, voided or lapsed; not at expiry, for a quote or unpaid', () => {
    expect(endsBoundCover(bound, end('cancelled', 'active'))).toBe(true);
    expect(endsBoundCover(bound, end('voided', 'scheduled'))).toBe(true);
    expect(endsBoundCover(bound, end('lapsed', 'active'))).toBe(true);
    expect(endsBoundCover(bound, end('expired', 'active'))).toBe(false);
    expect(endsBoundCover(quoted, end('voided', 'quoted'))).toBe(false);
    expect(endsBoundCover(bound, end('voided', 'pending_payment'))).toBe(false);
  });
});
