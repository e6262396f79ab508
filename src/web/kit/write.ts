import { decideRepeat, type IdempotencyScope } from '../../core/idempotency.js';
import type { CoreDeps } from '../../core/ports.js';
import type { Services } from '../../http/context.js';

/**
 * Runs a core use case in one transaction, all or nothing: the pages' only way to write. A form sent
 * twice is safe because the use cases are (a bound option's unit is held once by the database, a
 * confirmed cancellation answers again, a claim's second approval is refused by its state machine).
 */
export function write<T>(services: Services, work: (deps: CoreDeps) => Promise<T>): Promise<T> {
  return services.db.transaction((repos) => work({ repos, clock: services.clock, ids: services.ids }));
}

/**
 * `write` for a form whose use case is not safe twice (filing a claim): the form's own key is taken in
 * the work's transaction, so a form sent again gets the first result, and a refused or crashed one
 * leaves the key free. The same key with other content, or while the first runs, throws `refuse()`.
 */
export function writeOnce<T>(
  services: Services,
  once: { scope: IdempotencyScope; hash: string } | undefined,
  work: (deps: CoreDeps) => Promise<T>,
  refuse: () => Error,
): Promise<T> {
  if (!once) return write(services, work);
  return write(services, async (deps) => {
    const existing = await deps.repos.idempotency.claim(once.scope, once.hash, services.clock.now());
    if (existing) {
      const repeat = decideRepeat(existing, once.hash);
      if (repeat.kind !== 'replay') throw refuse();
      return JSON.parse(repeat.response.body) as T;
    }
    const result = await work(deps);
    await deps.repos.idempotency.complete(once.scope, { status: 200, body: JSON.stringify(result) });
    return result;
  });
}
