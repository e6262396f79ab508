import { type Kysely, sql } from 'kysely';
import { resealPersonalData } from './personal-data.js';
import type { Tables } from './schema.js';
import type { SecretBox } from './secret-box.js';

const BATCH = 200;

/** Every column that holds sealed values: whole sealed strings, or JSON with `{"$sealed": …}` inside. */
const SEALED_COLUMNS: { table: keyof Tables; text?: string[]; json?: string[] }[] = [
  { table: 'credentials', text: ['secret_enc'] },
  { table: 'policies', text: ['personal_id_enc'] },
  { table: 'webhook_endpoints', text: ['secret_enc', 'previous_secret_enc'] },
  { table: 'idempotency_keys', text: ['response_body'] },
  { table: 'dialect_records', text: ['personal_id_enc'] },
  { table: 'order_events', json: ['payload'] },
  { table: 'events', json: ['data'] },
  { table: 'policy_events', json: ['data'] },
];

/**
 * Seals every sealed value again with the current key, so keys rotated out can be dropped. A batch of
 * rows per transaction, each row locked while it is rewritten (a running server may be writing the same
 * rows: it keeps its change, or waits for ours); values the current key sealed already are left alone,
 * so it can be run again, or resumed after an interruption. The immutable history tables accept this one
 * kind of rewrite (`protego.reseal`, migration 020). Returns how many values were sealed again.
 */
export async function resealAll(db: Kysely<Tables>, box: SecretBox): Promise<number> {
  let resealed = 0;
  for (const { table, text = [], json = [] } of SEALED_COLUMNS) {
    let after = '(0,0)';
    for (;;) {
      const rows = await db.transaction().execute(async (trx) => {
        await sql`SELECT set_config('protego.reseal', 'on', true)`.execute(trx);
        const { rows } = await sql<Record<string, unknown> & { at: string }>`
          SELECT ctid::text AS at, ${sql.join([...text, ...json].map((c) => sql.ref(c)))}
          FROM ${sql.table(table)} WHERE ctid > ${after}::tid ORDER BY ctid LIMIT ${BATCH} FOR UPDATE`.execute(
          trx,
        );
        for (const row of rows) {
          const changes: Record<string, unknown> = {};
          for (const column of text) {
            const value = row[column];
            const again = typeof value === 'string' && value.length > 0 ? box.reseal(value) : undefined;
            if (again) changes[column] = again;
          }
          for (const column of json) {
            const again = resealPersonalData(row[column], box);
            if (JSON.stringify(again) !== JSON.stringify(row[column]))
              changes[column] = JSON.stringify(again);
          }
          const columns = Object.keys(changes);
          if (columns.length === 0) continue;
          resealed += columns.length;
          await sql`UPDATE ${sql.table(table)} SET ${sql.join(columns.map((c) => sql`${sql.ref(c)} = ${changes[c]}`))}
            WHERE ctid = ${row.at}::tid`.execute(trx);
        }
        return rows;
      });
      if (rows.length < BATCH) break;
      after = rows.at(-1)!.at;
    }
  }
  return resealed;
}
