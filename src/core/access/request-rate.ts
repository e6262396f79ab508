import type { Clock } from '../clock.js';
import type { Repositories } from '../ports.js';

/** Where a client stands against its limit after one more request. */
export interface RequestRate {
  limit: number;
  remaining: number;
  /** Unix seconds when the current window ends and the count starts again. */
  reset: number;
  allowed: boolean;
  /** Seconds to wait before the next request can be allowed (0 when this one was). */
  retryAfter: number;
}

const WINDOW_MS = 1000;

/**
 * Counts one request of `key` in its fixed one-second window, in the database, so every API process
 * counts against the same limit (one statement per request; see RequestRateRepository.add).
 */
export async function countRequest(
  deps: { repos: Repositories; clock: Clock },
  partnerId: string,
  key: string,
  limit: number,
): Promise<RequestRate> {
  const now = deps.clock.now().getTime();
  const { count, windowStart } = await deps.repos.requestRates.add(
    partnerId,
    key,
    new Date(now - (now % WINDOW_MS)),
  );
  return rateAfter(count, limit, now, windowStart.getTime());
}

/** The limit's state once the window starting at `windowStart` holds `count` requests (this one included). */
function rateAfter(count: number, limit: number, now: number, windowStart: number): RequestRate {
  const allowed = count <= limit;
  const end = windowStart + WINDOW_MS;
  return {
    limit,
    remaining: Math.max(0, limit - count),
    reset: Math.ceil(end / 1000),
    allowed,
    retryAfter: allowed ? 0 : Math.max(1, Math.ceil((end - now) / 1000)),
  };
}
