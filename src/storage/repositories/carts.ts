import type { Kysely, Selectable } from 'kysely';
import type { Cart, CartLine, PlanConnection } from '../../core/carts/cart.js';
import type { CartRepository } from '../../core/ports.js';
import type { CartsTable, Tables } from '../schema.js';

const toCart = (row: Selectable<CartsTable>): Cart => ({
  partnerId: row.partner_id,
  mode: row.mode,
  cartId: row.cart_id,
  sessionId: row.session_id,
  currency: row.currency,
  lines: row.lines as CartLine[],
  connections: row.connections as PlanConnection[],
  orderId: row.order_id,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export function cartRepository(db: Kysely<Tables>): CartRepository {
  return {
    async put(cart) {
      const values = {
        session_id: cart.sessionId,
        currency: cart.currency,
        lines: JSON.stringify(cart.lines),
        connections: JSON.stringify(cart.connections),
        order_id: cart.orderId,
        updated_at: cart.updatedAt,
      };
      await db
        .insertInto('carts')
        .values({
          partner_id: cart.partnerId,
          mode: cart.mode,
          cart_id: cart.cartId,
          created_at: cart.createdAt,
          ...values,
        })
        .onConflict((oc) => oc.columns(['partner_id', 'mode', 'cart_id']).doUpdateSet(values))
        .execute();
    },
    async get(tenant, cartId, opts) {
      let query = db
        .selectFrom('carts')
        .selectAll()
        .where('partner_id', '=', tenant.partnerId)
        .where('mode', '=', tenant.mode)
        .where('cart_id', '=', cartId);
      if (opts?.forUpdate) query = query.forUpdate();
      const row = await query.executeTakeFirst();
      return row && toCart(row);
    },
    async byOrder(tenant, orderId) {
      const row = await db
        .selectFrom('carts')
        .selectAll()
        .where('partner_id', '=', tenant.partnerId)
        .where('mode', '=', tenant.mode)
        .where('order_id', '=', orderId)
        .executeTakeFirst();
      return row && toCart(row);
    },
  };
}
