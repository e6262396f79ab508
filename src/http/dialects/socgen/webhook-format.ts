import { createHmac } from 'node:crypto';
import type { OutboundEvent } from '../../../core/notifications/event.js';
import type { Policy } from '../../../core/policies/policy.js';
import type { WebhookFormatter } from '../../../core/webhooks/formatter.js';
import { revivePolicy } from '../../../core/webhooks/snapshots.js';
import { consolidatedStatus, ulidAsUuid } from './wire.js';

const EVENT_TYPE = 'CI_SUBSCRIPTION';

/**
 * The event code of a policy's event: the guide's four for a subscription bought (`…_SUBSCRIBED`) and
 * ended (`…_CANCELLED`, `…_ABORTED` for one voided before cover began), and the consolidated status for
 * the rest (`…_ACTIVATED`, `…_TERMINATED`), which an endpoint subscribed to `*` also gets.
 * `…_REJECTED` is never sent: a refused subscription writes nothing.
 */
function eventCode(event: OutboundEvent, policy: Policy): string {
  if (event.type === 'policy.created') return `${EVENT_TYPE}_SUBSCRIBED`;
  return `${EVENT_TYPE}_${consolidatedStatus(policy).toUpperCase()}`;
}

/** The merchant-webhooks 1.0.6 event: `{timestamp, id, correlationId, eventTypeCode, eventCode, data}`. */
function socgenWebhookBody(event: OutboundEvent): Record<string, unknown> {
  const id = ulidAsUuid(event.id);
  if (!event.data.policy) {
    const code = event.type.toUpperCase().replace('.', '_');
    return {
      timestamp: event.occurredAt.toISOString(),
      id,
      eventTypeCode: code,
      eventCode: code,
      data: { eventTypeCode: code, eventCode: code, ...event.data },
    };
  }
  const policy = revivePolicy(event.data.policy);
  const code = eventCode(event, policy);
  const subscriptionId = policy.refs.subscriptionId;
  return {
    timestamp: new Date(event.occurredAt).toISOString(),
    id,
    ...(subscriptionId ? { correlationId: subscriptionId } : {}),
    eventTypeCode: EVENT_TYPE,
    eventCode: code,
    data: {
      eventTypeCode: EVENT_TYPE,
      eventCode: code,
      ...(policy.refs.orderId ? { merchantGlobalOrderId: policy.refs.orderId } : {}),
      insuranceSubscriptionId: subscriptionId ?? policy.id,
      consolidatedStatus: consolidatedStatus(policy).toUpperCase(),
    },
  };
}

/** `X-BAAS-SIGNATURE`: the hex HMAC-SHA256 of `<X-BAAS-SIGNATURE-TIMESTAMP>.<body>` under the key. */
function baasSignature(timestamp: string, body: string, key: string): string {
  return createHmac('sha256', key).update(`${timestamp}.${body}`).digest('hex');
}

/**
 * Endpoints of format `socgen`: `CI_SUBSCRIPTION` events shaped and signed as SocGen's merchant webhooks
 * are (how-to-subscribe-use-webhooks: "Verify signature of webhooks events"):
 *
 *   X-BAAS-SIGNATURE-TIMESTAMP: <wall-clock time, ISO 8601 instant>
 *   X-BAAS-SIGNATURE: hex(HMAC-SHA256(key, timestamp + "." + body))
 *
 * The key (SocGen's `keyForSignature`) is the endpoint's secret exactly as it was shown, `whsec_`
 * prefix included. The event's `id` is the same on every retry, so receivers can drop repeats; during
 * a secret rotation only the current secret signs.
 */
export const socgenWebhooks: WebhookFormatter = {
  name: 'socgen',
  build(event, endpoint, now) {
    const body = JSON.stringify(socgenWebhookBody(event));
    const timestamp = now.toISOString();
    return {
      headers: {
        'x-baas-signature-timestamp': timestamp,
        'x-baas-signature': baasSignature(timestamp, body, endpoint.secret),
      },
      body,
    };
  },
};
