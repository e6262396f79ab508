import { sql } from 'kysely';
import { DAY_MS, type ManualClock } from '../../src/core/clock.js';
import { RENEWAL_NOTICE_DAYS } from '../../src/core/policies/schedule.js';
import type { DueKind } from '../../src/core/ports.js';
import { runSchedule } from '../../src/jobs/scheduler.js';
import { type JobHandlers, Worker } from '../../src/jobs/worker.js';
import { buildTestApp, type TestApp } from './app.js';
import { findInconsistencies } from './consistency.js';
import type { Backend } from './database.js';
import { type TestMailbox, testMailbox } from './mail.js';
import { adminApi, nativeShop, type Shop } from './scenario-native.js';
import { omocomApi } from './scenario-omocom.js';
import { type Subscription, Webhooks } from './scenario-webhooks.js';
import { xcoverApi } from './scenario-xcover.js';
import { testHandlers } from './worker.js';

/**
 * Scenarios in the manner of Lago's spec/scenarios: stories told through the public APIs, with the clock
 * moved day by day and, on each simulated day, the scheduler run and the outbox worker drained, so cover
 * starts, ends, falls due for renewal and lapses, and webhooks and letters go out, as they would in
 * production. What came out is captured: `webhooks` (signatures verified) and `mail`.
 *
 *   const s = await startScenario({ backend, now: '2026-10-05T09:00:00Z' });
 *   const shop = await s.shop();
 *   await s.step('day 0: the customer buys cover from day 2', async () => { ... });
 *   await s.step('day 2: cover has started and the letter is out', async () => { ... });
 */
export async function startScenario(opts: {
  backend: Backend;
  now?: string;
  xcoverRateLimits?: { live: number; test: number };
}): Promise<Scenario> {
  const t = await buildTestApp(opts);
  return new Scenario(t, testMailbox(t.clock));
}

/** The scheduler's kinds of due work, spelled out so that a new kind fails to compile here until added. */
const DUE_KINDS = Object.keys({
  activation: true,
  expiry: true,
  renewal_notice: true,
} satisfies Record<DueKind, true>) as DueKind[];

export class Scenario {
  readonly clock: ManualClock;
  readonly handlers: JobHandlers;
  readonly worker: Worker;
  /** Every delivery to every endpoint the scenario registered. */
  readonly webhooks: Webhooks;
  readonly admin: ReturnType<typeof adminApi>;
  readonly #subscriptions: Subscription[] = [];
  readonly #subscribed = (s: Subscription) => this.#subscriptions.push(s);
  #dayZero: number;

  constructor(
    /** The app underneath, for what no public API shows (jobs, stored policies). */
    readonly t: TestApp,
    /** Letters sent, as .eml files. */
    readonly mail: TestMailbox,
  ) {
    this.clock = t.clock;
    this.#dayZero = t.clock.now().getTime();
    this.handlers = testHandlers(t.db, { mailer: mail.mailer });
    this.worker = new Worker(t.db, t.clock, this.handlers);
    this.webhooks = new Webhooks(() => this.#subscriptions.map((s) => s.endpoint));
    this.admin = adminApi(t, this.#subscribed);
  }

  /** A new partner of its own, selling the demo catalog, calling the native API. */
  async shop(): Promise<Shop> {
    return nativeShop(this.t, await this.t.newPartner(), this.#subscribed);
  }

  /** The XCover API, as the demo partner (electroshop). */
  xcover() {
    return xcoverApi(this.t);
  }

  /** The Omocom API, as the demo partner in Sweden. */
  omocom() {
    return omocomApi(this.t, 'electroshop', 'SE');
  }

  /** Whole days since day 0 (the start, or the last `dayZero()`). */
  get today(): number {
    return Math.floor((this.clock.now().getTime() - this.#dayZero) / DAY_MS);
  }

  /** Makes now day 0: each test of a shared scenario tells its story from its own day 0. */
  dayZero(): void {
    this.#dayZero = this.clock.now().getTime();
  }

  /** Runs the scheduler, then the worker until no job is ready, without moving the clock. */
  async runJobs(): Promise<{ changed: number; jobs: number }> {
    const changed = await runSchedule(this.t.db, this.clock, this.t.deps.ids);
    return { changed, jobs: await this.worker.drain() };
  }

  /** Goes to day `n` (counted from day 0, same time of day), a day at a time; stays if it is day `n`. */
  async day(n: number): Promise<void> {
    if (this.today !== n) await this.#travelTo(this.#dayZero + n * DAY_MS);
  }

  /** Moves `n` days on, a day at a time. */
  travelDays(n: number): Promise<void> {
    return this.#travelTo(this.clock.now().getTime() + n * DAY_MS);
  }

  /** Moves on to an exact instant: a day at a time, then the rest of the last day. */
  travelTo(at: string): Promise<void> {
    return this.#travelTo(new Date(at).getTime());
  }

  /** Moves the clock less than a day (a retry's back-off, a lease running out) and runs the jobs. */
  async later(ms: number): Promise<{ changed: number; jobs: number }> {
    this.clock.advance(ms);
    return this.runJobs();
  }

  /**
   * Runs one step of the story. A label starting `day N:` first goes to day N; a failure inside names the
   * simulated day and date and the step, so a broken story says where it broke.
   */
  async step<T>(label: string, work: () => Promise<T>): Promise<T> {
    const day = /^day (\d+):/.exec(label);
    if (day) await this.day(Number(day[1]));
    try {
      return await work();
    } catch (error) {
      const what = label.replace(/^day \d+:\s*/, '');
      if (error instanceof Error)
        error.message = `day ${this.today} (${this.clock.now().toISOString()}), ${what}:\n${error.message}`;
      throw error;
    }
  }

  /** Ends the scenario: whatever its stories did, the database must be left consistent (consistency.ts). */
  async close(): Promise<void> {
    const found = await findInconsistencies(this.t.db.kysely);
    await Promise.all(this.#subscriptions.map((s) => s.endpoint.receiver.close()));
    this.mail.remove();
    await this.t.close();
    if (Object.keys(found).length > 0) {
      throw new Error(`the scenario left the database inconsistent: ${JSON.stringify(found, null, 2)}`);
    }
  }

  /**
   * Stops at each day from now until `target` (then at `target` itself) and runs the jobs there. A day on
   * which the scheduler and the worker would find nothing to do is passed over without running them: the
   * outcome is the same, and a year takes a handful of queries instead of a few thousand. Whether
   * anything is due only grows with time until the jobs run, so the first busy day is found by bisection.
   */
  async #travelTo(target: number): Promise<void> {
    const now = this.clock.now().getTime();
    if (target < now) throw new Error(`cannot travel back from ${new Date(now).toISOString()}`);
    const stops: number[] = [];
    for (let at = now + DAY_MS; at < target; at += DAY_MS) stops.push(at);
    if (target > now) stops.push(target);
    while (stops.length > 0) {
      const next = await this.#firstBusy(stops);
      this.clock.set(new Date(stops[next]!));
      await this.runJobs();
      stops.splice(0, next + 1);
    }
  }

  /** The index of the first stop at which some work is due, or the last stop when none is. */
  async #firstBusy(stops: number[]): Promise<number> {
    const jobReady = await this.#nextJobReady();
    const busy = async (at: number) => jobReady <= at || (await this.#scheduleDue(new Date(at)));
    let [low, high] = [0, stops.length - 1];
    if (!(await busy(stops[high]!))) return high;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (await busy(stops[mid]!)) high = mid;
      else low = mid + 1;
    }
    return low;
  }

  /** Whether the scheduler would find a policy to move at `at`, asking it the questions it asks. */
  async #scheduleDue(at: Date): Promise<boolean> {
    const read = this.t.db.read;
    for (const kind of DUE_KINDS)
      if ((await read.policies.due(kind, at, 1, RENEWAL_NOTICE_DAYS)).length > 0) return true;
    return (await read.instalments.overdue(at, 1)).length > 0;
  }

  /** When the first pending job becomes ready for a worker (due, and not leased), in ms; Infinity if none. */
  async #nextJobReady(): Promise<number> {
    const row = await this.t.db.kysely
      .selectFrom('jobs')
      .where('status', '=', 'pending')
      .select(sql<Date | string | null>`min(greatest(run_at, coalesce(locked_until, run_at)))`.as('ready'))
      .executeTakeFirst();
    return row?.ready ? new Date(row.ready).getTime() : Number.POSITIVE_INFINITY;
  }
}
