import { performance } from 'node:perf_hooks';
import type { Clock } from '../core/clock.js';
import { type Job, type JobKind, nextRunAfterFailure } from '../core/notifications/job.js';
import type { FinishedJob } from '../core/ports.js';
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
  /**
   * At most this many jobs in flight at once. The worker is a pool: it claims as many jobs as it has free
   * slots, and claims again as soon as one frees up, so a slow job (a receiver that hangs until the
   * delivery times out) holds one slot, never the others.
   */
  concurrency?: number;
  /**
   * At most this many jobs of one webhook endpoint in flight at once, counting every worker's (half the
   * slots unless told), so the other endpoints always have slots.
   */
  perEndpoint?: number;
  /** How long a claimed job is ours; past it, another worker may take it over (we are presumed dead). */
  leaseMs?: number;
}

/** A worker running on its own until stopped (`protego serve`, `protego worker`). */
export interface RunningWorker {
  /** Claims no more, and waits for the jobs in flight, so no claimed job is abandoned. */
  stop(): Promise<void>;
}

/**
 * Drains the outbox: claims ready jobs, runs each, records the attempt and where the job goes next.
 * Any number of workers can share one PostgreSQL database; none runs a job another holds, and the claim
 * hands out only the oldest unfinished job of each policy for each endpoint (see JobRepository.claim), so
 * a policy's events reach an endpoint in order however many jobs are in flight.
 */
export class Worker {
  readonly #db: Database;
  readonly #clock: Clock;
  readonly #handlers: JobHandlers;
  readonly #concurrency: number;
  readonly #leaseMs: number;
  readonly #perEndpoint: number;
  /** Claims made so far: a test counts rounds with it, not milliseconds. */
  claims = 0;

  constructor(db: Database, clock: Clock, handlers: JobHandlers, options: WorkerOptions = {}) {
    this.#db = db;
    this.#clock = clock;
    this.#handlers = handlers;
    this.#concurrency = Math.max(1, options.concurrency ?? 20);
    this.#leaseMs = options.leaseMs ?? 60_000;
    this.#perEndpoint = Math.max(1, options.perEndpoint ?? Math.ceil(this.#concurrency / 2));
  }

  /**
   * Works until nothing is ready at the current time and nothing is in flight (tests, scenarios, one
   * background round); returns how many jobs it took.
   */
  drain(maxJobs = 100_000): Promise<number> {
    return this.#pool({ untilIdle: true, maxJobs, stopped: () => false });
  }

  /** Works until stopped, looking for new jobs every `pollMs` while it has a free slot. */
  start(opts: { pollMs?: number; onError?: (error: unknown) => void } = {}): RunningWorker {
    let stopped = false;
    let wakeSleep: () => void = () => {};
    let poke: () => void = () => {};
    const loop = (async () => {
      while (!stopped) {
        try {
          await this.#pool({
            untilIdle: false,
            maxJobs: Infinity,
            pollMs: opts.pollMs ?? 1000,
            stopped: () => stopped,
            onWait: (wake) => {
              poke = wake;
            },
          });
        } catch (error) {
          opts.onError?.(error);
          // The database is away: wait a poll before trying again, without spinning.
          await new Promise<void>((resolve) => {
            wakeSleep = resolve;
            setTimeout(resolve, opts.pollMs ?? 1000);
          });
        }
      }
    })();
    return {
      async stop() {
        stopped = true;
        poke();
        wakeSleep();
        await loop;
      },
    };
  }

  /**
   * The pool. Each round is one transaction that records the jobs finished since the last round and
   * claims as many as there are free slots: on PGlite, where one lock serialises every transaction, a
   * round's cost is shared by all the jobs it records and claims. An attempt is recorded only after its
   * job ran, so a worker that dies leaves its jobs to another once their lease runs out (at least once).
   */
  async #pool(opts: {
    untilIdle: boolean;
    maxJobs: number;
    pollMs?: number;
    stopped: () => boolean;
    /** Handed a function that ends the current wait (so stopping needs no poll to pass). */
    onWait?: (wake: () => void) => void;
  }): Promise<number> {
    const inFlight = new Set<Promise<void>>();
    const finished: FinishedJob[] = [];
    let total = 0;
    let wake: () => void = () => {};
    const record = (batch: FinishedJob[]) => this.#db.transaction((repos) => repos.jobs.finish(batch));
    try {
      for (;;) {
        const stopping = opts.stopped();
        const free = stopping ? 0 : Math.min(this.#concurrency - inFlight.size, opts.maxJobs - total);
        const batch = finished.splice(0);
        let claimed = 0;
        if (free > 0) {
          this.claims++;
          const now = this.#clock.now();
          const jobs = await this.#db.transaction(async (repos) => {
            await repos.jobs.finish(batch);
            return repos.jobs.claim(now, free, this.#leaseMs, this.#perEndpoint);
          });
          claimed = jobs.length;
          total += claimed;
          for (const job of jobs) {
            const running: Promise<void> = this.#work(job).then((f) => {
              inFlight.delete(running);
              finished.push(f);
              wake();
            });
            inFlight.add(running);
          }
          // Every slot asked for was filled: more may be ready; claim again when a slot frees.
          if (claimed === free && inFlight.size < this.#concurrency && total < opts.maxJobs) continue;
        } else if (batch.length > 0) {
          await record(batch);
        }
        if (
          inFlight.size === 0 &&
          finished.length === 0 &&
          (opts.untilIdle || stopping || total >= opts.maxJobs)
        )
          break;
        if (finished.length > 0) continue;
        // Wait for jobs to end (one may free the next job of its policy), or, running on, for the next poll.
        // A round is worth its transaction once a quarter of the slots are free, or when little is running.
        await new Promise<void>((resolve) => {
          wake = () => {
            if (this.#concurrency - inFlight.size >= Math.ceil(this.#concurrency / 4) || inFlight.size === 0)
              resolve();
          };
          opts.onWait?.(resolve);
          if (inFlight.size === 0 || !opts.untilIdle) setTimeout(resolve, opts.pollMs ?? 0);
        });
        wake = () => {};
      }
    } finally {
      // Leaving on a failure: let the jobs in flight end and record them if the database lets us;
      // whatever is not recorded runs again once its lease runs out.
      await Promise.all(inFlight);
      const rest = finished.splice(0);
      if (rest.length > 0) await record(rest).catch(() => {});
    }
    return total;
  }

  /** Runs one job; never throws (a failed attempt is an outcome), and writes nothing. */
  async #work(job: Job): Promise<FinishedJob> {
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
    const next: FinishedJob['next'] =
      outcome === 'succeeded'
        ? { status: 'done' }
        : runAt
          ? { status: 'pending', runAt }
          : { status: 'dead' };
    return { job, attempt, next };
  }
}
