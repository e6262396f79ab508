import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS } from '../../../src/core/clock.js';
import { runSchedule } from '../../../src/jobs/scheduler.js';
import { Worker } from '../../../src/jobs/worker.js';
import { buildTestApp, type TestApp } from '../../helpers/app.js';
import { BACKENDS } from '../../helpers/database.js';
import { plainSpaces, type TestMailbox, testMailbox } from '../../helpers/mail.js';
import { testHandlers } from '../../helpers/worker.js';
import { xcoverClient } from './client.js';

/**
 * The XCover breaks of issue #11, each as a client written from the guide and the xcover-python client
 * meets it: requests signed as the client signs them, answers read as the client reads them.
 */

// biome-ignore lint/suspicious/noExplicitAny: answers are read field by field in assertions
type Json = Record<string, any>;
const NOW = '2026-03-02T10:00:00Z';
const at = (days: number) => new Date(Date.parse(NOW) + days * DAY_MS).toISOString().replace(/\.000Z$/, 'Z');
const laptop = (start: string, price = 100) => ({
  policy_type: 'product-protection',
  policy_start_date: start,
  products: [{ name: 'Acme X1', price, category: 'laptop' }],
});
const pkgBody = (request: Json[]) => ({
  request,
  currency: 'GBP',
  customer_country: 'GB',
  customer_language: 'en',
});
const holder = { first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.com' };

describe.each(BACKENDS)('XCover as its clients expect (issue #11) on %s', (backend) => {
  let t: TestApp;
  let send: ReturnType<typeof xcoverClient>;
  let partner: Awaited<ReturnType<TestApp['newPartner']>>;
  const tenant = () => ({ partnerId: partner.partnerId, mode: 'test' as const });
  beforeAll(async () => {
    t = await buildTestApp({ backend, now: NOW, xcoverRateLimits: { live: 1000, test: 1000 } });
    // A partner of its own: lists and job counts see this file's bookings only.
    partner = await t.newPartner();
    send = xcoverClient(t, { partner: partner.code, hmac: partner.hmac });
  });
  afterAll(() => t?.close());

  async function booked(start = at(0), extra: Json = {}, quote: Json = {}): Promise<Json> {
    const pkg = (await send('POST', 'quotes/', pkgBody([laptop(start)]))).json();
    const res = await send('POST', `bookings/${pkg.id}/`, {
      quotes: [{ id: pkg.quotes['0'].id, ...quote }],
      policyholder: holder,
      ...extra,
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  }

  describe('item 2: the first instalment was collected at checkout', () => {
    it('a booking with an instalment plan shows #1 PAID and #2 next, and keeps its cover past #1’s grace', async () => {
      const booking = await booked(at(0), {}, { instalment_plan: 'monthly' });
      const res = await send('GET', `bookings/${booking.id}/instalments/`);
      expect(res.statusCode, res.body).toBe(200);
      const [schedule] = res.json().quotes as Json[];
      expect(schedule!.payment_schedule[0]).toMatchObject({ number: 1, status: 'PAID' });
      expect(schedule!.payment_schedule[1]).toMatchObject({ number: 2, status: 'UNPAID' });
      expect(schedule!.next_payment).toMatchObject({ number: 2 });
      expect(schedule!.paid_until).not.toBeNull();
      expect(schedule!.total_amount_paid).toBe(schedule!.payment_schedule[0].total_amount);
      // #1's grace (14 days) passes: nothing is overdue, the cover the customer paid for holds.
      t.clock.advance(20 * DAY_MS);
      try {
        await runSchedule(t.db, t.clock, t.deps.ids);
        expect((await send('GET', `bookings/${booking.id}/`)).json().status).toBe('CONFIRMED');
      } finally {
        t.clock.set(new Date(NOW));
      }
    });

    it('a booking awaiting payment owes #1 until the payment is confirmed', async () => {
      const booking = await booked(
        at(0),
        { require_payment_confirmation: true },
        { instalment_plan: 'monthly' },
      );
      const first = async () =>
        ((await send('GET', `bookings/${booking.id}/instalments/`)).json().quotes as Json[])[0]!
          .payment_schedule[0];
      expect(await first()).toMatchObject({ number: 1, status: 'UNPAID' });
      expect((await send('PUT', `bookings/${booking.id}/confirm`, null)).statusCode).toBe(201);
      expect(await first()).toMatchObject({ number: 1, status: 'PAID' });
    });
  });

  describe('item 3: a price shown is a price that can be booked', () => {
    it.each([
      ['400 days ahead', 400],
      ['400 days back', -400],
      // Fine now, but a day later (within the quote's 24 hours) more than a year back.
      ['365.5 days back', -365.5],
    ])('a quote starting %s is refused, naming policy_start_date', async (_, days) => {
      const res = await send('POST', 'quotes/', pkgBody([laptop(at(days))]));
      expect(res.statusCode, res.body).toBe(422);
      expect(res.json()).toMatchObject({
        type: 'validation_error',
        errors: { request: { '0': { policy_start_date: [expect.stringContaining('year')] } } },
      });
      const instant = await send('POST', 'instant_booking/', {
        request: [laptop(at(days))],
        currency: 'GBP',
        policyholder: holder,
      });
      expect(instant.statusCode).toBe(422);
      expect(instant.json().errors).toEqual({
        request: { '0': { policy_start_date: [expect.stringContaining('year')] } },
      });
    });

    it('a quote starting within the window is booked until it expires', async () => {
      const pkg = (await send('POST', 'quotes/', pkgBody([laptop(at(365))]))).json();
      expect(pkg.quotes['0'].price).toBeGreaterThan(0);
      t.clock.advance(23 * 3_600_000);
      try {
        const res = await send('POST', `bookings/${pkg.id}/`, {
          quotes: [{ id: pkg.quotes['0'].id }],
          policyholder: holder,
        });
        expect(res.statusCode, res.body).toBe(200);
      } finally {
        t.clock.set(new Date(NOW));
      }
    });
  });

  describe('item 4: the client README base URL without its slash', () => {
    it('serves the API at /partners/{code}/… as well, signed over that path', async () => {
      const bare = xcoverClient(t, { partner: partner.code, hmac: partner.hmac, base: '' });
      const quoted = await bare('POST', 'quotes/', pkgBody([laptop(at(0))]));
      expect(quoted.statusCode, quoted.body).toBe(201);
      const pkg = quoted.json();
      const booking = await bare('POST', `bookings/${pkg.id}/`, {
        quotes: [{ id: pkg.quotes['0'].id }],
        policyholder: holder,
      });
      expect(booking.statusCode, booking.body).toBe(200);
      expect((await bare('GET', `bookings/${pkg.id}/`)).json().status).toBe('CONFIRMED');
      // The same booking under the documented base.
      expect((await send('GET', `bookings/${pkg.id}/`)).json().id).toBe(pkg.id);
      const unknown = await bare('GET', 'nothing-here/');
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json().type).toBe('not_found_error');
      const unsigned = await t.app.inject({ method: 'GET', url: `/partners/${partner.code}/bookings/` });
      expect(unsigned.statusCode).toBe(401);
      expect(unsigned.json().type).toBe('authentication_error');
      // Outside both, the native API's problem+json as before.
      const elsewhere = await t.app.inject({ method: 'GET', url: '/nothing-here' });
      expect(elsewhere.statusCode).toBe(404);
      expect(elsewhere.headers['content-type']).toContain('application/problem+json');
    });
  });

  describe('item 5: the confirmation goes at booking, and a 202 means a letter went', () => {
    it('an instant booking whose cover starts tomorrow is confirmed to the customer at once', async () => {
      const mailbox: TestMailbox = testMailbox(t.clock);
      const worker = new Worker(t.db, t.clock, testHandlers(t.db, { mailer: mailbox.mailer }));
      try {
        // The letters of the bookings before this one go out first.
        await worker.drain();
        const earlier = mailbox.files().length;
        const booking = (
          await send('POST', 'instant_booking/', {
            request: [laptop(at(1))],
            currency: 'GBP',
            policyholder: holder,
          })
        ).json();
        expect(booking.status).toBe('CONFIRMED');
        const letters = async () =>
          (await t.db.read.jobs.list(tenant(), { kind: 'policy_letter', limit: 500 })).length;
        const before = await letters();
        await worker.drain();
        const sent = (await mailbox.all()).slice(earlier);
        expect(sent.map((m) => m.subject)).toEqual([expect.stringContaining('confirmed')]);
        expect(plainSpaces(sent[0]!.text ?? '')).toContain('3 March 2026');
        const resend = await send('POST', `bookings/${booking.id}/send_email`, {
          event: 'BOOKING_CONFIRMED',
        });
        expect(resend.statusCode).toBe(202);
        expect(await letters()).toBe(before + 1);
      } finally {
        mailbox.remove();
      }
    });

    it('send_email with nothing to send is refused, not a 202', async () => {
      const booking = await booked(at(0), { require_payment_confirmation: true });
      const res = await send('POST', `bookings/${booking.id}/send_email`, { event: 'BOOKING_CONFIRMED' });
      expect(res.statusCode).toBe(422);
      expect(res.json().type).toBe('validation_error');
    });
  });

  describe('the smaller ones', () => {
    it('cancelling a PENDING_PAYMENT booking charges no adjustment fee: nothing was collected', async () => {
      const booking = await booked(at(0), { require_payment_confirmation: true });
      const res = await send('POST', `bookings/${booking.id}/cancel`, null);
      expect(res.json()).toMatchObject({
        total_refund: 0,
        quotes: [{ refund_value: 0, adjustment_fee: 0, adjustment_fee_formatted: '£0.00' }],
      });
    });

    it('a paid booking cancelled in its cooling-off keeps no fee; its fee is the price less the refund', async () => {
      const booking = await booked(at(0));
      const res = await send('POST', `bookings/${booking.id}/cancel`, null);
      const [quote] = res.json().quotes as Json[];
      expect(quote!.refund_value).toBe(booking.total_price);
      expect(quote!.adjustment_fee).toBe(0);
    });

    it('PATCH bookings/{id}/ refuses a policyholder field POST refuses, naming it', async () => {
      const booking = await booked(at(0));
      const res = await send('PATCH', `bookings/${booking.id}/`, {
        policyholder: { first_name: 'Ada', nickname: 'Countess' },
      });
      expect(res.statusCode).toBe(422);
      expect(res.json().errors).toEqual({ policyholder: { nickname: 'Unexpected field' } });
      const posted = await send('POST', 'instant_booking/', {
        request: [laptop(at(0))],
        currency: 'GBP',
        policyholder: { ...holder, nickname: 'Countess' },
      });
      expect(posted.json().errors).toEqual(res.json().errors);
      expect((await send('GET', `bookings/${booking.id}/`)).json().policyholder.first_name).toBe('Ada');
    });

    it('GET bookings/?status= filters; an unknown status or parameter is refused naming it', async () => {
      const cancelled = await booked(at(0));
      await send('POST', `bookings/${cancelled.id}/cancel`, null);
      const confirmed = await booked(at(0));
      const list = await send('GET', 'bookings/?status=CANCELLED&limit=100');
      expect(list.statusCode, list.body).toBe(200);
      const ids = (list.json().results as Json[]).map((b) => b.id);
      expect(ids).toContain(cancelled.id);
      expect(ids).not.toContain(confirmed.id);
      expect((list.json().results as Json[]).every((b) => b.status === 'CANCELLED')).toBe(true);
      expect(list.json().count).toBe(ids.length);
      const page = await send('GET', 'bookings/?status=CONFIRMED&limit=1');
      expect(page.json().results).toHaveLength(1);
      expect(page.json().next).toContain('status=CONFIRMED');
      const bogus = await send('GET', 'bookings/?status=SHIPPED');
      expect(bogus.statusCode).toBe(400);
      expect(bogus.json()).toMatchObject({
        type: 'validation_error',
        errors: { status: [expect.stringContaining('CANCELLED')] },
      });
      const ordering = await send('GET', 'bookings/?ordering=created_at');
      expect(ordering.statusCode).toBe(400);
      expect(ordering.json().errors).toEqual({ ordering: 'Unexpected field' });
      const tooMany = await send('GET', 'bookings/?limit=1000');
      expect(tooMany.statusCode).toBe(400);
      expect(tooMany.json().errors).toEqual({ limit: [expect.any(String)] });
    });

    it('GET bookings/ answers every booking of a page as GET bookings/{id}/ does', async () => {
      const cancelled = await booked(at(0));
      await send('POST', `bookings/${cancelled.id}/cancel`, null);
      await booked(at(0));
      const list = await send('GET', 'bookings/?limit=100');
      expect(list.statusCode, list.body).toBe(200);
      const results = list.json().results as Json[];
      expect(results.length).toBeGreaterThan(1);
      for (const b of results) {
        // The single booking answers with its partner besides.
        expect((await send('GET', `bookings/${b.id}/`)).json()).toMatchObject(b);
      }
      // The status filter, read in SQL, picks the bookings the rendered list shows with that status.
      for (const status of ['CONFIRMED', 'CANCELLED', 'PENDING_PAYMENT', 'RENEWED']) {
        const filtered = (await send('GET', `bookings/?status=${status}&limit=100`)).json();
        const expected = results.filter((b) => b.status === status);
        expect(filtered.results).toEqual(expected);
        expect(filtered.count).toBe(expected.length);
      }
    });

    it('a repeated confirm_cancellation answers the same again', async () => {
      const booking = await booked(at(0));
      const preview = (await send('POST', `bookings/${booking.id}/cancel`, { preview: true })).json();
      const url = `bookings/${booking.id}/confirm_cancellation/${preview.cancellation_id}/`;
      const first = await send('POST', url, {});
      expect(first.statusCode, first.body).toBe(200);
      const again = await send('POST', url, {});
      expect(again.statusCode, again.body).toBe(200);
      expect(again.json()).toEqual(first.json());
    });

    it('policy dates read one way in every answer: 2026-03-03T10:00:00+00:00, as XCover writes them', async () => {
      const pkg = (await send('POST', 'quotes/', pkgBody([laptop(at(1))]))).json();
      const booking = (
        await send('POST', `bookings/${pkg.id}/`, {
          quotes: [{ id: pkg.quotes['0'].id }],
          policyholder: holder,
        })
      ).json();
      const preview = (await send('POST', `bookings/${booking.id}/cancel`, { preview: true })).json();
      const cancelled = (await send('POST', `bookings/${booking.id}/cancel`, null)).json();
      for (const quote of [pkg.quotes['0'], booking.quotes[0], preview.quotes[0], cancelled.quotes[0]]) {
        expect(quote.policy_start_date).toBe('2026-03-03T10:00:00+00:00');
        expect(quote.policy_end_date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
      }
    });
  });
});
