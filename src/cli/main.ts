#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { type Config, ConfigError, loadConfig } from '../config.js';
import { systemClock } from '../core/clock.js';
import { ulidIds } from '../core/ids.js';
import { DEMO_CREDENTIALS, DEMO_PARTNER } from '../demo/catalog.js';
import { resetDemo } from '../demo/ensure-demo.js';
import { openConfiguredDatabase, startWorker } from '../server.js';
import { consoleUserCommand, readFirstLine } from './console-user.js';
import { mailCommand } from './mail.js';
import { serve } from './serve.js';
import { type Output, statementCommand } from './statement.js';

const USAGE = `protego <command>

  serve [--processes N]
                      run the API (loads the demo catalog into an empty database unless PROTEGO_DEMO=off),
                      with the scheduler and outbox worker inside unless PROTEGO_WORKER=off; N processes
                      share the port (Node's cluster) and need DATABASE_URL
  worker              run the scheduler and outbox worker alone (several may share one PostgreSQL)
  migrate             apply pending database migrations and exit
  reseal              seal every stored secret and personal id again with PROTEGO_ENCRYPTION_KEY, so the keys
                      in PROTEGO_PREVIOUS_ENCRYPTION_KEYS can be dropped (in batches; safe to run again)
  demo [--reset]      load the demo catalog and partner; --reset erases the demo partner's data first
  partners            list partners with their markets and products
  statement --partner <code> --month YYYY-MM [--mode live|test] [--csv]
                      a partner's statement for a calendar month (UTC), live by default, as JSON or CSV
  console-user --email <address> --name <name> [--partner <code>]
                      create a console user (an operator, or with --partner a partner user); the password
                      is read from stdin, e.g. printf '%s\n' "$PASSWORD" | protego console-user ...
  mail [--show <file>] the policy letters kept as .eml files (no SMTP_URL), newest first; --show prints one
  help                this text

Configuration (environment): PORT (8080), HOST (0.0.0.0), PROTEGO_DATA_DIR (./data, the embedded database),
DATABASE_URL (PostgreSQL instead), PROTEGO_ENCRYPTION_KEY (required with DATABASE_URL),
PROTEGO_PREVIOUS_ENCRYPTION_KEYS (keys rotated out, comma-separated), PROTEGO_ADMIN_TOKEN,
PROTEGO_PUBLIC_URL, PROTEGO_TRUST_PROXY (true, hop count or CIDRs), PROTEGO_DEMO (on|off), PROTEGO_WORKER (on|off), PROTEGO_JOB_LEASE_SECONDS (60), PROTEGO_PROCESSES (1), LOG_LEVEL (info),
SMTP_URL (smtp:// or smtps://; none keeps mail as .eml files in PROTEGO_DATA_DIR/mail), MAIL_FROM.`;

const stdio: Output = {
  out: (text) => process.stdout.write(text),
  err: (text) => console.error(text),
};

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      reset: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
      partner: { type: 'string' },
      month: { type: 'string' },
      mode: { type: 'string' },
      csv: { type: 'boolean', default: false },
      show: { type: 'string' },
      processes: { type: 'string' },
      email: { type: 'string' },
      name: { type: 'string' },
    },
  });
  const command = positionals[0] ?? 'help';
  if (values.help || command === 'help') {
    console.log(USAGE);
    return 0;
  }
  const config = loadConfig(
    values.processes === undefined ? process.env : { ...process.env, PROTEGO_PROCESSES: values.processes },
  );
  switch (command) {
    case 'serve': {
      const demo = (process.env.PROTEGO_DEMO ?? 'on') !== 'off';
      const worker = (process.env.PROTEGO_WORKER ?? 'on') !== 'off';
      await serve(config, { demo, worker }, (demoLoaded) => printBanner(config, demoLoaded));
      return -1;
    }
    case 'worker': {
      const worker = await startWorker(config);
      const stop = async () => {
        await worker.stop();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      return -1;
    }
    case 'migrate': {
      const db = await openConfiguredDatabase(config);
      console.log('migrations applied; schema is current');
      await db.close();
      return 0;
    }
    case 'reseal': {
      const db = await openConfiguredDatabase(config);
      const resealed = await db.reseal();
      console.log(
        `${resealed} sealed values sealed again with the current key; the previous keys can be dropped`,
      );
      await db.close();
      return 0;
    }
    case 'demo': {
      const db = await openConfiguredDatabase(config);
      const ids = ulidIds(systemClock);
      if (!values.reset && (await db.read.partners.getByCode(DEMO_PARTNER.code))) {
        console.log('the demo partner exists already; use --reset to erase and reload it');
      } else {
        await resetDemo(db, systemClock, ids);
        console.log(`demo catalog and partner "${DEMO_PARTNER.code}" loaded`);
        printCredentials();
      }
      await db.close();
      return 0;
    }
    case 'partners': {
      const db = await openConfiguredDatabase(config);
      for (const p of await db.read.partners.list()) {
        const products = await db.read.partners.enabledProducts(p.id);
        console.log(
          `${p.code}\t${p.name}\tmarkets ${p.markets.map((m) => `${m.country}/${m.currency}`).join(' ')}\tproducts ${products.map((e) => e.productCode).join(' ')}`,
        );
      }
      await db.close();
      return 0;
    }
    case 'statement': {
      const db = await openConfiguredDatabase(config);
      const code = await statementCommand(db, systemClock, values, stdio);
      await db.close();
      return code;
    }
    case 'console-user': {
      const password = await readFirstLine(process.stdin);
      const db = await openConfiguredDatabase(config);
      const code = await consoleUserCommand(db, systemClock, values, password, stdio);
      await db.close();
      return code;
    }
    case 'mail':
      return mailCommand(config, { show: values.show }, stdio);
    default:
      console.error(`unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

function printCredentials(): void {
  const c = DEMO_CREDENTIALS;
  console.log(`  demo partner      ${DEMO_PARTNER.code} (test mode)`);
  console.log(`    API key         ${c.api_key}`);
  console.log(`    OAuth2 client   ${c.oauth.client_id} / ${c.oauth.client_secret}`);
  console.log(`    HMAC key        ${c.hmac.key_id} / ${c.hmac.secret}`);
}

function printBanner(config: Config, demoLoaded: boolean): void {
  console.log(`\nProtego is listening on ${config.publicUrl}`);
  console.log(
    `  API docs          ${config.publicUrl}/docs   (OpenAPI 3.1: ${config.publicUrl}/openapi.json)`,
  );
  console.log(
    `  database          ${config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded, in ${config.dataDir}`}`,
  );
  if (config.processes > 1) console.log(`  processes         ${config.processes} (Node's cluster, one port)`);
  if (demoLoaded) console.log('  demo catalog      loaded into the empty database');
  printCredentials();
  if (config.adminTokenGenerated) {
    console.log(
      `  admin token       ${config.adminToken}   (made up for this run: set PROTEGO_ADMIN_TOKEN to keep one)`,
    );
  }
  console.log('');
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(error instanceof ConfigError ? 2 : 1);
  },
);
