import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeSecrets } from '../../src/auth/secrets.js';
import { type IssuedCredentials, issueCredentials } from '../../src/core/partners/issue-credentials.js';
import { createPartner, enableProduct } from '../../src/core/partners/manage-partners.js';
import { DEMO_CREDENTIALS, DEMO_PARTNER, DEMO_PRODUCTS } from '../../src/demo/catalog.js';
import { BACKENDS } from '../helpers/database.js';
import { type Scenario, startScenario } from '../helpers/scenario.js';
import { SOCGEN_API, socgenToken } from '../helpers/socgen.js';
import { report } from '../reliability/report.js';
import { claimBody, multipart } from './claims-support.js';
import { directPolicy } from './support.js';
import { xcoverClient } from './xcover/client.js';

/**
 * Tenant isolation, route by route. For every operation of every partner-facing API that names a
 * resource by id, the owner's resources are asked for by two strangers: another partner, and the owner
 * itself in the other mode (live credentials for test data). A stranger must not be able to tell an id
 * that exists from one that does not: its answer for the owner's real id must be byte for byte its
 * answer for a made-up id of the same shape (both ids masked), and that answer is the API's not-found.
 * The route list is read from /openapi.json, so a new route with an id fails here until it is listed.
 */

/** A credential set as the admin API shows it (and the demo's are written). */
type WireCredentials = Omit<typeof DEMO_CREDENTIALS, 'mode'>;

interface Caller {
  code: string;
  credentials: WireCredentials;
}

const wire = (c: IssuedCredentials): WireCredentials => ({
  api_key: c.apiKey,
  oauth: { client_id: c.oauth.clientId, client_secret: c.oauth.clientSecret },
  hmac: { key_id: c.hmac.keyId, secret: c.hmac.secret },
});

type Surface = 'native' | 'xcover' | 'omocom' | 'coi' | 'socgen' | 'hakuna';

interface Probe {
  method: string;
  surface: Surface;
  /** The path after the surface's own prefix, with the owner's ids in it. */
  path: string;
  /** Which id of the path is varied (the last one by default: the earlier ones are the owner's too). */
  id: string;
  body?: unknown;
  form?: ReturnType<typeof multipart>;
}

/** Path parameters that name the caller's own scope (its partner code, its market), not a resource. */
const SCOPE_PARAMS = new Set(['partner', 'platform', 'market']);

/** Operations with a path parameter that is not a resource id, with why they are not probed here. */
const NOT_IDS: Record<string, string> = {
  'GET /v1/statements/{month}':
    "a month, not an id: each partner gets its own month's statement (checked below)",
  'POST /v1/widget/{publishable_key}/offers':
    'a credential, not an id: the key names its partner and mode (test/http/publishable-keys.test.ts)',
};

/** Changes one character of an id to another of its kind: a well-formed id that names nothing. */
function madeUp(id: string): string {
  const at = [...id].findIndex((c, i) => i >= id.length / 2 && /[0-9A-Za-z]/.test(c));
  const c = id[at]!;
  const next = /[0-9]/.test(c)
    ? String((Number(c) + 1) % 10)
    : c === 'z'
      ? 'y'
      : c === 'Z'
        ? 'Y'
        : c === 'f'
          ? 'e'
          : c === 'F'
            ? 'E'
            : String.fromCharCode(c.charCodeAt(0) + 1);
  return id.slice(0, at) + next + id.slice(at + 1);
}

describe.each(BACKENDS)('tenant matrix on %s', (backend) => {
  let s: Scenario;
  const owner: Caller = { code: 'electroshop', credentials: DEMO_CREDENTIALS };
  let ownerLive: Caller;
  let stranger: Caller;
  const probes = new Map<string, Probe>();
  const tokens = new Map<string, string>();

  async function send(caller: Caller, probe: Probe, path = probe.path): Promise<LightMyRequestResponse> {
    const { method } = probe;
    const { credentials: c } = caller;
    switch (probe.surface) {
      case 'native':
        return s.t.app.inject({
          method: method as 'GET',
          url: `/v1${path}`,
          headers: { authorization: `Bearer ${c.api_key}`, ...probe.form?.headers },
          ...(probe.form
            ? { payload: probe.form.payload }
            : probe.body
              ? { payload: probe.body as object }
              : {}),
        });
      case 'xcover':
        return xcoverClient(s.t, { partner: caller.code, hmac: c.hmac })(method, path, probe.body ?? null);
      case 'coi':
        return s.t.app.inject({ method: 'GET', url: `/xcover/coi/${caller.code}/${path}` });
      case 'hakuna':
        // A key works on its own mode's environment only: each caller on its own.
        return s.t.app.inject({
          method: method as 'GET',
          url: `/hakuna/${caller === ownerLive ? 'live' : 'sandbox'}${path}`,
          headers: { authorization: `Bearer ${c.api_key}` },
        });
      case 'omocom': {
        let token = tokens.get(c.oauth.client_id);
        if (!token) {
          const res = await s.t.app.inject({
            method: 'POST',
            url: '/omocom/oauth2/token',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            payload: new URLSearchParams({
              grant_type: 'client_credentials',
              client_id: c.oauth.client_id,
              client_secret: c.oauth.client_secret,
            }).toString(),
          });
          expect(res.statusCode, res.body).toBe(200);
          token = res.json().access_token as string;
          tokens.set(c.oauth.client_id, token);
        }
        return s.t.app.inject({
          method: method as 'GET',
          url: `/omocom/v1.3/${caller.code}/SE${path}`,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          ...(method === 'POST' ? { payload: JSON.stringify(probe.body ?? []) } : {}),
        });
      }
      case 'socgen': {
        const key = `socgen:${c.oauth.client_id}`;
        let token = tokens.get(key);
        if (!token) {
          token = await socgenToken(s.t, c.oauth.client_id, c.oauth.client_secret);
          tokens.set(key, token);
        }
        return s.t.app.inject({
          method: method as 'GET',
          url: `${SOCGEN_API}${path}`,
          headers: { authorization: `Bearer ${token}` },
        });
      }
    }
  }

  beforeAll(async () => {
    s = await startScenario({
      backend,
      now: '2026-03-02T10:00:00Z',
      xcoverRateLimits: { live: 1000, test: 1000 },
    });
    const { t } = s;
    await t.db.transaction(async (repos) => {
      const d = { repos, clock: t.clock, ids: t.deps.ids };
      ownerLive = {
        code: 'electroshop',
        credentials: wire((await issueCredentials(d, nodeSecrets, 'electroshop', 'live')).issued),
      };
      const other = await createPartner(d, {
        code: `stranger-${backend}`,
        name: 'Stranger',
        markets: DEMO_PARTNER.markets,
      });
      for (const product of DEMO_PRODUCTS) await enableProduct(d, other.code, product.code, 1500);
      stranger = {
        code: other.code,
        credentials: wire((await issueCredentials(d, nodeSecrets, other.code, 'test')).issued),
      };
    });
    const xcover = s.xcover();
    const laptop = (start: string) => ({
      policy_type: 'product-protection',
      policy_start_date: start,
      products: [{ name: 'Acme X1 laptop', price: 899, category: 'laptop', brand: 'Acme' }],
    });
    const holder = { first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.com', country: 'GB' };

    // A booking a year old can be renewed: it is made first, and the clock moved to renewal time.
    const renewable = (
      await xcover.instantBooking({
        request: [laptop(s.clock.now().toISOString())],
        currency: 'GBP',
        policyholder: holder,
      })
    ).expect(200);
    await s.travelDays(340);
    const renewalId: string = (await xcover.quoteRenewal(renewable.id)).expect(200).renewal_id;
    const now = s.clock.now().toISOString();

    // XCover: a quote package, a booking with a previewed cancellation and a priced update, instalments.
    const pkg = (
      await xcover.quote({ request: [laptop(now)], currency: 'GBP', customer_country: 'GB' })
    ).expect(201);
    const quoteId: string = pkg.quotes['0'].id;
    const booking = (
      await xcover.instantBooking({ request: [laptop(now)], currency: 'GBP', policyholder: holder })
    ).expect(200);
    const bookedQuote: string = booking.quotes[0].id;
    const cancellationId: string = (await xcover.cancel(booking.id, { preview: true })).expect(
      200,
    ).cancellation_id;
    const send = xcoverClient(s.t);
    const updateId: string = (
      await send('PATCH', `bookings/${booking.id}/quote_for_update`, {
        quotes: [{ id: bookedQuote, update_fields: { price: 999 } }],
      })
    ).json().update_id;
    expect(updateId).toMatch(/-UPD$/);
    const coiFile = (booking.coi.pdf as string).split('/').at(-1)!;
    expect(coiFile).toMatch(/^[^?]+\.pdf\?security_token=\w+/);

    // Native: a policy with a previewed cancellation, a claim with an attachment, an endpoint with a delivery.
    const policy = (await s.t.call({ method: 'POST', url: '/v1/policies', payload: directPolicy() })).json();
    const preview = (
      await s.t.call({ method: 'POST', url: `/v1/policies/${policy.id}/cancel`, payload: { preview: true } })
    ).json();
    const claim = (
      await s.t.call({
        method: 'POST',
        url: `/v1/policies/${policy.id}/claims`,
        payload: claimBody({ incident_date: now.slice(0, 10) }),
      })
    ).json();
    const pdf = {
      name: 'file',
      filename: 'receipt.pdf',
      type: 'application/pdf',
      content: '%PDF-1.4\n%%EOF\n',
    };
    const attachment = (
      await s.t.call({ method: 'POST', url: `/v1/claims/${claim.id}/attachments`, ...multipart([pdf]) })
    ).json();
    const endpoint = (
      await s.t.call({
        method: 'POST',
        url: '/v1/webhook-endpoints',
        payload: { url: 'http://127.0.0.1:9/hook', event_types: ['*'] },
      })
    ).json();
    await s.t.call({ method: 'POST', url: '/v1/policies', payload: directPolicy() });
    await s.runJobs();
    const delivery = (
      await s.t.call({ method: 'GET', url: `/v1/webhook-endpoints/${endpoint.id}/deliveries` })
    ).json().data[0];

    // Omocom: a user, an object of theirs and an insurance quoted on it.
    const omocom = s.omocom();
    (await omocom.signIn()).expect(200);
    const userHandle: string = (
      await omocom.createUser(
        JSON.stringify({
          MarketName: 'SE',
          UserId: 'matrix-user',
          FirstName: 'Glen',
          LastName: 'Clarkson',
          SocialSecurityNumber: { SSN: '19840726-1234', Country: 'SE' },
          PhoneNumber: '+46705554422',
          StreetAddress: 'Somestreet 6',
          ZipCode: '12950',
          CountryCode: 'SE',
          EmailAddress: 'glen@example.com',
          Culture: 'sv',
        }),
      )
    ).expect(201).handle;
    const objectHandle: string = (
      await omocom.createObject(
        JSON.stringify({
          objectId: 'IMEI-MATRIX',
          objectCategory: 'Tablet',
          ownerHandle: userHandle,
          shortDescription: 'iPad',
        }),
      )
    ).expect(201).handle;
    const insurance = {
      product: 'Refurbished Electronics Insurance',
      counterpartHandle: '66006782-1921-4AE9-9E21-698BA45C99C9',
      insuranceStartDateTime: new Date(s.clock.now().getTime() + 86_400_000).toISOString(),
      properties: [{ name: 'PurchasePrice', monetaryValue: { amount: 8500, currency: 'SEK' } }],
    };
    const insuranceId: string = (await omocom.quoteInsurance(objectHandle, JSON.stringify(insurance))).expect(
      201,
    ).insuranceId;

    const probe = (op: string, p: Omit<Probe, 'method'>) =>
      probes.set(op, { ...p, method: op.split(' ')[0]! });
    const native = (op: string, path: string, id: string, extra: Partial<Probe> = {}) =>
      probe(op, { surface: 'native', path, id, ...extra });
    native('GET /v1/policies/{id}', `/policies/${policy.id}`, policy.id);
    native('GET /v1/policies/{id}/events', `/policies/${policy.id}/events`, policy.id);
    native('POST /v1/policies/{id}/cancel', `/policies/${policy.id}/cancel`, policy.id, { body: {} });
    native(
      'POST /v1/policies/{id}/cancellations/{cancellation_id}/confirm',
      `/policies/${policy.id}/cancellations/${preview.cancellation_id}/confirm`,
      policy.id,
    );
    native('GET /v1/policies/{id}/certificate.pdf', `/policies/${policy.id}/certificate.pdf`, policy.id);
    native('POST /v1/policies/{id}/claims', `/policies/${policy.id}/claims`, policy.id, {
      body: claimBody({ incident_date: now.slice(0, 10) }),
    });
    native('GET /v1/claims/{id}', `/claims/${claim.id}`, claim.id);
    native('GET /v1/claims/{id}/events', `/claims/${claim.id}/events`, claim.id);
    native('POST /v1/claims/{id}/attachments', `/claims/${claim.id}/attachments`, claim.id, {
      form: multipart([pdf]),
    });
    native(
      'GET /v1/claims/{id}/attachments/{attachment_id}',
      `/claims/${claim.id}/attachments/${attachment.id}`,
      attachment.id,
    );
    native('GET /v1/webhook-endpoints/{id}', `/webhook-endpoints/${endpoint.id}`, endpoint.id);
    native('PATCH /v1/webhook-endpoints/{id}', `/webhook-endpoints/${endpoint.id}`, endpoint.id, {
      body: { enabled: false },
    });
    native(
      'POST /v1/webhook-endpoints/{id}/rotate-secret',
      `/webhook-endpoints/${endpoint.id}/rotate-secret`,
      endpoint.id,
      { body: {} },
    );
    native(
      'GET /v1/webhook-endpoints/{id}/deliveries',
      `/webhook-endpoints/${endpoint.id}/deliveries`,
      endpoint.id,
    );
    native(
      'POST /v1/webhook-deliveries/{id}/redeliver',
      `/webhook-deliveries/${delivery.id}/redeliver`,
      delivery.id,
    );

    const x = (op: string, path: string, id: string, body?: unknown) =>
      probe(`${op.split(' ')[0]} /xcover/partners/{partner}/${op.split(' ')[1]}`, {
        surface: 'xcover',
        path,
        id,
        body,
      });
    const add = { request: [laptop(now)] };
    x('GET quotes/{id}/', `quotes/${pkg.id}/`, pkg.id);
    x('PATCH quotes/{id}/', `quotes/${pkg.id}/`, pkg.id, { customer_language: 'en' });
    x('POST quotes/{id}/add/', `quotes/${pkg.id}/add/`, pkg.id, add);
    x('POST quotes/{id}/delete/', `quotes/${pkg.id}/delete/`, pkg.id, { quotes: [{ id: quoteId }] });
    x('POST bookings/{id}/opt_out', `bookings/${pkg.id}/opt_out`, pkg.id);
    x('POST bookings/{id}/', `bookings/${pkg.id}/`, pkg.id, {
      quotes: [{ id: quoteId }],
      policyholder: holder,
    });
    x('GET bookings/{id}/', `bookings/${booking.id}/`, booking.id);
    x('PATCH bookings/{id}/', `bookings/${booking.id}/`, booking.id, {
      policyholder: { phone: '+447700900000' },
    });
    x('PUT bookings/{id}/confirm', `bookings/${booking.id}/confirm`, booking.id);
    x('POST bookings/{id}/send_email', `bookings/${booking.id}/send_email`, booking.id);
    x('POST bookings/{id}/cancel', `bookings/${booking.id}/cancel`, booking.id, {});
    x(
      'POST bookings/{id}/confirm_cancellation/{cancellation}/',
      `bookings/${booking.id}/confirm_cancellation/${cancellationId}/`,
      booking.id,
    );
    x('PATCH bookings/{id}/quote_for_update', `bookings/${booking.id}/quote_for_update`, booking.id, {
      quotes: [{ id: bookedQuote, update_fields: { price: 1099 } }],
    });
    x(
      'POST bookings/{id}/confirm_update/{update}/',
      `bookings/${booking.id}/confirm_update/${updateId}/`,
      booking.id,
    );
    x('PATCH renewals/{id}/quote_for_renewal/', `renewals/${renewable.id}/quote_for_renewal/`, renewable.id);
    x(
      'POST renewals/{id}/confirm/{renewal}/',
      `renewals/${renewable.id}/confirm/${renewalId}/`,
      renewable.id,
    );
    x('POST renewals/{id}/opt_out/', `renewals/${renewable.id}/opt_out/`, renewable.id);
    x('GET bookings/{id}/instalments/', `bookings/${booking.id}/instalments/`, booking.id);
    x('POST bookings/{id}/instalments/', `bookings/${booking.id}/instalments/`, booking.id, {
      quotes: [{ id: bookedQuote, instalment_number: 1, payment_status: 'PAID' }],
    });
    probe('GET /xcover/coi/{partner}/{file}', {
      surface: 'coi',
      path: coiFile,
      id: coiFile.split('.pdf')[0]!,
    });

    const o = (op: string, path: string, id: string, body?: unknown) =>
      probe(`${op.split(' ')[0]} /omocom/v1.3/{platform}/{market}${op.split(' ')[1]}`, {
        surface: 'omocom',
        path,
        id,
        body,
      });
    o('GET /Users/{handle}', `/Users/${userHandle}`, userHandle);
    o('GET /Users/{handle}/Insurances', `/Users/${userHandle}/Insurances`, userHandle);
    o('GET /InsurableObjects/{handle}', `/InsurableObjects/${objectHandle}`, objectHandle);
    o('POST /Insurances/{handle}', `/Insurances/${objectHandle}`, objectHandle, insurance);
    o('GET /Insurances/{handle}', `/Insurances/${insuranceId}`, insuranceId);
    o('POST /Insurances/{handle}/accept', `/Insurances/${insuranceId}/accept`, insuranceId, []);
    o('POST /Insurances/{handle}/cancel', `/Insurances/${insuranceId}/cancel`, insuranceId, {});

    // SocGen: the owner's subscription (item, quotation, subscription in the demo's CIFRWE).
    const socgen = await socgenToken(
      t,
      DEMO_CREDENTIALS.oauth.client_id,
      DEMO_CREDENTIALS.oauth.client_secret,
    );
    const sg = async (path: string, body: unknown) => {
      const res = await t.app.inject({
        method: 'POST',
        url: `${SOCGEN_API}${path}`,
        headers: { authorization: `Bearer ${socgen}` },
        payload: body as object,
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json();
    };
    const sgItem = await sg('/items', {
      solutionCode: 'CIFRWE',
      sku: 'S1',
      merchantItemId: 'm1',
      brand: 'LG',
      model: 'M1',
      title: 'Robot',
      description: 'Robot',
      characteristics: 'Robot',
      category: 'Small appliance',
    });
    const sgQuote = await sg('/quotations', {
      solutionCode: 'CIFRWE',
      itemId: sgItem.id,
      itemPrice: 500,
      insuranceId: '24M',
    });
    const { insuranceSubscriptionId: subscriptionId } = await sg('/subscriptions', {
      solutionCode: 'CIFRWE',
      quoteId: sgQuote.quoteId,
      insuranceId: '24M',
      merchantBasketId: 'b1',
      merchantBuyerId: 'u1',
      producerQuoteExpirationDate: sgQuote.expirationDate.slice(0, 10),
      producerQuoteInsurancePrice: sgQuote.insurancePrice,
      buyer: {
        contact: {
          lastName: 'Dupont',
          firstName: 'Paul',
          email: 'paul@mail.fr',
          mobilePhoneNumber: '0600000000',
        },
        address: {
          streetNumber: 1,
          streetName: 'rue',
          zipCode: '75001',
          cityName: 'Paris',
          regionName: 'IDF',
          countryCode: 'FR',
        },
      },
      insuredItem: {
        id: 'i1',
        label: 'Robot',
        brandName: 'LG',
        price: 500,
        currencyCode: 'EUR',
        orderId: 'o1',
        category: 'Small appliance',
        insurancePrice: 500,
      },
    });
    const sgProbe = (op: string, path: string) =>
      probe(`${op.split(' ')[0]} /socgen/baas/prod/insurance/api/v1${op.split(' ')[1]}`, {
        surface: 'socgen',
        path,
        id: subscriptionId,
      });
    sgProbe('GET /subscriptions/{insuranceSubscriptionId}', `/subscriptions/${subscriptionId}`);
    sgProbe(
      'POST /subscriptions/{insuranceSubscriptionId}/_cancel',
      `/subscriptions/${subscriptionId}/_cancel`,
    );
    const cartId = 'cart-matrix-0001';
    const cart = await t.app.inject({
      method: 'POST',
      url: '/hakuna/sandbox/carts',
      headers: { authorization: `Bearer ${DEMO_CREDENTIALS.api_key}` },
      payload: { cart_id: cartId, user_session_id: 's-1', cart_currency: 'eur', line_items: [] },
    });
    expect(cart.statusCode, cart.body).toBe(200);
    for (const env of ['sandbox', 'live']) {
      probe(`GET /hakuna/${env}/carts/{cart_id}/plan-connections`, {
        surface: 'hakuna',
        path: `/carts/${cartId}/plan-connections?user_session_id=s-1`,
        id: cartId,
      });
    }
  }, 120_000);
  afterAll(() => s?.close());

  it('every operation of a partner-facing API that takes an id is probed', async () => {
    const doc = (await s.t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const withIds = Object.entries<Record<string, unknown>>(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops)
        .filter(() => !path.startsWith('/admin/'))
        .filter(() => [...path.matchAll(/\{(\w+)\}/g)].some(([, name]) => !SCOPE_PARAMS.has(name!)))
        .map((method) => `${method.toUpperCase()} ${path}`),
    );
    const unprobed = withIds.filter((op) => !probes.has(op) && !(op in NOT_IDS));
    expect(unprobed).toEqual([]);
  });

  it("the owner's ids are real: the owner reads each of them", async () => {
    for (const [op, probe] of probes) {
      if (!op.startsWith('GET ')) continue;
      const res = await send(owner, probe);
      expect(res.statusCode, `${op}: ${res.body.slice(0, 300)}`).toBe(200);
    }
  });

  for (const who of ['another partner', 'the owner in live mode'] as const) {
    it(`${who} cannot tell the owner's ids from made-up ones, and gets the API's not-found`, async () => {
      const caller = who === 'another partner' ? stranger : ownerLive;
      const leaks: string[] = [];
      for (const [op, probe] of probes) {
        // A certificate link carries no credentials (its token is the key), so it has no mode to cross.
        if (probe.surface === 'coi' && caller === ownerLive) continue;
        const fake = madeUp(probe.id);
        const mask = (res: LightMyRequestResponse) =>
          `${res.statusCode} ${res.body.replaceAll(probe.id, '<id>').replaceAll(fake, '<id>')}`;
        const real = mask(await send(caller, probe));
        const made = mask(await send(caller, probe, probe.path.replaceAll(probe.id, fake)));
        if (real !== made)
          leaks.push(`${op}\n  real id: ${real.slice(0, 300)}\n  made up: ${made.slice(0, 300)}`);
        else if (!real.startsWith('404 ')) leaks.push(`${op}: not a 404: ${real.slice(0, 300)}`);
      }
      report('tenant matrix', `${backend}, ${who}`, { operations: probes.size, leaks: leaks.length });
      expect(leaks).toEqual([]);
    });
  }

  it("another partner's statement of the owner's month holds nothing of the owner's", async () => {
    const month = s.clock.now().toISOString().slice(0, 7);
    const res = await s.t.app.inject({
      method: 'GET',
      url: `/v1/statements/${month}`,
      headers: { authorization: `Bearer ${stranger.credentials.api_key}` },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().totals ?? res.json()).not.toHaveProperty('policies', expect.any(Array));
    expect(JSON.stringify(res.json())).not.toMatch(/electroshop/);
  });
});
