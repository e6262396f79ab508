import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { Worker } from '../../src/jobs/worker.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { BACKENDS } from '../helpers/database.js';
import { testMailbox } from '../helpers/mail.js';
import { startReceiver } from '../helpers/receiver.js';
import { testHandlers } from '../helpers/worker.js';
import {
  parseXcoverAuthorization,
  pyQuote,
  xcoverHmacBase64,
  xcoverStringToSign,
} from '../helpers/xcover-signer.js';

/** Wall-clock time of the deliveries (the Date header), apart from the business clock the test moves. */
const WALL = '2026-03-02T10:00:07Z';

const bindBody = {
  product_code: 'product-protection',
  term_months: 12,
  country: 'GB',
  item: { category: 'laptop', brand: 'Lenovo', price: { amount: 89_900, currency: 'GBP' } },
  policyholder: { first_name: 'Max', last_name: 'Mustermann', email: 'max@example.com' },
};

describe.each(BACKENDS)('webhooks in XCover format on %s', (backend) => {
  let t: TestApp;
  let worker: Worker;
  const mailbox = testMailbox();
  beforeAll(async () => {
    t = await buildTestApp({ backend });
    const handlers = testHandlers(t.db, { mailer: mailbox.mailer, wallClock: new ManualClock(WALL) });
    worker = new Worker(t.db, t.clock, handlers);
  });
  afterAll(async () => {
    await t.close();
    mailbox.remove();
  });

  it('the admin API registers an endpoint with format xcover, and refuses an unknown format', async () => {
    const partner = await t.newPartner();
    const created = await t.admin({
      method: 'POST',
      url: `/admin/v1/partners/${partner.code}/webhook-endpoints?mode=test`,
      payload: { url: 'https://example.com/hooks', event_types: ['*'], format: 'xcover' },
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ format: 'xcover', mode: 'test' });
    const standard = await t.admin({
      method: 'POST',
      url: `/admin/v1/partners/${partner.code}/webhook-endpoints?mode=test`,
      payload: { url: 'https://example.com/hooks', event_types: ['*'] },
    });
    expect(standard.json().format).toBe('standard');
    const bogus = await t.admin({
      method: 'POST',
      url: `/admin/v1/partners/${partner.code}/webhook-endpoints?mode=test`,
      payload: { url: 'https://example.com/hooks', event_types: ['*'], format: 'soap' },
    });
    expect(bogus.statusCode, bogus.body).toBe(400);
  });

  it('delivers policy.created as BOOKING_CREATED, signed with the endpoint secret the XCover way', async () => {
    const partner = await t.newPartner();
    const receiver = await startReceiver();
    try {
      const created = await t.admin({
        method: 'POST',
        url: `/admin/v1/partners/${partner.code}/webhook-endpoints?mode=test`,
        payload: { url: receiver.url, event_types: ['policy.created'], format: 'xcover' },
      });
      expect(created.statusCode, created.body).toBe(201);
      const endpoint = created.json() as { id: string; secret: string };

      const bound = await t.call({
        method: 'POST',
        url: '/v1/policies',
        key: partner.key,
        payload: bindBody,
      });
      expect(bound.statusCode, bound.body).toBe(201);
      await worker.drain();

      expect(receiver.received).toHaveLength(1);
      const [delivery] = receiver.received;
      const headers = delivery!.headers as Record<string, string>;
      expect(headers.date).toBe('Mon, 02 Mar 2026 10:00:07 GMT');
      expect(headers['content-type']).toMatch(/^application\/json/);
      expect(headers['webhook-signature']).toBeUndefined();

      const body = JSON.parse(delivery!.body);
      expect(body.event).toBe('BOOKING_CREATED');
      expect(typeof body.payload).toBe('object');

      const auth = parseXcoverAuthorization(headers.authorization!);
      expect(auth).toMatchObject({
        keyId: endpoint.id,
        algorithm: 'hmac-sha512',
        headers: '(request-target) date',
      });
      const path = new URL(receiver.url).pathname;
      const text = xcoverStringToSign('POST', path, auth.headers!, { date: headers.date! });
      expect(text).toBe(`(request-target): post /hooks\ndate: ${headers.date}`);
      const expected = pyQuote(xcoverHmacBase64('hmac-sha512', endpoint.secret, text));
      expect(auth.signature).toBe(expected);
      // Another secret does not verify.
      expect(auth.signature).not.toBe(pyQuote(xcoverHmacBase64('hmac-sha512', 'whsec_other', text)));

      const log = await t.call({
        method: 'GET',
        url: `/v1/webhook-endpoints/${endpoint.id}/deliveries`,
        key: partner.key,
      });
      const [job] = log.json().data;
      expect(job.status).toBe('done');
      expect(headers['x-webhook-id']).toBe(job.event_id);
    } finally {
      await receiver.close();
    }
  });
});
