import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allMigrations, type Database, openDatabase } from '../../src/storage/database.js';
import { TEST_ENCRYPTION_KEY } from '../helpers/constants.js';
import { BACKENDS, type Backend, testDatabase } from '../helpers/database.js';

/**
 * An empty database (no schema_migrations table yet) and `count` stores on it: for PostgreSQL, several
 * pools on one fresh schema, as several processes starting at once; PGlite is one process, one store.
 */
async function emptyDatabase(
  backend: Backend,
  count: number,
): Promise<{ handles: Database[]; drop(): Promise<void> }> {
  if (backend === 'pglite') {
    const pglite = await PGlite.create();
    const db = await openDatabase({ kind: 'pglite', pglite }, TEST_ENCRYPTION_KEY);
    return { handles: Array.from({ length: count }, () => db), drop: () => db.close() };
  }
  const url = process.env.TEST_DATABASE_URL!;
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  const stores = await Promise.all(
    Array.from({ length: count }, () =>
      openDatabase({ kind: 'postgres', url, schema, poolSize: 2 }, TEST_ENCRYPTION_KEY),
    ),
  );
  return {
    handles: stores,
    async drop() {
      await Promise.all(stores.map((s) => s.close()));
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    },
  };
}

describe.each(BACKENDS)('storage contract on %s: migrations', (backend) => {
  let db: Database;
  beforeAll(async () => {
    db = await testDatabase(backend);
  });
  afterAll(() => db?.close());

  it('running migrate again on a migrated database applies nothing', async () => {
    expect(await db.migrate()).toEqual([]);
    expect(await db.migrate()).toEqual([]);
    const all = await allMigrations();
    const rows = await db.kysely
      .selectFrom('schema_migrations')
      .select(['version', 'name'])
      .orderBy('version')
      .execute();
    expect(rows).toEqual(all.map((m) => ({ version: m.version, name: m.name })));
  });

  it('concurrent migrate calls on a migrated database apply nothing', async () => {
    expect(await Promise.all([db.migrate(), db.migrate()])).toEqual([[], []]);
  });

  it('migrating an empty database applies every file once, even when started several times at once', async () => {
    const names = (await allMigrations()).map((m) => m.name);
    // A few rounds: the race between starters is timing-dependent.
    const rounds = backend === 'postgres' ? 5 : 1;
    for (let round = 0; round < rounds; round += 1) {
      const db = await emptyDatabase(backend, 3);
      try {
        const results = await Promise.allSettled(db.handles.map((s) => s.migrate()));
        const errors = results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []));
        expect(errors, `round ${round}`).toEqual([]);
        const applied = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
        // Between them the starters applied every file exactly once (each file under the lock).
        expect(applied.flat().sort()).toEqual([...names].sort());
        const rows = await db.handles[0]!.kysely.selectFrom('schema_migrations')
          .select('name')
          .orderBy('version')
          .execute();
        expect(rows.map((r) => r.name)).toEqual(names);
        expect(await db.handles[0]!.migrate()).toEqual([]);
      } finally {
        await db.drop();
      }
    }
  }, 180_000);
});
