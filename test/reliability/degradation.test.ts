import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { tcpProxy } from '../helpers/tcp-proxy.js';
import { directPolicy } from '../http/support.js';
import { xcoverClient } from '../http/xcover/client.js';

/**
 * PostgreSQL going away under a running server (a restart, a failover, a partition), simulated by
 * cutting a proxy in front of it: requests answer 503 with Retry-After in each API's own format, the
 * process stays up, and once the database is back the same requests, retried, succeed with nothing lost.
 */
describe.skipIf(!process.env.TEST_DATABASE_URL)('PostgreSQL unreachable under load', () => {
  let t: TestApp;
  let proxy: Awaited<ReturnType<typeof tcpProxy>>;
  beforeAll(async () => {
    const url = new URL(process.env.TEST_DATABASE_URL!);
    proxy = await tcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
    url.host = `127.0.0.1:${proxy.port}`;
    t = await buildTestApp({
      backend: 'postgres',
      databaseVia: url.toString(),
      xcoverRateLimits: { live: 1000, test: 1000 },
    });
  });
  afterAll(async () => {
    await proxy?.restore().catch(() => undefined);
    await t?.close();
    await proxy?.close();
  });

  const bind = (key: string) =>
    t.call({
      method: 'POST',
      url: '/v1/policies',
      headers: { 'idempotency-key': key },
      payload: directPolicy(),
    });

  it('answers 503 with Retry-After while the database is gone, and binds the retried request once it is back', async () => {
    expect((await bind('before')).statusCode).toBe(201);
    await proxy.cut();
    const during = await Promise.all([
      bind('during'),
      bind('during-2'),
      t.call({ method: 'GET', url: '/v1/policies' }),
    ]);
    for (const res of during) {
      expect(res.statusCode, res.body).toBe(503);
      expect(res.headers['retry-after']).toMatch(/^\d+$/);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json()).toMatchObject({ status: 503, code: 'unavailable' });
    }
    const xcover = await xcoverClient(t)('GET', 'bookings/');
    expect(xcover.statusCode, xcover.body).toBe(503);
    expect(xcover.headers['retry-after']).toMatch(/^\d+$/);
    expect(xcover.json()).toMatchObject({ type: expect.any(String), message: expect.any(String) });
    const hakuna = await t.call({
      method: 'GET',
      url: '/hakuna/sandbox/products/plans?product_id=p&category=smartphones&price_amount=100000&price_currency=eur',
    });
    expect(hakuna.statusCode, hakuna.body).toBe(503);
    expect(hakuna.headers['retry-after']).toMatch(/^\d+$/);
    expect(hakuna.json().error).toMatchObject({ error_code: 'service_unavailable', validation_errors: [] });

    await proxy.restore();
    const retried = await bind('during');
    expect(retried.statusCode, retried.body).toBe(201);
    expect((await bind('during')).json().id).toBe(retried.json().id);
  });
});
