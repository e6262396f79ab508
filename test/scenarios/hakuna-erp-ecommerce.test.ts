import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../helpers/database.js';
import { type Scenario, startScenario } from '../helpers/scenario.js';
import type { Json } from '../helpers/scenario-answer.js';
import { hakunaApi } from '../helpers/scenario-hakuna.js';

/**
 * The Hakuna ERP + e-commerce guide (shared/seeds/hakuna-erp-ecommerce.txt), told with the guide's own
 * bodies: dates moved to the scenario's days, and, for the second story, ids substituted. After each
 * step the partner's policies are read through the native API.
 */
const SESSION = 'f4f78677-31ea-4fea-9d91-5fdd91119aa8';
const iphoneQuery = {
  product_id: 'prd-iphone14',
  category: 'smartphones',
  title: 'iPhone 14',
  brand: 'Apple',
  price_amount: 112900,
  price_currency: 'eur',
  user_session_id: SESSION,
};
const caseQuery = {
  product_id: 'prd-bb-32',
  category: 'accessories',
  title: 'Silikon Case iPhone 14',
  brand: 'Apple',
  price_amount: 1200,
  price_currency: 'eur',
  user_session_id: SESSION,
};

/** The guide's cart: iPhone, its plan, and a case; `iphones` sets the iPhone's quantity. */
const guideCart = (cartId: string, opts: { iphones?: number; planQuantity?: number } = {}) => ({
  cart_id: cartId,
  user_session_id: SESSION,
  cart_currency: 'eur',
  line_items: [
    {
      id: 'line-item-id-3311',
      quantity: opts.iphones ?? 1,
      price_amount: 20000,
      product_id: 'prd-iphone14',
      product_title: 'iPhone 14',
      product_brand: 'Apple',
    },
    {
      id: 'line-item-id-3322',
      quantity: opts.planQuantity ?? 1,
      price_amount: 2000,
      product_id: 'pl-prd-hakuna',
      product_title: 'Hakuna.care protection',
      product_brand: 'Hakuna',
      custom_properties: { product_reference: 'prd-iphone14' },
    },
    {
      id: 'line-item-id-4411',
      quantity: 1,
      price_amount: 1200,
      product_id: 'prd-bb-32',
      product_title: 'Silikon Case iPhone 14',
      product_brand: 'Apple',
    },
  ],
});

/** The guide's order placement event; `withReference: false` leaves out the plan's product_reference. */
const orderPlaced = (orderId: string, cartId: string, placedAt: string, withReference = true) => ({
  type: 'order_placed',
  payload: {
    order_id: orderId,
    placed_at: placedAt,
    order_currency: 'eur',
    cart_id: cartId,
    customer: { first_name: 'Max', last_name: 'Mustermann', email: 'max.mustermann@example.com' },
    customer_billing_address: {
      address_line_1: 'Musterstrasse',
      address_line_2: '1',
      city: 'Musterstadt',
      country: 'de',
      zip: '123456',
    },
    line_items: [
      {
        id: 'line-item-id-3311',
        quantity: 1,
        price_amount: 112900,
        product_id: 'prd-iphone14',
        product_title: 'iPhone 14',
        product_brand: 'Apple',
      },
      {
        id: 'line-item-id-3322',
        quantity: 1,
        price_amount: 1200,
        product_id: 'pl-prd-hakuna',
        product_title: '1 Jahr Garantieerweiterung',
        product_brand: 'Hakuna',
        ...(withReference ? { custom_properties: { product_reference: 'prd-iphone14' } } : {}),
      },
      {
        id: 'line-item-id-4411',
        quantity: 1,
        price_amount: 1200,
        product_id: 'prd-bb-32',
        product_title: 'Silicone Case iPhone 14',
        product_brand: 'Apple',
      },
    ],
  },
});

describe.each(BACKENDS)('the Hakuna ERP + e-commerce guide on %s', (backend) => {
  let s: Scenario;
  let hakuna: ReturnType<typeof hakunaApi>;
  beforeAll(async () => {
    s = await startScenario({ backend, now: '2026-11-30T09:00:00Z' });
    const partner = await s.t.newPartner();
    // The account manager's set-up: the shop's plan item, and EUR answered from Germany.
    const plan = await s.t.admin({
      method: 'POST',
      url: `/admin/v1/partners/${partner.code}/merchant-plans`,
      payload: { merchant_product_id: 'pl-prd-hakuna', product_code: 'garantie-1j', term_months: 12 },
    });
    expect(plan.statusCode, plan.body).toBe(201);
    const eur = await s.t.admin({
      method: 'PUT',
      url: `/admin/v1/partners/${partner.code}/currency-markets/eur`,
      payload: { country: 'DE' },
    });
    expect(eur.statusCode, eur.body).toBe(200);
    hakuna = hakunaApi(s.t, partner.key);
  });
  afterAll(() => s.close());

  it('plans, cart, checkout, placement, fulfilment and refunds', async () => {
    await s.step(
      'day 0: the product page shows one plan for the iPhone 14 and none for the case',
      async () => {
        const iphone = (await hakuna.plans(iphoneQuery)).expect(200);
        expect(iphone).toEqual({
          product: {
            id: 'prd-iphone14',
            category: 'smartphones',
            title: 'iPhone 14',
            brand: 'Apple',
            price_amount: 112900,
            price_currency: 'eur',
          },
          plans: [
            {
              merchant_product_id: 'pl-prd-hakuna',
              price_amount: 1200,
              price_currency: 'eur',
              product_reference: 'prd-iphone14',
              title: { de: '1 Jahr Garantieerweiterung', en: '1-year warranty extension' },
              insurance_details_url: 'https://protego.dev/docs/garantie-1j/',
            },
          ],
        });
        expect((await hakuna.plans(caseQuery)).expect(200).plans).toEqual([]);
        expect(await hakuna.policies('ord-123')).toEqual([]);
      },
    );

    await s.step('day 0: the cart with the plan and the case needs nothing', async () => {
      const answer = (await hakuna.cart(guideCart('cart-123'))).expect(200);
      expect(answer).toEqual({ cart_id: 'cart-123', user_session_id: SESSION, actions: [] });
      expect((await hakuna.connections('cart-123', SESSION)).expect(200)).toEqual({
        cart_id: 'cart-123',
        plan_connections: [
          { product_line_item_id: 'line-item-id-3311', plan_line_item_id: 'line-item-id-3322' },
        ],
      });
    });

    await s.step(
      'day 0: two iPhones: the plan line follows with update_line_item, then nothing',
      async () => {
        const answer = (await hakuna.cart(guideCart('cart-123', { iphones: 2 }))).expect(200);
        expect(answer.actions).toEqual([
          { type: 'update_line_item', payload: { line_item_id: 'line-item-id-3322', line_item_quantity: 2 } },
        ]);
        const applied = guideCart('cart-123', { iphones: 2, planQuantity: 2 });
        expect((await hakuna.cart(applied)).expect(200).actions).toEqual([]);
        // Back to one iPhone, as the guide's order has it.
        expect((await hakuna.cart(guideCart('cart-123', { planQuantity: 2 }))).expect(200).actions).toEqual([
          { type: 'update_line_item', payload: { line_item_id: 'line-item-id-3322', line_item_quantity: 1 } },
        ]);
        expect((await hakuna.cart(guideCart('cart-123'))).expect(200).actions).toEqual([]);
        expect(await hakuna.policies('ord-123')).toEqual([]);
      },
    );

    await s.step('day 0: the checkout links the cart to ord-123', async () => {
      const body = { cart_id: 'cart-123', user_session_id: SESSION, order_id: 'ord-123' };
      expect((await hakuna.checkout(body)).expect(200)).toEqual(body);
      expect(await hakuna.policies('ord-123')).toEqual([]);
    });

    const placed = await s.step(
      'day 0: the ERP publishes the placement: one policy waits for shipping',
      async () => {
        const answer = (
          await hakuna.event(orderPlaced('ord-123', 'cart-123', '2026-11-30T09:00:00.000Z'))
        ).expect(201);
        expect(answer.event_id).toMatch(/^oev_/);
        // The ERP retries it: the same event, nothing bound twice.
        const again = await hakuna.event(orderPlaced('ord-123', 'cart-123', '2026-11-30T09:00:00.000Z'));
        expect(again.expect(201)).toEqual(answer);
        const [policy, ...others] = await hakuna.policies('ord-123');
        expect(others).toEqual([]);
        expect(policy).toMatchObject({
          status: 'scheduled',
          product_code: 'garantie-1j',
          country: 'DE',
          coverage_start: null,
          premium: { total: 1200, currency: 'EUR' },
          item: {
            category: 'smartphones',
            name: 'iPhone 14',
            brand: 'Apple',
            price: { amount: 112900, currency: 'EUR' },
          },
          policyholder: { first_name: 'Max', last_name: 'Mustermann', email: 'max.mustermann@example.com' },
          refs: {
            order_id: 'ord-123',
            line_id: 'line-item-id-3311',
            plan_line_id: 'line-item-id-3322',
            basket_id: 'cart-123',
          },
        });
        return policy as Json;
      },
    );

    await s.step('day 1: the iPhone and the case ship: cover starts at the fulfilment', async () => {
      const at = s.clock.now().toISOString();
      (
        await hakuna.event({
          type: 'order_fulfillment_added',
          payload: {
            order_id: 'ord-123',
            fulfillment_line_items: [
              { line_item_id: 'line-item-id-3311', quantity: 1, fulfilled_at: at },
              { line_item_id: 'line-item-id-4411', quantity: 1, fulfilled_at: at },
            ],
          },
        })
      ).expect(201);
      const [policy] = await hakuna.policies('ord-123');
      expect(policy).toMatchObject({ id: placed.id, status: 'active', coverage_start: at });
      expect(policy!.coverage_end).toBe('2027-12-01T09:00:00.000Z');
    });

    await s.step(
      'day 5: iPhone, plan and case are refunded: the plan is cancelled with all of its price back',
      async () => {
        const at = s.clock.now().toISOString();
        const refund = {
          type: 'order_refund_added',
          payload: {
            order_id: 'ord-123',
            refund_line_items: ['line-item-id-3311', 'line-item-id-3322', 'line-item-id-4411'].map((id) => ({
              line_item_id: id,
              quantity: 1,
              refunded_at: at,
            })),
          },
        };
        const first = (await hakuna.event(refund)).expect(201);
        const [policy] = await hakuna.policies('ord-123');
        expect(policy).toMatchObject({
          id: placed.id,
          status: 'cancelled',
          refund: { amount: 1200, currency: 'EUR' },
        });
        // The ERP sends it again: the same event, nothing changes.
        expect((await hakuna.event(refund)).expect(201)).toEqual(first);
        expect(await hakuna.policies('ord-123')).toEqual([policy]);
      },
    );
  });

  it('from the start again: the order is cancelled before shipping and its plan is voided', async () => {
    await s.step('the product page, the cart, the checkout', async () => {
      expect((await hakuna.plans(iphoneQuery)).expect(200).plans).toHaveLength(1);
      expect((await hakuna.cart(guideCart('cart-124'))).expect(200).actions).toEqual([]);
      const body = { cart_id: 'cart-124', user_session_id: SESSION, order_id: 'ord-124' };
      expect((await hakuna.checkout(body)).expect(200)).toEqual(body);
    });

    await s.step('the placement without product_reference binds through the checked-out cart', async () => {
      const event = orderPlaced('ord-124', 'cart-124', s.clock.now().toISOString(), false);
      (await hakuna.event(event)).expect(201);
      const policies = await hakuna.policies('ord-124');
      expect(policies).toHaveLength(1);
      expect(policies[0]).toMatchObject({
        status: 'scheduled',
        refs: { order_id: 'ord-124', line_id: 'line-item-id-3311', plan_line_id: 'line-item-id-3322' },
      });
    });

    await s.step('the order is cancelled: the plan that never started is voided', async () => {
      const cancelledAt = new Date(s.clock.now().getTime() + 6 * 3_600_000).toISOString();
      (
        await hakuna.event({
          type: 'order_cancelled',
          payload: { order_id: 'ord-124', cancelled_at: cancelledAt },
        })
      ).expect(201);
      const [policy] = await hakuna.policies('ord-124');
      expect(policy).toMatchObject({ status: 'voided', coverage_start: null });
    });
  });
});
