import { SignJWT } from 'jose';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/core/errors.js';
import { DEMO_CREDENTIALS } from '../../src/demo/catalog.js';
import { OMOCOM_STATUS } from '../../src/http/dialects/omocom/errors.js';
import { loadMigrations } from '../../src/storage/migrate.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { TEST_TOKEN_KEY } from '../helpers/constants.js';
import { BACKENDS } from '../helpers/database.js';

const COUNTERPART = '66006782-1921-4AE9-9E21-698BA45C99C9';
const BASE = '/omocom/v1.3/electroshop/SE';

it('maps every core error code to a status', () => {
  expect(Object.keys(OMOCOM_STATUS).sort()).toEqual([...ERROR_CODES].sort());
});

describe.each(BACKENDS)('the Omocom dialect on %s', (backend) => {
  let t: TestApp;
  let token: string;
  let seq = 0;
  beforeAll(async () => {
    t = await buildTestApp({ backend, now: '2022-10-01T08:00:00Z' });
    token = await tokenFor(DEMO_CREDENTIALS.oauth.client_id, DEMO_CREDENTIALS.oauth.client_secret);
  });
  afterAll(async () => t.close());

  async function tokenFor(clientId: string, secret: string): Promise<string> {
    const r = await t.app.inject({
      method: 'POST',
      url: '/omocom/oauth2/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `grant_type=client_credentials&client_id=${clientId}&client_secret=${secret}&scope=api`,
    });
    expect(r.statusCode).toBe(200);
    return r.json().access_token;
  }
  const send = (method: 'GET' | 'POST', url: string, body?: unknown, bearer = token, headers = {}) =>
    t.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${bearer}`, ...headers },
      ...(body === undefined ? {} : { payload: body as object }),
    });
  const expectError = (r: { statusCode: number; json(): unknown }, status: number, field?: string | null) => {
    expect(r.statusCode).toBe(status);
    const body = r.json() as { message: string; field: string | null; code: string };
    expect(typeof body.message).toBe('string');
    expect(typeof body.code).toBe('string');
    if (field !== undefined) expect(body.field).toBe(field);
  };

  async function newUser(extra: Record<string, unknown> = {}) {
    seq += 1;
    const r = await send('POST', `${BASE}/Users`, {
      MarketName: 'SE',
      UserId: `user-${seq}-${Math.random().toString(36).slice(2, 8)}`,
      FirstName: 'Glen',
      LastName: 'Clarkson',
      SocialSecurityNumber: { SSN: `19840726-${String(1000 + seq)}`, Country: 'SE' },
      EmailAddress: `glen.${seq}@example.com`,
      Culture: 'sv',
      ...extra,
    });
    expect(r.statusCode).toBe(201);
    return r.json() as { handle: string; UserId: string; EmailAddress: string };
  }
  async function newObject(ownerHandle: string, extra: Record<string, unknown> = {}) {
    const r = await send('POST', `${BASE}/InsurableObjects`, {
      objectId: '',
      objectCategory: 'Tablet',
      ownerHandle,
      shortDescription: 'iPad',
      ExternalProperties: [{ name: 'Make', value: 'Apple' }],
      ...extra,
    });
    expect(r.statusCode).toBe(201);
    return r.json() as { handle: string; objectId: string };
  }
  const insuranceBody = (extra: Record<string, unknown> = {}) => ({
    product: 'Refurbished Electronics Insurance',
    insuranceStartDateTime: '2022-10-03T11:36:48.0000000+01:00',
    counterpartHandle: COUNTERPART,
    properties: [
      { name: 'PurchasePrice', monetaryValue: { amount: 8500, currency: 'SEK' } },
      { name: 'ReceiptNumber', value: 'R-1' },
    ],
    ...extra,
  });
  async function newInsurance(extra: Record<string, unknown> = {}) {
    const user = await newUser();
    const object = await newObject(user.handle);
    const r = await send('POST', `${BASE}/Insurances/${object.handle}`, insuranceBody(extra));
    expect(r.statusCode).toBe(201);
    return {
      user,
      object,
      insurance: r.json() as { insuranceId: string; status: string; quoteExpiresDateTime: string },
    };
  }

  describe('OAuth2 token', () => {
    it('takes the client as HTTP Basic and as JSON too', async () => {
      const basic = Buffer.from(
        `${DEMO_CREDENTIALS.oauth.client_id}:${DEMO_CREDENTIALS.oauth.client_secret}`,
      ).toString('base64');
      const r = await t.app.inject({
        method: 'POST',
        url: '/omocom/oauth2/token',
        headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'grant_type=client_credentials',
      });
      expect(r.statusCode).toBe(200);
      expect(r.json()).toMatchObject({ token_type: 'Bearer', expires_in: 7200 });
      const json = await t.app.inject({
        method: 'POST',
        url: '/omocom/oauth2/token',
        payload: {
          grant_type: 'client_credentials',
          client_id: DEMO_CREDENTIALS.oauth.client_id,
          client_secret: DEMO_CREDENTIALS.oauth.client_secret,
        },
      });
      expect(json.statusCode).toBe(200);
    });

    // Token refusals are OAuth2's own (RFC 6749 §5.2), as OAuth2 client libraries read them; this test
    // pinned the dialect's `{message, field, code}` body before (issue #11).
    it('refuses a wrong grant type, a missing client and a wrong secret as OAuth2 errors', async () => {
      const form = (payload: string, contentType = 'application/x-www-form-urlencoded') =>
        t.app.inject({
          method: 'POST',
          url: '/omocom/oauth2/token',
          headers: { 'content-type': contentType },
          payload,
        });
      const expectOAuth = (r: Awaited<ReturnType<typeof form>>, status: number, error: string) => {
        expect(r.statusCode, r.body).toBe(status);
        expect(r.headers['cache-control']).toBe('no-store');
        expect(r.json()).toEqual({ error, error_description: expect.any(String) });
      };
      expectOAuth(
        await form('grant_type=password&client_id=a&client_secret=b'),
        400,
        'unsupported_grant_type',
      );
      expectOAuth(await form('client_id=a&client_secret=b'), 400, 'invalid_request');
      expectOAuth(await form('grant_type=client_credentials&client_secret=b'), 400, 'invalid_request');
      const wrong = await form(
        `grant_type=client_credentials&client_id=${DEMO_CREDENTIALS.oauth.client_id}&client_secret=nope`,
      );
      expectOAuth(wrong, 401, 'invalid_client');
      expect(wrong.headers['www-authenticate']).toMatch(/^Basic/);
      expectOAuth(
        await form('grant_type=client_credentials&client_id=cli_unknown&client_secret=x'),
        401,
        'invalid_client',
      );
      expectOAuth(await form('{"grant_type": 7}', 'application/json'), 400, 'invalid_request');
      expectOAuth(await form('{not json', 'application/json'), 400, 'invalid_request');
      expectOAuth(await form('grant_type=client_credentials', 'text/plain'), 400, 'invalid_request');
    });

    it('refuses missing, malformed, foreign and expired tokens with 401', async () => {
      const partner = (await t.db.read.partners.getByCode('electroshop'))!;
      expectError(await t.app.inject({ method: 'GET', url: `${BASE}/Users/find?UserId=x` }), 401);
      expectError(await send('GET', `${BASE}/Users/find?UserId=x`, undefined, 'not-a-jwt'), 401);
      const foreign = await new SignJWT({ mode: 'test' })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer('protego')
        .setAudience('protego:omocom')
        .setSubject(partner.id)
        .setExpirationTime('2h')
        .sign(new Uint8Array(32).fill(1));
      expectError(await send('GET', `${BASE}/Users/find?UserId=x`, undefined, foreign), 401);
      const unsigned = `${token.split('.').slice(0, 2).join('.')}.`;
      expectError(await send('GET', `${BASE}/Users/find?UserId=x`, undefined, unsigned), 401);
      const now = Math.floor(t.clock.now().getTime() / 1000);
      const expired = await new SignJWT({ mode: 'test' })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer('protego')
        .setAudience('protego:omocom')
        .setSubject(partner.id)
        .setIssuedAt(now - 7300)
        .setExpirationTime(now - 100)
        .sign(TEST_TOKEN_KEY);
      const r = await send('GET', `${BASE}/Users/find?UserId=x`, undefined, expired);
      expectError(r, 401);
      expect(r.json().message).toContain('expired');
    });
  });

  describe('platform and market', () => {
    it('answers 404 for an unknown platform or market', async () => {
      expectError(await send('GET', '/omocom/v1.3/nosuchshop/SE/Users/find?UserId=x'), 404, 'platform');
      expectError(await send('GET', '/omocom/v1.3/electroshop/NO/Users/find?UserId=x'), 404, 'market');
      expectError(await send('GET', '/omocom/v1.3/electroshop/SE/Nothing'), 404);
    });

    it("keeps a second platform's token away from Electroshop's insurances (403/404)", async () => {
      const { insurance } = await newInsurance();
      const other = await t.newPartner();
      const issued = await t.admin({
        method: 'POST',
        url: `/admin/v1/partners/${other.code}/credentials`,
        payload: { mode: 'test' },
      });
      expect(issued.statusCode).toBe(201);
      const otherToken = await tokenFor(issued.json().oauth.client_id, issued.json().oauth.client_secret);
      const id = insurance.insuranceId;
      expectError(await send('GET', `${BASE}/Insurances/${id}`, undefined, otherToken), 403, 'platform');
      expectError(await send('POST', `${BASE}/Insurances/${id}/accept`, [], otherToken), 403, 'platform');
      const own = `/omocom/v1.3/${other.code}/SE`;
      expectError(await send('GET', `${own}/Insurances/${id}`, undefined, otherToken), 404, 'InsuranceId');
      expectError(await send('POST', `${own}/Insurances/${id}/accept`, [], otherToken), 404, 'InsuranceId');
      expect((await send('GET', `${BASE}/Insurances/${id}`)).json().status).toBe('Quote');
    });
  });

  describe('Users', () => {
    it('creates, repeats, reads and finds users; the SSN is masked out and encrypted in', async () => {
      const user = await newUser({ SocialSecurityNumber: { SSN: '19700101-9876', Country: 'SE' } });
      const again = await send('POST', `${BASE}/Users`, {
        MarketName: 'SE',
        UserId: user.UserId,
        FirstName: 'Other',
        LastName: 'Name',
      });
      expect(again.statusCode).toBe(200);
      expect(again.json().handle).toBe(user.handle);
      const read = await send('GET', `${BASE}/Users/${user.handle.toUpperCase()}`);
      expect(read.json()).toMatchObject({
        handle: user.handle,
        SocialSecurityNumber: { SSN: '********-9876' },
      });
      for (const q of [
        `UserId=${user.UserId}`,
        `EmailAddress=${user.EmailAddress.toUpperCase()}`,
        'SocialSecurityNumber=197001019876',
        `userid=${user.UserId}&socialsecuritynumber=19700101-9876`,
      ]) {
        const found = await send('GET', `${BASE}/Users/find?${q}`);
        expect(found.statusCode, q).toBe(200);
        expect(found.json().handle).toBe(user.handle);
      }
      expectError(await send('GET', `${BASE}/Users/find?UserId=nobody`), 404);
      expectError(await send('GET', `${BASE}/Users/find`), 400, 'UserId');
      expectError(await send('GET', `${BASE}/Users/00000000-0000-0000-0000-000000000000`), 404, 'UserHandle');
      const rows = await t.db.kysely
        .selectFrom('dialect_records')
        .selectAll()
        .where('handle', '=', user.handle)
        .execute();
      expect(JSON.stringify(rows)).not.toContain('19700101');
    });

    it('accepts field names in any case and names the missing field', async () => {
      const r = await send('POST', `${BASE}/Users`, {
        marketname: 'SE',
        userid: `lower-${Date.now()}`,
        firstname: 'Ann',
        LASTNAME: 'Lind',
      });
      expect(r.statusCode).toBe(201);
      expect(r.json()).toMatchObject({ FirstName: 'Ann', LastName: 'Lind' });
      expectError(await send('POST', `${BASE}/Users`, { UserId: 'x', LastName: 'Lind' }), 400, 'FirstName');
      expectError(
        await send('POST', `${BASE}/Users`, { MarketName: 'DE', UserId: 'x', FirstName: 'A', LastName: 'B' }),
        400,
        'MarketName',
      );
      const bad = await t.app.inject({
        method: 'POST',
        url: `${BASE}/Users`,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        payload: '{"UserId": ',
      });
      expectError(bad, 400, 'body');
    });
  });

  describe('InsurableObjects', () => {
    it('returns the existing object for a repeated objectId, and 404 for unknown handles', async () => {
      const user = await newUser();
      const first = await newObject(user.handle, { objectId: `IMEI-${seq}` });
      const again = await send('POST', `${BASE}/InsurableObjects`, {
        objectId: `IMEI-${seq}`,
        objectCategory: 'Tablet',
        ownerHandle: user.handle,
      });
      expect(again.statusCode).toBe(200);
      expect(again.json().handle).toBe(first.handle);
      expect((await send('GET', `${BASE}/InsurableObjects/${first.handle}`)).json()).toMatchObject({
        objectId: `IMEI-${seq}`,
        ExternalProperties: [{ name: 'Make', value: 'Apple' }],
      });
      expectError(await send('GET', `${BASE}/InsurableObjects/nope`), 404, 'ObjectHandle');
      expectError(
        await send('POST', `${BASE}/InsurableObjects`, {
          objectCategory: 'Tablet',
          ownerHandle: '00000000-0000-0000-0000-000000000000',
        }),
        404,
        'ownerHandle',
      );
      expectError(
        await send('POST', `${BASE}/InsurableObjects`, { ownerHandle: user.handle }),
        400,
        'objectCategory',
      );
    });
  });

  // Issue #11 item 1: the guide's objectId is the device's own id (an IMEI). A second buyer registering
  // the same device got the first owner's object back, and the insurance quoted on it was the first
  // owner's. Ownership follows the buyer: the object moves to the new owner, the old owner's policies
  // stay theirs, and a quote made for the old owner can no longer be accepted.
  describe('a resold device', () => {
    const policyOf = async (insuranceId: string) => {
      const tenant = {
        partnerId: (await t.db.read.partners.getByCode('electroshop'))!.id,
        mode: 'test' as const,
      };
      const id = await t.db.read.aliases.resolve(tenant, 'omocom_insurance', insuranceId);
      return (await t.db.read.policies.get(tenant, id!))!;
    };
    const quote = async (objectHandle: string) => {
      const r = await send('POST', `${BASE}/Insurances/${objectHandle}`, insuranceBody());
      expect(r.statusCode, r.body).toBe(201);
      return r.json() as { insuranceId: string; ownerHandle: string; objectHandle: string };
    };

    it("is insured in the new owner's name; the first owner's policies stay theirs", async () => {
      const imei = `IMEI-999-${seq}-${Date.now()}`;
      const a = await newUser();
      const objectA = await newObject(a.handle, {
        objectId: imei,
        objectCategory: 'Tablet',
        shortDescription: "A's iPad, engraved 'Ann'",
        ExternalProperties: [{ name: 'IMEI', value: imei }],
      });
      const insuranceA = await quote(objectA.handle);
      expect((await send('POST', `${BASE}/Insurances/${insuranceA.insuranceId}/accept`, [])).statusCode).toBe(
        200,
      );
      const staleQuoteA = await quote(objectA.handle);

      const b = await newUser();
      const resold = await send('POST', `${BASE}/InsurableObjects`, {
        objectId: imei,
        objectCategory: 'Tablet',
        ownerHandle: b.handle,
      });
      expect(resold.statusCode, resold.body).toBeLessThan(300);
      const objectB = resold.json();
      expect(objectB).toMatchObject({ objectId: imei, ownerHandle: b.handle });
      // Nothing of the first owner's registration is shown to the second.
      expect(JSON.stringify(objectB)).not.toContain(a.handle);
      expect(objectB.shortDescription).toBeUndefined();
      expect(objectB.ExternalProperties).toBeUndefined();

      const insuranceB = await quote(objectB.handle);
      expect(insuranceB.ownerHandle).toBe(b.handle);
      const accepted = await send('POST', `${BASE}/Insurances/${insuranceB.insuranceId}/accept`, []);
      expect(accepted.statusCode).toBe(200);
      expect((await policyOf(insuranceB.insuranceId)).policyholder.email).toBe(b.EmailAddress);
      expect((await send('GET', `${BASE}/Users/${b.handle}/Insurances`)).json()).toMatchObject([
        { insuranceId: insuranceB.insuranceId, ownerHandle: b.handle, status: 'Accepted' },
      ]);

      // The first owner's insurance is still theirs, holder and all.
      const listA = (await send('GET', `${BASE}/Users/${a.handle}/Insurances`)).json();
      expect(listA.map((i: { insuranceId: string }) => i.insuranceId).sort()).toEqual(
        [insuranceA.insuranceId, staleQuoteA.insuranceId].sort(),
      );
      expect(listA.map((i: { ownerHandle: string }) => i.ownerHandle)).toEqual([a.handle, a.handle]);
      expect((await policyOf(insuranceA.insuranceId)).policyholder.email).toBe(a.EmailAddress);
      expect((await send('GET', `${BASE}/Insurances/${insuranceA.insuranceId}`)).json()).toMatchObject({
        ownerHandle: a.handle,
        status: 'Accepted',
      });

      // Nothing under the new owner reaches the first owner's insurance: there is no such route, and
      // the answer is Omocom's 404, with nothing of it.
      for (const path of [
        `/Users/${b.handle}/Insurances/${insuranceA.insuranceId}`,
        `/Users/${b.handle}/InsurableObjects/${objectA.handle}`,
      ]) {
        const r = await send('GET', `${BASE}${path}`);
        expectError(r, 404, null);
        expect(r.json().code).toBe('route_not_found');
        expect(r.body).not.toContain(a.handle);
      }

      // A quote made for the first owner cannot be bound once the device is someone else's.
      const stale = await send('POST', `${BASE}/Insurances/${staleQuoteA.insuranceId}/accept`, []);
      expectError(stale, 409, 'InsuranceId');
      expect(stale.json().message).toContain('owner');
      expect((await send('GET', `${BASE}/Insurances/${staleQuoteA.insuranceId}`)).json().status).toBe(
        'Quote',
      );
      // Accepting the first owner's bound insurance again still answers it unchanged.
      const again = await send('POST', `${BASE}/Insurances/${insuranceA.insuranceId}/accept`, []);
      expect(again.statusCode).toBe(200);
      expect(again.json()).toMatchObject({ ownerHandle: a.handle, status: 'Accepted' });
    });

    it('moves back to a buyer who owned it before, and stays put for its own owner', async () => {
      const imei = `IMEI-BACK-${seq}-${Date.now()}`;
      const a = await newUser();
      const b = await newUser();
      const register = (ownerHandle: string, extra = {}) =>
        send('POST', `${BASE}/InsurableObjects`, {
          objectId: imei,
          objectCategory: 'Tablet',
          ownerHandle,
          ...extra,
        });
      const first = await register(a.handle);
      expect(first.statusCode).toBe(201);
      expect((await register(b.handle)).json().ownerHandle).toBe(b.handle);
      const back = await register(a.handle, { shortDescription: 'bought back' });
      expect(back.json()).toMatchObject({ ownerHandle: a.handle, shortDescription: 'bought back' });
      expect((await quote(back.json().handle)).ownerHandle).toBe(a.handle);
      // Registered again by its own owner: the same object, with the fields sent and the others kept.
      const update = await register(a.handle, { description: 'scratched' });
      expect(update.statusCode).toBe(200);
      expect(update.json()).toMatchObject({
        handle: first.json().handle,
        shortDescription: 'bought back',
        description: 'scratched',
      });
    });
  });

  // Issue #11's rules, replayed from the guide: every field a client sends is honoured or refused by its
  // own name; a filter, page size or sort is applied or refused; a request the state no longer allows
  // is a 4xx.
  describe('the guide replayed by an integrator', () => {
    it("updates a user registered again with the fields sent (the guide's POST is the only write)", async () => {
      const user = await newUser({ PhoneNumber: '+46705554422' });
      const again = await send('POST', `${BASE}/Users`, {
        UserId: user.UserId,
        FirstName: 'Glenn',
        LastName: 'Clarkson',
        EmailAddress: 'glenn@example.com',
      });
      expect(again.statusCode).toBe(200);
      const read = (await send('GET', `${BASE}/Users/${user.handle}`)).json();
      expect(read).toMatchObject({
        handle: user.handle,
        FirstName: 'Glenn',
        EmailAddress: 'glenn@example.com',
      });
      expect(read.PhoneNumber).toBe('+46705554422');
      expect((await send('GET', `${BASE}/Users/find?EmailAddress=glenn@example.com`)).json().handle).toBe(
        user.handle,
      );
      // The insurance quoted next is in the user's new name.
      const object = await newObject(user.handle);
      const quoted = await send('POST', `${BASE}/Insurances/${object.handle}`, insuranceBody());
      expect(quoted.statusCode).toBe(201);
      const tenant = {
        partnerId: (await t.db.read.partners.getByCode('electroshop'))!.id,
        mode: 'test' as const,
      };
      const policyId = await t.db.read.aliases.resolve(tenant, 'omocom_insurance', quoted.json().insuranceId);
      expect((await t.db.read.policies.get(tenant, policyId!))?.policyholder).toMatchObject({
        firstName: 'Glenn',
        email: 'glenn@example.com',
      });
    });

    it('refuses a query parameter it does not apply, by its name', async () => {
      const user = await newUser();
      expectError(
        await send('GET', `${BASE}/Users/find?UserId=${user.UserId}&PhoneNumber=1`),
        400,
        'PhoneNumber',
      );
      expectError(await send('GET', `${BASE}/Users/${user.handle}/Insurances?status=Active`), 400, 'status');
      expectError(await send('GET', `${BASE}/Users/${user.handle}/Insurances?pageSize=10`), 400, 'pageSize');
      expectError(
        await send('GET', `${BASE}/Users/${user.handle}/Insurances?sort=createdDateTime`),
        400,
        'sort',
      );
      expectError(await send('GET', `${BASE}/Users/${user.handle}?expand=Insurances`), 400, 'expand');
      const r = await send('GET', `${BASE}/Users/${user.handle}/Insurances?status=Active`);
      expect(r.json().message).toBe('status is not a known field');
      expect((await send('GET', `${BASE}/Users/find?userid=${user.UserId}`)).statusCode).toBe(200);
    });

    it('refuses an insurance field it would drop, and an end of cover no term has', async () => {
      const user = await newUser();
      const object = await newObject(user.handle);
      const url = `${BASE}/Insurances/${object.handle}`;
      expectError(
        await send('POST', url, insuranceBody({ insuranceEndDate: '2023-10-02' })),
        400,
        'insuranceEndDate',
      );
      expectError(await send('POST', url, insuranceBody({ quantity: 2 })), 400, 'quantity');
      // Two months asked of a 12-month product: refused, not priced and covered for a year.
      const short = await send(
        'POST',
        url,
        insuranceBody({ insuranceEndDateTime: '2022-12-03T11:36:48+01:00' }),
      );
      expectError(short, 400, 'insuranceEndDateTime');
      expect(short.json().message).toContain('12 months');
      // The guide's end, half a day short of the year, is the 12-month term.
      const guide = await send(
        'POST',
        url,
        insuranceBody({ insuranceEndDateTime: '2023-10-02T23:59:59.0000000+01:00' }),
      );
      expect(guide.statusCode).toBe(201);
      expect(guide.json()).toMatchObject({
        termMonths: 12,
        insuranceEndDateTime: '2023-10-03T11:36:48.0000000+01:00',
      });
      const twice = insuranceBody({
        properties: [
          { name: 'PurchasePrice', monetaryValue: { amount: 8500, currency: 'SEK' } },
          { name: 'purchaseprice', monetaryValue: { amount: 100, currency: 'SEK' } },
        ],
      });
      expectError(await send('POST', url, twice), 400, 'properties/1/name');
    });

    it("names the client's own fields when the core refuses a quote", async () => {
      const noSsn = await newUser({ SocialSecurityNumber: undefined });
      const object = await newObject(noSsn.handle);
      const url = `${BASE}/Insurances/${object.handle}`;
      const missing = await send('POST', url, insuranceBody());
      expectError(missing, 400, 'SocialSecurityNumber');
      const euro = await send(
        'POST',
        url,
        insuranceBody({
          properties: [{ name: 'PurchasePrice', monetaryValue: { amount: 850, currency: 'EUR' } }],
        }),
      );
      expectError(euro, 400, 'properties/0/monetaryValue/currency');
      for (const r of [missing, euro]) {
        const fields = (r.json().errors as { field: string }[]).map((e) => e.field);
        expect(fields.join(' ')).not.toMatch(/policyholder|item\//);
      }
    });

    it('refuses accepting an insurance that was cancelled, and anything in the accept or cancel body', async () => {
      const { insurance } = await newInsurance();
      const id = insurance.insuranceId;
      expectError(await send('POST', `${BASE}/Insurances/${id}/accept`, [{ paid: true }]), 400, 'body');
      expectError(
        await send('POST', `${BASE}/Insurances/${id}/cancel`, { refundAmount: 0 }),
        400,
        'refundAmount',
      );
      expect((await send('GET', `${BASE}/Insurances/${id}`)).json().status).toBe('Quote');
      expect((await send('POST', `${BASE}/Insurances/${id}/accept`, [])).statusCode).toBe(200);
      expect((await send('POST', `${BASE}/Insurances/${id}/accept`, [])).statusCode).toBe(200);
      expect(
        (await send('POST', `${BASE}/Insurances/${id}/cancel`, { reason: 'changed mind' })).statusCode,
      ).toBe(200);
      const late = await send('POST', `${BASE}/Insurances/${id}/accept`, []);
      expectError(late, 409, 'InsuranceId');
      expect(late.json().message).toBe('a cancelled policy cannot be accepted');
      // A quote cancelled before it was accepted is void, and cannot be accepted either.
      const voided = (await newInsurance()).insurance.insuranceId;
      expect((await send('POST', `${BASE}/Insurances/${voided}/cancel`)).json().status).toBe('Voided');
      expectError(await send('POST', `${BASE}/Insurances/${voided}/accept`, []), 409, 'InsuranceId');
    });
  });

  describe('Insurances', () => {
    it('refuses what it cannot insure, naming the field', async () => {
      const user = await newUser();
      const object = await newObject(user.handle);
      const url = `${BASE}/Insurances/${object.handle}`;
      expectError(await send('POST', `${BASE}/Insurances/nope`, insuranceBody()), 404, 'ObjectHandle');
      expectError(
        await send('POST', url, insuranceBody({ counterpartHandle: '00000000-0000-0000-0000-000000000000' })),
        400,
        'counterpartHandle',
      );
      expectError(await send('POST', url, insuranceBody({ product: 'Boat Insurance' })), 400, 'product');
      expectError(await send('POST', url, insuranceBody({ properties: [] })), 400, 'properties');
      expectError(
        await send(
          'POST',
          url,
          insuranceBody({
            properties: [{ name: 'PurchasePrice', monetaryValue: { amount: 8500.123, currency: 'SEK' } }],
          }),
        ),
        400,
        'properties/0/monetaryValue/amount',
      );
      expectError(
        await send(
          'POST',
          url,
          insuranceBody({
            properties: [{ name: 'PurchasePrice', monetaryValue: { amount: '8500', currency: 'SEK' } }],
          }),
        ),
        400,
      );
      expectError(
        await send('POST', url, insuranceBody({ insuranceStartDateTime: 'tomorrow' })),
        400,
        'insuranceStartDateTime',
      );
      expectError(
        await send('POST', url, insuranceBody({ insuranceStartDateTime: '2025-10-03T11:36:48Z' })),
        400,
        'insuranceStartDateTime',
      );
      expectError(
        await send(
          'POST',
          url,
          insuranceBody({
            properties: [{ name: 'PurchasePrice', monetaryValue: { amount: 900000, currency: 'SEK' } }],
          }),
        ),
        400,
        'properties/0/monetaryValue/amount',
      );
      const boat = await newObject(user.handle, { objectCategory: 'Boat' });
      expectError(
        await send('POST', `${BASE}/Insurances/${boat.handle}`, insuranceBody()),
        400,
        'objectCategory',
      );
    });

    it('refuses a quote accepted more than 24 hours after it was made', async () => {
      const { insurance } = await newInsurance({ insuranceStartDateTime: '2022-10-05T10:00:00+02:00' });
      t.clock.advance(24 * 3_600_000 + 1000);
      try {
        const fresh = await tokenFor(DEMO_CREDENTIALS.oauth.client_id, DEMO_CREDENTIALS.oauth.client_secret);
        const r = await send('POST', `${BASE}/Insurances/${insurance.insuranceId}/accept`, [], fresh);
        expectError(r, 400, 'InsuranceId');
        expect(r.json()).toMatchObject({ code: 'offer_expired' });
        expect(r.json().message).toContain('expired');
      } finally {
        t.clock.set('2022-10-01T08:00:00Z');
      }
    });

    it('accepts and expires an insurance stored with its own quote expiry (before 010) as before', async () => {
      const start = { insuranceStartDateTime: '2022-10-05T10:00:00+02:00' };
      const early = (await newInsurance(start)).insurance;
      const late = (await newInsurance(start)).insurance;
      const expiresAt = early.quoteExpiresDateTime;
      expect(expiresAt).toBe(new Date(t.clock.now().getTime() + 24 * 3_600_000).toISOString());
      // As the release before 010 wrote them: the expiry copied into the insurance record.
      const handles = [early.insuranceId, late.insuranceId];
      await sql`UPDATE dialect_records SET data = data || jsonb_build_object('quoteExpiresAt', ${expiresAt}::text)
        WHERE kind = 'omocom_insurance' AND handle IN (${sql.join(handles)})`.execute(t.db.kysely);
      const migration = (await loadMigrations()).find((m) => m.version === 10)!;
      await sql.raw(migration.sql).execute(t.db.kysely);
      const rows = await t.db.kysely
        .selectFrom('dialect_records')
        .select('data')
        .where('handle', 'in', handles)
        .execute();
      expect(rows.map((r) => 'quoteExpiresAt' in r.data)).toEqual([false, false]);
      expect((await send('GET', `${BASE}/Insurances/${early.insuranceId}`)).json()).toEqual(early);
      try {
        t.clock.advance(24 * 3_600_000 - 1);
        const fresh = await tokenFor(DEMO_CREDENTIALS.oauth.client_id, DEMO_CREDENTIALS.oauth.client_secret);
        const accepted = await send('POST', `${BASE}/Insurances/${early.insuranceId}/accept`, [], fresh);
        expect(accepted.json()).toMatchObject({ status: 'Accepted', quoteExpiresDateTime: null });
        t.clock.advance(1);
        const refused = await send('POST', `${BASE}/Insurances/${late.insuranceId}/accept`, [], fresh);
        expectError(refused, 400, 'InsuranceId');
        expect(refused.json()).toEqual({
          message: `the price quote expired at ${expiresAt} (24 hours after the insurance was created); create the insurance again for a new quote`,
          field: 'InsuranceId',
          code: 'offer_expired',
          errors: [{ field: 'InsuranceId', message: 'quote expired' }],
        });
      } finally {
        t.clock.set('2022-10-01T08:00:00Z');
      }
    });

    it('cancels with the refund, once; unknown insurances are 404', async () => {
      const { insurance, user } = await newInsurance({
        insuranceStartDateTime: '2022-10-01T10:00:00+02:00',
        insuranceEndDateTime: '2023-09-30T23:59:59+02:00',
      });
      const id = insurance.insuranceId;
      const accepted = await send('POST', `${BASE}/Insurances/${id}/accept`, []);
      expect(accepted.json()).toMatchObject({
        status: 'Active',
        insuranceStartDateTime: '2022-10-01T10:00:00.0000000+02:00',
        insuranceEndDateTime: '2023-10-01T10:00:00.0000000+02:00',
      });
      const cancelled = await send('POST', `${BASE}/Insurances/${id}/cancel`, {});
      expect(cancelled.statusCode).toBe(200);
      expect(cancelled.json()).toMatchObject({
        status: 'Cancelled',
        refund: { amount: 699, currency: 'SEK' },
        refundRule: 'cooling_off',
      });
      expectError(await send('POST', `${BASE}/Insurances/${id}/cancel`, {}), 409);
      expect((await send('GET', `${BASE}/Users/${user.handle}/Insurances`)).json()).toMatchObject([
        { insuranceId: id, status: 'Cancelled' },
      ]);
      expectError(
        await send('GET', `${BASE}/Insurances/00000000-0000-0000-0000-000000000000`),
        404,
        'InsuranceId',
      );
      expectError(await send('POST', `${BASE}/Insurances/nope/accept`, []), 404, 'InsuranceId');
      expectError(await send('POST', `${BASE}/Insurances/nope/cancel`, {}), 404, 'InsuranceId');
      expectError(await send('GET', `${BASE}/Users/nope/Insurances`), 404, 'UserHandle');
    });

    it("shows back the client's own fields beyond the guide's, as sent", async () => {
      const user = await newUser({ Nickname: 'G', Loyalty: { tier: 2, since: null } });
      expect(user).toMatchObject({ Nickname: 'G', Loyalty: { tier: 2, since: null } });
      const object = await newObject(user.handle, {
        Colour: 'red',
        ExternalProperties: [{ name: 'Make', value: 'Apple', source: 'scanner' }],
      });
      expect((await send('GET', `${BASE}/InsurableObjects/${object.handle}`)).json()).toMatchObject({
        Colour: 'red',
        ExternalProperties: [{ name: 'Make', value: 'Apple', source: 'scanner' }],
      });
      const properties = [
        { name: 'PurchasePrice', monetaryValue: { amount: 8500.5, currency: 'sek', vat: true }, value: null },
        { name: 'ReceiptNumber', value: 'R-1', printed: 1 },
      ];
      const created = await send(
        'POST',
        `${BASE}/Insurances/${object.handle}`,
        insuranceBody({ properties }),
      );
      expect(created.statusCode).toBe(201);
      expect(created.json().properties).toEqual(properties);
    });

    // Issue #11: an HTTP client posting "no body" as JSON (Content-Type: application/json, Content-Length
    // 0, as .NET's and Python's clients do) got a 400 for accept and cancel.
    it('accepts and cancels with a JSON content type and an empty body', async () => {
      const { insurance } = await newInsurance();
      const empty = (action: string) =>
        t.app.inject({
          method: 'POST',
          url: `${BASE}/Insurances/${insurance.insuranceId}/${action}`,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json; charset=utf-8' },
          payload: '',
        });
      const accepted = await empty('accept');
      expect(accepted.statusCode, accepted.body).toBe(200);
      expect(accepted.json().status).toBe('Accepted');
      const cancelled = await empty('cancel');
      expect(cancelled.statusCode, cancelled.body).toBe(200);
      expect(cancelled.json().status).toBe('Cancelled');
      // And with no content type and no body at all.
      const other = (await newInsurance()).insurance;
      const bare = await t.app.inject({
        method: 'POST',
        url: `${BASE}/Insurances/${other.insuranceId}/accept`,
        headers: { authorization: `Bearer ${token}` },
      });
      expect(bare.statusCode, bare.body).toBe(200);
      // An empty body stays a 400 where the route needs one.
      const user = await t.app.inject({
        method: 'POST',
        url: `${BASE}/Users`,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        payload: '',
      });
      expectError(user, 400);
    });

    it('replays a create under the same Idempotency-Key', async () => {
      const user = await newUser();
      const object = await newObject(user.handle);
      const headers = { 'idempotency-key': `omocom-${object.handle}` };
      const url = `${BASE}/Insurances/${object.handle}`;
      const first = await send('POST', url, insuranceBody(), token, headers);
      const second = await send('POST', url, insuranceBody(), token, headers);
      expect(second.headers['idempotent-replayed']).toBe('true');
      expect(second.json().insuranceId).toBe(first.json().insuranceId);
      expectError(await send('POST', url, insuranceBody({ product: 'Tech Insurance' }), token, headers), 422);
    });
  });
});
