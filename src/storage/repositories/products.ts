import type { Kysely } from 'kysely';
import type { Product } from '../../core/catalog/product.js';
import type { ProductRepository } from '../../core/ports.js';
import type { Tables } from '../schema.js';

export function productRepository(db: Kysely<Tables>): ProductRepository {
  return {
    async put(product, at) {
      await db
        .insertInto('products')
        .values({ code: product.code, definition: JSON.stringify(product), updated_at: at })
        .onConflict((oc) =>
          oc.column('code').doUpdateSet({ definition: JSON.stringify(product), updated_at: at }),
        )
        .execute();
    },
    async get(code, opts) {
      const query = db.selectFrom('products').select('definition').where('code', '=', code);
      const row = await (opts?.forUpdate ? query.forUpdate() : query).executeTakeFirst();
      return row?.definition as Product | undefined;
    },
    async listEnabled(partnerId) {
      const rows = await db
        .selectFrom('partner_products as pp')
        .innerJoin('products as p', 'p.code', 'pp.product_code')
        .select(['p.definition', 'pp.commission_bp'])
        .where('pp.partner_id', '=', partnerId)
        .orderBy('pp.product_code')
        .execute();
      return rows.map((r) => ({ product: r.definition as Product, commissionBp: r.commission_bp }));
    },
    async list() {
      const rows = await db.selectFrom('products').select('definition').orderBy('code').execute();
      return rows.map((r) => r.definition as Product);
    },
  };
}
