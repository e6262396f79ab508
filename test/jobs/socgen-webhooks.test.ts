import { createHmac, timingSafeEqual } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { DEMO_CREDENTIALS, DEMO_PARTNER } from '../../src/demo/catalog.js';
import { Worker } from '../../src/jobs/worker.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { BACKENDS } from '../helpers/database.js';
import { testMailbox } from '../helpers/mail.js';
import { startReceiver } from '../helpers/receiver.js';
import { SOCGEN_API as API, socgenToken } from '../helpers/socgen.js';
import { testHandlers } from '../helpers/worker.js';
import { directPolicy } from '../http/support.js';

/** Wall-clock time of the deliveries (X-BAAS-SIGNATURE-TIMESTAMP), apart from the business clock. */
const WALL = '2026-03-02T10:00:07Z';
const MAX_AGE_SECONDS = 300;

/**
 * The receiver's check, as how-to-subscribe-use-webhooks.md writes it in Java: no signature header, no
 * check; else the hex HMAC-SHA256 of `<timestamp>.<body>` under the key must match (case aside), and
 * the timestamp must be less than five minutes old.
 */
function isSignatureValid(body: string, key: string, headers: Record<string, string>, now: Date): boolean {
  const signature = headers['x-baas-signature'];
  if (!signature) return true;
  const timestamp = headers['x-baas-signature-timestamp'];
  if (!timestamp) throw new Error('Timestamp is missing in HTTP Header X-BAAS-SIGNATURE-TIMESTAMP');
  const fresh = now.getTime() - MAX_AGE_SECONDS * 1000 < Date.parse(timestamp);
  const hmac = createHmac('sha256', key).update(`${timestamp}.${body}`).digest('hex');
  const equal =
    hmac.length === signature.length &&
    timingSafeEqual(Buffer.from(hmac), Buffer.from(signature.toLowerCase()));
  return equal && fresh;
}

describe.each(BACKENDS)('CI_SUBSCRIPTION webhooks on %s', (backend) => {
  let t: TestApp;
  let worker: Worker;
  const mailbox = testMailbox();
  beforeAll(async () => {
    t = await buildTestApp({ backend, now: '2026-03-02T10:00:00Z' });
    worker = new Worker(
      t.db,
      t.clock,
      testHandlers(t.db, { mailer: mailbox.mailer, wallClock: new ManualClock(WALL) }),
    );
  });
  afterAll(async () => {
    await t.close();
    mailbox.remove();
  });

  it('a real receiver gets …_SUBSCRIBED and …_CANCELLED, signed with X-BAAS-SIGNATURE as documented', async () => {
    const receiver = await startReceiver();
    try {
      const created = await t.admin({
        method: 'POST',
        url: `/admin/v1/partners/${DEMO_PARTNER.code}/webhook-endpoints?mode=test`,
        payload: { url: receiver.url, event_types: ['policy.created', 'policy.cancelled'], format: 'socgen' },
      });
      expect(created.statusCode, created.body).toBe(201);
      const key: string = created.json().secret;

      const token = await socgenToken(
        t,
        DEMO_CREDENTIALS.oauth.client_id,
        DEMO_CREDENTIALS.oauth.client_secret,
      );
      const send = (path: string, body?: unknown) =>
        t.app.inject({
          method: 'POST',
          url: `${API}${path}`,
          headers: { authorization: `Bearer ${token}` },
          ...(body === undefined ? {} : { payload: body as object }),
        });
      const item = await send('/items', {
        solutionCode: 'CIFRWE',
        sku: 'KSM5',
        merchantItemId: 'robot-1',
        brand: 'KitchenAid',
        model: '5KPM5',
        title: 'Robot pâtissier',
        description: 'Robot pâtissier à bol relevable',
        characteristics: '4,8 L',
        category: 'Small appliance',
      });
      const quote = await send('/quotations', {
        solutionCode: 'CIFRWE',
        itemId: item.json().id,
        itemPrice: 499,
        insuranceId: '24M',
      });
      expect(quote.statusCode, quote.body).toBe(201);
      const q = quote.json();
      const subscribed = await send('/subscriptions', {
        solutionCode: 'CIFRWE',
        quoteId: q.quoteId,
        insuranceId: '24M',
        merchantBasketId: 'basket-9',
        merchantBuyerId: 'buyer-9',
        producerQuoteExpirationDate: q.expirationDate.slice(0, 10),
        producerQuoteInsurancePrice: q.insurancePrice,
        buyer: {
          contact: {
            lastName: 'Martin',
            firstName: 'Léa',
            email: 'lea@mail.fr',
            mobilePhoneNumber: '0611223344',
          },
          address: {
            streetNumber: 3,
            streetName: 'rue de Rivoli',
            zipCode: '75001',
            cityName: 'Paris',
            regionName: 'Île-de-France',
            countryCode: 'FR',
          },
        },
        insuredItem: {
          id: 'L1',
          label: 'Robot pâtissier',
          brandName: 'KitchenAid',
          price: 499,
          currencyCode: 'EUR',
          orderId: 'ORDER-9',
          category: 'Small appliance',
          insurancePrice: 499,
        },
      });
      expect(subscribed.statusCode, subscribed.body).toBe(201);
      const id: string = subscribed.json().insuranceSubscriptionId;
      expect((await send(`/subscriptions/${id}/_cancel`)).statusCode).toBe(204);
      await worker.drain();

      expect(receiver.received.map((r) => r.status)).toEqual([200, 200]);
      const events = receiver.received.map((delivery) => {
        const headers = delivery.headers as Record<string, string>;
        expect(headers['x-baas-signature-timestamp']).toBe('2026-03-02T10:00:07.000Z');
        expect(isSignatureValid(delivery.body, key, headers, new Date(WALL))).toBe(true);
        // Another key, or an altered body, does not verify.
        expect(isSignatureValid(delivery.body, 'whsec_other', headers, new Date(WALL))).toBe(false);
        expect(isSignatureValid(`${delivery.body} `, key, headers, new Date(WALL))).toBe(false);
        return JSON.parse(delivery.body);
      });
      const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
      expect(events.map((e) => e.eventCode)).toEqual([
        'CI_SUBSCRIPTION_SUBSCRIBED',
        'CI_SUBSCRIPTION_CANCELLED',
      ]);
      for (const event of events) {
        expect(event.id).toMatch(uuid);
        expect(event).toMatchObject({ eventTypeCode: 'CI_SUBSCRIPTION', correlationId: id });
        expect(Number.isNaN(Date.parse(event.timestamp))).toBe(false);
      }
      expect(events[0].id).not.toBe(events[1].id);
      expect(events[0].data).toEqual({
        eventTypeCode: 'CI_SUBSCRIPTION',
        eventCode: 'CI_SUBSCRIPTION_SUBSCRIBED',
        merchantGlobalOrderId: 'ORDER-9',
        insuranceSubscriptionId: id,
        consolidatedStatus: 'ACTIVATED',
      });
      expect(events[1].data).toMatchObject({
        eventCode: 'CI_SUBSCRIPTION_CANCELLED',
        consolidatedStatus: 'CANCELLED',
      });
    } finally {
      await receiver.close();
    }
  });

  it('a policy voided before it was paid for is …_ABORTED, whichever API bound it', async () => {
    const receiver = await startReceiver();
    try {
      const created = await t.admin({
        method: 'POST',
        url: `/admin/v1/partners/${DEMO_PARTNER.code}/webhook-endpoints?mode=test`,
        payload: { url: receiver.url, event_types: ['policy.cancelled'], format: 'socgen' },
      });
      expect(created.statusCode, created.body).toBe(201);
      const bound = await t.call({
        method: 'POST',
        url: '/v1/policies',
        payload: directPolicy({ payment_pending: true }),
      });
      expect(bound.statusCode, bound.body).toBe(201);
      expect(bound.json().status).toBe('pending_payment');
      const cancelled = await t.call({
        method: 'POST',
        url: `/v1/policies/${bound.json().id}/cancel`,
        payload: {},
      });
      expect(cancelled.statusCode, cancelled.body).toBe(200);
      await worker.drain();

      const [event] = receiver.received.map((delivery) => JSON.parse(delivery.body));
      expect(receiver.received).toHaveLength(1);
      expect(
        isSignatureValid(
          receiver.received[0]!.body,
          created.json().secret,
          receiver.received[0]!.headers as Record<string, string>,
          new Date(WALL),
        ),
      ).toBe(true);
      expect(event).toMatchObject({ eventTypeCode: 'CI_SUBSCRIPTION', eventCode: 'CI_SUBSCRIPTION_ABORTED' });
      expect(event.data).toMatchObject({
        eventCode: 'CI_SUBSCRIPTION_ABORTED',
        insuranceSubscriptionId: bound.json().id,
        consolidatedStatus: 'ABORTED',
      });
    } finally {
      await receiver.close();
    }
  });
});
