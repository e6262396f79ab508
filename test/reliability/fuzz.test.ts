import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS } from '../../src/demo/catalog.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { BACKENDS } from '../helpers/database.js';
import { xcoverClient } from '../http/xcover/client.js';
import { fuzzApis } from './fuzz-run.js';
import { report } from './report.js';

/** A few cases per operation here; `npm run fuzz` runs hundreds (PROTEGO_FUZZ_RUNS). */
const RUNS = Number(process.env.PROTEGO_FUZZ_RUNS ?? 4);

describe.each(BACKENDS)('every operation of every API, fuzzed, on %s', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ backend, xcoverRateLimits: { live: 100_000, test: 100_000 } });
  });
  afterAll(() => t?.close());

  it(`${RUNS} mutated requests per operation: no 5xx, no stack or SQL, the API's own error format, nothing written by a refusal`, {
    timeout: 60_000 + RUNS * 40_000,
  }, async () => {
    const { operations, cases, findings } = await fuzzApis(t, { runs: RUNS });
    report('fuzz', backend, {
      operations,
      cases,
      '5xx': findings.filter((f) => /answered 5\d\d/.test(f.problem)).length,
      findings: findings.length,
    });
    expect(findings).toEqual([]);
  });

  it('what fuzzing found stays mended: an offset past 2^53 and a token request no column could hold', async () => {
    const list = await xcoverClient(t)('GET', `bookings/?offset=${'9'.repeat(120)}`);
    // A query parameter XCover refuses is a 400 naming the parameter itself.
    expect(list.statusCode, list.body).toBe(400);
    expect(list.json()).toMatchObject({ type: 'validation_error', errors: { offset: [expect.any(String)] } });
    const token = await t.app.inject({
      method: 'POST',
      url: '/omocom/oauth2/token',
      payload: {
        grant_type: 'client_credentials',
        client_id: DEMO_CREDENTIALS.oauth.client_id,
        client_secret: 'a\udfffb',
      },
    });
    expect(token.statusCode, token.body).toBe(400);
    expect(token.json()).toMatchObject({ error: 'invalid_request' });
  });
});
