import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IdGenerator } from '../../src/core/ids.js';
import type { Partner } from '../../src/core/partners/partner.js';
import { DEMO_PARTNER } from '../../src/demo/catalog.js';
import type { Database } from '../../src/storage/database.js';
import { BACKENDS, testDatabase } from '../helpers/database.js';
import {
  buildCredential,
  buildOffer,
  buildOrderEvent,
  countRows,
  givenPartner,
  givenPolicy,
  HOUR_MS,
  idSource,
  T0,
  tenantOf,
  tenantTables,
} from './builders.js';

/** The tenant tables populate() writes a row to. */
const POPULATED = [
  'aliases',
  'credentials',
  'dialect_records',
  'instalments',
  'policy_changes',
  'idempotency_keys',
  'offers',
  'order_events',
  'partner_products',
  'partners',
  'policies',
  'policy_events',
];

describe.each(BACKENDS)('storage contract on %s: order events, immutable history, purge', (backend) => {
  let db: Database;
  beforeAll(async () => {
    db = await testDatabase(backend);
  });
  afterAll(() => db?.close());

  describe('order events', () => {
    it('round-trips order events in id order, scoped to tenant and order', async () => {
      const { clock, ids } = idSource();
      const partner = await givenPartner(db, ids);
      const other = await givenPartner(db, ids);
      const tenant = tenantOf(partner);
      const placed = buildOrderEvent(ids, tenant, 'ord-1', clock.now(), {
        type: 'order_placed',
        payload: {
          type: 'order_placed',
          orderId: 'ord-1',
          country: 'SE',
          customer: { firstName: 'Ana', email: 'ana@example.test' },
          lines: [{ lineId: 'l1', quantity: 1 }],
        },
        policyIds: [ids.next('policy'), ids.next('policy')],
      });
      clock.advance(HOUR_MS);
      const cancelled = buildOrderEvent(ids, tenant, 'ord-1', clock.now());
      await db.read.orderEvents.insert(cancelled);
      await db.read.orderEvents.insert(placed);
      await db.read.orderEvents.insert(buildOrderEvent(ids, tenant, 'ord-2', clock.now()));
      await db.read.orderEvents.insert(buildOrderEvent(ids, tenantOf(partner, 'live'), 'ord-1', clock.now()));
      await db.read.orderEvents.insert(buildOrderEvent(ids, tenantOf(other), 'ord-1', clock.now()));

      const got = await db.read.orderEvents.list(tenant, 'ord-1');
      expect(got).toEqual([placed, cancelled]);
      expect(got[0]?.occurredAt).toBeInstanceOf(Date);
      expect(got[0]?.createdAt).toBeInstanceOf(Date);
      expect(await db.read.orderEvents.list(tenant, 'ord-none')).toEqual([]);
    });

    it('gives the payload back with its dates as Dates, as OrderEventInput types them', async () => {
      const { ids } = idSource();
      const partner = await givenPartner(db, ids);
      const tenant = tenantOf(partner);
      const occurredAt = new Date('2026-03-01T08:15:00.000Z');
      const purchasedAt = new Date('2026-02-20T12:00:00.000Z');
      const fulfilledAt = new Date('2026-03-01T09:00:00.000Z');
      const placed = buildOrderEvent(ids, tenant, 'ord-dates', occurredAt, {
        type: 'order_placed',
        payload: {
          type: 'order_placed',
          orderId: 'ord-dates',
          occurredAt: occurredAt,
          country: 'SE',
          customer: { firstName: 'Ana', email: 'ana@example.test' },
          lines: [
            {
              lineId: 'l1',
              quantity: 1,
              item: {
                category: 'Tablet',
                price: { amount: 500000, currency: 'SEK' },
                purchasedAt: purchasedAt,
              },
            },
          ],
        },
      });
      const fulfilled = buildOrderEvent(ids, tenant, 'ord-dates', fulfilledAt, {
        type: 'fulfilled',
        payload: {
          type: 'fulfilled',
          orderId: 'ord-dates',
          occurredAt: fulfilledAt,
          lines: [{ lineId: 'l1', quantity: 1, at: fulfilledAt }],
        },
      });
      await db.read.orderEvents.insert(placed);
      await db.read.orderEvents.insert(fulfilled);

      const got = await db.read.orderEvents.list(tenant, 'ord-dates');
      expect(got).toEqual([placed, fulfilled]);
    });
  });

  describe('immutable history', () => {
    it('policy_events rows can be neither updated nor deleted', async () => {
      const { ids } = idSource();
      const partner = await givenPartner(db, ids);
      const tenant = tenantOf(partner);
      const { policy, event } = await givenPolicy(db, ids, tenant, T0);

      await expect(
        sql`UPDATE policy_events SET type = 'voided' WHERE partner_id = ${partner.id} AND id = ${event.id}`.execute(
          db.kysely,
        ),
      ).rejects.toThrow(/immutable/);
      await expect(
        sql`DELETE FROM policy_events WHERE partner_id = ${partner.id} AND id = ${event.id}`.execute(
          db.kysely,
        ),
      ).rejects.toThrow(/immutable/);
      await expect(
        db.kysely.deleteFrom('policy_events').where('partner_id', '=', partner.id).execute(),
      ).rejects.toThrow(/immutable/);
      expect(await db.read.policies.history(tenant, policy.id)).toEqual([event]);
    });

    it('order_events rows can be neither updated nor deleted', async () => {
      const { ids } = idSource();
      const partner = await givenPartner(db, ids);
      const tenant = tenantOf(partner);
      const event = buildOrderEvent(ids, tenant, 'ord-imm', T0);
      await db.read.orderEvents.insert(event);

      await expect(
        sql`UPDATE order_events SET order_id = 'other' WHERE partner_id = ${partner.id} AND id = ${event.id}`.execute(
          db.kysely,
        ),
      ).rejects.toThrow(/immutable/);
      await expect(
        sql`DELETE FROM order_events WHERE partner_id = ${partner.id} AND id = ${event.id}`.execute(
          db.kysely,
        ),
      ).rejects.toThrow(/immutable/);
      expect(await db.read.orderEvents.list(tenant, 'ord-imm')).toEqual([event]);
    });

    it('a failed change inside a transaction rolls the whole transaction back', async () => {
      const { ids } = idSource();
      const partner = await givenPartner(db, ids);
      const tenant = tenantOf(partner);
      const event = buildOrderEvent(ids, tenant, 'ord-tx', T0);
      await db.read.orderEvents.insert(event);
      const later = buildOrderEvent(ids, tenant, 'ord-tx', T0);

      await expect(
        db.transaction(async (repos) => {
          await repos.orderEvents.insert(later);
          await repos.orderEvents.insert(buildOrderEvent(ids, tenant, 'ord-tx', T0, { id: event.id }));
        }),
      ).rejects.toThrow();
      expect(await db.read.orderEvents.list(tenant, 'ord-tx')).toEqual([event]);
    });
  });

  describe('purgePartner', () => {
    /** Gives a partner a row in every tenant table. */
    async function populate(ids: IdGenerator, partner: Partner): Promise<void> {
      const tenant = tenantOf(partner);
      await db.read.partners.enableProduct(partner.id, {
        productCode: 'tech-insurance',
        commissionBp: 1500,
        enabledAt: T0,
      });
      await db.read.credentials.add(buildCredential(ids, partner, T0, { kind: 'hmac_key', secret: 'x' }));
      await db.read.offers.insert(buildOffer(ids, tenant, T0));
      const { policy } = await givenPolicy(db, ids, tenant, T0);
      await givenPolicy(db, ids, tenantOf(partner, 'live'), T0);
      await db.read.orderEvents.insert(
        buildOrderEvent(ids, tenant, 'order-1', T0, { policyIds: [policy.id] }),
      );
      await db.read.idempotency.claim({ partnerId: partner.id, mode: 'test', key: 'k-1' }, 'h', T0);
      await db.read.idempotency.claim({ partnerId: partner.id, mode: 'live', key: 'k-1' }, 'h', T0);
      // The dialects' records and the tables that hang off a policy (they must go before it).
      await db.read.aliases.add(tenant, { kind: 'k', alias: 'a-1', targetId: policy.id, createdAt: T0 });
      await db.read.dialectRecords.insert(tenant, {
        kind: 'k',
        handle: 'h-1',
        key: null,
        ref: null,
        email: null,
        data: {},
        personalId: null,
        createdAt: T0,
      });
      const { premium } = policy;
      await db.read.instalments.insertMany([
        {
          id: `inst_${policy.id}`,
          ...tenant,
          policyId: policy.id,
          number: 1,
          periodStart: T0,
          periodEnd: T0,
          amount: premium.total,
          net: premium.net,
          tax: premium.tax,
          currency: premium.currency,
          status: 'unpaid',
          paidAt: null,
          paymentAttemptedAt: null,
          lapseAt: T0,
          createdAt: T0,
          updatedAt: T0,
        },
      ]);
      await db.read.policyChanges.insert({
        id: `pch_${policy.id}`,
        groupId: `pch_${policy.id}`,
        ...tenant,
        policyId: policy.id,
        kind: 'update',
        status: 'pending',
        item: policy.item,
        premium,
        previousPremium: premium,
        priceDiff: 0,
        termMonths: policy.termMonths,
        coverageStart: policy.coverageStart,
        coverageEnd: policy.coverageEnd,
        expiresAt: T0,
        createdAt: T0,
        confirmedAt: null,
        resultPolicyId: null,
        cancellation: null,
      });
    }

    it('removes every row of the partner from every tenant table and leaves the others intact', async () => {
      const { ids } = idSource();
      const doomed = await givenPartner(db, ids);
      const kept = await givenPartner(db, ids);
      await populate(ids, doomed);
      await populate(ids, kept);
      const demo = await db.read.partners.getByCode(DEMO_PARTNER.code);

      // Every table with a partner_id column must be emptied, including ones later migrations add.
      const tables = await tenantTables(db);
      expect(tables).toEqual(expect.arrayContaining(POPULATED));
      const snapshot = async (partnerId: string) => {
        const counts: Record<string, number> = {};
        for (const table of tables) counts[table] = await countRows(db, table, partnerId);
        return counts;
      };
      const keptBefore = await snapshot(kept.id);
      const demoBefore = await snapshot(demo!.id);
      const doomedBefore = await snapshot(doomed.id);
      for (const table of POPULATED) expect(doomedBefore[table], table).toBeGreaterThan(0);

      await db.purgePartner(doomed.id);

      const doomedAfter = await snapshot(doomed.id);
      for (const table of tables) expect(doomedAfter[table], table).toBe(0);
      expect(await snapshot(kept.id)).toEqual(keptBefore);
      expect(await snapshot(demo!.id)).toEqual(demoBefore);
      expect(await db.read.partners.getById(doomed.id)).toBeUndefined();
      expect(await db.read.partners.getById(kept.id)).toEqual(kept);
      // The shared catalog is not the partner's: it stays.
      expect(await db.read.products.get('tech-insurance')).toBeDefined();
    });

    it('does not leave the history writable once the purge is over', async () => {
      const { ids } = idSource();
      const doomed = await givenPartner(db, ids);
      const kept = await givenPartner(db, ids);
      await populate(ids, doomed);
      await populate(ids, kept);
      await db.purgePartner(doomed.id);

      await expect(
        sql`DELETE FROM policy_events WHERE partner_id = ${kept.id}`.execute(db.kysely),
      ).rejects.toThrow(/immutable/);
      await expect(
        sql`DELETE FROM order_events WHERE partner_id = ${kept.id}`.execute(db.kysely),
      ).rejects.toThrow(/immutable/);
      // Not even in a later transaction on the same connection.
      await expect(
        db.kysely
          .transaction()
          .execute((trx) => sql`DELETE FROM policy_events WHERE partner_id = ${kept.id}`.execute(trx)),
      ).rejects.toThrow(/immutable/);
      expect(await countRows(db, 'policy_events', kept.id)).toBe(2);
      expect(await countRows(db, 'order_events', kept.id)).toBe(1);
    });

    it('purging a partner that does not exist is harmless', async () => {
      const { ids } = idSource();
      const kept = await givenPartner(db, ids);
      await populate(ids, kept);
      await db.purgePartner('ptn_does_not_exist');
      expect(await countRows(db, 'policies', kept.id)).toBe(2);
    });
  });
});
