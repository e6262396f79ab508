import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { DEMO_KEY } from '../helpers/constants.js';
import type { Answer, Json } from '../helpers/scenario-answer.js';
import { hakunaApi } from '../helpers/scenario-hakuna.js';

/**
 * The Hakuna dialect's refusals, each produced once with the field it names, and its conventions
 * (environments, both key headers, idempotency). The demo partner answers EUR from DE and sells the
 * guide's `pl-prd-hakuna`.
 */
let t: TestApp;
let hakuna: ReturnType<typeof hakunaApi>;
beforeAll(async () => {
  t = await buildTestApp({ failedAttempts: { limit: 4, windowMs: 60_000 } });
  hakuna = hakunaApi(t, DEMO_KEY);
});
afterAll(() => t.close());

const SESSION = 'session-1';
const iphone = {
  product_id: 'prd-iphone14',
  category: 'smartphones',
  price_amount: 112900,
  price_currency: 'eur',
};
const iphoneLine = (quantity = 1) => ({
  id: 'l-phone',
  quantity,
  price_amount: 112900,
  product_id: 'prd-iphone14',
});
const planLine = (quantity = 1, reference = 'prd-iphone14') => ({
  id: 'l-plan',
  quantity,
  price_amount: 1200,
  product_id: 'pl-prd-hakuna',
  custom_properties: { product_reference: reference },
});
const placed = (orderId: string, lines: Json[], currency = 'eur') => ({
  type: 'order_placed',
  payload: {
    order_id: orderId,
    order_currency: currency,
    customer: { first_name: 'Max', last_name: 'Mustermann', email: 'max@example.com' },
    line_items: lines,
  },
});

/** Asserts Hakuna's error body and returns it. */
function refused(answer: Answer, status: number, code: string, fields: string[] = []): Json {
  expect(answer.status, answer.text).toBe(status);
  expect(answer.body.error.error_code, answer.text).toBe(code);
  expect(answer.body.error.message).toEqual(expect.any(String));
  expect(answer.body.error.validation_errors.map((e: Json) => e.field)).toEqual(fields);
  return answer.body.error;
}

describe('Hakuna: authentication and environments', () => {
  it("takes the key as Authorization: Bearer and as the guide's Bearer: header", async () => {
    expect((await hakuna.plans(iphone)).expect(200).plans).toHaveLength(1);
    const res = await t.app.inject({
      method: 'GET',
      url: '/hakuna/sandbox/products/plans?product_id=p&category=smartphones&price_amount=100000&price_currency=EUR',
      headers: { authorization: `Bearer ${DEMO_KEY}` },
    });
    expect(res.statusCode, res.body).toBe(200);
  });

  it('refuses no key, an unknown key, a test key on live and a live key on sandbox', async () => {
    const plans = (headers: Record<string, string>, env = 'sandbox') =>
      t.app.inject({ method: 'GET', url: `/hakuna/${env}/products/plans?product_id=p`, headers });
    const as = async (p: ReturnType<typeof plans>) => {
      const res = await p;
      return { status: res.statusCode, body: res.json(), text: res.body } as Answer;
    };
    refused(await as(plans({})), 401, 'authentication_failed', ['Authorization']);
    refused(await as(plans({ bearer: 'sk_test_nope' })), 401, 'authentication_failed', ['Authorization']);
    const error = refused(await as(plans({ bearer: DEMO_KEY }, 'live')), 401, 'authentication_failed', [
      'Authorization',
    ]);
    expect(error.message).toContain('use /hakuna/sandbox');
    const live = await t.newPartner({ mode: 'live' });
    refused(await as(plans({ bearer: live.key })), 401, 'authentication_failed', ['Authorization']);
    const onLive = await as(plans({ bearer: live.key }, 'live'));
    // Past authentication: the query is incomplete.
    refused(onLive, 400, 'invalid_request_parameters', ['category', 'price_amount', 'price_currency']);
  });

  it('slows a client that keeps sending bad keys: rate_limited', async () => {
    const res = await Promise.all(
      Array.from({ length: 6 }, () =>
        t.app.inject({
          method: 'GET',
          url: '/hakuna/sandbox/products/plans',
          headers: { bearer: 'sk_test_wrong', 'x-forwarded-for': '10.9.9.9' },
          remoteAddress: '10.9.9.9',
        }),
      ),
    );
    const last = res.at(-1)!;
    refused({ status: last.statusCode, body: last.json(), text: last.body } as Answer, 429, 'rate_limited', [
      'Authorization',
    ]);
  });

  it('answers an unknown path with resource_not_found', async () => {
    refused(
      answerOf(
        await t.app.inject({ method: 'GET', url: '/hakuna/sandbox/nope', headers: { bearer: DEMO_KEY } }),
      ),
      404,
      'resource_not_found',
    );
  });
});

function answerOf(res: Awaited<ReturnType<TestApp['app']['inject']>>): Answer {
  return {
    status: res.statusCode,
    body: res.json(),
    text: res.body,
    headers: res.headers,
    expect: () => res.json(),
  };
}

describe('Hakuna: product page', () => {
  it('answers plans: [] for a product no plan covers', async () => {
    expect((await hakuna.plans({ ...iphone, category: 'fridges' })).expect(200).plans).toEqual([]);
    expect((await hakuna.plans({ ...iphone, price_amount: 400_000 })).expect(200).plans).toEqual([]);
  });

  it('refuses a currency no market answers (country_unsupported) and a malformed query', async () => {
    refused(await hakuna.plans({ ...iphone, price_currency: 'chf' }), 422, 'country_unsupported', [
      'price_currency',
    ]);
    // A partner that sells EUR in Germany and France and chose neither for it.
    const undecided = hakunaApi(t, (await t.newPartner()).key);
    const error = refused(await undecided.plans(iphone), 422, 'country_unsupported', ['price_currency']);
    expect(error.message).toContain('DE, FR');
    refused(await hakuna.plans({ ...iphone, price_amount: 'much' }), 400, 'invalid_request_parameters', [
      'price_amount',
    ]);
    refused(await hakuna.plans({ ...iphone, colour: 'red' }), 400, 'invalid_request_parameters', ['colour']);
  });
});

describe('Hakuna: carts and checkouts', () => {
  it('refuses a line id used twice, a currency no market answers, and a cart of another session', async () => {
    const cart = { cart_id: 'c-errors', user_session_id: SESSION, cart_currency: 'eur' };
    refused(
      await hakuna.cart({ ...cart, line_items: [iphoneLine(), { ...planLine(), id: 'l-phone' }] }),
      400,
      'invalid_request_parameters',
      ['line_items/1/id'],
    );
    refused(
      await hakuna.cart({ ...cart, cart_currency: 'chf', line_items: [] }),
      422,
      'country_unsupported',
      ['cart_currency'],
    );
    refused(
      await hakuna.cart({ ...cart, line_items: [{ ...iphoneLine(), quantity: 0 }] }),
      400,
      'invalid_request_parameters',
      ['line_items/0/quantity'],
    );
    (await hakuna.cart({ ...cart, line_items: [iphoneLine(), planLine()] })).expect(200);
    refused(await hakuna.connections('c-none', SESSION), 404, 'cart_not_found', ['cart_id']);
    refused(await hakuna.connections('c-errors', 'someone-else'), 404, 'cart_not_found', ['user_session_id']);
    refused(
      await hakuna.checkout({ cart_id: 'c-none', user_session_id: SESSION, order_id: 'o-1' }),
      404,
      'cart_not_found',
      ['cart_id'],
    );
  });

  it('removes a plan whose product left, and checks a cart out once: another order for it is a conflict', async () => {
    const cart = { cart_id: 'c-once', user_session_id: SESSION, cart_currency: 'eur' };
    const answer = (await hakuna.cart({ ...cart, line_items: [planLine()] })).expect(200);
    expect(answer.actions).toEqual([{ type: 'remove_line_item', payload: { line_item_id: 'l-plan' } }]);
    (await hakuna.cart({ ...cart, line_items: [iphoneLine()] })).expect(200);
    const checkout = { cart_id: 'c-once', user_session_id: SESSION, order_id: 'o-once' };
    (await hakuna.checkout(checkout)).expect(200);
    expect((await hakuna.checkout(checkout)).expect(200)).toEqual(checkout);
    refused(await hakuna.checkout({ ...checkout, order_id: 'o-other' }), 409, 'conflict', ['order_id']);
  });

  it('is idempotent under Hakuna-Idempotency-Key: a replay answers the same, another body is refused', async () => {
    const body = {
      cart_id: 'c-idem',
      user_session_id: SESSION,
      cart_currency: 'eur',
      line_items: [iphoneLine()],
    };
    const key = { 'hakuna-idempotency-key': 'k-cart-1' };
    const first = (await hakuna.cart(body, key)).expect(200);
    const again = await hakuna.cart(body, key);
    expect(again.expect(200)).toEqual(first);
    expect(again.headers['idempotent-replayed']).toBe('true');
    refused(await hakuna.cart({ ...body, cart_id: 'c-idem-2' }, key), 422, 'idempotency_key_reused', [
      'Idempotency-Key',
    ]);
    refused(
      await hakuna.cart(body, { 'idempotency-key': 'x'.repeat(300) }),
      400,
      'invalid_request_parameters',
      ['idempotency-key'],
    );
  });
});

describe('Hakuna: order events', () => {
  it('refuses events for an order never placed (order_not_found) and lines it does not have', async () => {
    const fulfil = (orderId: string, lineId: string) => ({
      type: 'order_fulfillment_added',
      payload: { order_id: orderId, fulfillment_line_items: [{ line_item_id: lineId, quantity: 1 }] },
    });
    refused(await hakuna.event(fulfil('ord-none', 'l-phone')), 404, 'order_not_found', ['payload/order_id']);
    refused(
      await hakuna.event({ type: 'order_cancelled', payload: { order_id: 'ord-none' } }),
      404,
      'order_not_found',
      ['payload/order_id'],
    );
    (await hakuna.event(placed('ord-lines', [iphoneLine()]))).expect(201);
    refused(await hakuna.event(fulfil('ord-lines', 'l-nope')), 404, 'line_item_not_found', [
      'payload/fulfillment_line_items/0/line_item_id',
    ]);
    refused(
      await hakuna.event({
        type: 'order_refund_added',
        payload: { order_id: 'ord-lines', refund_line_items: [{ line_item_id: 'l-nope', quantity: 1 }] },
      }),
      404,
      'line_item_not_found',
      ['payload/refund_line_items/0/line_item_id'],
    );
    refused(await hakuna.event({ type: 'order_shipped', payload: {} }), 400, 'invalid_request_parameters', [
      'type',
    ]);
  });

  it('refuses a plan line at a price Protego did not quote, naming its price_amount, and binds nothing', async () => {
    const error = refused(
      await hakuna.event(placed('ord-price', [iphoneLine(), { ...planLine(), price_amount: 999 }])),
      400,
      'invalid_request_parameters',
      ['payload/line_items/1/price_amount'],
    );
    expect(error.message).toContain('1200');
    // The message names the client's field, as the validation error does: no core name inside.
    expect(error.message).toMatch(/^payload\/line_items\/1\/price_amount: /);
    expect(await hakuna.policies('ord-price')).toEqual([]);
    refused(await hakuna.event(fulfilOf('ord-price')), 404, 'order_not_found', ['payload/order_id']);
  });

  it('refuses a plan for a product never shown on a product page (product_unsupported)', async () => {
    const unseen = { id: 'l-tv', quantity: 1, price_amount: 100_000, product_id: 'prd-never-seen' };
    refused(
      await hakuna.event(placed('ord-unseen', [unseen, { ...planLine(1, 'prd-never-seen') }])),
      422,
      'product_unsupported',
      ['payload/line_items/0/product_id'],
    );
  });

  it('refuses a plan naming no line of the order, more plans than products, and a currency no market answers', async () => {
    refused(
      await hakuna.event(placed('ord-ref', [iphoneLine(), planLine(1, 'prd-elsewhere')])),
      400,
      'invalid_request_parameters',
      ['payload/line_items/1/custom_properties/product_reference'],
    );
    const noReference = { ...planLine(), custom_properties: {} };
    refused(
      await hakuna.event(placed('ord-noref', [iphoneLine(), noReference])),
      400,
      'invalid_request_parameters',
      ['payload/line_items/1/custom_properties/product_reference'],
    );
    refused(
      await hakuna.event(placed('ord-qty', [iphoneLine(1), planLine(2)])),
      400,
      'invalid_request_parameters',
      ['payload/line_items/1/quantity'],
    );
    refused(await hakuna.event(placed('ord-chf', [iphoneLine()], 'chf')), 422, 'country_unsupported', [
      'payload/order_currency',
    ]);
  });
});

const fulfilOf = (orderId: string) => ({
  type: 'order_fulfillment_added',
  payload: { order_id: orderId, fulfillment_line_items: [{ line_item_id: 'l-phone', quantity: 1 }] },
});

describe("admin: the shop's plan items and its market per currency", () => {
  const admin = async (method: 'POST' | 'PUT' | 'GET' | 'DELETE', url: string, payload?: Json) => {
    const res = await t.admin({
      method,
      url: `/admin/v1/partners/electroshop${url}`,
      ...(payload ? { payload } : {}),
    });
    return { status: res.statusCode, body: res.body ? res.json() : undefined };
  };

  it("lists the demo partner's settings and refuses what cannot be", async () => {
    expect((await admin('GET', '/merchant-plans')).body.data).toEqual([
      expect.objectContaining({
        merchant_product_id: 'pl-prd-hakuna',
        product_code: 'garantie-1j',
        term_months: 12,
      }),
    ]);
    expect((await admin('GET', '/currency-markets')).body.data).toEqual([
      expect.objectContaining({ currency: 'EUR', country: 'DE' }),
    ]);
    const taken = await admin('POST', '/merchant-plans', {
      merchant_product_id: 'pl-prd-hakuna',
      product_code: 'tech-insurance',
      term_months: 12,
    });
    expect(taken.status).toBe(409);
    expect(taken.body.errors[0].field).toBe('merchant_product_id');
    const term = await admin('POST', '/merchant-plans', {
      merchant_product_id: 'pl-2y',
      product_code: 'garantie-1j',
      term_months: 24,
    });
    expect(term.status).toBe(400);
    expect(term.body.errors[0].field).toBe('term_months');
    const wrong = await admin('PUT', '/currency-markets/eur', { country: 'SE' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors[0].field).toBe('country');
    expect((await admin('DELETE', '/merchant-plans/pl-none')).status).toBe(404);
  });
});
