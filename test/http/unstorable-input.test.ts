import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS } from '../../src/demo/catalog.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { BACKENDS } from '../helpers/database.js';
import { signXcover } from '../helpers/xcover-signer.js';

/**
 * Valid JSON that no column can hold or no validator can walk: a lone UTF-16 surrogate (PostgreSQL's
 * jsonb refuses it) and nesting thousands of levels deep (a stack overflow in validation). Every API
 * answers a 4xx in its own error format naming the field, never a 500.
 */
const lone = '"A\\ud800"';
// biome-ignore lint/suspicious/noExplicitAny: each API's error body is read by its own path
type Json = Record<string, any>;
const deep = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;

describe.each(BACKENDS)('input no database can store, on %s', (backend) => {
  let t: TestApp;
  let omocomToken: string;
  beforeAll(async () => {
    t = await buildTestApp({ backend, xcoverRateLimits: { live: 1000, test: 1000 } });
    const token = await t.app.inject({
      method: 'POST',
      url: '/omocom/oauth2/token',
      payload: {
        grant_type: 'client_credentials',
        client_id: DEMO_CREDENTIALS.oauth.client_id,
        client_secret: DEMO_CREDENTIALS.oauth.client_secret,
      },
    });
    omocomToken = token.json().access_token;
  });
  afterAll(() => t?.close());

  const surfaces: {
    name: string;
    url: string;
    body: (inner: string) => string;
    headers: () => Record<string, string>;
    field: (r: Json) => unknown;
  }[] = [
    {
      name: 'native',
      url: '/v1/offers',
      body: (inner) =>
        `{"country":"SE","items":[{"ref":${inner},"quantity":1,"category":"laptop","price":{"amount":1000,"currency":"SEK"}}]}`,
      headers: () => ({ authorization: 'Bearer sk_test_electroshop_demo_key' }),
      field: (r) => r.errors[0].field,
    },
    {
      name: 'admin',
      url: '/admin/v1/partners',
      body: (inner) => `{"code":"x-shop","name":${inner},"markets":[]}`,
      headers: () => ({ authorization: 'Bearer test-admin-token-0123456789' }),
      field: (r) => r.errors[0].field,
    },
    {
      name: 'sitoo',
      url: '/sitoo/cart-insurances',
      body: (inner) =>
        `{"id":${inner},"currency_code":"USD","items":[{"id":"1","sku":"s","name":"n","product_group":"tv","quantity":1,"total":"10.00"}]}`,
      headers: () => ({ authorization: 'Bearer sk_test_electroshop_demo_key', 'store-id': 'store-1' }),
      field: (r) => r.error_data.field,
    },
    {
      name: 'omocom',
      url: '/omocom/v1.3/electroshop/SE/Users',
      body: (inner) => `{"MarketName":"SE","UserId":${inner},"FirstName":"A","LastName":"B"}`,
      headers: () => ({ authorization: `Bearer ${omocomToken}` }),
      field: (r) => r.field,
    },
    {
      name: 'omocom token',
      url: '/omocom/oauth2/token',
      body: (inner) => `{"grant_type":"client_credentials","client_id":${inner},"client_secret":"x"}`,
      headers: () => ({}),
      // OAuth2 names no field: its error and description say what was wrong.
      field: (r) => `${r.error} ${r.error_description}`,
    },
    {
      name: 'xcover',
      url: '/xcover/partners/electroshop/quotes/',
      body: (inner) =>
        `{"currency":"GBP","customer_country":"GB","partner_transaction_id":${inner},"request":[]}`,
      headers: () =>
        signXcover({
          method: 'POST',
          path: '/xcover/partners/electroshop/quotes/',
          secret: DEMO_CREDENTIALS.hmac.secret,
          keyId: DEMO_CREDENTIALS.hmac.key_id,
          algorithm: 'hmac-sha512',
          headers: '(request-target) date',
        }),
      field: (r) => JSON.stringify(r.errors),
    },
  ];

  for (const s of surfaces) {
    it(`${s.name}: a lone surrogate is refused naming its field`, async () => {
      const r = await t.app.inject({
        method: 'POST',
        url: s.url,
        headers: { 'content-type': 'application/json', ...s.headers() },
        payload: s.body(lone),
      });
      // XCover answers every validation failure with 422, as its API does; the others with 400.
      expect(r.statusCode, r.body).toBe(s.name === 'xcover' ? 422 : 400);
      expect(String(s.field(r.json()))).toMatch(/id|name|UserId|partner_transaction_id|ref|invalid_request/);
      expect(r.body).toMatch(/lone surrogate/);
    });

    it(`${s.name}: JSON nested 5 000 levels deep is a 4xx in the API's format`, async () => {
      const r = await t.app.inject({
        method: 'POST',
        url: s.url,
        headers: { 'content-type': 'application/json', ...s.headers() },
        payload: s.body(deep(5000)),
      });
      expect(r.statusCode, r.body).toBeGreaterThanOrEqual(400);
      expect(r.statusCode, r.body).toBeLessThan(500);
      expect(s.field(r.json())).toBeDefined();
    });
  }
});
