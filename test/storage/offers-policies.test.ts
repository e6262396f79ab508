import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Policy } from '../../src/core/policies/policy.js';
import type { Database } from '../../src/storage/database.js';
import { BACKENDS, testDatabase } from '../helpers/database.js';
import {
  buildOffer,
  buildPolicy,
  buildPolicyEvent,
  givenPartner,
  givenPolicy,
  HOUR_MS,
  idSource,
  T0,
  tenantOf,
} from './builders.js';

const at = (hours: number) => new Date(T0.getTime() + hours * HOUR_MS);

describe.each(BACKENDS)('storage contract on %s: offers and policies', (backend) => {
  let db: Database;
  beforeAll(async () => {
    db = await testDatabase(backend);
  });
  afterAll(() => db?.close());

  describe('offers', () => {
    it('round-trips an offer, dates revived as Dates', async () => {
      const { ids } = idSource();
      const partner = await givenPartner(db, ids);
      const tenant = tenantOf(partner);
      const offer = buildOffer(ids, tenant, T0);
      await db.read.offers.insert(offer);

      const got = await db.read.offers.get(tenant, offer.id);
      expect(got).toEqual(offer);
      expect(got?.createdAt).toBeInstanceOf(Date);
      expect(got?.expiresAt).toBeInstanceOf(Date);
      expect(got?.expiresAt).toEqual(offer.expiresAt);
      expect(got?.items[0]?.item.purchasedAt).toBeInstanceOf(Date);
      expect(got?.items[0]?.item.purchasedAt).toEqual(offer.items[0]?.item.purchasedAt);
      expect(got?.items[1]?.item.purchasedAt).toBeUndefined();
      expect(got?.declinedAt).toBeNull();
    });

    it('is invisible to another partner and in the other mode', async () => {
      const { ids } = idSource();
      const partner = await givenPartner(db, ids);
      const other = await givenPartner(db, ids);
      const offer = buildOffer(ids, tenantOf(partner, 'live'), T0);
      await db.read.offers.insert(offer);

      expect(await db.read.offers.get(tenantOf(partner, 'live'), offer.id)).toEqual(offer);
      expect(await db.read.offers.get(tenantOf(partner, 'test'), offer.id)).toBeUndefined();
      expect(await db.read.offers.get(tenantOf(other, 'live'), offer.id)).toBeUndefined();
      expect(await db.read.offers.get(tenantOf(partner, 'live'), 'off_unknown')).toBeUndefined();
    });

    it('markDeclined sets declinedAt, for the owning tenant only', async () => {
      const { ids } = idSource();
      const partner = await givenPartner(db, ids);
      const other = await givenPartner(db, ids);
      const tenant = tenantOf(partner);
      const offer = buildOffer(ids, tenant, T0);
      await db.read.offers.insert(offer);

      await db.read.offers.markDeclined(tenantOf(other), offer.id, at(1));
      await db.read.offers.markDeclined(tenantOf(partner, 'live'), offer.id, at(1));
      expect((await db.read.offers.get(tenant, offer.id))?.declinedAt).toBeNull();

      await db.read.offers.markDeclined(tenant, offer.id, at(2));
      const got = await db.read.offers.get(tenant, offer.id);
      expect(got?.declinedAt).toEqual(at(2));
      expect(got).toEqual({ ...offer, declinedAt: at(2) });
    });
  });

  describe('policies', () => {
    it('round-trips every field of a policy', async () => {
      const { ids } = idSource();
      const partner = await givenPartner(db, ids);
      const tenant = tenantOf(partner);
      const { policy } = await givenPolicy(db, ids, tenant, T0);

      const got = await db.read.policies.get(tenant, policy.id);
      expect(got).toEqual(policy);
      for (const field of ['coverageStart', 'coverageEnd', 'boundAt', 'createdAt', 'updatedAt'] as const) {
        expect(got?.[field]).toBeInstanceOf(Date);
      }
      expect(got?.item.purchasedAt).toBeInstanceOf(Date);
      expect(got?.premium).toEqual(policy.premium);
      expect(got?.refs).toEqual({ orderId: 'order-1', lineId: 'l1', receipt: 'R-1' });
      expect(got?.refund).toBeNull();
      expect(got?.claimPaid).toBe(false);
      expect(got?.policyholder.personalId).toBe('19840726-1234');
    });

    it('round-trips a policy with its optional fields empty', async () => {
      const { ids } = idSource();
      const partner = await givenPartner(db, ids);
      const tenant = tenantOf(partner, 'live');
      const { policy } = await givenPolicy(db, ids, tenant, T0, {
        status: 'pending_payment',
        coverStart: 'at_fulfilment',
        policyholder: { firstName: 'Ana', email: 'ana@example.test' },
        item: { category: 'Tablet', price: { amount: 120000, currency: 'EUR' } },
        premium: { currency: 'EUR', net: 1000, tax: 0, total: 1000, taxes: [] },
        coverageStart: null,
        coverageEnd: null,
        boundAt: null,
        offerId: null,
        offerOptionId: null,
        refs: {},
      });
      const got = await db.read.policies.get(tenant, policy.id);
      expect(got).toEqual(policy);
      expect(got?.policyholder).not.toHaveProperty('personalId');
      const row = await db.kysely
        .selectFrom('policies')
        .select(['personal_id_enc', 'order_id'])
        .where('partner_id', '=', partner.id)
        .where('id', '=', policy.id)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ personal_id_enc: null, order_id: null });
    });

    it('stores the personal id only encrypted, apart from the policyholder', async () => {
      const { ids } = idSource();
      const partner = await givenPartner(db, ids);
      const tenant = tenantOf(partner);
      const personalId = '19991231-9876';
      const base = buildPolicy(ids, tenant, T0);
      const { policy } = await givenPolicy(db, ids, tenant, T0, {
        policyholder: { ...base.policyholder, personalId: personalId },
      });

      const { rows } = await sql<{ personal_id_enc: string | null; holder: string; whole: string }>`
        SELECT p.personal_id_enc, p.policyholder::text AS holder, p::text AS whole FROM policies p
        WHERE partner_id = ${partner.id} AND id = ${policy.id}`.execute(db.kysely);
      const row = rows[0]!;
      expect(row.personal_id_enc).toBeTruthy();
      expect(row.personal_id_enc).not.toContain(personalId);
      expect(row.holder).not.toContain('personalId');
      expect(row.holder).not.toContain(personalId);
      expect(JSON.parse(row.holder)).toMatchObject({ firstName: 'Glen', lastName: 'Clarkson' });
      expect(row.whole).not.toContain(personalId);

      expect((await db.read.policies.get(tenant, policy.id))?.policyholder.personalId).toBe(personalId);
    });

    it('update writes the new state and its event; events come back in order', async () => {
      const { clock, ids } = idSource();
      const partner = await givenPartner(db, ids);
      const tenant = tenantOf(partner);
      const { policy, event: created } = await givenPolicy(db, ids, tenant, clock.now(), {
        status: 'scheduled',
      });

      clock.advance(HOUR_MS);
      const cancelled: Policy = {
        ...policy,
        status: 'cancelled',
        refund: { amount: 41230, currency: 'SEK' },
        claimPaid: true,
        renewalNotifiedAt: clock.now(),
        coverageEnd: clock.now(),
        policyholder: { ...policy.policyholder, personalId: '20000101-0000', phone: '+46709999999' },
        refs: { ...policy.refs, orderId: 'order-moved' },
        updatedAt: clock.now(),
      };
      const event = buildPolicyEvent(ids, policy, clock.now(), {
        type: 'cancelled',
        fromStatus: 'scheduled',
        toStatus: 'cancelled',
        data: { reason: 'customer_request', refund: { amount: 41230, currency: 'SEK' } },
      });
      await db.transaction((repos) => repos.policies.update(cancelled, event));

      const got = await db.read.policies.get(tenant, policy.id);
      expect(got).toEqual(cancelled);
      expect(got?.createdAt).toEqual(policy.createdAt);
      expect(await db.read.policies.history(tenant, policy.id)).toEqual([created, event]);
      expect(await db.read.policies.byOrder(tenant, 'order-moved')).toEqual([cancelled]);
      expect(await db.read.policies.byOrder(tenant, 'order-1')).toEqual([]);
    });

    it('update of a policy that is not there (or not the tenant’s) fails and writes no event', async () => {
      const { ids } = idSource();
      const partner = await givenPartner(db, ids);
      const tenant = tenantOf(partner);
      const { policy, event } = await givenPolicy(db, ids, tenant, T0);

      const ghost = buildPolicy(ids, tenant, T0);
      await expect(
        db.transaction((repos) => repos.policies.update(ghost, buildPolicyEvent(ids, ghost, T0))),
      ).rejects.toThrow(/not updated/);

      const wrongMode: Policy = { ...policy, mode: 'live', status: 'voided' };
      await expect(
        db.transaction((repos) => repos.policies.update(wrongMode, buildPolicyEvent(ids, wrongMode, T0))),
      ).rejects.toThrow(/not updated/);
      expect(await db.read.policies.get(tenant, policy.id)).toEqual(policy);
      expect(await db.read.policies.history(tenant, policy.id)).toEqual([event]);
    });

    it('get is scoped to the tenant: another partner or the other mode gets undefined', async () => {
      const { ids } = idSource();
      const partner = await givenPartner(db, ids);
      const other = await givenPartner(db, ids);
      const { policy } = await givenPolicy(db, ids, tenantOf(partner), T0);

      expect(await db.read.policies.get(tenantOf(partner, 'live'), policy.id)).toBeUndefined();
      expect(await db.read.policies.get(tenantOf(other), policy.id)).toBeUndefined();
      expect(await db.read.policies.get(tenantOf(other, 'live'), policy.id)).toBeUndefined();
      expect(await db.read.policies.get(tenantOf(partner), 'pol_unknown')).toBeUndefined();
      expect(await db.read.policies.history(tenantOf(other), policy.id)).toEqual([]);
      expect(await db.read.policies.history(tenantOf(partner, 'live'), policy.id)).toEqual([]);
    });

    it('get forUpdate inside a transaction returns the policy', async () => {
      const { ids } = idSource();
      const partner = await givenPartner(db, ids);
      const tenant = tenantOf(partner);
      const { policy } = await givenPolicy(db, ids, tenant, T0);
      const [one, byOrder] = await db.transaction(async (repos) => [
        await repos.policies.get(tenant, policy.id, { forUpdate: true }),
        await repos.policies.byOrder(tenant, 'order-1', { forUpdate: true }),
      ]);
      expect(one).toEqual(policy);
      expect(byOrder).toEqual([policy]);
    });

    it('holds each unit of an order line once, and each unit of an option once until its policy is voided', async () => {
      const { ids } = idSource();
      const partner = await givenPartner(db, ids);
      const tenant = tenantOf(partner);
      const refs = { orderId: 'o-units', lineId: 'l1', planLineId: 'l2' };
      const option = ids.next('offerOption');
      const first = await givenPolicy(db, ids, tenant, T0, {
        refs,
        orderUnit: 0,
        offerOptionId: option,
        optionUnit: 0,
      });
      expect(await db.read.policies.get(tenant, first.policy.id)).toEqual(first.policy);
      // The same unit of the line again: refused, even with the option's next unit.
      await expect(
        givenPolicy(db, ids, tenant, T0, { refs, orderUnit: 0, offerOptionId: option, optionUnit: 1 }),
      ).rejects.toMatchObject({ code: '23505', constraint: 'policies_order_unit' });
      // The same unit of the option again, for another order line: refused.
      await expect(
        givenPolicy(db, ids, tenant, T0, {
          refs: { ...refs, lineId: 'l3' },
          orderUnit: 0,
          offerOptionId: option,
          optionUnit: 0,
        }),
      ).rejects.toMatchObject({ code: '23505', constraint: 'policies_option_unit' });
      // Another unit, a policy without one (a renewal of the unit), another mode or partner: kept.
      await givenPolicy(db, ids, tenant, T0, { refs, orderUnit: 1, offerOptionId: option, optionUnit: 1 });
      await givenPolicy(db, ids, tenant, T0, {
        refs,
        orderUnit: null,
        offerOptionId: option,
        optionUnit: null,
      });
      await givenPolicy(db, ids, tenantOf(partner, 'live'), T0, {
        refs,
        orderUnit: 0,
        offerOptionId: option,
        optionUnit: 0,
      });
      // Voided, the policy gives its option unit back (its order unit stays: an order is placed once).
      const voided = { ...first.policy, status: 'voided' as const };
      await db.transaction((repos) =>
        repos.policies.update(voided, buildPolicyEvent(ids, voided, T0, { toStatus: 'voided' })),
      );
      expect(await db.read.policies.optionUnits(tenant, option)).toEqual([1]);
      await givenPolicy(db, ids, tenant, T0, {
        refs: { orderId: 'o-other' },
        offerOptionId: option,
        optionUnit: 0,
      });
      expect(await db.read.policies.optionUnits(tenant, option)).toEqual([0, 1]);
    });

    describe('list, byOrder, optionUnits', () => {
      // One partner with six test-mode policies an hour apart, plus noise the filters must leave out.
      const { clock, ids } = idSource();
      let tenant: { partnerId: string; mode: 'test' | 'live' };
      let policies: Policy[] = [];
      const option = ids.next('offerOption');

      beforeAll(async () => {
        const partner = await givenPartner(db, ids);
        const other = await givenPartner(db, ids);
        tenant = tenantOf(partner);
        const specs: Partial<Policy>[] = [
          { status: 'active', refs: { orderId: 'o-a' }, offerOptionId: option, optionUnit: 2 },
          { status: 'cancelled', refs: { orderId: 'o-a' }, offerOptionId: option, optionUnit: 0 },
          { status: 'active', refs: { orderId: 'o-b' }, offerOptionId: option, optionUnit: 3 },
          { status: 'voided', refs: { orderId: 'o-b' }, offerOptionId: option, optionUnit: 1 },
          { status: 'scheduled', refs: {}, offerOptionId: null },
          { status: 'active', refs: { orderId: 'o-a' }, offerOptionId: null },
        ];
        policies = [];
        for (const spec of specs) {
          clock.advance(HOUR_MS);
          policies.push((await givenPolicy(db, ids, tenant, clock.now(), spec)).policy);
        }
        // Same order id and option, in the other mode and for another partner: never listed.
        await givenPolicy(db, ids, tenantOf(partner, 'live'), clock.now(), {
          refs: { orderId: 'o-a' },
          offerOptionId: option,
          optionUnit: 1,
        });
        await givenPolicy(db, ids, tenantOf(other), clock.now(), {
          refs: { orderId: 'o-a' },
          offerOptionId: option,
          optionUnit: 1,
        });
      });

      const newestFirst = (ps: Policy[]) => [...ps].sort((a, b) => (a.id < b.id ? 1 : -1));
      const idsOf = (ps: Policy[]) => ps.map((p) => p.id);

      it('lists the tenant’s policies newest first by id', async () => {
        const listed = await db.read.policies.list(tenant, { limit: 100 });
        expect(idsOf(listed)).toEqual(idsOf(newestFirst(policies)));
        expect(listed[0]).toEqual(policies.at(-1));
      });

      it('filters by order id and by status', async () => {
        const byOrder = await db.read.policies.list(tenant, { orderId: 'o-a', limit: 100 });
        expect(idsOf(byOrder)).toEqual(idsOf(newestFirst(policies.filter((p) => p.refs.orderId === 'o-a'))));
        const active = await db.read.policies.list(tenant, { status: 'active', limit: 100 });
        expect(idsOf(active)).toEqual(idsOf(newestFirst(policies.filter((p) => p.status === 'active'))));
        const both = await db.read.policies.list(tenant, { orderId: 'o-a', status: 'active', limit: 100 });
        expect(idsOf(both)).toEqual([policies[5]!.id, policies[0]!.id]);
        expect(await db.read.policies.list(tenant, { status: 'expired', limit: 100 })).toEqual([]);
      });

      it('filters by creation time: from inclusive, to exclusive', async () => {
        const from = policies[1]!.createdAt;
        const to = policies[4]!.createdAt;
        const listed = await db.read.policies.list(tenant, {
          createdFrom: from,
          createdTo: to,
          limit: 100,
        });
        expect(idsOf(listed)).toEqual([policies[3]!.id, policies[2]!.id, policies[1]!.id]);
        const fromOnly = await db.read.policies.list(tenant, { createdFrom: to, limit: 100 });
        expect(idsOf(fromOnly)).toEqual([policies[5]!.id, policies[4]!.id]);
      });

      it('pages with limit and the before cursor', async () => {
        const all = idsOf(newestFirst(policies));
        const page1 = await db.read.policies.list(tenant, { limit: 2 });
        expect(idsOf(page1)).toEqual(all.slice(0, 2));
        const page2 = await db.read.policies.list(tenant, { limit: 2, before: page1.at(-1)!.id });
        expect(idsOf(page2)).toEqual(all.slice(2, 4));
        const page3 = await db.read.policies.list(tenant, { limit: 2, before: page2.at(-1)!.id });
        expect(idsOf(page3)).toEqual(all.slice(4, 6));
        const page4 = await db.read.policies.list(tenant, { limit: 2, before: page3.at(-1)!.id });
        expect(page4).toEqual([]);
      });

      it('byOrder returns the order’s policies oldest first, for the tenant only', async () => {
        const got = await db.read.policies.byOrder(tenant, 'o-a');
        expect(got).toEqual(policies.filter((p) => p.refs.orderId === 'o-a'));
        expect(await db.read.policies.byOrder(tenant, 'o-none')).toEqual([]);
        expect(await db.read.policies.byOrder({ ...tenant, mode: 'live' }, 'o-b')).toEqual([]);
      });

      it('optionUnits gives the units every policy of the option holds but voided ones, in order', async () => {
        // active, cancelled, active hold theirs; voided gave its back; the other mode and partner are not this tenant's.
        expect(await db.read.policies.optionUnits(tenant, option)).toEqual([0, 2, 3]);
        expect(await db.read.policies.optionUnits({ ...tenant, mode: 'live' }, option)).toEqual([1]);
        expect(await db.read.policies.optionUnits(tenant, 'opt_unknown')).toEqual([]);
      });
    });
  });
});
