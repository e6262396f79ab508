import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS } from '../../src/demo/catalog.js';
import { allMigrations } from '../../src/storage/database.js';
import { DEMO_KEY } from '../helpers/constants.js';
import { BACKENDS } from '../helpers/database.js';
import { startReceiver } from '../helpers/receiver.js';
import { signXcover } from '../helpers/xcover-signer.js';
import { directPolicy } from '../http/support.js';

/**
 * Scale-out: two real `protego serve` processes (API, scheduler and outbox worker each) on one
 * PostgreSQL schema, started at the same moment on an empty schema, behave as one: the schema is
 * migrated and the demo loaded once, an idempotency key sent to both binds one policy, the XCover rate
 * limit counts both processes' requests, and each webhook reaches a real receiver once.
 */

const ROOT = new URL('../../', import.meta.url).pathname;
const ADMIN_TOKEN = 'scale-test-admin-token-0123456789';
const RATE_LIMIT = 4;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** One `protego serve` child process; `base` is where it listens. */
async function serve(
  env: Record<string, string>,
  args: string[] = [],
): Promise<{ base: string; stdout(): string; stop(): Promise<number | null> }> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli/main.ts', 'serve', ...args],
    {
      cwd: ROOT,
      env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', PROTEGO_PUBLIC_URL: base },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let log = '';
  let out = '';
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-4000);
  };
  child.stdout!.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    keep(chunk);
  });
  child.stderr!.on('data', keep);
  const stop = async (): Promise<number | null> => {
    if (child.exitCode !== null) return child.exitCode;
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    return exited;
  };
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`protego exited at start:\n${log}`);
    try {
      if ((await fetch(`${base}/health`)).ok) return { base, stdout: () => out, stop };
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  await stop();
  throw new Error(`protego did not answer /health within 120 s:\n${log}`);
}

/** POSTs with the demo key until the answer is not "this key is still in flight". */
async function post(url: string, key: string, body: unknown): Promise<{ status: number; body: unknown }> {
  for (;;) {
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${DEMO_KEY}`,
        'content-type': 'application/json',
        'idempotency-key': key,
      },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status === 409 && text.includes('in_flight')) {
      await sleep(50);
      continue;
    }
    return { status: res.status, body: JSON.parse(text) };
  }
}

/** What a process needs to run on `schema` of the test server. */
function envFor(schema: string): Record<string, string> {
  const url = new URL(process.env.TEST_DATABASE_URL!);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    DATABASE_URL: url.toString(),
    PROTEGO_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    PROTEGO_ADMIN_TOKEN: ADMIN_TOKEN,
    PROTEGO_XCOVER_RATE_LIMIT_TEST: String(RATE_LIMIT),
    PROTEGO_JOB_LEASE_SECONDS: '10',
    LOG_LEVEL: 'error',
  };
}

/** Three times the limit at once through `bases` in turn; asserts no window lets more than the limit through. */
async function expectSharedRateLimit(bases: string[]): Promise<void> {
  const path = '/xcover/partners/electroshop/bookings/';
  const send = (base: string) =>
    fetch(`${base}${path}?limit=1`, {
      headers: signXcover({
        method: 'GET',
        path,
        secret: DEMO_CREDENTIALS.hmac.secret,
        keyId: DEMO_CREDENTIALS.hmac.key_id,
        algorithm: 'hmac-sha512',
        headers: '(request-target) date',
      }),
    });
  // Counted per process, each would let through up to the limit.
  const answers = await Promise.all(
    Array.from({ length: 3 * RATE_LIMIT }, (_, i) => send(bases[i % bases.length]!)),
  );
  const allowedPerWindow = new Map<string, number>();
  for (const res of answers) {
    expect([200, 429]).toContain(res.status);
    expect(res.headers.get('x-ratelimit-limit')).toBe(String(RATE_LIMIT));
    const window = res.headers.get('x-ratelimit-reset')!;
    if (res.status === 200) allowedPerWindow.set(window, (allowedPerWindow.get(window) ?? 0) + 1);
  }
  for (const allowed of allowedPerWindow.values()) expect(allowed).toBeLessThanOrEqual(RATE_LIMIT);
  expect(answers.filter((r) => r.status === 429).length).toBeGreaterThan(0);
}

const POSTGRES = BACKENDS.filter((b) => b === 'postgres');

describe.each(POSTGRES)('two API processes on one %s', () => {
  const schema = `scale_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let a: Awaited<ReturnType<typeof serve>>;
  let b: Awaited<ReturnType<typeof serve>>;
  const count = async (query: string) =>
    Number((await admin.query(`SELECT count(*) AS n FROM ${schema}.${query}`)).rows[0].n);

  beforeAll(async () => {
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    receiver = await startReceiver();
    const env = envFor(schema);
    // Both at once on the empty schema: they race to migrate and to load the demo.
    [a, b] = await Promise.all([serve(env), serve(env)]);
  }, 240_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await receiver?.close();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  }, 60_000);

  it('migrates the schema and loads the demo once between them', async () => {
    expect(await count('schema_migrations')).toBe((await allMigrations()).length);
    expect(await count('partners')).toBe(1);
  });

  it('binds once for one idempotency key sent to both, and answers both the same', async () => {
    const before = await count('policies');
    const body = directPolicy();
    const answers = await Promise.all(
      [a, b, a, b].map((server) => post(`${server.base}/v1/policies`, 'scale-once', body)),
    );
    expect(answers.map((x) => x.status)).toEqual([201, 201, 201, 201]);
    for (const answer of answers) expect(answer.body).toEqual(answers[0]?.body);
    expect(await count('policies')).toBe(before + 1);
  });

  it('counts the XCover rate limit across both processes', async () => {
    await expectSharedRateLimit([a.base, b.base]);
  });

  it('delivers each webhook once with both processes draining the outbox', async () => {
    const endpoint = await post(`${b.base}/v1/webhook-endpoints`, 'scale-endpoint', {
      url: receiver.url,
      event_types: ['policy.created'],
    });
    expect(endpoint.status).toBe(201);
    const bound = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        post(`${(i % 2 === 0 ? a : b).base}/v1/policies`, `scale-hook-${i}`, directPolicy()),
      ),
    );
    expect(bound.map((x) => x.status)).toEqual(Array(10).fill(201));
    const deadline = Date.now() + 60_000;
    while (receiver.acceptedIds().size < 10 && Date.now() < deadline) await sleep(200);
    expect(receiver.acceptedIds().size).toBe(10);
    // Two more rounds of both workers: a job taken twice would arrive again.
    await sleep(2500);
    expect(receiver.received).toHaveLength(10);
    const delivered = receiver.received.map((r) => (JSON.parse(r.body) as { data: { id: string } }).data.id);
    expect(new Set(delivered)).toEqual(new Set(bound.map((x) => (x.body as { id: string }).id)));
  }, 90_000);
});

describe.each(POSTGRES)('protego serve --processes 2 on %s', () => {
  const schema = `scale_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  let server: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    server = await serve(envFor(schema), ['--processes', '2']);
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  }, 60_000);

  it('serves one port from two processes sharing the rate limit, and stops them all on SIGTERM', async () => {
    // The banner comes once every process listens; the first may answer /health before.
    for (let i = 0; i < 300 && !/processes +2/.test(server.stdout()); i++) await sleep(100);
    expect(server.stdout()).toMatch(/processes +2/);
    await expectSharedRateLimit([server.base]);
    const partners = await admin.query(`SELECT count(*)::int AS n FROM ${schema}.partners`);
    expect(partners.rows[0].n).toBe(1);
    expect(await server.stop()).toBe(0);
  });
});

describe('protego serve --processes 2 on the embedded database', () => {
  it('refuses to start, saying why', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--processes', '2'],
      {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: '', PROTEGO_ENCRYPTION_KEY: randomBytes(32).toString('base64') },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toMatch(/PROTEGO_PROCESSES=2 needs DATABASE_URL: the embedded database \(PGlite\)/);
  });
});
