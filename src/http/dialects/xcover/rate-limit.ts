import type { FastifyReply, FastifyRequest } from 'fastify';
import { systemClock } from '../../../core/clock.js';
import type { Mode } from '../../../core/partners/partner.js';
import type { Services } from '../../context.js';
import { signedKeyOf } from './authenticate.js';

/** XCover's limits per API key: testing keys get the lower one. */
const DEFAULT_XCOVER_RATE_LIMITS = { live: 50, test: 10 } as const;

const WINDOW_MS = 1000;

export interface RateLimitState {
  limit: number;
  remaining: number;
  /** Unix seconds when the current window ends and the count starts again. */
  reset: number;
  allowed: boolean;
  /** Seconds to wait before the next request can be allowed (0 when this one was). */
  retryAfter: number;
}

/**
 * Fixed one-second windows per key, in memory: fine for one process; behind a load balancer each API
 * process counts on its own. Windows of past seconds are swept when the second changes, so memory
 * holds only the keys seen in the current second.
 */
export class RateLimiter {
  readonly #limits: { live: number; test: number };
  readonly #now: () => number;
  readonly #windows = new Map<string, { start: number; count: number }>();
  #sweptAt = Number.NEGATIVE_INFINITY;

  constructor(limits: { live: number; test: number }, now: () => number = Date.now) {
    this.#limits = limits;
    this.#now = now;
  }

  /** Counts one request for `key` and says whether it is within the limit. */
  take(key: string, mode: Mode): RateLimitState {
    const now = this.#now();
    const start = Math.floor(now / WINDOW_MS) * WINDOW_MS;
    if (start !== this.#sweptAt) this.#sweep(start);
    let window = this.#windows.get(key);
    if (!window || window.start !== start) {
      window = { start, count: 0 };
      this.#windows.set(key, window);
    }
    const limit = this.#limits[mode];
    const allowed = window.count < limit;
    if (allowed) window.count += 1;
    const end = start + WINDOW_MS;
    return {
      limit,
      remaining: Math.max(0, limit - window.count),
      reset: Math.ceil(end / 1000),
      allowed,
      retryAfter: allowed ? 0 : Math.max(1, Math.ceil((end - now) / 1000)),
    };
  }

  /** How many keys are being counted (for tests: the sweep keeps this small). */
  get size(): number {
    return this.#windows.size;
  }

  #sweep(start: number): void {
    for (const [key, window] of this.#windows) if (window.start < start) this.#windows.delete(key);
    this.#sweptAt = start;
  }
}

/** Thrown when a key is over its limit; the XCover error handler answers 429 (Retry-After is already set). */
export class RateLimited extends Error {
  readonly retryAfter: number;
  constructor(retryAfter: number, limit: number) {
    super(`rate limit of ${limit} requests per second exceeded; retry after ${retryAfter} s`);
    this.name = 'RateLimited';
    this.retryAfter = retryAfter;
  }
}

/** One limiter per app (per Services object), made on first use. */
const limiters = new WeakMap<Services, RateLimiter>();

function rateLimiterFor(services: Services): RateLimiter {
  let limiter = limiters.get(services);
  if (!limiter) {
    const wall = services.wallClock ?? systemClock;
    limiter = new RateLimiter(services.xcoverRateLimits ?? DEFAULT_XCOVER_RATE_LIMITS, () =>
      wall.now().getTime(),
    );
    limiters.set(services, limiter);
  }
  return limiter;
}

/**
 * Counts an authenticated XCover request against its key's limit (call after authenticateXcover):
 * sets X-RateLimit-Limit, -Remaining and -Reset, and when over the limit sets Retry-After and throws
 * RateLimited.
 */
export function applyRateLimit(services: Services, request: FastifyRequest, reply: FastifyReply): void {
  const tenant = request.tenant;
  const key = signedKeyOf(request) ?? `${tenant.partnerId}:${tenant.mode}`;
  const state = rateLimiterFor(services).take(key, tenant.mode);
  reply.header('x-ratelimit-limit', String(state.limit));
  reply.header('x-ratelimit-remaining', String(state.remaining));
  reply.header('x-ratelimit-reset', String(state.reset));
  if (!state.allowed) {
    reply.header('retry-after', String(state.retryAfter));
    throw new RateLimited(state.retryAfter, state.limit);
  }
}
