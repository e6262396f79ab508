import { type Kysely, sql } from 'kysely';
import type { CodeMigration } from './migrate.js';
import { sealPersonalData } from './personal-data.js';
import type { Tables } from './schema.js';
import type { SecretBox } from './secret-box.js';

const BATCH = 500;

export const SEAL_PERSONAL_DATA = { version: 16, name: '016_seal_personal_data' };

/**
 * Migration 016: personal ids written in clear into stored JSON before they were sealed there (order
 * event payloads, outbox events, policy history) are sealed in place, a batch of rows at a time. These
 * tables are immutable (their triggers reject updates): each trigger is off for this one rewrite, inside
 * the migration's transaction.
 */
export function sealStoredPersonalData(box: SecretBox): CodeMigration {
  return {
    ...SEAL_PERSONAL_DATA,
    async run(trx) {
      await sealColumn(trx, box, 'order_events', 'payload');
      await sealColumn(trx, box, 'events', 'data');
      await sealColumn(trx, box, 'policy_events', 'data');
    },
  };
}

async function sealColumn(
  db: Kysely<Tables>,
  box: SecretBox,
  table: 'order_events' | 'events' | 'policy_events',
  column: 'payload' | 'data',
): Promise<void> {
  const trigger = sql.id(`${table}_immutable`);
  await sql`ALTER TABLE ${sql.table(table)} DISABLE TRIGGER ${trigger}`.execute(db);
  let after = '';
  for (;;) {
    const rows = (await db
      .selectFrom(table)
      .select(['partner_id', 'id', column])
      .where('id', '>', after)
      .orderBy('id')
      .limit(BATCH)
      .execute()) as { partner_id: string; id: string; [key: string]: unknown }[];
    for (const row of rows) {
      const sealed = sealPersonalData(row[column], box);
      if (JSON.stringify(sealed) === JSON.stringify(row[column])) continue;
      await db
        .updateTable(table)
        .set({ [column]: JSON.stringify(sealed) } as never)
        .where('partner_id', '=', row.partner_id)
        .where('id', '=', row.id)
        .execute();
    }
    if (rows.length < BATCH) break;
    after = rows.at(-1)!.id;
  }
  await sql`ALTER TABLE ${sql.table(table)} ENABLE TRIGGER ${trigger}`.execute(db);
}
