import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { inject } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { ulidIds } from '../../src/core/ids.js';
import { ensureDemo } from '../../src/demo/ensure-demo.js';
import { type Database, openDatabase } from '../../src/storage/database.js';
import { TEST_ENCRYPTION_KEY } from './constants.js';

export type Backend = 'pglite' | 'postgres';

/** PGlite always; PostgreSQL too when TEST_DATABASE_URL names a server. */
export const BACKENDS: Backend[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

/**
 * A migrated database holding the demo catalog and partner. PGlite starts from the template the
 * global setup saved; PostgreSQL gets a schema of its own, dropped on close.
 */
export async function testDatabase(
  backend: Backend,
  /** PostgreSQL reached another way than TEST_DATABASE_URL (through a proxy a test can cut). */
  via?: string,
): Promise<Database> {
  if (backend === 'pglite') {
    const template = new Blob([readFileSync(inject('pgliteTemplate'))]);
    return openDatabase({ kind: 'pglite', loadDataDir: template }, TEST_ENCRYPTION_KEY);
  }
  const url = process.env.TEST_DATABASE_URL!;
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const db = await openDatabase(
    { kind: 'postgres', url: via ?? url, schema, poolSize: 4 },
    TEST_ENCRYPTION_KEY,
  );
  await db.migrate();
  const clock = new ManualClock('2026-01-01T00:00:00Z');
  await ensureDemo(db, clock, ulidIds(clock));
  return {
    ...db,
    close: async () => {
      await db.close();
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP SCHEMA ${schema} CASCADE`);
      await c.end();
    },
  };
}
