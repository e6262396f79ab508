import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSchedule } from '../../src/jobs/scheduler.js';
import { Worker } from '../../src/jobs/worker.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { BACKENDS } from '../helpers/database.js';
import { testMailbox } from '../helpers/mail.js';
import { startReceiver } from '../helpers/receiver.js';
import { testHandlers } from '../helpers/worker.js';
import { xcoverClient } from '../http/xcover/client.js';

/**
 * A year of XCover bookings through the public API with the clock moved: renewal quoted and confirmed,
 * renewal declined, instalments missed, part of a booking cancelled after cooling-off, and the partner's
 * XCover-format webhooks along the way.
 */

const DAY = 86_400_000;
// biome-ignore lint/suspicious/noExplicitAny: answers are read field by field in assertions
type Json = Record<string, any>;

const laptop = (price: number, start = '2026-03-02T10:00:00Z') => ({
  policy_type: 'product-protection',
  policy_start_date: start,
  products: [{ name: 'Acme X1 laptop', price, category: 'laptop', brand: 'Acme' }],
});
const holder = { first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.com', country: 'GB' };

describe.each(BACKENDS)('XCover lifecycle on %s', (backend) => {
  let t: TestApp;
  let send: ReturnType<typeof xcoverClient>;
  let worker: Worker;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const mailbox = testMailbox();

  beforeAll(async () => {
    t = await buildTestApp({
      backend,
      now: '2026-03-02T10:00:00Z',
      xcoverRateLimits: { live: 1000, test: 1000 },
    });
    send = xcoverClient(t);
    worker = new Worker(t.db, t.clock, testHandlers(t.db, { mailer: mailbox.mailer }));
    receiver = await startReceiver();
    const endpoint = await t.admin({
      method: 'POST',
      url: '/admin/v1/partners/electroshop/webhook-endpoints?mode=test',
      payload: { url: receiver.url, event_types: ['*'], format: 'xcover' },
    });
    expect(endpoint.statusCode, endpoint.body).toBe(201);
  });
  afterAll(async () => {
    await receiver?.close();
    await t?.close();
    mailbox.remove();
  });

  const events = () => receiver.received.map((r) => JSON.parse(r.body) as { event: string; payload: Json });
  const eventsFor = (bookingId: string) =>
    events()
      .filter((e) => e.payload.id === bookingId)
      .map((e) => e.event);
  async function instant(request: Json[], extra: Json = {}) {
    const res = await send('POST', 'instant_booking/', {
      request,
      currency: 'GBP',
      policyholder: holder,
      ...extra,
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Json;
  }
  async function advance(days: number) {
    t.clock.advance(days * DAY);
    await runSchedule(t.db, t.clock, t.deps.ids);
    await worker.drain();
  }

  it('a renewal quoted, confirmed and taken up when the first year ends', async () => {
    const booking = await instant([laptop(899)]);
    await worker.drain();
    expect(eventsFor(booking.id)).toContain('BOOKING_CREATED');

    // 30 days before the end the renewal falls due.
    await advance(340);
    expect(eventsFor(booking.id)).toContain('RENEWAL_DUE');
    const quoted = await send('PATCH', `renewals/${booking.id}/quote_for_renewal/`, null);
    expect(quoted.statusCode, quoted.body).toBe(200);
    const renewal = quoted.json() as Json;
    expect(renewal.renewal_id).toMatch(/-RNW$/);
    // The next term: the same 89.90 for a year from the end of this one.
    expect(renewal.quotes[0]).toMatchObject({ status: 'RECEIVED', price: 89.9 });
    expect(renewal.quotes[0].policy_start_date).toBe(booking.quotes[0].policy_end_date);

    const confirmed = await send('POST', `renewals/${booking.id}/confirm/${renewal.renewal_id}/`, null);
    expect(confirmed.statusCode, confirmed.body).toBe(201);
    expect(confirmed.json().quotes[0].next_renewal).toMatchObject({
      status: 'CONFIRMED',
      price: 89.9,
      policy_start_date: booking.quotes[0].policy_end_date,
    });
    await worker.drain();
    expect(eventsFor(booking.id)).toContain('RENEWAL_CREATED');
    const again = await send('PATCH', `renewals/${booking.id}/quote_for_renewal/`, null);
    expect(again.statusCode).toBe(409);

    await advance(30);
    const after = (await send('GET', `bookings/${booking.id}/`)).json() as Json;
    expect(after.status).toBe('RENEWED');
    expect(after.quotes[0].status).toBe('RENEWED');
    expect(eventsFor(booking.id)).not.toContain('RENEWAL_EXPIRED');
  });

  it('a renewal declined: none can be quoted, and the cover ends with RENEWAL_EXPIRED', async () => {
    const booking = await instant([laptop(899, t.clock.now().toISOString())]);
    const out = await send('POST', `renewals/${booking.id}/opt_out/`, null);
    expect(out.statusCode, out.body).toBe(204);
    const refused = await send('PATCH', `renewals/${booking.id}/quote_for_renewal/`, null);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().type).toBe('conflict_error');
    // A customer who declined is not reminded that renewal is due.
    await advance(340);
    expect(eventsFor(booking.id)).not.toContain('RENEWAL_DUE');
    await advance(26);
    expect(eventsFor(booking.id)).toContain('RENEWAL_EXPIRED');
    expect((await send('GET', `bookings/${booking.id}/`)).json().quotes[0].status).toBe('CONFIRMED');
  });

  it('instalments: paid on time the cover holds; a missed one lapses it with BOOKING_CANCELLED', async () => {
    const start = t.clock.now().toISOString();
    const pkg = (
      await send('POST', 'quotes/', {
        request: [laptop(899, start)],
        currency: 'GBP',
        customer_country: 'GB',
      })
    ).json() as Json;
    const quoteId = pkg.quotes['0'].id;
    expect(pkg.quotes['0'].instalment_plans.map((p: Json) => p.name)).toEqual(['monthly', 'quarterly']);
    const booked = await send('POST', `bookings/${pkg.id}/`, {
      quotes: [{ id: quoteId, instalment_plan: 'monthly' }],
      policyholder: holder,
    });
    expect(booked.statusCode, booked.body).toBe(200);
    const pay = (n: number) =>
      send('POST', `bookings/${pkg.id}/instalments/`, {
        quotes: [
          {
            id: quoteId,
            instalment_number: n,
            payment_status: 'PAID',
            payment_attempted_date: t.clock.now().toISOString(),
          },
        ],
      });
    expect((await pay(1)).statusCode).toBe(204);
    await advance(31);
    expect((await pay(2)).statusCode).toBe(204);
    const schedule = (await send('GET', `bookings/${pkg.id}/instalments/`)).json() as Json;
    expect(schedule.quotes[0].payment_schedule.slice(0, 3).map((i: Json) => i.status)).toEqual([
      'PAID',
      'PAID',
      'UNPAID',
    ]);
    expect(schedule.quotes[0].next_payment.number).toBe(3);
    // Instalment 3 is due about 61 days in and never paid: 14 days later the cover lapses.
    await advance(30);
    expect((await send('GET', `bookings/${pkg.id}/`)).json().status).toBe('CONFIRMED');
    await advance(15);
    const lapsed = (await send('GET', `bookings/${pkg.id}/`)).json() as Json;
    expect(lapsed.status).toBe('CANCELLED');
    expect(eventsFor(pkg.id)).toContain('BOOKING_CANCELLED');
    expect((await pay(3)).statusCode).toBe(409);
    const ended = (await send('GET', `bookings/${pkg.id}/instalments/`)).json() as Json;
    expect(ended.quotes[0]).toMatchObject({ next_payment: null, total_amount_due: 0 });
    expect(ended.quotes[0].payment_schedule.map((i: Json) => i.status).slice(1, 4)).toEqual([
      'PAID',
      'CANCELLED',
      'CANCELLED',
    ]);
  });

  it('one quote of two cancelled after cooling-off: pro-rata refund, the other stays', async () => {
    const start = t.clock.now().toISOString();
    const booking = await instant([laptop(899, start), laptop(1999, start)]);
    expect(booking.total_price).toBe(89.9 + 199.9);
    await advance(61);
    const first = booking.quotes[0].id;
    const preview = await send('POST', `bookings/${booking.id}/cancel`, {
      preview: true,
      quotes: [{ id: first }],
    });
    expect(preview.statusCode, preview.body).toBe(200);
    const p = preview.json() as Json;
    // 304 of 365 days left: 89.90 × 304 / 365 = 74.8756, 74.88 rounded.
    expect(p.quotes).toHaveLength(1);
    expect(p.quotes[0]).toMatchObject({
      id: first,
      refund_value: 74.88,
      adjustment_fee: 15.02,
      refund_rule: 'pro_rata',
    });
    expect(p).toMatchObject({ status: 'CONFIRMED', total_price: 199.9, total_refund: 74.88 });
    const done = await send(
      'POST',
      `bookings/${booking.id}/confirm_cancellation/${p.cancellation_id}/`,
      null,
    );
    expect(done.statusCode, done.body).toBe(200);
    const got = (await send('GET', `bookings/${booking.id}/`)).json() as Json;
    expect(got.quotes.map((q: Json) => q.status)).toEqual(['CANCELLED', 'CONFIRMED']);
    expect(got.total_price).toBe(199.9);
    const reused = await send(
      'POST',
      `bookings/${booking.id}/confirm_cancellation/${p.cancellation_id}/`,
      null,
    );
    expect(reused.statusCode).toBe(404);
  });
});
