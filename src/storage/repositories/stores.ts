import type { Kysely, Selectable } from 'kysely';
import type { StoreRepository } from '../../core/ports.js';
import type { PartnerStore } from '../../core/stores/store.js';
import type { StoresTable, Tables } from '../schema.js';

const toStore = (row: Selectable<StoresTable>): PartnerStore => ({
  partnerId: row.partner_id,
  externalId: row.external_id,
  country: row.country,
  currency: row.currency,
  createdAt: row.created_at,
});

export function storeRepository(db: Kysely<Tables>): StoreRepository {
  return {
    async add(s) {
      await db
        .insertInto('stores')
        .values({
          partner_id: s.partnerId,
          external_id: s.externalId,
          country: s.country,
          currency: s.currency,
          created_at: s.createdAt,
        })
        .execute();
    },
    async get(partnerId, externalId) {
      const row = await db
        .selectFrom('stores')
        .selectAll()
        .where('partner_id', '=', partnerId)
        .where('external_id', '=', externalId)
        .executeTakeFirst();
      return row && toStore(row);
    },
    async list(partnerId) {
      const rows = await db
        .selectFrom('stores')
        .selectAll()
        .where('partner_id', '=', partnerId)
        .orderBy('external_id')
        .execute();
      return rows.map(toStore);
    },
    async remove(partnerId, externalId) {
      const result = await db
        .deleteFrom('stores')
        .where('partner_id', '=', partnerId)
        .where('external_id', '=', externalId)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
  };
}
