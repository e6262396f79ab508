import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statementCommand } from '../../src/cli/statement.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { bindDirect, expectProblem } from './support.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ now: '2026-03-02T10:00:00Z' });
});
afterAll(() => t.close());

/** tech-insurance for an 8 500 SEK tablet: 499.00 with 99.80 VAT; it wants a personal id and address. */
const tablet = {
  product_code: 'tech-insurance',
  term_months: 12,
  country: 'SE',
  item: { category: 'Tablet', price: { amount: 850_000, currency: 'SEK' } },
  policyholder: {
    first_name: 'Glen',
    last_name: 'Clarkson',
    personal_id: '19840726-1234',
    address: { line1: 'Storgatan 1', postal_code: '11122' },
  },
};

/**
 * A fresh partner (15 % commission) with, in March 2026, two product-protection policies for 1 000.00 GBP
 * laptops (100.00 each, 10.71 IPT, commission 13.39) and one Swedish tablet policy; in April, one
 * laptop cancelled inside cooling-off.
 */
async function partnerWithHistory() {
  const partner = await t.newPartner();
  t.clock.set('2026-03-10T12:00:00Z');
  const laptop = await bindDirect(t, partner.key);
  await bindDirect(t, partner.key);
  const res = await t.call({ method: 'POST', url: '/v1/policies', key: partner.key, payload: tablet });
  expect(res.statusCode, res.body).toBe(201);
  t.clock.set('2026-04-02T12:00:00Z');
  const cancel = await t.call({
    method: 'POST',
    url: `/v1/policies/${laptop.id}/cancel`,
    key: partner.key,
    payload: {},
  });
  expect(cancel.json()).toMatchObject({ outcome: 'cancelled', refund: { amount: 10_000 } });
  t.clock.set('2026-05-01T08:00:00Z');
  return partner;
}

const MARCH = {
  GBP: {
    currency: 'GBP',
    policies_written: 2,
    premiums_written: 20_000,
    refunds: 0,
    net: 20_000,
    taxes: [{ name: 'Insurance Premium Tax', written: 2_142, refunded: 0, net: 2_142 }],
    commission: 2_678,
    net_due_to_insurer: 17_322,
  },
  SEK: {
    currency: 'SEK',
    policies_written: 1,
    premiums_written: 49_900,
    refunds: 0,
    net: 49_900,
    taxes: [{ name: 'Regular VAT', written: 9_980, refunded: 0, net: 9_980 }],
    commission: 5_988,
    net_due_to_insurer: 43_912,
  },
};

describe('GET /v1/statements/:month', () => {
  let partner: Awaited<ReturnType<typeof partnerWithHistory>>;
  beforeAll(async () => {
    partner = await partnerWithHistory();
  });

  it('answers JSON per currency, premiums in the month bound and refunds in the month cancelled', async () => {
    const march = await t.call({ method: 'GET', url: '/v1/statements/2026-03', key: partner.key });
    expect(march.statusCode, march.body).toBe(200);
    expect(march.headers['content-type']).toMatch(/^application\/json/);
    expect(march.json()).toEqual({
      object: 'statement',
      partner_id: partner.partnerId,
      partner_code: partner.code,
      mode: 'test',
      month: '2026-03',
      period_start: '2026-03-01T00:00:00.000Z',
      period_end: '2026-04-01T00:00:00.000Z',
      generated_at: '2026-05-01T08:00:00.000Z',
      closed: true,
      currencies: [MARCH.GBP, MARCH.SEK],
    });

    const april = await t.call({ method: 'GET', url: '/v1/statements/2026-04', key: partner.key });
    expect(april.json().currencies).toEqual([
      {
        currency: 'GBP',
        policies_written: 0,
        premiums_written: 0,
        refunds: 10_000,
        net: -10_000,
        taxes: [{ name: 'Insurance Premium Tax', written: 0, refunded: 1_071, net: -1_071 }],
        commission: -1_339,
        net_due_to_insurer: -8_661,
      },
    ]);
  });

  it('a month with nothing in it is an empty statement; the current month is not closed yet', async () => {
    const res = await t.call({ method: 'GET', url: '/v1/statements/2026-05', key: partner.key });
    expect(res.json()).toMatchObject({ month: '2026-05', closed: false, currencies: [] });
  });

  it('another partner sees none of it', async () => {
    const other = await t.newPartner();
    const res = await t.call({ method: 'GET', url: '/v1/statements/2026-03', key: other.key });
    expect(res.json()).toMatchObject({ partner_id: other.partnerId, currencies: [] });
  });

  it('Accept: text/csv gives CSV, one row per currency, a column per tax figure', async () => {
    const res = await t.call({
      method: 'GET',
      url: '/v1/statements/2026-03',
      key: partner.key,
      headers: { accept: 'text/csv' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="statement-${partner.code}-2026-03-test.csv"`,
    );
    const period = '2026-03,2026-03-01T00:00:00.000Z,2026-04-01T00:00:00.000Z';
    expect(res.body).toBe(
      [
        'partner_code,mode,month,period_start,period_end,currency,policies_written,premiums_written,refunds,net,commission,net_due_to_insurer,' +
          'Insurance Premium Tax (written),Insurance Premium Tax (refunded),Insurance Premium Tax (net),' +
          'Regular VAT (written),Regular VAT (refunded),Regular VAT (net)',
        `${partner.code},test,${period},GBP,2,20000,0,20000,2678,17322,2142,0,2142,0,0,0`,
        `${partner.code},test,${period},SEK,1,49900,0,49900,5988,43912,0,0,0,9980,0,9980`,
        '',
      ].join('\r\n'),
    );
  });

  it('?format=csv gives the same CSV, and wins over the Accept header', async () => {
    const byAccept = await t.call({
      method: 'GET',
      url: '/v1/statements/2026-03',
      key: partner.key,
      headers: { accept: 'text/csv' },
    });
    const byQuery = await t.call({
      method: 'GET',
      url: '/v1/statements/2026-03?format=csv',
      key: partner.key,
      headers: { accept: 'application/json' },
    });
    expect(byQuery.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(byQuery.body).toBe(byAccept.body);
    const json = await t.call({
      method: 'GET',
      url: '/v1/statements/2026-03?format=json',
      key: partner.key,
      headers: { accept: 'text/csv' },
    });
    expect(json.json().object).toBe('statement');
  });

  it.each([
    ['*/*', 'json'],
    ['application/json, text/csv', 'json'],
    ['text/csv;q=0.5, application/json', 'json'],
    ['application/json;q=0.2, text/csv', 'csv'],
    ['text/html, text/csv', 'csv'],
  ])('Accept: %s -> %s', async (accept, expected) => {
    const res = await t.call({
      method: 'GET',
      url: '/v1/statements/2026-03',
      key: partner.key,
      headers: { accept },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(expected === 'csv' ? /^text\/csv/ : /^application\/json/);
  });

  it('an empty month in CSV is the header alone', async () => {
    const res = await t.call({ method: 'GET', url: '/v1/statements/2025-01?format=csv', key: partner.key });
    expect(res.body.split('\r\n')).toEqual([
      expect.stringMatching(/^partner_code,.*,net_due_to_insurer$/),
      '',
    ]);
  });

  it.each(['2026-13', '2026-00', '2026-3', '26-03', '2026-03-01', 'march', '1999-12', '2026-03%20'])(
    'month "%s" -> 400 naming params:month',
    async (month) => {
      const res = await t.call({ method: 'GET', url: `/v1/statements/${month}`, key: partner.key });
      expectProblem(res, 400, { code: 'validation_failed', field: 'params:month', message: /YYYY-MM/ });
    },
  );

  it('a month longer than any month -> 400 naming params:month', async () => {
    const res = await t.call({ method: 'GET', url: `/v1/statements/${'9'.repeat(60)}`, key: partner.key });
    expectProblem(res, 400, { code: 'validation_failed', field: 'params:month' });
  });

  it.each([
    ['format=xml', 'querystring:format'],
    ['colour=red', 'querystring:colour'],
  ])('?%s -> 400 naming %s', async (query, field) => {
    const res = await t.call({ method: 'GET', url: `/v1/statements/2026-03?${query}`, key: partner.key });
    expectProblem(res, 400, { code: 'validation_failed', field });
  });

  it('without an API key -> 401', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/statements/2026-03' });
    expectProblem(res, 401);
  });
});

describe('GET /admin/v1/partners/:code/statements/:month', () => {
  let partner: Awaited<ReturnType<typeof partnerWithHistory>>;
  beforeAll(async () => {
    partner = await partnerWithHistory();
  });

  it('mode=test is the statement the partner gets', async () => {
    const res = await t.admin({
      method: 'GET',
      url: `/admin/v1/partners/${partner.code}/statements/2026-03?mode=test`,
    });
    expect(res.statusCode, res.body).toBe(200);
    const mine = await t.call({ method: 'GET', url: '/v1/statements/2026-03', key: partner.key });
    expect(res.json()).toEqual(mine.json());
  });

  it('live by default: this partner has no live business', async () => {
    const res = await t.admin({
      method: 'GET',
      url: `/admin/v1/partners/${partner.code}/statements/2026-03`,
    });
    expect(res.json()).toMatchObject({ mode: 'live', partner_code: partner.code, currencies: [] });
  });

  it('CSV too', async () => {
    const res = await t.admin({
      method: 'GET',
      url: `/admin/v1/partners/${partner.code}/statements/2026-04?mode=test&format=csv`,
    });
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.body.split('\r\n')[1]).toBe(
      `${partner.code},test,2026-04,2026-04-01T00:00:00.000Z,2026-05-01T00:00:00.000Z,GBP,0,0,10000,-10000,-1339,-8661,0,1071,-1071`,
    );
  });

  it('an unknown partner -> 404; a bad month or mode -> 400 naming it; no token -> 401', async () => {
    expectProblem(
      await t.admin({ method: 'GET', url: '/admin/v1/partners/nobody/statements/2026-03' }),
      404,
      {
        code: 'not_found',
        field: 'code',
      },
    );
    expectProblem(
      await t.admin({ method: 'GET', url: `/admin/v1/partners/${partner.code}/statements/2026-3` }),
      400,
      { field: 'params:month' },
    );
    expectProblem(
      await t.admin({
        method: 'GET',
        url: `/admin/v1/partners/${partner.code}/statements/2026-03?mode=demo`,
      }),
      400,
      { field: 'querystring:mode' },
    );
    expectProblem(
      await t.app.inject({ method: 'GET', url: `/admin/v1/partners/${partner.code}/statements/2026-03` }),
      401,
    );
  });

  it('both routes are in the OpenAPI document, with JSON and CSV answers', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const native = doc.paths['/v1/statements/{month}'].get;
    expect(Object.keys(native.responses['200'].content)).toEqual(['application/json', 'text/csv']);
    expect(doc.paths['/admin/v1/partners/{code}/statements/{month}'].get).toBeDefined();
  });
});

describe('protego statement', () => {
  let partner: Awaited<ReturnType<typeof partnerWithHistory>>;
  beforeAll(async () => {
    partner = await partnerWithHistory();
  });

  async function run(args: Parameters<typeof statementCommand>[2]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await statementCommand(t.db, t.clock, args, {
      out: (s) => out.push(s),
      err: (s) => err.push(s),
    });
    return { code, out: out.join(''), err: err.join('\n') };
  }

  it('prints the statement as JSON, or CSV with --csv', async () => {
    const json = await run({ partner: partner.code, month: '2026-03', mode: 'test' });
    expect(json).toMatchObject({ code: 0, err: '' });
    expect(JSON.parse(json.out)).toMatchObject({ mode: 'test', currencies: [MARCH.GBP, MARCH.SEK] });
    const csv = await run({ partner: partner.code, month: '2026-03', mode: 'test', csv: true });
    expect(csv.out.split('\r\n')).toHaveLength(4);
  });

  it('is live unless told otherwise', async () => {
    const live = await run({ partner: partner.code, month: '2026-03' });
    expect(JSON.parse(live.out)).toMatchObject({ mode: 'live', currencies: [] });
  });

  it.each([
    [{ month: '2026-03' }, /--partner <code> is required/],
    [{ partner: 'nobody', month: '2026-03' }, /unknown partner "nobody"/],
    [{ partner: 'electroshop', month: '2026-13' }, /--month: a calendar month as YYYY-MM/],
    [{ partner: 'electroshop' }, /--month YYYY-MM is required/],
    [{ partner: 'electroshop', month: '2026-03', mode: 'prod' }, /--mode must be live or test/],
  ])('%o -> exit 2 with a clear message', async (args, message) => {
    const res = await run(args);
    expect(res.code).toBe(2);
    expect(res.out).toBe('');
    expect(res.err).toMatch(message);
  });
});
