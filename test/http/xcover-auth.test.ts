import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newCredentials, toStored } from '../../src/auth/credentials.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { ManualClock } from '../../src/core/clock.js';
import { CoreError } from '../../src/core/errors.js';
import { ulidIds } from '../../src/core/ids.js';
import { createPartner } from '../../src/core/partners/manage-partners.js';
import type { Tenant } from '../../src/core/partners/partner.js';
import { DEMO_CREDENTIALS, DEMO_PARTNER } from '../../src/demo/catalog.js';
import type { Services } from '../../src/http/context.js';
import { authenticateXcover } from '../../src/http/dialects/xcover/authenticate.js';
import type { Database } from '../../src/storage/database.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { ADMIN_TOKEN, TEST_TOKEN_KEY } from '../helpers/constants.js';
import { BACKENDS, testDatabase } from '../helpers/database.js';
import { signXcover, xcoverHmacBase64, xcoverStringToSign } from '../helpers/xcover-signer.js';

const NOW = new Date('2026-03-02T10:00:00Z');
const MINUTE = 60_000;
const KEY = DEMO_CREDENTIALS.hmac.key_id;
const SECRET = DEMO_CREDENTIALS.hmac.secret;
const PATH = '/xcover/partners/electroshop/quotes/';
const ALGORITHMS = ['hmac-sha256', 'hmac-sha384', 'hmac-sha512'] as const;

interface FakeRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  tenant: Tenant;
}

function fakeRequest(method: string, url: string, headers: Record<string, string>): FakeRequest {
  return { method, url, headers, tenant: undefined as unknown as Tenant };
}

/** A request signed by an XCover client at `NOW` (unless told otherwise). */
function signed(
  options: Partial<Parameters<typeof signXcover>[0]> & { url?: string; method?: string } = {},
): FakeRequest {
  const method = options.method ?? 'POST';
  const url = options.url ?? PATH;
  const headers = signXcover({
    method,
    path: url.split('?')[0]!,
    secret: SECRET,
    keyId: KEY,
    algorithm: 'hmac-sha512',
    headers: '(request-target) date',
    date: NOW.toUTCString(),
    ...options,
  });
  return fakeRequest(method, url, headers);
}

/** The refusal's message, or a failure if the request was accepted. */
async function refusal(services: Services, request: FakeRequest, code = 'electroshop'): Promise<string> {
  try {
    await authenticateXcover(services, request, code);
  } catch (error) {
    expect(error).toBeInstanceOf(CoreError);
    expect((error as CoreError).code).toBe('unauthenticated');
    expect((error as CoreError).fields[0]?.field).toBe('Authorization');
    return (error as CoreError).message;
  }
  throw new Error('the request was accepted');
}

describe.each(BACKENDS)('authenticateXcover on %s', (backend) => {
  let db: Database;
  let services: Services;
  let electroshopId: string;
  let other: { code: string; keyId: string; secret: string; partnerId: string };

  beforeAll(async () => {
    db = await testDatabase(backend);
    const clock = new ManualClock(NOW);
    const ids = ulidIds(clock);
    services = {
      db,
      clock,
      ids,
      adminToken: ADMIN_TOKEN,
      tokenKey: TEST_TOKEN_KEY,
      wallClock: new ManualClock(NOW),
    };
    electroshopId = (await db.read.partners.getByCode('electroshop'))!.id;
    const issued = newCredentials('test');
    const code = `xc-other-${process.pid}`;
    const partner = await db.transaction(async (repos) => {
      const deps = { repos, clock, ids };
      const p = await createPartner(deps, { code, name: 'Other shop', markets: DEMO_PARTNER.markets });
      for (const c of toStored(ids, p.id, clock.now(), issued)) await repos.credentials.add(c);
      return p;
    });
    other = { code, keyId: issued.hmac.keyId, secret: issued.hmac.secret, partnerId: partner.id };
  });
  afterAll(() => db.close());

  for (const algorithm of ALGORITHMS) {
    for (const headers of ['(request-target) date', undefined]) {
      it(`accepts ${algorithm} with headers ${headers === undefined ? 'absent (date alone)' : `"${headers}"`}`, async () => {
        const request = signed({ algorithm, headers });
        await authenticateXcover(services, request, 'electroshop');
        expect(request.tenant).toEqual({ partnerId: electroshopId, mode: 'test' });
      });
    }
  }

  it('signs the path without the query string, and any method', async () => {
    const request = signed({ method: 'GET', url: `${PATH}?limit=1&offset=0` });
    await authenticateXcover(services, request, 'electroshop');
    expect(request.tenant.partnerId).toBe(electroshopId);
  });

  it('reads the parameters with spaces after the commas', async () => {
    const request = signed();
    request.headers.authorization = request.headers.authorization!.replaceAll('",', '", ');
    expect(request.headers.authorization).toContain('", algorithm=');
    await authenticateXcover(services, request, 'electroshop');
    expect(request.tenant.partnerId).toBe(electroshopId);
  });

  it('accepts an X-Api-Key that names the signing key, and refuses one that does not', async () => {
    const same = signed({ extra: { 'x-api-key': KEY } });
    await authenticateXcover(services, same, 'electroshop');
    expect(same.tenant.partnerId).toBe(electroshopId);
    const request = signed({ extra: { 'x-api-key': 'hk_test_somebody_else' } });
    expect(await refusal(services, request)).toMatch(/X-Api-Key/);
  });

  it('refuses a Date 6 minutes off either way, saying how far off it is', async () => {
    for (const offset of [-6 * MINUTE, 6 * MINUTE]) {
      const request = signed({ date: new Date(NOW.getTime() + offset).toUTCString() });
      const message = await refusal(services, request);
      expect(message).toMatch(/Date/);
      expect(message).toContain('360 s');
      expect(message).toContain(offset < 0 ? 'behind' : 'ahead');
    }
    // 4 minutes off is within the window.
    const close = signed({ date: new Date(NOW.getTime() - 4 * MINUTE).toUTCString() });
    await authenticateXcover(services, close, 'electroshop');
  });

  it('refuses a request without a Date header, or whose Date is not a date', async () => {
    const request = signed();
    delete request.headers.date;
    expect(await refusal(services, request)).toMatch(/missing Date/);
    expect(await refusal(services, signed({ date: 'yesterday-ish' }))).toMatch(/not an HTTP date/);
  });

  it('refuses signed headers that leave out date', async () => {
    expect(await refusal(services, signed({ headers: '(request-target)' }))).toMatch(/must include date/);
  });

  it('refuses a signature made with the wrong secret, or over another path', async () => {
    expect(await refusal(services, signed({ secret: 'not-the-secret' }))).toMatch(/signature mismatch/);
    const moved = signed();
    moved.url = '/xcover/partners/electroshop/bookings/';
    expect(await refusal(services, moved)).toMatch(/signature mismatch/);
  });

  it('refuses a URL-safe base64 signature', async () => {
    // Find a Date whose signature has + or / in standard base64, so the URL-safe form differs.
    let date = '';
    for (let s = 0; s < 200; s++) {
      const candidate = new Date(NOW.getTime() + s * 1000).toUTCString();
      const text = xcoverStringToSign('POST', PATH, '(request-target) date', { date: candidate });
      if (/[+/]/.test(xcoverHmacBase64('hmac-sha512', SECRET, text))) {
        date = candidate;
        break;
      }
    }
    expect(date).not.toBe('');
    const request = signed({ date, urlSafe: true });
    expect(request.headers.authorization).toMatch(/signature="[^"]*[-_]/);
    expect(await refusal(services, request)).toMatch(/URL-safe base64/);
  });

  it('refuses a signature that is not base64 at all', async () => {
    const request = signed();
    request.headers.authorization = request.headers.authorization!.replace(
      /signature="[^"]*"/,
      'signature="not%20base64!"',
    );
    expect(await refusal(services, request)).toMatch(/not base64/);
  });

  it('refuses an unknown keyId', async () => {
    expect(await refusal(services, signed({ keyId: 'hk_test_nobody' }))).toMatch(/unknown keyId/);
  });

  it('refuses an unsupported algorithm, naming it', async () => {
    expect(await refusal(services, signed({ algorithm: 'hmac-sha1' }))).toMatch(/"hmac-sha1"/);
  });

  it('refuses a missing Authorization, and another scheme', async () => {
    const request = signed();
    delete request.headers.authorization;
    expect(await refusal(services, request)).toMatch(/missing Authorization/);
    request.headers.authorization = 'Bearer sk_test_electroshop_demo_key';
    expect(await refusal(services, request)).toMatch(/not a Signature/);
  });

  it("refuses another partner's key on /partners/electroshop/, and takes it on its own path", async () => {
    const mine = signed({ keyId: other.keyId, secret: other.secret });
    expect(await refusal(services, mine)).toMatch(/this key belongs to another partner/);
    const own = signed({
      keyId: other.keyId,
      secret: other.secret,
      url: `/xcover/partners/${other.code}/quotes/`,
    });
    await authenticateXcover(services, own, other.code);
    expect(own.tenant).toEqual({ partnerId: other.partnerId, mode: 'test' });
  });
});

describe('XCover rate-limit configuration', () => {
  const base = {
    PROTEGO_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
    PROTEGO_DATA_DIR: '/tmp/protego-x',
  };

  it('defaults to 50 live and 10 test requests per second, and reads the environment', () => {
    expect(loadConfig(base).xcoverRateLimits).toEqual({ live: 50, test: 10 });
    expect(
      loadConfig({ ...base, PROTEGO_XCOVER_RATE_LIMIT_LIVE: '200', PROTEGO_XCOVER_RATE_LIMIT_TEST: '5' })
        .xcoverRateLimits,
    ).toEqual({ live: 200, test: 5 });
  });

  it('refuses a limit that is not a positive whole number', () => {
    let problems: string[] = [];
    try {
      loadConfig({ ...base, PROTEGO_XCOVER_RATE_LIMIT_LIVE: '0', PROTEGO_XCOVER_RATE_LIMIT_TEST: 'lots' });
    } catch (error) {
      if (error instanceof ConfigError) problems = error.problems;
    }
    expect(problems.join('\n')).toMatch(/PROTEGO_XCOVER_RATE_LIMIT_LIVE/);
    expect(problems.join('\n')).toMatch(/PROTEGO_XCOVER_RATE_LIMIT_TEST/);
  });
});

/** Through the app: an XCover route with the lead's onRequest hook calling authenticateXcover. */
describe.each(BACKENDS)('XCover routes authenticate with the Signature on %s', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ backend });
  });
  afterAll(() => t.close());

  const url = '/xcover/partners/electroshop/bookings/?limit=1';
  const get = (headers: Record<string, string>) => t.app.inject({ method: 'GET', url, headers });
  const sign = (o: Partial<Parameters<typeof signXcover>[0]> = {}) =>
    signXcover({
      method: 'GET',
      path: '/xcover/partners/electroshop/bookings/',
      secret: SECRET,
      keyId: KEY,
      algorithm: 'hmac-sha512',
      headers: '(request-target) date',
      ...o,
    });

  it('answers a request signed like the XCover client, with the rate-limit headers', async () => {
    const res = await get(sign());
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['x-ratelimit-limit']).toBe('10');
    expect(Number(res.headers['x-ratelimit-remaining'])).toBeLessThan(10);
    expect(Number(res.headers['x-ratelimit-reset'])).toBeGreaterThan(Date.now() / 1000 - 1);
  });

  for (const algorithm of ALGORITHMS) {
    for (const headers of ['(request-target) date', undefined]) {
      it(`answers through the app for ${algorithm}, headers ${headers ?? 'absent'}`, async () => {
        const res = await get(sign({ algorithm, headers }));
        expect(res.statusCode, res.body).toBe(200);
        const forged = await get(sign({ algorithm, headers, secret: 'not-the-secret' }));
        expect(forged.statusCode).toBe(401);
      });
    }
  }

  it('answers 401 authentication_error for a stale Date', async () => {
    const res = await get(sign({ date: new Date(Date.now() - 6 * MINUTE).toUTCString() }));
    expect(res.statusCode, res.body).toBe(401);
    expect(res.json()).toMatchObject({ type: 'authentication_error' });
    expect(res.json().message).toMatch(/Date/);
  });
});
