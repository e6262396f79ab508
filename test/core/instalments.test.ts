import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CoreError, type ErrorCode } from '../../src/core/errors.js';
import { lapseOverdue } from '../../src/core/instalments/lapse.js';
import {
  type InstalmentPaymentInput,
  recordInstalmentPayment,
} from '../../src/core/instalments/record-payment.js';
import { startInstalments } from '../../src/core/instalments/start-instalments.js';
import type { Tenant } from '../../src/core/partners/partner.js';
import { bindPolicy } from '../../src/core/policies/bind-policy.js';
import { cancelPolicy } from '../../src/core/policies/cancel-policy.js';
import { updatePolicy } from '../../src/core/policies/modify-policy.js';
import type { Policy } from '../../src/core/policies/policy.js';
import { partnerStatement } from '../../src/core/statements/partner-statement.js';
import { runSchedule } from '../../src/jobs/scheduler.js';
import type { Database } from '../../src/storage/database.js';
import { type CoreHarness, coreHarness } from '../helpers/core.js';
import { BACKENDS, testDatabase } from '../helpers/database.js';

const T0 = '2026-03-02T10:00:00.000Z';
const DAY = 86_400_000;

describe.each(BACKENDS)('instalments on %s', (backend) => {
  let db: Database;
  let h: CoreHarness;
  beforeAll(async () => {
    db = await testDatabase(backend);
    h = coreHarness(db, T0);
  });
  afterAll(() => db.close());
  beforeEach(() => h.clock.set(T0));

  /** A 499.00 GBP phone: 49.90, of which 5.35 IPT (12 % included). */
  const bind = (tenant: Tenant) => h.bindProtection(tenant);
  const start = (policy: Policy, plan = 'monthly') => h.run((deps) => startInstalments(deps, policy, plan));
  const pay = (
    tenant: Tenant,
    policyId: string,
    number: number,
    input: Partial<InstalmentPaymentInput> = {},
  ) =>
    h.run((deps) =>
      recordInstalmentPayment(deps, tenant, policyId, {
        number,
        status: 'PAID',
        attemptedAt: h.clock.now(),
        ...input,
      }),
    );
  const policyOf = (tenant: Tenant, id: string) => db.read.policies.get(tenant, id);
  const schedule = () => runSchedule(db, h.clock, h.ids);
  const refusal = async (work: Promise<unknown>, code: ErrorCode) => {
    const error = await work.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CoreError);
    expect((error as CoreError).code, (error as CoreError).message).toBe(code);
    return (error as CoreError).fields.map((f) => f.field);
  };
  const outbound = async (tenant: Tenant, subjectId: string) => {
    const { rows } = await sql<{ type: string }>`
      SELECT type FROM events WHERE partner_id = ${tenant.partnerId} AND subject_id = ${subjectId}
      ORDER BY id`.execute(db.kysely);
    return rows.map((r) => r.type);
  };

  it('writes a monthly schedule that adds up to the premium, every instalment owed', async () => {
    const tenant = await h.tenant();
    const policy = await bind(tenant);
    expect(policy.premium).toMatchObject({ total: 4990, net: 4455, tax: 535 });
    const written = await start(policy);
    const stored = await db.read.instalments.list(tenant, policy.id);
    expect(stored).toEqual(written);
    expect(stored).toHaveLength(12);
    expect(stored.map((i) => i.amount)).toEqual([425, ...Array(11).fill(415)]);
    expect(stored.reduce((s, i) => s + i.amount, 0)).toBe(4990);
    expect(stored.every((i) => i.status === 'unpaid' && i.currency === 'GBP')).toBe(true);
    expect(stored[0]!.periodStart).toEqual(policy.coverageStart);
    expect(stored[1]!.periodStart.toISOString()).toBe('2026-04-02T10:00:00.000Z');
    expect(stored[1]!.lapseAt.toISOString()).toBe('2026-04-16T10:00:00.000Z');
    expect(stored[11]!.periodEnd).toEqual(policy.coverageEnd);
    const quarterly = await start(await bind(tenant), 'quarterly');
    expect(quarterly.map((i) => i.amount)).toEqual([1252, 1246, 1246, 1246]);
  });

  it('refuses a plan the product does not have, a second schedule, and cover with no start yet', async () => {
    const tenant = await h.tenant();
    const policy = await bind(tenant);
    expect(await refusal(start(policy, 'weekly'), 'validation_failed')).toEqual(['instalmentPlan']);
    const fulfilment: Policy = {
      ...policy,
      coverStart: 'at_fulfilment',
      coverageStart: null,
      coverageEnd: null,
    };
    // The monthly plan exists: what is refused is a schedule without a start of cover.
    await expect(start(fulfilment)).rejects.toThrow(/no start date yet/);
    expect(await refusal(start(fulfilment), 'validation_failed')).toEqual(['instalmentPlan']);
    await start(policy);
    expect(await refusal(start(policy, 'quarterly'), 'already_exists')).toEqual(['instalmentPlan']);
    expect(await db.read.instalments.list(tenant, policy.id)).toHaveLength(12);
  });

  it('a product without plans cannot be paid in instalments', async () => {
    const tenant = await h.tenant();
    const policy = await h.run((deps) =>
      bindPolicy(deps, tenant, {
        source: {
          productCode: 'tech-insurance',
          termMonths: 12,
          country: 'SE',
          item: { category: 'Tablet', price: { amount: 850_000, currency: 'SEK' } },
        },
        policyholder: {
          firstName: 'Glen',
          lastName: 'Clarkson',
          personalId: '19840726-1234',
          address: { line1: 'Storgatan 1', postalCode: '11122', city: 'Stockholm' },
        },
      }),
    );
    expect(await refusal(start(policy), 'validation_failed')).toEqual(['instalmentPlan']);
  });

  it('records payments: paid stays paid, failures leave it owed, unknown numbers are refused', async () => {
    const tenant = await h.tenant();
    const policy = await bind(tenant);
    await start(policy);
    const paid = await pay(tenant, policy.id, 1);
    expect(paid).toMatchObject({ number: 1, status: 'paid', paidAt: new Date(T0) });
    h.clock.advance(DAY);
    // A retry, or a late failure notice, of a paid instalment changes nothing.
    expect(await pay(tenant, policy.id, 1)).toEqual(paid);
    expect(await pay(tenant, policy.id, 1, { status: 'FAILED' })).toEqual(paid);
    const failed = await pay(tenant, policy.id, 2, { status: 'FAILED' });
    expect(failed).toMatchObject({ status: 'failed', paidAt: null, paymentAttemptedAt: h.clock.now() });
    expect(await refusal(pay(tenant, policy.id, 13), 'not_found')).toEqual(['instalmentNumber']);
    expect(await refusal(pay(tenant, 'pol_unknown', 1), 'not_found')).toEqual(['policyId']);
    const other = await h.tenant();
    expect(await refusal(pay(other, policy.id, 2), 'not_found')).toEqual(['policyId']);
    expect((await db.read.instalments.list(tenant, policy.id)).map((i) => i.status).slice(0, 3)).toEqual([
      'paid',
      'failed',
      'unpaid',
    ]);
  });

  it('an instalment unpaid 14 days into its period lapses the cover, with no refund', async () => {
    const tenant = await h.tenant();
    const policy = await bind(tenant);
    await start(policy);
    await pay(tenant, policy.id, 1);
    // Instalment 2's period starts 2026-04-02; its grace ends 14 days later.
    h.clock.set('2026-04-16T09:59:59.999Z');
    await schedule();
    expect((await policyOf(tenant, policy.id))?.status).toBe('active');

    h.clock.set('2026-04-16T10:00:00.000Z');
    expect(await schedule()).toBeGreaterThanOrEqual(1);
    const lapsed = await policyOf(tenant, policy.id);
    expect(lapsed?.status).toBe('cancelled');
    expect(lapsed?.refund).toEqual({ amount: 0, currency: 'GBP' });
    const events = await db.read.policies.history(tenant, policy.id);
    expect(events.at(-1)).toMatchObject({
      type: 'lapsed',
      fromStatus: 'active',
      toStatus: 'cancelled',
      data: {
        instalmentNumber: 2,
        refund: { amount: 0, currency: 'GBP' },
        uncollected: { amount: 4990 - 425, currency: 'GBP' },
      },
    });
    expect(await outbound(tenant, policy.id)).toContain('policy.cancelled');

    // Once only: the scan no longer finds it, and doing it again changes nothing.
    expect(await h.run((deps) => lapseOverdue(deps, tenant, policy.id))).toBeUndefined();
    await schedule();
    expect(await db.read.policies.history(tenant, policy.id)).toHaveLength(events.length);
    // A lapsed policy takes no more payments, but a retry of one it took still answers.
    expect(await refusal(pay(tenant, policy.id, 2), 'invalid_transition')).toEqual(['policyId']);
    expect((await pay(tenant, policy.id, 1)).status).toBe('paid');

    // The statement keeps only what was collected: the binding wrote 49.90, the lapse takes 45.65 back.
    const april = await h.run((deps) => partnerStatement(deps, tenant, '2026-04'));
    expect(april.currencies).toEqual([
      expect.objectContaining({ currency: 'GBP', premiumsWritten: 0, refunds: 4565, net: -4565 }),
    ]);
    const march = await h.run((deps) => partnerStatement(deps, tenant, '2026-03'));
    expect(march.currencies[0]).toMatchObject({ premiumsWritten: 4990, refunds: 0 });
  });

  it('paying on time keeps the cover, until a later instalment goes unpaid', async () => {
    const tenant = await h.tenant();
    const policy = await bind(tenant);
    await start(policy);
    await pay(tenant, policy.id, 1);
    h.clock.set('2026-04-10T00:00:00.000Z');
    await pay(tenant, policy.id, 2);
    h.clock.set('2026-04-20T00:00:00.000Z');
    await schedule();
    expect((await policyOf(tenant, policy.id))?.status).toBe('active');

    // A failed collection is not a payment: instalment 3 lapses the cover at 2026-05-16.
    h.clock.set('2026-05-03T00:00:00.000Z');
    await pay(tenant, policy.id, 3, { status: 'FAILED' });
    h.clock.set('2026-05-16T10:00:00.000Z');
    await schedule();
    expect((await policyOf(tenant, policy.id))?.status).toBe('cancelled');
    const last = (await db.read.policies.history(tenant, policy.id)).at(-1);
    expect(last).toMatchObject({ type: 'lapsed', data: { instalmentNumber: 3 } });
    expect(last?.data.uncollected).toEqual({ amount: 4990 - 425 - 415, currency: 'GBP' });
  });

  it('a payment that arrives after the grace but before the scan saves the cover', async () => {
    const tenant = await h.tenant();
    const policy = await bind(tenant);
    await start(policy);
    h.clock.set('2026-03-20T00:00:00.000Z');
    await pay(tenant, policy.id, 1);
    expect(await h.run((deps) => lapseOverdue(deps, tenant, policy.id))).toBeUndefined();
    await schedule();
    expect((await policyOf(tenant, policy.id))?.status).toBe('active');
  });
  it('cancelling gives back at most what the instalments collected, and the statement nets to it', async () => {
    const tenant = await h.tenant();
    // In cooling-off: everything paid comes back (one instalment, 4.25), nothing is owed any more.
    const early = await bind(tenant);
    await start(early);
    await pay(tenant, early.id, 1);
    const preview = await h.run((deps) => cancelPolicy(deps, tenant, { policyId: early.id, preview: true }));
    expect(preview.quote.refund.amount).toBe(425);
    const cancelled = await h.run((deps) => cancelPolicy(deps, tenant, { policyId: early.id }));
    expect(cancelled.policy.refund).toEqual({ amount: 425, currency: 'GBP' });
    const march = await h.run((deps) => partnerStatement(deps, tenant, '2026-03'));
    expect(march.currencies[0]).toMatchObject({ premiumsWritten: 4990, refunds: 4990, net: 0 });

    // After cooling-off, pro rata: 92 of 365 days used earn 12.58 of 49.90; three instalments (12.55) paid
    // leave nothing to give back, and the rest will not be collected.
    const tenant2 = await h.tenant();
    const late = await bind(tenant2);
    await start(late);
    for (const n of [1, 2, 3]) await pay(tenant2, late.id, n);
    h.clock.advance(92 * DAY);
    const ended = await h.run((deps) => cancelPolicy(deps, tenant2, { policyId: late.id }));
    expect(ended.quote.rule).toBe('pro_rata');
    expect(ended.policy.refund?.amount).toBe(0);
    const events = await db.read.policies.history(tenant2, late.id);
    expect(events.at(-1)?.data.uncollected).toEqual({ amount: 4990 - 1255, currency: 'GBP' });
  });
  it('a repriced policy re-plans what is unpaid, so the schedule adds up to the new premium', async () => {
    const tenant = await h.tenant();
    const policy = await bind(tenant);
    await start(policy);
    await pay(tenant, policy.id, 1);
    // A corrected price of 999.00: 99.90, of which 10.70 IPT.
    const { policy: repriced } = await h.run((deps) =>
      updatePolicy(deps, tenant, policy.id, { item: { price: { amount: 99_900, currency: 'GBP' } } }),
    );
    expect(repriced.premium.total).toBe(9990);
    const list = await db.read.instalments.list(tenant, policy.id);
    expect(list[0]).toMatchObject({ number: 1, status: 'paid', amount: 425 });
    expect(list.reduce((s, i) => s + i.amount, 0)).toBe(9990);
    expect(list.reduce((s, i) => s + i.tax, 0)).toBe(repriced.premium.tax);
    expect(new Set(list.slice(2).map((i) => i.amount)).size).toBe(1);
  });
});
