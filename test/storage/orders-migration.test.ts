import { readFile } from 'node:fs/promises';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderEvent } from '../../src/core/orders/order-event.js';
import type { Database } from '../../src/storage/database.js';
import { BACKENDS, testDatabase } from '../helpers/database.js';
import { buildOrderEvent, givenPartner, idSource, T0, tenantOf } from './builders.js';

/**
 * Migration 031 keeps orders as data: an order placed before it gets its row and its lines from its
 * first placing event, so events for it are still taken and events for lines it never had are refused.
 */
describe.each(BACKENDS)('migration 031 on %s: orders from their placing events', (backend) => {
  let db: Database;
  beforeAll(async () => {
    db = await testDatabase(backend);
  });
  afterAll(() => db?.close());

  it('keeps each order placed before, with the lines of its first placing', async () => {
    const { ids } = idSource();
    const tenant = tenantOf(await givenPartner(db, ids));
    await sql`DROP TABLE order_lines`.execute(db.kysely);
    await sql`DROP TABLE orders`.execute(db.kysely);
    const placing = (lines: { lineId: string; quantity: number }[]): Partial<OrderEvent> => ({
      type: 'order_placed',
      payload: {
        type: 'order_placed',
        orderId: 'ord-1',
        country: 'DE',
        customer: { firstName: 'Max' },
        lines: lines.map((l, i) =>
          i === 1
            ? { ...l, protection: { protectsLineId: 'l-phone', productCode: 'garantie-1j', termMonths: 12 } }
            : l,
        ),
      },
    });
    await db.read.orderEvents.insert(
      buildOrderEvent(
        ids,
        tenant,
        'ord-1',
        T0,
        placing([
          { lineId: 'l-phone', quantity: 2 },
          { lineId: 'l-plan', quantity: 2 },
        ]),
      ),
    );
    // Placed again later with other lines: the first placing counts.
    await db.read.orderEvents.insert(
      buildOrderEvent(
        ids,
        tenant,
        'ord-1',
        new Date(T0.getTime() + 1000),
        placing([{ lineId: 'l-other', quantity: 1 }]),
      ),
    );
    await db.read.orderEvents.insert(buildOrderEvent(ids, tenant, 'ord-2', T0));

    const file = await readFile(
      new URL('../../src/storage/migrations/031_orders.sql', import.meta.url),
      'utf8',
    );
    await sql.raw(file).execute(db.kysely);

    const order = await db.read.orders.get(tenant, 'ord-1');
    expect(order).toMatchObject({
      orderId: 'ord-1',
      placedAt: T0,
      lines: [
        { lineId: 'l-phone', quantity: 2 },
        { lineId: 'l-plan', quantity: 2, protectsLineId: 'l-phone' },
      ],
    });
    // A cancellation alone never placed the order.
    expect(await db.read.orders.get(tenant, 'ord-2')).toBeUndefined();
  });
});
