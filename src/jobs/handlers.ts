import type { Clock } from '../core/clock.js';
import type { Store } from '../storage/store.js';
import type { JobHandlers } from './worker.js';
import { AttemptFailed } from './worker.js';
import { webhookHandler } from './webhooks/deliver.js';

export interface HandlerOptions {
  /** Wall-clock time for transport timestamps (webhook signatures); business time is the store's clock. */
  wallClock?: Clock;
}

/** One handler per kind of job in the outbox. */
export function jobHandlers(store: Store, options: HandlerOptions = {}): JobHandlers {
  return {
    webhook: webhookHandler(store, options.wallClock),
    policy_letter: async () => {
      throw new AttemptFailed('policy letters are not wired yet');
    },
  };
}
