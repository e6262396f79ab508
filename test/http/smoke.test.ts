import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';

describe('native flow', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  it('offers, binds and refunds', async () => {
    const { key } = await t.newPartner();
    const offer = await t.call({
      method: 'POST',
      url: '/v1/offers',
      key,
      payload: {
        country: 'SE',
        items: [{ ref: 'l1', category: 'Tablet', price: { amount: 850000, currency: 'SEK' } }],
      },
    });
    expect(offer.statusCode).toBe(201);
    const option = offer.json().items[0].options[0];
    expect(option.unit_premium.total).toBe(69900);
    const policy = await t.call({
      method: 'POST',
      url: '/v1/policies',
      key,
      payload: {
        offer_id: offer.json().id,
        option_id: option.id,
        policyholder: {
          first_name: 'Glen',
          last_name: 'Clarkson',
          email: 'g@example.com',
          personal_id: '19840726-1234',
        },
        refs: { order_id: 'o-1', line_id: 'l1' },
      },
    });
    expect(policy.statusCode, policy.body).toBe(201);
    expect(policy.json().status).toBe('active');
    expect(policy.json().policyholder.personal_id).toBe('*********1234');
    const refund = await t.call({
      method: 'POST',
      url: '/v1/order-events',
      key,
      payload: { type: 'refunded', order_id: 'o-1', lines: [{ line_id: 'l1', quantity: 1 }] },
    });
    expect(refund.statusCode, refund.body).toBe(201);
    expect(refund.json().policies[0].status).toBe('cancelled');
    expect(refund.json().policies[0].refund).toEqual({ amount: 69900, currency: 'SEK' });
  });
});
