/**
 * `npm run bench`: the table of issue #13. Every figure is measured against a process of Protego
 * started for it (the built server, `dist/`), and beside the ceiling it is compared with, measured in
 * the same run by a bare server in a process of its own (bench/ceiling.ts). Throughput and latency are
 * medians of BENCH_RUNS (3) runs of BENCH_SECONDS (5) each. PostgreSQL figures need BENCH_DATABASE_URL or
 * TEST_DATABASE_URL: the bench makes a database of its own there and drops it at the end.
 *
 *   BENCH_SECONDS=1 BENCH_RUNS=1 BENCH_POLICIES=20000 BENCH_PRODUCTS=1000 npm run bench   (a smoke run)
 *
 * Results: printed, and written to bench/results/<date>.json, <date>.md and latest.json. Nothing here is
 * asserted in `npm test`.
 */

import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { growCatalog } from './catalog.js';
import { type Load, load, median, once, type Request, RUNS, SECONDS } from './load.js';
import { holderEmailOf, loadBook, orderIdOf } from './million.js';
import { type Child, runMeasured, startChild } from './processes.js';
import {
  nativeBind,
  nativeOffer,
  type OfferRef,
  policiesByHolder,
  policiesByOrder,
  refurbishedOption,
  sitooCart,
  xcoverBookings,
  xcoverInstantBooking,
} from './scenarios.js';
import { consoleTable, type Figure, markdownTable } from './table.js';

const POLICIES = Number(process.env.BENCH_POLICIES ?? 1_000_000);
const PRODUCTS = Number(process.env.BENCH_PRODUCTS ?? 10_000);
const BINDS = Number(process.env.BENCH_BINDS ?? 1000);
const PG_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
const CONNECTIONS = 10;

const work = mkdtempSync(join(tmpdir(), 'protego-bench-'));
const figures: Figure[] = [];
const children: Child[] = [];
const log = (line: string) => console.error(line);

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const rate = (l: Load) => `${fmt(l.rps)} req/s, p50 ${l.p50} ms, p99 ${l.p99} ms`;

async function child(args: string[], env: Record<string, string> = {}): Promise<Child> {
  const c = await startChild(process.execPath, args, { env });
  children.push(c);
  return c;
}

const ceilingProcess = (kind: string, env: Record<string, string> = {}) =>
  child(['--import', 'tsx', 'bench/ceiling.ts', kind], env);

const encryptionKey = randomBytes(32).toString('base64');

/** Protego as it is deployed: the built server, in a process of its own. */
function protego(env: Record<string, string>): Promise<Child> {
  return child(['dist/cli/main.js', 'serve'], {
    PROTEGO_ENCRYPTION_KEY: encryptionKey,
    PROTEGO_ADMIN_TOKEN: randomBytes(24).toString('hex'),
    // The outbox would send a letter per bind inside the measured process; it runs as `protego worker`.
    PROTEGO_WORKER: 'off',
    LOG_LEVEL: 'warn',
    PROTEGO_XCOVER_RATE_LIMIT_TEST: '1000000',
    ...env,
  });
}

async function stop(c: Child): Promise<void> {
  await c.stop();
  const at = children.indexOf(c);
  if (at >= 0) children.splice(at, 1);
}

const ceilingRequest: Request = { method: 'GET', path: '/ceiling' };
const insertRequest: Request = {
  method: 'POST',
  path: '/ceiling',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ offer_id: 'off_01jbench', option_id: 'opt_01jbench', key: 'bench' }),
};

async function measure(url: string, request: Request, connections = CONNECTIONS) {
  await once(url, request);
  return median(() => load(url, request, { connections }));
}

/** Offers to bind, made before the bind is timed: one per bind. */
async function offersToBind(url: string, count: number): Promise<OfferRef[]> {
  const made: OfferRef[] = [];
  const worker = async () => {
    while (made.length < count) made.push(refurbishedOption(await once(url, nativeOffer)));
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return made.slice(0, count);
}

async function engineFigures(
  engine: 'PGlite' | 'PostgreSQL',
  server: Child,
  ceilings: { json: Load; insert: Load },
) {
  const url = server.url;
  log(`${engine}: Sitoo cart`);
  const sitoo = await measure(url, sitooCart);
  const sitooRatio = sitoo.rps / ceilings.json.rps;
  figures.push({
    figure: `Sitoo 10-line cart, ${CONNECTIONS} connections`,
    engine,
    measured: rate(sitoo),
    ceiling: `bare JSON route ${fmt(ceilings.json.rps)} req/s`,
    ratio: sitooRatio,
    target: '≥ 0.30, p99 ≤ 10 ms',
    met: sitooRatio >= 0.3 && sitoo.p99 <= 10,
    data: { sitoo, ceiling: ceilings.json },
  });

  log(`${engine}: native offer`);
  const offer = await measure(url, nativeOffer);
  const offerRatio = offer.rps / ceilings.json.rps;
  figures.push({
    figure: `native one-item offer, ${CONNECTIONS} connections`,
    engine,
    measured: rate(offer),
    ceiling: `bare JSON route ${fmt(ceilings.json.rps)} req/s`,
    ratio: offerRatio,
    target: '≥ 0.50, p99 ≤ 5 ms',
    met: offerRatio >= 0.5 && offer.p99 <= 5,
    data: { offer, ceiling: ceilings.json },
  });

  log(`${engine}: native bind (${RUNS} × ${BINDS} offers made first)`);
  const pool = await offersToBind(url, RUNS * BINDS + 1);
  const bindRequest = nativeBind(pool);
  await once(url, bindRequest);
  const bind = await median(() => load(url, bindRequest, { connections: CONNECTIONS, amount: BINDS }));
  const bindRatio = bind.rps / ceilings.insert.rps;
  figures.push({
    figure: `native bind (offer → policy, idempotency key), ${CONNECTIONS} connections`,
    engine,
    measured: rate(bind),
    ceiling: `one-row insert ${fmt(ceilings.insert.rps)} req/s`,
    ratio: bindRatio,
    target: '≥ 0.40',
    met: bindRatio >= 0.4,
    data: { bind, ceiling: ceilings.insert },
  });

  log(`${engine}: XCover`);
  // A book of 120 bookings first, as the issue measured; then the bookings 8 clients make.
  const booking = xcoverInstantBooking();
  for (let i = 0; i < 120; i += 1) await once(url, booking);
  const listSmall = await measure(url, xcoverBookings(), 1);
  const instant = await measure(url, booking, 8);
  const book = ((await once(url, xcoverBookings())) as { count: number }).count;
  const listLarge = await measure(url, xcoverBookings(), 1);
  figures.push({
    figure: 'XCover instant booking, 8 clients',
    engine,
    measured: rate(instant),
    ceiling: '',
    ratio: null,
    target: 'p99 ≤ 25 ms',
    met: instant.p99 <= 25,
    data: { instant },
  });
  figures.push({
    figure: `XCover GET bookings/?limit=100, 120 and ${fmt(book)} bookings`,
    engine,
    measured: `p50 ${listSmall.p50} → ${listLarge.p50} ms, p99 ${listSmall.p99} → ${listLarge.p99} ms`,
    ceiling: '',
    ratio: null,
    target: 'p99 ≤ 30 ms, independent of the book',
    met: listSmall.p99 <= 30 && listLarge.p99 <= 30,
    data: { listSmall, listLarge, bookings: book },
  });
}

/** The million: lookups, the statement, the catalog. PostgreSQL only (the generator writes SQL to it). */
async function bookFigures(url: string, serverEnv: Record<string, string>, server: Child): Promise<Child> {
  const month = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() - 1, 1))
    .toISOString()
    .slice(0, 7);
  log(`PostgreSQL: loading ${fmt(POLICIES)} policies bound in ${month}`);
  const loaded = await loadBook(url, { count: POLICIES, month, log });
  figures.push({
    figure: `generator: ${fmt(POLICIES)} policies with their history`,
    engine: 'PostgreSQL',
    measured: `${loaded.seconds.toFixed(0)} s`,
    ceiling: '',
    ratio: null,
    target: '< 300 s',
    met: loaded.seconds < 300,
    data: { ...loaded, policies: POLICIES },
  });

  const pick = () => Math.floor(Math.random() * POLICIES);
  const byOrder: Request = {
    ...policiesByOrder(orderIdOf(1)),
    setup: () => policiesByOrder(orderIdOf(pick())),
  };
  const byHolder: Request = {
    ...policiesByHolder(holderEmailOf(1)),
    setup: () => policiesByHolder(holderEmailOf(pick())),
  };
  for (const [name, request] of [
    ['order id', byOrder],
    ['holder e-mail', byHolder],
  ] as const) {
    log(`PostgreSQL: lookup by ${name}`);
    const found = (await once(server.url, request)) as { data: unknown[] };
    if (found.data.length === 0) throw new Error(`lookup by ${name} found nothing`);
    const lookup = await measure(server.url, request, 1);
    figures.push({
      figure: `lookup by ${name}, ${fmt(POLICIES)} policies`,
      engine: 'PostgreSQL',
      measured: rate(lookup),
      ceiling: '',
      ratio: null,
      target: 'p99 ≤ 5 ms',
      met: lookup.p99 <= 5,
      data: { lookup },
    });
  }

  log('PostgreSQL: the monthly statement');
  const runs = [];
  for (let i = 0; i < RUNS; i += 1) {
    const r = await runMeasured(
      process.execPath,
      ['dist/cli/main.js', 'statement', '--partner', 'electroshop', '--month', month, '--mode', 'test'],
      { ...serverEnv, LOG_LEVEL: 'warn' },
    );
    if (r.code !== 0) throw new Error(`protego statement failed:\n${r.stderr}`);
    runs.push(r);
  }
  const statement = runs.sort((a, b) => a.seconds - b.seconds)[Math.floor(runs.length / 2)]!;
  const written = /"policies_written":\s*(\d+)/.exec(statement.stdout)?.[1];
  const peakMb = statement.peakKb / 1024;
  figures.push({
    figure: `one partner's monthly statement, ${fmt(POLICIES)} policies (${written ?? '?'} written)`,
    engine: 'PostgreSQL',
    measured: `${statement.seconds.toFixed(1)} s, peak RSS ${peakMb.toFixed(0)} MB`,
    ceiling: '',
    ratio: null,
    target: '≤ 10 s, ≤ 300 MB',
    met: statement.seconds <= 10 && peakMb <= 300,
    data: { seconds: runs.map((r) => r.seconds), peakKb: runs.map((r) => r.peakKb), written },
  });

  // The catalog: 10 products, then PRODUCTS, each measured by a server started afresh.
  const offerAt = async (products: number) => {
    await growCatalog(url, 'electroshop', products);
    await stop(server);
    server = await protego(serverEnv);
    // One client: the figure is a latency, compared at the same load.
    return measure(server.url, nativeOffer, 1);
  };
  await attempt(`offer p50 with ${fmt(PRODUCTS)} products / with 10`, 'PostgreSQL', '≤ 1.5', async () => {
    log('PostgreSQL: offers with 10 products');
    const ten = await offerAt(10);
    log(`PostgreSQL: offers with ${fmt(PRODUCTS)} products`);
    const many = await offerAt(PRODUCTS);
    figures.push({
      figure: `offer p50 with ${fmt(PRODUCTS)} products / with 10, 1 connection`,
      engine: 'PostgreSQL',
      measured: `p50 ${many.p50} ms / ${ten.p50} ms (${fmt(many.rps)} / ${fmt(ten.rps)} req/s)`,
      ceiling: '',
      ratio: many.p50 / Math.max(ten.p50, 1),
      target: '≤ 1.5',
      met: many.p50 / Math.max(ten.p50, 1) <= 1.5,
      data: { ten, many },
    });
  });
  return server;
}

/** `npm start` on a built tree, to the first answer of GET /health (after one start that made the data). */
async function startFigure() {
  const env = {
    PROTEGO_DATA_DIR: join(work, 'npm-start'),
    PROTEGO_WORKER: 'off',
    LOG_LEVEL: 'warn',
  };
  const first = await startChild('npm', ['start'], { env, timeoutMs: 300_000 });
  await first.stop();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const c = await startChild('npm', ['start'], { env, timeoutMs: 300_000 });
    times.push(c.startedInMs);
    await c.stop();
  }
  const sorted = [...times].sort((a, b) => a - b);
  const mid = sorted[Math.floor(sorted.length / 2)]! / 1000;
  figures.push({
    figure: '`npm start` on a built tree, to the first answer',
    engine: 'PGlite',
    measured: `${mid.toFixed(1)} s`,
    ceiling: '',
    ratio: null,
    target: '≤ 3 s',
    met: mid <= 3,
    data: { ms: times },
  });
}

async function main() {
  // BENCH_BUILD=off reuses dist/ as it is (when iterating on the bench itself).
  if (process.env.BENCH_BUILD !== 'off') {
    log('building (npm run build)');
    execFileSync('npm', ['run', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
  }

  log('ceiling: bare JSON route');
  const jsonServer = await ceilingProcess('json');
  const json = await measure(jsonServer.url, ceilingRequest);
  await stop(jsonServer);
  figures.push({
    figure: `ceiling: bare Fastify route, 300-byte JSON, ${CONNECTIONS} connections`,
    engine: '',
    measured: rate(json),
    ceiling: '',
    ratio: 1,
    target: '',
    met: true,
    data: { json },
  });

  log('PGlite: one-row insert ceiling');
  const pgliteCeiling = await ceilingProcess('pglite', { CEILING_DATA_DIR: join(work, 'ceiling-pglite') });
  const pgliteInsert = await measure(pgliteCeiling.url, insertRequest);
  await stop(pgliteCeiling);
  const onPglite = await protego({ PROTEGO_DATA_DIR: join(work, 'protego-pglite') });
  await engineFigures('PGlite', onPglite, { json, insert: pgliteInsert });
  await stop(onPglite);

  if (PG_URL) {
    const name = `protego_bench_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(PG_URL);
    url.pathname = `/${name}`;
    const dbUrl = url.toString();
    try {
      log('PostgreSQL: one-row insert ceiling');
      const pgCeiling = await ceilingProcess('pg', { CEILING_DATABASE_URL: dbUrl });
      const pgInsert = await measure(pgCeiling.url, insertRequest);
      await stop(pgCeiling);
      const serverEnv = { DATABASE_URL: dbUrl, PROTEGO_ENCRYPTION_KEY: encryptionKey };
      let onPostgres = await protego(serverEnv);
      await engineFigures('PostgreSQL', onPostgres, { json, insert: pgInsert });
      onPostgres = await bookFigures(dbUrl, serverEnv, onPostgres);
      await stop(onPostgres);
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  } else {
    log('no BENCH_DATABASE_URL or TEST_DATABASE_URL: PostgreSQL figures and the million are not measured');
  }

  log('npm start');
  await attempt('`npm start` on a built tree, to the first answer', 'PGlite', '≤ 3 s', startFigure);
}

/** A figure whose run failed is a line of the table saying why, not the end of the run. */
async function attempt(figure: string, engine: Figure['engine'], target: string, run: () => Promise<void>) {
  try {
    await run();
  } catch (error) {
    log(String(error));
    figures.push({
      figure,
      engine,
      measured: `failed: ${String(error).split('\n')[0]}`,
      ceiling: '',
      ratio: null,
      target,
      met: false,
      data: { error: String(error) },
    });
  }
}

/** The table so far, printed and written: a run that failed half way still shows what it measured. */
function report(started: Date, error?: unknown) {
  const header = `${started.toISOString()}, node ${process.version}, ${cpus().length} cores, ${RUNS} runs of ${SECONDS} s (medians), ${fmt(POLICIES)} policies, ${fmt(PRODUCTS)} products${error ? ' (INCOMPLETE: the run failed)' : ''}`;
  console.log(`\n${header}\n\n${consoleTable(figures)}\n`);
  const stamp = started.toISOString().replace(/[:.]/g, '-');
  const result = {
    at: started.toISOString(),
    node: process.version,
    cores: cpus().length,
    runs: RUNS,
    seconds: SECONDS,
    policies: POLICIES,
    products: PRODUCTS,
    ...(error ? { error: String(error) } : {}),
    figures,
  };
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(`bench/results/${stamp}.json`, `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync('bench/results/latest.json', `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(`bench/results/${stamp}.md`, `${header}\n\n${markdownTable(figures)}\n`);
  log(`written to bench/results/${stamp}.json, .md and latest.json`);
}

const started = new Date();
main()
  .then(
    () => report(started),
    (error: unknown) => {
      console.error(error);
      report(started, error);
      process.exitCode = 2;
    },
  )
  .finally(async () => {
    for (const c of [...children]) await c.stop();
    rmSync(work, { recursive: true, force: true });
  });
