import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newCredentials, toStored } from '../../src/auth/credentials.js';
import { createPartner, enableProduct } from '../../src/core/partners/manage-partners.js';
import { addStore } from '../../src/core/stores/manage-stores.js';
import { DEMO_CREDENTIALS, DEMO_PARTNER } from '../../src/demo/catalog.js';
import { parseOptionSku } from '../../src/http/dialects/sitoo/wire.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { DEMO_KEY } from '../helpers/constants.js';
import { expectProblem } from './support.js';

/** The Sitoo POS dialect: POST /sitoo/cart-insurances as the Sitoo SPI Insurances guide defines it. */
let t: TestApp;
/** A partner selling Tech Insurance alone, so the guide's example comes out exactly as printed. */
let guide: { code: string; key: string; basic: string };
beforeAll(async () => {
  t = await buildTestApp();
  guide = await sitooPartner(t);
});
afterAll(() => t.close());

async function sitooPartner(app: TestApp) {
  const issued = newCredentials('test');
  const code = `sitoo-${process.pid}`;
  await app.db.transaction(async (repos) => {
    const deps = { repos, clock: app.clock, ids: app.deps.ids };
    const partner = await createPartner(deps, { code, name: 'POS shop', markets: DEMO_PARTNER.markets });
    await enableProduct(deps, code, 'tech-insurance', 1500);
    await addStore(deps, code, { externalId: 'store-1', country: 'US', currency: 'USD' });
    await addStore(deps, code, { externalId: 'store-se', country: 'SE', currency: 'SEK' });
    for (const c of toStored(deps.ids, partner.id, app.clock.now(), issued)) await repos.credentials.add(c);
  });
  const basic = `Basic ${Buffer.from(`${issued.oauth.clientId}:${issued.oauth.clientSecret}`).toString('base64')}`;
  return { code, key: issued.apiKey, basic };
}

const BASIC = `Basic ${Buffer.from(`${DEMO_CREDENTIALS.oauth.client_id}:${DEMO_CREDENTIALS.oauth.client_secret}`).toString('base64')}`;

/** The guide's example request, verbatim. */
const guideCart = () => ({
  id: '123e4567-e89b-12d3-a456-426614174000',
  crm_channel_id: 'custom-crm',
  customer_id: '123456789',
  currency_code: 'USD',
  items: [
    {
      id: '1',
      sku: '234.788.14',
      name: 'iPhone 15',
      variant_text: 'Space Grey',
      product_group: 'Mobile Phones',
      quantity: 1,
      total: '1299.00',
      additional_data: { 'item-serial': '123456789', 'item-imei': '98765432' },
    },
  ] as Record<string, unknown>[],
});

function post(
  body: unknown,
  opts: { store?: string | null; auth?: string | null; headers?: Record<string, string> } = {},
): Promise<LightMyRequestResponse> {
  const headers: Record<string, string> = {
    'request-id': 'req-sitoo-1',
    'staff-id': 'staff-7',
    'register-id': 'reg-2',
    ...opts.headers,
  };
  if (opts.store !== null) headers['store-id'] = opts.store ?? 'store-1';
  if (opts.auth !== null) headers.authorization = opts.auth ?? guide.basic;
  return t.app.inject({ method: 'POST', url: '/sitoo/cart-insurances', headers, payload: body as object });
}

function expectSitooError(
  res: LightMyRequestResponse,
  status: number,
  code: string,
  field?: string,
): { request_id: string; error_code: string; error_data: Record<string, string> } {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  const body = res.json();
  expect(body.error_code, res.body).toBe(code);
  expect(typeof body.error_data.message).toBe('string');
  expect(body.request_id).toBe('req-sitoo-1');
  if (field !== undefined) expect(body.error_data.field, res.body).toBe(field);
  else expect(body.error_data.field).toBeUndefined();
  return body;
}

describe('POST /sitoo/cart-insurances', () => {
  it("answers the guide's example as the guide prints it", async () => {
    const res = await post(guideCart());
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(Object.keys(body).sort()).toEqual(['id', 'items']);
    expect(body.id).toBe('123e4567-e89b-12d3-a456-426614174000');
    expect(body.items).toHaveLength(1);
    const [item] = body.items;
    // Write-only fields are not echoed.
    expect(Object.keys(item).sort()).toEqual(['id', 'insurance_options', 'policyholder_info', 'sku']);
    expect(item).toMatchObject({ id: '1', sku: '234.788.14' });
    expect(item.insurance_options[0]).toEqual({
      type: 'none',
      sku: '0',
      name: 'No Insurance',
      product_group: '',
      unit_price: '0.00',
      sales_taxes: [],
      unit_sales_taxes: [],
    });
    const insurance = item.insurance_options.slice(1);
    expect(insurance.map((o: { sku: string }) => o.sku)).toEqual(['tech-insurance-12', 'tech-insurance-24']);
    expect(insurance[0]).toMatchObject({
      type: 'insurance',
      name: '12 Months',
      product_group: 'Tech Insurance',
      unit_price: '39.90',
      sales_taxes: [{ name: 'Regular VAT', amount: '7.98', percentage: 25 }],
      unit_sales_taxes: [{ name: 'Regular VAT', amount: '7.98', percentage: 25 }],
      additional_data: { 'insurance-period': '12' },
    });
    expect(insurance[1]).toMatchObject({
      name: '24 Months',
      product_group: 'Tech Insurance',
      unit_price: '59.90',
      sales_taxes: [{ name: 'Regular VAT', amount: '11.98', percentage: 25 }],
      additional_data: { 'insurance-period': '24' },
    });
    for (const o of item.insurance_options) expect(o.unit_price).toMatch(/^[-+]?[0-9]+\.[0-9]{2}$/);
    expect(item.policyholder_info).toEqual({
      name: 'required',
      personal_id: 'required',
      address: 'required',
      mobile: 'not-collected',
      email: 'not-collected',
      comment: 'optional',
    });
  });

  it('takes the API key as a bearer token too', async () => {
    const res = await post(guideCart(), { auth: `Bearer ${guide.key}` });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().items[0].insurance_options).toHaveLength(3);
  });

  it('answers the demo partner (Basic and Bearer) at its demo store with every product that covers the line', async () => {
    for (const auth of [BASIC, `Bearer ${DEMO_KEY}`]) {
      const res = await post(guideCart(), { auth });
      expect(res.statusCode, res.body).toBe(201);
      const options = res.json().items[0].insurance_options as { sku: string; unit_price: string }[];
      expect(options[0]!.sku).toBe('0');
      const tech = options.filter((o) => o.sku.startsWith('tech-insurance-'));
      expect(tech.map((o) => [o.sku, o.unit_price])).toEqual([
        ['tech-insurance-12', '39.90'],
        ['tech-insurance-24', '59.90'],
      ]);
      const skus = options.map((o) => o.sku);
      expect(new Set(skus).size).toBe(skus.length);
    }
  });

  it('asks, field by field, the strictest mode any product offered for the line asks', async () => {
    // The demo partner offers Product Protection (name, e-mail required; address, phone optional; no
    // personal id, no comment) and Tech Insurance (name, personal id, address required; comment
    // optional; no phone, no e-mail).
    const res = await post(guideCart(), { auth: BASIC });
    expect(res.statusCode, res.body).toBe(201);
    const skus = res.json().items[0].insurance_options.map((o: { sku: string }) => o.sku);
    expect(skus).toEqual(expect.arrayContaining(['product-protection-12', 'tech-insurance-12']));
    expect(res.json().items[0].policyholder_info).toEqual({
      name: 'required',
      personal_id: 'required',
      address: 'required',
      mobile: 'optional',
      email: 'required',
      comment: 'optional',
    });
  });

  it('prices per unit when the line holds 2 units (total is the line total)', async () => {
    const cart = guideCart();
    cart.items[0]!.quantity = 2;
    cart.items[0]!.total = '2598.00';
    const res = await post(cart);
    expect(res.statusCode, res.body).toBe(201);
    const options = res.json().items[0].insurance_options;
    expect(options[1]).toMatchObject({ unit_price: '39.90', sales_taxes: [{ amount: '7.98' }] });
    expect(options[2]).toMatchObject({ unit_price: '59.90', sales_taxes: [{ amount: '11.98' }] });
  });

  it('gives a line nothing covers only the "none" option, next to an insurable one', async () => {
    const cart = guideCart();
    cart.items.push({
      id: '2',
      sku: 'CBL-1',
      name: 'USB-C cable',
      product_group: 'Accessories',
      quantity: 3,
      total: '30.00',
    });
    const res = await post(cart);
    expect(res.statusCode, res.body).toBe(201);
    const [phone, cable] = res.json().items;
    expect(phone.insurance_options).toHaveLength(3);
    expect(cable).toMatchObject({ id: '2', sku: 'CBL-1' });
    expect(cable.insurance_options.map((o: { type: string }) => o.type)).toEqual(['none']);
    expect(Object.values(cable.policyholder_info).every((v) => v === 'not-collected')).toBe(true);
  });

  it("prices a SEK cart at a Swedish store, in the market's language", async () => {
    const cart = { ...guideCart(), currency_code: 'SEK' };
    cart.items[0]!.total = '8500.00';
    const res = await post(cart, { store: 'store-se' });
    expect(res.statusCode, res.body).toBe(201);
    const options = res.json().items[0].insurance_options;
    const tech = options.slice(1);
    expect(tech.map((o: { unit_price: string }) => o.unit_price)).toEqual(['499.00', '799.00']);
    expect(tech[0]).toMatchObject({
      product_group: 'Teknikförsäkring',
      sales_taxes: [{ name: 'Regular VAT', amount: '99.80', percentage: 25 }],
    });
  });

  describe('authentication and stores', () => {
    it('401 without credentials, with a wrong secret or an unknown key', async () => {
      expectSitooError(await post(guideCart(), { auth: null }), 401, 'other');
      const wrong = `Basic ${Buffer.from(`${DEMO_CREDENTIALS.oauth.client_id}:nope`).toString('base64')}`;
      const res = await post(guideCart(), { auth: wrong });
      expectSitooError(res, 401, 'other');
      expect(res.headers['www-authenticate']).toMatch(/Basic/);
      expectSitooError(await post(guideCart(), { auth: 'Bearer sk_test_nobody' }), 401, 'other');
      expectSitooError(await post(guideCart(), { auth: 'Basic !!!' }), 401, 'other');
    });

    it("403 for a store that is not the partner's", async () => {
      const other = await t.newPartner();
      const added = await t.admin({
        method: 'POST',
        url: `/admin/v1/partners/${other.code}/stores`,
        payload: { external_id: 'other-store', country: 'US', currency: 'USD' },
      });
      expect(added.statusCode, added.body).toBe(201);
      expectSitooError(await post(guideCart(), { store: 'other-store' }), 403, 'other');
      expectSitooError(
        await post(guideCart(), { store: 'store-1', auth: `Bearer ${other.key}` }),
        403,
        'other',
      );
      const own = await post(guideCart(), { store: 'other-store', auth: `Bearer ${other.key}` });
      expect(own.statusCode, own.body).toBe(201);
    });

    it('field-missing for a missing Store-ID header', async () => {
      expectSitooError(await post(guideCart(), { store: null }), 400, 'field-missing', 'Store-ID');
    });
  });

  describe('errors in the ErrorMessage format', () => {
    it('field-missing names the missing field', async () => {
      const { currency_code: _, ...cart } = guideCart();
      expectSitooError(await post(cart), 400, 'field-missing', 'currency_code');
      const noTotal = guideCart();
      delete noTotal.items[0]!.total;
      expectSitooError(await post(noTotal), 400, 'field-missing', 'items/0/total');
    });

    it('field-unknown names the unknown field', async () => {
      expectSitooError(await post({ ...guideCart(), coupon: 'X' }), 400, 'field-unknown', 'coupon');
      const cart = guideCart();
      cart.items[0]!.colour = 'grey';
      expectSitooError(await post(cart), 400, 'field-unknown', 'items/0/colour');
    });

    it('field-readonly for insurance_options or policyholder_info sent by the client', async () => {
      const cart = guideCart();
      cart.items[0]!.insurance_options = [];
      expectSitooError(await post(cart), 400, 'field-readonly', 'items/0/insurance_options');
      const other = guideCart();
      other.items[0]!.policyholder_info = {};
      expectSitooError(await post(other), 400, 'field-readonly', 'items/0/policyholder_info');
    });

    it('field-type for a value of the wrong type', async () => {
      const cart = guideCart();
      cart.items[0]!.quantity = '1';
      expectSitooError(await post(cart), 400, 'field-type', 'items/0/quantity');
      const money = guideCart();
      money.items[0]!.total = 1299;
      expectSitooError(await post(money), 400, 'field-type', 'items/0/total');
    });

    it('field-validation for a malformed or out-of-range value', async () => {
      const cart = guideCart();
      cart.items[0]!.total = '1299.0';
      expectSitooError(await post(cart), 400, 'field-validation', 'items/0/total');
      const none = guideCart();
      none.items[0]!.quantity = 0;
      expectSitooError(await post(none), 400, 'field-validation', 'items/0/quantity');
      const negative = guideCart();
      negative.items[0]!.total = '-1.00';
      expectSitooError(await post(negative), 400, 'field-validation', 'items/0/total');
      expectSitooError(
        await post({ ...guideCart(), currency_code: 'US' }),
        400,
        'field-validation',
        'currency_code',
      );
      // A core refusal: the same cart line twice.
      const twice = guideCart();
      twice.items.push({ ...twice.items[0]! });
      expectSitooError(await post(twice), 400, 'field-validation', 'items/1/id');
    });

    it('version-invalid for an API-Version this server does not speak', async () => {
      expectSitooError(await post(guideCart(), { headers: { 'api-version': '2' } }), 400, 'version-invalid');
      const ok = await post(guideCart(), { headers: { 'api-version': '1' } });
      expect(ok.statusCode, ok.body).toBe(201);
    });

    it("condition-failed when the cart's currency is not the store's", async () => {
      const refused = expectSitooError(
        await post({ ...guideCart(), currency_code: 'SEK' }),
        400,
        'condition-failed',
      );
      expect(refused.error_data).toEqual({ message: 'store store-1 sells in USD, the cart is in SEK' });
    });

    it('other for a route that does not exist, and for a body that is not JSON', async () => {
      const res = await t.app.inject({
        method: 'GET',
        url: '/sitoo/nothing',
        headers: { authorization: BASIC, 'request-id': 'req-sitoo-1' },
      });
      expectSitooError(res, 404, 'other');
      const bad = await t.app.inject({
        method: 'POST',
        url: '/sitoo/cart-insurances',
        headers: {
          authorization: BASIC,
          'request-id': 'req-sitoo-1',
          'store-id': 'store-1',
          'content-type': 'application/json',
        },
        payload: '{"id": ',
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({ request_id: 'req-sitoo-1', error_data: { field: 'body' } });
    });

    it('falls back to our request id without a Request-ID header', async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/sitoo/cart-insurances',
        headers: { authorization: BASIC, 'store-id': 'store-1' },
        payload: { ...guideCart(), currency_code: 'SEK' },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().request_id).toMatch(/^req_/);
    });
  });

  it('binds the sold options through order_placed at the quoted unit prices', async () => {
    const cart = guideCart();
    cart.id = 'cart-sold-1';
    cart.items[0]!.quantity = 2;
    cart.items[0]!.total = '2598.00';
    const quoted = await post(cart);
    expect(quoted.statusCode, quoted.body).toBe(201);
    const chosen = quoted.json().items[0].insurance_options[1];
    const term = parseOptionSku(chosen.sku)!;
    expect(term).toEqual({ productCode: 'tech-insurance', termMonths: 12 });

    const placed = await t.call({
      key: guide.key,
      method: 'POST',
      url: '/v1/order-events',
      payload: {
        type: 'order_placed',
        order_id: 'receipt-cart-sold-1',
        country: 'US',
        customer: {
          first_name: 'Glen',
          last_name: 'Clarkson',
          personal_id: '19840726-1234',
          address: { line1: '1 Main St', postal_code: '10001', city: 'New York', country: 'US' },
        },
        lines: [
          {
            line_id: '1',
            quantity: 2,
            item: {
              category: 'Mobile Phones',
              name: 'iPhone 15',
              sku: '234.788.14',
              price: { amount: 129_900, currency: 'USD' },
            },
          },
          {
            line_id: '1-insurance',
            quantity: 2,
            protection: {
              protects_line_id: '1',
              product_code: term.productCode,
              term_months: term.termMonths,
            },
          },
        ],
      },
    });
    expect(placed.statusCode, placed.body).toBe(201);
    const policies = placed.json().policies as {
      premium: { total: number; tax: number; currency: string };
    }[];
    expect(policies).toHaveLength(2);
    for (const p of policies) {
      expect(p.premium).toMatchObject({ total: 3990, tax: 798, currency: 'USD' });
    }

    // The quoted offer itself can be bound too: its ids travel in the option's additional_data.
    const viaOffer = await t.call({
      key: guide.key,
      method: 'POST',
      url: '/v1/order-events',
      payload: {
        type: 'order_placed',
        order_id: 'receipt-cart-sold-2',
        country: 'US',
        customer: {
          first_name: 'Glen',
          last_name: 'Clarkson',
          personal_id: '19840726-1234',
          address: { line1: '1 Main St', postal_code: '10001' },
        },
        lines: [
          {
            line_id: '1',
            quantity: 1,
            item: { category: 'Mobile Phones', price: { amount: 129_900, currency: 'USD' } },
          },
          {
            line_id: '1-insurance',
            quantity: 1,
            protection: {
              protects_line_id: '1',
              offer_id: chosen.additional_data['protego-offer-id'],
              option_id: chosen.additional_data['protego-option-id'],
            },
          },
        ],
      },
    });
    expect(viaOffer.statusCode, viaOffer.body).toBe(201);
    expect(viaOffer.json().policies[0].premium).toMatchObject({ total: 3990 });
  });
});

// The guide's fields and headers that are not shown back, each kept where Protego uses it (issue #11:
// every field a client sends is honoured or refused).
describe('what the POS sends beyond the answer', () => {
  const offerOf = async (res: LightMyRequestResponse) => {
    const partner = (await t.db.read.partners.getByCode(guide.code))!;
    const offerId = res.json().items[0].insurance_options[1].additional_data['protego-offer-id'];
    return (await t.db.read.offers.get({ partnerId: partner.id, mode: 'test' }, offerId))!;
  };

  it('keeps the cart, store, staff, register, customer and CRM channel as the offer references', async () => {
    const res = await post(guideCart());
    expect(res.statusCode, res.body).toBe(201);
    const offer = await offerOf(res);
    expect(offer.refs).toEqual({
      cart_id: '123e4567-e89b-12d3-a456-426614174000',
      store_id: 'store-1',
      staff_id: 'staff-7',
      register_id: 'reg-2',
      customer_id: '123456789',
      crm_channel_id: 'custom-crm',
    });
  });

  it("prices the line's item with its sku, name and variant, and the serial from additional_data", async () => {
    const offer = await offerOf(await post(guideCart()));
    expect(offer.items[0]).toMatchObject({
      ref: '1',
      quantity: 1,
      item: {
        category: 'Mobile Phones',
        name: 'iPhone 15 (Space Grey)',
        sku: '234.788.14',
        serialNumber: '123456789',
        price: { amount: 129_900, currency: 'USD' },
      },
    });
    const imeiOnly = guideCart();
    imeiOnly.items[0]!.additional_data = { 'item-imei': '98765432' };
    expect((await offerOf(await post(imeiOnly))).items[0]?.item.serialNumber).toBe('98765432');
  });

  it('replays the answer for a repeated Idempotency-Key, and refuses the key on another cart', async () => {
    const headers = { 'idempotency-key': `sitoo-cart-${process.pid}` };
    const first = await post(guideCart(), { headers });
    const again = await post(guideCart(), { headers });
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    expectSitooError(await post({ ...guideCart(), id: 'other-cart' }, { headers }), 400, 'condition-failed');
  });

  it('field-validation for a value longer than the guide allows', async () => {
    const cart = guideCart();
    cart.items[0]!.id = 'x'.repeat(129);
    expectSitooError(await post(cart), 400, 'field-validation', 'items/0/id');
    const group = guideCart();
    group.items[0]!.product_group = 'g'.repeat(65);
    expectSitooError(await post(group), 400, 'field-validation', 'items/0/product_group');
  });
});

describe('admin: /admin/v1/partners/{code}/stores', () => {
  it('adds, lists and removes a store', async () => {
    const p = await t.newPartner();
    const url = `/admin/v1/partners/${p.code}/stores`;
    const added = await t.admin({
      method: 'POST',
      url,
      payload: { external_id: 'malmo-1', country: 'se', currency: 'sek' },
    });
    expect(added.statusCode, added.body).toBe(201);
    expect(added.json()).toMatchObject({
      object: 'store',
      external_id: 'malmo-1',
      country: 'SE',
      currency: 'SEK',
    });
    const list = await t.admin({ method: 'GET', url });
    expect(list.json().data.map((s: { external_id: string }) => s.external_id)).toEqual(['malmo-1']);
    const removed = await t.admin({ method: 'DELETE', url: `${url}/malmo-1` });
    expect(removed.statusCode, removed.body).toBe(204);
    expect((await t.admin({ method: 'GET', url })).json().data).toEqual([]);
    expectProblem(await t.admin({ method: 'DELETE', url: `${url}/malmo-1` }), 404, {
      code: 'not_found',
      field: 'external_id',
    });
  });

  it('bad input is a problem naming the field', async () => {
    const p = await t.newPartner();
    const url = `/admin/v1/partners/${p.code}/stores`;
    const send = (payload: object) => t.admin({ method: 'POST', url, payload });
    expectProblem(await send({ country: 'SE', currency: 'SEK' }), 400, {
      code: 'validation_failed',
      field: 'external_id',
    });
    expectProblem(await send({ external_id: 's', country: 'SE', currency: 'SEK', x: 1 }), 400, {
      field: 'x',
    });
    expectProblem(await send({ external_id: 's', country: 'Sweden', currency: 'SEK' }), 400, {
      field: 'country',
    });
    expectProblem(await send({ external_id: 's', country: 'JP', currency: 'JPY' }), 400, {
      field: 'country',
    });
    expectProblem(await send({ external_id: 's', country: 'SE', currency: 'EUR' }), 400, {
      field: 'currency',
    });
    expectProblem(await send({ external_id: 'a b', country: 'SE', currency: 'SEK' }), 400, {
      field: 'external_id',
    });
    expect((await send({ external_id: 's', country: 'SE', currency: 'SEK' })).statusCode).toBe(201);
    expectProblem(await send({ external_id: 's', country: 'SE', currency: 'SEK' }), 409, {
      code: 'already_exists',
      field: 'external_id',
    });
    expectProblem(
      await t.admin({
        method: 'POST',
        url: '/admin/v1/partners/nobody/stores',
        payload: { external_id: 's', country: 'SE', currency: 'SEK' },
      }),
      404,
      { field: 'code' },
    );
  });
});
