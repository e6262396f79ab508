import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS } from '../../src/demo/catalog.js';
import { runSchedule } from '../../src/jobs/scheduler.js';
import { Worker } from '../../src/jobs/worker.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { BACKENDS } from '../helpers/database.js';
import { plainSpaces, type TestMailbox, testMailbox } from '../helpers/mail.js';
import { testHandlers } from '../helpers/worker.js';

/**
 * The Omocom web-shop guide's sample flow for Electroshop, replayed as printed: the same JSON bodies,
 * with the handles each step returns put into the next. Only the base URL (/omocom) and the
 * credentials (the demo OAuth2 client) are Protego's.
 */
describe.each(BACKENDS)('the Omocom sample flow on %s', (backend) => {
  let t: TestApp;
  let mailbox: TestMailbox;
  let worker: Worker;
  beforeAll(async () => {
    t = await buildTestApp({ backend, now: '2022-10-01T08:00:00Z' });
    mailbox = testMailbox(t.clock);
    worker = new Worker(t.db, t.clock, testHandlers(t.db, { mailer: mailbox.mailer }));
  });
  afterAll(async () => {
    mailbox.remove();
    await t.close();
  });

  it('creates the user, the object and the insurance, accepts it, and the insurance starts with a letter', async () => {
    const fetchToken = () =>
      t.app.inject({
        method: 'POST',
        url: '/omocom/oauth2/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: DEMO_CREDENTIALS.oauth.client_id,
          client_secret: DEMO_CREDENTIALS.oauth.client_secret,
        }).toString(),
      });
    const token = await fetchToken();
    expect(token.statusCode).toBe(200);
    expect(token.json()).toMatchObject({ token_type: 'Bearer', expires_in: 7200 });
    const headers = {
      authorization: `Bearer ${token.json().access_token}`,
      'content-type': 'application/json',
    };
    const post = (url: string, payload: string) =>
      t.app.inject({ method: 'POST', url: `/omocom${url}`, headers, payload });
    const get = (url: string) => t.app.inject({ method: 'GET', url: `/omocom${url}`, headers });

    // Create User
    const user = await post(
      '/v1.3/electroshop/SE/Users',
      `{
    "MarketName": "SE", 
    "UserId": "someusername123", 
    "FirstName": "Glen", 
    "LastName": "Clarkson", 
    "SocialSecurityNumber": {
        "SSN": "19840726-1234", 
        "Country": "SE"
    }, 
    "PhoneNumber": "+46705554422", 
    "StreetAddress": "Somestreet 6", 
    "ZipCode": "12950", 
    "CountryCode": "SE", 
    "EmailAddress": "glen.clarkson.476@gmail.com", 
    "Culture": "sv"
}`,
    );
    expect(user.statusCode).toBe(201);
    const ownerHandle: string = user.json().handle;
    expect(ownerHandle).toMatch(/^[0-9a-f-]{36}$/);
    expect(user.json().SocialSecurityNumber).toEqual({ SSN: '********-1234', Country: 'SE' });
    expect(user.body).not.toContain('19840726');

    // Create Insurable Object
    const object = await post(
      '/v1.3/electroshop/SE/InsurableObjects',
      `{
    "objectId": "", 
    "objectCategory": "Tablet", 
    "ownerHandle": "${ownerHandle}",
    "shortDescription": "iPhone 12 128Gb white blah blah", 
    "description": "Optional extra description",
    "ExternalProperties": [
        {
            "name": "Make",
            "value": "Apple"
        },
        {
            "name": "Model",
            "value": "iPad Air 4 128Gb Space Grey"
        },
        {
            "name": "IMEI",
            "value": "123456789012345"
        }
    ]
}`,
    );
    expect(object.statusCode).toBe(201);
    const objectHandle: string = object.json().handle;
    // An empty objectId gets the object's handle as its id.
    expect(object.json().objectId).toBe(objectHandle);

    // Create the Insurance
    const insurance = await post(
      `/v1.3/electroshop/SE/Insurances/${objectHandle}`,
      `{
    "product": "Refurbished Electronics Insurance",
    "insuranceStartDateTime": "2022-10-03T11:36:48.0000000+01:00", 
    "insuranceEndDateTime": "2023-10-02T23:59:59.0000000+01:00", 
    "counterpartHandle": "66006782-1921-4AE9-9E21-698BA45C99C9", 
    "properties": [{
        "name": "PurchasePrice",
        "monetaryValue": {
            "amount": 8500,
            "currency": "SEK"
        }
    },
    {
        "name": "ReceiptNumber",
        "value": "7589438924370954"
    }]
} `,
    );
    expect(insurance.statusCode).toBe(201);
    const quote = insurance.json();
    const insuranceId: string = quote.insuranceId;
    expect(insuranceId).toMatch(/^[0-9a-f-]{36}$/);
    expect(quote).toMatchObject({
      status: 'Quote',
      price: { amount: 699, currency: 'SEK' },
      insuranceStartDateTime: '2022-10-03T11:36:48.0000000+01:00',
      objectHandle,
      ownerHandle,
    });

    // Accepting the Insurance
    const accepted = await post(`/v1.3/electroshop/SE/Insurances/${insuranceId}/accept`, '[]');
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json()).toMatchObject({ insuranceId, status: 'Accepted', state: 'scheduled' });
    // Accepting again changes nothing.
    const again = await post(`/v1.3/electroshop/SE/Insurances/${insuranceId}/accept`, '[]');
    expect(again.json()).toMatchObject({
      state: 'scheduled',
      acceptedDateTime: accepted.json().acceptedDateTime,
    });

    // The policy behind it keeps the receipt and the object.
    const partner = (await t.db.read.partners.getByCode('electroshop'))!;
    const tenant = { partnerId: partner.id, mode: 'test' as const };
    const policyId = (await t.db.read.aliases.resolve(tenant, 'omocom_insurance', insuranceId))!;
    const policy = await t.db.read.policies.get(tenant, policyId);
    expect(policy).toMatchObject({
      status: 'scheduled',
      productCode: 'refurbished-electronics',
      premium: { total: 69_900, currency: 'SEK' },
      item: { category: 'Tablet', price: { amount: 850_000, currency: 'SEK' }, brand: 'Apple' },
      refs: { receipt: '7589438924370954' },
      policyholder: { personal_id: '19840726-1234', email: 'glen.clarkson.476@gmail.com' },
    });
    expect(policy?.coverageStart?.toISOString()).toBe('2022-10-03T10:36:48.000Z');

    // Nothing is mailed before the start; when it comes, the scheduler starts cover and the letter goes.
    await runSchedule(t.db, t.clock, t.deps.ids);
    await worker.drain();
    expect(mailbox.files()).toHaveLength(0);
    t.clock.set('2022-10-03T10:40:00Z');
    await runSchedule(t.db, t.clock, t.deps.ids);
    await worker.drain();

    // Two days on, the first token has long expired: the shop fetches a new one.
    expect((await get(`/v1.3/electroshop/SE/Insurances/${insuranceId}`)).statusCode).toBe(401);
    headers.authorization = `Bearer ${(await fetchToken()).json().access_token}`;
    const active = await get(`/v1.3/electroshop/SE/Insurances/${insuranceId}`);
    expect(active.json()).toMatchObject({ status: 'Active', state: 'active' });
    const mine = await get(`/v1.3/electroshop/SE/Users/${ownerHandle}/Insurances`);
    expect(mine.json().map((i: { insuranceId: string }) => i.insuranceId)).toEqual([insuranceId]);

    const letters = await mailbox.all();
    expect(letters).toHaveLength(1);
    expect(letters[0]?.to).toMatchObject({ value: [{ address: 'glen.clarkson.476@gmail.com' }] });
    expect(letters[0]?.subject).toContain(policy!.id);
    expect(plainSpaces(letters[0]?.text ?? '')).toContain('699,00 kr');
  });
});
