import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tenant } from '../../../src/core/partners/partner.js';
import { buildTestApp, type TestApp } from '../../helpers/app.js';
import { BACKENDS } from '../../helpers/database.js';
import { xcoverClient } from './client.js';

/**
 * XCover's answers are serialized with their response schemas, which drop any field they do not
 * declare. A write stores the handler's own answer, JSON.stringify'd, under its idempotency key: every
 * write here is compared with what went out on the wire, field for field.
 */

// biome-ignore lint/suspicious/noExplicitAny: answers are read field by field in assertions
type Json = Record<string, any>;
const START = '2026-03-03T09:00:00Z';
const laptop = (price: number) => ({
  policy_type: 'product-protection',
  policy_start_date: START,
  products: [{ name: 'Acme X1', price, category: 'laptop', brand: 'Acme', model: 'X1' }],
});
const pkgBody = (request: Json[]) => ({
  request,
  currency: 'GBP',
  customer_country: 'GB',
  customer_language: 'en',
  partner_transaction_id: 'order-77',
});
/** Every field XCover's policyholder has. */
const holder = {
  first_name: 'Ada',
  middle_name: 'King',
  last_name: 'Lovelace',
  email: 'ada@example.com',
  secondary_email: 'countess@example.com',
  phone: '+441234567890',
  country: 'GB',
  region: 'London',
  city: 'London',
  postcode: 'W1 1AA',
  address1: '12 St James Square',
  address2: 'Flat 1',
  company: 'Analytical Engines Ltd',
  birth_date: '1815-12-10',
  age: 36,
  allow_updates: true,
};

describe.each(BACKENDS)('XCover answers keep every field through serialization on %s', (backend) => {
  let t: TestApp;
  let send: ReturnType<typeof xcoverClient>;
  let tenant: Tenant;
  let keys = 0;
  beforeAll(async () => {
    t = await buildTestApp({
      backend,
      now: '2026-03-02T10:00:00Z',
      xcoverRateLimits: { live: 1000, test: 1000 },
    });
    send = xcoverClient(t);
    const partner = await t.db.read.partners.getByCode('electroshop');
    tenant = { partnerId: partner!.id, mode: 'test' };
  });
  afterAll(() => t?.close());

  /** A write with an idempotency key: what went out must be exactly what the handler answered. */
  async function write(method: string, path: string, body: unknown, status: number): Promise<Json> {
    keys += 1;
    const key = `schema-${backend}-${keys}`;
    const res = await send(method, path, body, { 'x-idempotency-key': key });
    expect(res.statusCode, `${method} ${path}: ${res.body}`).toBe(status);
    const stored = await t.db.read.idempotency.claim({ ...tenant, key }, '', t.clock.now());
    expect(stored?.response?.status).toBe(status);
    if (status === 204) return {};
    expect(res.json(), `${method} ${path}: the handler's answer, whole`).toStrictEqual(
      JSON.parse(stored!.response!.body),
    );
    return res.json();
  }
  const json = (res: LightMyRequestResponse) => {
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Json;
  };
  const without = (body: Json, ...fields: string[]) =>
    Object.fromEntries(Object.entries(body).filter(([k]) => !fields.includes(k)));

  it('a package booked with instalments, changed, renewed and cancelled', async () => {
    // Three requests, one the product cannot cover: reported under its index in `errors`.
    const pkg = await write('POST', 'quotes/', pkgBody([laptop(899), laptop(1999), laptop(10_000)]), 201);
    expect(pkg.errors['2']).toBeDefined();
    const [first, second] = [pkg.quotes['0'], pkg.quotes['1']];
    expect(first.instalment_plans[0]).toEqual({
      name: 'monthly',
      label: expect.any(String),
      amount: expect.any(Number),
      first_instalment_amount: expect.any(Number),
    });
    expect(json(await send('GET', `quotes/${pkg.id}/`))).toStrictEqual({ ...pkg, errors: {} });

    const booked = await write(
      'POST',
      `bookings/${pkg.id}/`,
      { quotes: [{ id: first.id, instalment_plan: 'monthly' }, { id: second.id }], policyholder: holder },
      200,
    );
    expect(booked.policyholder).toStrictEqual(holder);
    expect(booked.coi.pdf).toContain('security_token=');
    expect(booked.quotes[0]).toMatchObject({ can_be_cancelled: true, next_renewal: null });

    // Instalments: one paid, one failed; the schedule shows both.
    await write(
      'POST',
      `bookings/${pkg.id}/instalments/`,
      {
        quotes: [
          { id: first.id, instalment_number: 1, payment_status: 'PAID' },
          { id: first.id, instalment_number: 2, payment_status: 'FAILED' },
        ],
      },
      204,
    );
    const schedule = json(await send('GET', `bookings/${pkg.id}/instalments/`));
    expect(schedule.currency).toBe('GBP');
    expect(schedule.quotes).toHaveLength(1);
    const plan = schedule.quotes[0];
    expect(Object.keys(plan).sort()).toEqual(
      [
        'id',
        'instalment_plan',
        'next_payment',
        'paid_until',
        'payment_schedule',
        'total_amount_paid',
        'total_amount_paid_formatted',
        'total_amount_due',
        'total_amount_due_formatted',
      ].sort(),
    );
    const [paid, failed] = plan.payment_schedule;
    expect(paid).toMatchObject({ number: 1, status: 'PAID', quote: first.id, surcharges: {} });
    expect(paid.tax.taxes[0]).toEqual({
      tax_code: expect.any(String),
      tax_type: 'PERCENTAGE',
      tax_label: expect.any(String),
      tax_value: expect.any(String),
      tax_amount: expect.any(String),
      tax_amount_formatted: expect.any(String),
    });
    expect(failed).toMatchObject({
      status: 'FAILED',
      payment_failures: [{ attempted_at: expect.any(String) }],
    });

    // A change priced, then applied; the policyholder changed at once.
    const priced = await write(
      'PATCH',
      `bookings/${pkg.id}/quote_for_update`,
      { quotes: [{ id: second.id, update_fields: { price: 1499 } }] },
      200,
    );
    expect(priced.update_id).toMatch(/-UPD$/);
    expect(priced).toHaveProperty('total_price_diff_formatted');
    expect(priced.quotes[1]).toHaveProperty('price_diff_formatted');
    await write('POST', `bookings/${pkg.id}/confirm_update/${priced.update_id}/`, null, 201);
    await write('PATCH', `bookings/${pkg.id}/`, { policyholder: { city: 'Marylebone' } }, 200);

    // The next term priced and confirmed: each quote shows it as next_renewal.
    const renewal = await write('PATCH', `renewals/${pkg.id}/quote_for_renewal/`, null, 200);
    expect(renewal.renewal_id).toMatch(/-RNW$/);
    const renewed = await write('POST', `renewals/${pkg.id}/confirm/${renewal.renewal_id}/`, null, 201);
    expect(renewed.quotes[0].next_renewal).toEqual({
      status: 'CONFIRMED',
      policy_start_date: expect.any(String),
      policy_end_date: expect.any(String),
      price: expect.any(Number),
      price_formatted: expect.any(String),
    });

    // Reads carry what the writes did, the booking read with its partner and language.
    const got = json(await send('GET', `bookings/${pkg.id}/`));
    expect(got.partner).toEqual({
      id: 'electroshop',
      slug: 'electroshop',
      name: expect.any(String),
      title: expect.any(String),
    });
    expect(got.customer_language).toBe('en');
    expect(without(got, 'partner', 'customer_language')).toStrictEqual(without(renewed, 'renewal_id'));
    const page = json(await send('GET', 'bookings/?limit=1'));
    expect(page).toMatchObject({ count: 1, next: null, previous: null });
    expect(page.results[0]).toStrictEqual(without(renewed, 'renewal_id'));

    await write('POST', `bookings/${pkg.id}/send_email`, { event: 'BOOKING_CONFIRMED' }, 202);

    // A cancellation previewed, then confirmed.
    const preview = await write(
      'POST',
      `bookings/${pkg.id}/cancel`,
      { preview: true, quotes: [{ id: first.id }] },
      200,
    );
    expect(preview.cancellation_id).toMatch(/-CCL$/);
    expect(preview.confirm_before).toEqual(expect.any(String));
    expect(preview.partner.id).toBe('electroshop');
    expect(preview.quotes[0]).toMatchObject({
      refund_rule: expect.any(String),
      refund_value_formatted: expect.any(String),
      adjustment_fee_formatted: expect.any(String),
      policy_coolingoff_date: expect.any(String),
      policy_cancellation_date: null,
    });
    const cancelled = await write(
      'POST',
      `bookings/${pkg.id}/confirm_cancellation/${preview.cancellation_id}/`,
      null,
      200,
    );
    expect(cancelled.quotes[0].policy_cancellation_date).toEqual(expect.any(String));
  });

  it('a fast quote, an instant booking awaiting payment, its confirmation, and the opt-outs', async () => {
    const fast = await write('POST', 'quotes/?fast_quote=1', pkgBody([laptop(100)]), 200);
    expect(fast).toMatchObject({ id: null, security_token: null });

    const pending = await write(
      'POST',
      'instant_booking/',
      { request: [laptop(899)], currency: 'GBP', policyholder: holder, require_payment_confirmation: true },
      200,
    );
    expect(pending.status).toBe('PENDING_PAYMENT');
    const confirmed = await write('PUT', `bookings/${pending.id}/confirm`, null, 201);
    expect(confirmed.status).toBe('CONFIRMED');
    await write('POST', `renewals/${pending.id}/opt_out/`, null, 204);

    const declined = await write('POST', 'quotes/', pkgBody([laptop(100)]), 201);
    await write('POST', `bookings/${declined.id}/opt_out`, null, 204);
    const added = await write('POST', `quotes/${declined.id}/add/`, { request: [laptop(200)] }, 201);
    await write('POST', `quotes/${declined.id}/delete/`, { quotes: [{ id: added.quotes['1'].id }] }, 200);
    await write('PATCH', `quotes/${declined.id}/`, { partner_transaction_id: 'order-78' }, 200);
  });
});
