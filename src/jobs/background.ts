import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../core/clock.js';
import type { IdGenerator } from '../core/ids.js';
import type { Database } from '../storage/database.js';
import { runSchedule } from './scheduler.js';
import { type JobHandlers, Worker } from './worker.js';

export interface Background {
  stop(): Promise<void>;
}

/**
 * The scheduler and the outbox worker on a timer: inside `protego serve` by default, or alone as
 * `protego worker`. Stopping waits for the round in progress, so no claimed job is abandoned.
 */
export function startBackground(
  deps: { db: Database; clock: Clock; ids: IdGenerator; handlers: JobHandlers; logger: FastifyBaseLogger },
  opts: { intervalMs?: number; leaseMs?: number } = {},
): Background {
  const intervalMs = opts.intervalMs ?? 1000;
  const worker = new Worker(deps.db, deps.clock, deps.handlers, { leaseMs: opts.leaseMs });
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let round: Promise<void> = Promise.resolve();
  const tick = async () => {
    try {
      const changed = await runSchedule(deps.db, deps.clock, deps.ids);
      const worked = await worker.drain(50);
      if (changed + worked > 0) deps.logger.info({ scheduled: changed, jobs: worked }, 'background round');
    } catch (error) {
      deps.logger.error({ err: error }, 'background round failed; trying again next round');
    }
  };
  const loop = () => {
    if (stopped) return;
    round = tick().then(() => {
      if (!stopped) timer = setTimeout(loop, intervalMs);
    });
  };
  loop();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await round;
    },
  };
}
