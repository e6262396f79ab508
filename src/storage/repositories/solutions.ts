import type { Kysely, Selectable } from 'kysely';
import type { SolutionRepository } from '../../core/ports.js';
import type { Solution } from '../../core/solutions/solution.js';
import type { SolutionsTable, Tables } from '../schema.js';

const toSolution = (row: Selectable<SolutionsTable>): Solution => ({
  partnerId: row.partner_id,
  code: row.code,
  productCode: row.product_code,
  country: row.country,
  createdAt: row.created_at,
});

export function solutionRepository(db: Kysely<Tables>): SolutionRepository {
  const scoped = (partnerId: string) =>
    db.selectFrom('solutions').selectAll().where('partner_id', '=', partnerId);
  return {
    async put(s) {
      await db
        .insertInto('solutions')
        .values({
          partner_id: s.partnerId,
          code: s.code,
          product_code: s.productCode,
          country: s.country,
          created_at: s.createdAt,
        })
        .onConflict((oc) =>
          oc.columns(['partner_id', 'code']).doUpdateSet({ product_code: s.productCode, country: s.country }),
        )
        .execute();
    },
    async get(partnerId, code) {
      const row = await scoped(partnerId).where('code', '=', code).executeTakeFirst();
      return row && toSolution(row);
    },
    async list(partnerId) {
      return (await scoped(partnerId).orderBy('code').execute()).map(toSolution);
    },
    async remove(partnerId, code) {
      const result = await db
        .deleteFrom('solutions')
        .where('partner_id', '=', partnerId)
        .where('code', '=', code)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
  };
}
