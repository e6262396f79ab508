import { afterEach, describe, expect, it, vi } from 'vitest';
import { Worker } from '../../src/jobs/worker.js';
import { BACKENDS } from '../helpers/database.js';
import { type Scenario, startScenario } from '../helpers/scenario.js';
import type { Json } from '../helpers/scenario-answer.js';
import type { Subscription } from '../helpers/scenario-webhooks.js';
import { testHandlers } from '../helpers/worker.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const POLICIES = 6;
const TYPES = ['policy.created', 'policy.activated'];

const bindBody = {
  product_code: 'product-protection',
  term_months: 12,
  country: 'GB',
  item: { category: 'laptop', brand: 'Lenovo', price: { amount: 89_900, currency: 'GBP' } },
  policyholder: { first_name: 'Max', last_name: 'Mustermann', email: 'max@example.com' },
};

/** What a receiver accepted, per policy, in the order it got them. */
function acceptedByPolicy(hooks: Subscription): Map<string, string[]> {
  const byPolicy = new Map<string, string[]>();
  for (const r of hooks.endpoint.receiver.received) {
    if (r.status >= 300) continue;
    const body = JSON.parse(r.body) as Json;
    byPolicy.set(body.data.id, [...(byPolicy.get(body.data.id) ?? []), body.type]);
  }
  return byPolicy;
}

describe.each(BACKENDS)('a webhook receiver that hangs, on %s', (backend) => {
  let s: Scenario | undefined;
  afterEach(async () => {
    await s?.close();
    s = undefined;
  });

  it('stalls no other endpoint; its own events are retried and arrive once it answers, in order, none lost', async () => {
    s = await startScenario({ backend });
    const scenario = s;
    const shop = await scenario.shop();
    let answer: number | 'hang' = 'hang';
    const slow = await shop.subscribe(TYPES, () => answer);
    const healthy = await shop.subscribe(TYPES);
    const policies: string[] = [];
    for (let i = 0; i < POLICIES; i++) policies.push((await shop.bind(bindBody)).expect(201).id);
    const handlers = (webhookTimeoutMs: number) =>
      testHandlers(scenario.t.db, { mailer: scenario.mail.mailer, webhookTimeoutMs });

    // 1. The slow receiver holds every request; the delivery timeout is long (a minute). The healthy
    //    receiver still gets all its events, while the slow one's first deliveries are in flight.
    const worker = new Worker(scenario.t.db, scenario.clock, handlers(MINUTE), { concurrency: 8 });
    const draining = worker.drain();
    await vi.waitFor(() => expect(healthy.deliveries()).toHaveLength(2 * POLICIES), { timeout: 30_000 });
    await vi.waitFor(() => expect(slow.endpoint.receiver.held()).toBe(4));
    // Half the slots at most go to one endpoint (4 of 8), and one job per policy and endpoint at a time.
    expect(slow.endpoint.receiver.received).toHaveLength(0);
    // Bounded rounds: each round claimed at least one job or followed one ending (no polling, no timers).
    expect(worker.claims).toBeLessThanOrEqual(2 * POLICIES + POLICIES + 4 + 1);
    for (const policy of policies) expect(acceptedByPolicy(healthy).get(policy)).toEqual(TYPES);

    // The slow receiver now answers with an error, its held requests too: those attempts fail and wait to
    // be retried; the policies' later events wait behind them.
    answer = 503;
    slow.endpoint.receiver.release(503);
    await draining;
    const slowJobs = async () =>
      (await scenario.t.db.read.jobs.list(shop.tenant, { endpointId: slow.endpoint.id, limit: 100 })).filter(
        (j) => j.kind === 'webhook',
      );
    expect((await slowJobs()).map((j) => j.attempts).sort()).toEqual([
      ...Array(POLICIES).fill(0),
      ...Array(POLICIES).fill(1),
    ]);

    // 2. Still hanging, with a short timeout: each attempt times out and is retried later.
    answer = 'hang';
    scenario.clock.advance(5 * SECOND);
    await new Worker(scenario.t.db, scenario.clock, handlers(200), { concurrency: 8 }).drain();
    // (The receiver learns that the sender gave up a moment after the sender does.)
    await vi.waitFor(() => expect(slow.endpoint.receiver.abandoned()).toBe(POLICIES));
    expect(slow.endpoint.receiver.held()).toBe(0);
    const timedOut = (await slowJobs()).filter((j) => j.attempts > 0);
    for (const job of timedOut) {
      expect(job.status).toBe('pending');
      expect(job.lastError).toMatch(/could not reach the endpoint/);
    }

    // 3. It answers again: the retries deliver everything, each policy's events in order, none lost.
    answer = 200;
    for (let i = 0; i < 4; i++) {
      scenario.clock.advance(30 * MINUTE);
      await new Worker(scenario.t.db, scenario.clock, handlers(MINUTE), { concurrency: 8 }).drain();
    }
    expect((await slowJobs()).map((j) => j.status)).toEqual(Array(2 * POLICIES).fill('done'));
    for (const hooks of [slow, healthy]) {
      expect(hooks.endpoint.receiver.acceptedIds().size).toBe(2 * POLICIES);
      for (const policy of policies) expect(acceptedByPolicy(hooks).get(policy)).toEqual(TYPES);
    }
  }, 60_000);
});
