import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS } from '../../src/demo/catalog.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { SOCGEN_API as API, SOCGEN_TOKEN_URL, socgenSpec, socgenToken } from '../helpers/socgen.js';

const spec = socgenSpec();
/** Every table a SocGen request may write to. */
const TABLES = ['offers', 'policies', 'policy_events', 'aliases', 'dialect_records', 'events', 'jobs'];

const ITEM = {
  solutionCode: 'CIFRWE',
  sku: 'ZG011AQA',
  merchantItemId: 'item-1',
  brand: 'Beats',
  model: 'Beats Solo3',
  title: 'Beats Solo3 Wireless On-Ear Headphones',
  description: 'Headphones',
  characteristics: 'Wireless, 40 hours',
  category: 'Headphones & Earbuds',
};

/** Bad input on each endpoint: the spec's error body, a 4xx telling the case apart, nothing written. */
describe('SocGen refusals', () => {
  let t: TestApp;
  let token: string;
  let foreign: string;
  let itemId: string;
  let foreignItemId: string;
  let foreignQuoteId: string;

  beforeAll(async () => {
    t = await buildTestApp({ now: '2026-03-02T10:00:00Z' });
    token = await socgenToken(t, DEMO_CREDENTIALS.oauth.client_id, DEMO_CREDENTIALS.oauth.client_secret);
    // Another partner with the same solution code: its items and quotes are not ours.
    const other = await t.newPartner();
    const issued = await t.admin({
      method: 'POST',
      url: `/admin/v1/partners/${other.code}/credentials`,
      payload: { mode: 'test' },
    });
    expect(issued.statusCode).toBe(201);
    const put = await t.admin({
      method: 'PUT',
      url: `/admin/v1/partners/${other.code}/solutions/CIFRWE`,
      payload: { product_code: 'CIFRWE', country: 'FR' },
    });
    expect(put.statusCode, put.body).toBe(200);
    foreign = await socgenToken(t, issued.json().oauth.client_id, issued.json().oauth.client_secret);
    itemId = (await send('POST', '/items', ITEM)).json().id;
    foreignItemId = (await send('POST', '/items', ITEM, foreign)).json().id;
    expect(foreignItemId).not.toBe(itemId);
    foreignQuoteId = (await quote(foreign, foreignItemId)).quoteId;
  });
  afterAll(async () => t.close());

  function send(method: 'GET' | 'POST', path: string, body?: unknown, bearer = token) {
    return t.app.inject({
      method,
      url: `${API}${path}`,
      headers: { authorization: `Bearer ${bearer}` },
      ...(body === undefined ? {} : { payload: body as object }),
    });
  }
  async function quote(bearer = token, item = itemId) {
    const r = await send(
      'POST',
      '/quotations',
      { solutionCode: 'CIFRWE', itemId: item, itemPrice: 100.25, insuranceId: '24M' },
      bearer,
    );
    expect(r.statusCode, r.body).toBe(201);
    return r.json() as { quoteId: string; insurancePrice: number; expirationDate: string };
  }
  function subscription(q: { quoteId: string; insurancePrice: number; expirationDate: string }) {
    return {
      solutionCode: 'CIFRWE',
      quoteId: q.quoteId,
      insuranceId: '24M',
      merchantBasketId: 'basket-1',
      merchantBuyerId: 'buyer-1',
      producerQuoteExpirationDate: q.expirationDate.slice(0, 10),
      producerQuoteInsurancePrice: q.insurancePrice,
      buyer: {
        contact: {
          lastName: 'Dupont',
          firstName: 'Paul',
          email: 'paul@mail.com',
          mobilePhoneNumber: '0755556666',
        },
        address: {
          streetNumber: 147,
          streetName: 'main street',
          zipCode: '92060',
          cityName: 'Paris',
          regionName: 'Île-de-France',
          countryCode: 'FR',
        },
      },
      insuredItem: {
        id: 'M1',
        label: 'Robot',
        brandName: 'LG',
        price: 1199.99,
        currencyCode: 'EUR',
        orderId: 'OD1',
        category: 'Small appliance',
        insurancePrice: 100.25,
      },
    };
  }
  async function counts(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const table of TABLES) {
      const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(
        t.db.kysely,
      );
      out[table] = Number(rows[0]?.n ?? 0);
    }
    return out;
  }
  /** The refusal: its status, errorCode and the spec's error body; nothing written by it. */
  async function refused(
    request: () => Promise<{ statusCode: number; body: string; json(): unknown }>,
    status: number,
    errorCode: string,
    mentions?: string,
  ) {
    const before = await counts();
    const r = await request();
    expect(r.statusCode, r.body).toBe(status);
    const body = r.json() as { errorCode: string; errorMessage: string; httpStatusCode: number };
    spec.error(body);
    expect(body.errorCode, r.body).toBe(errorCode);
    expect(body.httpStatusCode).toBe(status);
    if (mentions) expect(body.errorMessage).toContain(mentions);
    expect(await counts()).toEqual(before);
  }

  it('POST /items: missing field, wrong pattern, wrong type, unknown field, unknown solution', async () => {
    const { brand: _, ...noBrand } = ITEM;
    await refused(() => send('POST', '/items', noBrand), 400, 'MISSING_BRAND', 'brand');
    await refused(
      () => send('POST', '/items', { ...ITEM, solutionCode: 'XXFRWE' }),
      400,
      'INVALID_SOLUTION_CODE',
    );
    await refused(() => send('POST', '/items', { ...ITEM, sku: 123 }), 400, 'INVALID_SKU');
    await refused(() => send('POST', '/items', { ...ITEM, colour: 'black' }), 400, 'UNKNOWN_FIELD', 'colour');
    await refused(() => send('POST', '/items', { ...ITEM, solutionCode: 'CIZZZZ' }), 400, 'UNKNOWN_SOLUTION');
  });

  it('POST /items/_search-insurances: bad input, foreign item, too many decimals', async () => {
    const path = '/items/_search-insurances';
    const ok = { solutionCode: 'CIFRWE', itemId, price: 100.25 };
    await refused(() => send('POST', path, { solutionCode: 'CIFRWE', price: 1 }), 400, 'MISSING_ITEM_ID');
    await refused(() => send('POST', path, { ...ok, price: '100.25' }), 400, 'INVALID_PRICE');
    await refused(() => send('POST', path, { ...ok, solutionCode: 'CI' }), 400, 'INVALID_SOLUTION_CODE');
    await refused(() => send('POST', path, { ...ok, solutionCode: 'CIZZZZ' }), 400, 'UNKNOWN_SOLUTION');
    await refused(() => send('POST', path, { ...ok, itemId: foreignItemId }), 404, 'ITEM_NOT_FOUND');
    await refused(() => send('POST', path, { ...ok, price: 100.255 }), 400, 'INVALID_PRICE', 'EUR');
  });

  it('POST /quotations: bad input, foreign item, an insurance not offered', async () => {
    const ok = { solutionCode: 'CIFRWE', itemId, itemPrice: 100.25, insuranceId: '24M' };
    const { insuranceId: _, ...noInsurance } = ok;
    await refused(() => send('POST', '/quotations', noInsurance), 400, 'MISSING_INSURANCE_ID');
    await refused(() => send('POST', '/quotations', { ...ok, itemPrice: null }), 400, 'INVALID_ITEM_PRICE');
    await refused(
      () => send('POST', '/quotations', { ...ok, solutionCode: 'cifrwe!' }),
      400,
      'INVALID_SOLUTION_CODE',
    );
    await refused(
      () => send('POST', '/quotations', { ...ok, solutionCode: 'CIZZZZ' }),
      400,
      'UNKNOWN_SOLUTION',
    );
    await refused(() => send('POST', '/quotations', { ...ok, itemId: foreignItemId }), 404, 'ITEM_NOT_FOUND');
    await refused(
      () => send('POST', '/quotations', { ...ok, insuranceId: '36M' }),
      400,
      'NOT_ELIGIBLE',
      '24M',
    );
    await refused(() => send('POST', '/quotations', { ...ok, itemPrice: 9999 }), 400, 'NOT_ELIGIBLE');
  });

  it('POST /subscriptions: bad input, foreign, expired or used quote, price mismatch', async () => {
    const q = await quote();
    const ok = subscription(q);
    const { buyer: _, ...noBuyer } = ok;
    await refused(() => send('POST', '/subscriptions', noBuyer), 400, 'MISSING_BUYER');
    const badEmail = { ...ok, buyer: { ...ok.buyer, contact: { ...ok.buyer.contact, email: 'paul@' } } };
    await refused(() => send('POST', '/subscriptions', badEmail), 400, 'INVALID_EMAIL');
    const badNumber = {
      ...ok,
      buyer: { ...ok.buyer, address: { ...ok.buyer.address, streetNumber: '147' } },
    };
    await refused(() => send('POST', '/subscriptions', badNumber), 400, 'INVALID_STREET_NUMBER');
    await refused(
      () => send('POST', '/subscriptions', { ...ok, solutionCode: 'CIZZZZ' }),
      400,
      'UNKNOWN_SOLUTION',
    );
    await refused(
      () => send('POST', '/subscriptions', { ...ok, quoteId: foreignQuoteId }),
      404,
      'QUOTE_NOT_FOUND',
    );
    await refused(
      () => send('POST', '/subscriptions', { ...ok, producerQuoteInsurancePrice: 14.99 }),
      400,
      'PRICE_MISMATCH',
      '1499',
    );
    await refused(
      () => send('POST', '/subscriptions', { ...ok, producerQuoteInsurancePrice: 15.001 }),
      400,
      'INVALID_PRODUCER_QUOTE_INSURANCE_PRICE',
    );
    await refused(
      () => send('POST', '/subscriptions', { ...ok, insuredItem: { ...ok.insuredItem, insurancePrice: 99 } }),
      400,
      'ITEM_PRICE_MISMATCH',
    );
    await refused(
      () =>
        send('POST', '/subscriptions', { ...ok, insuredItem: { ...ok.insuredItem, currencyCode: 'SEK' } }),
      400,
      'INVALID_CURRENCY',
    );
    await refused(
      () => send('POST', '/subscriptions', { ...ok, producerQuoteExpirationDate: '2020-01-01' }),
      400,
      'QUOTE_EXPIRATION_DATE_MISMATCH',
    );
    const { address: __, ...noAddress } = ok.buyer;
    await refused(() => send('POST', '/subscriptions', { ...ok, buyer: noAddress }), 400, 'INVALID_ADDRESS');

    // Subscribed once; the same quote again is refused.
    expect((await send('POST', '/subscriptions', ok)).statusCode).toBe(201);
    await refused(() => send('POST', '/subscriptions', ok), 409, 'QUOTE_ALREADY_SUBSCRIBED');

    // A quote past its expiration date.
    const old = await quote();
    t.clock.advance(8 * 24 * 3600 * 1000);
    try {
      const later = await socgenToken(
        t,
        DEMO_CREDENTIALS.oauth.client_id,
        DEMO_CREDENTIALS.oauth.client_secret,
      );
      await refused(() => send('POST', '/subscriptions', subscription(old), later), 400, 'QUOTE_EXPIRED');
    } finally {
      t.clock.advance(-8 * 24 * 3600 * 1000);
    }
  });

  it('GET /subscriptions: bad paging, unknown parameter, unknown solution', async () => {
    await refused(() => send('GET', '/subscriptions?page=0'), 400, 'INVALID_PAGE');
    await refused(() => send('GET', '/subscriptions?pageSize=abc'), 400, 'INVALID_PAGE_SIZE');
    await refused(() => send('GET', '/subscriptions?pageSize=1000'), 400, 'INVALID_PAGE_SIZE');
    await refused(() => send('GET', '/subscriptions?status=Cancelled'), 400, 'UNKNOWN_FIELD', 'status');
    await refused(() => send('GET', '/subscriptions?solutionCode=CIZZZZ'), 400, 'UNKNOWN_SOLUTION');
  });

  it('GET and cancel a subscription: unknown or foreign id', async () => {
    const q = await quote(foreign, foreignItemId);
    const theirs = await send('POST', '/subscriptions', subscription(q), foreign);
    expect(theirs.statusCode, theirs.body).toBe(201);
    const id = theirs.json().insuranceSubscriptionId;
    await refused(() => send('GET', `/subscriptions/${id}`), 404, 'SUBSCRIPTION_NOT_FOUND');
    await refused(() => send('GET', '/subscriptions/nope'), 404, 'SUBSCRIPTION_NOT_FOUND');
    await refused(() => send('POST', `/subscriptions/${id}/_cancel`), 404, 'SUBSCRIPTION_NOT_FOUND');
    await refused(
      () => send('POST', `/subscriptions/${id}/_cancel`, { reason: 'x' }, foreign),
      400,
      'UNKNOWN_FIELD',
    );
    // Its own partner sees it.
    expect((await send('GET', `/subscriptions/${id}`, undefined, foreign)).statusCode).toBe(200);
  });

  it('refuses requests without a valid token in the error body, and the token server in OAuth2 words', async () => {
    const none = await t.app.inject({
      method: 'GET',
      url: `${API}/eligible-solutions?buyerBillingCountry=FR`,
    });
    expect(none.statusCode).toBe(401);
    spec.error(none.json());
    expect(none.json().errorCode).toBe('UNAUTHORIZED');
    // An Omocom token is for Omocom only.
    const omocom = await t.app.inject({
      method: 'POST',
      url: '/omocom/oauth2/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `grant_type=client_credentials&client_id=${DEMO_CREDENTIALS.oauth.client_id}&client_secret=${DEMO_CREDENTIALS.oauth.client_secret}`,
    });
    const other = await send(
      'GET',
      '/eligible-solutions?buyerBillingCountry=FR',
      undefined,
      omocom.json().access_token,
    );
    expect(other.statusCode).toBe(401);
    const wrong = await t.app.inject({
      method: 'POST',
      url: SOCGEN_TOKEN_URL,
      headers: {
        authorization: `Basic ${Buffer.from(`${DEMO_CREDENTIALS.oauth.client_id}:nope`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: 'grant_type=client_credentials',
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toMatchObject({ error: 'invalid_client' });
    const grant = await t.app.inject({
      method: 'POST',
      url: SOCGEN_TOKEN_URL,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'grant_type=password',
    });
    expect(grant.statusCode).toBe(400);
    expect(grant.json()).toMatchObject({ error: 'unsupported_grant_type' });
  });

  it('answers a retried POST with its first answer (Idempotency-Key)', async () => {
    const headers = { authorization: `Bearer ${token}`, 'idempotency-key': 'sub-retry-1' };
    const q = await quote();
    const first = await t.app.inject({
      method: 'POST',
      url: `${API}/subscriptions`,
      headers,
      payload: subscription(q),
    });
    const second = await t.app.inject({
      method: 'POST',
      url: `${API}/subscriptions`,
      headers,
      payload: subscription(q),
    });
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.json()).toEqual(first.json());
    expect(second.headers['idempotent-replayed']).toBe('true');
  });
});
