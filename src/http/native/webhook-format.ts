import type { OutboundEvent } from '../../core/notifications/event.js';
import { signingSecrets } from '../../core/webhooks/endpoint.js';
import type { WebhookFormatter } from '../../core/webhooks/formatter.js';
import { reviveClaim, revivePolicy } from '../../core/webhooks/snapshots.js';
import { standardWebhookHeaders } from '../../signing/standard-webhooks.js';
import { jsonbOrder } from '../kit/jsonb-order.js';
import { claimJson } from './claim-json.js';
import { policyJson } from './wire.js';

/**
 * A policy's webhook JSON, byte for byte as before the core spoke camelCase: the parts that were the
 * stored snake_case JSON passed through (policyholder, item, premium, refs) keep jsonb's key order, the
 * item's purchase date last.
 */
function policyWebhookJson(policy: ReturnType<typeof policyJson>) {
  const { purchased_at, ...item } = policy.item;
  return {
    ...policy,
    policyholder: jsonbOrder(policy.policyholder),
    item: { ...jsonbOrder(item), ...(purchased_at ? { purchased_at } : {}) },
    premium: jsonbOrder(policy.premium),
    refs: jsonbOrder(policy.refs),
  };
}

/** The Standard Webhooks payload: `{type, timestamp, data}` with the subject in the native API's shape. */
function renderStandard(event: OutboundEvent): Record<string, unknown> {
  const data = event.data.policy
    ? policyWebhookJson(policyJson(revivePolicy(event.data.policy)))
    : event.data.claim
      ? claimJson(reviveClaim(event.data.claim))
      : event.data;
  return { id: event.id, type: event.type, timestamp: event.occurredAt.toISOString(), data };
}

/** Endpoints of format `standard` (the default), signed with each secret valid now (two in a rotation). */
export const standardWebhooks: WebhookFormatter = {
  name: 'standard',
  build(event, endpoint, now) {
    const body = JSON.stringify(renderStandard(event));
    return { headers: standardWebhookHeaders(event.id, signingSecrets(endpoint, now), now, body), body };
  },
};
