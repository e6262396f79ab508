import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEBHOOK_FORMATS } from '../../src/core/webhooks/endpoint.js';
import { runSchedule } from '../../src/jobs/scheduler.js';
import { Worker } from '../../src/jobs/worker.js';
import { WEBHOOK_FORMATTERS } from '../../src/server.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { BACKENDS } from '../helpers/database.js';
import { testMailbox } from '../helpers/mail.js';
import { startReceiver } from '../helpers/receiver.js';
import { testHandlers } from '../helpers/worker.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

const holder = { first_name: 'Max', last_name: 'Mustermann', email: 'max@example.com' };
const bindBody = (extra: Record<string, unknown> = {}) => ({
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
  let t: TestApp;
  let worker: Worker;
  // Binding sends the policyholder a letter too; it lands here, out of the way.
  const mailbox = testMailbox();
  beforeAll(async () => {
    t = await buildTestApp({ backend });
    worker = new Worker(t.db, t.clock, testHandlers(t.db, { mailer: mailbox.mailer }));
  });
  afterAll(async () => {
    await t.close();
    mailbox.remove();
  });

  /** A partner with an endpoint subscribed to `types`, delivering to a fresh receiver. */
  async function subscribed(answer: (n: number) => number, types = ['*']) {
    const partner = await t.newPartner();
    const receiver = await startReceiver(answer);
    const res = await t.call({
      method: 'POST',
      url: '/v1/webhook-endpoints',
      key: partner.key,
      payload: { url: receiver.url, event_types: types },
    });
    expect(res.statusCode, res.body).toBe(201);
    return { ...partner, receiver, endpoint: res.json() as { id: string; secret: string } };
  }

  async function bind(key: string, extra: Record<string, unknown> = {}) {
    const res = await t.call({ method: 'POST', url: '/v1/policies', key, payload: bindBody(extra) });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; status: string };
  }

  it('a receiver that fails five times and then succeeds gets each event once, signed', async () => {
    const s = await subscribed((n) => (n < 10 ? 500 : 200), ['policy.created', 'policy.activated']);
    await bind(s.key);
    await worker.drain();
    expect(s.receiver.received).toHaveLength(2);
    for (const delay of [5 * SECOND, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR]) {
      t.clock.advance(delay);
      await worker.drain();
    }
    expect(s.receiver.received).toHaveLength(12);
    const verifier = new Webhook(s.endpoint.secret);
    for (const r of s.receiver.received) {
      const payload = verifier.verify(r.body, r.headers as Record<string, string>) as {
        type: string;
        data: { id: string };
      };
      expect(payload.type).toMatch(/^policy\.(created|activated)$/);
    }
    expect([...s.receiver.acceptedIds()]).toHaveLength(2);
    const log = await t.call({
      method: 'GET',
      url: `/v1/webhook-endpoints/${s.endpoint.id}/deliveries`,
      key: s.key,
    });
    for (const delivery of log.json().data) {
      expect(delivery.status).toBe('done');
      expect(delivery.attempts).toBe(6);
      expect(delivery.log.map((a: { response_status: number }) => a.response_status)).toEqual([
        500, 500, 500, 500, 500, 200,
      ]);
      expect(delivery.log.at(-1).outcome).toBe('succeeded');
      expect(typeof delivery.log[0].latency_ms).toBe('number');
    }
    await s.receiver.close();
  });

  it('a receiver that never succeeds is dead-lettered after about a day, then redelivered by hand', async () => {
    let up = false;
    const s = await subscribed(() => (up ? 204 : 503), ['policy.created']);
    await bind(s.key);
    await worker.drain();
    for (let i = 0; i < 10; i++) {
      t.clock.advance(10 * HOUR);
      await worker.drain();
    }
    expect(s.receiver.received).toHaveLength(8);
    const log = await t.call({
      method: 'GET',
      url: `/v1/webhook-endpoints/${s.endpoint.id}/deliveries`,
      key: s.key,
    });
    const [delivery] = log.json().data;
    expect(delivery.status).toBe('dead');
    expect(delivery.attempts).toBe(8);
    expect(delivery.last_error).toContain('503');

    up = true;
    const again = await t.call({
      method: 'POST',
      url: `/v1/webhook-deliveries/${delivery.id}/redeliver`,
      key: s.key,
    });
    expect(again.statusCode, again.body).toBe(202);
    expect(again.json().status).toBe('pending');
    await worker.drain();
    expect(s.receiver.received.at(-1)?.status).toBe(204);
    const after = await t.call({
      method: 'GET',
      url: `/v1/webhook-endpoints/${s.endpoint.id}/deliveries`,
      key: s.key,
    });
    expect(after.json().data[0].status).toBe('done');
    await s.receiver.close();
  });

  it('a worker killed in the middle of a batch loses nothing: the restart delivers the rest, ids stay the same', async () => {
    const s = await subscribed(() => 200, ['policy.created']);
    for (let i = 0; i < 6; i++) await bind(s.key);
    // The first worker claims the batch, delivers half of it, and dies before recording anything.
    const claimed = await t.db.transaction((repos) => repos.jobs.claim(t.clock.now(), 20, 60_000));
    const mine = claimed.filter((j) => j.endpointId === s.endpoint.id);
    expect(mine).toHaveLength(6);
    const send = testHandlers(t.db, { mailer: mailbox.mailer }).webhook;
    for (const job of mine.slice(0, 3)) await send(job);
    // Its lease runs out; a new worker takes the batch over.
    expect(await worker.drain()).toBe(0);
    t.clock.advance(61 * SECOND);
    await worker.drain();
    const ids = s.receiver.received.map((r) => String(r.headers['webhook-id']));
    expect(ids).toHaveLength(9);
    expect(s.receiver.acceptedIds().size).toBe(6);
    const events = new Set(mine.map((j) => j.eventId));
    expect(s.receiver.acceptedIds()).toEqual(events);
    await s.receiver.close();
  });

  it('two workers draining together never deliver the same job twice', async () => {
    const s = await subscribed(() => 200, ['policy.created']);
    for (let i = 0; i < 8; i++) await bind(s.key);
    const handlers = testHandlers(t.db, { mailer: mailbox.mailer });
    const other = new Worker(t.db, t.clock, handlers, { batchSize: 3 });
    const first = new Worker(t.db, t.clock, handlers, { batchSize: 3 });
    await Promise.all([first.drain(), other.drain()]);
    expect(s.receiver.received).toHaveLength(8);
    expect(s.receiver.acceptedIds().size).toBe(8);
    await s.receiver.close();
  });

  it('a policy that starts in a minute is scheduled, then activated by the scheduler, and the partner is told', async () => {
    const s = await subscribed(() => 200, ['policy.activated']);
    const start = new Date(t.clock.now().getTime() + MINUTE).toISOString();
    const policy = await bind(s.key, { coverage_start: start });
    expect(policy.status).toBe('scheduled');
    await runSchedule(t.db, t.clock, t.deps.ids);
    await worker.drain();
    expect(s.receiver.received).toHaveLength(0);
    t.clock.advance(MINUTE);
    expect(await runSchedule(t.db, t.clock, t.deps.ids)).toBeGreaterThanOrEqual(1);
    await worker.drain();
    const got = await t.call({ method: 'GET', url: `/v1/policies/${policy.id}`, key: s.key });
    expect(got.json().status).toBe('active');
    expect(s.receiver.received).toHaveLength(1);
    const body = JSON.parse(s.receiver.received[0]!.body);
    expect(body).toMatchObject({ type: 'policy.activated', data: { id: policy.id, status: 'active' } });
    const letters = await t.db.read.jobs.list(
      { partnerId: s.partnerId, mode: 'test' },
      { kind: 'policy_letter', limit: 10 },
    );
    expect(letters).toHaveLength(1);
    await s.receiver.close();
  });

  it('cancelling inside the cooling-off window refunds everything; after it, the unused days', async () => {
    const s = await subscribed(() => 200, ['policy.cancelled']);
    const early = await bind(s.key);
    const late = await bind(s.key);
    t.clock.advance(10 * 24 * HOUR);
    const inside = await t.call({
      method: 'POST',
      url: `/v1/policies/${early.id}/cancel`,
      key: s.key,
      payload: {},
    });
    expect(inside.json()).toMatchObject({
      outcome: 'cancelled',
      rule: 'cooling_off',
      refund: { amount: 8_990, currency: 'GBP' },
    });
    t.clock.advance(90 * 24 * HOUR);
    const after = await t.call({
      method: 'POST',
      url: `/v1/policies/${late.id}/cancel`,
      key: s.key,
      payload: {},
    });
    // 8 990 for 365 days, 100 used: 8 990 × 265 / 365 = 6 526.98… → 6 527.
    expect(after.json()).toMatchObject({ outcome: 'cancelled', rule: 'pro_rata', refund: { amount: 6_527 } });
    await worker.drain();
    const types = s.receiver.received.map((r) => JSON.parse(r.body).type);
    expect(types).toEqual(['policy.cancelled', 'policy.cancelled']);
    await s.receiver.close();
  });

  it('renewable cover sends renewal_due thirty days before the end, then expires', async () => {
    const s = await subscribed(() => 200, ['policy.renewal_due', 'policy.expired']);
    const policy = await bind(s.key);
    t.clock.advance(334 * 24 * HOUR);
    await runSchedule(t.db, t.clock, t.deps.ids);
    await worker.drain();
    expect(s.receiver.received).toHaveLength(0);
    t.clock.advance(2 * 24 * HOUR);
    await runSchedule(t.db, t.clock, t.deps.ids);
    await runSchedule(t.db, t.clock, t.deps.ids);
    await worker.drain();
    expect(s.receiver.received.map((r) => JSON.parse(r.body).type)).toEqual(['policy.renewal_due']);
    t.clock.advance(31 * 24 * HOUR);
    await runSchedule(t.db, t.clock, t.deps.ids);
    await worker.drain();
    expect(s.receiver.received.map((r) => JSON.parse(r.body).type)).toEqual([
      'policy.renewal_due',
      'policy.expired',
    ]);
    const got = await t.call({ method: 'GET', url: `/v1/policies/${policy.id}`, key: s.key });
    expect(got.json().status).toBe('expired');
    await s.receiver.close();
  });

  it('during a secret rotation deliveries carry two signatures, each valid', async () => {
    const s = await subscribed(() => 200, ['policy.created']);
    const rotated = await t.call({
      method: 'POST',
      url: `/v1/webhook-endpoints/${s.endpoint.id}/rotate-secret`,
      key: s.key,
      payload: {},
    });
    expect(rotated.statusCode, rotated.body).toBe(200);
    await bind(s.key);
    await worker.drain();
    const [delivery] = s.receiver.received;
    expect(String(delivery?.headers['webhook-signature']).split(' ')).toHaveLength(2);
    for (const secret of [s.endpoint.secret, rotated.json().secret]) {
      expect(() =>
        new Webhook(secret).verify(delivery!.body, delivery!.headers as Record<string, string>),
      ).not.toThrow();
    }
    await s.receiver.close();
  });
});
