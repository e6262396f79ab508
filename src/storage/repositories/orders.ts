import type { Kysely } from 'kysely';
import type { Order } from '../../core/orders/order.js';
import type { OrderRepository } from '../../core/ports.js';
import type { Tables } from '../schema.js';

export function orderRepository(db: Kysely<Tables>): OrderRepository {
  return {
    async insert(order) {
      await db
        .insertInto('orders')
        .values({
          partner_id: order.partnerId,
          mode: order.mode,
          order_id: order.orderId,
          placed_at: order.placedAt,
          created_at: order.createdAt,
        })
        .execute();
      if (order.lines.length === 0) return;
      await db
        .insertInto('order_lines')
        .values(
          order.lines.map((line, position) => ({
            partner_id: order.partnerId,
            mode: order.mode,
            order_id: order.orderId,
            line_id: line.lineId,
            position,
            quantity: line.quantity,
            protects_line_id: line.protectsLineId ?? null,
          })),
        )
        .execute();
    },
    async get(tenant, orderId) {
      const row = await db
        .selectFrom('orders')
        .selectAll()
        .where('partner_id', '=', tenant.partnerId)
        .where('mode', '=', tenant.mode)
        .where('order_id', '=', orderId)
        .executeTakeFirst();
      if (!row) return undefined;
      const lines = await db
        .selectFrom('order_lines')
        .selectAll()
        .where('partner_id', '=', tenant.partnerId)
        .where('mode', '=', tenant.mode)
        .where('order_id', '=', orderId)
        .orderBy('position')
        .execute();
      return {
        partnerId: row.partner_id,
        mode: row.mode,
        orderId: row.order_id,
        placedAt: row.placed_at,
        createdAt: row.created_at,
        lines: lines.map((l) => ({
          lineId: l.line_id,
          quantity: l.quantity,
          ...(l.protects_line_id !== null ? { protectsLineId: l.protects_line_id } : {}),
        })),
      } satisfies Order;
    },
  };
}
