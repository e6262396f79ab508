import type { InjectOptions } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { ulidIds } from '../../src/core/ids.js';
import { DEMO_PARTNER } from '../../src/demo/catalog.js';
import { buildApp } from '../../src/http/app.js';
import type { App } from '../../src/http/context.js';
import { type Database, openDatabase } from '../../src/storage/database.js';
import { ADMIN_TOKEN, DEMO_KEY, TEST_ENCRYPTION_KEY, TEST_TOKEN_KEY } from '../helpers/constants.js';
import { type Backend, testDatabase } from '../helpers/database.js';

/**
 * Credentials, partners, stores, products and enablements are read from memory (src/storage/
 * reference-cache.ts). A change made through one app's admin API is seen by the next request, on that
 * app and, once its notice has arrived (`caughtUp`), on another app over the same PostgreSQL schema with
 * a pool and cache of its own.
 */
interface Instance {
  db: Database;
  app: App;
}

async function instance(db: Database): Promise<Instance> {
  const clock = new ManualClock('2026-03-02T10:00:00Z');
  const app = await buildApp({
    services: { db, clock, ids: ulidIds(clock), adminToken: ADMIN_TOKEN, tokenKey: TEST_TOKEN_KEY },
  });
  return { db, app };
}

const tablet = {
  country: 'SE',
  items: [{ ref: 'l1', quantity: 1, category: 'Tablet', price: { amount: 850000, currency: 'SEK' } }],
};

async function send(on: Instance, options: InjectOptions) {
  const r = await on.app.inject(options);
  return { status: r.statusCode, body: r.json() };
}

const offer = (on: Instance, key = DEMO_KEY) =>
  send(on, {
    method: 'POST',
    url: '/v1/offers',
    headers: { authorization: `Bearer ${key}` },
    payload: tablet,
  });

const admin = (on: Instance, method: InjectOptions['method'], url: string, payload?: unknown) =>
  send(on, {
    method,
    url: `/admin/v1${url}`,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    ...(payload === undefined ? {} : { payload: payload as InjectOptions['payload'] }),
  });

/** The product names of an offer's options. */
const names = (body: { items: { options: { product_code: string; product_name: string }[] }[] }) =>
  body.items[0]!.options.map((o) => `${o.product_code}: ${o.product_name}`);

/**
 * `writer` changes through its admin API; `reader` is asked after `seen()`. Each step first makes the
 * reader hold the value in memory, then changes it.
 */
function changesAreSeen(setup: () => Promise<{ writer: Instance; reader: Instance; seen(): Promise<void> }>) {
  let writer: Instance;
  let reader: Instance;
  let seen: () => Promise<void>;
  beforeAll(async () => {
    ({ writer, reader, seen } = await setup());
  });

  it('a product renamed, disabled and enabled again for the partner', async () => {
    const before = await offer(reader);
    expect(before.status).toBe(201);
    const code: string = before.body.items[0].options[0].product_code;
    expect(names((await offer(reader)).body)).toEqual(names(before.body));

    const product = (await admin(writer, 'GET', `/products/${code}`)).body;
    const renamed = {
      ...product,
      name: Object.fromEntries(Object.keys(product.name).map((lang) => [lang, `Renamed ${lang}`])),
    };
    expect((await admin(writer, 'PUT', `/products/${code}`, renamed)).status).toBe(200);
    await seen();
    const after = names((await offer(reader)).body);
    expect(after.filter((n) => n.startsWith(`${code}: `)).every((n) => n.includes('Renamed'))).toBe(true);

    expect((await admin(writer, 'DELETE', `/partners/${DEMO_PARTNER.code}/products/${code}`)).status).toBe(
      200,
    );
    await seen();
    expect(names((await offer(reader)).body).some((n) => n.startsWith(`${code}: `))).toBe(false);

    const enabled = await admin(writer, 'PUT', `/partners/${DEMO_PARTNER.code}/products/${code}`, {
      commission_bp: 1500,
    });
    expect(enabled.status, JSON.stringify(enabled.body)).toBe(200);
    await seen();
    expect(names((await offer(reader)).body).some((n) => n.startsWith(`${code}: `))).toBe(true);
  });

  it('an API key issued, used, then revoked', async () => {
    const issued = await admin(writer, 'POST', `/partners/${DEMO_PARTNER.code}/credentials`, {
      mode: 'test',
    });
    expect(issued.status).toBe(201);
    const key: string = issued.body.api_key;
    await seen();
    expect((await offer(reader, key)).status).toBe(201);
    expect((await offer(reader, key)).status).toBe(201);

    const revoked = await admin(
      writer,
      'POST',
      `/partners/${DEMO_PARTNER.code}/credentials/${issued.body.set_id}/revoke`,
    );
    expect(revoked.status).toBe(200);
    await seen();
    expect((await offer(reader, key)).status).toBe(401);
  });
}

describe('PGlite: one process sees its own changes at once', () => {
  let one: Instance;
  afterAll(async () => {
    await one?.app.close();
    await one?.db.close();
  });
  changesAreSeen(async () => {
    one = await instance(await testDatabase('pglite'));
    return { writer: one, reader: one, seen: async () => undefined };
  });
});

const postgres: Backend[] = process.env.TEST_DATABASE_URL ? ['postgres'] : [];

describe.each(postgres)('two processes on one %s schema: each sees the other’s changes', (backend) => {
  let a: Instance;
  let b: Instance;
  afterAll(async () => {
    await b?.app.close();
    await b?.db.close();
    await a?.app.close();
    await a?.db.close();
  });
  changesAreSeen(async () => {
    const first = await testDatabase(backend);
    const schema = (await sql<{ s: string }>`SELECT current_schema() AS s`.execute(first.kysely)).rows[0]!.s;
    const second = await openDatabase(
      { kind: 'postgres', url: process.env.TEST_DATABASE_URL!, schema, poolSize: 4 },
      TEST_ENCRYPTION_KEY,
    );
    await second.caughtUp();
    a = await instance(first);
    b = await instance(second);
    return { writer: a, reader: b, seen: () => b.db.caughtUp() };
  });
});
