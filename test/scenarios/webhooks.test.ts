import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEBHOOK_FORMATS } from '../../src/core/webhooks/endpoint.js';
import { WEBHOOK_FORMATTERS } from '../../src/http/app.js';
import { Worker } from '../../src/jobs/worker.js';
import { BACKENDS } from '../helpers/database.js';
import { type Scenario, startScenario } from '../helpers/scenario.js';
import type { Json } from '../helpers/scenario-answer.js';
import type { Shop } from '../helpers/scenario-native.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

const holder = { first_name: 'Max', last_name: 'Mustermann', email: 'max@example.com' };
const bindBody = (extra: Json = {}) => ({
  product_code: 'product-protection',
  term_months: 12,
  country: 'GB',
  item: { category: 'laptop', brand: 'Lenovo', price: { amount: 89_900, currency: 'GBP' } },
  policyholder: holder,
  ...extra,
});

describe('webhook formats', () => {
  it('the server registers one formatter for each format an endpoint may name', () => {
    expect(WEBHOOK_FORMATTERS.map((f) => f.name).sort()).toEqual([...WEBHOOK_FORMATS].sort());
  });
});

describe.each(BACKENDS)('webhooks and the scheduler on %s', (backend) => {
  let s: Scenario;
  beforeAll(async () => {
    s = await startScenario({ backend });
  });
  afterAll(() => s.close());

  const bind = async (shop: Shop, extra: Json = {}) => (await shop.bind(bindBody(extra))).expect(201);

  it('a receiver that fails five times and then succeeds gets each event once, signed, in order', async () => {
    const shop = await s.shop();
    const hooks = await shop.subscribe(['policy.created', 'policy.activated'], (n) => (n < 5 ? 500 : 200));
    await bind(shop);
    await s.runJobs();
    // The policy's next event waits while its first is being retried: events of one policy arrive in order.
    expect(hooks.deliveries().map((d) => d.type)).toEqual(['policy.created']);
    for (const delay of [5 * SECOND, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR]) await s.later(delay);
    // Reading them verifies each signature.
    const deliveries = hooks.deliveries();
    expect(deliveries.map((d) => d.type)).toEqual([...Array(6).fill('policy.created'), 'policy.activated']);
    expect([...hooks.endpoint.receiver.acceptedIds()]).toHaveLength(2);
    const log = (await shop.deliveries(hooks.endpoint.id)).body.data;
    for (const delivery of log) {
      expect(delivery.status).toBe('done');
      expect(delivery.log.at(-1).outcome).toBe('succeeded');
      expect(typeof delivery.log[0].latency_ms).toBe('number');
    }
    expect(log.map((d: Json) => d.log.map((a: Json) => a.response_status)).sort()).toEqual([
      [200],
      [500, 500, 500, 500, 500, 200],
    ]);
  });

  it('a receiver that never succeeds is dead-lettered after about a day, then redelivered by hand', async () => {
    let up = false;
    const shop = await s.shop();
    const hooks = await shop.subscribe(['policy.created'], () => (up ? 204 : 503));
    await bind(shop);
    await s.runJobs();
    for (let i = 0; i < 10; i++) await s.later(10 * HOUR);
    expect(hooks.deliveries()).toHaveLength(8);
    const [delivery] = (await shop.deliveries(hooks.endpoint.id)).body.data;
    expect(delivery.status).toBe('dead');
    expect(delivery.attempts).toBe(8);
    expect(delivery.last_error).toContain('503');

    up = true;
    expect((await shop.redeliver(delivery.id)).expect(202).status).toBe('pending');
    await s.runJobs();
    expect(hooks.deliveries().at(-1)?.status).toBe(204);
    expect((await shop.deliveries(hooks.endpoint.id)).body.data[0].status).toBe('done');
  });

  it('a worker killed in the middle of a batch loses nothing: the restart delivers the rest, ids stay the same', async () => {
    const shop = await s.shop();
    const hooks = await shop.subscribe(['policy.created']);
    for (let i = 0; i < 6; i++) await bind(shop);
    // The first worker claims the batch, delivers half of it, and dies before recording anything.
    const claimed = await s.t.db.transaction((repos) => repos.jobs.claim(s.clock.now(), 20, 60_000));
    const mine = claimed.filter((j) => j.endpointId === hooks.endpoint.id);
    expect(mine).toHaveLength(6);
    for (const job of mine.slice(0, 3)) await s.handlers.webhook(job);
    // Its lease runs out; a new worker takes the batch over.
    expect(await s.worker.drain()).toBe(0);
    await s.later(61 * SECOND);
    expect(hooks.deliveries().map((d) => d.id)).toHaveLength(9);
    const accepted = hooks.endpoint.receiver.acceptedIds();
    expect(accepted.size).toBe(6);
    expect(accepted).toEqual(new Set(mine.map((j) => j.eventId)));
  });

  it('two workers draining together never deliver the same job twice', async () => {
    const shop = await s.shop();
    const hooks = await shop.subscribe(['policy.created']);
    for (let i = 0; i < 8; i++) await bind(shop);
    const other = new Worker(s.t.db, s.clock, s.handlers, { concurrency: 3 });
    const first = new Worker(s.t.db, s.clock, s.handlers, { concurrency: 3 });
    await Promise.all([first.drain(), other.drain()]);
    expect(hooks.deliveries()).toHaveLength(8);
    expect(hooks.endpoint.receiver.acceptedIds().size).toBe(8);
  });

  it('a policy that starts in a minute is scheduled, then activated by the scheduler, and the partner is told', async () => {
    const shop = await s.shop();
    const hooks = await shop.subscribe(['policy.activated']);
    const policy = await bind(shop, {
      coverage_start: new Date(s.clock.now().getTime() + MINUTE).toISOString(),
    });
    expect(policy.status).toBe('scheduled');
    await s.runJobs();
    expect(hooks.deliveries()).toHaveLength(0);
    expect((await s.later(MINUTE)).changed).toBeGreaterThanOrEqual(1);
    expect((await shop.policy(policy.id)).body.status).toBe('active');
    expect(hooks.deliveries()).toHaveLength(1);
    expect(hooks.deliveries()[0]?.body).toMatchObject({
      type: 'policy.activated',
      data: { id: policy.id, status: 'active' },
    });
    const letters = await s.t.db.read.jobs.list(shop.tenant, { kind: 'policy_letter', limit: 10 });
    expect(letters).toHaveLength(1);
  });

  it('cancelling inside the cooling-off window refunds everything; after it, the unused days', async () => {
    s.dayZero();
    const shop = await s.shop();
    const hooks = await shop.subscribe(['policy.cancelled']);
    const early = await bind(shop);
    const late = await bind(shop);
    await s.step('day 10: inside cooling-off, the whole premium comes back', async () => {
      expect((await shop.cancel(early.id)).body).toMatchObject({
        outcome: 'cancelled',
        rule: 'cooling_off',
        refund: { amount: 8_990, currency: 'GBP' },
      });
    });
    await s.step('day 100: after it, the unused days', async () => {
      // 8 990 for 365 days, 100 used: 8 990 × 265 / 365 = 6 526.98… → 6 527.
      expect((await shop.cancel(late.id)).body).toMatchObject({
        outcome: 'cancelled',
        rule: 'pro_rata',
        refund: { amount: 6_527 },
      });
      await s.runJobs();
      expect(hooks.deliveries().map((d) => d.type)).toEqual(['policy.cancelled', 'policy.cancelled']);
    });
  });

  it('renewable cover sends renewal_due thirty days before the end, then expires', async () => {
    s.dayZero();
    const shop = await s.shop();
    const hooks = await shop.subscribe(['policy.renewal_due', 'policy.expired']);
    const policy = await bind(shop);
    await s.step('day 334: nothing yet', async () => {
      expect(hooks.deliveries()).toHaveLength(0);
    });
    await s.step('day 336: renewal is due, and said once', async () => {
      await s.runJobs();
      expect(hooks.deliveries().map((d) => d.type)).toEqual(['policy.renewal_due']);
    });
    await s.step('day 367: cover has ended', async () => {
      expect(hooks.deliveries().map((d) => d.type)).toEqual(['policy.renewal_due', 'policy.expired']);
      expect((await shop.policy(policy.id)).body.status).toBe('expired');
    });
  });

  it('during a secret rotation deliveries carry two signatures, each valid', async () => {
    const shop = await s.shop();
    const hooks = await shop.subscribe(['policy.created']);
    const rotated = (await shop.rotateSecret(hooks.endpoint.id)).expect(200);
    await bind(shop);
    await s.runJobs();
    const [delivery] = hooks.deliveries();
    expect(String(delivery?.headers['webhook-signature']).split(' ')).toHaveLength(2);
    for (const secret of [hooks.endpoint.secret, rotated.secret]) {
      expect(() => new Webhook(secret).verify(delivery!.raw, delivery!.headers)).not.toThrow();
    }
  });
});
