import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CoreError, type ErrorCode } from '../../src/core/errors.js';
import { applyOrderEvent } from '../../src/core/orders/apply-order-event.js';
import type { Tenant } from '../../src/core/partners/partner.js';
import { bindPolicy } from '../../src/core/policies/bind-policy.js';
import { cancelPolicy } from '../../src/core/policies/cancel-policy.js';
import {
  confirmPolicyUpdate,
  quotePolicyUpdate,
  updatePolicy,
} from '../../src/core/policies/modify-policy.js';
import { changeStatus } from '../../src/core/policies/policy-change.js';
import { confirmRenewal, optOutOfRenewal, quoteRenewal } from '../../src/core/policies/renew-policy.js';
import { partnerStatement } from '../../src/core/statements/partner-statement.js';
import { runSchedule } from '../../src/jobs/scheduler.js';
import type { Database } from '../../src/storage/database.js';
import { type CoreHarness, coreHarness } from '../helpers/core.js';
import { BACKENDS, testDatabase } from '../helpers/database.js';

const T0 = '2026-03-02T10:00:00.000Z';
const HOUR = 3_600_000;
const GBP = (amount: number) => ({ amount, currency: 'GBP' });
const ada = { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' };

describe.each(BACKENDS)('modification and renewal on %s', (backend) => {
  let db: Database;
  let h: CoreHarness;
  beforeAll(async () => {
    db = await testDatabase(backend);
    h = coreHarness(db, T0);
  });
  afterAll(() => db.close());
  beforeEach(() => h.clock.set(T0));

  /** A 499.00 GBP phone: 49.90, of which 5.35 IPT (12 % included). */
  const bind = (tenant: Tenant, price = 49_900) =>
    h.bindProtection(
      tenant,
      { serialNumber: 'SN-1', price: GBP(price) },
      { refs: { orderId: 'order-1', lineId: 'line-1' } },
    );
  const refusal = async (work: Promise<unknown>, code: ErrorCode) => {
    const error = await work.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CoreError);
    expect((error as CoreError).code, (error as CoreError).message).toBe(code);
    return (error as CoreError).fields.map((f) => f.field);
  };
  const outbound = async (tenant: Tenant, subjectId?: string) => {
    const { rows } = await sql<{ type: string; subject_id: string; data: Record<string, unknown> }>`
      SELECT type, subject_id, data FROM events WHERE partner_id = ${tenant.partnerId} ORDER BY id`.execute(
      db.kysely,
    );
    return rows.filter((r) => subjectId === undefined || r.subject_id === subjectId).map((r) => r.type);
  };
  const eventTypes = async (tenant: Tenant, policyId: string) =>
    (await db.read.policies.history(tenant, policyId)).map((e) => e.type);

  describe('modification', () => {
    it('quote an update to a dearer item, confirm it: repriced, a modified event, policy.updated', async () => {
      const tenant = await h.tenant();
      const policy = await bind(tenant);
      expect(policy.premium).toMatchObject({ total: 4_990, tax: 535 });

      const change = await h.run((deps) =>
        quotePolicyUpdate(deps, tenant, policy.id, { item: { price: GBP(99_900) } }),
      );
      expect(change).toMatchObject({
        kind: 'update',
        status: 'pending',
        policyId: policy.id,
        priceDiff: 9_990 - 4_990,
        previousPremium: policy.premium,
        premium: { currency: 'GBP', total: 9_990, tax: 1_070, net: 8_920 },
        item: { category: 'Smartphone', serialNumber: 'SN-1', price: GBP(99_900) },
        termMonths: 12,
        expiresAt: new Date(Date.parse(T0) + 24 * HOUR),
      });
      // Priced, not applied: the policy is as it was, and the change is stored.
      expect((await db.read.policies.get(tenant, policy.id))?.premium.total).toBe(4_990);
      expect(await db.read.policyChanges.get(tenant, change.id)).toEqual(change);

      h.clock.advance(HOUR);
      const { policy: updated, change: confirmed } = await h.run((deps) =>
        confirmPolicyUpdate(deps, tenant, change.id),
      );
      expect(updated.premium.total).toBe(9_990);
      expect(updated.item.price).toEqual(GBP(99_900));
      expect(updated.status).toBe('active');
      expect(confirmed).toMatchObject({ status: 'confirmed', resultPolicyId: policy.id });
      expect(confirmed.confirmedAt).toEqual(h.clock.now());
      expect(await db.read.policies.get(tenant, policy.id)).toMatchObject({
        premium: change.premium,
        item: change.item,
      });
      const events = await db.read.policies.history(tenant, policy.id);
      expect(events.map((e) => e.type)).toEqual(['bound', 'modified']);
      expect(events[1]).toMatchObject({
        fromStatus: 'active',
        toStatus: 'active',
        data: {
          previousPremium: policy.premium,
          premium: change.premium,
          priceDiff: 5_000,
          changeId: change.id,
        },
      });
      expect(await outbound(tenant)).toEqual(['policy.created', 'policy.activated', 'policy.updated']);

      // Confirming again changes nothing and answers the same.
      const again = await h.run((deps) => confirmPolicyUpdate(deps, tenant, change.id));
      expect(again.policy.premium.total).toBe(9_990);
      expect(await eventTypes(tenant, policy.id)).toEqual(['bound', 'modified']);

      // The statement shows the binding and the adjustment: 49.90 + 50.00, tax 5.35 + 5.35,
      // commission 10 % of 89.20 = 8.92.
      h.clock.set('2026-04-01T00:00:00Z');
      const march = await h.run((deps) => partnerStatement(deps, tenant, '2026-03'));
      expect(march.currencies).toEqual([
        {
          currency: 'GBP',
          policiesWritten: 1,
          premiumsWritten: 9_990,
          refunds: 0,
          net: 9_990,
          taxes: [{ name: 'Insurance Premium Tax', written: 1_070, refunded: 0, net: 1_070 }],
          commission: 892,
          netDueToInsurer: 9_098,
        },
      ]);
    });

    it('a cheaper item gives a negative difference, and a cancellation then refunds the new premium', async () => {
      const tenant = await h.tenant();
      const policy = await bind(tenant, 99_900);
      const change = await h.run((deps) =>
        quotePolicyUpdate(deps, tenant, policy.id, { item: { price: GBP(49_900) } }),
      );
      expect(change.priceDiff).toBe(4_990 - 9_990);
      await h.run((deps) => confirmPolicyUpdate(deps, tenant, change.id));
      const { quote } = await h.run((deps) => cancelPolicy(deps, tenant, { policyId: policy.id }));
      expect(quote).toMatchObject({ rule: 'cooling_off', refund: GBP(4_990) });
      h.clock.set('2026-04-01T00:00:00Z');
      const [gb] = (await h.run((deps) => partnerStatement(deps, tenant, '2026-03'))).currencies;
      // Written at binding 99.90, 49.95 back at the repricing, 49.90 back at the cancellation: nothing left.
      expect(gb).toMatchObject({ premiumsWritten: 9_990, refunds: 5_000 + 4_990, net: 0, commission: 0 });
      expect(gb?.taxes).toEqual([{ name: 'Insurance Premium Tax', written: 1_070, refunded: 1_070, net: 0 }]);
    });

    it('an update not confirmed within 24 hours is refused; one priced before another change too', async () => {
      const tenant = await h.tenant();
      const policy = await bind(tenant);
      const stale = await h.run((deps) =>
        quotePolicyUpdate(deps, tenant, policy.id, { item: { price: GBP(99_900) } }),
      );
      h.clock.advance(25 * HOUR);
      expect(changeStatus(stale, h.clock.now())).toBe('expired');
      expect(
        await refusal(
          h.run((deps) => confirmPolicyUpdate(deps, tenant, stale.id)),
          'offer_expired',
        ),
      ).toEqual(['changeId']);
      expect((await db.read.policies.get(tenant, policy.id))?.premium.total).toBe(4_990);

      const first = await h.run((deps) =>
        quotePolicyUpdate(deps, tenant, policy.id, { item: { price: GBP(99_900) } }),
      );
      const second = await h.run((deps) =>
        quotePolicyUpdate(deps, tenant, policy.id, { item: { price: GBP(150_000) } }),
      );
      await h.run((deps) => confirmPolicyUpdate(deps, tenant, first.id));
      expect(
        await refusal(
          h.run((deps) => confirmPolicyUpdate(deps, tenant, second.id)),
          'invalid_transition',
        ),
      ).toEqual(['changeId']);
      expect(
        await refusal(
          h.run((deps) => confirmPolicyUpdate(deps, tenant, 'pch_nope')),
          'not_found',
        ),
      ).toEqual(['changeId']);
    });

    it('refuses an item the product does not cover, and a policy that is over', async () => {
      const tenant = await h.tenant();
      const policy = await bind(tenant);
      expect(
        await refusal(
          h.run((deps) => quotePolicyUpdate(deps, tenant, policy.id, { item: { price: GBP(600_000) } })),
          'not_eligible',
        ),
      ).toEqual(['item/price/amount']);
      await h.run((deps) => cancelPolicy(deps, tenant, { policyId: policy.id }));
      expect(
        await refusal(
          h.run((deps) => quotePolicyUpdate(deps, tenant, policy.id, { item: { price: GBP(60_000) } })),
          'invalid_transition',
        ),
      ).toEqual(['policyId']);
      expect(
        await refusal(
          h.run((deps) =>
            updatePolicy(deps, tenant, policy.id, { policyholder: { phone: '+44 20 7946 0000' } }),
          ),
          'invalid_transition',
        ),
      ).toEqual(['policyId']);
    });

    it('updatePolicy applies at once: policyholder merged and checked, item repriced', async () => {
      const tenant = await h.tenant();
      const policy = await bind(tenant);
      const serial = await h.run((deps) =>
        updatePolicy(deps, tenant, policy.id, {
          policyholder: { email: 'ada@lovelace.example' },
          item: { serialNumber: 'SN-2' },
        }),
      );
      expect(serial.priceDiff).toBe(0);
      expect(serial.policy.policyholder).toEqual({ ...ada, email: 'ada@lovelace.example' });
      expect(serial.policy.item.serialNumber).toBe('SN-2');
      expect(serial.policy.premium).toEqual(policy.premium);

      const dearer = await h.run((deps) =>
        updatePolicy(deps, tenant, policy.id, { item: { price: GBP(99_900) } }),
      );
      expect(dearer.priceDiff).toBe(5_000);
      expect((await db.read.policies.get(tenant, policy.id))?.premium.total).toBe(9_990);
      const events = await db.read.policies.history(tenant, policy.id);
      expect(events.map((e) => [e.type, e.data.priceDiff, e.data.changeId])).toEqual([
        ['bound', undefined, undefined],
        ['modified', 0, null],
        ['modified', 5_000, null],
      ]);
      expect(await outbound(tenant)).toEqual([
        'policy.created',
        'policy.activated',
        'policy.updated',
        'policy.updated',
      ]);

      expect(
        await refusal(
          h.run((deps) => updatePolicy(deps, tenant, policy.id, { policyholder: { lastName: ' ' } })),
          'validation_failed',
        ),
      ).toEqual(['policyholder/lastName']);
      expect(
        await refusal(
          h.run((deps) => updatePolicy(deps, tenant, policy.id, {})),
          'validation_failed',
        ),
      ).toEqual(['policy']);
    });
  });

  describe('renewal', () => {
    it('quote, confirm: a new scheduled policy from the old end, linked both ways; repeat is harmless', async () => {
      const tenant = await h.tenant();
      const old = await bind(tenant);
      const quote = await h.run((deps) => quoteRenewal(deps, tenant, old.id));
      expect(quote).toMatchObject({
        kind: 'renewal',
        status: 'pending',
        policyId: old.id,
        termMonths: 12,
        coverageStart: old.coverageEnd,
        coverageEnd: new Date('2028-03-02T10:00:00.000Z'),
        premium: old.premium,
        priceDiff: 0,
      });

      h.clock.advance(HOUR);
      const { policy: next, renewed } = await h.run((deps) => confirmRenewal(deps, tenant, quote.id));
      expect(next.id).not.toBe(old.id);
      expect(next).toMatchObject({
        status: 'scheduled',
        productCode: 'product-protection',
        termMonths: 12,
        country: 'GB',
        language: old.language,
        policyholder: old.policyholder,
        item: old.item,
        refs: old.refs,
        premium: quote.premium,
        coverageStart: old.coverageEnd,
        coverageEnd: new Date('2028-03-02T10:00:00.000Z'),
        commissionBp: 1_000,
        renewalOf: old.id,
        renewedBy: null,
        offerId: null,
      });
      expect(renewed).toMatchObject({ id: old.id, status: 'active', renewedBy: next.id });
      expect(await db.read.policies.get(tenant, old.id)).toMatchObject({
        status: 'active',
        renewedBy: next.id,
      });
      expect(await db.read.policies.get(tenant, next.id)).toEqual({ ...next, renewalNotifiedAt: null });
      expect(await eventTypes(tenant, old.id)).toEqual(['bound', 'renewed']);
      expect((await db.read.policies.history(tenant, next.id))[0]).toMatchObject({
        type: 'bound',
        fromStatus: null,
        toStatus: 'scheduled',
        data: { renewalOf: old.id },
      });
      expect(await outbound(tenant, old.id)).toEqual([
        'policy.created',
        'policy.activated',
        'policy.renewed',
      ]);
      expect(await outbound(tenant, next.id)).toEqual(['policy.created']);

      const again = await h.run((deps) => confirmRenewal(deps, tenant, quote.id));
      expect(again.policy.id).toBe(next.id);
      expect(await db.read.policies.list(tenant, { limit: 10 })).toHaveLength(2);
      expect(
        await refusal(
          h.run((deps) => quoteRenewal(deps, tenant, old.id)),
          'invalid_transition',
        ),
      ).toEqual(['policyId']);
    });

    it('a renewal quote expires after 24 hours', async () => {
      const tenant = await h.tenant();
      const old = await bind(tenant);
      const quote = await h.run((deps) => quoteRenewal(deps, tenant, old.id));
      h.clock.advance(25 * HOUR);
      expect(
        await refusal(
          h.run((deps) => confirmRenewal(deps, tenant, quote.id)),
          'offer_expired',
        ),
      ).toEqual(['changeId']);
      expect((await db.read.policies.get(tenant, old.id))?.renewedBy).toBeNull();
    });

    it('opting out records an event, is harmless to repeat, and refuses renewal quotes', async () => {
      const tenant = await h.tenant();
      const policy = await bind(tenant);
      const pending = await h.run((deps) => quoteRenewal(deps, tenant, policy.id));
      const out = await h.run((deps) => optOutOfRenewal(deps, tenant, policy.id));
      expect(out.renewalOptOut).toBe(true);
      expect((await db.read.policies.get(tenant, policy.id))?.renewalOptOut).toBe(true);
      await h.run((deps) => optOutOfRenewal(deps, tenant, policy.id));
      expect(await eventTypes(tenant, policy.id)).toEqual(['bound', 'renewal_opted_out']);
      expect(await outbound(tenant)).toEqual(['policy.created', 'policy.activated', 'policy.updated']);
      expect(
        await refusal(
          h.run((deps) => quoteRenewal(deps, tenant, policy.id)),
          'invalid_transition',
        ),
      ).toEqual(['policyId']);
      // A quote priced before the opt-out cannot be confirmed after it.
      expect(
        await refusal(
          h.run((deps) => confirmRenewal(deps, tenant, pending.id)),
          'invalid_transition',
        ),
      ).toEqual(['policyId']);
    });

    it('only renewable products renew', async () => {
      const tenant = await h.tenant();
      const tablet = await h.run((deps) =>
        bindPolicy(deps, tenant, {
          source: {
            productCode: 'tech-insurance',
            termMonths: 12,
            country: 'SE',
            item: { category: 'Tablet', price: { amount: 850_000, currency: 'SEK' } },
          },
          policyholder: {
            ...ada,
            personalId: '19840726-1234',
            address: { line1: 'Storgatan 1', postalCode: '11122', city: 'Stockholm' },
          },
        }),
      );
      expect(
        await refusal(
          h.run((deps) => quoteRenewal(deps, tenant, tablet.id)),
          'not_eligible',
        ),
      ).toEqual(['policyId']);
    });

    it('at the end of term: policy.renewal_expired for the one not renewed, not for the renewed one', async () => {
      const tenant = await h.tenant();
      const lapsing = await bind(tenant);
      const renewing = await bind(tenant);
      const quote = await h.run((deps) => quoteRenewal(deps, tenant, renewing.id));
      const { policy: next } = await h.run((deps) => confirmRenewal(deps, tenant, quote.id));

      h.clock.set(new Date(lapsing.coverageEnd!.getTime() + HOUR));
      await runSchedule(db, h.clock, h.ids);

      expect((await db.read.policies.get(tenant, lapsing.id))?.status).toBe('expired');
      expect((await db.read.policies.get(tenant, renewing.id))?.status).toBe('expired');
      expect((await db.read.policies.get(tenant, next.id))?.status).toBe('active');
      expect(await outbound(tenant, lapsing.id)).toEqual([
        'policy.created',
        'policy.activated',
        'policy.expired',
        'policy.renewal_expired',
      ]);
      expect(await outbound(tenant, renewing.id)).toEqual([
        'policy.created',
        'policy.activated',
        'policy.renewed',
        'policy.expired',
      ]);
      expect(await outbound(tenant, next.id)).toEqual(['policy.created', 'policy.activated']);
    });
  });
  it('a refunded order line ends the policy and the renewal booked to follow it, as one unit', async () => {
    const tenant = await h.tenant();
    const policy = await bind(tenant);
    const change = await h.run((deps) => quoteRenewal(deps, tenant, policy.id));
    const { policy: renewal } = await h.run((deps) => confirmRenewal(deps, tenant, change.id));
    const { policies } = await h.run((deps) =>
      applyOrderEvent(deps, tenant, {
        type: 'refunded',
        orderId: 'order-1',
        lines: [{ lineId: 'line-1', quantity: 1 }],
      }),
    );
    // Both within cooling-off or not started: everything back, the next term's premium too.
    expect(policies.map((p) => [p.id, p.status, p.refund?.amount])).toEqual([
      [policy.id, 'cancelled', policy.premium.total],
      [renewal.id, 'cancelled', renewal.premium.total],
    ]);
  });
});
