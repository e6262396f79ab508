import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { type Kysely, sql } from 'kysely';
import type { Tables } from './schema.js';

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

/** The advisory lock every migrating process takes, so they apply each file once between them. */
const LOCK = 7_264_803;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * A migration that is code, not SQL: what SQL cannot do, such as sealing values with the encryption key.
 * Numbered and recorded like the SQL files, so it runs once, in its place in the order.
 */
export interface CodeMigration {
  version: number;
  name: string;
  run(trx: Kysely<Tables>): Promise<void>;
}

export async function loadMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => /^\d+_.+\.sql$/.test(f)).sort();
  return Promise.all(
    files.map(async (file) => ({
      version: Number(file.split('_')[0]),
      name: file.replace(/\.sql$/, ''),
      sql: await readFile(`${dir}${file}`, 'utf8'),
    })),
  );
}

/**
 * Applies the numbered SQL files not applied yet, each in its own transaction. An advisory lock keeps
 * two processes starting at once from applying the same file twice.
 */
export async function migrate(db: Kysely<Tables>, code: CodeMigration[] = []): Promise<string[]> {
  const migrations = [...(await loadMigrations()), ...code].sort((a, b) => a.version - b.version);
  const applied: string[] = [];
  // A current schema (every start but the first after an upgrade) costs one query, not a transaction per file.
  if (await isCurrent(db, migrations)) return applied;
  await db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(${LOCK})`.execute(trx);
    await sql`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL)`.execute(trx);
  });
  for (const migration of migrations) {
    const done = await db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(${LOCK})`.execute(trx);
      const seen = await trx
        .selectFrom('schema_migrations')
        .select('version')
        .where('version', '=', migration.version)
        .executeTakeFirst();
      if (seen) return false;
      if ('sql' in migration) await sql.raw(migration.sql).execute(trx);
      else await migration.run(trx);
      await trx
        .insertInto('schema_migrations')
        .values({ version: migration.version, name: migration.name, applied_at: new Date() })
        .execute();
      return true;
    });
    if (done) applied.push(migration.name);
  }
  return applied;
}

async function isCurrent(db: Kysely<Tables>, migrations: { version: number }[]): Promise<boolean> {
  // No table yet (a new database), or any other failure: the locked path below finds out.
  const { rows } = await sql<{ version: number }>`SELECT version FROM schema_migrations`
    .execute(db)
    .catch(() => ({ rows: [] as { version: number }[] }));
  const done = new Set(rows.map((r) => r.version));
  return migrations.every((m) => done.has(m.version));
}
