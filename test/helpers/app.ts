import type { FastifyBaseLogger, InjectOptions, LightMyRequestResponse } from 'fastify';
import { nodeSecrets } from '../../src/auth/secrets.js';
import { type Clock, ManualClock } from '../../src/core/clock.js';
import { ulidIds } from '../../src/core/ids.js';
import { issueCredentials } from '../../src/core/partners/issue-credentials.js';
import { createPartner, enableProduct } from '../../src/core/partners/manage-partners.js';
import type { Mode } from '../../src/core/partners/partner.js';
import type { CoreDeps } from '../../src/core/ports.js';
import { DEMO_PARTNER, DEMO_PRODUCTS } from '../../src/demo/catalog.js';
import { buildApp } from '../../src/http/app.js';
import type { App } from '../../src/http/context.js';
import type { Database } from '../../src/storage/database.js';
import { ADMIN_TOKEN, DEMO_KEY, TEST_TOKEN_KEY } from './constants.js';
import { type Backend, testDatabase } from './database.js';

export interface TestApp {
  app: App;
  db: Database;
  clock: ManualClock;
  deps: CoreDeps;
  /** Sends a request with a partner's API key (the demo partner's by default). */
  call(options: InjectOptions & { key?: string }): Promise<LightMyRequestResponse>;
  /** Sends a request to the admin API with the admin token. */
  admin(options: InjectOptions): Promise<LightMyRequestResponse>;
  /** A fresh partner selling the demo catalog, with its own test API key: isolates a test's data. */
  newPartner(opts?: {
    mode?: Mode;
    code?: string;
  }): Promise<{ code: string; partnerId: string; key: string; hmac: { key_id: string; secret: string } }>;
  /** Listens on a free loopback port, for a browser or a child process: answers the base URL. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

let partnerCount = 0;

/** Builds the app on a fresh database with the demo catalog, a manual clock and the admin token. */
export async function buildTestApp(
  opts: {
    backend?: Backend;
    now?: string;
    xcoverRateLimits?: { live: number; test: number };
    /** Transport time (signature dates, rate-limit windows); the system clock when absent. */
    wallClock?: Clock;
    /** PostgreSQL through this URL instead of TEST_DATABASE_URL (a proxy the test can cut). */
    databaseVia?: string;
    /** Where the app logs; silent when absent. */
    logger?: FastifyBaseLogger;
    /** Refused credentials per address and window before a 429 (the default is generous). */
    failedAttempts?: { limit: number; windowMs: number };
  } = {},
): Promise<TestApp> {
  const db = await testDatabase(opts.backend ?? 'pglite', opts.databaseVia);
  const clock = new ManualClock(opts.now ?? '2026-03-02T10:00:00Z');
  const ids = ulidIds(clock);
  const app = await buildApp({
    ...(opts.logger ? { logger: opts.logger } : {}),
    services: {
      db,
      clock,
      ids,
      adminToken: ADMIN_TOKEN,
      tokenKey: TEST_TOKEN_KEY,
      ...(opts.xcoverRateLimits ? { xcoverRateLimits: opts.xcoverRateLimits } : {}),
      ...(opts.wallClock ? { wallClock: opts.wallClock } : {}),
      ...(opts.failedAttempts ? { failedAttempts: opts.failedAttempts } : {}),
    },
  });
  const deps: CoreDeps = { repos: db.read, clock, ids };
  return {
    app,
    db,
    clock,
    deps,
    call: ({ key, headers, ...rest }) =>
      app.inject({ ...rest, headers: { authorization: `Bearer ${key ?? DEMO_KEY}`, ...headers } }),
    admin: ({ headers, ...rest }) =>
      app.inject({ ...rest, headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...headers } }),
    async newPartner({ mode = 'test', code } = {}) {
      partnerCount += 1;
      const partnerCode =
        code ?? `shop-${process.pid}-${partnerCount}-${Math.random().toString(36).slice(2, 8)}`;
      const { partner, issued } = await db.transaction(async (repos) => {
        const d = { repos, clock, ids };
        const p = await createPartner(d, {
          code: partnerCode,
          name: `Shop ${partnerCode}`,
          markets: DEMO_PARTNER.markets,
        });
        for (const product of DEMO_PRODUCTS) await enableProduct(d, p.code, product.code, 1500);
        return issueCredentials(d, nodeSecrets, p.code, mode);
      });
      return {
        code: partner.code,
        partnerId: partner.id,
        key: issued.apiKey,
        hmac: { key_id: issued.hmac.keyId, secret: issued.hmac.secret },
      };
    },
    async listen() {
      await app.listen({ port: 0, host: '127.0.0.1' });
      const address = app.server.address();
      if (!address || typeof address === 'string') throw new Error('no port');
      return `http://127.0.0.1:${address.port}`;
    },
    async close() {
      await app.close();
      await db.close();
    },
  };
}
