import type { Kysely } from 'kysely';
import type { Product } from '../../core/catalog/product.js';
import type { ProductRepository } from '../../core/ports.js';
import type { Database } from '../schema.js';

export function productRepository(db: Kysely<Database>): ProductRepository {
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
    async get(code) {
      const row = await db
        .selectFrom('products')
        .select('definition')
        .where('code', '=', code)
        .executeTakeFirst();
      return row?.definition as Product | undefined;
    },
    async list() {
      const rows = await db.selectFrom('products').select('definition').orderBy('code').execute();
      return rows.map((r) => r.definition as Product);
    },
  };
}
