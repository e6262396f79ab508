import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { directPolicy, expectProblem, tabletOffer } from './support.js';

const SHOP = 'https://shop.example';
const FOREIGN = 'https://evil.example';

let t: TestApp;
let partner: Awaited<ReturnType<TestApp['newPartner']>>;
let pk: string;
let setId: string;
beforeAll(async () => {
  t = await buildTestApp();
  partner = await t.newPartner();
  const res = await t.admin({
    method: 'POST',
    url: `/admin/v1/partners/${partner.code}/publishable-keys`,
    payload: { mode: 'test', allowed_origins: [SHOP, 'HTTP://localhost:8080'] },
  });
  expect(res.statusCode, res.body).toBe(201);
  const body = res.json();
  expect(body).toMatchObject({
    object: 'publishable_key',
    partner: partner.code,
    mode: 'test',
    allowed_origins: [SHOP, 'http://localhost:8080'],
  });
  expect(body.publishable_key).toMatch(/^pk_test_/);
  pk = body.publishable_key;
  setId = body.set_id;
});
afterAll(() => t.close());

const widgetOffer = (origin: string | undefined, key = pk) =>
  t.app.inject({
    method: 'POST',
    url: `/v1/widget/${key}/offers`,
    headers: origin ? { origin } : {},
    payload: tabletOffer(),
  });

describe('publishable keys', () => {
  it('are issued with their origins, listed on the partner, and refuse an origin that is not one', async () => {
    const listed = (await t.admin({ method: 'GET', url: `/admin/v1/partners/${partner.code}` })).json();
    expect(listed.credentials).toContainEqual(
      expect.objectContaining({ kind: 'publishable_key', public_id: pk, allowed_origins: expect.any(Array) }),
    );
    const bad = await t.admin({
      method: 'POST',
      url: `/admin/v1/partners/${partner.code}/publishable-keys`,
      payload: { mode: 'test', allowed_origins: ['http://shop.example/path'] },
    });
    expectProblem(bad, 400, { field: 'allowed_origins/0' });
  });

  it('ask for offers from an allowed origin, with CORS for that origin only', async () => {
    const res = await widgetOffer(SHOP);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().items[0].options.length).toBeGreaterThan(0);
    expect(res.headers['access-control-allow-origin']).toBe(SHOP);

    const preflight = await t.app.inject({
      method: 'OPTIONS',
      url: `/v1/widget/${pk}/offers`,
      headers: {
        origin: SHOP,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(SHOP);
  });

  it('CORS refuses a foreign origin: no CORS headers, and the request itself is refused', async () => {
    const preflight = await t.app.inject({
      method: 'OPTIONS',
      url: `/v1/widget/${pk}/offers`,
      headers: { origin: FOREIGN, 'access-control-request-method': 'POST' },
    });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    const res = await widgetOffer(FOREIGN);
    expectProblem(res, 403, { code: 'forbidden', field: 'Origin' });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expectProblem(await widgetOffer(undefined), 403, { field: 'Origin' });
  });

  it('a path that cannot be a key (NUL, a space, another prefix, too long) is an unknown key: 401, never a 500', async () => {
    for (const key of ['%00', 'pk_test_%00', 'pk_test_a%20b', 'sk_test_x', `pk_test_${'a'.repeat(200)}`]) {
      const res = await widgetOffer(SHOP, key);
      expectProblem(res, 401, { code: 'unauthenticated' });
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    }
  });

  it('cannot bind, nor use any other route, on any API', async () => {
    const bind = await t.call({ method: 'POST', url: '/v1/policies', key: pk, payload: directPolicy() });
    expectProblem(bind, 403, { code: 'forbidden', field: 'Authorization' });
    expectProblem(await t.call({ method: 'POST', url: '/v1/offers', key: pk, payload: tabletOffer() }), 403);
    expectProblem(await t.call({ method: 'GET', url: '/v1/policies', key: pk }), 403);
    expect((await t.call({ method: 'GET', url: '/admin/v1/partners', key: pk })).statusCode).toBe(401);
    expect(
      (await t.call({ method: 'GET', url: '/v1/widget/sk_test_x/offers', key: partner.key })).statusCode,
    ).toBe(404);
  });

  it('stop working once revoked', async () => {
    const revoked = await t.admin({
      method: 'POST',
      url: `/admin/v1/partners/${partner.code}/credentials/${setId}/revoke`,
    });
    expect(revoked.statusCode, revoked.body).toBe(200);
    expectProblem(await widgetOffer(SHOP), 401, { code: 'unauthenticated' });
    const preflight = await t.app.inject({
      method: 'OPTIONS',
      url: `/v1/widget/${pk}/offers`,
      headers: { origin: SHOP, 'access-control-request-method': 'POST' },
    });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });
});
