import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  adminToken: string;
  /** True when the admin token was made up at start, so it must be printed for the operator. */
  adminTokenGenerated: boolean;
  encryptionKey: Buffer;
  /** Keys used before `encryptionKey` (PROTEGO_PREVIOUS_ENCRYPTION_KEYS): still open what they sealed. */
  previousEncryptionKeys: Buffer[];
  logLevel: string;
  publicUrl: string;
  /** smtp:// or smtps:// URL of the mail server; none keeps outgoing mail as .eml files in `mailDir`. */
  smtpUrl: string | undefined;
  mailFrom: string;
  mailDir: string;
  /** XCover dialect: requests per second per API key (PROTEGO_XCOVER_RATE_LIMIT_LIVE / _TEST). */
  xcoverRateLimits: { live: number; test: number };
  /**
   * How long a worker holds a job it claimed (PROTEGO_JOB_LEASE_SECONDS): a worker that died mid-job
   * leaves it to the others this long after it claimed it.
   */
  jobLeaseSeconds: number;
  /**
   * API processes `protego serve` runs (PROTEGO_PROCESSES, or --processes), sharing one port through
   * Node's cluster; more than one needs DATABASE_URL.
   */
  processes: number;
  /**
   * PROTEGO_TRUST_PROXY: the proxies whose X-Forwarded-For names the client (the address failed attempts
   * are counted per): `true`, a hop count, or addresses and CIDR ranges, comma-separated. Unset: none.
   */
  trustProxy: boolean | number | string[] | undefined;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
export const DEFAULT_MAIL_FROM = 'Protego <policies@protego.local>';

/**
 * Reads the environment once at start and says everything that is wrong with it at once.
 * With no PROTEGO_ENCRYPTION_KEY, a key is made and kept in the data folder (fine for the embedded
 * database; a production deployment sets it, like DATABASE_URL).
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const port = Number(env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    problems.push(`PORT must be a port number, got "${env.PORT}"`);
  const dataDir = resolve(env.PROTEGO_DATA_DIR ?? './data');
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push('DATABASE_URL must be a postgres:// or postgresql:// URL');
  }
  const logLevel = env.LOG_LEVEL ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  const adminToken = env.PROTEGO_ADMIN_TOKEN ?? '';
  if (adminToken && adminToken.length < 16)
    problems.push('PROTEGO_ADMIN_TOKEN must be at least 16 characters');
  let encryptionKey: Buffer | undefined;
  if (env.PROTEGO_ENCRYPTION_KEY) {
    encryptionKey = Buffer.from(env.PROTEGO_ENCRYPTION_KEY, 'base64');
    if (encryptionKey.length !== 32) problems.push('PROTEGO_ENCRYPTION_KEY must be 32 bytes, base64-encoded');
  } else if (databaseUrl) {
    problems.push(
      'PROTEGO_ENCRYPTION_KEY is required with DATABASE_URL (32 bytes, base64: openssl rand -base64 32)',
    );
  }
  const previousEncryptionKeys = (env.PROTEGO_PREVIOUS_ENCRYPTION_KEYS ?? '')
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean)
    .map((k) => Buffer.from(k, 'base64'));
  if (previousEncryptionKeys.some((k) => k.length !== 32))
    problems.push(
      'PROTEGO_PREVIOUS_ENCRYPTION_KEYS must be 32-byte keys, base64-encoded, separated by commas',
    );
  const smtpUrl = env.SMTP_URL || undefined;
  if (smtpUrl && !isSmtpUrl(smtpUrl)) {
    problems.push('SMTP_URL must be an smtp:// or smtps:// URL with a host (smtp://user:pass@host:587)');
  }
  const mailFrom = env.MAIL_FROM || DEFAULT_MAIL_FROM;
  if (!/^[^<>@\s]+@[^<>@\s]+$|<[^<>@\s]+@[^<>@\s]+>$/.test(mailFrom.trim())) {
    problems.push(
      'MAIL_FROM must be an e-mail address, optionally with a name: Protego <policies@example.com>',
    );
  }
  const xcoverRateLimits = {
    live: positiveInteger(env, 'PROTEGO_XCOVER_RATE_LIMIT_LIVE', 50, problems),
    test: positiveInteger(env, 'PROTEGO_XCOVER_RATE_LIMIT_TEST', 10, problems),
  };
  const jobLeaseSeconds = positiveInteger(env, 'PROTEGO_JOB_LEASE_SECONDS', 60, problems, 'seconds');
  const processes = positiveInteger(env, 'PROTEGO_PROCESSES', 1, problems, 'processes');
  if (processes > 1 && !databaseUrl) {
    problems.push(
      `PROTEGO_PROCESSES=${processes} needs DATABASE_URL: the embedded database (PGlite) belongs to one process; run one process, or set DATABASE_URL to a PostgreSQL server that all of them share`,
    );
  }
  const trustProxy = parseTrustProxy(env.PROTEGO_TRUST_PROXY, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  const host = env.HOST ?? '0.0.0.0';
  return {
    port,
    host,
    dataDir,
    databaseUrl,
    adminToken: adminToken || randomBytes(24).toString('base64url'),
    adminTokenGenerated: !adminToken,
    encryptionKey: encryptionKey ?? localKey(dataDir),
    previousEncryptionKeys,
    logLevel,
    publicUrl: env.PROTEGO_PUBLIC_URL ?? `http://localhost:${port}`,
    smtpUrl,
    mailFrom: mailFrom.trim(),
    mailDir: join(dataDir, 'mail'),
    xcoverRateLimits,
    jobLeaseSeconds,
    processes,
    trustProxy,
  };
}

const ADDRESS_OR_RANGE = /^(\d{1,3}(\.\d{1,3}){3}|[0-9a-fA-F:]*:[0-9a-fA-F:.]*)(\/\d{1,3})?$/;

function parseTrustProxy(raw: string | undefined, problems: string[]): Config['trustProxy'] {
  const value = raw?.trim();
  if (!value || value === 'false') return undefined;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  const ranges = value.split(',').map((r) => r.trim());
  if (ranges.every((r) => ADDRESS_OR_RANGE.test(r))) return ranges;
  problems.push(
    'PROTEGO_TRUST_PROXY must be true, a hop count, or addresses/CIDR ranges separated by commas (10.0.0.0/8,127.0.0.1)',
  );
  return undefined;
}

function positiveInteger(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  problems: string[],
  unit = 'requests per second',
): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    problems.push(`${name} must be a whole number of ${unit} (1 or more), got "${raw}"`);
    return fallback;
  }
  return value;
}

function localKey(dataDir: string): Buffer {
  const file = join(dataDir, 'encryption.key');
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, key.toString('base64'), { mode: 0o600 });
  return key;
}

function isSmtpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'smtp:' || url.protocol === 'smtps:') && url.hostname !== '';
  } catch {
    return false;
  }
}
