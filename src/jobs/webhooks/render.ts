import type { OutboundEvent } from '../../core/notifications/event.js';
import type { Policy } from '../../core/policies/policy.js';
import { claimJson } from '../../http/native/claim-json.js';
import { policyJson } from '../../http/native/wire.js';
import { reviveClaim } from './revive-claim.js';

const DATE_FIELDS = [
  'coverageStart',
  'coverageEnd',
  'boundAt',
  'createdAt',
  'updatedAt',
  'renewalNotifiedAt',
] as const;

/** An event's policy snapshot, as stored in JSON, back to a Policy with its dates. */
export function revivePolicy(snapshot: unknown): Policy {
  const p = { ...(snapshot as Record<string, unknown>) };
  for (const f of DATE_FIELDS) if (typeof p[f] === 'string') p[f] = new Date(p[f] as string);
  const item = { ...(p.item as Record<string, unknown>) };
  if (typeof item.purchased_at === 'string') item.purchased_at = new Date(item.purchased_at);
  return { ...p, item } as unknown as Policy;
}

/** The Standard Webhooks payload: `{type, timestamp, data}` with the subject in the native API's shape. */
export function renderStandard(event: OutboundEvent): Record<string, unknown> {
  const data = event.data.policy
    ? policyJson(revivePolicy(event.data.policy))
    : event.data.claim
      ? claimJson(reviveClaim(event.data.claim))
      : event.data;
  return { id: event.id, type: event.type, timestamp: event.occurredAt.toISOString(), data };
}
