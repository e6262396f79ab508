import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDEMPOTENCY_LOCK_MS } from '../../src/core/idempotency.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import {
  createOffer,
  directPolicy,
  expectProblem,
  listPolicies,
  optionOf,
  requestHash,
  rowCounts,
  swedishHolder,
  tabletOffer,
} from './support.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

const REPLAYED = 'idempotent-replayed';
let counter = 0;
const newKey = () => `idem-${process.pid}-${++counter}`;

const post = (key: string, url: string, idempotencyKey: string, payload: object) =>
  t.call({ method: 'POST', url, key, headers: { 'idempotency-key': idempotencyKey }, payload });

describe('same key, same request', () => {
  it('POST /v1/offers twice: the same offer, replayed, one offer stored', async () => {
    const { key, partnerId } = await t.newPartner();
    const k = newKey();
    const first = await post(key, '/v1/offers', k, tabletOffer());
    expect(first.statusCode, first.body).toBe(201);
    expect(first.headers[REPLAYED]).toBeUndefined();
    t.clock.advance(1_000);
    const second = await post(key, '/v1/offers', k, tabletOffer());
    expect(second.statusCode).toBe(201);
    expect(second.headers[REPLAYED]).toBe('true');
    expect(second.headers['content-type']).toMatch(/^application\/json/);
    expect(second.json()).toEqual(first.json());
    expect((await rowCounts(t, partnerId)).offers).toBe(1);
  });

  it('POST /v1/policies twice: one policy, the second answer replayed', async () => {
    const { key, partnerId } = await t.newPartner();
    const k = newKey();
    const first = await post(key, '/v1/policies', k, directPolicy());
    expect(first.statusCode, first.body).toBe(201);
    t.clock.advance(1_000);
    const second = await post(key, '/v1/policies', k, directPolicy());
    expect(second.statusCode).toBe(first.statusCode);
    expect(second.headers[REPLAYED]).toBe('true');
    expect(second.body).toBe(first.body);
    expect(await listPolicies(t, key)).toHaveLength(1);
    expect((await rowCounts(t, partnerId)).policies).toBe(1);
  });

  it('POST /v1/policies/:id/cancel twice: cancelled once, the same answer replayed', async () => {
    const { key, partnerId } = await t.newPartner();
    const policy = (await post(key, '/v1/policies', newKey(), directPolicy())).json();
    const k = newKey();
    const url = `/v1/policies/${policy.id}/cancel`;
    const first = await post(key, url, k, { reason: 'changed my mind' });
    expect(first.statusCode, first.body).toBe(200);
    const second = await post(key, url, k, { reason: 'changed my mind' });
    expect(second.statusCode).toBe(200);
    expect(second.headers[REPLAYED]).toBe('true');
    expect(second.json()).toEqual(first.json());
    expect((await rowCounts(t, partnerId)).policy_events).toBe(2);
  });

  it('POST /v1/order-events twice: one order event, the same policies', async () => {
    const { key, partnerId } = await t.newPartner();
    // An event names an order Protego knows: here, one a policy was bound for.
    const bound = await post(key, '/v1/policies', newKey(), directPolicy({ refs: { order_id: 'o-1' } }));
    expect(bound.statusCode, bound.body).toBe(201);
    const k = newKey();
    const body = { type: 'cancelled', order_id: 'o-1' };
    const first = await post(key, '/v1/order-events', k, body);
    expect(first.statusCode, first.body).toBe(201);
    const second = await post(key, '/v1/order-events', k, body);
    expect(second.headers[REPLAYED]).toBe('true');
    expect(second.json()).toEqual(first.json());
    expect((await rowCounts(t, partnerId)).order_events).toBe(1);
  });

  it('two requests at once with one key bind one policy', async () => {
    const { key } = await t.newPartner();
    const k = newKey();
    const answers = await Promise.all([
      post(key, '/v1/policies', k, directPolicy()),
      post(key, '/v1/policies', k, directPolicy()),
    ]);
    const statuses = answers.map((a) => a.statusCode).sort();
    expect([
      [201, 201],
      [201, 409],
    ]).toContainEqual(statuses);
    for (const a of answers.filter((x) => x.statusCode === 409)) {
      expectProblem(a, 409, { code: 'idempotency_key_in_flight', field: 'Idempotency-Key' });
    }
    const created = answers.filter((a) => a.statusCode === 201).map((a) => a.json().id);
    expect(new Set(created).size).toBe(1);
    expect(await listPolicies(t, key)).toHaveLength(1);
  });
});

describe('same key, another request', () => {
  it('another body -> 422 idempotency_key_reused, nothing more written', async () => {
    const { key, partnerId } = await t.newPartner();
    const k = newKey();
    expect((await post(key, '/v1/policies', k, directPolicy())).statusCode).toBe(201);
    const before = await rowCounts(t, partnerId);
    const other = await post(key, '/v1/policies', k, directPolicy({ term_months: 24 }));
    expectProblem(other, 422, { code: 'idempotency_key_reused', field: 'Idempotency-Key' });
    expect(other.headers[REPLAYED]).toBeUndefined();
    expect(await rowCounts(t, partnerId)).toEqual(before);
  });

  it('another path -> 422 idempotency_key_reused', async () => {
    const { key, partnerId } = await t.newPartner();
    const k = newKey();
    expect((await post(key, '/v1/offers', k, tabletOffer())).statusCode).toBe(201);
    const other = await post(key, '/v1/policies', k, directPolicy());
    expectProblem(other, 422, { code: 'idempotency_key_reused' });
    expect((await rowCounts(t, partnerId)).policies).toBe(0);
  });
});

describe('a key still in flight', () => {
  it('-> 409 idempotency_key_in_flight while held, runs once the lock has run out', async () => {
    const { key, partnerId } = await t.newPartner();
    const k = newKey();
    const body = directPolicy();
    // Hold the key as a request that is still running would: claimed with this request's hash, no answer.
    const held = await t.db.read.idempotency.claim(
      { partnerId, mode: 'test', key: k },
      requestHash('POST', '/v1/policies', body),
      t.clock.now(),
    );
    expect(held).toBeUndefined();

    const res = await post(key, '/v1/policies', k, body);
    expectProblem(res, 409, { code: 'idempotency_key_in_flight', field: 'Idempotency-Key' });
    expect(await listPolicies(t, key)).toEqual([]);

    // Another body with the held key is a reuse, not a wait.
    expectProblem(await post(key, '/v1/policies', k, directPolicy({ term_months: 24 })), 422, {
      code: 'idempotency_key_reused',
    });

    // The holder died without answering: once its lock has run out a retry takes the key over.
    t.clock.advance(IDEMPOTENCY_LOCK_MS + 1_000);
    const retry = await post(key, '/v1/policies', k, body);
    expect(retry.statusCode, retry.body).toBe(201);
    expect(retry.headers[REPLAYED]).toBeUndefined();
    expect(await listPolicies(t, key)).toHaveLength(1);
    const replay = await post(key, '/v1/policies', k, body);
    expect(replay.headers[REPLAYED]).toBe('true');
    expect(replay.json()).toEqual(retry.json());
  });
});

describe('refusals', () => {
  it('a first use refused with a 4xx replays the same 4xx, even once the cause is gone', async () => {
    const { key, code, partnerId } = await t.newPartner();
    expect(
      (await t.admin({ method: 'DELETE', url: `/admin/v1/partners/${code}/products/product-protection` }))
        .statusCode,
    ).toBe(200);
    const k = newKey();
    const first = await post(key, '/v1/policies', k, directPolicy());
    const problem = expectProblem(first, 422, { code: 'product_not_enabled', field: 'product_code' });
    expect(first.headers[REPLAYED]).toBeUndefined();

    const again = await post(key, '/v1/policies', k, directPolicy());
    expectProblem(again, 422, { code: 'product_not_enabled' });
    expect(again.headers[REPLAYED]).toBe('true');
    expect(again.json()).toEqual(problem);

    // The product is sold again: the key still answers what it answered; a new key binds.
    expect(
      (
        await t.admin({
          method: 'PUT',
          url: `/admin/v1/partners/${code}/products/product-protection`,
          payload: { commission_bp: 1500 },
        })
      ).statusCode,
    ).toBe(200);
    const replay = await post(key, '/v1/policies', k, directPolicy());
    expect(replay.statusCode).toBe(422);
    expect(replay.headers[REPLAYED]).toBe('true');
    expect((await rowCounts(t, partnerId)).policies).toBe(0);
    expect((await post(key, '/v1/policies', newKey(), directPolicy())).statusCode).toBe(201);
  });

  it('a 404 and a 409 are replayed too', async () => {
    const { key } = await t.newPartner();
    const k = newKey();
    const missing = {
      offer_id: 'off_01kdvdna00q3ee47cp5hrta72k',
      option_id: 'opt_x',
      policyholder: swedishHolder(),
    };
    const first = await post(key, '/v1/policies', k, missing);
    expectProblem(first, 404, { code: 'not_found' });
    const second = await post(key, '/v1/policies', k, missing);
    expect(second.statusCode).toBe(404);
    expect(second.headers[REPLAYED]).toBe('true');
    expect(second.json()).toEqual(first.json());
  });

  it('a request refused by schema validation is not stored: the key stays free for the corrected request', async () => {
    const { key, partnerId } = await t.newPartner();
    const k = newKey();
    const bad = await post(key, '/v1/policies', k, directPolicy({ term_months: '12' }));
    expectProblem(bad, 400, { code: 'validation_failed', field: 'term_months' });
    expect((await rowCounts(t, partnerId)).idempotency_keys).toBe(0);
    const good = await post(key, '/v1/policies', k, directPolicy());
    expect(good.statusCode, good.body).toBe(201);
    expect(good.headers[REPLAYED]).toBeUndefined();
  });

  it('quantity_exceeded with a new key is a fresh refusal, the first key still replays its policy', async () => {
    const { key } = await t.newPartner();
    const offer = await createOffer(t, key);
    const body = {
      offer_id: offer.id,
      option_id: optionOf(offer, 'refurbished-electronics').id,
      policyholder: swedishHolder(),
    };
    const k = newKey();
    const bound = await post(key, '/v1/policies', k, body);
    expect(bound.statusCode, bound.body).toBe(201);
    expect((await post(key, '/v1/policies', k, body)).json()).toEqual(bound.json());
    expectProblem(await post(key, '/v1/policies', newKey(), body), 422, { code: 'quantity_exceeded' });
    expect(await listPolicies(t, key)).toHaveLength(1);
  });
});

describe('scope of a key', () => {
  it('the same key string used by two partners runs twice', async () => {
    const a = await t.newPartner();
    const b = await t.newPartner();
    const k = newKey();
    const ra = await post(a.key, '/v1/policies', k, directPolicy());
    const rb = await post(b.key, '/v1/policies', k, directPolicy());
    expect(ra.statusCode).toBe(201);
    expect(rb.statusCode).toBe(201);
    expect(rb.headers[REPLAYED]).toBeUndefined();
    expect(rb.json().id).not.toBe(ra.json().id);
    expect(await listPolicies(t, a.key)).toHaveLength(1);
    expect(await listPolicies(t, b.key)).toHaveLength(1);
  });

  it('the same key in test and live mode of one partner runs twice', async () => {
    const partner = await t.newPartner();
    const liveKey = (
      await t.admin({
        method: 'POST',
        url: `/admin/v1/partners/${partner.code}/credentials`,
        payload: { mode: 'live' },
      })
    ).json().api_key;
    const k = newKey();
    const test = await post(partner.key, '/v1/policies', k, directPolicy());
    const live = await post(liveKey, '/v1/policies', k, directPolicy());
    expect(test.statusCode).toBe(201);
    expect(live.statusCode).toBe(201);
    expect(live.headers[REPLAYED]).toBeUndefined();
    expect(live.json().mode).toBe('live');
  });

  it('two keys of one partner and one mode share their idempotency keys', async () => {
    const partner = await t.newPartner();
    const secondKey = (
      await t.admin({
        method: 'POST',
        url: `/admin/v1/partners/${partner.code}/credentials`,
        payload: { mode: 'test' },
      })
    ).json().api_key;
    const k = newKey();
    const first = await post(partner.key, '/v1/policies', k, directPolicy());
    const second = await post(secondKey, '/v1/policies', k, directPolicy());
    expect(second.headers[REPLAYED]).toBe('true');
    expect(second.json()).toEqual(first.json());
  });
});

describe('admin API', () => {
  const partnerBody = (code: string) => ({
    code,
    name: 'Idempotent Shop',
    markets: [{ country: 'SE', currency: 'SEK', language: 'sv' }],
  });
  const partners = async () => (await t.admin({ method: 'GET', url: '/admin/v1/partners' })).json().data;

  it('POST /partners twice with one key creates one partner', async () => {
    const k = newKey();
    const code = `idem-shop-${process.pid}`;
    const before = (await partners()).length;
    const first = await t.admin({
      method: 'POST',
      url: '/admin/v1/partners',
      headers: { 'idempotency-key': k },
      payload: partnerBody(code),
    });
    expect(first.statusCode, first.body).toBe(201);
    const second = await t.admin({
      method: 'POST',
      url: '/admin/v1/partners',
      headers: { 'idempotency-key': k },
      payload: partnerBody(code),
    });
    expect(second.statusCode).toBe(201);
    expect(second.headers[REPLAYED]).toBe('true');
    expect(second.json()).toEqual(first.json());
    expect((await partners()).length).toBe(before + 1);

    const other = await t.admin({
      method: 'POST',
      url: '/admin/v1/partners',
      headers: { 'idempotency-key': k },
      payload: partnerBody(`${code}-2`),
    });
    expectProblem(other, 422, { code: 'idempotency_key_reused' });
    expect((await partners()).length).toBe(before + 1);
  });

  it('without a key the same POST /partners is refused as a duplicate', async () => {
    const code = `idem-dup-${process.pid}`;
    expect(
      (await t.admin({ method: 'POST', url: '/admin/v1/partners', payload: partnerBody(code) })).statusCode,
    ).toBe(201);
    expectProblem(
      await t.admin({ method: 'POST', url: '/admin/v1/partners', payload: partnerBody(code) }),
      409,
      {
        code: 'already_exists',
      },
    );
  });

  it('POST credentials twice with one key issues one set and replays the same secrets', async () => {
    const { code } = await t.newPartner();
    const k = newKey();
    const url = `/admin/v1/partners/${code}/credentials`;
    const first = await t.admin({
      method: 'POST',
      url,
      headers: { 'idempotency-key': k },
      payload: { mode: 'live' },
    });
    const second = await t.admin({
      method: 'POST',
      url,
      headers: { 'idempotency-key': k },
      payload: { mode: 'live' },
    });
    expect(first.statusCode, first.body).toBe(201);
    expect(second.headers[REPLAYED]).toBe('true');
    expect(second.json()).toEqual(first.json());
    const partner = (await t.admin({ method: 'GET', url: `/admin/v1/partners/${code}` })).json();
    expect(partner.credentials.filter((c: { mode: string }) => c.mode === 'live')).toHaveLength(3);
  });

  it('admin keys and partner keys do not collide', async () => {
    const { key } = await t.newPartner();
    const k = newKey();
    const admin = await t.admin({
      method: 'POST',
      url: '/admin/v1/partners',
      headers: { 'idempotency-key': k },
      payload: partnerBody(`idem-coll-${process.pid}`),
    });
    expect(admin.statusCode).toBe(201);
    const native = await post(key, '/v1/policies', k, directPolicy());
    expect(native.statusCode).toBe(201);
    expect(native.headers[REPLAYED]).toBeUndefined();
  });
});

describe('secrets and the idempotency store', () => {
  // Credentials are shown once and kept hashed or encrypted; a replayable answer must not keep them readable.
  it('issuing credentials under an Idempotency-Key leaves no secret in plain text in the database', async () => {
    const { code } = await t.newPartner();
    const res = await t.admin({
      method: 'POST',
      url: `/admin/v1/partners/${code}/credentials`,
      headers: { 'idempotency-key': newKey() },
      payload: { mode: 'live' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const issued = res.json();
    const { rows } = await sql<{ response_body: string | null }>`
      SELECT response_body FROM idempotency_keys WHERE partner_id = 'admin'`.execute(t.db.kysely);
    const stored = rows.map((r) => r.response_body ?? '').join('\n');
    for (const secret of [issued.api_key, issued.oauth.client_secret, issued.hmac.secret]) {
      expect(stored).not.toContain(secret);
    }
  });
});
