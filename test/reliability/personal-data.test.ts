import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS } from '../../src/demo/catalog.js';
import { protegoLogger } from '../../src/log.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { BACKENDS } from '../helpers/database.js';
import { directPolicy, placedOrder } from '../http/support.js';
import { xcoverClient } from '../http/xcover/client.js';
import { report } from './report.js';

/**
 * A story through three APIs at the most verbose log level, then a search of everything logged and of
 * a dump of every table for each secret and personal id the story sent: personal ids are sealed
 * wherever they are stored, and no log line holds a personal id, an e-mail address or a secret.
 */
const SSN = '19840726-1234';
const ORDER_SSN = '19791231-9876';
const OMOCOM_SSN = '19900101-4321';
const EMAIL = 'ada.private@example.com';
const PERSONAL = [SSN, ORDER_SSN, OMOCOM_SSN, ...[SSN, ORDER_SSN, OMOCOM_SSN].map((s) => s.replace('-', ''))];
const SECRETS = [
  DEMO_CREDENTIALS.api_key,
  DEMO_CREDENTIALS.oauth.client_secret,
  DEMO_CREDENTIALS.hmac.secret,
];

describe.each(BACKENDS)('personal data at rest and in logs, on %s', (backend) => {
  let t: TestApp;
  const lines: string[] = [];
  beforeAll(async () => {
    const logger = protegoLogger('trace', { write: (line: string) => void lines.push(line) });
    t = await buildTestApp({
      backend,
      logger,
      now: '2022-10-01T08:00:00Z',
      xcoverRateLimits: { live: 1000, test: 1000 },
    });

    const holder = { first_name: 'Ada', last_name: 'Lovelace', email: EMAIL, personal_id: SSN };
    const bound = await t.call({
      method: 'POST',
      url: '/v1/policies',
      payload: directPolicy({
        country: 'SE',
        product_code: 'refurbished-electronics',
        item: { category: 'Tablet', price: { amount: 850_000, currency: 'SEK' } },
        policyholder: holder,
      }),
    });
    expect(bound.statusCode, bound.body).toBe(201);
    const refused = await t.call({
      method: 'POST',
      url: '/v1/policies',
      payload: directPolicy({ policyholder: { ...holder, email: `not an address ${EMAIL}` } }),
    });
    expect(refused.statusCode).toBe(400);
    const order = await t.call({
      method: 'POST',
      url: '/v1/order-events',
      payload: placedOrder('pii-order', {
        customer: { first_name: 'Max', last_name: 'Mustermann', email: EMAIL, personal_id: ORDER_SSN },
      }),
    });
    expect(order.statusCode, order.body).toBe(201);

    const token = await t.app.inject({
      method: 'POST',
      url: '/omocom/oauth2/token',
      payload: { grant_type: 'client_credentials', ...DEMO_CREDENTIALS.oauth },
    });
    const bearer = {
      authorization: `Bearer ${token.json().access_token}`,
      'content-type': 'application/json',
    };
    const user = await t.app.inject({
      method: 'POST',
      url: '/omocom/v1.3/electroshop/SE/Users',
      headers: bearer,
      payload: {
        MarketName: 'SE',
        UserId: 'pii-user',
        FirstName: 'Glen',
        LastName: 'Clarkson',
        SocialSecurityNumber: { SSN: OMOCOM_SSN, Country: 'SE' },
        EmailAddress: EMAIL,
      },
    });
    expect(user.statusCode, user.body).toBe(201);
    await t.app.inject({
      method: 'GET',
      url: `/omocom/v1.3/electroshop/SE/Users/find?SocialSecurityNumber=${OMOCOM_SSN}`,
      headers: bearer,
    });
    const bookings = await xcoverClient(t)('GET', 'bookings/');
    expect(bookings.statusCode).toBe(200);
  });
  afterAll(() => t?.close());

  it('logs every request at trace level, and no line holds a personal id, an e-mail address or a secret', () => {
    const logged = lines.join('');
    expect(lines.length).toBeGreaterThan(10);
    const found = [...PERSONAL, EMAIL, ...SECRETS].filter((s) => logged.includes(s));
    report('personal data in logs', backend, {
      lines: lines.length,
      searched: PERSONAL.length + 1 + SECRETS.length,
      found: found.length,
    });
    expect(found).toEqual([]);
    // The bodies are logged (at trace level), with what they carried redacted: so the search above
    // finds a personal id, an e-mail address or a secret if redaction lets one through.
    const bodies = lines.filter((l) => l.includes('"request body"'));
    expect(bodies.length).toBeGreaterThanOrEqual(5);
    expect(bodies.some((l) => l.includes('"personal_id":"[redacted]"'))).toBe(true);
  });

  it('stores no personal id and no secret in clear, in any column of any table', async () => {
    const { rows: tables } = await sql<{ name: string }>`
      SELECT table_name AS name FROM information_schema.tables
      WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`.execute(t.db.kysely);
    const found: string[] = [];
    let rowsSearched = 0;
    for (const { name } of tables) {
      const { rows } = await sql<{
        row: string;
      }>`SELECT row_to_json(t)::text AS row FROM ${sql.table(name)} t`.execute(t.db.kysely);
      rowsSearched += rows.length;
      for (const { row } of rows)
        for (const s of [...PERSONAL, ...SECRETS]) if (row.includes(s)) found.push(`${name}: ${s}`);
    }
    report('personal data at rest', backend, {
      tables: tables.length,
      rows: rowsSearched,
      found: found.length,
    });
    expect(found).toEqual([]);
  });

  it('reads them back through the APIs as they were sent', async () => {
    const orderEvents = await t.db.read.orderEvents.list(
      { partnerId: (await t.db.read.partners.getByCode('electroshop'))!.id, mode: 'test' },
      'pii-order',
    );
    expect(JSON.stringify(orderEvents[0]?.payload)).toContain(ORDER_SSN);
  });
});
