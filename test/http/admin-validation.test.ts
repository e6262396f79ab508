import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PRODUCTS } from '../../src/demo/catalog.js';
import { productJson } from '../../src/http/admin/wire.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { expectProblem } from './support.js';

/** Bad input on every admin route: a 4xx problem naming the field, and the partners and catalog unchanged. */
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

let counter = 0;
const uniqueCode = (prefix = 'adm') => `${prefix}-${process.pid}-${++counter}`;

const partnerBody = (overrides: Record<string, unknown> = {}) => ({
  code: uniqueCode(),
  name: 'A Shop',
  markets: [{ country: 'SE', currency: 'SEK', language: 'sv' }],
  ...overrides,
});

async function partnerList(): Promise<unknown[]> {
  const res = await t.admin({ method: 'GET', url: '/admin/v1/partners' });
  expect(res.statusCode).toBe(200);
  return res.json().data;
}

async function getPartner(code: string) {
  const res = await t.admin({ method: 'GET', url: `/admin/v1/partners/${code}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

async function getProduct(code: string) {
  return t.admin({ method: 'GET', url: `/admin/v1/products/${code}` });
}

const product = (code = 'tech-insurance') =>
  structuredClone(productJson(DEMO_PRODUCTS.find((p) => p.code === code)!));

describe('POST /admin/v1/partners', () => {
  const market = { country: 'SE', currency: 'SEK', language: 'sv' };
  it.each([
    ['a code with capitals', { code: 'MyShop' }, 'code'],
    ['a code of one character', { code: 'a' }, 'code'],
    ['a code with a space', { code: 'my shop' }, 'code'],
    ['a numeric code', { code: 42 }, 'code'],
    ['no name', { name: undefined }, 'name'],
    ['an empty name', { name: '' }, 'name'],
    ['no markets', { markets: [] }, 'markets'],
    ['markets missing', { markets: undefined }, 'markets'],
    ['a lower-case market country', { markets: [{ ...market, country: 'se' }] }, 'markets/0/country'],
    ['a three-letter market country', { markets: [{ ...market, country: 'SWE' }] }, 'markets/0/country'],
    ['a lower-case currency', { markets: [{ ...market, currency: 'sek' }] }, 'markets/0/currency'],
    ['an upper-case language', { markets: [{ ...market, language: 'SV' }] }, 'markets/0/language'],
    ['a market without currency', { markets: [{ country: 'SE', language: 'sv' }] }, 'markets/0/currency'],
    ['an unknown market field', { markets: [{ ...market, vat: 25 }] }, 'markets/0/vat'],
    ['the same market twice', { markets: [market, market] }, 'markets/1/country'],
    ['an unknown field', { colour: 'red' }, 'colour'],
    ['a NUL character in the name', { name: 'A\u0000Shop' }, 'name'],
  ])('%s -> 400 %s, no partner created', async (_name, overrides, field) => {
    const before = await partnerList();
    const body = partnerBody(overrides);
    const res = await t.admin({ method: 'POST', url: '/admin/v1/partners', payload: body });
    expectProblem(res, 400, { code: 'validation_failed', field });
    expect(await partnerList()).toEqual(before);
  });

  it('a duplicate code -> 409 already_exists, the first partner untouched', async () => {
    const body = partnerBody();
    const first = await t.admin({ method: 'POST', url: '/admin/v1/partners', payload: body });
    expect(first.statusCode, first.body).toBe(201);
    const before = await partnerList();
    const again = await t.admin({
      method: 'POST',
      url: '/admin/v1/partners',
      payload: {
        ...body,
        name: 'Another name',
        markets: [{ country: 'DE', currency: 'EUR', language: 'de' }],
      },
    });
    expectProblem(again, 409, { code: 'already_exists', field: 'code' });
    expect(await partnerList()).toEqual(before);
    expect(await getPartner(body.code)).toEqual(first.json());
  });

  it('the demo partner code is taken too', async () => {
    const res = await t.admin({
      method: 'POST',
      url: '/admin/v1/partners',
      payload: partnerBody({ code: 'electroshop' }),
    });
    expectProblem(res, 409, { code: 'already_exists', field: 'code' });
  });

  it('malformed JSON -> 400, no partner created', async () => {
    const before = await partnerList();
    const res = await t.admin({
      method: 'POST',
      url: '/admin/v1/partners',
      headers: { 'content-type': 'application/json' },
      payload: '{"code": "x",',
    });
    expectProblem(res, 400, { code: 'validation_failed', field: 'body' });
    expect(await partnerList()).toEqual(before);
  });

  it('XML -> 415, no partner created', async () => {
    const before = await partnerList();
    const res = await t.admin({
      method: 'POST',
      url: '/admin/v1/partners',
      headers: { 'content-type': 'application/xml' },
      payload: '<partner/>',
    });
    expectProblem(res, 415, { field: 'body' });
    expect(await partnerList()).toEqual(before);
  });
});

describe('GET /admin/v1/partners/:code', () => {
  it('unknown partner -> 404 code', async () => {
    const res = await t.admin({ method: 'GET', url: '/admin/v1/partners/no-such-partner' });
    expectProblem(res, 404, { code: 'not_found', field: 'code' });
  });

  it('a code longer than any code -> 400 params:code', async () => {
    const res = await t.admin({ method: 'GET', url: `/admin/v1/partners/${'c'.repeat(64)}` });
    expectProblem(res, 400, { code: 'validation_failed', field: 'params:code' });
  });
});

describe('POST /admin/v1/partners/:code/credentials', () => {
  it.each([
    ['mode prod', { mode: 'prod' }, 'mode'],
    ['no mode', {}, 'mode'],
    ['an unknown field', { mode: 'test', scopes: ['all'] }, 'scopes'],
  ])('%s -> 400 %s, no credentials issued', async (_name, payload, field) => {
    const { code } = await t.newPartner();
    const before = (await getPartner(code)).credentials;
    const res = await t.admin({ method: 'POST', url: `/admin/v1/partners/${code}/credentials`, payload });
    expectProblem(res, 400, { code: 'validation_failed', field });
    expect((await getPartner(code)).credentials).toEqual(before);
  });

  it('unknown partner -> 404 code', async () => {
    const res = await t.admin({
      method: 'POST',
      url: '/admin/v1/partners/no-such-partner/credentials',
      payload: { mode: 'test' },
    });
    expectProblem(res, 404, { code: 'not_found', field: 'code' });
  });
});

describe('PUT and DELETE /admin/v1/partners/:code/products/:product_code', () => {
  it.each([
    ['commission_bp 10001', { commission_bp: 10_001 }, 'commission_bp'],
    ['commission_bp -1', { commission_bp: -1 }, 'commission_bp'],
    ['commission_bp as a string', { commission_bp: '1500' }, 'commission_bp'],
    ['commission_bp fractional', { commission_bp: 15.5 }, 'commission_bp'],
    ['an unknown field', { commission_bp: 100, markets: ['SE'] }, 'markets'],
  ])('%s -> 400 %s, enablement unchanged', async (_name, payload, field) => {
    const { code } = await t.newPartner();
    const before = (await getPartner(code)).products;
    const res = await t.admin({
      method: 'PUT',
      url: `/admin/v1/partners/${code}/products/tech-insurance`,
      payload,
    });
    expectProblem(res, 400, { code: 'validation_failed', field });
    expect((await getPartner(code)).products).toEqual(before);
  });

  it('no body -> 400', async () => {
    const { code } = await t.newPartner();
    const res = await t.admin({ method: 'PUT', url: `/admin/v1/partners/${code}/products/tech-insurance` });
    expectProblem(res, 400, { code: 'validation_failed', field: 'body' });
  });

  it('enabling an unknown product -> 404 product_code', async () => {
    const { code } = await t.newPartner();
    const before = (await getPartner(code)).products;
    const res = await t.admin({
      method: 'PUT',
      url: `/admin/v1/partners/${code}/products/no-such-product`,
      payload: { commission_bp: 100 },
    });
    expectProblem(res, 404, { code: 'not_found', field: 'product_code' });
    expect((await getPartner(code)).products).toEqual(before);
  });

  it('enabling for an unknown partner -> 404 code', async () => {
    const res = await t.admin({
      method: 'PUT',
      url: '/admin/v1/partners/no-such-partner/products/tech-insurance',
      payload: { commission_bp: 100 },
    });
    expectProblem(res, 404, { code: 'not_found', field: 'code' });
  });

  it('a product sold in none of the partner markets -> 400 product_code', async () => {
    const body = partnerBody({ markets: [{ country: 'NO', currency: 'NOK', language: 'nb' }] });
    expect((await t.admin({ method: 'POST', url: '/admin/v1/partners', payload: body })).statusCode).toBe(
      201,
    );
    const res = await t.admin({
      method: 'PUT',
      url: `/admin/v1/partners/${body.code}/products/garantie-1j`,
      payload: { commission_bp: 100 },
    });
    expectProblem(res, 400, { code: 'validation_failed', field: 'product_code' });
    expect((await getPartner(body.code)).products).toEqual([]);
  });

  it('disabling for an unknown partner -> 404 code', async () => {
    const res = await t.admin({
      method: 'DELETE',
      url: '/admin/v1/partners/no-such-partner/products/tech-insurance',
    });
    expectProblem(res, 404, { code: 'not_found', field: 'code' });
  });
});

describe('GET and PUT /admin/v1/products/:code', () => {
  it('unknown product -> 404 code', async () => {
    expectProblem(await getProduct('no-such-product'), 404, { code: 'not_found', field: 'code' });
  });

  it('a body whose code differs from the path -> 400 code, both products unchanged', async () => {
    const before = (await getProduct('tech-insurance')).json();
    const body = { ...product('CIFRWE'), name: { en: 'Renamed' } };
    const res = await t.admin({ method: 'PUT', url: '/admin/v1/products/tech-insurance', payload: body });
    expectProblem(res, 400, { code: 'validation_failed', field: 'code' });
    expect((await getProduct('tech-insurance')).json()).toEqual(before);
    expect((await getProduct('CIFRWE')).json().name).toEqual(product('CIFRWE').name);
  });

  it('a rate table missing for a term -> 400 markets/0/rates/24, product unchanged', async () => {
    const before = (await getProduct('tech-insurance')).json();
    const body = product('tech-insurance');
    delete body.markets[0]!.rates['24'];
    body.name = { en: 'Changed' };
    const res = await t.admin({ method: 'PUT', url: '/admin/v1/products/tech-insurance', payload: body });
    expectProblem(res, 400, { code: 'validation_failed', field: 'markets/0/rates/24' });
    expect((await getProduct('tech-insurance')).json()).toEqual(before);
  });

  type Mutate = (p: ReturnType<typeof product>) => void;
  it.each<[string, Mutate, string]>([
    ['a term listed twice', (p) => (p.terms = [12, 12]), 'terms'],
    [
      'a rate table for a term not sold',
      (p) => (p.markets[0]!.rates['36'] = p.markets[0]!.rates['12']!),
      'markets/0/rates/36',
    ],
    [
      'bands that do not rise',
      (p) =>
        (p.markets[0]!.rates['12'] = {
          type: 'bands',
          bands: [
            { up_to: 500, premium: 1 },
            { up_to: 100, premium: 2 },
          ],
        }),
      'markets/0/rates/12/bands/1/up_to',
    ],
    [
      'item price min above max',
      (p) => (p.markets[0]!.item_price = { min: 10, max: 1 }),
      'markets/0/item_price',
    ],
    ['the same market twice', (p) => (p.markets = [p.markets[0]!, p.markets[0]!]), 'markets/1/country'],
    ['no markets', (p) => (p.markets = []), 'markets'],
    ['a lower-case market country', (p) => (p.markets[0]!.country = 'se'), 'markets/0/country'],
    ['an unknown coverage', (p) => Object.assign(p, { coverage: 'everything' }), 'coverage'],
    ['terms as strings', (p) => Object.assign(p, { terms: ['12'] }), 'terms/0'],
    [
      'a negative band premium',
      (p) => (p.markets[0]!.rates['12'] = { type: 'bands', bands: [{ up_to: 500, premium: -1 }] }),
      'markets/0/rates/12',
    ],
    [
      'a tax rate above 100 %',
      (p) => (p.markets[0]!.taxes[0]!.rate_bp = 10_001),
      'markets/0/taxes/0/rate_bp',
    ],
    [
      'a policyholder field rule unknown',
      (p) => Object.assign(p.policyholder_fields, { name: 'maybe' }),
      'policyholder_fields/name',
    ],
    [
      'a name in a language code outside the pattern',
      (p) => Object.assign(p, { name: { EN: 'Tech' } }),
      'name/EN',
    ],
    [
      'a cover limit for a lower-case currency',
      (p) => Object.assign(p, { cover_limit: { sek: 100 } }),
      'cover_limit/sek',
    ],
    [
      'a rate table keyed by a word',
      (p) => Object.assign(p.markets[0]!.rates, { twelve: p.markets[0]!.rates['12'] }),
      'markets/0/rates/twelve',
    ],
    ['an unknown field', (p) => Object.assign(p, { colour: 'red' }), 'colour'],
    ['a missing field', (p) => Object.assign(p, { rounding: undefined }), 'rounding'],
    ['a terms url that is not a URL', (p) => (p.documents.terms_url = 'not a url'), 'documents/terms_url'],
    [
      'display content for a market not sold in',
      (p) => (p.display = { DE: { de: { title: 'x' } } }),
      'display/DE',
    ],
    [
      'display content in a three-letter language',
      (p) => (p.display = { SE: { swe: {} } }),
      'display/SE/swe',
    ],
    [
      'display content with an unknown field',
      (p) => (p.display = { SE: { sv: { colour: 'red' } } as never }),
      'display/SE/sv/colour',
    ],
    [
      'a display icon that is not a URL',
      (p) => (p.display = { SE: { sv: { icon_url: 'icon' } } }),
      'display/SE/sv/icon_url',
    ],
  ])('%s -> 400 %s, product unchanged', async (_name, mutate, field) => {
    const before = (await getProduct('tech-insurance')).json();
    const body = product('tech-insurance');
    mutate(body);
    const res = await t.admin({ method: 'PUT', url: '/admin/v1/products/tech-insurance', payload: body });
    const problem = expectProblem(res, 400, { code: 'validation_failed' });
    expect(
      problem.errors.some((e) => e.field === field || e.field.startsWith(`${field}/`)),
      res.body,
    ).toBe(true);
    expect((await getProduct('tech-insurance')).json()).toEqual(before);
  });

  it('a new product with a bad body is not created', async () => {
    const body = { ...product('tech-insurance'), code: 'half-made', terms: [] };
    const res = await t.admin({ method: 'PUT', url: '/admin/v1/products/half-made', payload: body });
    expectProblem(res, 400, { code: 'validation_failed', field: 'terms' });
    expectProblem(await getProduct('half-made'), 404, { code: 'not_found' });
  });

  it('a code longer than any code -> 400 params:code', async () => {
    const res = await t.admin({
      method: 'PUT',
      url: `/admin/v1/products/${'p'.repeat(64)}`,
      payload: product('tech-insurance'),
    });
    expectProblem(res, 400, { code: 'validation_failed', field: 'params:code' });
  });
});
