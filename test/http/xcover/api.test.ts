import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.js';
import { DEMO_CREDENTIALS } from '../../../src/demo/catalog.js';
import { buildTestApp, type TestApp } from '../../helpers/app.js';
import { BACKENDS } from '../../helpers/database.js';
import { signXcover } from '../../helpers/xcover-signer.js';
import { xcoverClient } from './client.js';

/** What the cassettes do not show: fast quotes, partial packages, refusals in XCover's format, limits. */

// biome-ignore lint/suspicious/noExplicitAny: answers are read field by field in assertions
type Json = Record<string, any>;
const START = '2026-03-03T09:00:00Z';
const laptop = (price: number, extra: Json = {}) => ({
  policy_type: 'product-protection',
  policy_start_date: START,
  products: [{ name: 'Acme X1', price, category: 'laptop' }],
  ...extra,
});
const pkgBody = (request: Json[], extra: Json = {}) => ({
  request,
  currency: 'GBP',
  customer_country: 'GB',
  customer_language: 'en',
  ...extra,
});
const holder = { first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.com' };

describe.each(BACKENDS)('XCover API on %s', (backend) => {
  let t: TestApp;
  let send: ReturnType<typeof xcoverClient>;
  beforeAll(async () => {
    t = await buildTestApp({
      backend,
      now: '2026-03-02T10:00:00Z',
      xcoverRateLimits: { live: 1000, test: 1000 },
    });
    send = xcoverClient(t);
  });
  afterAll(() => t?.close());

  it('a fast quote is priced and not stored: no id, nothing to book', async () => {
    const before = (await send('GET', 'bookings/?limit=1')).json().count;
    const res = await send('POST', 'quotes/?fast_quote=1', pkgBody([laptop(100)]));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: null, security_token: null, total_price: 10, status: 'RECEIVED' });
    expect((await send('GET', 'bookings/?limit=1')).json().count).toBe(before);
  });

  it('flat item fields work like products[0]; the term follows policy_end_date', async () => {
    const res = await send(
      'POST',
      'quotes/',
      pkgBody([
        {
          policy_type: 'product-protection',
          policy_start_date: START,
          policy_end_date: '2028-03-03T09:00:00Z',
          price: 100,
          name: 'Acme X1',
        },
      ]),
    );
    expect(res.statusCode, res.body).toBe(201);
    const quote = res.json().quotes['0'];
    // 24 months: 16 % of 100.00, above the 7.99 floor.
    expect(quote).toMatchObject({
      price: 16,
      policy_end_date: '2028-03-03T09:00:00+00:00',
      duration: '731 00:00:00',
    });
  });

  it('a package with one request the product cannot cover quotes the rest and reports it under its index', async () => {
    const res = await send('POST', 'quotes/', pkgBody([laptop(100), laptop(10_000)]));
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(Object.keys(body.quotes)).toEqual(['0']);
    expect(body.errors).toEqual({
      '1': { products: { '0': { price: [expect.stringContaining('price range')] } } },
    });
    const none = await send('POST', 'quotes/', pkgBody([laptop(10_000)]));
    expect(none.statusCode).toBe(422);
    expect(none.json()).toMatchObject({
      type: 'validation_error',
      errors: { request: { '0': { products: { '0': { price: [expect.any(String)] } } } } },
    });
  });

  it('names the field of every refusal in XCover form', async () => {
    const product = await send('POST', 'quotes/', pkgBody([laptop(100, { policy_type: 'travel' })]));
    expect(product.statusCode).toBe(422);
    expect(product.json().errors).toEqual({
      request: { '0': { policy_type: [expect.stringContaining('travel')] } },
    });
    const currency = await send('POST', 'quotes/', pkgBody([laptop(100)], { currency: 'EUR' }));
    expect(currency.json()).toMatchObject({
      type: 'validation_error',
      errors: { currency: [expect.stringContaining('GBP')] },
    });
    const missing = await send('POST', 'quotes/', { currency: 'GBP', customer_country: 'GB' });
    expect(missing.statusCode).toBe(422);
    expect(missing.json().errors).toEqual({ request: ['This field is required.'] });
    const wrongType = await send('POST', 'quotes/', pkgBody([laptop(100, { products: [{ price: '100' }] })]));
    expect(wrongType.statusCode).toBe(422);
    expect(wrongType.json().errors.request['0'].products['0'].price).toEqual([expect.any(String)]);
    const malformed = await t.app.inject({
      method: 'POST',
      url: '/xcover/partners/electroshop/quotes/',
      headers: { 'content-type': 'application/json' },
      payload: '{"request": [',
    });
    // Unsigned as well as malformed: authentication comes first.
    expect(malformed.statusCode).toBe(401);
    const signedMalformed = await t.app.inject({
      method: 'POST',
      url: '/xcover/partners/electroshop/quotes/',
      headers: {
        'content-type': 'application/json',
        ...signXcover({
          method: 'POST',
          path: '/xcover/partners/electroshop/quotes/',
          secret: DEMO_CREDENTIALS.hmac.secret,
          keyId: DEMO_CREDENTIALS.hmac.key_id,
          algorithm: 'hmac-sha256',
        }),
      },
      payload: '{"request": [',
    });
    expect(signedMalformed.statusCode).toBe(400);
    expect(signedMalformed.json().type).toBe('bad_request_error');
    const unknown = await send('GET', 'bookings/NOPE0-NOPE0-INS/');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ type: 'not_found_error', errors: { id: [expect.any(String)] } });
    const route = await send('GET', 'nothing-here/');
    expect(route.statusCode).toBe(404);
    expect(route.json().type).toBe('not_found_error');
  });

  it('a package is booked once; a booking changes only through bookings/', async () => {
    const pkg = (await send('POST', 'quotes/', pkgBody([laptop(100)]))).json();
    const quote = pkg.quotes['0'].id;
    const book = () => send('POST', `bookings/${pkg.id}/`, { quotes: [{ id: quote }], policyholder: holder });
    expect((await book()).statusCode).toBe(200);
    const twice = await book();
    expect(twice.statusCode).toBe(409);
    expect(twice.json().type).toBe('conflict_error');
    expect((await send('PATCH', `quotes/${pkg.id}/`, { currency: 'GBP' })).statusCode).toBe(409);
    expect((await send('POST', `bookings/${pkg.id}/opt_out`, null)).statusCode).toBe(409);
    const other = (await send('POST', 'quotes/', pkgBody([laptop(100)]))).json();
    const wrong = await send('POST', `bookings/${other.id}/`, {
      quotes: [{ id: quote }],
      policyholder: holder,
    });
    expect(wrong.statusCode).toBe(404);
    expect(wrong.json().errors).toEqual({ quotes: { '0': { id: [expect.any(String)] } } });
  });

  it('a package booked by several clients at once is booked once: the others get the same 409, no 500', async () => {
    const pkg = (await send('POST', 'quotes/', pkgBody([laptop(100)]))).json();
    const body = { quotes: [{ id: pkg.quotes['0'].id }], policyholder: holder };
    const answers = await Promise.all([1, 2, 3, 4].map(() => send('POST', `bookings/${pkg.id}/`, body)));
    expect(answers.map((r) => r.statusCode).sort()).toEqual([200, 409, 409, 409]);
    for (const r of answers.filter((a) => a.statusCode === 409)) {
      expect(r.json()).toMatchObject({ type: 'conflict_error', errors: { id: ['already booked'] } });
    }
    const booking = (await send('GET', `bookings/${pkg.id}/`)).json();
    expect(booking.quotes).toHaveLength(1);
    const policies = await t.db.read.policies.list(
      { partnerId: (await t.db.read.partners.getByCode('electroshop'))!.id, mode: 'test' },
      { limit: 500 },
    );
    expect(policies.filter((p) => p.refs.booking_id === pkg.id)).toHaveLength(1);
  });

  it('a policyholder without a name fails the booking once, naming the field', async () => {
    const pkg = (await send('POST', 'quotes/', pkgBody([laptop(100), laptop(200)]))).json();
    const res = await send('POST', `bookings/${pkg.id}/`, {
      quotes: [{ id: pkg.quotes['0'].id }, { id: pkg.quotes['1'].id }],
      policyholder: { email: 'ada@example.com' },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toEqual({
      policyholder: { first_name: [expect.any(String)], last_name: [expect.any(String)] },
    });
  });

  it('a booking of two quotes is all or nothing', async () => {
    const pkg = (await send('POST', 'quotes/', pkgBody([laptop(100), laptop(200)]))).json();
    const [a, b] = [pkg.quotes['0'].id, pkg.quotes['1'].id];
    const bad = await send('POST', `bookings/${pkg.id}/`, {
      quotes: [{ id: a }, { id: b, instalment_plan: 'weekly' }],
      policyholder: holder,
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors).toEqual({
      quotes: { '1': { instalment_plan: [expect.stringContaining('monthly')] } },
    });
    // Nothing was written: the same package books cleanly afterwards.
    const good = await send('POST', `bookings/${pkg.id}/`, {
      quotes: [{ id: a }, { id: b }],
      policyholder: holder,
    });
    expect(good.statusCode, good.body).toBe(200);
    expect(good.json()).toMatchObject({ status: 'CONFIRMED', total_price: 30 });
  });

  it('an instant booking with a request that cannot be quoted books nothing', async () => {
    const before = (await send('GET', 'bookings/?limit=1')).json().count;
    const res = await send('POST', 'instant_booking/', {
      request: [laptop(100), laptop(10_000)],
      currency: 'GBP',
      policyholder: holder,
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toEqual({
      request: { '1': { products: { '0': { price: [expect.any(String)] } } } },
    });
    expect((await send('GET', 'bookings/?limit=1')).json().count).toBe(before);
  });

  it('send_email BOOKING_CANCELLED queues the letter confirming the end of cover again', async () => {
    const tenant = {
      partnerId: (await t.db.read.partners.getByCode('electroshop'))!.id,
      mode: 'test' as const,
    };
    const letters = async () =>
      (await t.db.read.jobs.list(tenant, { kind: 'cancellation_letter', limit: 100 })).length;
    const booking = (
      await send('POST', 'instant_booking/', {
        request: [laptop(100)],
        currency: 'GBP',
        policyholder: holder,
      })
    ).json();
    const before = await letters();
    expect((await send('POST', `bookings/${booking.id}/cancel`, null)).statusCode).toBe(200);
    expect(await letters()).toBe(before + 1);
    const resent = await send('POST', `bookings/${booking.id}/send_email`, { event: 'BOOKING_CANCELLED' });
    expect(resent.statusCode).toBe(202);
    expect(await letters()).toBe(before + 2);
    const confirmed = await send('POST', `bookings/${booking.id}/send_email`, { event: 'BOOKING_CONFIRMED' });
    expect(confirmed.statusCode).toBe(422);
  });

  it('a booking awaiting payment is voided on cancellation, with nothing to refund', async () => {
    const pkg = (await send('POST', 'quotes/', pkgBody([laptop(100)]))).json();
    await send('POST', `bookings/${pkg.id}/`, {
      quotes: [{ id: pkg.quotes['0'].id }],
      policyholder: holder,
      require_payment_confirmation: true,
    });
    const cancelled = await send('POST', `bookings/${pkg.id}/cancel`, null);
    expect(cancelled.json()).toMatchObject({
      status: 'CANCELLED',
      total_refund: 0,
      quotes: [{ refund_value: 0, refund_rule: 'unpaid' }],
    });
    expect((await send('PUT', `bookings/${pkg.id}/confirm`, null)).json().status).toBe('CANCELLED');

    expect((await send('POST', `bookings/${pkg.id}/cancel`, null)).statusCode).toBe(409);
  });

  it('x-idempotency-key: a repeat replays, another request with the key is refused, one in flight gets 423', async () => {
    const body = pkgBody([laptop(100)]);
    const first = await send('POST', 'quotes/', body, { 'x-idempotency-key': `k1-${backend}` });
    const again = await send('POST', 'quotes/', body, { 'x-idempotency-key': `k1-${backend}` });
    expect(again.json().id).toBe(first.json().id);
    expect(again.headers['idempotent-replayed']).toBe('true');
    const other = await send('POST', 'quotes/', pkgBody([laptop(200)]), {
      'x-idempotency-key': `k1-${backend}`,
    });
    expect(other.statusCode).toBe(409);

    // A request holding its key and not answered yet, as a first attempt still running looks.
    const url = '/xcover/partners/electroshop/quotes/';
    const hash = createHash('sha256')
      .update(`POST ${url}\n${JSON.stringify(body)}`)
      .digest('hex');
    const tenant = {
      partnerId: (await t.db.read.partners.getByCode('electroshop'))!.id,
      mode: 'test' as const,
    };
    await t.db.read.idempotency.claim({ ...tenant, key: `k2-${backend}` }, hash, t.clock.now());
    const locked = await send('POST', 'quotes/', body, { 'x-idempotency-key': `k2-${backend}` });
    expect(locked.statusCode).toBe(423);
    expect(locked.json().type).toBe('idempotency_error');
  });

  it("keeps partners apart: another partner's key sees none of these bookings", async () => {
    const booking = (
      await send('POST', 'instant_booking/', {
        request: [laptop(100)],
        currency: 'GBP',
        policyholder: holder,
      })
    ).json();
    expect(booking.status).toBe('CONFIRMED');
    const other = await t.newPartner();
    const theirs = xcoverClient(t, { partner: other.code, hmac: other.hmac });
    expect((await theirs('GET', `bookings/${booking.id}/`)).statusCode).toBe(404);
    expect((await theirs('GET', 'bookings/')).json().count).toBe(0);
    const borrowed = await theirs('GET', `../electroshop/bookings/${booking.id}/`);
    expect(borrowed.statusCode).toBe(401);
  });

  it('the coi link serves the certificate to the holder of the security token only', async () => {
    const booking = (
      await send('POST', 'instant_booking/', {
        request: [laptop(100)],
        currency: 'GBP',
        policyholder: holder,
      })
    ).json();
    expect(booking.coi.pdf).toContain('/xcover/coi/electroshop/');
    const pdf = new URL(booking.coi.pdf);
    const res = await t.app.inject({ method: 'GET', url: `${pdf.pathname}${pdf.search}` });
    expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const wrong = await t.app.inject({ method: 'GET', url: `${pdf.pathname}?security_token=nope` });
    expect(wrong.statusCode).toBe(404);
  });
});

describe('XCover rate limits', () => {
  let t: TestApp;
  const wall = new ManualClock('2026-03-02T10:00:00.100Z');
  beforeAll(async () => {
    t = await buildTestApp({
      now: '2026-03-02T10:00:00Z',
      wallClock: wall,
      xcoverRateLimits: { live: 50, test: 2 },
    });
  });
  afterAll(() => t?.close());

  it('counts per key and second, answers 429 with Retry-After past the limit, and starts again', async () => {
    const send = xcoverClient(t, { date: () => wall.now().toUTCString() });
    const first = await send('GET', 'bookings/');
    expect(first.headers).toMatchObject({ 'x-ratelimit-limit': '2', 'x-ratelimit-remaining': '1' });
    expect((await send('GET', 'bookings/')).statusCode).toBe(200);
    const refused = await send('GET', 'bookings/');
    expect(refused.statusCode).toBe(429);
    expect(refused.headers).toMatchObject({ 'x-ratelimit-remaining': '0', 'retry-after': '1' });
    expect(refused.json().type).toBe('rate_limit_error');
    wall.advance(1000);
    expect((await send('GET', 'bookings/')).statusCode).toBe(200);
  });
});
