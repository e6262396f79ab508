import type { WebhookFormatter } from '../../../core/webhooks/formatter.js';
import { httpDate, signRequest } from '../../../signing/http-signature.js';
import { xcoverWebhookBody } from './webhook-body.js';

/**
 * Endpoints of format `xcover`: the body XCover partners receive (`{event: 'BOOKING_CREATED',
 * payload: …}`), signed the way XCover signs requests, so a receiver can verify it with the same code
 * it uses for XCover:
 *
 *   Date: <wall-clock time, HTTP date>
 *   Authorization: Signature keyId="<endpoint id>",algorithm="hmac-sha512",
 *                  headers="(request-target) date",signature="<URL-encoded base64 HMAC>"
 *   X-Webhook-Id: <event id>   (the same on every retry, so receivers can drop repeats)
 *
 * The HMAC key is the endpoint's secret exactly as it was shown when the endpoint was made, `whsec_`
 * prefix included (it is not base64-decoded as Standard Webhooks does). The request target is
 * `post <path of the endpoint URL>`. The header carries one signature, so during a secret rotation
 * only the current secret signs.
 */
export const xcoverWebhooks: WebhookFormatter = {
  name: 'xcover',
  build(event, endpoint, now) {
    const body = JSON.stringify(xcoverWebhookBody(event));
    const date = httpDate(now);
    const authorization = signRequest({
      method: 'POST',
      path: new URL(endpoint.url).pathname,
      headers: { date },
      keyId: endpoint.id,
      secret: endpoint.secret,
      algorithm: 'hmac-sha512',
      signedHeaders: ['(request-target)', 'date'],
    });
    return { headers: { date, authorization, 'x-webhook-id': event.id }, body };
  },
};
