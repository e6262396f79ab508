import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { expect } from 'vitest';
import { parse } from 'yaml';
import type { TestApp } from './app.js';

export const SOCGEN_API = '/socgen/baas/prod/insurance/api/v1';
export const SOCGEN_TOKEN_URL = '/socgen/baas/prod/auth-server/api/v1/oauth2/token';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/** SocGen's published insurance-api-1.1.0.yaml, unchanged. */
const SPEC_FILE = new URL('../fixtures/socgen/insurance-api-1.1.0.yaml', import.meta.url);

interface Operation {
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
  parameters?: { name: string; in: string; required?: boolean; schema: unknown }[];
}

/**
 * SocGen's insurance API 1.1.0, read at test time: validates a request or a response of an operation
 * against its schema with Ajv (formats included: uuid, date, date-time, and OpenAPI's int32 and float).
 */
export function socgenSpec() {
  const spec = parse(readFileSync(SPEC_FILE, 'utf8')) as {
    paths: Record<string, Record<string, Operation>>;
    components: unknown;
  };
  const ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
  ajv.addFormat('int32', {
    type: 'number',
    validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31,
  });
  ajv.addFormat('float', { type: 'number', validate: () => true });
  ajv.addSchema({ $id: 'spec', components: spec.components });
  const compiled = new Map<string, ValidateFunction>();
  const validator = (schema: unknown): ValidateFunction => {
    // The spec's `#/components/…` references resolve inside the document added above.
    const text = JSON.stringify(schema).replaceAll('"#/components/', '"spec#/components/');
    let fn = compiled.get(text);
    if (!fn) {
      fn = ajv.compile(JSON.parse(text) as object);
      compiled.set(text, fn);
    }
    return fn;
  };
  const operation = (method: string, path: string): Operation => {
    const op = spec.paths[path]?.[method.toLowerCase()];
    if (!op) throw new Error(`no operation ${method} ${path} in the spec`);
    return op;
  };
  const check = (schema: unknown, value: unknown, what: string) => {
    const validate = validator(schema);
    const ok = validate(value);
    expect(ok, `${what}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(value, null, 2)}`).toBe(true);
  };
  return {
    /** The request body (and query parameters) are what the spec takes. */
    request(method: string, path: string, body?: unknown, query: Record<string, unknown> = {}) {
      const op = operation(method, path);
      if (op.requestBody)
        check(op.requestBody.content['application/json']!.schema, body, `${method} ${path} request`);
      for (const p of op.parameters ?? []) {
        if (p.in !== 'query') continue;
        if (query[p.name] === undefined) expect(p.required ?? false, `${p.name} is required`).toBe(false);
        else check(p.schema, query[p.name], `${method} ${path} ?${p.name}`);
      }
      for (const name of Object.keys(query)) {
        expect(
          op.parameters?.some((p) => p.name === name),
          `${name} is a parameter of ${path}`,
        ).toBe(true);
      }
    },
    /** An error body is 1.1.0's `BaasExceptionHttpResponse`, every field given. */
    error(body: unknown) {
      check({ $ref: '#/components/schemas/BaasExceptionHttpResponse' }, body, 'error body');
      expect(Object.keys(body as object).sort()).toEqual([
        'errorCode',
        'errorMessage',
        'httpStatusCode',
        'httpStatusMessage',
        'requestMethod',
        'requestURI',
        'timestamp',
      ]);
    },
    /** The response is one the spec declares for its status (or `default`), and its body fits that schema. */
    response(method: string, path: string, status: number, body: unknown) {
      const op = operation(method, path);
      const declared = op.responses[String(status)] ?? op.responses.default;
      expect(declared, `${method} ${path} declares ${status}`).toBeDefined();
      const schema = declared!.content?.['application/json']?.schema;
      if (status === 204) return;
      expect(schema, `${method} ${path} ${status} has a JSON schema`).toBeDefined();
      check(schema, body, `${method} ${path} ${status} response`);
    },
  };
}

/** An access token from the SocGen token server: the client by HTTP Basic, as oauth2 1.0.2 says. */
export async function socgenToken(t: TestApp, clientId: string, secret: string): Promise<string> {
  const r = await t.app.inject({
    method: 'POST',
    url: SOCGEN_TOKEN_URL,
    headers: {
      authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    payload: 'grant_type=client_credentials&scope=insurance%3Arw',
  });
  expect(r.statusCode, r.body).toBe(200);
  expect(r.headers['cache-control']).toBe('no-store');
  return r.json().access_token;
}
