import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BACKENDS } from '../helpers/database.js';
import { type Scenario, startScenario } from '../helpers/scenario.js';
import type { Json } from '../helpers/scenario-answer.js';
import type { xcoverApi } from '../helpers/scenario-xcover.js';

/**
 * A year of XCover bookings through the public API with the clock moved: renewal quoted and confirmed,
 * renewal declined, instalments missed, part of a booking cancelled after cooling-off, and the partner's
 * XCover-format webhooks along the way. Each test tells its story from its own day 0.
 */

const laptop = (price: number, start = '2026-03-02T10:00:00Z') => ({
  policy_type: 'product-protection',
  policy_start_date: start,
  products: [{ name: 'Acme X1 laptop', price, category: 'laptop', brand: 'Acme' }],
});
const holder = { first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.com', country: 'GB' };

describe.each(BACKENDS)('XCover lifecycle on %s', (backend) => {
  let s: Scenario;
  let xcover: ReturnType<typeof xcoverApi>;

  beforeAll(async () => {
    s = await startScenario({
      backend,
      now: '2026-03-02T10:00:00Z',
      xcoverRateLimits: { live: 1000, test: 1000 },
    });
    xcover = s.xcover();
    await s.admin.subscribe('electroshop', ['*'], 'xcover');
  });
  afterAll(() => s.close());
  beforeEach(() => s.dayZero());

  const eventsFor = (bookingId: string) =>
    s.webhooks
      .deliveries()
      .filter((d) => d.body.payload.id === bookingId)
      .map((d) => d.type);
  const instant = async (request: Json[]) =>
    (await xcover.instantBooking({ request, currency: 'GBP', policyholder: holder })).expect(200);

  it('a renewal quoted, confirmed and taken up when the first year ends', async () => {
    const booking = await s.step('day 0: a laptop is booked', async () => {
      const booked = await instant([laptop(899)]);
      await s.runJobs();
      expect(eventsFor(booked.id)).toContain('BOOKING_CREATED');
      return booked;
    });
    await s.step('day 340: renewal is due; the shop quotes it and the customer confirms', async () => {
      expect(eventsFor(booking.id)).toContain('RENEWAL_DUE');
      const renewal = (await xcover.quoteRenewal(booking.id)).expect(200);
      expect(renewal.renewal_id).toMatch(/-RNW$/);
      // The next term: the same 89.90 for a year from the end of this one.
      expect(renewal.quotes[0]).toMatchObject({ status: 'RECEIVED', price: 89.9 });
      expect(renewal.quotes[0].policy_start_date).toBe(booking.quotes[0].policy_end_date);

      const confirmed = (await xcover.confirmRenewal(booking.id, renewal.renewal_id)).expect(201);
      expect(confirmed.quotes[0].next_renewal).toMatchObject({
        status: 'CONFIRMED',
        price: 89.9,
        policy_start_date: booking.quotes[0].policy_end_date,
      });
      await s.runJobs();
      expect(eventsFor(booking.id)).toContain('RENEWAL_CREATED');
      expect((await xcover.quoteRenewal(booking.id)).status).toBe(409);
    });
    await s.step('day 370: the renewal has taken over', async () => {
      const after = (await xcover.booking(booking.id)).body;
      expect(after.status).toBe('RENEWED');
      expect(after.quotes[0].status).toBe('RENEWED');
      expect(eventsFor(booking.id)).not.toContain('RENEWAL_EXPIRED');
    });
  });

  it('a renewal declined: none can be quoted, and the cover ends with RENEWAL_EXPIRED', async () => {
    const booking = await s.step('day 0: booked, and the customer opts out of renewal', async () => {
      const booked = await instant([laptop(899, s.clock.now().toISOString())]);
      expect((await xcover.optOutOfRenewal(booked.id)).status).toBe(204);
      const refused = await xcover.quoteRenewal(booked.id);
      expect(refused.status).toBe(409);
      expect(refused.body.type).toBe('conflict_error');
      return booked;
    });
    await s.step('day 340: a customer who declined is not reminded that renewal is due', async () => {
      expect(eventsFor(booking.id)).not.toContain('RENEWAL_DUE');
    });
    await s.step('day 366: cover has ended without renewal', async () => {
      expect(eventsFor(booking.id)).toContain('RENEWAL_EXPIRED');
      expect((await xcover.booking(booking.id)).body.quotes[0].status).toBe('CONFIRMED');
    });
  });

  it('instalments: paid on time the cover holds; a missed one lapses it with BOOKING_CANCELLED', async () => {
    const pkg = (
      await xcover.quote({
        request: [laptop(899, s.clock.now().toISOString())],
        currency: 'GBP',
        customer_country: 'GB',
      })
    ).body;
    const quoteId: string = pkg.quotes['0'].id;
    const pay = (n: number) =>
      xcover.payInstalments(pkg.id, {
        quotes: [
          {
            id: quoteId,
            instalment_number: n,
            payment_status: 'PAID',
            payment_attempted_date: s.clock.now().toISOString(),
          },
        ],
      });
    await s.step('day 0: quoted, booked monthly, first instalment paid', async () => {
      expect(pkg.quotes['0'].instalment_plans.map((p: Json) => p.name)).toEqual(['monthly', 'quarterly']);
      (
        await xcover.book(pkg.id, {
          quotes: [{ id: quoteId, instalment_plan: 'monthly' }],
          policyholder: holder,
        })
      ).expect(200);
      expect((await pay(1)).status).toBe(204);
    });
    await s.step('day 31: the second is paid', async () => {
      expect((await pay(2)).status).toBe(204);
      const schedule = (await xcover.instalments(pkg.id)).body;
      expect(schedule.quotes[0].payment_schedule.slice(0, 3).map((i: Json) => i.status)).toEqual([
        'PAID',
        'PAID',
        'UNPAID',
      ]);
      expect(schedule.quotes[0].next_payment.number).toBe(3);
    });
    // Instalment 3 is due about 61 days in and never paid: 14 days later the cover lapses.
    await s.step('day 61: the third falls due and is not paid; cover holds', async () => {
      expect((await xcover.booking(pkg.id)).body.status).toBe('CONFIRMED');
    });
    await s.step('day 76: cover has lapsed', async () => {
      expect((await xcover.booking(pkg.id)).body.status).toBe('CANCELLED');
      expect(eventsFor(pkg.id)).toContain('BOOKING_CANCELLED');
      expect((await pay(3)).status).toBe(409);
      const ended = (await xcover.instalments(pkg.id)).body;
      expect(ended.quotes[0]).toMatchObject({ next_payment: null, total_amount_due: 0 });
      expect(ended.quotes[0].payment_schedule.map((i: Json) => i.status).slice(1, 4)).toEqual([
        'PAID',
        'CANCELLED',
        'CANCELLED',
      ]);
    });
  });

  it('one quote of two cancelled after cooling-off: pro-rata refund, the other stays', async () => {
    const booking = await s.step('day 0: two laptops booked together', async () => {
      const start = s.clock.now().toISOString();
      const booked = await instant([laptop(899, start), laptop(1999, start)]);
      expect(booked.total_price).toBe(89.9 + 199.9);
      return booked;
    });
    await s.step('day 61: the first is cancelled, previewed then confirmed', async () => {
      const first = booking.quotes[0].id;
      const preview = (await xcover.cancel(booking.id, { preview: true, quotes: [{ id: first }] })).expect(
        200,
      );
      // 304 of 365 days left: 89.90 × 304 / 365 = 74.8756, 74.88 rounded.
      expect(preview.quotes).toHaveLength(1);
      expect(preview.quotes[0]).toMatchObject({
        id: first,
        refund_value: 74.88,
        adjustment_fee: 15.02,
        refund_rule: 'pro_rata',
      });
      expect(preview).toMatchObject({ status: 'CONFIRMED', total_price: 199.9, total_refund: 74.88 });
      const done = (await xcover.confirmCancellation(booking.id, preview.cancellation_id)).expect(200);
      const got = (await xcover.booking(booking.id)).body;
      expect(got.quotes.map((q: Json) => q.status)).toEqual(['CANCELLED', 'CONFIRMED']);
      expect(got.total_price).toBe(199.9);
      // Confirming again answers the same (issue #11: it was a 404), and cancels nothing more.
      expect((await xcover.confirmCancellation(booking.id, preview.cancellation_id)).expect(200)).toEqual(
        done,
      );
    });
  });
});
