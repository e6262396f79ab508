import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/storage/database.js';
import { BACKENDS, testDatabase } from '../helpers/database.js';

/**
 * Plain INSERTs in a transaction are held and sent together (src/storage/batched-inserts.ts): a
 * transaction must still read what it wrote, fail on a refused row, and commit all or nothing.
 * A held INSERT is seen to be held by when its refusal arrives: at the next statement, not at itself.
 */

interface Probe {
  batch_a: { id: string; n: number };
  batch_b: { id: string; n: number };
}

describe.each(BACKENDS)('storage on %s: INSERTs held in a transaction', (backend) => {
  let db: Database;
  let k: Kysely<Probe>;
  beforeAll(async () => {
    db = await testDatabase(backend);
    k = db.kysely as unknown as Kysely<Probe>;
    await sql`CREATE TABLE batch_a (id text PRIMARY KEY, n integer NOT NULL)`.execute(k);
    await sql`CREATE TABLE batch_b (id text PRIMARY KEY, n integer NOT NULL)`.execute(k);
  });
  afterAll(() => db?.close());

  let next = 0;
  const id = () => `row-${++next}`;
  const count = async (table: 'batch_a' | 'batch_b', ids: string[]) =>
    (await k.selectFrom(table).select('id').where('id', 'in', ids).execute()).length;

  it('reads its own INSERTs within the transaction, and commits them', async () => {
    const [a, b] = [id(), id()];
    const seen = await k.transaction().execute(async (trx) => {
      const inserted = await trx
        .insertInto('batch_a')
        .values([
          { id: a, n: 1 },
          { id: b, n: 2 },
        ])
        .executeTakeFirst();
      expect(inserted.numInsertedOrUpdatedRows).toBe(2n);
      return trx.selectFrom('batch_a').select(['id', 'n']).where('id', 'in', [a, b]).orderBy('n').execute();
    });
    expect(seen).toEqual([
      { id: a, n: 1 },
      { id: b, n: 2 },
    ]);
    expect(await count('batch_a', [a, b])).toBe(2);
  });

  it('an UPDATE of another table goes with the held INSERTs; one of their own table sees them', async () => {
    const [a, b, c] = [id(), id(), id()];
    await k.insertInto('batch_b').values({ id: c, n: 0 }).execute();
    await k.transaction().execute(async (trx) => {
      await trx.insertInto('batch_a').values({ id: a, n: 1 }).execute();
      await trx.insertInto('batch_b').values({ id: b, n: 1 }).execute();
      // Names batch_b, held: sent after them, so it sees the row inserted just before.
      const both = await trx
        .updateTable('batch_b')
        .set({ n: 5 })
        .where('id', 'in', [b, c])
        .executeTakeFirst();
      expect(both.numUpdatedRows).toBe(2n);
      await trx
        .insertInto('batch_b')
        .values({ id: `${b}-x`, n: 1 })
        .execute();
      // Names only batch_a (nothing of it held now): goes in one statement with the held batch_b row.
      const one = await trx.updateTable('batch_a').set({ n: 7 }).where('id', '=', a).executeTakeFirst();
      expect(one.numUpdatedRows).toBe(1n);
    });
    expect(await k.selectFrom('batch_a').select('n').where('id', '=', a).executeTakeFirst()).toEqual({
      n: 7,
    });
    expect(await count('batch_b', [b, c, `${b}-x`])).toBe(3);
  });

  it('a refused held INSERT fails the transaction when it is sent, and nothing of it is committed', async () => {
    const [taken, a, b] = [id(), id(), id()];
    await k.insertInto('batch_a').values({ id: taken, n: 0 }).execute();
    let insertAnswered = false;
    await expect(
      k.transaction().execute(async (trx) => {
        await trx.insertInto('batch_b').values({ id: a, n: 1 }).execute();
        await trx.insertInto('batch_a').values({ id: taken, n: 1 }).execute();
        insertAnswered = true;
        await trx.insertInto('batch_b').values({ id: b, n: 1 }).execute();
      }),
    ).rejects.toMatchObject({ code: '23505' });
    expect(insertAnswered).toBe(true);
    expect(await count('batch_b', [a, b])).toBe(0);
  });

  it('a rolled-back transaction sends nothing it held', async () => {
    const [taken, a] = [id(), id()];
    await k.insertInto('batch_a').values({ id: taken, n: 0 }).execute();
    await expect(
      k.transaction().execute(async (trx) => {
        await trx.insertInto('batch_b').values({ id: a, n: 1 }).execute();
        // Would be refused if sent: the work's own error is what the caller sees.
        await trx.insertInto('batch_a').values({ id: taken, n: 1 }).execute();
        throw new Error('the work gave up');
      }),
    ).rejects.toThrow('the work gave up');
    expect(await count('batch_b', [a])).toBe(0);
  });

  it('outside a transaction an INSERT is sent at once', async () => {
    const taken = id();
    await k.insertInto('batch_a').values({ id: taken, n: 0 }).execute();
    await expect(k.insertInto('batch_a').values({ id: taken, n: 1 }).execute()).rejects.toMatchObject({
      code: '23505',
    });
  });

  it('holds more rows than one statement takes parameters for, and commits them all', async () => {
    const rows = Array.from({ length: 40 }, () => Array.from({ length: 500 }, () => ({ id: id(), n: 1 })));
    await k.transaction().execute(async (trx) => {
      for (const batch of rows) await trx.insertInto('batch_a').values(batch).execute();
    });
    expect(
      await count(
        'batch_a',
        rows.flat().map((r) => r.id),
      ),
    ).toBe(20_000);
  });
});
