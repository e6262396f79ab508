import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import type { App } from '../../src/http/context.js';
import { startServer } from '../../src/server.js';
import { startReceiver } from '../helpers/receiver.js';

/**
 * A measurement, not a check: the situation as `protego serve` meets it. A file-backed PGlite, the
 * server listening, a burst of binds from several clients over HTTP while the worker inside delivers each
 * policy's two events to a real receiver. Says deliveries a second during the burst, the backlog left when
 * it ends and how long that takes to drain. `npm run measure:outbox`; OUTBOX_BURST_SECONDS (20) and
 * OUTBOX_CLIENTS (8) set the burst.
 */
const BURST_MS = Number(process.env.OUTBOX_BURST_SECONDS ?? 20) * 1000;
const CLIENTS = Number(process.env.OUTBOX_CLIENTS ?? 8);
const KEY = 'sk_test_electroshop_demo_key';

const bindBody = JSON.stringify({
  product_code: 'product-protection',
  term_months: 12,
  country: 'GB',
  item: { category: 'laptop', brand: 'Lenovo', price: { amount: 89_900, currency: 'GBP' } },
  policyholder: { first_name: 'Max', last_name: 'Mustermann', email: 'max@example.com' },
});

describe('outbox throughput on a file-backed PGlite under live traffic', () => {
  const dir = mkdtempSync(join(tmpdir(), 'protego-outbox-'));
  let app: App;
  let base: string;
  beforeAll(async () => {
    const config = loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      PROTEGO_DATA_DIR: dir,
      PROTEGO_ADMIN_TOKEN: 'measure-admin-token-0123456789',
      LOG_LEVEL: 'silent',
    });
    ({ app } = await startServer(config, { demo: true, worker: true }));
    const address = app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`a ${BURST_MS / 1000} s burst of binds from ${CLIENTS} clients, delivered as it arrives`, async () => {
    const receiver = await startReceiver();
    const post = (path: string, body: string) =>
      fetch(`${base}/v1${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
        body,
      });
    const endpoint = await post(
      '/webhook-endpoints',
      JSON.stringify({ url: receiver.url, event_types: ['policy.created', 'policy.activated'] }),
    );
    expect(endpoint.status).toBe(201);

    const profiler = process.env.OUTBOX_PROFILE ? await startProfile() : undefined;
    const t0 = performance.now();
    let binds = 0;
    let failed = 0;
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (performance.now() - t0 < BURST_MS) {
          const res = await post('/policies', bindBody);
          await res.arrayBuffer();
          if (res.status === 201) binds++;
          else failed++;
        }
      }),
    );
    const burstMs = performance.now() - t0;
    const expected = 2 * binds;
    const atBurstEnd = receiver.acceptedIds().size;
    while (receiver.acceptedIds().size < expected) await new Promise((r) => setTimeout(r, 50));
    const totalMs = performance.now() - t0;
    const drainMs = totalMs - burstMs;
    const rate = (n: number, ms: number) => ((n / ms) * 1000).toFixed(1);
    console.log(
      [
        `burst: ${binds} binds in ${(burstMs / 1000).toFixed(1)} s (${rate(binds, burstMs)}/s, ${failed} refused), ${CLIENTS} clients`,
        `deliveries during the burst: ${atBurstEnd} (${rate(atBurstEnd, burstMs)}/s); backlog at its end: ${expected - atBurstEnd}`,
        `backlog drained ${(drainMs / 1000).toFixed(1)} s after the burst (${rate(expected - atBurstEnd, drainMs)}/s alone)`,
        `overall: ${expected} deliveries in ${(totalMs / 1000).toFixed(1)} s = ${rate(expected, totalMs)}/s`,
      ].join('\n'),
    );
    if (profiler) writeFileSync(process.env.OUTBOX_PROFILE!, JSON.stringify(await profiler()));
    expect(failed).toBe(0);
    await receiver.close();
  }, 600_000);
});

/** A CPU profile of this process (the server and worker run in it), for `OUTBOX_PROFILE=file.cpuprofile`. */
async function startProfile(): Promise<() => Promise<object>> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return async () => (await session.post('Profiler.stop')).profile;
}
