import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { ADMIN_TOKEN, DEMO_KEY } from '../helpers/constants.js';
import {
  bindDirect,
  createOffer,
  directPolicy,
  expectProblem,
  listPolicies,
  optionOf,
  placedOrder,
  rowCounts,
  swedishHolder,
  tabletOffer,
} from './support.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

const POLICY = 'pol_01kdvdna00q3ee47cp5hrta72k';
const NATIVE: { method: 'GET' | 'POST'; url: string; payload?: object }[] = [
  { method: 'POST', url: '/v1/offers', payload: tabletOffer() },
  { method: 'POST', url: '/v1/policies', payload: directPolicy() },
  { method: 'GET', url: '/v1/policies' },
  { method: 'GET', url: `/v1/policies/${POLICY}` },
  { method: 'GET', url: `/v1/policies/${POLICY}/events` },
  { method: 'POST', url: `/v1/policies/${POLICY}/cancel`, payload: {} },
  { method: 'POST', url: '/v1/order-events', payload: placedOrder('o-auth') },
];
const ADMIN: { method: 'GET' | 'POST' | 'PUT' | 'DELETE'; url: string; payload?: object }[] = [
  {
    method: 'POST',
    url: '/admin/v1/partners',
    payload: { code: 'intruder', name: 'X', markets: [{ country: 'SE', currency: 'SEK', language: 'sv' }] },
  },
  { method: 'GET', url: '/admin/v1/partners' },
  { method: 'GET', url: '/admin/v1/partners/electroshop' },
  { method: 'POST', url: '/admin/v1/partners/electroshop/credentials', payload: { mode: 'live' } },
  { method: 'POST', url: '/admin/v1/partners/electroshop/credentials/crs_01kdvdna00q3ee47cp5hrta72k/revoke' },
  {
    method: 'PUT',
    url: '/admin/v1/partners/electroshop/products/tech-insurance',
    payload: { commission_bp: 0 },
  },
  { method: 'DELETE', url: '/admin/v1/partners/electroshop/products/tech-insurance' },
  { method: 'GET', url: '/admin/v1/products' },
  { method: 'GET', url: '/admin/v1/products/tech-insurance' },
  { method: 'PUT', url: '/admin/v1/products/tech-insurance', payload: {} },
];
const label = (r: { method: string; url: string }) => `${r.method} ${r.url}`;

describe('native API authentication', () => {
  it.each(NATIVE.map((r) => [label(r), r] as const))('%s without Authorization -> 401', async (_l, r) => {
    const res = await t.app.inject({
      method: r.method,
      url: r.url,
      ...(r.payload ? { payload: r.payload } : {}),
    });
    expectProblem(res, 401, { code: 'unauthenticated', field: 'Authorization' });
  });

  it.each([
    ['an unknown key', `Bearer sk_test_${'x'.repeat(32)}`],
    ['the admin token', `Bearer ${ADMIN_TOKEN}`],
    ['a Basic scheme', `Basic ${Buffer.from(`${DEMO_KEY}:`).toString('base64')}`],
    ['the key without a scheme', DEMO_KEY],
    ['an empty bearer', 'Bearer '],
  ])('%s -> 401 on every route, nothing written', async (_name, authorization) => {
    for (const r of NATIVE) {
      const res = await t.app.inject({
        method: r.method,
        url: r.url,
        headers: { authorization },
        ...(r.payload ? { payload: r.payload } : {}),
      });
      expectProblem(res, 401, { code: 'unauthenticated', field: 'Authorization' });
    }
  });

  it('authentication comes before body validation: a bad body without a key is a 401', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/offers', payload: { country: 'nowhere' } });
    expectProblem(res, 401, { code: 'unauthenticated' });
  });

  it('the bearer scheme is case-insensitive', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/v1/policies',
      headers: { authorization: `bearer ${DEMO_KEY}` },
    });
    expect(res.statusCode, res.body).toBe(200);
  });
});

describe('admin API authentication', () => {
  it.each(ADMIN.map((r) => [label(r), r] as const))(
    '%s: no token, an API key, a wrong token -> 401, nothing changed',
    async (_l, r) => {
      const partnersBefore = (await t.admin({ method: 'GET', url: '/admin/v1/partners' })).json();
      const productBefore = (
        await t.admin({ method: 'GET', url: '/admin/v1/products/tech-insurance' })
      ).json();
      for (const headers of [
        {},
        { authorization: `Bearer ${DEMO_KEY}` },
        { authorization: `Bearer ${ADMIN_TOKEN}x` },
        { authorization: `Bearer ${ADMIN_TOKEN.slice(0, -1)}` },
        { authorization: ADMIN_TOKEN },
      ]) {
        const res = await t.app.inject({
          method: r.method,
          url: r.url,
          headers,
          ...(r.payload ? { payload: r.payload } : {}),
        });
        expectProblem(res, 401, { code: 'unauthenticated', field: 'Authorization' });
      }
      expect((await t.admin({ method: 'GET', url: '/admin/v1/partners' })).json()).toEqual(partnersBefore);
      expect((await t.admin({ method: 'GET', url: '/admin/v1/products/tech-insurance' })).json()).toEqual(
        productBefore,
      );
    },
  );

  it('a partner API key of a freshly issued credential set is refused too', async () => {
    const { key } = await t.newPartner();
    const res = await t.call({ method: 'GET', url: '/admin/v1/partners', key });
    expectProblem(res, 401, { code: 'unauthenticated' });
  });
});

describe('tenant isolation between partners', () => {
  it("partner B cannot read, list, cancel or bind partner A's data", async () => {
    const a = await t.newPartner();
    const b = await t.newPartner();
    const policy = await bindDirect(t, a.key, { refs: { order_id: 'shared-order' } });
    const offer = await createOffer(t, a.key);

    for (const url of [`/v1/policies/${policy.id}`, `/v1/policies/${policy.id}/events`]) {
      expectProblem(await t.call({ method: 'GET', url, key: b.key }), 404, { code: 'not_found' });
    }
    expect(await listPolicies(t, b.key)).toEqual([]);
    expect(await listPolicies(t, b.key, '&order_id=shared-order')).toEqual([]);
    const cancel = await t.call({
      method: 'POST',
      url: `/v1/policies/${policy.id}/cancel`,
      key: b.key,
      payload: {},
    });
    expectProblem(cancel, 404, { code: 'not_found' });
    const bind = await t.call({
      method: 'POST',
      url: '/v1/policies',
      key: b.key,
      payload: {
        offer_id: offer.id,
        option_id: optionOf(offer, 'refurbished-electronics').id,
        policyholder: swedishHolder(),
      },
    });
    expectProblem(bind, 404, { code: 'not_found', field: 'offer_id' });

    // A's order, refunded and cancelled by B: B knows no such order, and nothing of A's changes.
    for (const payload of [
      { type: 'refunded', order_id: 'shared-order', lines: [{ line_id: 'l1', quantity: 1 }] },
      { type: 'cancelled', order_id: 'shared-order' },
    ]) {
      const res = await t.call({ method: 'POST', url: '/v1/order-events', key: b.key, payload });
      expectProblem(res, 404, { code: 'not_found', field: 'order_id' });
    }
    const mine = await t.call({ method: 'GET', url: `/v1/policies/${policy.id}`, key: a.key });
    expect(mine.json().status).toBe('active');
    expect((await rowCounts(t, b.partnerId)).policies).toBe(0);
    expect((await rowCounts(t, a.partnerId)).policy_events).toBe(1);
    expect((await listPolicies(t, a.key)).map((p) => p.id)).toEqual([policy.id]);
  });

  it("the demo partner's list does not show another partner's policies", async () => {
    const a = await t.newPartner();
    const policy = await bindDirect(t, a.key);
    const demo = await listPolicies(t, DEMO_KEY);
    expect(demo.map((p) => p.id)).not.toContain(policy.id);
  });
});

describe('test and live mode of one partner', () => {
  it('a live key issued through the admin API does not see test data, and the test key not live data', async () => {
    const partner = await t.newPartner();
    const issued = await t.admin({
      method: 'POST',
      url: `/admin/v1/partners/${partner.code}/credentials`,
      payload: { mode: 'live' },
    });
    expect(issued.statusCode, issued.body).toBe(201);
    const liveKey: string = issued.json().api_key;
    expect(liveKey).toMatch(/^sk_live_/);

    const testPolicy = await bindDirect(t, partner.key, { refs: { order_id: 'o-1' } });
    expect(testPolicy).toMatchObject({ mode: 'test' });
    expect(await listPolicies(t, liveKey)).toEqual([]);
    expectProblem(await t.call({ method: 'GET', url: `/v1/policies/${testPolicy.id}`, key: liveKey }), 404, {
      code: 'not_found',
    });
    expectProblem(
      await t.call({
        method: 'POST',
        url: `/v1/policies/${testPolicy.id}/cancel`,
        key: liveKey,
        payload: {},
      }),
      404,
      { code: 'not_found' },
    );

    const livePolicy = await bindDirect(t, liveKey, { refs: { order_id: 'o-1' } });
    expect(livePolicy).toMatchObject({ mode: 'live' });
    expect((await listPolicies(t, partner.key)).map((p) => p.id)).toEqual([testPolicy.id]);
    expect((await listPolicies(t, liveKey)).map((p) => p.id)).toEqual([livePolicy.id]);
    expectProblem(
      await t.call({ method: 'GET', url: `/v1/policies/${livePolicy.id}`, key: partner.key }),
      404,
      {
        code: 'not_found',
      },
    );

    // An offer made in test mode cannot be bound with the live key.
    const offer = await createOffer(t, partner.key);
    expect(offer).toMatchObject({ mode: 'test' });
    const bind = await t.call({
      method: 'POST',
      url: '/v1/policies',
      key: liveKey,
      payload: {
        offer_id: offer.id,
        option_id: optionOf(offer, 'refurbished-electronics').id,
        policyholder: swedishHolder(),
      },
    });
    expectProblem(bind, 404, { code: 'not_found', field: 'offer_id' });

    // A live refund of order o-1 ends the live policy only.
    const refund = await t.call({
      method: 'POST',
      url: '/v1/order-events',
      key: liveKey,
      payload: { type: 'cancelled', order_id: 'o-1' },
    });
    expect(refund.statusCode, refund.body).toBe(201);
    expect(refund.json().policies.map((p: { id: string }) => p.id)).toEqual([livePolicy.id]);
    const stillActive = await t.call({
      method: 'GET',
      url: `/v1/policies/${testPolicy.id}`,
      key: partner.key,
    });
    expect(stillActive.json().status).toBe('active');
  });

  it('a live-mode partner sees nothing of test-mode partners', async () => {
    const live = await t.newPartner({ mode: 'live' });
    const policy = await bindDirect(t, live.key);
    expect(policy).toMatchObject({ mode: 'live' });
    expect((await listPolicies(t, live.key)).map((p) => p.id)).toEqual([policy.id]);
    expect((await listPolicies(t, DEMO_KEY)).map((p) => p.id)).not.toContain(policy.id);
  });
});
