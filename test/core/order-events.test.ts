import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS } from '../../src/core/clock.js';
import { CoreError } from '../../src/core/errors.js';
import { applyOrderEvent } from '../../src/core/orders/apply-order-event.js';
import type { OrderLine } from '../../src/core/orders/order-event.js';
import type { Tenant } from '../../src/core/partners/partner.js';
import type { Database } from '../../src/storage/database.js';
import { type CoreHarness, coreHarness } from '../helpers/core.js';
import { BACKENDS, testDatabase } from '../helpers/database.js';

const max = { firstName: 'Max', lastName: 'Mustermann', email: 'max.mustermann@example.com' };
const iphone = (quantity = 1): OrderLine => ({
  lineId: 'line-item-id-3311',
  quantity,
  item: {
    category: 'smartphones',
    name: 'iPhone 14',
    brand: 'Apple',
    price: { amount: 112900, currency: 'EUR' },
  },
});
const plan = (quantity = 1): OrderLine => ({
  lineId: 'line-item-id-3322',
  quantity,
  protection: { protectsLineId: 'line-item-id-3311', productCode: 'garantie-1j', termMonths: 12 },
});
const caseLine: OrderLine = {
  lineId: 'line-item-id-4411',
  quantity: 1,
  item: {
    category: 'accessories',
    name: 'Silicone Case iPhone 14',
    price: { amount: 1200, currency: 'EUR' },
  },
};

describe.each(BACKENDS)('order events on %s', (backend) => {
  let db: Database;
  let h: CoreHarness;
  beforeAll(async () => {
    db = await testDatabase(backend);
    h = coreHarness(db);
  });
  afterAll(() => db.close());

  const place = (tenant: Tenant, orderId: string, lines: OrderLine[]) =>
    h.run((deps) =>
      applyOrderEvent(deps, tenant, {
        type: 'order_placed',
        orderId: orderId,
        country: 'DE',
        customer: max,
        lines,
      }),
    );

  it('binds one policy per plan unit, waiting for fulfilment, priced from the catalog', async () => {
    const tenant = await h.tenant();
    const { policies, event } = await place(tenant, 'ord-1', [iphone(2), plan(2), caseLine]);
    expect(event.type).toBe('order_placed');
    expect(policies).toHaveLength(2);
    for (const p of policies) {
      expect(p.status).toBe('scheduled');
      expect(p.coverageStart).toBeNull();
      expect(p.premium.total).toBe(1200);
      expect(p.premium.taxes).toEqual([{ name: 'Versicherungsteuer', rateBp: 1900, amount: 192 }]);
      expect(p.refs).toMatchObject({
        orderId: 'ord-1',
        lineId: 'line-item-id-3311',
        planLineId: 'line-item-id-3322',
      });
    }
  });

  it('placing the same order again binds nothing new', async () => {
    const tenant = await h.tenant();
    const first = await place(tenant, 'ord-2', [iphone(), plan()]);
    const second = await place(tenant, 'ord-2', [iphone(), plan()]);
    expect(second.policies.map((p) => p.id)).toEqual(first.policies.map((p) => p.id));
    expect(second.event.id).toBe(first.event.id);
    expect(await db.read.orderEvents.list(tenant, 'ord-2')).toHaveLength(1);
  });

  it('refuses more plans than protected products, and writes nothing', async () => {
    const tenant = await h.tenant();
    const error = await place(tenant, 'ord-3', [iphone(1), plan(2)]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CoreError);
    expect((error as CoreError).code).toBe('quantity_exceeded');
    expect((error as CoreError).fields[0]?.field).toBe('lines/1/quantity');
    expect(await db.read.policies.byOrder(tenant, 'ord-3')).toEqual([]);
    expect(await db.read.orderEvents.list(tenant, 'ord-3')).toEqual([]);
  });

  it('numbers the units of a product line across the plan lines protecting it, and protects each once', async () => {
    const tenant = await h.tenant();
    const second = { ...plan(1), lineId: 'line-item-id-3333' };
    const { policies } = await place(tenant, 'ord-units', [iphone(2), plan(1), second]);
    expect(policies.map((p) => [p.refs.planLineId, p.orderUnit])).toEqual([
      ['line-item-id-3322', 0],
      ['line-item-id-3333', 1],
    ]);
    const error = await place(tenant, 'ord-units-over', [iphone(2), plan(2), second]).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CoreError);
    expect((error as CoreError).code).toBe('quantity_exceeded');
    expect((error as CoreError).fields).toEqual([
      {
        field: 'lines/2/quantity',
        message: 'at most 0: line line-item-id-3311 has 2, and earlier plan lines protect 2',
      },
    ]);
    expect(await db.read.policies.byOrder(tenant, 'ord-units-over')).toEqual([]);
  });

  it('starts cover at fulfilment, per unit fulfilled', async () => {
    const tenant = await h.tenant();
    await place(tenant, 'ord-4', [iphone(2), plan(2)]);
    const fulfilledAt = new Date(h.clock.now().getTime() - 3_600_000);
    const { policies } = await h.run((deps) =>
      applyOrderEvent(deps, tenant, {
        type: 'fulfilled',
        orderId: 'ord-4',
        lines: [{ lineId: 'line-item-id-3311', quantity: 1, at: fulfilledAt }],
      }),
    );
    expect(policies).toHaveLength(1);
    expect(policies[0]?.status).toBe('active');
    expect(policies[0]?.coverageStart).toEqual(fulfilledAt);
    expect(policies[0]?.coverageEnd?.toISOString()).toBe('2027-03-02T09:00:00.000Z');
    const all = await db.read.policies.byOrder(tenant, 'ord-4');
    expect(all.map((p) => p.status).sort()).toEqual(['active', 'scheduled']);
  });

  it('a refund of the product line and its plan line in one event ends one policy per unit, not two', async () => {
    const tenant = await h.tenant();
    await place(tenant, 'ord-5', [iphone(2), plan(2), caseLine]);
    await h.run((deps) =>
      applyOrderEvent(deps, tenant, {
        type: 'fulfilled',
        orderId: 'ord-5',
        lines: [{ lineId: 'line-item-id-3311', quantity: 2 }],
      }),
    );
    h.clock.advance(3 * DAY_MS);
    const { policies } = await h.run((deps) =>
      applyOrderEvent(deps, tenant, {
        type: 'refunded',
        orderId: 'ord-5',
        lines: [
          { lineId: 'line-item-id-3311', quantity: 1 },
          { lineId: 'line-item-id-3322', quantity: 1 },
          { lineId: 'line-item-id-4411', quantity: 1 },
        ],
      }),
    );
    expect(policies).toHaveLength(1);
    expect(policies[0]?.status).toBe('cancelled');
    // Inside the 14-day cooling-off window: everything back.
    expect(policies[0]?.refund).toEqual({ amount: 1200, currency: 'EUR' });
    const statuses = (await db.read.policies.byOrder(tenant, 'ord-5')).map((p) => p.status).sort();
    expect(statuses).toEqual(['active', 'cancelled']);
  });

  it('an event for an order never placed, or for a line it does not have, is not_found naming it and writes nothing', async () => {
    const tenant = await h.tenant();
    const refused = async (input: Parameters<typeof applyOrderEvent>[2]) => {
      const error = await h.run((deps) => applyOrderEvent(deps, tenant, input)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CoreError);
      expect((error as CoreError).code).toBe('not_found');
      return (error as CoreError).fields.map((f) => f.field);
    };
    const lines = [{ lineId: 'line-item-id-3311', quantity: 1 }];
    expect(await refused({ type: 'fulfilled', orderId: 'ord-none', lines })).toEqual(['orderId']);
    expect(await refused({ type: 'refunded', orderId: 'ord-none', lines })).toEqual(['orderId']);
    expect(await refused({ type: 'cancelled', orderId: 'ord-none' })).toEqual(['orderId']);
    await place(tenant, 'ord-lines', [iphone(), plan()]);
    expect(
      await refused({
        type: 'refunded',
        orderId: 'ord-lines',
        lines: [...lines, { lineId: 'nope', quantity: 1 }],
      }),
    ).toEqual(['lines/1/lineId']);
    expect(await db.read.orderEvents.list(tenant, 'ord-none')).toEqual([]);
    const statuses = (await db.read.policies.byOrder(tenant, 'ord-lines')).map((p) => p.status);
    expect(statuses).toEqual(['scheduled']);
    expect((await db.read.orderEvents.list(tenant, 'ord-lines')).map((e) => e.type)).toEqual([
      'order_placed',
    ]);
  });

  it('a refund after cooling-off returns the unused days pro rata', async () => {
    const tenant = await h.tenant();
    await place(tenant, 'ord-6', [iphone(), plan()]);
    await h.run((deps) =>
      applyOrderEvent(deps, tenant, {
        type: 'fulfilled',
        orderId: 'ord-6',
        lines: [{ lineId: 'line-item-id-3311', quantity: 1 }],
      }),
    );
    h.clock.advance(100 * DAY_MS);
    const { policies } = await h.run((deps) =>
      applyOrderEvent(deps, tenant, {
        type: 'refunded',
        orderId: 'ord-6',
        lines: [{ lineId: 'line-item-id-3322', quantity: 1 }],
      }),
    );
    // 365 days of cover, 100 used: 1200 × 265 / 365 = 871.23… → 871.
    expect(policies[0]?.refund).toEqual({ amount: 871, currency: 'EUR' });
    const events = await db.read.policies.history(tenant, policies[0]!.id);
    expect(events.map((e) => e.type)).toEqual(['bound', 'activated', 'cancelled']);
    expect(events.at(-1)?.data).toMatchObject({ reason: 'order_line_refunded', rule: 'pro_rata' });
  });

  it('cancelling the order voids cover that has not started and cancels cover that has', async () => {
    const tenant = await h.tenant();
    await place(tenant, 'ord-7', [iphone(2), plan(2)]);
    await h.run((deps) =>
      applyOrderEvent(deps, tenant, {
        type: 'fulfilled',
        orderId: 'ord-7',
        lines: [{ lineId: 'line-item-id-3311', quantity: 1 }],
      }),
    );
    const { policies } = await h.run((deps) =>
      applyOrderEvent(deps, tenant, { type: 'cancelled', orderId: 'ord-7' }),
    );
    expect(policies.map((p) => p.status).sort()).toEqual(['cancelled', 'voided']);
    const voided = policies.find((p) => p.status === 'voided');
    expect(voided?.refund).toEqual({ amount: 1200, currency: 'EUR' });
    const history = await db.read.orderEvents.list(tenant, 'ord-7');
    expect(history.map((e) => e.type)).toEqual(['order_placed', 'fulfilled', 'cancelled']);
  });

  it('binds an offer option chosen earlier, at the offered price', async () => {
    const tenant = await h.tenant();
    const { createOffer } = await import('../../src/core/offers/create-offer.js');
    const offer = await h.run((deps) =>
      createOffer(deps, tenant, {
        country: 'DE',
        items: [{ ref: 'line-item-id-3311', quantity: 1, item: iphone().item! }],
      }),
    );
    const option = offer.items[0]!.options.find((o) => o.productCode === 'garantie-1j')!;
    const { policies } = await place(tenant, 'ord-8', [
      iphone(),
      {
        lineId: 'plan',
        quantity: 1,
        protection: { protectsLineId: 'line-item-id-3311', offerId: offer.id, optionId: option.id },
      },
    ]);
    expect(policies[0]?.offerOptionId).toBe(option.id);
    expect(policies[0]?.premium).toEqual(option.unitPremium);
  });
});
