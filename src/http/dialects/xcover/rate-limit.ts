import type { FastifyReply, FastifyRequest } from 'fastify';
import { countRequest } from '../../../core/access/request-rate.js';
import { systemClock } from '../../../core/clock.js';
import type { Services } from '../../context.js';
import { signedKeyOf } from './authenticate.js';

/** XCover's limits per API key: testing keys get the lower one. */
const DEFAULT_XCOVER_RATE_LIMITS = { live: 50, test: 10 } as const;

/** Thrown when a key is over its limit; the XCover error handler answers 429 (Retry-After is already set). */
export class RateLimited extends Error {
  readonly retryAfter: number;
  constructor(retryAfter: number, limit: number) {
    super(`rate limit of ${limit} requests per second exceeded; retry after ${retryAfter} s`);
    this.name = 'RateLimited';
    this.retryAfter = retryAfter;
  }
}

/**
 * Counts an authenticated XCover request against its key's limit (call after authenticateXcover), in
 * one-second windows counted in the database, so every API process agrees: sets X-RateLimit-Limit,
 * -Remaining and -Reset, and when over the limit sets Retry-After and throws RateLimited.
 */
export async function applyRateLimit(
  services: Services,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<void> {
  const tenant = request.tenant;
  const key = signedKeyOf(request) ?? `${tenant.partnerId}:${tenant.mode}`;
  const limit = (services.xcoverRateLimits ?? DEFAULT_XCOVER_RATE_LIMITS)[tenant.mode];
  const deps = { repos: services.db.read, clock: services.wallClock ?? systemClock };
  const state = await countRequest(deps, tenant.partnerId, key, limit);
  reply.header('x-ratelimit-limit', String(state.limit));
  reply.header('x-ratelimit-remaining', String(state.remaining));
  reply.header('x-ratelimit-reset', String(state.reset));
  if (!state.allowed) {
    reply.header('retry-after', String(state.retryAfter));
    throw new RateLimited(state.retryAfter, state.limit);
  }
}
