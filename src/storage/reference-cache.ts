import pg from 'pg';
import type {
  CredentialRepository,
  PartnerRepository,
  ProductRepository,
  Repositories,
  StoreRepository,
  WebhookRepository,
} from '../core/ports.js';

/** The channel migration 022's triggers notify on a change of reference data; the payload is the schema. */
const REFERENCE_CHANNEL = 'protego_reference';

/**
 * Reference data held in memory: credentials, partners, stores, products, what each partner sells, and
 * each tenant's webhook endpoints. They change only through the admin API (endpoints through their own
 * routes) and are read by every offer and bind, so reading them from the database cost most of an
 * offer's round trips and two of a bind's.
 *
 * A change empties the cache: at once in the process that made it (after its commit), and in every
 * other process when the database's notification of it arrives (migration 022's triggers notify, in the
 * writing transaction, so a change is announced exactly when it is committed). A value read while a
 * change was announced is not kept, so a read that raced a change never outlives it. Without a
 * listening connection (it was lost) nothing is served from memory.
 */
export class ReferenceCache {
  #entries = new Map<string, unknown>();
  #generation = 0;
  #enabled: boolean;

  constructor(enabled: boolean) {
    this.#enabled = enabled;
  }

  async get<T>(key: string, load: () => Promise<T>): Promise<T> {
    if (this.#entries.has(key)) return this.#entries.get(key) as T;
    const generation = this.#generation;
    const value = await load();
    // Misses are not kept: unknown keys and stores sent by clients would fill memory.
    if (this.#enabled && generation === this.#generation && value !== undefined) {
      this.#entries.set(key, deepFreeze(value));
    }
    return value;
  }

  invalidate(): void {
    this.#generation++;
    this.#entries.clear();
  }

  /** Serves from memory only while changes are heard; off empties it. */
  setEnabled(enabled: boolean): void {
    this.#enabled = enabled;
    this.invalidate();
  }
}

/** Cached values are shared by every request: one that changed it would change it for all. */
function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  for (const v of Object.values(value)) deepFreeze(v);
  return Object.freeze(value);
}

/** Whether a transaction wrote reference data: then it reads past the cache, and empties it on commit. */
export interface ReferenceWrites {
  wrote: boolean;
}

/**
 * The repositories with reference reads served from `cache`. `writes` is the transaction's (undefined
 * outside one, where a write empties the cache once it is done).
 */
export function withReferenceCache(
  repos: Repositories,
  cache: ReferenceCache,
  writes: ReferenceWrites | undefined,
): Repositories {
  const cached = <T>(key: string, load: () => Promise<T>): Promise<T> =>
    writes?.wrote ? load() : cache.get(key, load);
  const changes =
    <A extends unknown[], R>(write: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      if (writes) writes.wrote = true;
      try {
        return await write(...args);
      } finally {
        if (!writes) cache.invalidate();
      }
    };
  const { partners, credentials, products, stores, webhooks } = repos;
  return {
    ...repos,
    partners: {
      ...partners,
      create: changes(partners.create),
      enableProduct: changes(partners.enableProduct),
      disableProduct: changes(partners.disableProduct),
      getById: (id) => cached(`partner:${id}`, () => partners.getById(id)),
    } satisfies PartnerRepository,
    credentials: {
      ...credentials,
      add: changes(credentials.add),
      revokeSet: changes(credentials.revokeSet),
      find: (kind, lookup) => cached(`credential:${kind}:${lookup}`, () => credentials.find(kind, lookup)),
    } satisfies CredentialRepository,
    products: {
      ...products,
      put: changes(products.put),
      get: (code, opts) =>
        opts?.forUpdate ? products.get(code, opts) : cached(`product:${code}`, () => products.get(code)),
      listEnabled: (partnerId) => cached(`enabled:${partnerId}`, () => products.listEnabled(partnerId)),
    } satisfies ProductRepository,
    stores: {
      ...stores,
      add: changes(stores.add),
      remove: changes(stores.remove),
      get: (partnerId, externalId) =>
        cached(`store:${partnerId}:${externalId}`, () => stores.get(partnerId, externalId)),
    } satisfies StoreRepository,
    webhooks: {
      ...webhooks,
      insert: changes(webhooks.insert),
      update: changes(webhooks.update),
      list: (tenant) => cached(`webhooks:${tenant.partnerId}:${tenant.mode}`, () => webhooks.list(tenant)),
    } satisfies WebhookRepository,
  };
}

/**
 * Hears the changes other processes commit to reference data (PostgreSQL LISTEN on a connection of
 * its own) and empties the cache for each. While the connection is down, the cache is off, and it is
 * connected again every second.
 */
export function listenForReferenceChanges(
  connection: pg.ClientConfig,
  cache: ReferenceCache,
): { caughtUp(): Promise<void>; close(): Promise<void> } {
  let client: pg.Client | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;
  let ready: Promise<void> = Promise.resolve();

  const again = () => {
    if (closed) return;
    retry = setTimeout(() => {
      ready = connect();
    }, 1_000);
  };
  const connect = async (): Promise<void> => {
    const c = new pg.Client(connection);
    const lost = () => {
      if (client !== c) return;
      client = undefined;
      cache.setEnabled(false);
      c.end().catch(() => undefined);
      again();
    };
    c.on('error', lost);
    c.on('end', lost);
    try {
      await c.connect();
      const schema = (await c.query<{ s: string }>('SELECT current_schema() AS s')).rows[0]?.s;
      c.on('notification', (n) => {
        if (n.channel === REFERENCE_CHANNEL && n.payload === schema) cache.invalidate();
      });
      await c.query(`LISTEN ${REFERENCE_CHANNEL}`);
      if (closed) {
        await c.end();
        return;
      }
      client = c;
      cache.setEnabled(true);
    } catch {
      c.removeAllListeners('end');
      c.end().catch(() => undefined);
      again();
    }
  };
  ready = connect();

  return {
    // A notification committed before this query was sent arrives before its answer.
    async caughtUp() {
      await ready;
      await client?.query('SELECT 1').catch(() => undefined);
    },
    async close() {
      closed = true;
      clearTimeout(retry);
      await ready;
      const c = client;
      client = undefined;
      await c?.end().catch(() => undefined);
    },
  };
}
