import { performance } from 'node:perf_hooks';
import type { Clock } from '../core/clock.js';
import { type Job, type JobKind, nextRunAfterFailure } from '../core/notifications/job.js';
import type { Database } from '../storage/database.js';

/** A failed attempt; the job is tried again later, as its kind's schedule says. */
export class AttemptFailed extends Error {
  constructor(
    message: string,
    readonly responseStatus: number | null = null,
  ) {
    super(message);
  }
}

/** A failure no retry can mend (the endpoint was deleted): the job is dead-lettered at once. */
export class PermanentFailure extends Error {}

export type JobHandler = (job: Job) => Promise<{ responseStatus?: number }>;
export type JobHandlers = Record<JobKind, JobHandler>;

export interface WorkerOptions {
  batchSize?: number;
  /** How long a claimed job is ours; past it, another worker may take it over (we are presumed dead). */
  leaseMs?: number;
}

/**
 * Drains the outbox: claims ready jobs, runs each, records the attempt and where the job goes next.
 * Any number of workers can share one PostgreSQL database; none runs a job another holds.
 */
export class Worker {
  readonly #db: Database;
  readonly #clock: Clock;
  readonly #handlers: JobHandlers;
  readonly #batchSize: number;
  readonly #leaseMs: number;

  constructor(db: Database, clock: Clock, handlers: JobHandlers, options: WorkerOptions = {}) {
    this.#db = db;
    this.#clock = clock;
    this.#handlers = handlers;
    this.#batchSize = options.batchSize ?? 20;
    this.#leaseMs = options.leaseMs ?? 60_000;
  }

  /** Claims one batch and works it; returns how many jobs it took. */
  async runOnce(): Promise<number> {
    const jobs = await this.#db.transaction((repos) =>
      repos.jobs.claim(this.#clock.now(), this.#batchSize, this.#leaseMs),
    );
    await Promise.all(jobs.map((job) => this.#work(job)));
    return jobs.length;
  }

  /** Works until nothing is ready at the current time (tests and scenarios). */
  async drain(maxBatches = 1000): Promise<number> {
    let total = 0;
    for (let i = 0; i < maxBatches; i++) {
      const n = await this.runOnce();
      if (n === 0) break;
      total += n;
    }
    return total;
  }

  async #work(job: Job): Promise<void> {
    const startedAt = this.#clock.now();
    const t0 = performance.now();
    let outcome: 'succeeded' | 'retrying' | 'dead' = 'succeeded';
    let responseStatus: number | null = null;
    let error: string | null = null;
    let runAt: Date | null = null;
    try {
      responseStatus = (await this.#handlers[job.kind](job)).responseStatus ?? null;
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
      responseStatus = e instanceof AttemptFailed ? e.responseStatus : null;
      runAt =
        e instanceof PermanentFailure
          ? null
          : nextRunAfterFailure(job.kind, job.attempts, job.maxAttempts, this.#clock.now());
      outcome = runAt ? 'retrying' : 'dead';
    }
    const attempt = {
      jobId: job.id,
      attempt: job.attempts,
      startedAt,
      durationMs: Math.round(performance.now() - t0),
      outcome,
      responseStatus,
      error,
    };
    const next =
      outcome === 'succeeded'
        ? ({ status: 'done' } as const)
        : runAt
          ? ({ status: 'pending', runAt } as const)
          : ({ status: 'dead' } as const);
    await this.#db.transaction((repos) => repos.jobs.finish(job, attempt, next));
  }
}
