import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Repositories, UnitOfWork } from '../core/ports.js';
import { batchingInserts } from './batched-inserts.js';
import { loadMigrations, migrate } from './migrate.js';
import { PGliteDialect } from './pglite-dialect.js';
import {
  listenForReferenceChanges,
  ReferenceCache,
  type ReferenceWrites,
  withReferenceCache,
} from './reference-cache.js';
import { aliasRepository, dialectRecordRepository } from './repositories/aliases.js';
import { cartRepository } from './repositories/carts.js';
import { claimRepository } from './repositories/claims.js';
import { consoleSessionRepository, consoleUserRepository } from './repositories/console-users.js';
import { credentialRepository } from './repositories/credentials.js';
import { failedAttemptRepository } from './repositories/failed-attempts.js';
import { idempotencyRepository } from './repositories/idempotency.js';
import { instalmentRepository } from './repositories/instalments.js';
import { jobRepository } from './repositories/jobs.js';
import {
  currencyMarketRepository,
  merchantPlanRepository,
  productFactsRepository,
} from './repositories/merchant-catalog.js';
import { notificationRepository } from './repositories/notifications.js';
import { offerRepository, offerWriter } from './repositories/offers.js';
import { orderEventRepository } from './repositories/order-events.js';
import { orderRepository } from './repositories/orders.js';
import { partnerRepository } from './repositories/partners.js';
import { policyRepository } from './repositories/policies.js';
import { policyChangeRepository } from './repositories/policy-changes.js';
import { productChangeRepository } from './repositories/product-changes.js';
import { productRepository } from './repositories/products.js';
import { requestRateRepository } from './repositories/request-rates.js';
import { solutionRepository } from './repositories/solutions.js';
import { storeRepository } from './repositories/stores.js';
import { webhookRepository } from './repositories/webhooks.js';
import { resealAll } from './reseal.js';
import type { Tables } from './schema.js';
import { SEAL_PERSONAL_DATA, sealStoredPersonalData } from './seal-stored-personal-data.js';
import { SecretBox } from './secret-box.js';
import { reportingUnavailable } from './unavailable.js';

export type DatabaseTarget =
  | { kind: 'pglite'; dataDir?: string; loadDataDir?: Blob; pglite?: PGlite }
  | { kind: 'postgres'; url: string; schema?: string; poolSize?: number };

/** The database behind the ports: transactions for writes, plain reads, and a way to close it. */
export interface Database extends UnitOfWork {
  readonly kind: DatabaseTarget['kind'];
  readonly kysely: Kysely<Tables>;
  /** Repositories outside a transaction, for reads. */
  readonly read: Repositories;
  migrate(): Promise<string[]>;
  /**
   * A transaction that runs alone among every process's `exclusive` transactions on this database (an
   * advisory lock): for what starting processes must do once between them, such as loading the demo.
   */
  exclusive<T>(work: (repos: Repositories) => Promise<T>): Promise<T>;
  /** Erases a partner and every row of it (its history too): for demo resets and erasure requests. */
  purgePartner(partnerId: string): Promise<void>;
  /** Seals every stored sealed value again with the current key (`protego reseal`); returns how many. */
  reseal(): Promise<number>;
  close(): Promise<void>;
}

/** Tenant tables, children first, so a purge never trips a foreign key. */
const TENANT_TABLES = [
  'aliases',
  'dialect_records',
  'job_attempts',
  'jobs',
  'webhook_endpoints',
  'events',
  'idempotency_keys',
  'request_rates',
  'order_events',
  'order_lines',
  'orders',
  'carts',
  'product_facts',
  'claim_attachments',
  'claim_events',
  'claims',
  'policy_changes',
  'policy_events',
  'instalments',
  'policies',
  'offers',
  'stores',
  'solutions',
  'merchant_plans',
  'currency_markets',
  'partner_products',
  'credentials',
  'console_sessions',
  'console_users',
  'partners',
] as const;

// pg returns int8 (bigint, count(*)) as strings; PGlite returns numbers. Amounts fit a double exactly.
const pgTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === 20
      ? (v: string) => Number(v)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/**
 * Unique indexes on what may exist once: a transaction refused by one lost a race to a concurrent one,
 * and run again it finds the winner's row and answers from it (the same policies for an order placed
 * twice (`orders_pkey` or `order_lines_pkey` when it binds nothing), `quantity_exceeded` for an option's last unit bound
 * twice, `already_exists` for an order checked out from two carts, a console user's address or a
 * shop's plan id taken twice).
 */
const UNITS = new Set([
  'policies_order_unit',
  'policies_option_unit',
  'orders_pkey',
  // An order's lines go in one statement with the order (batched-inserts.ts): either may be the first
  // a concurrent placing of the same order is refused by.
  'order_lines_pkey',
  'carts_by_order',
  'console_users_email',
  'merchant_plans_partner_id_merchant_product_id_key',
]);

/** The advisory lock of `exclusive` (migrations hold another: see migrate.ts). */
const EXCLUSIVE_LOCK = 7_264_804;

/** A binding takes one unit per attempt: an option of a few units raced by as many clients still settles. */
const MAX_ATTEMPTS = 8;

/** The database refused the transaction for a concurrent one: a unit it took, a deadlock, a serialization failure. */
function isConflict(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, constraint } = error as { code?: unknown; constraint?: unknown };
  if (code === '40001' || code === '40P01') return true;
  return code === '23505' && typeof constraint === 'string' && UNITS.has(constraint);
}

/** Every migration `migrate` applies, in order: the numbered SQL files and the code migrations. */
export async function allMigrations(): Promise<{ version: number; name: string }[]> {
  const all = [...(await loadMigrations()), SEAL_PERSONAL_DATA];
  return all.map(({ version, name }) => ({ version, name })).sort((a, b) => a.version - b.version);
}

export async function openDatabase(
  target: DatabaseTarget,
  encryptionKey: Buffer,
  /** Keys used before `encryptionKey`: what they sealed is still opened (see SecretBox). */
  previousKeys: Buffer[] = [],
): Promise<Database> {
  const box = new SecretBox(encryptionKey, previousKeys);
  const db = new Kysely<Tables>({ dialect: batchingInserts(await dialectFor(target)) });
  // PGlite is one process's own: every change to it is made here, through these repositories (or by
  // purgePartner and migrate, which empty the cache themselves). A server is shared: changes are heard.
  const cache = new ReferenceCache(target.kind === 'pglite');
  const listener =
    target.kind === 'postgres'
      ? listenForReferenceChanges(
          {
            connectionString: target.url,
            ...(target.schema ? { options: `-c search_path=${target.schema}` } : {}),
          },
          cache,
        )
      : undefined;
  const writeOffer = offerWriter(db);
  const repositories = (handle: Kysely<Tables>, writes?: ReferenceWrites): Repositories =>
    withReferenceCache(
      {
        partners: partnerRepository(handle),
        credentials: credentialRepository(handle, box),
        failedAttempts: failedAttemptRepository(handle),
        requestRates: requestRateRepository(handle),
        products: productRepository(handle),
        productChanges: productChangeRepository(handle),
        offers: offerRepository(handle, writes ? undefined : writeOffer),
        policies: policyRepository(handle, box),
        orderEvents: orderEventRepository(handle, box),
        idempotency: idempotencyRepository(handle, box),
        notifications: notificationRepository(handle, box),
        webhooks: webhookRepository(handle, box),
        jobs: jobRepository(handle),
        claims: claimRepository(handle),
        stores: storeRepository(handle),
        solutions: solutionRepository(handle),
        aliases: aliasRepository(handle),
        dialectRecords: dialectRecordRepository(handle, box),
        policyChanges: policyChangeRepository(handle),
        instalments: instalmentRepository(handle),
        consoleUsers: consoleUserRepository(handle),
        consoleSessions: consoleSessionRepository(handle),
        orders: orderRepository(handle),
        carts: cartRepository(handle),
        merchantPlans: merchantPlanRepository(handle),
        currencyMarkets: currencyMarketRepository(handle),
        productFacts: productFactsRepository(handle),
      },
      cache,
      writes,
    );
  return {
    kind: target.kind,
    kysely: db,
    read: repositories(db),
    async transaction(work) {
      for (let attempt = 1; ; attempt++) {
        const writes: ReferenceWrites = { wrote: false };
        try {
          return await db.transaction().execute((trx) => work(repositories(trx, writes)));
        } catch (error) {
          if (attempt >= MAX_ATTEMPTS || !isConflict(error)) throw error;
        } finally {
          // Once committed, this process sees the change at once; others when its notice arrives.
          if (writes.wrote) cache.invalidate();
        }
      }
    },
    caughtUp: async () => listener?.caughtUp(),
    migrate: async () => {
      try {
        return await migrate(db, [sealStoredPersonalData(box)]);
      } finally {
        cache.invalidate();
      }
    },
    exclusive: async (work) => {
      const writes: ReferenceWrites = { wrote: false };
      try {
        return await db.transaction().execute(async (trx) => {
          await sql`SELECT pg_advisory_xact_lock(${EXCLUSIVE_LOCK})`.execute(trx);
          return work(repositories(trx, writes));
        });
      } finally {
        if (writes.wrote) cache.invalidate();
      }
    },
    purgePartner: async (partnerId) => {
      try {
        await db.transaction().execute(async (trx) => {
          await sql`SELECT set_config('protego.purge', 'on', true)`.execute(trx);
          for (const table of TENANT_TABLES)
            await trx.deleteFrom(table).where('partner_id', '=', partnerId).execute();
        });
      } finally {
        cache.invalidate();
      }
    },
    reseal: () => resealAll(db, box),
    close: async () => {
      await listener?.close();
      await db.destroy();
    },
  };
}

async function dialectFor(target: DatabaseTarget) {
  if (target.kind === 'postgres') {
    const pool = new pg.Pool({
      connectionString: target.url,
      max: target.poolSize ?? 10,
      // An unreachable server fails a request in seconds (a 503 to retry), not when the socket gives up.
      connectionTimeoutMillis: 5_000,
      types: pgTypes,
      ...(target.schema ? { options: `-c search_path=${target.schema}` } : {}),
    });
    // A connection the server dropped (a restart, a failover) fails its query, if one runs, and is
    // discarded by the pool, which connects anew for the next; the error it also emits, unlistened,
    // would end the process.
    pool.on('error', () => undefined);
    pool.on('connect', (client) => client.on('error', () => undefined));
    return reportingUnavailable(new PostgresDialect({ pool }));
  }
  if (target.pglite) return new PGliteDialect(target.pglite);
  if (target.dataDir) mkdirSync(target.dataDir, { recursive: true });
  const pglite = await PGlite.create({
    ...(target.dataDir ? { dataDir: target.dataDir } : {}),
    ...(target.loadDataDir ? { loadDataDir: target.loadDataDir } : {}),
  });
  return new PGliteDialect(pglite);
}
