import type { Tenant } from '../../src/core/partners/partner.js';
import type { TestApp } from './app.js';
import { startReceiver } from './receiver.js';
import { type Answer, answer, type Json } from './scenario-answer.js';
import { Subscription, type WebhookFormat } from './scenario-webhooks.js';

/** A file sent as a claim attachment. */
interface Upload {
  filename: string;
  contentType: string;
  bytes: Uint8Array;
}

/** A partner of its own calling the native API (/v1) with its API key: one verb per call a shop makes. */
export function nativeShop(
  t: TestApp,
  partner: Awaited<ReturnType<TestApp['newPartner']>>,
  onSubscribe: (s: Subscription) => void,
) {
  const call = async (method: 'GET' | 'POST', url: string, payload?: object): Promise<Answer> =>
    answer(await t.call({ method, url: `/v1${url}`, key: partner.key, ...(payload ? { payload } : {}) }));
  return {
    code: partner.code,
    tenant: { partnerId: partner.partnerId, mode: 'test' } satisfies Tenant,
    offer: (body: Json) => call('POST', '/offers', body),
    bind: (body: Json) => call('POST', '/policies', body),
    policy: (id: string) => call('GET', `/policies/${id}`),
    certificate: (id: string) => call('GET', `/policies/${id}/certificate.pdf`),
    /** Cancels, or with `{preview: true}` says what cancelling would refund. */
    cancel: (id: string, body: Json = {}) => call('POST', `/policies/${id}/cancel`, body),
    statement: (month: string) => call('GET', `/statements/${month}`),
    fileClaim: (policyId: string, body: Json) => call('POST', `/policies/${policyId}/claims`, body),
    claim: (id: string) => call('GET', `/claims/${id}`),
    async attach(claimId: string, file: Upload): Promise<Answer> {
      const boundary = 'scenario-boundary';
      const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.filename}"\r\nContent-Type: ${file.contentType}\r\n\r\n`;
      return answer(
        await t.call({
          method: 'POST',
          url: `/v1/claims/${claimId}/attachments`,
          key: partner.key,
          headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
          payload: Buffer.concat([Buffer.from(head), file.bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]),
        }),
      );
    },
    /**
     * Registers an endpoint for `types` that delivers to a receiver of its own, answering as `answerWith`
     * says for the n-th request (0-based): a status, or `'hang'` to hold it unanswered.
     */
    async subscribe(
      types: string[],
      answerWith: (n: number) => number | 'hang' = () => 200,
    ): Promise<Subscription> {
      const receiver = await startReceiver(answerWith);
      const created = await call('POST', '/webhook-endpoints', { url: receiver.url, event_types: types });
      const { id, secret } = created.expect(201);
      const subscription = new Subscription({ id, secret, format: 'standard', receiver });
      onSubscribe(subscription);
      return subscription;
    },
    deliveries: (endpointId: string) => call('GET', `/webhook-endpoints/${endpointId}/deliveries`),
    redeliver: (deliveryId: string) => call('POST', `/webhook-deliveries/${deliveryId}/redeliver`),
    rotateSecret: (endpointId: string) => call('POST', `/webhook-endpoints/${endpointId}/rotate-secret`, {}),
  };
}

export type Shop = ReturnType<typeof nativeShop>;

/** The admin API with the admin token: claim handling and endpoints registered for a partner. */
export function adminApi(t: TestApp, onSubscribe: (s: Subscription) => void) {
  return {
    /** Moves a claim on: `review`, `approve` or `pay`. */
    claim: async (id: string, action: 'review' | 'approve' | 'pay', body: Json = {}) =>
      answer(await t.admin({ method: 'POST', url: `/admin/v1/claims/${id}/${action}`, payload: body })),
    /** Registers an endpoint for a partner in test mode, in the native format or XCover's. */
    async subscribe(partner: string, types: string[], format: WebhookFormat): Promise<Subscription> {
      const receiver = await startReceiver();
      const created = answer(
        await t.admin({
          method: 'POST',
          url: `/admin/v1/partners/${partner}/webhook-endpoints?mode=test`,
          payload: { url: receiver.url, event_types: types, format },
        }),
      );
      const { id, secret } = created.expect(201);
      const subscription = new Subscription({ id, secret, format, receiver });
      onSubscribe(subscription);
      return subscription;
    },
  };
}
