import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import {
  bindDirect,
  createOffer,
  directPolicy,
  expectProblem,
  holder,
  listPolicies,
  optionOf,
  placedOrder,
  rowCounts,
  swedishHolder,
  tabletOffer,
} from './support.js';

/**
 * Bad input on every native route: a 4xx problem naming the field, never a 500, and nothing written.
 * Each case runs for a partner of its own, whose tables must still be empty afterwards.
 */
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

const EMPTY = { offers: 0, policies: 0, policy_events: 0, order_events: 0, idempotency_keys: 0 };

interface Case {
  name: string;
  payload: unknown;
  status: number;
  code?: string;
  field: string;
  message?: string | RegExp;
}

/** Sends a bad body as a fresh partner and checks the refusal and that the partner has no rows at all. */
async function refusedAndNothingWritten(url: string, c: Case) {
  const { key, partnerId } = await t.newPartner();
  const res = await t.call({ method: 'POST', url, key, payload: c.payload as object });
  expectProblem(res, c.status, {
    code: c.code ?? 'validation_failed',
    field: c.field,
    ...(c.message ? { message: c.message } : {}),
  });
  expect(await rowCounts(t, partnerId)).toEqual(EMPTY);
  expect(await listPolicies(t, key)).toEqual([]);
}

const tablet = () => tabletOffer().items[0]!;

describe('POST /v1/offers', () => {
  const cases: Case[] = [
    {
      name: 'missing country',
      payload: { items: [tablet()] },
      status: 400,
      field: 'country',
      message: 'is required',
    },
    {
      name: 'missing items',
      payload: { country: 'SE' },
      status: 400,
      field: 'items',
      message: 'is required',
    },
    { name: 'no items', payload: { country: 'SE', items: [] }, status: 400, field: 'items' },
    {
      name: 'amount as a string',
      payload: tabletOffer(1, { items: [{ ...tablet(), price: { amount: '100', currency: 'SEK' } }] }),
      status: 400,
      field: 'items/0/price/amount',
      message: 'must be integer',
    },
    {
      name: 'negative amount',
      payload: tabletOffer(1, { items: [{ ...tablet(), price: { amount: -1, currency: 'SEK' } }] }),
      status: 400,
      field: 'items/0/price/amount',
    },
    {
      name: 'fractional amount',
      payload: tabletOffer(1, { items: [{ ...tablet(), price: { amount: 10.5, currency: 'SEK' } }] }),
      status: 400,
      field: 'items/0/price/amount',
    },
    {
      name: 'lower-case currency',
      payload: tabletOffer(1, { items: [{ ...tablet(), price: { amount: 100, currency: 'sek' } }] }),
      status: 400,
      field: 'items/0/price/currency',
    },
    {
      name: 'currency of four letters',
      payload: tabletOffer(1, { items: [{ ...tablet(), price: { amount: 100, currency: 'SEKK' } }] }),
      status: 400,
      field: 'items/0/price/currency',
    },
    {
      name: 'three-letter country',
      payload: tabletOffer(1, { country: 'SWE' }),
      status: 400,
      field: 'country',
    },
    { name: 'numeric country', payload: tabletOffer(1, { country: 46 }), status: 400, field: 'country' },
    {
      name: 'unknown top-level field',
      payload: tabletOffer(1, { colour: 'red' }),
      status: 400,
      field: 'colour',
      message: 'is not a known field',
    },
    {
      name: 'unknown item field',
      payload: tabletOffer(1, { items: [{ ...tablet(), colour: 'red' }] }),
      status: 400,
      field: 'items/0/colour',
      message: 'is not a known field',
    },
    {
      name: 'unknown price field',
      payload: tabletOffer(1, { items: [{ ...tablet(), price: { amount: 100, currency: 'SEK', vat: 25 } }] }),
      status: 400,
      field: 'items/0/price/vat',
      message: 'is not a known field',
    },
    { name: 'quantity 0', payload: tabletOffer(0), status: 400, field: 'items/0/quantity' },
    {
      name: 'missing category',
      payload: { country: 'SE', items: [{ ref: 'a', price: { amount: 100, currency: 'SEK' } }] },
      status: 400,
      field: 'items/0/category',
      message: 'is required',
    },
    {
      name: 'bad purchased_at',
      payload: tabletOffer(1, { items: [{ ...tablet(), purchased_at: 'yesterday' }] }),
      status: 400,
      field: 'items/0/purchased_at',
    },
    {
      name: 'upper-case language',
      payload: tabletOffer(1, { language: 'SV' }),
      status: 400,
      field: 'language',
    },
    {
      name: 'a market the partner does not sell in',
      payload: tabletOffer(1, { country: 'NO' }),
      status: 400,
      field: 'country',
      message: /not one of the partner's markets/,
    },
    {
      name: 'a currency other than the market one',
      payload: tabletOffer(1, { items: [{ ...tablet(), price: { amount: 850_000, currency: 'EUR' } }] }),
      status: 400,
      field: 'items/0/price/currency',
      message: 'must be SEK in SE',
    },
    {
      name: 'the same ref twice',
      payload: tabletOffer(1, { items: [tablet(), tablet()] }),
      status: 400,
      field: 'items/1/ref',
    },
    {
      name: 'a ref key outside the pattern',
      payload: tabletOffer(1, { refs: { 'Order-Id': 'o-1' } }),
      status: 400,
      field: 'refs/Order-Id',
    },
    {
      name: 'a ref value that is not text',
      payload: tabletOffer(1, { refs: { order_id: 5 } }),
      status: 400,
      field: 'refs/order_id',
    },
    {
      name: 'a NUL character in a ref',
      payload: tabletOffer(1, { items: [{ ...tablet(), ref: 'a\u0000b' }] }),
      status: 400,
      field: 'items/0/ref',
    },
  ];
  it.each(cases)('$name -> $status $field', (c) => refusedAndNothingWritten('/v1/offers', c));

  it('an item nothing covers is offered no option (not an error)', async () => {
    const { key } = await t.newPartner();
    const offer = await createOffer(
      t,
      key,
      tabletOffer(1, { items: [{ ref: 'f', category: 'Fridge', price: { amount: 100, currency: 'SEK' } }] }),
    );
    expect(offer.items[0]!.options).toEqual([]);
  });
});

describe('POST /v1/policies', () => {
  const cases: Case[] = [
    { name: 'empty object', payload: {}, status: 400, field: 'policyholder', message: 'is required' },
    {
      name: 'neither an offer nor a product',
      payload: { policyholder: holder() },
      status: 400,
      field: 'product_code',
      message: 'is required without an offer',
    },
    {
      name: 'product without item',
      payload: directPolicy({ item: undefined }),
      status: 400,
      field: 'item',
      message: 'is required without an offer',
    },
    {
      name: 'option_id without offer_id',
      payload: { option_id: 'opt_01kdvdna00q3ee47cp5hrta72k', policyholder: holder() },
      status: 400,
      field: 'offer_id',
    },
    {
      name: 'offer_id without option_id',
      payload: { offer_id: 'off_01kdvdna00q3ee47cp5hrta72k', policyholder: holder() },
      status: 400,
      field: 'option_id',
    },
    {
      name: 'unknown offer',
      payload: {
        offer_id: 'off_01kdvdna00q3ee47cp5hrta72k',
        option_id: 'opt_01kdvdna00q3ee47cp5hrta72k',
        policyholder: holder(),
      },
      status: 404,
      code: 'not_found',
      field: 'offer_id',
    },
    {
      name: 'unknown product',
      payload: directPolicy({ product_code: 'no-such-product' }),
      status: 422,
      code: 'product_not_enabled',
      field: 'product_code',
    },
    {
      name: 'a term the product is not sold for',
      payload: directPolicy({ term_months: 48 }),
      status: 400,
      field: 'term_months',
      message: /12 or 24 or 36 months/,
    },
    {
      name: 'term as a string',
      payload: directPolicy({ term_months: '12' }),
      status: 400,
      field: 'term_months',
    },
    { name: 'term 0', payload: directPolicy({ term_months: 0 }), status: 400, field: 'term_months' },
    {
      name: 'amount as a string',
      payload: directPolicy({ item: { category: 'Laptop', price: { amount: '100', currency: 'GBP' } } }),
      status: 400,
      field: 'item/price/amount',
    },
    {
      name: 'negative amount',
      payload: directPolicy({ item: { category: 'Laptop', price: { amount: -100, currency: 'GBP' } } }),
      status: 400,
      field: 'item/price/amount',
    },
    {
      name: 'missing price',
      payload: directPolicy({ item: { category: 'Laptop' } }),
      status: 400,
      field: 'item/price',
      message: 'is required',
    },
    {
      name: 'bad currency',
      payload: directPolicy({ item: { category: 'Laptop', price: { amount: 100_000, currency: 'gbp' } } }),
      status: 400,
      field: 'item/price/currency',
    },
    { name: 'bad country', payload: directPolicy({ country: 'GBR' }), status: 400, field: 'country' },
    {
      name: 'a market the partner does not sell in',
      payload: directPolicy({ country: 'NO' }),
      status: 400,
      field: 'country',
    },
    {
      name: 'a market the product is not sold in',
      payload: directPolicy({
        product_code: 'garantie-1j',
        country: 'SE',
        item: { category: 'smartphones', price: { amount: 100_000, currency: 'SEK' } },
      }),
      status: 422,
      code: 'not_eligible',
      field: 'country',
    },
    {
      name: 'a currency other than the market one',
      payload: directPolicy({ item: { category: 'Laptop', price: { amount: 100_000, currency: 'USD' } } }),
      status: 422,
      code: 'not_eligible',
      field: 'item/price/currency',
    },
    {
      name: 'a category the product does not cover',
      payload: directPolicy({
        product_code: 'refurbished-electronics',
        country: 'SE',
        item: { category: 'Fridge', price: { amount: 850_000, currency: 'SEK' } },
        policyholder: swedishHolder(),
      }),
      status: 422,
      code: 'not_eligible',
      field: 'item/category',
    },
    {
      name: 'a price below the product range',
      payload: directPolicy({ item: { category: 'Laptop', price: { amount: 1_000, currency: 'GBP' } } }),
      status: 422,
      code: 'not_eligible',
      field: 'item/price/amount',
    },
    {
      name: 'refurbished-electronics without a personal id',
      payload: directPolicy({
        product_code: 'refurbished-electronics',
        country: 'SE',
        item: { category: 'Tablet', price: { amount: 850_000, currency: 'SEK' } },
      }),
      status: 400,
      field: 'policyholder/personal_id',
    },
    {
      name: 'product-protection without an email',
      payload: directPolicy({ policyholder: { first_name: 'Ada', last_name: 'Lovelace' } }),
      status: 400,
      field: 'policyholder/email',
    },
    {
      name: 'a malformed email',
      payload: directPolicy({ policyholder: { ...holder(), email: 'not-an-email' } }),
      status: 400,
      field: 'policyholder/email',
    },
    {
      name: 'unknown field',
      payload: directPolicy({ colour: 'red' }),
      status: 400,
      field: 'colour',
      message: 'is not a known field',
    },
    {
      name: 'unknown policyholder field',
      payload: directPolicy({ policyholder: { ...holder(), age: 36 } }),
      status: 400,
      field: 'policyholder/age',
      message: 'is not a known field',
    },
    {
      name: 'bad coverage_start',
      payload: directPolicy({ coverage_start: 'tomorrow' }),
      status: 400,
      field: 'coverage_start',
    },
    {
      name: 'payment_pending as a string',
      payload: directPolicy({ payment_pending: 'yes' }),
      status: 400,
      field: 'payment_pending',
    },
    {
      name: 'a ref key outside the pattern',
      payload: directPolicy({ refs: { OrderId: 'o-1' } }),
      status: 400,
      field: 'refs/OrderId',
    },
    {
      name: 'a NUL character in the policyholder',
      payload: directPolicy({ policyholder: { ...holder(), first_name: 'A\u0000' } }),
      status: 400,
      field: 'policyholder/first_name',
    },
    {
      name: 'a NUL character in a ref key',
      payload: directPolicy({ refs: { 'order\u0000id': 'o-1' } }),
      status: 400,
      field: 'refs/order\u0000id',
    },
  ];
  it.each(cases)('$name -> $status $field', (c) => refusedAndNothingWritten('/v1/policies', c));

  describe('from an offer', () => {
    it('an option the offer does not have -> 404 option_id', async () => {
      const { key, partnerId } = await t.newPartner();
      const offer = await createOffer(t, key);
      const res = await t.call({
        method: 'POST',
        url: '/v1/policies',
        key,
        payload: {
          offer_id: offer.id,
          option_id: 'opt_01kdvdna00q3ee47cp5hrta72k',
          policyholder: swedishHolder(),
        },
      });
      expectProblem(res, 404, { code: 'not_found', field: 'option_id' });
      expect((await rowCounts(t, partnerId)).policies).toBe(0);
    });

    it('a policyholder without the fields the product requires -> policyholder/personal_id', async () => {
      const { key, partnerId } = await t.newPartner();
      const offer = await createOffer(t, key);
      const res = await t.call({
        method: 'POST',
        url: '/v1/policies',
        key,
        payload: {
          offer_id: offer.id,
          option_id: optionOf(offer, 'refurbished-electronics').id,
          policyholder: holder(),
        },
      });
      expectProblem(res, 400, { code: 'validation_failed', field: 'policyholder/personal_id' });
      expect((await rowCounts(t, partnerId)).policies).toBe(0);
    });

    it('an expired offer -> 422 offer_expired', async () => {
      const { key, partnerId } = await t.newPartner();
      const offer = await createOffer(t, key);
      const option = optionOf(offer, 'refurbished-electronics');
      t.clock.advance(24 * 3_600_000 + 1_000);
      const res = await t.call({
        method: 'POST',
        url: '/v1/policies',
        key,
        payload: { offer_id: offer.id, option_id: option.id, policyholder: swedishHolder() },
      });
      expectProblem(res, 422, { code: 'offer_expired', field: 'offer_id' });
      expect((await rowCounts(t, partnerId)).policies).toBe(0);
      expect(await listPolicies(t, key)).toEqual([]);
    });

    it('binding an option more times than its quantity -> 422 quantity_exceeded', async () => {
      const { key } = await t.newPartner();
      const offer = await createOffer(t, key, tabletOffer(2));
      const bind = () =>
        t.call({
          method: 'POST',
          url: '/v1/policies',
          key,
          payload: {
            offer_id: offer.id,
            option_id: optionOf(offer, 'refurbished-electronics').id,
            policyholder: swedishHolder(),
          },
        });
      expect((await bind()).statusCode).toBe(201);
      expect((await bind()).statusCode).toBe(201);
      expectProblem(await bind(), 422, { code: 'quantity_exceeded', field: 'option_id' });
      expect(await listPolicies(t, key)).toHaveLength(2);
    });
  });
});

describe('GET /v1/policies', () => {
  it.each([
    ['limit=0', 'querystring:limit'],
    ['limit=101', 'querystring:limit'],
    ['limit=ten', 'querystring:limit'],
    ['limit=1.5', 'querystring:limit'],
    ['cursor=garbage', 'querystring:cursor'],
    [`cursor=${Buffer.from('pol_short').toString('base64url')}`, 'querystring:cursor'],
    [`cursor=${'x'.repeat(101)}`, 'querystring:cursor'],
    ['status=bogus', 'querystring:status'],
    ['created_from=yesterday', 'querystring:created_from'],
    ['created_to=2026-13-45', 'querystring:created_to'],
    ['order_id=', 'querystring:order_id'],
    ['colour=red', 'querystring:colour'],
    ['order_id=o%001', 'querystring:order_id'],
  ])('?%s -> 400 %s', async (query, field) => {
    const { key } = await t.newPartner();
    await bindDirect(t, key);
    const res = await t.call({ method: 'GET', url: `/v1/policies?${query}`, key });
    expectProblem(res, 400, { code: 'validation_failed', field });
  });

  it('a cursor for an id that is not there simply ends the list', async () => {
    const { key } = await t.newPartner();
    const cursor = Buffer.from('pol_00000000000000000000000000').toString('base64url');
    const res = await t.call({ method: 'GET', url: `/v1/policies?cursor=${cursor}`, key });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ object: 'list', data: [], next_cursor: null });
  });
});

describe('GET /v1/policies/:id and /events', () => {
  it.each([
    '/v1/policies/pol_01kdvdna00q3ee47cp5hrta72k',
    '/v1/policies/pol_01kdvdna00q3ee47cp5hrta72k/events',
  ])('unknown policy: %s -> 404 id', async (url) => {
    const { key } = await t.newPartner();
    expectProblem(await t.call({ method: 'GET', url, key }), 404, { code: 'not_found', field: 'id' });
  });

  it('an id longer than any id -> 400 params:id', async () => {
    const { key } = await t.newPartner();
    const res = await t.call({ method: 'GET', url: `/v1/policies/${'p'.repeat(61)}`, key });
    expectProblem(res, 400, { code: 'validation_failed', field: 'params:id' });
  });

  it.each(['/v1/policies/%00', '/v1/policies/pol%00x/events'])(
    'a NUL character in the id: %s -> 400 params:id',
    async (url) => {
      const { key } = await t.newPartner();
      expectProblem(await t.call({ method: 'GET', url, key }), 400, {
        code: 'validation_failed',
        field: 'params:id',
      });
    },
  );
});

describe('POST /v1/policies/:id/cancel', () => {
  it('unknown policy -> 404 and nothing written', async () => {
    const { key, partnerId } = await t.newPartner();
    const res = await t.call({
      method: 'POST',
      url: '/v1/policies/pol_01kdvdna00q3ee47cp5hrta72k/cancel',
      key,
      payload: { reason: 'changed my mind' },
    });
    expectProblem(res, 404, { code: 'not_found', field: 'policy_id' });
    expect(await rowCounts(t, partnerId)).toEqual(EMPTY);
  });

  it.each([
    ['preview as a string', { preview: 'yes' }, 'preview'],
    ['empty reason', { reason: '' }, 'reason'],
    ['unknown field', { refund: 100 }, 'refund'],
    ['a body that is not an object', [1, 2], 'body'],
  ])('%s -> 400 and the policy stays active', async (_name, payload, field) => {
    const { key } = await t.newPartner();
    const policy = await bindDirect(t, key);
    const res = await t.call({ method: 'POST', url: `/v1/policies/${policy.id}/cancel`, key, payload });
    expectProblem(res, 400, { code: 'validation_failed', field });
    const after = await t.call({ method: 'GET', url: `/v1/policies/${policy.id}`, key });
    expect(after.json().status).toBe('active');
    expect(
      (await t.call({ method: 'GET', url: `/v1/policies/${policy.id}/events`, key })).json().data,
    ).toHaveLength(1);
  });

  it('no body -> 400', async () => {
    const { key } = await t.newPartner();
    const policy = await bindDirect(t, key);
    const res = await t.call({ method: 'POST', url: `/v1/policies/${policy.id}/cancel`, key });
    expectProblem(res, 400, { code: 'validation_failed', field: 'body' });
  });

  it('cancelling a cancelled policy -> 409 invalid_transition, nothing more written', async () => {
    const { key, partnerId } = await t.newPartner();
    const policy = await bindDirect(t, key);
    const url = `/v1/policies/${policy.id}/cancel`;
    const first = await t.call({ method: 'POST', url, key, payload: { reason: 'changed my mind' } });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().policy.status).toBe('cancelled');
    const before = await rowCounts(t, partnerId);
    expectProblem(await t.call({ method: 'POST', url, key, payload: {} }), 409, {
      code: 'invalid_transition',
      field: 'policy_id',
    });
    expectProblem(await t.call({ method: 'POST', url, key, payload: { preview: true } }), 409, {
      code: 'invalid_transition',
    });
    expect(await rowCounts(t, partnerId)).toEqual(before);
    const events = (await t.call({ method: 'GET', url: `/v1/policies/${policy.id}/events`, key })).json()
      .data;
    expect(events.map((e: { type: string }) => e.type)).toEqual(['bound', 'cancelled']);
  });
});

describe('POST /v1/order-events', () => {
  const tabletLine = () => placedOrder('o').lines[0] as Record<string, unknown>;
  const planLine = (protection: Record<string, unknown>, quantity = 1) => ({
    line_id: 'l2',
    quantity,
    protection: {
      protects_line_id: 'l1',
      product_code: 'refurbished-electronics',
      term_months: 12,
      ...protection,
    },
  });
  const cases: Case[] = [
    {
      name: 'unknown type',
      payload: { type: 'shipped', order_id: 'o-1' },
      status: 400,
      field: 'type',
    },
    { name: 'no type', payload: { order_id: 'o-1' }, status: 400, field: 'type', message: 'is required' },
    { name: 'numeric type', payload: { type: 5, order_id: 'o-1' }, status: 400, field: 'type' },
    {
      name: 'no order_id',
      payload: { type: 'cancelled' },
      status: 400,
      field: 'order_id',
      message: 'is required',
    },
    {
      name: 'a field of another type',
      payload: { type: 'cancelled', order_id: 'o-1', lines: [] },
      status: 400,
      field: 'lines',
      message: 'is not a known field',
    },
    {
      name: 'fulfilled without lines',
      payload: { type: 'fulfilled', order_id: 'o-1' },
      status: 400,
      field: 'lines',
    },
    {
      name: 'refunded with quantity 0',
      payload: { type: 'refunded', order_id: 'o-1', lines: [{ line_id: 'l1', quantity: 0 }] },
      status: 400,
      field: 'lines/0/quantity',
    },
    {
      name: 'bad occurred_at',
      payload: { type: 'cancelled', order_id: 'o-1', occurred_at: 'now' },
      status: 400,
      field: 'occurred_at',
    },
    {
      name: 'order_placed without customer',
      payload: { ...placedOrder('o-1'), customer: undefined },
      status: 400,
      field: 'customer',
      message: 'is required',
    },
    {
      name: 'order_placed without lines',
      payload: placedOrder('o-1', { lines: [] }),
      status: 400,
      field: 'lines',
    },
    {
      name: 'order_placed with a bad country',
      payload: { ...placedOrder('o-1'), country: 'Sweden' },
      status: 400,
      field: 'country',
    },
    {
      name: 'a line with an unknown field',
      payload: placedOrder('o-1', { lines: [{ ...tabletLine(), colour: 'red' }] }),
      status: 400,
      field: 'lines/0/colour',
      message: 'is not a known field',
    },
    {
      name: 'a line quantity as a string',
      payload: placedOrder('o-1', { lines: [{ ...tabletLine(), quantity: '1' }] }),
      status: 400,
      field: 'lines/0/quantity',
    },
    {
      name: 'an item amount as a string',
      payload: placedOrder('o-1', {
        lines: [{ ...tabletLine(), item: { category: 'Tablet', price: { amount: '100', currency: 'SEK' } } }],
      }),
      status: 400,
      field: 'lines/0/item/price/amount',
    },
    {
      name: 'plan quantity above the protected line quantity',
      payload: placedOrder('o-1', { lines: [tabletLine(), planLine({}, 2)] }),
      status: 422,
      code: 'quantity_exceeded',
      field: 'lines/1/quantity',
    },
    {
      name: 'protects_line_id naming a missing line',
      payload: placedOrder('o-1', { lines: [tabletLine(), planLine({ protects_line_id: 'l9' })] }),
      status: 400,
      field: 'lines/1/protection/protects_line_id',
    },
    {
      name: 'a plan protecting a plan',
      payload: placedOrder('o-1', {
        lines: [tabletLine(), planLine({}), { ...planLine({ protects_line_id: 'l2' }), line_id: 'l3' }],
      }),
      status: 400,
      field: 'lines/2/protection/protects_line_id',
    },
    {
      name: 'the same line id twice',
      payload: placedOrder('o-1', { lines: [tabletLine(), { ...tabletLine() }] }),
      status: 400,
      field: 'lines/1/line_id',
    },
    {
      name: 'a line with neither item nor protection',
      payload: placedOrder('o-1', { lines: [{ line_id: 'l1', quantity: 1 }] }),
      status: 400,
      field: 'lines/0',
    },
    {
      name: 'a plan with neither offer nor product',
      payload: placedOrder('o-1', {
        lines: [tabletLine(), { line_id: 'l2', quantity: 1, protection: { protects_line_id: 'l1' } }],
      }),
      status: 400,
      field: 'lines/1/protection',
    },
    {
      name: 'a plan of an unknown product',
      payload: placedOrder('o-1', { lines: [tabletLine(), planLine({ product_code: 'no-such-product' })] }),
      status: 422,
      code: 'product_not_enabled',
      field: 'lines/1/protection/product_code',
    },
    {
      name: 'a plan for a term not offered',
      payload: placedOrder('o-1', { lines: [tabletLine(), planLine({ term_months: 24 })] }),
      status: 400,
      field: 'lines/1/protection/term_months',
    },
    {
      name: 'a customer without the personal id the product requires',
      payload: placedOrder('o-1', { customer: holder() }),
      status: 400,
      field: 'customer/personal_id',
    },
    {
      name: 'a NUL character in the order id',
      payload: { type: 'cancelled', order_id: 'o\u0000' },
      status: 400,
      field: 'order_id',
    },
    {
      name: 'two plan lines protecting more units than the product line has',
      payload: placedOrder('o-1', {
        lines: [tabletLine(), planLine({}), { ...planLine({}), line_id: 'l3' }],
      }),
      status: 422,
      code: 'quantity_exceeded',
      field: 'lines/2/quantity',
    },
    {
      // The first plan line binds, the second fails: the whole order event must roll back. Two tablets:
      // each plan line protects one of them (a unit is protected once).
      name: 'a second plan that fails after a first that bound',
      payload: placedOrder('o-1', {
        lines: [
          { ...tabletLine(), quantity: 2 },
          planLine({}),
          { ...planLine({ product_code: 'tech-insurance', term_months: 36 }), line_id: 'l3' },
        ],
      }),
      status: 400,
      field: 'lines/2/protection/term_months',
    },
  ];
  it.each(cases)('$name -> $status $field', (c) => refusedAndNothingWritten('/v1/order-events', c));

  // A plan line's bind errors are prefixed with the plan line's path, but the item and the country
  // they are about are elsewhere in the request: the protected line's item, the order's country.
  it('a plan for an item the product does not cover names the protected line item', async () => {
    const { key, partnerId } = await t.newPartner();
    const res = await t.call({
      method: 'POST',
      url: '/v1/order-events',
      key,
      payload: placedOrder('o-1', {
        lines: [
          {
            line_id: 'l1',
            quantity: 1,
            item: { category: 'Fridge', price: { amount: 850_000, currency: 'SEK' } },
          },
          planLine({}),
        ],
      }),
    });
    expectProblem(res, 422, { code: 'not_eligible', field: 'lines/0/item/category' });
    expect(await rowCounts(t, partnerId)).toEqual(EMPTY);
  });

  it('a plan of a product not sold in the order country names the order country', async () => {
    const { key, partnerId } = await t.newPartner();
    const res = await t.call({
      method: 'POST',
      url: '/v1/order-events',
      key,
      payload: placedOrder('o-1', {
        lines: [
          {
            line_id: 'l1',
            quantity: 1,
            item: { category: 'smartphones', price: { amount: 85_000, currency: 'SEK' } },
          },
          planLine({ product_code: 'garantie-1j' }),
        ],
      }),
    });
    expectProblem(res, 422, { code: 'not_eligible', field: 'country' });
    expect(await rowCounts(t, partnerId)).toEqual(EMPTY);
  });
});

describe('bodies that are not JSON objects, on every native POST', () => {
  const routes = [
    '/v1/offers',
    '/v1/policies',
    '/v1/order-events',
    '/v1/policies/pol_01kdvdna00q3ee47cp5hrta72k/cancel',
  ];

  const bodies: {
    name: string;
    status: number;
    request: { headers?: Record<string, string>; payload?: string | object };
  }[] = [
    {
      name: 'malformed JSON',
      status: 400,
      request: { headers: { 'content-type': 'application/json' }, payload: '{"country": "SE", ' },
    },
    {
      name: 'empty JSON body',
      status: 400,
      request: { headers: { 'content-type': 'application/json' }, payload: '' },
    },
    { name: 'no body at all', status: 400, request: {} },
    { name: 'a JSON array', status: 400, request: { payload: [tabletOffer()] } },
    {
      name: 'XML',
      status: 415,
      request: { headers: { 'content-type': 'application/xml' }, payload: '<offer country="SE"/>' },
    },
    {
      name: 'a form',
      status: 415,
      request: { headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'country=SE' },
    },
  ];
  const cases = bodies.flatMap((body) => routes.map((url) => ({ ...body, url })));

  it.each(cases)('$url: $name -> $status', async ({ url, status, request }) => {
    const { key, partnerId } = await t.newPartner();
    const res = await t.call({ method: 'POST', url, key, ...request });
    expectProblem(res, status, { ...(status === 400 ? { code: 'validation_failed' } : {}), field: 'body' });
    expect(await rowCounts(t, partnerId)).toEqual(EMPTY);
  });

  it('text/plain is parsed as a string and refused as not an object', async () => {
    const { key, partnerId } = await t.newPartner();
    const res = await t.call({
      method: 'POST',
      url: '/v1/offers',
      key,
      headers: { 'content-type': 'text/plain' },
      payload: JSON.stringify(tabletOffer()),
    });
    expectProblem(res, 400, { code: 'validation_failed', field: 'body' });
    expect(await rowCounts(t, partnerId)).toEqual(EMPTY);
  });

  it('an Idempotency-Key longer than 255 characters -> 400, nothing written', async () => {
    const { key, partnerId } = await t.newPartner();
    const res = await t.call({
      method: 'POST',
      url: '/v1/offers',
      key,
      headers: { 'idempotency-key': 'k'.repeat(256) },
      payload: tabletOffer(),
    });
    expectProblem(res, 400, { code: 'validation_failed', field: 'idempotency-key' });
    expect(await rowCounts(t, partnerId)).toEqual(EMPTY);
  });
});

// RFC 3339 allows years up to 9999; cover that starts late in 9999 ends in year 10000, which the
// database cannot store. The API should refuse the date, not answer 500.
describe('a cover start at the end of the calendar', () => {
  it('POST /v1/policies with coverage_start in 9999 -> 4xx naming coverage_start, nothing written', async () => {
    const { key, partnerId } = await t.newPartner();
    const res = await t.call({
      method: 'POST',
      url: '/v1/policies',
      key,
      payload: directPolicy({ coverage_start: '9999-12-31T23:59:59Z' }),
    });
    expect(res.statusCode, res.body).toBeGreaterThanOrEqual(400);
    expect(res.statusCode, res.body).toBeLessThan(500);
    expectProblem(res, res.statusCode, { field: 'coverage_start' });
    expect(await rowCounts(t, partnerId)).toEqual(EMPTY);
  });

  it('order_placed with occurred_at in 9999 -> 4xx naming occurred_at, nothing written', async () => {
    const { key, partnerId } = await t.newPartner();
    const res = await t.call({
      method: 'POST',
      url: '/v1/order-events',
      key,
      payload: { ...placedOrder('o-1'), occurred_at: '9999-12-31T23:59:59Z' },
    });
    expect(res.statusCode, res.body).toBeGreaterThanOrEqual(400);
    expect(res.statusCode, res.body).toBeLessThan(500);
    expectProblem(res, res.statusCode, { field: 'occurred_at' });
    expect(await rowCounts(t, partnerId)).toEqual(EMPTY);
  });
});
