import type { Kysely } from 'kysely';
import type { Product } from '../../core/catalog/product.js';
import type { ProductChangeRepository } from '../../core/ports.js';
import type { Tables } from '../schema.js';

export function productChangeRepository(db: Kysely<Tables>): ProductChangeRepository {
  return {
    async add(c) {
      await db
        .insertInto('product_changes')
        .values({
          id: c.id,
          product_code: c.productCode,
          changed_at: c.at,
          actor_id: c.actor.userId,
          actor: c.actor.name,
          before: c.before ? JSON.stringify(c.before) : null,
          after: JSON.stringify(c.after),
        })
        .execute();
    },
    async list(productCode, limit) {
      const rows = await db
        .selectFrom('product_changes')
        .selectAll()
        .where('product_code', '=', productCode)
        .orderBy('changed_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
      return rows.map((r) => ({
        id: r.id,
        productCode: r.product_code,
        at: r.changed_at,
        actor: { userId: r.actor_id, name: r.actor },
        before: r.before as Product | null,
        after: r.after as Product,
      }));
    },
  };
}
