import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { DEMO_CREDENTIALS } from '../../src/demo/catalog.js';
import { buildApp } from '../../src/http/app.js';
import type { App } from '../../src/http/context.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { ADMIN_TOKEN, TEST_TOKEN_KEY } from '../helpers/constants.js';
import { BACKENDS } from '../helpers/database.js';
import { xcoverClient } from './xcover/client.js';

/**
 * Refused credentials are counted per client address in the database: past the limit of a window, the
 * address is answered 429 with Retry-After, in each API's own format, by every process sharing the
 * database (a second app on the same database here).
 */
describe.each(BACKENDS)('refused credentials, counted, on %s', (backend) => {
  let t: TestApp;
  let second: App;
  const failedAttempts = { limit: 3, windowMs: 60_000 };
  beforeAll(async () => {
    t = await buildTestApp({ backend, failedAttempts, xcoverRateLimits: { live: 1000, test: 1000 } });
    second = await buildApp({
      services: {
        db: t.db,
        clock: t.clock,
        ids: t.deps.ids,
        adminToken: ADMIN_TOKEN,
        tokenKey: TEST_TOKEN_KEY,
        failedAttempts,
      },
    });
  });
  afterAll(async () => {
    await second?.close();
    await t?.close();
  });

  const wrongKey = (app: App, address: string) =>
    app.inject({
      method: 'GET',
      url: '/v1/policies',
      remoteAddress: address,
      headers: { authorization: 'Bearer sk_test_wrong' },
    });

  it('answers 401 up to the limit, then 429 with Retry-After, and another process agrees', async () => {
    for (let i = 0; i < 2; i += 1) expect((await wrongKey(t.app, '10.0.0.1')).statusCode).toBe(401);
    expect((await wrongKey(second, '10.0.0.1')).statusCode).toBe(401);
    const limited = await wrongKey(second, '10.0.0.1');
    expect(limited.statusCode, limited.body).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(limited.json()).toMatchObject({ status: 429, code: 'rate_limited' });
    expect((await wrongKey(t.app, '10.0.0.1')).statusCode).toBe(429);
    // Another address is counted apart; a right key is still served.
    expect((await wrongKey(t.app, '10.0.0.2')).statusCode).toBe(401);
    const right = await t.app.inject({
      method: 'GET',
      url: '/v1/policies',
      remoteAddress: '10.0.0.1',
      headers: { authorization: `Bearer ${DEMO_CREDENTIALS.api_key}` },
    });
    expect(right.statusCode).toBe(200);
  });

  it('counts bad XCover signatures and Omocom client secrets too, answering each in its own format', async () => {
    const badSignature = () =>
      xcoverClient(t, { hmac: { key_id: DEMO_CREDENTIALS.hmac.key_id, secret: 'wrong' } })(
        'GET',
        'bookings/',
        null,
        {
          'x-forwarded-for': 'ignored',
        },
      );
    // inject's default address is 127.0.0.1: all of these come from it.
    const statuses: number[] = [];
    let last = await badSignature();
    for (let i = 0; i < 4; i += 1) {
      statuses.push(last.statusCode);
      last = await badSignature();
    }
    expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
    expect(last.statusCode).toBe(429);
    expect(last.json()).toMatchObject({ type: 'rate_limit_error' });
    expect(last.headers['retry-after']).toMatch(/^\d+$/);

    const token = await t.app.inject({
      method: 'POST',
      url: '/omocom/oauth2/token',
      payload: {
        grant_type: 'client_credentials',
        client_id: DEMO_CREDENTIALS.oauth.client_id,
        client_secret: 'wrong',
      },
    });
    expect(token.statusCode, token.body).toBe(429);
    expect(token.json()).toMatchObject({ error: 'temporarily_unavailable' });
    expect(token.headers['cache-control']).toBe('no-store');
  });
});

/**
 * Behind a reverse proxy every request comes from the proxy's address: with PROTEGO_TRUST_PROXY naming
 * the proxy, failed attempts are counted per client (X-Forwarded-For); without it, per proxy.
 */
describe('refused credentials behind a proxy', () => {
  let t: TestApp;
  const failedAttempts = { limit: 3, windowMs: 60_000 };
  const apps: App[] = [];
  beforeAll(async () => {
    t = await buildTestApp({ failedAttempts });
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await t?.close();
  });
  /** The app's setting as read from the environment. */
  const setting = (raw: string) => loadConfig({ PROTEGO_TRUST_PROXY: raw }).trustProxy;
  const behind = async (trustProxy: string) => {
    const app = await buildApp({
      services: {
        db: t.db,
        clock: t.clock,
        ids: t.deps.ids,
        adminToken: ADMIN_TOKEN,
        tokenKey: TEST_TOKEN_KEY,
        failedAttempts,
      },
      ...(setting(trustProxy) === undefined ? {} : { trustProxy: setting(trustProxy)! }),
    });
    apps.push(app);
    return (proxy: string, client: string) =>
      app.inject({
        method: 'GET',
        url: '/v1/policies',
        remoteAddress: proxy,
        headers: { authorization: 'Bearer sk_test_wrong', 'x-forwarded-for': client },
      });
  };

  it('counts two clients apart when the proxy is trusted, by CIDR or hop count', async () => {
    for (const [setting, proxy] of [
      ['10.1.0.0/16', '10.1.0.9'],
      ['1', '10.2.0.9'],
    ] as const) {
      const net = proxy.split('.')[1];
      const wrongKey = await behind(setting);
      for (let i = 0; i < 3; i += 1)
        expect((await wrongKey(proxy, `203.0.${net}.${i + 10}`)).statusCode).toBe(401);
      for (let i = 0; i < 3; i += 1) expect((await wrongKey(proxy, `198.51.${net}.1`)).statusCode).toBe(401);
      expect((await wrongKey(proxy, `198.51.${net}.1`)).statusCode).toBe(429);
      expect((await wrongKey(proxy, `198.51.${net}.2`)).statusCode).toBe(401);
    }
  });

  it('counts them together, as the proxy, when it is not trusted', async () => {
    const wrongKey = await behind('');
    expect((await wrongKey('10.3.0.9', '203.0.113.1')).statusCode).toBe(401);
    expect((await wrongKey('10.3.0.9', '203.0.113.2')).statusCode).toBe(401);
    expect((await wrongKey('10.3.0.9', '203.0.113.3')).statusCode).toBe(401);
    expect((await wrongKey('10.3.0.9', '203.0.113.4')).statusCode).toBe(429);
  });

  it('refuses a setting that is neither true, a count nor addresses', () => {
    expect(() => loadConfig({ PROTEGO_TRUST_PROXY: 'the load balancer' })).toThrow(/PROTEGO_TRUST_PROXY/);
    expect(loadConfig({ PROTEGO_TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ PROTEGO_TRUST_PROXY: '10.0.0.0/8, ::1' }).trustProxy).toEqual(['10.0.0.0/8', '::1']);
  });
});
