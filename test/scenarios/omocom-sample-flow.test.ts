import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../helpers/database.js';
import { plainSpaces } from '../helpers/mail.js';
import { type Scenario, startScenario } from '../helpers/scenario.js';
import type { Json } from '../helpers/scenario-answer.js';

/**
 * The Omocom web-shop guide's sample flow for Electroshop, replayed as printed: the same JSON bodies,
 * with the handles each step returns put into the next. Only the base URL (/omocom) and the
 * credentials (the demo OAuth2 client) are Protego's.
 */
describe.each(BACKENDS)('the Omocom sample flow on %s', (backend) => {
  let s: Scenario;
  beforeAll(async () => {
    s = await startScenario({ backend, now: '2022-10-01T08:00:00Z' });
  });
  afterAll(() => s.close());

  it('creates the user, the object and the insurance, accepts it, and the insurance starts with a letter', async () => {
    const omocom = s.omocom();

    await s.step('day 0: the shop signs in', async () => {
      expect((await omocom.signIn()).expect(200)).toMatchObject({ token_type: 'Bearer', expires_in: 7200 });
    });

    const ownerHandle = await s.step('Create User', async () => {
      const user = await omocom.createUser(
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
      const handle: string = user.expect(201).handle;
      expect(handle).toMatch(/^[0-9a-f-]{36}$/);
      expect(user.body.SocialSecurityNumber).toEqual({ SSN: '********-1234', Country: 'SE' });
      expect(user.text).not.toContain('19840726');
      return handle;
    });

    const objectHandle = await s.step('Create Insurable Object', async () => {
      const object = await omocom.createObject(
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
      const handle: string = object.expect(201).handle;
      // An empty objectId gets the object's handle as its id.
      expect(object.body.objectId).toBe(handle);
      return handle;
    });

    const insuranceId = await s.step('Create the Insurance', async () => {
      const quote = (
        await omocom.quoteInsurance(
          objectHandle,
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
        )
      ).expect(201);
      const id: string = quote.insuranceId;
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(quote).toMatchObject({
        status: 'Quote',
        price: { amount: 699, currency: 'SEK' },
        insuranceStartDateTime: '2022-10-03T11:36:48.0000000+01:00',
        objectHandle,
        ownerHandle,
      });
      return id;
    });

    await s.step('Accepting the Insurance', async () => {
      const accepted = (await omocom.accept(insuranceId)).expect(200);
      expect(accepted).toMatchObject({ insuranceId, status: 'Accepted', state: 'scheduled' });
      // Accepting again changes nothing.
      expect((await omocom.accept(insuranceId)).body).toMatchObject({
        state: 'scheduled',
        acceptedDateTime: accepted.acceptedDateTime,
      });
    });

    const policy = await s.step(
      'the policy behind it keeps the receipt and the object; the customer has the letter confirming it',
      async () => {
        const partner = (await s.t.db.read.partners.getByCode('electroshop'))!;
        const tenant = { partnerId: partner.id, mode: 'test' as const };
        const policyId = (await s.t.db.read.aliases.resolve(tenant, 'omocom_insurance', insuranceId))!;
        const stored = await s.t.db.read.policies.get(tenant, policyId);
        expect(stored).toMatchObject({
          status: 'scheduled',
          productCode: 'refurbished-electronics',
          premium: { total: 69_900, currency: 'SEK' },
          termMonths: 12,
          item: {
            category: 'Tablet',
            price: { amount: 850_000, currency: 'SEK' },
            name: 'iPhone 12 128Gb white blah blah',
            brand: 'Apple',
            model: 'iPad Air 4 128Gb Space Grey',
            serialNumber: '123456789012345',
          },
          refs: { receipt: '7589438924370954' },
          policyholder: {
            firstName: 'Glen',
            lastName: 'Clarkson',
            externalId: 'someusername123',
            personalId: '19840726-1234',
            email: 'glen.clarkson.476@gmail.com',
            phone: '+46705554422',
            language: 'sv',
            address: { line1: 'Somestreet 6', postalCode: '12950', country: 'SE' },
          },
        });
        expect(stored?.coverageStart?.toISOString()).toBe('2022-10-03T10:36:48.000Z');
        await s.runJobs();
        // Accepted for cover from 3 October: confirmed at once, with its start.
        expect(s.mail.files()).toHaveLength(1);
        return stored;
      },
    );

    // When the start comes, the scheduler starts cover; the customer was written to already.
    await s.travelTo('2022-10-03T10:40:00Z');
    await s.step('two days on, the first token has long expired: the shop fetches a new one', async () => {
      expect((await omocom.insurance(insuranceId)).status).toBe(401);
      await omocom.signIn();
      expect((await omocom.insurance(insuranceId)).body).toMatchObject({ status: 'Active', state: 'active' });
      const mine = (await omocom.insurancesOf(ownerHandle)).body as unknown as Json[];
      expect(mine.map((i) => i.insuranceId)).toEqual([insuranceId]);
    });

    await s.step('the customer has one letter, confirming the cover bought', async () => {
      const letters = await s.mail.all();
      expect(letters).toHaveLength(1);
      expect(letters[0]?.subject).toContain('bekräftad');
      expect(letters[0]?.to).toMatchObject({ value: [{ address: 'glen.clarkson.476@gmail.com' }] });
      expect(letters[0]?.subject).toContain(policy!.id);
      expect(plainSpaces(letters[0]?.text ?? '')).toContain('699,00 kr');
    });
  });
});
