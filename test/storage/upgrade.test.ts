import { readFileSync } from 'node:fs';
import type { InjectOptions } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { ulidIds } from '../../src/core/ids.js';
import { DEMO_CREDENTIALS } from '../../src/demo/catalog.js';
import { buildApp } from '../../src/http/app.js';
import type { App } from '../../src/http/context.js';
import { type Database, openDatabase } from '../../src/storage/database.js';
import { ADMIN_TOKEN, DEMO_KEY, TEST_ENCRYPTION_KEY, TEST_TOKEN_KEY } from '../helpers/constants.js';
import { signXcover } from '../helpers/xcover-signer.js';

/**
 * A data directory written by an earlier release (test/fixtures/upgrade, see its README) opens with
 * today's code, migrates, and answers every API exactly as it did then.
 */
const fixture = (name: string) => new URL(`../fixtures/upgrade/${name}`, import.meta.url);
// biome-ignore lint/suspicious/noExplicitAny: answers are compared whole and read field by field
type Json = any;
const then: Json = JSON.parse(readFileSync(fixture('answers.json'), 'utf8'));

describe('a data directory of release 3eabe25', () => {
  let db: Database;
  let app: App;
  let omocomToken: string;
  beforeAll(async () => {
    const data = new Blob([readFileSync(fixture('data.tar.gz'))]);
    db = await openDatabase({ kind: 'pglite', loadDataDir: data }, TEST_ENCRYPTION_KEY);
    await db.migrate();
    const clock = new ManualClock(then.now);
    app = await buildApp({
      services: { db, clock, ids: ulidIds(clock), adminToken: ADMIN_TOKEN, tokenKey: TEST_TOKEN_KEY },
    });
    const token = await app.inject({
      method: 'POST',
      url: '/omocom/oauth2/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `grant_type=client_credentials&client_id=${DEMO_CREDENTIALS.oauth.client_id}&client_secret=${DEMO_CREDENTIALS.oauth.client_secret}`,
    });
    omocomToken = token.json().access_token;
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  async function call(options: InjectOptions): Promise<Json> {
    const r = await app.inject(options);
    expect(r.statusCode, `${options.method} ${options.url}: ${r.body}`).toBeLessThan(300);
    return r.json();
  }
  const native = (url: string) =>
    call({ method: 'GET', url, headers: { authorization: `Bearer ${DEMO_KEY}` } });
  const omocom = (method: 'GET' | 'POST', path: string) =>
    call({
      method,
      url: `/omocom/v1.3/electroshop/SE/${path}`,
      headers: { authorization: `Bearer ${omocomToken}` },
      ...(method === 'POST' ? { payload: [] } : {}),
    });
  function xcover(method: 'GET' | 'POST', path: string) {
    const url = `/xcover/partners/electroshop/${path}`;
    const signed = signXcover({
      method,
      path: url,
      secret: DEMO_CREDENTIALS.hmac.secret,
      keyId: DEMO_CREDENTIALS.hmac.key_id,
      algorithm: 'hmac-sha512',
      headers: '(request-target) date',
    });
    return call({ method, url, headers: { 'content-type': 'application/json', ...signed }, payload: 'null' });
  }

  it('reads every policy and its history back unchanged through the native API', async () => {
    expect((await native('/v1/policies?limit=100')).data).toEqual(then.policies);
    for (const policy of then.policies) {
      expect((await native(`/v1/policies/${policy.id}/events`)).data).toEqual(then.history[policy.id]);
    }
  });

  it('answers Omocom insurances and XCover bookings, packages and instalments as before', async () => {
    expect(await omocom('GET', `Insurances/${then.omocom.ids.accepted}`)).toEqual(then.omocom.accepted);
    expect(await omocom('GET', `Insurances/${then.omocom.ids.quoted}`)).toEqual(then.omocom.quoted);
    // Answers gained the customer's page since the fixture was made (account_url was null then).
    expect(await xcover('GET', `bookings/${then.xcover.ids.booked}/`)).toEqual({
      ...then.xcover.booking,
      account_url: expect.stringMatching(/^http:\/\/[^/]+\/my\/[\w.-]+$/),
    });
    expect(await xcover('GET', `bookings/${then.xcover.ids.booked}/instalments/`)).toEqual(
      then.xcover.instalments,
    );
    expect(await xcover('GET', `quotes/${then.xcover.ids.quoted}/`)).toEqual(then.xcover.package);
  });

  it('still takes the quote left to accept and the cancellation left to confirm', async () => {
    const accepted = await omocom('POST', `Insurances/${then.omocom.ids.quoted}/accept`);
    expect(accepted.status).not.toBe(then.omocom.quoted.status);
    const { booked, cancellation } = then.xcover.ids;
    const confirmed = await xcover('POST', `bookings/${booked}/confirm_cancellation/${cancellation}/`);
    expect(confirmed.quotes.map((q: Json) => q.status)).toEqual(['CANCELLED']);
  });

  it('binds an option of the Sitoo cart that release priced, stored then with its products copied', async () => {
    const { rows } = await sql<{ id: string; mode: 'test' | 'live'; items: Json }>`
      SELECT id, mode, items FROM offers WHERE refs ? 'cart_id' ORDER BY id LIMIT 1`.execute(db.kysely);
    const offer = rows[0]!;
    expect(JSON.stringify(offer.items)).not.toContain('policyholderFields');
    const option = offer.items.flatMap((i: Json) => i.options)[0];
    const policy = await call({
      method: 'POST',
      url: '/v1/policies',
      headers: { authorization: `Bearer ${DEMO_KEY}` },
      payload: {
        offer_id: offer.id,
        option_id: option.id,
        policyholder: {
          first_name: 'Glen',
          last_name: 'Clarkson',
          email: 'g@example.com',
          personal_id: '19840726-1234',
          address: { line1: 'Storgatan 1', postal_code: '111 22', city: 'Stockholm', country: 'SE' },
          phone: '+46701234567',
        },
      },
    });
    expect(policy.premium.total).toBe(option.unitPremium.total);
    expect(policy.product_code).toBe(option.productCode);
  });
});
