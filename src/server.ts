import { hkdfSync } from 'node:crypto';
import { customerLinkKey } from './auth/customer-link.js';
import type { Config } from './config.js';
import { systemClock } from './core/clock.js';
import { ulidIds } from './core/ids.js';
import { ensureDemo } from './demo/ensure-demo.js';
import { buildApp, WEBHOOK_FORMATTERS } from './http/app.js';
import type { App } from './http/context.js';
import { startBackground } from './jobs/background.js';
import { jobHandlers } from './jobs/handlers.js';
import { createMailer } from './jobs/letters/mailer.js';
import { protegoLogger } from './log.js';
import { type Database, type DatabaseTarget, openDatabase } from './storage/database.js';

function databaseTarget(config: Config): DatabaseTarget {
  return config.databaseUrl
    ? { kind: 'postgres', url: config.databaseUrl }
    : { kind: 'pglite', dataDir: config.dataDir };
}

/** Opens the configured database, migrated (unless `migrate: false`: another process migrated it). */
export async function openConfiguredDatabase(config: Config, opts = { migrate: true }): Promise<Database> {
  const db = await openDatabase(databaseTarget(config), config.encryptionKey, config.previousEncryptionKeys);
  if (opts.migrate) await db.migrate();
  return db;
}

/**
 * What is done once before API processes start on a database: migrate it, and load the demo into it
 * when it is empty (and `demo`). Returns whether the demo was loaded.
 */
export async function prepareDatabase(config: Config, opts: { demo: boolean }): Promise<boolean> {
  const db = await openConfiguredDatabase(config);
  try {
    return opts.demo ? await ensureDemo(db, systemClock, ulidIds(systemClock)) : false;
  } finally {
    await db.close();
  }
}

/** The outbox's handlers as configured: policy letters through SMTP_URL, or as .eml files in the mail folder. */
export function configuredHandlers(config: Config, db: Database) {
  const mailer = createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, mailDir: config.mailDir });
  return jobHandlers(db, {
    mailer,
    webhookFormats: WEBHOOK_FORMATTERS,
    customerLinks: {
      baseUrl: config.publicUrl.replace(/\/+$/, ''),
      key: customerLinkKey(tokenKey(config.encryptionKey)),
    },
  });
}

/** The access-token signing key, derived from the encryption key so there is no second secret to keep. */
function tokenKey(encryptionKey: Buffer): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', encryptionKey, 'protego', 'protego/access-tokens/v1', 32));
}

/**
 * Opens the store, migrates, loads the demo on an empty database, starts the scheduler and outbox
 * worker (unless `worker: false`, when they run as `protego worker`), and listens. With `prepared`,
 * another process (the cluster's primary) has migrated and loaded already: this one only serves.
 */
export async function startServer(
  config: Config,
  opts: { demo: boolean; worker: boolean; prepared?: boolean },
): Promise<{ app: App; demoLoaded: boolean }> {
  const db = await openConfiguredDatabase(config, { migrate: !opts.prepared });
  const clock = systemClock;
  const ids = ulidIds(clock);
  const demoLoaded = opts.demo && !opts.prepared ? await ensureDemo(db, clock, ids) : false;
  const logger = protegoLogger(config.logLevel);
  const app = await buildApp({
    services: {
      db,
      clock,
      ids,
      adminToken: config.adminToken,
      tokenKey: tokenKey(config.encryptionKey),
      xcoverRateLimits: config.xcoverRateLimits,
    },
    logger,
    publicUrl: config.publicUrl,
    ...(config.trustProxy !== undefined ? { trustProxy: config.trustProxy } : {}),
  });
  const background = opts.worker
    ? startBackground(
        { db, clock, ids, handlers: configuredHandlers(config, db), logger },
        { leaseMs: config.jobLeaseSeconds * 1000 },
      )
    : null;
  app.addHook('onClose', async () => {
    await background?.stop();
    await db.close();
  });
  await app.listen({ port: config.port, host: config.host });
  return { app, demoLoaded };
}

/** The scheduler and outbox worker alone, for deployments that run them apart from the API. */
export async function startWorker(config: Config): Promise<{ stop(): Promise<void> }> {
  const db = await openConfiguredDatabase(config);
  const clock = systemClock;
  const ids = ulidIds(clock);
  const logger = protegoLogger(config.logLevel);
  const handlers = configuredHandlers(config, db);
  const background = startBackground(
    { db, clock, ids, handlers, logger },
    { leaseMs: config.jobLeaseSeconds * 1000 },
  );
  logger.info('worker started');
  return {
    async stop() {
      await background.stop();
      await db.close();
    },
  };
}
