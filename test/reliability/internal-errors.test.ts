import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCredentials } from '../helpers/api-credentials.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { BACKENDS } from '../helpers/database.js';
import { LEAKS } from './fuzz-run.js';

/** Tables every API reads on the requests below: renamed away, each request meets an error no rule foresaw. */
const DAMAGED = ['policies', 'claims', 'carts', 'offers', 'dialect_records', 'aliases'];

/** One request per API that reads one of them; each must reach the database (past auth and validation). */
const REQUESTS: { method: 'GET' | 'POST'; url: string; payload?: object }[] = [
  { method: 'GET', url: '/v1/policies' },
  { method: 'GET', url: '/admin/v1/claims' },
  { method: 'GET', url: '/hakuna/sandbox/carts/c-1/plan-connections?user_session_id=s-1' },
  { method: 'GET', url: '/socgen/baas/prod/insurance/api/v1/subscriptions' },
  { method: 'GET', url: '/omocom/v1.3/electroshop/SE/Insurances/ins-1' },
  { method: 'GET', url: '/xcover/partners/electroshop/bookings/' },
  {
    method: 'POST',
    url: '/sitoo/cart-insurances',
    payload: {
      id: 'cart-1',
      currency_code: 'USD',
      items: [
        {
          id: '1',
          sku: 'ip15',
          name: 'iPhone 15',
          product_group: 'Mobile Phones',
          quantity: 1,
          total: '1299.00',
        },
      ],
    },
  },
];

/**
 * What nobody foresaw (here a table gone from under the server) is a 500 in each API's own error format,
 * with nothing in it a client should not see: no stack, no SQL, no driver's name.
 */
describe.each(BACKENDS)('an unforeseen failure on %s', (backend) => {
  let t: TestApp;
  let credentials: Awaited<ReturnType<typeof apiCredentials>>;
  let errorFormat: (method: string, url: string) => ReturnType<Ajv['compile']>;
  beforeAll(async () => {
    t = await buildTestApp({ backend });
    credentials = await apiCredentials(t);
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const ajv = new Ajv({ strict: false });
    addFormats.default(ajv);
    // The operation's documented error body (its 4XX schema: one format for every error of an API).
    errorFormat = (method, url) => {
      const path = url.split('?')[0]!;
      const template = Object.keys(doc.paths).find((p) =>
        new RegExp(`^${p.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path),
      );
      const schema = template && doc.paths[template][method.toLowerCase()]?.responses['4XX']?.content;
      expect(schema, `${method} ${path} documents its errors`).toBeDefined();
      return ajv.compile(schema['application/json'].schema);
    };
    for (const table of DAMAGED) {
      await sql`ALTER TABLE ${sql.table(table)} RENAME TO ${sql.table(`${table}_gone`)}`.execute(t.db.kysely);
    }
  });
  afterAll(() => t.close());

  it.each(REQUESTS)(
    '$method $url answers 500 in its own error format, and shows nothing inside',
    async (req) => {
      const res = await t.app.inject({
        method: req.method,
        url: req.url,
        headers: credentials(req.url, req.method),
        ...(req.payload ? { payload: req.payload } : {}),
      });
      expect(res.statusCode, res.body).toBe(500);
      const valid = errorFormat(req.method, req.url);
      expect(valid(res.json()), JSON.stringify(valid.errors)).toBe(true);
      for (const leak of LEAKS) expect(res.body).not.toMatch(leak);
      expect(res.body).not.toMatch(/_gone|relation|does not exist/);
    },
  );
});
