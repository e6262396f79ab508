import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import { sql } from 'kysely';
import { apiCredentials } from '../helpers/api-credentials.js';
import type { TestApp } from '../helpers/app.js';

/**
 * Fuzzing every operation of every API from its own OpenAPI description: a request built from the
 * operation's schemas (path, query, body), then mutated the ways a hostile or broken client would
 * (a field missing or extra or of the wrong type, huge or hostile strings, numbers past 2^53, malformed
 * dates, deep nesting, invalid JSON, a wrong content type), sent with the API's real credentials so it
 * reaches validation and the core. Every answer must be below 500, carry no stack trace or SQL, be in
 * the API's documented error format (the operation's own 4XX schema), and a refusal must write nothing.
 */

// biome-ignore lint/suspicious/noExplicitAny: OpenAPI documents are walked as plain JSON
type Schema = Record<string, any>;

interface Operation {
  method: string;
  path: string;
  parameters: { name: string; in: 'path' | 'query' | 'header'; required?: boolean; schema: Schema }[];
  body?: Schema;
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
}

interface FuzzRequest {
  url: string;
  body: string | undefined;
  contentType: string;
  what: string;
}

interface Finding {
  operation: string;
  request: string;
  problem: string;
}

const HOSTILE: unknown[] = [
  '\ud800',
  'a\udfffb',
  'nul\u0000byte',
  '\u0007\u001b[31m\u202e',
  'x'.repeat(100_000),
  '😀'.repeat(2_000),
  '9'.repeat(400),
  "' OR 1=1; DROP TABLE policies; --",
  '2026-02-30T25:61:00Z',
  '31/12/2026',
  'EURO',
  'zz',
  '',
  ' ',
  2 ** 53 + 1,
  -(2 ** 63),
  1e308,
  -1,
  0.5,
  Number.MIN_VALUE,
  [],
  {},
  null,
  true,
  { $gt: '' },
  [[[[[[[[[[]]]]]]]]]],
];

const RAW_BODIES = [
  '{"a":',
  'nul',
  '\u0000',
  '[1,2,',
  '{"a":1,"a":2}',
  `${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`,
  `${'['.repeat(5_000)}${']'.repeat(5_000)}`,
  '"just a string"',
  '12345678901234567890123456789',
  '\uFEFF{}',
];

const CONTENT_TYPES = [
  'text/plain',
  'application/xml',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/json; charset=latin1',
];

function valueArbitrary(schema: Schema, depth = 0): fc.Arbitrary<unknown> {
  if (depth > 6) return fc.constant(null);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  const alternatives = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (alternatives) return fc.oneof(...alternatives.map((s) => valueArbitrary(s, depth + 1)));
  if (Array.isArray(schema.type))
    return fc.oneof(...schema.type.map((type: string) => valueArbitrary({ ...schema, type }, depth)));
  switch (schema.type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -5, max: Math.min(schema.maximum ?? 100_000, 2 ** 31) });
    case 'number':
      return fc.double({ min: schema.minimum ?? -5, max: schema.maximum ?? 100_000, noNaN: true });
    case 'string':
      return stringArbitrary(schema);
    case 'array':
      return fc.array(valueArbitrary(schema.items ?? {}, depth + 1), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.max(schema.minItems ?? 0, Math.min(schema.maxItems ?? 3, 3)),
      });
    case 'object': {
      const properties = (schema.properties ?? {}) as Record<string, Schema>;
      const model = Object.fromEntries(
        Object.entries(properties).map(([k, s]) => [k, valueArbitrary(s, depth + 1)]),
      );
      return fc.record(model, { requiredKeys: (schema.required ?? []) as string[] });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function stringArbitrary(schema: Schema): fc.Arbitrary<string> {
  switch (schema.format) {
    case 'date-time':
      return fc
        .date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true })
        .map((d) => d.toISOString());
    case 'date':
      return fc
        .date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true })
        .map((d) => d.toISOString().slice(0, 10));
    case 'uri':
      return fc.constantFrom('https://example.com/hook', 'http://127.0.0.1:9/x');
    case 'email':
      return fc.constantFrom('ada@example.com', 'b@example.org');
  }
  const min = schema.minLength ?? 0;
  return fc.oneof(
    fc.string({ minLength: min, maxLength: Math.max(min, Math.min(schema.maxLength ?? 12, 12)) }),
    fc.constantFrom('GB', 'SE', 'SEK', 'GBP', 'USD', 'en', 'product-protection', 'Laptop', '2026-03-02'),
  );
}

/** Every place in a JSON value: object keys and array indexes, as paths. */
function places(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [at];
  const keys = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return [at, ...keys.flatMap((k) => places((value as Record<string | number, unknown>)[k], [...at, k]))];
}

function changed(value: unknown, path: (string | number)[], change: (old: unknown) => unknown): unknown {
  if (path.length === 0) return change(value);
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<
    string | number,
    unknown
  >;
  const [head, ...rest] = path;
  copy[head!] = changed(copy[head!], rest, change);
  if (copy[head!] === undefined) delete copy[head!];
  return copy;
}

type Mutation =
  | { kind: 'as generated' }
  | { kind: 'missing'; pick: number }
  | { kind: 'extra'; pick: number }
  | { kind: 'replaced'; pick: number; value: unknown }
  | { kind: 'raw'; text: string }
  | { kind: 'content type'; type: string };

const mutationArbitrary: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constant({ kind: 'as generated' as const }),
  fc.record({ kind: fc.constant('missing' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('extra' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('replaced' as const), pick: fc.nat(), value: fc.constantFrom(...HOSTILE) }),
  fc.record({ kind: fc.constant('replaced' as const), pick: fc.nat(), value: fc.jsonValue({ maxDepth: 2 }) }),
  fc.record({ kind: fc.constant('raw' as const), text: fc.constantFrom(...RAW_BODIES) }),
  fc.record({ kind: fc.constant('content type' as const), type: fc.constantFrom(...CONTENT_TYPES) }),
);

function mutate(value: unknown, m: Mutation): { body: string; contentType?: string } {
  const all = places(value);
  switch (m.kind) {
    case 'as generated':
      return { body: JSON.stringify(value ?? null) };
    case 'missing': {
      const inner = all.filter((p) => p.length > 0);
      if (inner.length === 0) return { body: '' };
      return { body: JSON.stringify(changed(value, inner[m.pick % inner.length]!, () => undefined)) };
    }
    case 'extra': {
      const objects = all.filter((p) => {
        const v = p.reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], value);
        return v !== null && typeof v === 'object' && !Array.isArray(v);
      });
      const at = objects[m.pick % Math.max(objects.length, 1)] ?? [];
      return {
        body: JSON.stringify(changed(value, at, (o) => ({ ...(o as object), unexpected_field: 'x' }))),
      };
    }
    case 'replaced':
      return { body: JSON.stringify(changed(value, all[m.pick % all.length]!, () => m.value)) };
    case 'raw':
      return { body: m.text };
    case 'content type':
      return { body: JSON.stringify(value ?? {}), contentType: m.type };
  }
}

const PATH_VALUES = [
  '01JX0000000000000000000000',
  'x'.repeat(300),
  '%F0%9F%98%80',
  '..%2F..%2Fetc',
  '%00',
  '-1',
];

/** The values path parameters take: the caller's own scope where the path names it, anything otherwise. */
function pathValue(name: string): fc.Arbitrary<string> {
  if (name === 'partner' || name === 'platform') return fc.constant('electroshop');
  if (name === 'market') return fc.constant('SE');
  if (name === 'month') return fc.constantFrom('2026-03', '2026-13', '0000-00', 'march');
  return fc.oneof(
    fc.constantFrom(...PATH_VALUES),
    fc.string({ minLength: 1, maxLength: 30 }).map(encodeURIComponent),
  );
}

function requestArbitrary(op: Operation): fc.Arbitrary<FuzzRequest> {
  const path = fc.record(
    Object.fromEntries(op.parameters.filter((p) => p.in === 'path').map((p) => [p.name, pathValue(p.name)])),
  );
  const queryParams = op.parameters.filter((p) => p.in === 'query');
  const query = fc.record(
    Object.fromEntries(
      queryParams.map((p) => [
        p.name,
        fc.oneof(valueArbitrary(p.schema), fc.constantFrom(...HOSTILE.slice(0, 16))),
      ]),
    ),
    { requiredKeys: [] },
  );
  const hasBody = !['GET', 'DELETE'].includes(op.method);
  const body = hasBody
    ? fc.tuple(valueArbitrary(op.body ?? { type: 'object' }), mutationArbitrary)
    : fc.constant(undefined);
  return fc.tuple(path, query, body).map(([p, q, b]) => {
    const url =
      op.path.replace(/\{(\w+)\}/g, (_, name: string) => String(p[name])) +
      (Object.keys(q).length > 0
        ? `?${new URLSearchParams(Object.entries(q).map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : JSON.stringify(v)])).toString()}`
        : '');
    if (!b) return { url, body: undefined, contentType: 'application/json', what: `${op.method} ${url}` };
    const [value, mutation] = b;
    const sent = mutate(value, mutation);
    return {
      url,
      body: sent.body,
      contentType: sent.contentType ?? 'application/json',
      what: `${op.method} ${url} (${mutation.kind}) ${sent.body.slice(0, 200)}`,
    };
  });
}

export const LEAKS = [
  /\n\s+at .+:\d+:\d+/,
  /node_modules/,
  /\b(SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM)\b/,
  /kysely|pglite|postgres/i,
];

/**
 * Counts of every table but the idempotency records (a refusal is kept under its key, to answer a retry
 * alike) and the refused-credential counts (a refused credential is counted, by design).
 */
async function rowTotals(t: TestApp, tables: string[]): Promise<string> {
  const parts = tables.map((name) => sql`SELECT ${name} AS t, count(*)::int AS n FROM ${sql.table(name)}`);
  const { rows } = await sql<{ t: string; n: number }>`${sql.join(parts, sql` UNION ALL `)}`.execute(
    t.db.kysely,
  );
  return rows.map((r) => `${r.t}=${r.n}`).join(' ');
}

export async function fuzzApis(t: TestApp, opts: { runs: number; seed?: number }) {
  const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
  const ajv = new Ajv({ strict: false, allErrors: false });
  addFormats.default(ajv);
  const { rows } = await sql<{ name: string }>`
    SELECT table_name AS name FROM information_schema.tables
    WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
      AND table_name NOT IN ('idempotency_keys', 'failed_attempts', 'request_rates', 'schema_migrations')`.execute(
    t.db.kysely,
  );
  const tables = rows.map((r) => r.name).sort();
  const credentials = await apiCredentials(t);

  const findings: Finding[] = [];
  let cases = 0;
  const operations: [string, Operation][] = Object.entries<Record<string, Schema>>(doc.paths).flatMap(
    ([path, ops]) =>
      Object.entries(ops).map(([method, o]): [string, Operation] => [
        `${method.toUpperCase()} ${path}`,
        {
          method: method.toUpperCase(),
          path,
          parameters: o.parameters ?? [],
          body: o.requestBody?.content?.['application/json']?.schema,
          responses: o.responses ?? {},
        },
      ]),
  );
  for (const [name, op] of operations) {
    const errorSchema = op.responses['4XX']?.content?.['application/json']?.schema;
    const validError = errorSchema ? ajv.compile(errorSchema) : undefined;
    await fc.assert(
      fc.asyncProperty(requestArbitrary(op), async (req) => {
        cases += 1;
        const before = await rowTotals(t, tables);
        const res = await t.app.inject({
          method: op.method as 'GET',
          url: req.url,
          headers: { 'content-type': req.contentType, ...credentials(req.url, op.method) },
          ...(req.body !== undefined ? { payload: req.body } : {}),
        });
        const problems: string[] = [];
        if (res.statusCode >= 500) problems.push(`answered ${res.statusCode}`);
        const leak = LEAKS.find(
          (re) => re.test(res.body) && !String(res.headers['content-type']).includes('pdf'),
        );
        if (leak && res.statusCode >= 400) problems.push(`the body shows ${leak}`);
        if (res.statusCode >= 400) {
          let body: unknown;
          try {
            body = res.json();
          } catch {
            problems.push('the error is not JSON');
          }
          if (body !== undefined && validError && !validError(body))
            problems.push(`not the API's error format: ${ajv.errorsText(validError.errors)}`);
          if ((await rowTotals(t, tables)) !== before) problems.push('a refused request wrote rows');
        }
        if (problems.length > 0)
          findings.push({
            operation: name,
            request: req.what.slice(0, 300),
            problem: `${problems.join('; ')}: ${res.body.slice(0, 300)}`,
          });
        return true;
      }),
      { numRuns: opts.runs, ...(opts.seed !== undefined ? { seed: opts.seed } : {}) },
    );
  }
  return { operations: operations.length, cases, findings };
}
