import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_API } from '../../src/core/catalog/product-change.js';
import { DEMO_PRODUCTS } from '../../src/demo/catalog.js';
import type { ProductBody } from '../../src/http/admin/schemas.js';
import { productJson, toProduct } from '../../src/http/admin/wire.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { createOffer, expectProblem, type OfferJson, tabletOffer } from './support.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

const GUID = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/;
let counter = 0;
const uniqueCode = () => `admin-${process.pid}-${++counter}`;

async function createPartner(code = uniqueCode()) {
  const res = await t.admin({
    method: 'POST',
    url: '/admin/v1/partners',
    payload: {
      code,
      name: 'Gadget Shop',
      markets: [
        { country: 'SE', currency: 'SEK', language: 'sv' },
        { country: 'GB', currency: 'GBP', language: 'en' },
      ],
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

async function issue(code: string, mode: 'test' | 'live' = 'test') {
  const res = await t.admin({
    method: 'POST',
    url: `/admin/v1/partners/${code}/credentials`,
    payload: { mode },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

const productsOffered = (offer: OfferJson) =>
  [...new Set(offer.items[0]!.options.map((o) => o.product_code))].sort();

/** A product of our own: gadgets in Sweden, 6 months, 10 % of the price. */
function gadgetProduct(code: string): ProductBody {
  return {
    code,
    name: { en: 'Gadget Cover', sv: 'Prylskydd' },
    coverage: 'theft',
    terms: [6],
    renewable: false,
    cover_start: 'at_binding',
    categories: ['Gadget'],
    markets: [
      {
        country: 'SE',
        currency: 'SEK',
        item_price: { min: 10_000, max: 1_000_000 },
        rates: { '6': { type: 'percentage', rate_bp: 1_000, min: 5_000, max: 50_000 } },
        taxes: [],
      },
    ],
    policyholder_fields: {
      name: 'optional',
      personal_id: 'not_collected',
      address: 'optional',
      phone: 'optional',
      email: 'optional',
      comment: 'optional',
    },
    cancellation: { cooling_off_days: 14, after_cooling_off: 'pro_rata', after_paid_claim: 'none' },
    rounding: 'half_even',
    cover_limit: { SEK: 1_000_000 },
    documents: { terms_url: 'https://example.com/gadget/terms.pdf' },
  };
}

const gadgetOffer = () => ({
  country: 'SE',
  items: [{ ref: 'g', quantity: 1, category: 'Gadget', price: { amount: 200_000, currency: 'SEK' } }],
});

describe('partners', () => {
  it('create, get and list', async () => {
    const code = uniqueCode();
    const created = await createPartner(code);
    expect(created).toMatchObject({
      object: 'partner',
      code,
      name: 'Gadget Shop',
      markets: [
        { country: 'SE', currency: 'SEK', language: 'sv' },
        { country: 'GB', currency: 'GBP', language: 'en' },
      ],
      products: [],
      credentials: [],
    });
    expect(created.id).toMatch(/^ptn_[0-9a-z]{26}$/);
    expect(created.counterpart_handle).toMatch(GUID);
    expect(created.created_at).toBe(t.clock.now().toISOString());

    const got = await t.admin({ method: 'GET', url: `/admin/v1/partners/${code}` });
    expect(got.statusCode).toBe(200);
    expect(got.json()).toEqual(created);

    const list = await t.admin({ method: 'GET', url: '/admin/v1/partners' });
    expect(list.statusCode).toBe(200);
    expect(list.json().object).toBe('list');
    const codes = list.json().data.map((p: { code: string }) => p.code);
    expect(codes).toContain(code);
    expect(codes).toContain('electroshop');
    expect(list.json().data.find((p: { code: string }) => p.code === code)).toEqual(created);
  });

  it('every partner has its own counterpart handle', async () => {
    const a = await createPartner();
    const b = await createPartner();
    expect(a.counterpart_handle).not.toBe(b.counterpart_handle);
  });

  it('the demo partner keeps the handle printed in the guide', async () => {
    const demo = (await t.admin({ method: 'GET', url: '/admin/v1/partners/electroshop' })).json();
    expect(demo.counterpart_handle).toBe('66006782-1921-4AE9-9E21-698BA45C99C9');
  });
});

describe('credentials', () => {
  it('are shown once with their secrets, then work on /v1 and are listed without any secret', async () => {
    const { code } = await createPartner();
    const issued = await issue(code);
    expect(issued).toMatchObject({
      object: 'credentials',
      partner: code,
      mode: 'test',
      api_key: expect.stringMatching(/^sk_test_/),
      oauth: { client_id: expect.stringMatching(/^cli_test_/), client_secret: expect.any(String) },
      hmac: { key_id: expect.stringMatching(/^hk_test_/), secret: expect.any(String) },
    });

    // The key works: an offer for a partner selling nothing yet has no options.
    const offer = await createOffer(t, issued.api_key, tabletOffer());
    expect(offer.items[0]!.options).toEqual([]);
    const list = await t.call({ method: 'GET', url: '/v1/policies', key: issued.api_key });
    expect(list.statusCode).toBe(200);

    const res = await t.admin({ method: 'GET', url: `/admin/v1/partners/${code}` });
    const partner = res.json();
    expect(partner.credentials).toHaveLength(3);
    expect(partner.credentials.map((c: { kind: string }) => c.kind).sort()).toEqual([
      'api_key',
      'hmac_key',
      'oauth_client',
    ]);
    for (const c of partner.credentials) {
      expect(c).toMatchObject({ id: expect.any(String), mode: 'test', created_at: expect.any(String) });
    }
    const byKind = Object.fromEntries(partner.credentials.map((c: { kind: string }) => [c.kind, c]));
    expect(byKind.api_key).not.toHaveProperty('public_id');
    expect(byKind.oauth_client.public_id).toBe(issued.oauth.client_id);
    expect(byKind.hmac_key.public_id).toBe(issued.hmac.key_id);
    for (const secret of [issued.api_key, issued.oauth.client_secret, issued.hmac.secret]) {
      expect(res.body).not.toContain(secret);
      const listed = await t.admin({ method: 'GET', url: '/admin/v1/partners' });
      expect(listed.body).not.toContain(secret);
    }
  });

  it('a live set gives a live key; test and live keys live side by side', async () => {
    const { code } = await createPartner();
    const test = await issue(code, 'test');
    const live = await issue(code, 'live');
    expect(live.api_key).toMatch(/^sk_live_/);
    const modes = (await t.admin({ method: 'GET', url: `/admin/v1/partners/${code}` }))
      .json()
      .credentials.map((c: { mode: string }) => c.mode);
    expect(modes.filter((m: string) => m === 'test')).toHaveLength(3);
    expect(modes.filter((m: string) => m === 'live')).toHaveLength(3);
    expect((await createOffer(t, test.api_key)).id).toMatch(/^off_/);
    const liveOffer = await t.call({
      method: 'POST',
      url: '/v1/offers',
      key: live.api_key,
      payload: tabletOffer(),
    });
    expect(liveOffer.json().mode).toBe('live');
  });

  it('a second set of the same mode does not revoke the first', async () => {
    const { code } = await createPartner();
    const first = await issue(code);
    const second = await issue(code);
    for (const key of [first.api_key, second.api_key]) {
      expect((await t.call({ method: 'GET', url: '/v1/policies', key })).statusCode).toBe(200);
    }
  });
});

describe('products', () => {
  it('the catalog lists the demo products, each readable on its own', async () => {
    const list = await t.admin({ method: 'GET', url: '/admin/v1/products' });
    expect(list.statusCode).toBe(200);
    expect(list.json().object).toBe('list');
    const codes = list.json().data.map((p: { code: string }) => p.code);
    for (const p of DEMO_PRODUCTS) {
      expect(codes).toContain(p.code);
      const one = await t.admin({ method: 'GET', url: `/admin/v1/products/${p.code}` });
      expect(one.statusCode).toBe(200);
      expect(one.json()).toEqual(productJson(p));
    }
  });

  it('put creates a product, get and list show it, put again replaces it', async () => {
    const code = `gadget-${process.pid}-a`;
    const body = gadgetProduct(code);
    const put = await t.admin({ method: 'PUT', url: `/admin/v1/products/${code}`, payload: body });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toEqual(body);
    expect((await t.admin({ method: 'GET', url: `/admin/v1/products/${code}` })).json()).toEqual(body);
    const list = (await t.admin({ method: 'GET', url: '/admin/v1/products' })).json().data;
    expect(list.find((p: { code: string }) => p.code === code)).toEqual(body);

    const changed = { ...body, name: { en: 'Gadget Cover Plus' }, terms: [6, 12] };
    changed.markets = [
      {
        ...body.markets[0]!,
        rates: {
          ...body.markets[0]!.rates,
          '12': { type: 'bands', bands: [{ up_to: 1_000_000, premium: 9_900 }] },
        },
      },
    ];
    const replaced = await t.admin({ method: 'PUT', url: `/admin/v1/products/${code}`, payload: changed });
    expect(replaced.statusCode, replaced.body).toBe(200);
    expect((await t.admin({ method: 'GET', url: `/admin/v1/products/${code}` })).json()).toEqual(changed);
  });

  it('put records each change as made by the admin api, with the product before and after', async () => {
    const code = `gadget-${process.pid}-history`;
    const body = gadgetProduct(code);
    const url = `/admin/v1/products/${code}`;
    expect((await t.admin({ method: 'PUT', url, payload: body })).statusCode).toBe(200);
    const createdAt = t.clock.now();
    t.clock.advance(60_000);
    const dearer = structuredClone(body);
    dearer.cancellation.cooling_off_days += 1;
    expect((await t.admin({ method: 'PUT', url, payload: dearer })).statusCode).toBe(200);
    // The same product again is no change: nothing more is recorded.
    expect((await t.admin({ method: 'PUT', url, payload: dearer })).statusCode).toBe(200);

    const changes = await t.db.read.productChanges.list(code, 10);
    expect(changes.map((c) => ({ at: c.at, actor: c.actor, before: c.before, after: c.after }))).toEqual([
      { at: t.clock.now(), actor: ADMIN_API, before: toProduct(body), after: toProduct(dearer) },
      { at: createdAt, actor: ADMIN_API, before: null, after: toProduct(body) },
    ]);
  });

  it('an enabled product is offered at its catalog price; a changed price is offered at once', async () => {
    const code = `gadget-${process.pid}-b`;
    const body = gadgetProduct(code);
    expect(
      (await t.admin({ method: 'PUT', url: `/admin/v1/products/${code}`, payload: body })).statusCode,
    ).toBe(200);
    const partner = await createPartner();
    const { api_key } = await issue(partner.code);
    expect((await createOffer(t, api_key, gadgetOffer())).items[0]!.options).toEqual([]);

    const enabled = await t.admin({
      method: 'PUT',
      url: `/admin/v1/partners/${partner.code}/products/${code}`,
      payload: { commission_bp: 1_200 },
    });
    expect(enabled.statusCode, enabled.body).toBe(200);
    expect(enabled.json().products).toEqual([
      { product_code: code, commission_bp: 1_200, enabled_at: t.clock.now().toISOString() },
    ]);
    const offer = await t.call({ method: 'POST', url: '/v1/offers', key: api_key, payload: gadgetOffer() });
    const [option] = offer.json().items[0].options;
    expect(option).toMatchObject({ product_code: code, term_months: 6, product_name: 'Prylskydd' });
    expect(option.unit_premium.total).toBe(20_000);

    const dearer = {
      ...body,
      markets: [{ ...body.markets[0]!, rates: { '6': { ...body.markets[0]!.rates['6']!, rate_bp: 2_000 } } }],
    };
    expect(
      (await t.admin({ method: 'PUT', url: `/admin/v1/products/${code}`, payload: dearer })).statusCode,
    ).toBe(200);
    const again = await t.call({ method: 'POST', url: '/v1/offers', key: api_key, payload: gadgetOffer() });
    expect(again.json().items[0].options[0].unit_premium.total).toBe(40_000);
  });

  it('changing the commission keeps the product enabled', async () => {
    const partner = await createPartner();
    const url = `/admin/v1/partners/${partner.code}/products/product-protection`;
    expect((await t.admin({ method: 'PUT', url, payload: { commission_bp: 1_000 } })).statusCode).toBe(200);
    const res = await t.admin({ method: 'PUT', url, payload: { commission_bp: 2_500 } });
    expect(res.statusCode).toBe(200);
    expect(res.json().products).toMatchObject([{ product_code: 'product-protection', commission_bp: 2_500 }]);
  });

  it('commission_bp defaults to 0', async () => {
    const partner = await createPartner();
    const res = await t.admin({
      method: 'PUT',
      url: `/admin/v1/partners/${partner.code}/products/product-protection`,
      payload: {},
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().products).toMatchObject([{ product_code: 'product-protection', commission_bp: 0 }]);
  });
});

describe('enabling and disabling products changes what /v1/offers offers', () => {
  it('disable tech-insurance, then enable it again', async () => {
    const { code, key } = await t.newPartner();
    expect(productsOffered(await createOffer(t, key))).toEqual(['refurbished-electronics', 'tech-insurance']);

    const disabled = await t.admin({
      method: 'DELETE',
      url: `/admin/v1/partners/${code}/products/tech-insurance`,
    });
    expect(disabled.statusCode, disabled.body).toBe(200);
    expect(disabled.json().products.map((p: { product_code: string }) => p.product_code)).not.toContain(
      'tech-insurance',
    );
    expect(productsOffered(await createOffer(t, key))).toEqual(['refurbished-electronics']);

    // A product no longer sold cannot be bound straight from the catalog either.
    const bind = await t.call({
      method: 'POST',
      url: '/v1/policies',
      key,
      payload: {
        product_code: 'tech-insurance',
        term_months: 12,
        country: 'SE',
        item: { category: 'Tablet', price: { amount: 850_000, currency: 'SEK' } },
        policyholder: {
          first_name: 'Ada',
          last_name: 'Lovelace',
          personal_id: '19840726-1234',
          address: { line1: 'Storgatan 1', postal_code: '11122' },
        },
      },
    });
    expectProblem(bind, 422, { code: 'product_not_enabled', field: 'product_code' });

    const enabled = await t.admin({
      method: 'PUT',
      url: `/admin/v1/partners/${code}/products/tech-insurance`,
      payload: { commission_bp: 500 },
    });
    expect(enabled.statusCode, enabled.body).toBe(200);
    expect(productsOffered(await createOffer(t, key))).toEqual(['refurbished-electronics', 'tech-insurance']);
  });

  it('an option offered before the product was disabled cannot be bound after', async () => {
    const { code, key } = await t.newPartner();
    const offer = await createOffer(t, key);
    const option = offer.items[0]!.options.find((o) => o.product_code === 'tech-insurance')!;
    await t.admin({ method: 'DELETE', url: `/admin/v1/partners/${code}/products/tech-insurance` });
    const bind = await t.call({
      method: 'POST',
      url: '/v1/policies',
      key,
      payload: {
        offer_id: offer.id,
        option_id: option.id,
        policyholder: {
          first_name: 'Ada',
          last_name: 'Lovelace',
          personal_id: '19840726-1234',
          address: { line1: 'Storgatan 1', postal_code: '11122' },
        },
      },
    });
    expectProblem(bind, 422, { code: 'product_not_enabled', field: 'option_id' });
  });

  it('disabling a product the partner does not sell is harmless', async () => {
    const partner = await createPartner();
    const res = await t.admin({
      method: 'DELETE',
      url: `/admin/v1/partners/${partner.code}/products/CIFRWE`,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().products).toEqual([]);
  });
});
