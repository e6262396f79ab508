import type { Clock } from '../clock.js';
import { RateLimited } from '../errors.js';
import type { Repositories } from '../ports.js';

/**
 * Refused credentials per client address: past `limit` in one window, the address is answered 429 with
 * the wait until the window ends instead of 401. Keys and client secrets are long random strings, so
 * this is not what keeps them from being guessed; it keeps a misconfigured or hostile client from
 * hammering the credential lookups. Counted in the database, so every process agrees.
 */
const FAILED_ATTEMPTS = { limit: 100, windowMs: 5 * 60_000 };

export async function countFailedAttempt(
  deps: { repos: Repositories; clock: Clock },
  source: string,
  rule: { limit: number; windowMs: number } = FAILED_ATTEMPTS,
): Promise<void> {
  const now = deps.clock.now().getTime();
  const windowStart = now - (now % rule.windowMs);
  const count = await deps.repos.failedAttempts.add(source, new Date(windowStart));
  if (count > rule.limit) {
    const retryAfterSeconds = Math.ceil((windowStart + rule.windowMs - now) / 1000);
    throw new RateLimited(
      `too many refused credentials from ${source}; try again in ${retryAfterSeconds} s`,
      retryAfterSeconds,
    );
  }
}
