import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../helpers/app.js';
import { BACKENDS } from '../../helpers/database.js';
import { cassette, cassetteNames, type Interaction, shapeDiff, xcoverClient } from './client.js';

/**
 * Every cassette of the xcover-python client replayed against Protego, request by request: the same
 * method and path (ids swapped for the ones Protego gave), the request with a product-protection policy
 * in place of the event ticket, the recorded status, and every recorded field present with its type.
 */

const NOW = '2026-03-02T10:00:00Z';
const START = '2026-03-03T09:00:00Z';

type Json = Record<string, unknown>;

/** An event-ticket request entry as the same request for a laptop's product protection. */
function productRequest(entry: Json): Json {
  const price = (entry.tickets as { price: number }[] | undefined)?.[0]?.price;
  if (typeof entry.quote_id === 'string') return { quote_id: entry.quote_id, ...(price ? { price } : {}) };
  return {
    policy_type: 'product-protection',
    policy_type_version: 1,
    policy_start_date: START,
    products: [
      {
        name: 'Acme X1 laptop',
        price: price ?? 100,
        category: 'laptop',
        brand: 'Acme',
        model: 'X1',
        sku: 'ACME-X1',
        serial_number: 'SN-0001',
        purchase_date: NOW,
      },
    ],
  };
}

function translate(body: unknown): unknown {
  if (body === null || Array.isArray(body)) return null;
  const out: Json = { ...(body as Json) };
  if (Array.isArray(out.request)) out.request = (out.request as Json[]).map(productRequest);
  // The recording switches the package to AUD; the demo partner sells in USD (to US customers).
  if (out.currency === 'AUD') out.currency = 'USD';
  if (Array.isArray(out.quotes)) {
    out.quotes = (out.quotes as Json[]).map((q) => {
      const fields = q.update_fields as Json | undefined;
      const tickets = fields?.tickets as { price: number }[] | undefined;
      // A ticket of 100500 was the recording's price correction: a laptop of 1005.00 here.
      if (tickets) return { ...q, update_fields: { price: tickets[0]!.price / 100 } };
      // The recording's partner names its plans "1year-monthly"; the demo product's is "monthly".
      if (typeof q.instalment_plan === 'string')
        return { ...q, instalment_plan: q.instalment_plan.replace('1year-', '') };
      return q;
    });
  }
  return out;
}

/** Learns which of our ids stand for the recording's, walking both answers side by side. */
function learnIds(theirs: unknown, ours: unknown, ids: Map<string, string>): void {
  if (!theirs || !ours || typeof theirs !== 'object' || typeof ours !== 'object') return;
  for (const [key, value] of Object.entries(theirs as Json)) {
    const mine = (ours as Json)[key];
    if (['id', 'cancellation_id', 'update_id', 'renewal_id'].includes(key)) {
      if (typeof value === 'string' && typeof mine === 'string') ids.set(value, mine);
    } else learnIds(value, mine, ids);
  }
}

function swapIds(text: string, ids: Map<string, string>): string {
  let out = text;
  for (const [theirs, ours] of ids) out = out.replaceAll(theirs, ours);
  return out;
}

const cents = (n: unknown) => Math.round(Number(n) * 100);
const quoteList = (body: Json): Json[] =>
  Array.isArray(body.quotes)
    ? (body.quotes as Json[])
    : (Object.values((body.quotes as Json) ?? {}) as Json[]);

/** The arithmetic every answer must keep: price = sum of quotes, taxes add up, refunds add up. */
function checkArithmetic(body: Json, where: string): void {
  const quotes = quoteList(body);
  for (const q of quotes) {
    const tax = q.tax as Json | undefined;
    if (!tax) continue;
    const lines = (tax.taxes as Json[]).reduce((s, t) => s + cents(t.tax_amount), 0);
    expect(cents(tax.total_tax), `${where}: tax lines add up`).toBe(lines);
    expect(cents(tax.total_tax) + cents(tax.total_amount_without_tax), `${where}: price = net + tax`).toBe(
      cents(q.price),
    );
  }
  const live = quotes.filter((q) => q.status !== 'CANCELLED');
  if ('total_price' in body) {
    expect(cents(body.total_price), `${where}: total_price = sum of quotes`).toBe(
      live.reduce((s, q) => s + cents(q.price), 0),
    );
  }
  if ('total_refund' in body) {
    expect(cents(body.total_refund), `${where}: total_refund = sum of refunds`).toBe(
      quotes.reduce((s, q) => s + cents(q.refund_value), 0),
    );
  }
  if ('total_tax' in body && live.every((q) => q.tax)) {
    expect(cents(body.total_tax), `${where}: total_tax`).toBe(
      live.reduce((s, q) => s + cents((q.tax as Json).total_tax), 0),
    );
    expect(cents(body.total_premium) + cents(body.total_tax), `${where}: premium + tax`).toBe(
      cents(body.total_price),
    );
  }
}

/** Fields of the recording that describe Cover Genius itself or event tickets, not the wire format. */
const notOurs = (path: string) =>
  /\/partner\/(emails|subsidiary|logo|contact_url|partner_url|help_center_url|updated_at|xpay_refund_enabled|attributes)/.test(
    path,
  ) ||
  /\/benefits\/0\/(limit_policy_currency|excess)/.test(path) ||
  /\/policy\/content\/(inclusions|exclusions|disclaimer_html|payment_disclaimer|in_path_disclaimer)/.test(
    path,
  );

const REPLAYED = new Set<string>();

describe.each(BACKENDS)('XCover cassettes replayed on %s', (backend) => {
  let t: TestApp;
  let send: ReturnType<typeof xcoverClient>;
  beforeAll(async () => {
    t = await buildTestApp({ backend, now: NOW, xcoverRateLimits: { live: 1000, test: 1000 } });
    send = xcoverClient(t);
  });
  afterAll(() => t?.close());

  async function replay(name: string, opts: { ids?: Map<string, string>; status?: number[] } = {}) {
    const ids = opts.ids ?? new Map<string, string>();
    const answers: Json[] = [];
    REPLAYED.add(name);
    for (const [i, step] of cassette(name).entries()) {
      const where = `${name} #${i} ${step.method} ${step.path}`;
      const path = swapIds(step.path.replace('/partners/{partner_code}/', ''), ids);
      const body = translate(JSON.parse(swapIds(JSON.stringify(step.request_body ?? null), ids)));
      const res = await send(
        step.method,
        path,
        body,
        name === 'custom_header' ? { 'x-custom-header': 'test' } : {},
      );
      const status = opts.status?.[i] ?? step.status;
      expect(res.statusCode, `${where}: ${res.body}`).toBe(status);
      expect(res.headers['x-ratelimit-limit'], where).toBeDefined();
      const ours = res.body ? (res.json() as Json) : ({} as Json);
      answers.push(ours);
      if (step.response_body && typeof step.response_body === 'object') {
        expect(shapeDiff(step.response_body, ours, '', notOurs), where).toEqual([]);
        learnIds(step.response_body, ours, ids);
        checkArithmetic(ours, where);
      }
    }
    return answers;
  }

  it('quote, call and custom_header: a package of one priced quote', async () => {
    for (const name of ['quote', 'call', 'custom_header']) {
      const [pkg] = await replay(name);
      expect(pkg!.id).toMatch(/^[A-Z0-9]{5}-[A-Z0-9]{5}-INS$/);
      const quote = (pkg!.quotes as Json)['0'] as Json;
      expect(quote.id).toMatch(/^[0-9a-f-]{36}$/);
      // 10 % of a 100.00 laptop, floor 4.99: 10.00 with 12 % IPT included.
      expect(quote).toMatchObject({ price: 10, price_formatted: '£10.00', status: 'RECEIVED' });
      expect(quote.tax).toMatchObject({ total_tax: 1.07, total_amount_without_tax: 8.93 });
      expect(quote.instalment_plans).toEqual([
        // Net and tax each split in whole pence, the remainders on the first instalment:
        // 0.98 + 11 × 0.82 and 2.53 + 3 × 2.49 are the 10.00.
        expect.objectContaining({ name: 'monthly', amount: 10, first_instalment_amount: 0.98 }),
        expect.objectContaining({ name: 'quarterly', amount: 10, first_instalment_amount: 2.53 }),
      ]);
    }
  });

  it('quote_422: an unknown field is refused as XCover refuses it', async () => {
    REPLAYED.add('quote_422');
    const [step] = cassette('quote_422') as [Interaction];
    const res = await send('POST', 'quotes/', translate(step.request_body));
    expect(res.statusCode).toBe(422);
    expect(res.json()).toEqual(step.response_body);
  });

  it('get_quote, add_quotes, delete_quotes, update_quote: a package changes before booking', async () => {
    const created = await send('POST', 'quotes/', translate(cassette('quote')[0]!.request_body));
    const [got] = await replay('get_quote', { ids: new Map([['WFJUQ-UDYCA-INS', created.json().id]]) });
    expect(got!.id).toBe(created.json().id);

    const added = await replay('add_quotes');
    expect(Object.keys(added[1]!.quotes as Json)).toHaveLength(2);
    expect(added[2]!.total_price).toBe(20);

    const deleted = await replay('delete_quotes');
    expect(Object.keys(deleted[2]!.quotes as Json)).toHaveLength(1);

    const updated = await replay('update_quote');
    // Repriced in USD for a US customer at the new price: 10 % of 50.00 is under the 5.99 floor.
    expect(updated[1]).toMatchObject({ currency: 'USD', total_price: 5.99, total_price_formatted: '$5.99' });
    expect(((updated[1]!.quotes as Json)['0'] as Json).id).toBe(
      ((updated[0]!.quotes as Json)['0'] as Json).id,
    );
  });

  it('create_booking, confirm_booking, instant_booking, get_booking: booked, pending then confirmed', async () => {
    const created = await replay('create_booking');
    expect(created[1]).toMatchObject({ status: 'CONFIRMED', total_price: 10 });
    expect(created[2]).toMatchObject({ status: 'CONFIRMED' });

    const confirmed = await replay('confirm_booking');
    expect(confirmed[1]).toMatchObject({ status: 'PENDING_PAYMENT' });
    expect(confirmed[2]).toMatchObject({ status: 'CONFIRMED' });

    const [instant] = await replay('instant_booking');
    expect(instant).toMatchObject({
      status: 'CONFIRMED',
      total_price: 10,
      total_tax: 1.07,
      total_premium: 8.93,
    });
    expect((instant!.policyholder as Json).company).toBe('Smith, Sandoval and Decker');

    const got = await replay('get_booking');
    expect(got[1]).toMatchObject({ id: got[0]!.id, customer_language: 'en', partner: { id: 'electroshop' } });
  });

  it('list_bookings: a page of bookings with links to the next and previous ones', async () => {
    await replay('instant_booking');
    await replay('instant_booking');
    const [page] = await replay('list_bookings');
    expect(page!.results).toHaveLength(1);
    expect(page!.count).toBeGreaterThanOrEqual(2);
    expect(page!.previous).toMatch(/\/xcover\/partners\/electroshop\/bookings\/\?limit=1$/);
  });

  it('opt_out: the package records the customer declined', async () => {
    const answers = await replay('opt_out');
    expect(answers[2]).toMatchObject({ status: 'OPTED_OUT' });
  });

  it('cancel_booking and cancel_booking_with_confirmation: refunds within cooling-off', async () => {
    const now = await replay('cancel_booking');
    expect(now[1]).toMatchObject({
      status: 'CANCELLED',
      total_price: 0,
      total_refund: 10,
      cancellation_id: null,
    });
    expect(now[2]).toMatchObject({ status: 'CANCELLED', total_price: 0 });

    const confirmed = await replay('cancel_booking_with_confirmation');
    expect(confirmed[1]).toMatchObject({ status: 'CANCELLED', total_refund: 10 });
    expect(confirmed[1]!.cancellation_id).toMatch(/-CCL$/);
    // The preview changed nothing.
    expect(confirmed[2]).toMatchObject({ status: 'CONFIRMED', total_price: 10 });
    expect(confirmed[3]).toMatchObject({ status: 'CANCELLED', total_refund: 10, cancellation_id: null });
    expect(confirmed[4]).toMatchObject({ status: 'CANCELLED' });
  });

  it('booking_modification(_error) and the quote workflow: repriced with the difference', async () => {
    const direct = await replay('booking_modification');
    expect(direct[1]).toMatchObject({ total_price_diff: 0, policyholder: { phone: '+380506022279' } });

    const refused = await replay('booking_modification__error');
    expect(refused[1]).toEqual({
      type: 'validation_error',
      message: 'invalid policyholder',
      errors: { policyholder: { phone: ['The phone number should start with "+" character'] } },
    });

    const flow = await replay('booking_modification_quote_workflow');
    // A 1005.00 laptop: 100.50 with 10.77 IPT included; the difference is 90.50.
    expect(flow[1]).toMatchObject({ total_price: 100.5, total_price_diff: 90.5 });
    expect(flow[1]!.update_id).toMatch(/-UPD$/);
    expect(flow[2]).toMatchObject({ total_price: 10 });
    expect(flow[3]).toMatchObject({ total_price: 100.5, total_price_diff: 90.5 });
    expect(flow[4]).toMatchObject({ total_price: 100.5 });
  });

  it('trigger_email(__wrong_payload): the letter is queued; a cancellation e-mail needs a cancelled booking', async () => {
    const sent = await replay('trigger_email');
    expect(sent[1]).toBeNull();
    const refused = await replay('trigger_email__wrong_payload');
    expect(refused[1]).toEqual({
      type: 'validation_error',
      message: 'An API error occurred.',
      errors: ['BOOKING_CANCELLED email can be only triggered for CANCELLED bookings.'],
    });
  });

  it('get_instalments: a monthly schedule, #1 paid at checkout, and a payment reported', async () => {
    const answers = await replay('get_instalments');
    const schedule = (answers[2]!.quotes as Json[])[0] as Json;
    const payments = schedule.payment_schedule as Json[];
    expect(payments).toHaveLength(12);
    expect(payments.reduce((s, p) => s + cents(p.total_amount), 0)).toBe(1000);
    // As recorded: #1 was collected at checkout, so it is PAID at booking and #2 is next.
    expect(payments[0]).toMatchObject({ number: 1, status: 'PAID' });
    expect(schedule.next_payment).toMatchObject({ number: 2, status: 'UNPAID' });
    expect(cents(schedule.total_amount_paid)).toBe(cents(payments[0]!.total_amount));
    expect(cents(schedule.total_amount_paid) + cents(schedule.total_amount_due)).toBe(1000);
    const after = await send('GET', `bookings/${answers[1]!.id}/instalments/`);
    const paid = (after.json().quotes as Json[])[0] as Json;
    expect((paid.payment_schedule as Json[])[0]).toMatchObject({ number: 1, status: 'PAID' });
    expect(cents(paid.total_amount_paid) + cents(paid.total_amount_due)).toBe(1000);
  });

  it('auto_retry: retries with one idempotency key book once and replay the answer', async () => {
    REPLAYED.add('auto_retry');
    const steps = cassette('auto_retry');
    const key = `retry-${backend}`;
    const answers = [];
    // The client sends the same request again after each 502 the recording got.
    for (const step of steps) {
      const res = await send(step.method, 'instant_booking/', translate(steps[0]!.request_body), {
        'x-idempotency-key': key,
      });
      expect(res.statusCode).toBe(200);
      answers.push(res.json() as Json);
    }
    expect(new Set(answers.map((a) => a.id)).size).toBe(1);
  });
});

describe('XCover cassettes', () => {
  it('every recorded cassette is replayed above', () => {
    expect([...REPLAYED].sort()).toEqual(cassetteNames());
  });
});
