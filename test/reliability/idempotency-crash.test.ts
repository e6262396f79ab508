import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { tcpProxy } from '../helpers/tcp-proxy.js';
import { directPolicy } from '../http/support.js';

/**
 * A request that dies mid-work with an idempotency key: its key must not stay "in flight" until a lease
 * ends (issue #12). Simulated on PostgreSQL as a crash looks from the database: the request is held inside
 * its transaction (a table lock it waits for), then the app loses the database (a proxy cut, so it can
 * clean nothing up) and the server kills the request's session. The retry, at once, binds; one policy.
 * (On PGlite a crash loses the process and its open transaction with it: the crash tests cover that.)
 */
describe.skipIf(!process.env.TEST_DATABASE_URL)('an idempotent request that crashed mid-work', () => {
  let t: TestApp;
  let proxy: Awaited<ReturnType<typeof tcpProxy>>;
  let admin: pg.Client;
  beforeAll(async () => {
    const url = new URL(process.env.TEST_DATABASE_URL!);
    proxy = await tcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
    url.host = `127.0.0.1:${proxy.port}`;
    t = await buildTestApp({ backend: 'postgres', databaseVia: url.toString() });
    admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.end();
    await proxy?.restore().catch(() => undefined);
    await t?.close();
    await proxy?.close();
  });

  it('leaves its key free: the retry runs at once and binds exactly one policy', async () => {
    const { key } = await t.newPartner();
    const schema = (await sql<{ s: string }>`SELECT current_schema() AS s`.execute(t.db.kysely)).rows[0]!.s;
    const bind = () =>
      t.call({
        method: 'POST',
        url: '/v1/policies',
        key,
        headers: { 'idempotency-key': 'crash-mid-work' },
        payload: directPolicy(),
      });

    // Hold every binding inside its transaction: it waits for the policies table.
    await admin.query('BEGIN');
    await admin.query(`LOCK TABLE ${schema}.policies IN EXCLUSIVE MODE`);
    const first = bind();
    const waiting = async () =>
      (
        await admin.query<{ pid: number }>(
          `SELECT pid FROM pg_locks WHERE NOT granted AND relation = '${schema}.policies'::regclass`,
        )
      ).rows.map((r) => r.pid);
    await vi.waitFor(async () => expect(await waiting()).toHaveLength(1), { timeout: 20_000 });
    const [pid] = await waiting();

    // The crash: the app loses the database, and the session dies with the transaction open.
    await proxy.cut();
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    await vi.waitFor(
      async () =>
        // A busy machine takes its time to end a process: wait as long as for the lock above.
        expect((await admin.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid])).rowCount).toBe(0),
      { timeout: 20_000 },
    );
    await admin.query('ROLLBACK');
    expect((await first).statusCode).toBeGreaterThanOrEqual(500);
    await proxy.restore();

    const retried = await bind();
    expect(retried.statusCode, retried.body).toBe(201);
    const replay = await bind();
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json()).toEqual(retried.json());
    const listed = await t.call({ method: 'GET', url: '/v1/policies', key });
    expect(listed.json().data).toHaveLength(1);
  });
});
