import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IdGenerator } from '../../src/core/ids.js';
import type { Tenant } from '../../src/core/partners/partner.js';
import type { Policy, PolicyHistoryEntry } from '../../src/core/policies/policy.js';
import type { PolicyChange } from '../../src/core/policies/policy-change.js';
import type { StatementEvent } from '../../src/core/statements/statement-event.js';
import type { Database } from '../../src/storage/database.js';
import { BACKENDS, testDatabase } from '../helpers/database.js';
import {
  buildItem,
  buildPolicyEvent,
  buildPremium,
  givenPartner,
  givenPolicy,
  HOUR_MS,
  idSource,
  T0,
  tenantOf,
} from './builders.js';

const at = (hours: number) => new Date(T0.getTime() + hours * HOUR_MS);

function buildChange(ids: IdGenerator, policy: Policy, overrides: Partial<PolicyChange> = {}): PolicyChange {
  const id = ids.next('policyChange');
  return {
    id,
    groupId: id,
    partnerId: policy.partnerId,
    mode: policy.mode,
    policyId: policy.id,
    kind: 'update',
    status: 'pending',
    item: buildItem({ price: { amount: 450_000, currency: 'SEK' }, serialNumber: 'SN-0002' }),
    premium: buildPremium(29_900),
    previousPremium: policy.premium,
    priceDiff: 29_900 - policy.premium.total,
    termMonths: policy.termMonths,
    coverageStart: policy.coverageStart,
    coverageEnd: policy.coverageEnd,
    expiresAt: at(24),
    createdAt: T0,
    confirmedAt: null,
    resultPolicyId: null,
    cancellation: null,
    ...overrides,
  };
}

describe.each(BACKENDS)('storage contract on %s: policy changes', (backend) => {
  let db: Database;
  beforeAll(async () => {
    db = await testDatabase(backend);
  });
  afterAll(() => db?.close());

  const given = async (mode: Tenant['mode'] = 'test') => {
    const { ids } = idSource();
    const partner = await givenPartner(db, ids);
    const tenant = tenantOf(partner, mode);
    const { policy } = await givenPolicy(db, ids, tenant, T0);
    return { ids, partner, tenant, policy };
  };

  it('round-trips an update with a negative difference, dates revived as Dates', async () => {
    const { ids, tenant, policy } = await given();
    const change = buildChange(ids, policy);
    await db.read.policyChanges.insert(change);

    const got = await db.read.policyChanges.get(tenant, change.id);
    expect(got).toEqual(change);
    expect(got?.priceDiff).toBe(29_900 - 49_900);
    expect(got?.item.purchasedAt).toBeInstanceOf(Date);
    expect(got?.expiresAt).toBeInstanceOf(Date);
    expect(got?.coverageStart).toEqual(policy.coverageStart);
  });

  it('round-trips a renewal with the next term and no coverage dates for an update', async () => {
    const { ids, tenant, policy } = await given('live');
    const renewal = buildChange(ids, policy, {
      kind: 'renewal',
      item: policy.item,
      premium: buildPremium(54_900),
      priceDiff: 5_000,
      coverageStart: policy.coverageEnd,
      coverageEnd: new Date('2028-03-02T10:00:00.000Z'),
    });
    const bare = buildChange(ids, policy, { coverageStart: null, coverageEnd: null });
    await db.read.policyChanges.insert(renewal);
    await db.read.policyChanges.insert(bare);
    expect(await db.read.policyChanges.get(tenant, renewal.id)).toEqual(renewal);
    expect(await db.read.policyChanges.get(tenant, bare.id)).toEqual(bare);
  });

  it('is invisible to another partner and in the other mode', async () => {
    const { ids, partner, tenant, policy } = await given('live');
    const other = await givenPartner(db, ids);
    const change = buildChange(ids, policy);
    await db.read.policyChanges.insert(change);

    expect(await db.read.policyChanges.get(tenant, change.id)).toEqual(change);
    expect(await db.read.policyChanges.get(tenantOf(partner, 'test'), change.id)).toBeUndefined();
    expect(await db.read.policyChanges.get(tenantOf(other, 'live'), change.id)).toBeUndefined();
    expect(await db.read.policyChanges.get(tenant, 'pch_unknown')).toBeUndefined();
  });

  it('update writes status, confirmedAt and the resulting policy, for the owning tenant only', async () => {
    const { ids, partner, policy } = await given();
    const other = await givenPartner(db, ids);
    const change = buildChange(ids, policy);
    await db.read.policyChanges.insert(change);

    const confirmed: PolicyChange = {
      ...change,
      status: 'confirmed',
      confirmedAt: at(2),
      resultPolicyId: policy.id,
      // Not written by update: what was priced stays as it was.
      priceDiff: 1,
      premium: buildPremium(1),
    };
    await expect(db.read.policyChanges.update({ ...confirmed, partnerId: other.id })).rejects.toThrow(
      /not updated/,
    );
    await expect(db.read.policyChanges.update({ ...confirmed, mode: 'live' })).rejects.toThrow(/not updated/);
    await db.read.policyChanges.update(confirmed);
    expect(await db.read.policyChanges.get(tenantOf(partner), change.id)).toEqual({
      ...change,
      status: 'confirmed',
      confirmedAt: at(2),
      resultPolicyId: policy.id,
    });
  });

  it('a cancellation round-trips its held refund; a group lists its changes within the tenant only', async () => {
    const { ids, partner, tenant, policy } = await given();
    const { policy: second } = await givenPolicy(db, ids, tenant, T0);
    const quote = {
      refund: { amount: 12_000, currency: 'SEK' },
      rule: 'pro_rata' as const,
      coolingOffEndsAt: at(14 * 24),
      remainingDays: 300,
      totalDays: 365,
    };
    const first = buildChange(ids, policy, {
      kind: 'cancellation',
      groupId: 'grp-1',
      priceDiff: -12_000,
      cancellation: { reason: 'requested', quote },
    });
    const other = buildChange(ids, second, {
      kind: 'cancellation',
      groupId: 'grp-1',
      cancellation: first.cancellation,
    });
    const alone = buildChange(ids, second);
    for (const c of [other, first, alone]) await db.read.policyChanges.insert(c);

    const got = await db.read.policyChanges.get(tenant, first.id);
    expect(got).toEqual(first);
    expect(got?.cancellation?.quote?.coolingOffEndsAt).toBeInstanceOf(Date);
    // In id order, whatever order they were written in.
    expect(await db.read.policyChanges.group(tenant, 'grp-1')).toEqual([first, other]);
    expect(await db.read.policyChanges.group(tenant, alone.id)).toEqual([alone]);
    expect(await db.read.policyChanges.group(tenantOf(partner, 'live'), 'grp-1')).toEqual([]);
    expect(await db.read.policyChanges.group(tenant, 'grp-unknown')).toEqual([]);

    const made = { ...quote, refund: { amount: 11_000, currency: 'SEK' } };
    const confirmed: PolicyChange = {
      ...first,
      status: 'confirmed',
      confirmedAt: at(2),
      resultPolicyId: policy.id,
      cancellation: { reason: 'requested', quote: made },
    };
    await db.read.policyChanges.update(confirmed);
    expect(await db.read.policyChanges.get(tenant, first.id)).toEqual(confirmed);
  });

  it('an expired status is read from expiresAt, never stored', async () => {
    const { ids, policy } = await given();
    const change = buildChange(ids, policy, { status: 'expired' });
    await expect(db.read.policyChanges.insert(change)).rejects.toThrow(/expired/);
  });

  it('a change must belong to a policy of its partner', async () => {
    const { ids, policy } = await given();
    const other = await givenPartner(db, ids);
    await expect(
      db.read.policyChanges.insert(buildChange(ids, policy, { partnerId: other.id })),
    ).rejects.toThrow();
  });

  it('get forUpdate locks inside a transaction and reads the same change', async () => {
    const { ids, tenant, policy } = await given();
    const change = buildChange(ids, policy);
    await db.read.policyChanges.insert(change);
    const got = await db.transaction((repos) =>
      repos.policyChanges.get(tenant, change.id, { forUpdate: true }),
    );
    expect(got).toEqual(change);
  });

  it('round-trips the renewal columns of a policy; renewalOf is set once at insert', async () => {
    const { ids } = idSource();
    const partner = await givenPartner(db, ids);
    const tenant = tenantOf(partner);
    const { policy: old } = await givenPolicy(db, ids, tenant, T0);
    const { policy: renewal } = await givenPolicy(db, ids, tenant, T0, {
      status: 'scheduled',
      renewalOf: old.id,
      coverageStart: old.coverageEnd,
    });
    expect(await db.read.policies.get(tenant, old.id)).toEqual(old);
    expect(old.renewalOf).toBeNull();
    expect(await db.read.policies.get(tenant, renewal.id)).toEqual(renewal);

    const renewed: Policy = { ...old, renewedBy: renewal.id, renewalOptOut: true, updatedAt: at(1) };
    await db.read.policies.update(
      { ...renewed, renewalOf: 'pol_ignored' },
      buildPolicyEvent(ids, renewed, at(1), { type: 'renewed', fromStatus: 'active' }),
    );
    expect(await db.read.policies.get(tenant, old.id)).toEqual(renewed);
  });

  it('statements read each event with the premium as it stood then', async () => {
    const { ids } = idSource();
    const partner = await givenPartner(db, ids);
    const tenant = tenantOf(partner);
    const first = buildPremium(49_900);
    const second = buildPremium(69_900);
    const third = buildPremium(39_900);
    const { policy, event: bound } = await givenPolicy(db, ids, tenant, at(0), { premium: third });
    const modified = (n: number, from: typeof first, to: typeof first) =>
      buildPolicyEvent(ids, policy, at(n), {
        type: 'modified',
        fromStatus: 'active',
        data: { previousPremium: from, premium: to, priceDiff: to.total - from.total },
      });
    const up = modified(1, first, second);
    const down = modified(2, second, third);
    const cancelled = buildPolicyEvent(ids, policy, at(3), {
      type: 'cancelled',
      fromStatus: 'active',
      toStatus: 'cancelled',
      data: { refund: { amount: 100, currency: 'SEK' } },
    });
    for (const e of [up, down, cancelled]) await db.read.policies.update(policy, e);

    const period = { from: at(0), to: at(4), types: ['bound', 'modified', 'cancelled'] as const };
    const byId = (a: StatementEvent, b: StatementEvent) => (a.event.id < b.event.id ? -1 : 1);
    const rows = (
      await collect<StatementEvent>((each) => db.read.policies.eventsInPeriod(tenant, period, each))
    ).sort(byId);
    // Read in batches of one, in no particular order: the same rows, none twice.
    const batches: StatementEvent[][] = [];
    await db.read.policies.eventsInPeriod(tenant, { ...period, batch: 1 }, (b) => batches.push(b));
    expect(batches.every((b) => b.length === 1)).toBe(true);
    expect(batches.flat().sort(byId)).toEqual(rows);
    // What a statement reads of each event, as it was recorded.
    const read = ({ id, type, fromStatus, occurredAt, data }: PolicyHistoryEntry) => ({
      id,
      type,
      fromStatus,
      occurredAt,
      data,
    });
    expect(rows.map((r) => [r.event, r.premium.total])).toEqual([
      [read(bound), first.total],
      [read(up), second.total],
      [read(down), third.total],
      [read(cancelled), third.total],
    ]);
    expect(rows[0]?.premium).toEqual(first);
    // Another partner's history is not read.
    const other = await givenPartner(db, ids);
    expect(
      await collect((each) =>
        db.read.policies.eventsInPeriod(
          tenantOf(other),
          { from: at(0), to: at(4), types: ['bound', 'modified'] },
          each,
        ),
      ),
    ).toEqual([]);
  });
});

async function collect<T>(read: (each: (batch: T[]) => void) => Promise<void>): Promise<T[]> {
  const all: T[] = [];
  await read((batch) => all.push(...batch));
  return all;
}
