/**
 * Protego's speed, as ratios against a ceiling measured in the same run on the same machine: a bare
 * JSON route (`GET /health`) is the ceiling; each scenario reports its throughput as a share of it and
 * its p99 latency against its own budget. Run with `npm run bench`; results also go to
 * bench/results/latest.json. Nothing here is asserted in the test suite.
 */

import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { systemClock } from '../src/core/clock.js';
import { ulidIds } from '../src/core/ids.js';
import { DEMO_CREDENTIALS } from '../src/demo/catalog.js';
import { ensureDemo } from '../src/demo/ensure-demo.js';
import { buildApp } from '../src/http/app.js';
import { openDatabase } from '../src/storage/database.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 4);

const basic = `Basic ${Buffer.from(`${DEMO_CREDENTIALS.oauth.client_id}:${DEMO_CREDENTIALS.oauth.client_secret}`).toString('base64')}`;

/** A 10-line cart at a POS register: phones, laptops, and things no product covers. */
const tenItemCart = JSON.stringify({
  id: '123e4567-e89b-12d3-a456-426614174000',
  currency_code: 'USD',
  items: Array.from({ length: 10 }, (_, i) => ({
    id: String(i + 1),
    sku: `sku-${i}`,
    name: i % 3 === 2 ? 'USB-C cable' : `Phone ${i}`,
    product_group: i % 3 === 2 ? 'Accessories' : 'Mobile Phones',
    quantity: 1 + (i % 2),
    total: i % 3 === 2 ? '19.00' : `${(1299 * (1 + (i % 2))).toFixed(2)}`,
  })),
});

interface Scenario {
  name: string;
  budgetP99Ms?: number;
  request: { method: 'GET' | 'POST'; path: string; headers?: Record<string, string>; body?: string };
}

const SCENARIOS: Scenario[] = [
  { name: 'ceiling: GET /health', request: { method: 'GET', path: '/health' } },
  {
    name: 'Sitoo POST /cart-insurances, 10 items',
    budgetP99Ms: 50,
    request: {
      method: 'POST',
      path: '/sitoo/cart-insurances',
      headers: {
        authorization: basic,
        'content-type': 'application/json',
        'store-id': 'store-1',
        'staff-id': 'staff-1',
        'register-id': 'register-1',
        'request-id': 'bench',
      },
      body: tenItemCart,
    },
  },
];

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'protego-bench-'));
  const db = await openDatabase({ kind: 'pglite', dataDir }, randomBytes(32));
  await db.migrate();
  const ids = ulidIds(systemClock);
  await ensureDemo(db, systemClock, ids);
  const app = await buildApp({
    services: {
      db,
      clock: systemClock,
      ids,
      adminToken: randomBytes(24).toString('hex'),
      tokenKey: randomBytes(32),
    },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  const url = `http://127.0.0.1:${address.port}`;

  const results = [];
  for (const s of SCENARIOS) {
    const check = await fetch(url + s.request.path, {
      method: s.request.method,
      headers: s.request.headers ?? {},
      ...(s.request.body ? { body: s.request.body } : {}),
    });
    if (check.status >= 300) throw new Error(`${s.name}: answered ${check.status}: ${await check.text()}`);
    const r = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS, requests: [s.request] });
    if (r.non2xx > 0 || r.errors > 0)
      throw new Error(`${s.name}: ${r.non2xx} non-2xx and ${r.errors} errors`);
    results.push({
      name: s.name,
      rps: r.requests.average,
      p50: r.latency.p50,
      p99: r.latency.p99,
      budget: s.budgetP99Ms,
    });
  }
  await app.close();
  await db.close();
  rmSync(dataDir, { recursive: true, force: true });

  const ceiling = results[0]!.rps;
  let overBudget = false;
  console.log(`connections ${CONNECTIONS}, ${SECONDS} s each, node ${process.version}\n`);
  for (const r of results) {
    const over = r.budget !== undefined && r.p99 > r.budget;
    if (over) overBudget = true;
    const within = r.budget === undefined ? '' : `  ${over ? 'OVER' : 'within'} ${r.budget} ms`;
    console.log(
      `${r.name.padEnd(42)} ${r.rps.toFixed(0).padStart(7)} req/s  ${(r.rps / ceiling).toFixed(3)} of ceiling  p50 ${r.p50} ms  p99 ${r.p99} ms${within}`,
    );
  }
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(
    'bench/results/latest.json',
    JSON.stringify({ at: new Date().toISOString(), ceiling, results }, null, 2),
  );
  process.exit(overBudget ? 1 : 0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(2);
});
