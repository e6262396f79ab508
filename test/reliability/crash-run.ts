import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { DEMO_KEY } from '../helpers/constants.js';
import type { Backend } from '../helpers/database.js';
import { startReceiver } from '../helpers/receiver.js';
import { directPolicy, placedOrder } from '../http/support.js';

/**
 * A crashing host, as the reliability issue tried it: `protego serve` (API, scheduler and outbox worker
 * in one process) on a real data directory or PostgreSQL database, three clients binding policies and
 * placing orders, each retrying with the same idempotency key until it gets an answer, and the server
 * SIGKILLed at random moments and started again on the same data. Afterwards: every acknowledged request
 * has its policies, each exactly once, and every committed `policy.created` webhook reached the receiver.
 */

export interface CrashResult {
  engine: Backend;
  kills: number;
  requests: number;
  acknowledged: number;
  policies: number;
  lost: number;
  duplicated: number;
  webhooksMissing: number;
}

const ROOT = new URL('../../', import.meta.url).pathname;
const ADMIN_TOKEN = 'crash-test-admin-token-0123456789';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A database of its own on the test server, or a data directory of its own for PGlite. */
async function storage(engine: Backend): Promise<{ env: Record<string, string>; drop(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'protego-crash-'));
  const removeDir = async () => rmSync(dir, { recursive: true, force: true });
  if (engine === 'pglite') return { env: { PROTEGO_DATA_DIR: dir }, drop: removeDir };
  const url = new URL(process.env.TEST_DATABASE_URL!);
  const name = `crash_${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  url.pathname = `/${name}`;
  return {
    env: { PROTEGO_DATA_DIR: dir, DATABASE_URL: url.toString() },
    async drop() {
      const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
      await removeDir();
    },
  };
}

class Server {
  #child: ChildProcess | undefined;
  #log = '';
  constructor(
    readonly base: string,
    readonly env: Record<string, string>,
  ) {}

  async start(): Promise<void> {
    this.#child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve'], {
      cwd: ROOT,
      env: { ...process.env, ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => {
      this.#log = (this.#log + chunk.toString()).slice(-4000);
    };
    this.#child.stdout!.on('data', keep);
    this.#child.stderr!.on('data', keep);
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      if (this.#child.exitCode !== null) throw new Error(`protego exited at start:\n${this.#log}`);
      try {
        if ((await fetch(`${this.base}/health`)).ok) return;
      } catch {
        // not listening yet
      }
      await sleep(100);
    }
    throw new Error(`protego did not answer /health within 90 s:\n${this.#log}`);
  }

  /** SIGKILL: no shutdown hook runs, as when the host dies. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.#child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
  }
}

interface Ack {
  key: string;
  policyIds: string[];
}

/** Sends one request until it gets an answer that is not a transport failure or a 5xx. */
async function untilAnswered(url: string, key: string, body: unknown, counter: { requests: number }) {
  for (;;) {
    counter.requests += 1;
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${DEMO_KEY}`,
          'content-type': 'application/json',
          'idempotency-key': key,
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(15_000),
      });
      const text = await res.text();
      // 409 idempotency_key_in_flight: the first attempt is still running (or died holding it); retry.
      if (res.status >= 500 || (res.status === 409 && text.includes('in_flight'))) {
        await sleep(100);
        continue;
      }
      if (res.status !== 201) throw new Error(`${url} answered ${res.status}: ${text}`);
      return JSON.parse(text);
    } catch (error) {
      if (error instanceof Error && error.message.includes('answered')) throw error;
      await sleep(100);
    }
  }
}

export async function crashRun(opts: {
  engine: Backend;
  kills: number;
  clients?: number;
}): Promise<CrashResult> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const store = await storage(opts.engine);
  const receiver = await startReceiver();
  const server = new Server(base, {
    ...store.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    PROTEGO_PUBLIC_URL: base,
    PROTEGO_ADMIN_TOKEN: ADMIN_TOKEN,
    PROTEGO_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    PROTEGO_JOB_LEASE_SECONDS: '2',
    LOG_LEVEL: 'warn',
  });
  const counter = { requests: 0 };
  const acks: Ack[] = [];
  const get = async (path: string) =>
    fetch(`${base}${path}`, { headers: { authorization: `Bearer ${DEMO_KEY}` } }).then(async (r) => ({
      status: r.status,
      // biome-ignore lint/suspicious/noExplicitAny: read field by field, as a client does
      body: (r.status === 200 ? await r.json() : undefined) as any,
    }));
  const listPolicies = async () => {
    const ids: string[] = [];
    for (let cursor: string | null = ''; cursor !== null; ) {
      const page: { data: { id: string }[]; next_cursor: string | null } = (
        await get(`/v1/policies?limit=100${cursor ? `&cursor=${cursor}` : ''}`)
      ).body;
      ids.push(...page.data.map((p) => p.id));
      cursor = page.next_cursor;
    }
    return ids;
  };
  try {
    await server.start();
    await untilAnswered(
      `${base}/v1/webhook-endpoints`,
      'endpoint',
      { url: receiver.url, event_types: ['policy.created'] },
      counter,
    );

    const before = new Set(await listPolicies());
    let running = true;
    const client = async (c: number) => {
      for (let n = 0; running; n += 1) {
        const key = `c${c}-${n}`;
        if (n % 2 === 0) {
          const policy = await untilAnswered(`${base}/v1/policies`, key, directPolicy(), counter);
          acks.push({ key, policyIds: [policy.id] });
        } else {
          const event = await untilAnswered(
            `${base}/v1/order-events`,
            key,
            placedOrder(`order-${key}`),
            counter,
          );
          acks.push({ key, policyIds: event.policies.map((p: { id: string }) => p.id) });
        }
      }
    };
    const clients = Array.from({ length: opts.clients ?? 3 }, (_, c) => client(c));
    for (let k = 0; k < opts.kills; k += 1) {
      await sleep(300 + Math.random() * 900);
      await server.kill();
      await server.start();
    }
    await sleep(500);
    running = false;
    await Promise.all(clients);

    const acknowledged = acks.flatMap((a) => a.policyIds);
    let lost = 0;
    for (const id of acknowledged) if ((await get(`/v1/policies/${id}`)).status !== 200) lost += 1;
    const stored = (await listPolicies()).filter((id) => !before.has(id));
    // Every key was retried until answered, so every stored policy is one an answer named.
    const named = new Set(acknowledged);
    const duplicated = stored.filter((id) => !named.has(id)).length;

    // Deliveries a killed worker held are taken over once its lease (2 s) runs out.
    const delivered = () => {
      const ids = new Set<string>();
      for (const r of receiver.received) if (r.status < 300) ids.add(JSON.parse(r.body).data.id);
      return ids;
    };
    const deadline = Date.now() + 60_000;
    while (stored.some((id) => !delivered().has(id)) && Date.now() < deadline) await sleep(250);
    const webhooksMissing = stored.filter((id) => !delivered().has(id)).length;
    await server.kill('SIGTERM');
    return {
      engine: opts.engine,
      kills: opts.kills,
      requests: counter.requests,
      acknowledged: acks.length,
      policies: stored.length,
      lost,
      duplicated,
      webhooksMissing,
    };
  } finally {
    await server.kill();
    await receiver.close();
    await store.drop();
  }
}
