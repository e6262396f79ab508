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
 * The scheduler on a timer and the outbox worker as a pool that runs on (it claims as slots free up and
 * looks for new jobs every `intervalMs`): inside `protego serve` by default, or alone as `protego worker`.
 * Stopping waits for the scheduler's round and the jobs in flight, so no claimed job is abandoned.
 */
export function startBackground(
  deps: { db: Database; clock: Clock; ids: IdGenerator; handlers: JobHandlers; logger: FastifyBaseLogger },
  opts: { intervalMs?: number; leaseMs?: number; concurrency?: number } = {},
): Background {
  const intervalMs = opts.intervalMs ?? 1000;
  const worker = new Worker(deps.db, deps.clock, deps.handlers, {
    leaseMs: opts.leaseMs,
    concurrency: opts.concurrency,
  });
  const running = worker.start({
    pollMs: intervalMs,
    onError: (error) => deps.logger.error({ err: error }, 'outbox worker failed; trying again next round'),
  });
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let round: Promise<void> = Promise.resolve();
  const tick = async () => {
    try {
      const changed = await runSchedule(deps.db, deps.clock, deps.ids);
      if (changed > 0) deps.logger.info({ scheduled: changed }, 'background round');
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
      await running.stop();
    },
  };
}
