import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { Clock } from '../core/clock.js';
import type { IdGenerator } from '../core/ids.js';
import type { Tenant } from '../core/partners/partner.js';
import type { CoreDeps, Repositories, UnitOfWork } from '../core/ports.js';

/** What every route reaches through `app.protego`. */
export interface Services {
  db: UnitOfWork;
  clock: Clock;
  ids: IdGenerator;
  adminToken: string;
  /** HS256 key of the access tokens the dialects issue (Omocom OAuth2); derived from the encryption key. */
  tokenKey: Uint8Array;
  /**
   * Wall-clock time for transport checks (signature Date skew, rate-limit windows); `clock` is business
   * time, which tests move by hand. Defaults to the system clock.
   */
  wallClock?: Clock;
  /** XCover dialect requests per second and API key, per mode; defaults to live 50, test 10. */
  xcoverRateLimits?: { live: number; test: number };
  /** Refused credentials an address may send per window before it is answered 429 (core/access). */
  failedAttempts?: { limit: number; windowMs: number };
}

export type App = FastifyInstance<
  Server,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

declare module 'fastify' {
  interface FastifyInstance {
    protego: Services;
  }
  interface FastifyRequest {
    /** Set by API-key authentication: the partner and mode the request acts for. */
    tenant: Tenant;
  }
}

export function coreDeps(services: Services, repos: Repositories): CoreDeps {
  return { repos, clock: services.clock, ids: services.ids };
}

/** Repositories outside a transaction, for reads. */
export function readDeps(services: Services): CoreDeps {
  return coreDeps(services, services.db.read);
}
