import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { BACKENDS } from '../helpers/database.js';
import { createOffer, expectProblem, optionOf, placedOrder, tabletOffer } from '../http/support.js';

const CLIENTS = 4;

/** The same request from several clients at the same moment. */
function atOnce(n: number, send: (i: number) => Promise<LightMyRequestResponse>) {
  return Promise.all(Array.from({ length: n }, (_, i) => send(i)));
}

describe.each(BACKENDS)('races on %s', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ backend });
  });
  afterAll(() => t?.close());

  it('the same order placed by four clients at once, without a key, binds each unit once', async () => {
    const { key } = await t.newPartner();
    const order = placedOrder('race-order-1', {
      lines: [
        { line_id: 'l1', quantity: 2, item: { category: 'Tablet', price: { amount: 850_000, currency: 'SEK' } } },
        {
          line_id: 'l2',
          quantity: 2,
          protection: { protects_line_id: 'l1', product_code: 'refurbished-electronics', term_months: 12 },
        },
      ],
    });
    const answers = await atOnce(CLIENTS, () =>
      t.call({ method: 'POST', url: '/v1/order-events', key, payload: order }),
    );
    for (const a of answers) expect(a.statusCode, a.body).toBe(201);
    const ids = answers.map((a) => a.json().policies.map((p: { id: string }) => p.id).sort());
    expect(ids[0]).toHaveLength(2);
    for (const other of ids) expect(other).toEqual(ids[0]);
    const listed = await t.call({ method: 'GET', url: '/v1/policies?order_id=race-order-1&limit=100', key });
    expect(listed.json().data).toHaveLength(2);
  });

  it('one quantity-1 option bound by four keys at once: one policy, the others quantity_exceeded', async () => {
    const { key } = await t.newPartner();
    const offer = await createOffer(t, key, tabletOffer(1));
    const option = optionOf(offer, 'refurbished-electronics');
    const answers = await atOnce(CLIENTS, (i) =>
      t.call({
        method: 'POST',
        url: '/v1/policies',
        key,
        headers: { 'idempotency-key': `race-option-${i}` },
        payload: {
          offer_id: offer.id,
          option_id: option.id,
          policyholder: { first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.com', personal_id: '19840726-1234' },
        },
      }),
    );
    const won = answers.filter((a) => a.statusCode === 201);
    expect(won, answers.map((a) => a.body).join('\n')).toHaveLength(1);
    for (const lost of answers.filter((a) => a.statusCode !== 201)) {
      expectProblem(lost, 422, { code: 'quantity_exceeded', field: 'option_id' });
    }
    const listed = await t.call({ method: 'GET', url: '/v1/policies?limit=100', key });
    expect(listed.json().data).toHaveLength(1);
  });
});
