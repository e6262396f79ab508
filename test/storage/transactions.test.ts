import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/storage/database.js';
import { BACKENDS, testDatabase } from '../helpers/database.js';
import {
  buildCredential,
  buildPartner,
  buildPolicy,
  buildPolicyEvent,
  countRows,
  givenPartner,
  givenPolicy,
  idSource,
  sleep,
  T0,
  tenantOf,
} from './builders.js';

describe.each(BACKENDS)('storage contract on %s: transactions and int8', (backend) => {
  let db: Database;
  beforeAll(async () => {
    db = await testDatabase(backend);
  });
  afterAll(() => db?.close());

  describe('transactions', () => {
    it('commits the work and returns its value', async () => {
      const { ids } = idSource();
      const partner = buildPartner(ids, T0);
      const result = await db.transaction(async (repos) => {
        await repos.partners.create(partner);
        return repos.partners.getByCode(partner.code);
      });
      expect(result).toEqual(partner);
      expect(await db.read.partners.getById(partner.id)).toEqual(partner);
    });

    it('rolls everything back when the work throws', async () => {
      const { ids } = idSource();
      const partner = buildPartner(ids, T0);
      const tenant = tenantOf(partner);
      const policy = buildPolicy(ids, tenant, T0);
      const boom = new Error('work failed');
      await expect(
        db.transaction(async (repos) => {
          await repos.partners.create(partner);
          await repos.credentials.add(buildCredential(ids, partner, T0));
          await repos.partners.enableProduct(partner.id, {
            productCode: 'tech-insurance',
            commissionBp: 1000,
            enabledAt: T0,
          });
          await repos.policies.insert(policy, buildPolicyEvent(ids, policy, T0));
          // Visible inside the transaction…
          expect(await repos.policies.get(tenant, policy.id)).toEqual(policy);
          throw boom;
        }),
      ).rejects.toBe(boom);

      // …and nowhere after it.
      expect(await db.read.partners.getById(partner.id)).toBeUndefined();
      expect(await db.read.policies.get(tenant, policy.id)).toBeUndefined();
      for (const table of ['partners', 'credentials', 'partner_products', 'policies', 'policy_events']) {
        expect(await countRows(db, table, partner.id), table).toBe(0);
      }
    });

    it('rolls back the earlier writes when a statement fails, and the store keeps working', async () => {
      const { ids } = idSource();
      const existing = await givenPartner(db, ids);
      const fresh = buildPartner(ids, T0);
      await expect(
        db.transaction(async (repos) => {
          await repos.partners.create(fresh);
          await repos.partners.create(buildPartner(ids, T0, { code: existing.code }));
        }),
      ).rejects.toThrow();
      expect(await db.read.partners.getById(fresh.id)).toBeUndefined();
      // The connection is usable for plain reads and for new transactions.
      expect(await db.read.partners.getById(existing.id)).toEqual(existing);
      await db.transaction((repos) => repos.partners.create(fresh));
      expect(await db.read.partners.getById(fresh.id)).toEqual(fresh);
    });

    it('runs the work again when a unit index refused it (a race lost), and only then', async () => {
      const { ids } = idSource();
      const partner = await givenPartner(db, ids);
      const tenant = tenantOf(partner);
      const option = ids.next('offerOption');
      await givenPolicy(db, ids, tenant, T0, { offerOptionId: option, optionUnit: 0 });
      // The first run takes unit 0, already held; run again, the work reads the units and takes the next.
      let runs = 0;
      const bound = await db.transaction(async (repos) => {
        runs += 1;
        const held = await repos.policies.optionUnits(tenant, option);
        const unit = runs === 1 ? 0 : Math.max(...held) + 1;
        const policy = buildPolicy(ids, tenant, T0, { offerOptionId: option, optionUnit: unit });
        await repos.policies.insert(policy, buildPolicyEvent(ids, policy, T0));
        return policy;
      });
      expect(runs).toBe(2);
      expect(bound.optionUnit).toBe(1);
      expect(await db.read.policies.optionUnits(tenant, option)).toEqual([0, 1]);
      // Any other refusal is the work's own: it is not run again.
      let others = 0;
      await expect(
        db.transaction(async (repos) => {
          others += 1;
          await repos.partners.create(buildPartner(ids, T0, { code: partner.code }));
        }),
      ).rejects.toMatchObject({ code: '23505' });
      expect(others).toBe(1);
      // A unit that stays taken is given up on after a few runs, with the database's refusal.
      let stubborn = 0;
      await expect(
        db.transaction(async (repos) => {
          stubborn += 1;
          const policy = buildPolicy(ids, tenant, T0, { offerOptionId: option, optionUnit: 0 });
          await repos.policies.insert(policy, buildPolicyEvent(ids, policy, T0));
        }),
      ).rejects.toMatchObject({ code: '23505', constraint: 'policies_option_unit' });
      expect(stubborn).toBeGreaterThan(2);
    });

    it('overlapping transactions, one failing: the rolled-back row never leaks and the other commits', async () => {
      const { ids } = idSource();
      const doomed = buildPartner(ids, T0);
      const kept = buildPartner(ids, T0);
      const failing = db.transaction(async (repos) => {
        await repos.partners.create(doomed);
        await sleep(30);
        throw new Error('rolled back');
      });
      // Started while the first is open: neither its reads nor its commit may see the doomed row.
      const committing = db.transaction(async (repos) => {
        await repos.partners.create(kept);
        await sleep(10);
        const seen = await repos.partners.getById(doomed.id);
        const list = await repos.partners.list();
        return {
          seen,
          listed: list.some((p) => p.id === doomed.id),
          self: await repos.partners.getById(kept.id),
        };
      });
      const outsideRead = (async () => {
        await sleep(5);
        return db.read.partners.getById(doomed.id);
      })();

      const [failed, committed, outside] = await Promise.allSettled([failing, committing, outsideRead]);
      expect(failed.status).toBe('rejected');
      expect(committed.status).toBe('fulfilled');
      if (committed.status === 'fulfilled') {
        expect(committed.value.seen).toBeUndefined();
        expect(committed.value.listed).toBe(false);
        expect(committed.value.self).toEqual(kept);
      }
      expect(outside).toEqual({ status: 'fulfilled', value: undefined });

      expect(await db.read.partners.getById(doomed.id)).toBeUndefined();
      expect(await db.read.partners.getById(kept.id)).toEqual(kept);
    });

    it('many concurrent transactions, every other one failing: exactly the successful ones are kept', async () => {
      const { ids } = idSource();
      const partners = Array.from({ length: 12 }, () => buildPartner(ids, T0));
      const outcomes = await Promise.allSettled(
        partners.map((p, i) =>
          db.transaction(async (repos) => {
            await repos.partners.create(p);
            await repos.credentials.add(buildCredential(ids, p, T0));
            await sleep(i % 3);
            if (i % 2 === 1) throw new Error(`fail ${i}`);
            return (await repos.credentials.list(p.id)).length;
          }),
        ),
      );
      outcomes.forEach((o, i) => {
        expect(o.status, `transaction ${i}`).toBe(i % 2 === 1 ? 'rejected' : 'fulfilled');
        if (o.status === 'fulfilled') expect(o.value).toBe(1);
      });
      for (const [i, p] of partners.entries()) {
        const expected = i % 2 === 1 ? 0 : 1;
        expect(await countRows(db, 'partners', p.id), p.code).toBe(expected);
        expect(await countRows(db, 'credentials', p.id), p.code).toBe(expected);
      }
    });

    it('a transaction never reads rows another one has written but not committed', async () => {
      const { ids } = idSource();
      const partner = buildPartner(ids, T0);
      let release!: () => void;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      const writer = db.transaction(async (repos) => {
        await repos.partners.create(partner);
        // PostgreSQL: hold the transaction open until the reader has read. PGlite runs transactions one at
        // a time, so the reader cannot start before this one ends: waiting for it would deadlock.
        if (db.kind === 'postgres') await gate;
        else await sleep(20);
        throw new Error('rolled back');
      });
      const reader = (async () => {
        await sleep(5);
        try {
          return await db.transaction((repos) => repos.partners.getById(partner.id));
        } finally {
          release();
        }
      })();
      const [written, seen] = await Promise.allSettled([writer, reader]);
      expect(written.status).toBe('rejected');
      expect(seen).toEqual({ status: 'fulfilled', value: undefined });
      expect(await db.read.partners.getById(partner.id)).toBeUndefined();
    });
  });

  describe('int8 columns come back as numbers', () => {
    it('count(*) through raw SQL and through the query builder', async () => {
      const { rows } = await sql<{ n: unknown }>`SELECT count(*) AS n FROM products`.execute(db.kysely);
      expect(typeof rows[0]?.n).toBe('number');
      expect(rows[0]?.n).toBeGreaterThanOrEqual(5);

      const built = await db.kysely
        .selectFrom('products')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      expect(typeof built.n).toBe('number');

      const inTrx = await db.kysely
        .transaction()
        .execute((trx) => sql<{ n: unknown }>`SELECT count(*) AS n FROM partners`.execute(trx));
      expect(typeof inTrx.rows[0]?.n).toBe('number');
    });

    it('a bigint column (premium_total) round-trips as a number, beyond the int4 range', async () => {
      const { ids } = idSource();
      const partner = await givenPartner(db, ids);
      const big = 12_345_678_901;
      const { policy } = await givenPolicy(db, ids, tenantOf(partner), T0, {
        premium: { currency: 'SEK', net: big, tax: 0, total: big, taxes: [] },
      });
      const row = await db.kysely
        .selectFrom('policies')
        .select('premium_total')
        .where('partner_id', '=', partner.id)
        .where('id', '=', policy.id)
        .executeTakeFirstOrThrow();
      expect(row.premium_total).toBe(big);
      const { rows } = await sql<{ total: unknown; sum: unknown }>`
        SELECT premium_total AS total, sum(premium_total)::bigint AS sum FROM policies
        WHERE partner_id = ${partner.id} GROUP BY premium_total`.execute(db.kysely);
      expect(rows[0]).toEqual({ total: big, sum: big });
    });
  });
});
