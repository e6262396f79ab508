import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/core/errors.js';
import { DEMO_CREDENTIALS } from '../../src/demo/catalog.js';
import { SOCGEN_ERRORS } from '../../src/http/dialects/socgen/errors.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { BACKENDS } from '../helpers/database.js';
import { SOCGEN_API as API, socgenSpec, socgenToken } from '../helpers/socgen.js';

const spec = socgenSpec();

it('maps every core error code to a status and an errorCode', () => {
  expect(Object.keys(SOCGEN_ERRORS).sort()).toEqual([...ERROR_CODES].sort());
});

/** The guide's requests, in its order, each request and response checked against insurance-api-1.1.0.yaml. */
describe.each(BACKENDS)('the SocGen guide replayed on %s', (backend) => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await buildTestApp({ backend, now: '2026-03-02T10:00:00Z' });
    token = await socgenToken(t, DEMO_CREDENTIALS.oauth.client_id, DEMO_CREDENTIALS.oauth.client_secret);
  });
  afterAll(async () => t.close());

  /** Sends a request the spec takes, and checks the answer is one the spec declares. */
  async function call(
    method: 'GET' | 'POST',
    path: string,
    opts: { body?: unknown; query?: Record<string, string | number>; specPath?: string } = {},
  ) {
    const specPath = opts.specPath ?? path;
    spec.request(method, specPath, opts.body, opts.query);
    const qs = opts.query
      ? `?${new URLSearchParams(Object.entries(opts.query).map(([k, v]): [string, string] => [k, String(v)]))}`
      : '';
    const r = await t.app.inject({
      method,
      url: `${API}${path}${qs}`,
      headers: { authorization: `Bearer ${token}` },
      ...(opts.body === undefined ? {} : { payload: opts.body as object }),
    });
    const body = r.body === '' ? undefined : r.json();
    spec.response(method, specPath, r.statusCode, body);
    return { status: r.statusCode, body };
  }

  it('eligibility → item → search → quotation → subscription → list by basket → get → cancel', async () => {
    // Eligibility: the partner's solution for France with its communication kit; none for Sweden.
    const eligible = await call('GET', '/eligible-solutions', { query: { buyerBillingCountry: 'FR' } });
    expect(eligible.status).toBe(200);
    expect(eligible.body.solutions).toHaveLength(1);
    expect(eligible.body.solutions[0]).toMatchObject({
      solutionCode: 'CIFRWE',
      familyCode: 'CI',
      marketCode: 'FR',
      communicationKit: {
        solutionCode: 'CIFRWE',
        visualTitle: 'Extension de garantie 2 ans',
        visualInformationIcon: 'https://protego.dev/assets/cifrwe/icon.png',
        visualInformationNoticeURL: 'https://protego.dev/docs/cifrwe/notice-information.pdf',
        visualProductTermsURL: 'https://protego.dev/docs/cifrwe/conditions-generales.pdf',
      },
    });
    const none = await call('GET', '/eligible-solutions', { query: { buyerBillingCountry: 'SE' } });
    expect(none).toEqual({ status: 200, body: {} });

    // Create item: the guide's body as printed.
    const itemBody = {
      solutionCode: 'CIFRWE',
      sku: 'ZG011AQA',
      merchantItemId: '8c6450c2-b142-11ed-afa1-0242ac120002',
      brand: 'Beats',
      model: 'Beats Solo3',
      title: 'Beats Solo3 Wireless On-Ear Headphones',
      description:
        'Headphone Chip, Class 1 Bluetooth, 40 Hours of Listening Time, Built-in Microphone - Black (Latest Model)',
      characteristics:
        'With up to 40 hours of battery life, Beats Solo3 wireless is your perfect everyday headphone...',
      category: 'Headphones & Earbuds',
    };
    const item = await call('POST', '/items', { body: itemBody });
    expect(item.status).toBe(201);
    const itemId: string = item.body.id;
    // The same characteristics are the same item; another characteristic is another item.
    expect((await call('POST', '/items', { body: itemBody })).body.id).toBe(itemId);
    const other = await call('POST', '/items', { body: { ...itemBody, model: 'Beats Solo4' } });
    expect(other.body.id).not.toBe(itemId);

    // Search: the guide's 29.90 is below what the solution insures (30.00): not eligible, 204.
    const cheap = await call('POST', '/items/_search-insurances', {
      body: { solutionCode: 'CIFRWE', itemId, price: 29.9 },
    });
    expect(cheap.status).toBe(204);
    // The quotation's item price (100.25) is eligible: the solution's one insurance, with its visuals.
    const search = await call('POST', '/items/_search-insurances', {
      body: { solutionCode: 'CIFRWE', itemId, price: 100.25 },
    });
    expect(search.status).toBe(200);
    expect(search.body).toMatchObject({
      itemId,
      solutionCode: 'CIFRWE',
      visualTitle: 'Extension de garantie 2 ans',
      insurances: [{ id: '24M', price: 15, description: 'Extension de garantie 2 ans 2 ans' }],
    });

    // Quotation: the guide's item price, the insurance the search answered (its ABCD002 is a placeholder).
    const quotation = await call('POST', '/quotations', {
      body: { solutionCode: 'CIFRWE', itemId, itemPrice: 100.25, insuranceId: '24M' },
    });
    expect(quotation.status).toBe(201);
    expect(quotation.body).toEqual({
      quoteId: expect.any(String),
      insurancePrice: 15,
      itemPrice: 100.25,
      expirationDate: expect.any(String),
    });
    expect(Date.parse(quotation.body.expirationDate)).toBeGreaterThan(t.clock.now().getTime());

    // Subscription: the guide's body, with the quote's id, expiry and price, and a real e-mail address.
    const subscribed = {
      solutionCode: 'CIFRWE',
      quoteId: quotation.body.quoteId,
      insuranceId: '24M',
      merchantBasketId: '647aeb24-a89c-11ed-afa1-0242ac120002',
      merchantBuyerId: '44226c6c-aca7-11ed-afa1-0242ac120002',
      producerQuoteExpirationDate: quotation.body.expirationDate.slice(0, 10),
      producerQuoteInsurancePrice: quotation.body.insurancePrice,
      buyer: {
        contact: {
          lastName: 'Dupont',
          firstName: 'Paul',
          email: 'paul.dupont@mail.com',
          mobilePhoneNumber: '07 55 55 66 66',
          phoneNumber: '07 55 55 66 66',
        },
        address: {
          streetNumber: 147,
          streetNumberSuffix: 'B',
          streetName: 'main street',
          streetNameComplement: 'block 47',
          zipCode: '92060',
          cityName: 'Paris',
          regionName: 'Île-de-France',
          countryCode: 'FR',
        },
      },
      insuredItem: {
        id: 'M12345785513211',
        label: 'ROBOT PÂTISSIER À BOL RELEVABLE 4,8L - HEAVY DUTY 5KPM5',
        brandName: 'LG',
        price: 1199.99,
        currencyCode: 'EUR',
        orderId: 'OD456742',
        category: 'Small appliance',
        sku: 'ZG011AQA',
        insurancePrice: 100.25,
      },
    };
    const subscription = await call('POST', '/subscriptions', { body: subscribed });
    expect(subscription.status).toBe(201);
    expect(subscription.body.consolidatedStatus).toBe('Activated');
    const id: string = subscription.body.insuranceSubscriptionId;

    // List by basket: the one subscription, with a total count.
    const list = await call('GET', '/subscriptions', {
      query: { merchantBasketId: subscribed.merchantBasketId, page: 1, pageSize: 20 },
    });
    expect(list.status).toBe(200);
    expect(list.body).toEqual({
      totalItemCount: 1,
      subscriptions: [
        {
          insuranceSubscriptionId: id,
          registrationTimestamp: '2026-03-02T10:00:00.000Z',
          lastUpdateTimestamp: '2026-03-02T10:00:00.000Z',
          solutionCode: 'CIFRWE',
          marketTypeCode: 'FR',
          duration: '2 ans',
          merchantBasketId: subscribed.merchantBasketId,
          consolidatedStatus: 'Activated',
          insuredItemPrice: 1199.99,
          insuredItemCategory: 'Small appliance',
          producerQuoteInsurancePrice: 15,
        },
      ],
    });

    // 1.7.1's filters, in 1.1.0's answer: the insured item's order id, the solution; paging with a total.
    for (const query of ['merchantGlobalOrderId=OD456742', 'solutionCode=CIFRWE', 'pageSize=1&page=1']) {
      const r = await t.app.inject({
        method: 'GET',
        url: `${API}/subscriptions?${query}`,
        headers: { authorization: `Bearer ${token}` },
      });
      spec.response('GET', '/subscriptions', r.statusCode, r.json());
      expect(r.json().totalItemCount, query).toBe(1);
      expect(
        r.json().subscriptions.map((s: { insuranceSubscriptionId: string }) => s.insuranceSubscriptionId),
      ).toEqual([id]);
    }
    const elsewhere = await call('GET', '/subscriptions', { query: { merchantBasketId: 'another-basket' } });
    expect(elsewhere.body).toEqual({ totalItemCount: 0, subscriptions: [] });
    const pastTheEnd = await call('GET', '/subscriptions', { query: { page: 2, pageSize: 1 } });
    expect(pastTheEnd.body).toEqual({ totalItemCount: 1, subscriptions: [] });

    // Get: buyer and insured item exactly as subscribed.
    const got = await call('GET', `/subscriptions/${id}`, {
      specPath: '/subscriptions/{insuranceSubscriptionId}',
    });
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({
      insuranceSubscriptionId: id,
      solutionCode: 'CIFRWE',
      familyCode: 'CI',
      marketTypeCode: 'FR',
      duration: '2 ans',
      merchantBasketId: subscribed.merchantBasketId,
      merchantBuyerId: subscribed.merchantBuyerId,
      consolidatedStatus: 'Activated',
      producerQuoteInsurancePrice: 15,
    });
    expect(got.body.buyer).toEqual(subscribed.buyer);
    expect(got.body.insuredItem).toEqual(subscribed.insuredItem);

    // Cancel (1.7.1): 204, then the subscription is Cancelled; a second cancel is refused.
    const cancel = await t.app.inject({
      method: 'POST',
      url: `${API}/subscriptions/${id}/_cancel`,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ origin: 'buyer' }),
    });
    expect(cancel.statusCode, cancel.body).toBe(204);
    expect(cancel.body).toBe('');
    const after = await call('GET', `/subscriptions/${id}`, {
      specPath: '/subscriptions/{insuranceSubscriptionId}',
    });
    expect(after.body.consolidatedStatus).toBe('Cancelled');
    const again = await t.app.inject({
      method: 'POST',
      url: `${API}/subscriptions/${id}/_cancel`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(again.statusCode).toBe(400);
    spec.error(again.json());
    expect(again.json()).toMatchObject({ httpStatusCode: 400, errorCode: 'INVALID_STATUS' });
  });
});
