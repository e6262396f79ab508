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
