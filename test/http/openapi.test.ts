import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { expectProblem } from './support.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

describe('GET /openapi.json', () => {
  it('is OpenAPI 3.1 describing the native and admin APIs, without authentication', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\.1\./);
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    const paths = Object.keys(doc.paths);
    for (const path of [
      '/v1/offers',
      '/v1/policies',
      '/v1/policies/{id}',
      '/v1/policies/{id}/events',
      '/v1/policies/{id}/cancel',
      '/v1/order-events',
      '/admin/v1/partners',
      '/admin/v1/partners/{code}',
      '/admin/v1/partners/{code}/credentials',
      '/admin/v1/partners/{code}/products/{product_code}',
      '/admin/v1/products',
      '/admin/v1/products/{code}',
    ]) {
      expect(paths).toContain(path);
    }
    expect(paths).not.toContain('/openapi.json');
    expect(paths).not.toContain('/health');
    expect(doc.paths['/v1/offers'].post).toBeDefined();
    expect(doc.paths['/v1/policies'].get).toBeDefined();
    expect(doc.paths['/v1/policies'].post).toBeDefined();
  });

  it('the native routes name the API key scheme', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(doc.components.securitySchemes.apiKey).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.paths['/v1/offers'].post.security).toEqual([{ apiKey: [] }]);
    expect(doc.paths['/v1/policies'].get.security).toEqual([{ apiKey: [] }]);
  });

  it('the list query and the offer body are documented', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const params = doc.paths['/v1/policies'].get.parameters.map(
      (p: { name: string; in: string }) => `${p.in}:${p.name}`,
    );
    for (const name of ['order_id', 'status', 'created_from', 'created_to', 'limit', 'cursor']) {
      expect(params).toContain(`query:${name}`);
    }
    const body = doc.paths['/v1/offers'].post.requestBody.content['application/json'].schema;
    expect(body.required).toEqual(expect.arrayContaining(['country', 'items']));
  });
});

// Every API: each of its operations must declare its success answer.
const DESCRIBED_APIS = ['/v1', '/admin/v1', '/sitoo', '/xcover', '/omocom'] as const;
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

interface Operation {
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}

/** A 2xx answer with a schema for its body, or a 202 or 204, which have none. */
function describesSuccess(operation: Operation): boolean {
  return Object.entries(operation.responses ?? {}).some(
    ([status, response]) =>
      status === '202' ||
      status === '204' ||
      (/^2(\d\d|XX)$/.test(status) &&
        Object.values(response.content ?? {}).some((media) => media.schema !== undefined)),
  );
}

describe('response schemas', () => {
  it('every operation declares the schema of its success answer', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const paths = Object.entries(doc.paths as Record<string, Record<string, Operation>>);
    const operations = paths.flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([method]) => METHODS.includes(method))
        .map(([method, operation]) => ({ name: `${method.toUpperCase()} ${path}`, path, operation })),
    );
    for (const prefix of DESCRIBED_APIS) {
      expect(
        operations.some((o) => o.path.startsWith(`${prefix}/`)),
        `no operation under ${prefix}`,
      ).toBe(true);
    }
    const undescribed = operations
      .filter((o) => DESCRIBED_APIS.some((prefix) => o.path.startsWith(`${prefix}/`)))
      .filter((o) => !describesSuccess(o.operation))
      .map((o) => o.name);
    expect(undescribed, 'operations without a 2xx response schema').toEqual([]);
  });
});

describe('GET /docs', () => {
  it('serves the Swagger UI as HTML', async () => {
    let res = await t.app.inject({ method: 'GET', url: '/docs' });
    for (let hops = 0; res.statusCode >= 300 && res.statusCode < 400 && hops < 3; hops++) {
      const location = String(res.headers.location);
      res = await t.app.inject({ method: 'GET', url: new URL(location, 'http://localhost/docs').pathname });
    }
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toMatch(/swagger-ui/i);
  });
});

describe('unknown routes', () => {
  it.each([
    ['GET', '/nope'],
    ['GET', '/v1/nope'],
    ['GET', '/v1/offers'],
    ['DELETE', '/v1/policies'],
    ['POST', '/admin/v1/nope'],
    ['PATCH', '/admin/v1/products/tech-insurance'],
  ] as const)('%s %s -> 404 problem+json', async (method, url) => {
    const res = await t.app.inject({ method, url });
    const problem = expectProblem(res, 404, { code: 'route_not_found' });
    expect(problem.detail).toContain(url);
  });

  it('the query string is left out of the detail', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/nope?secret=1' });
    const problem = expectProblem(res, 404, { code: 'route_not_found' });
    expect(problem.detail).not.toContain('secret');
  });

  it('GET /health answers without authentication', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });
});

describe('every answer carries a request id', () => {
  it('on success and on failure', async () => {
    for (const res of [
      await t.call({ method: 'GET', url: '/v1/policies' }),
      await t.app.inject({ method: 'GET', url: '/v1/policies' }),
      await t.app.inject({ method: 'GET', url: '/nope' }),
    ]) {
      expect(res.headers['x-request-id']).toMatch(/^req_/);
    }
  });
});
