import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IdGenerator } from '../../src/core/ids.js';
import type { Instalment } from '../../src/core/instalments/instalment.js';
import type { Tenant } from '../../src/core/partners/partner.js';
import type { Policy } from '../../src/core/policies/policy.js';
import type { Database } from '../../src/storage/database.js';
import { BACKENDS, testDatabase } from '../helpers/database.js';
import { buildPolicyEvent, givenPartner, givenPolicy, HOUR_MS, idSource, T0, tenantOf } from './builders.js';

const DAY_MS = 24 * HOUR_MS;
const at = (days: number) => new Date(T0.getTime() + days * DAY_MS);

/** Three monthly-ish instalments of a policy, lapsing 14 days into each period. */
function buildSchedule(ids: IdGenerator, policy: Policy): Instalment[] {
  return [0, 1, 2].map((n) => ({
    id: ids.next('instalment'),
    partnerId: policy.partnerId,
    mode: policy.mode,
    policyId: policy.id,
    number: n + 1,
    periodStart: at(30 * n),
    periodEnd: at(30 * (n + 1)),
    amount: n === 0 ? 1002 : 1000,
    net: n === 0 ? 802 : 800,
    tax: 200,
    currency: 'SEK',
    status: 'unpaid',
    paidAt: null,
    paymentAttemptedAt: null,
    lapseAt: at(30 * n + 14),
    createdAt: T0,
    updatedAt: T0,
  }));
}

describe.each(BACKENDS)('storage contract on %s: instalments', (backend) => {
  let db: Database;
  beforeAll(async () => {
    db = await testDatabase(backend);
  });
  afterAll(() => db?.close());

  const given = async (tenant: Tenant, ids: IdGenerator, overrides: Partial<Policy> = {}) => {
    const { policy } = await givenPolicy(db, ids, tenant, T0, overrides);
    const schedule = buildSchedule(ids, policy);
    await db.read.instalments.insertMany(schedule);
    return { policy, schedule };
  };
  const mine = (rows: { tenant: Tenant; policyId: string }[], tenant: Tenant) =>
    rows.filter((r) => r.tenant.partnerId === tenant.partnerId).map((r) => r.policyId);

  it('round-trips a schedule in number order, dates as Dates', async () => {
    const { ids } = idSource();
    const tenant = tenantOf(await givenPartner(db, ids));
    const { policy, schedule } = await given(tenant, ids);

    const list = await db.read.instalments.list(tenant, policy.id);
    expect(list).toEqual(schedule);
    expect(list[0]?.periodStart).toBeInstanceOf(Date);
    expect(await db.read.instalments.get(tenant, policy.id, 2)).toEqual(schedule[1]);
    expect(await db.read.instalments.get(tenant, policy.id, 4)).toBeUndefined();
  });

  it('update writes the payment and nothing else', async () => {
    const { ids } = idSource();
    const tenant = tenantOf(await givenPartner(db, ids));
    const { policy, schedule } = await given(tenant, ids);
    const paid: Instalment = {
      ...schedule[0]!,
      status: 'paid',
      paidAt: at(1),
      paymentAttemptedAt: at(1),
      updatedAt: at(1),
    };
    await db.transaction(async (repos) => {
      expect(await repos.instalments.get(tenant, policy.id, 1, { forUpdate: true })).toEqual(schedule[0]);
      await repos.instalments.update(paid);
    });
    expect(await db.read.instalments.list(tenant, policy.id)).toEqual([paid, ...schedule.slice(1)]);
  });

  it('one schedule per policy: a number is taken once', async () => {
    const { ids } = idSource();
    const tenant = tenantOf(await givenPartner(db, ids));
    const { schedule } = await given(tenant, ids);
    await expect(
      db.read.instalments.insertMany([{ ...schedule[0]!, id: ids.next('instalment') }]),
    ).rejects.toThrow();
  });

  it('is invisible to another partner and in the other mode', async () => {
    const { ids } = idSource();
    const partner = await givenPartner(db, ids);
    const other = await givenPartner(db, ids);
    const tenant = tenantOf(partner, 'live');
    const { policy, schedule } = await given(tenant, ids);

    expect(await db.read.instalments.list(tenant, policy.id)).toHaveLength(3);
    expect(await db.read.instalments.list(tenantOf(partner, 'test'), policy.id)).toEqual([]);
    expect(await db.read.instalments.list(tenantOf(other, 'live'), policy.id)).toEqual([]);
    expect(await db.read.instalments.get(tenantOf(other, 'live'), policy.id, 1)).toBeUndefined();
    await expect(
      db.read.instalments.update({ ...schedule[0]!, partnerId: other.id, status: 'paid' }),
    ).rejects.toThrow(/not updated/);
    expect((await db.read.instalments.get(tenant, policy.id, 1))?.status).toBe('unpaid');
  });

  it('overdue: live policies with an instalment unpaid past its lapse time, across tenants, once each', async () => {
    const { ids } = idSource();
    const a = tenantOf(await givenPartner(db, ids));
    const b = tenantOf(await givenPartner(db, ids), 'live');
    const first = await given(a, ids);
    const second = await given(b, ids, { status: 'scheduled' });
    const paidUp = await given(a, ids);
    const ended = await given(a, ids, { status: 'cancelled' });
    await db.read.instalments.update({ ...paidUp.schedule[0]!, status: 'paid', paidAt: at(1) });
    // Failed collection still leaves the instalment owed.
    await db.read.instalments.update({
      ...second.schedule[0]!,
      status: 'failed',
      paymentAttemptedAt: at(1),
    });

    const scan = (days: number) => db.read.instalments.overdue(at(days), 1000);
    expect(mine(await scan(13), a)).toEqual([]);
    expect(mine(await scan(13), b)).toEqual([]);
    // Day 14: instalment 1 of first and second lapses; paidUp's was paid; ended is no longer live.
    expect(mine(await scan(14), a)).toEqual([first.policy.id]);
    expect(mine(await scan(14), b)).toEqual([second.policy.id]);
    expect((await scan(14)).find((r) => r.policyId === second.policy.id)?.tenant).toEqual(b);
    // Day 44: paidUp's instalment 2 lapses too; first appears once although two of its are overdue.
    expect(mine(await scan(44), a).sort()).toEqual([first.policy.id, paidUp.policy.id].sort());
    expect(mine(await scan(44), a)).not.toContain(ended.policy.id);
  });

  it('overdue takes the longest overdue first, up to the limit', async () => {
    const { ids } = idSource();
    const tenant = tenantOf(await givenPartner(db, ids));
    const { policy } = await given(tenant, ids);
    const laterIds = idSource(at(-5)).ids;
    // An older schedule, five days earlier, lapses first.
    const { policy: older } = await givenPolicy(db, laterIds, tenant, at(-5));
    await db.read.instalments.insertMany(
      buildSchedule(laterIds, older).map((i) => ({
        ...i,
        periodStart: new Date(i.periodStart.getTime() - 5 * DAY_MS),
        lapseAt: new Date(i.lapseAt.getTime() - 5 * DAY_MS),
      })),
    );
    const rows = await db.read.instalments.overdue(at(20), 100_000);
    const order = mine(rows, tenant);
    expect(order).toEqual([older.id, policy.id]);
    expect(await db.read.instalments.overdue(at(20), 1)).toHaveLength(1);
  });

  it('a purge of the partner removes its instalments', async () => {
    const { ids } = idSource();
    const partner = await givenPartner(db, ids);
    const tenant = tenantOf(partner);
    const { policy } = await given(tenant, ids);
    await db.read.policies.update(
      { ...policy, status: 'cancelled' },
      buildPolicyEvent(ids, policy, at(1), { type: 'lapsed', fromStatus: 'active', toStatus: 'cancelled' }),
    );
    await db.purgePartner(partner.id);
    expect(await db.read.instalments.list(tenant, policy.id)).toEqual([]);
  });
});
