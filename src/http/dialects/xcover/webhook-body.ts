import type { EventType, OutboundEvent } from '../../../core/notifications/event.js';
import type { Policy } from '../../../core/policies/policy.js';
import { revivePolicy } from '../../../core/webhooks/snapshots.js';
import { formatter, iso, policyDate, policyStatus } from './wire.js';

/** The core's events as XCover names them. Claims have no XCover event: their names pass through. */
const XCOVER_EVENTS: Partial<Record<EventType, string>> = {
  'policy.created': 'BOOKING_CREATED',
  'policy.updated': 'BOOKING_UPDATED',
  'policy.activated': 'BOOKING_UPDATED',
  'policy.cancelled': 'BOOKING_CANCELLED',
  'policy.renewed': 'RENEWAL_CREATED',
  'policy.renewal_due': 'RENEWAL_DUE',
  'policy.renewal_expired': 'RENEWAL_EXPIRED',
};

/**
 * `{event, payload}` for an XCover receiver. The core tells of one policy at a time, so a booking of
 * several quotes sends one event per quote: the payload is the booking (its id, currency, policyholder)
 * with that quote as it stood when the event happened.
 */
export function xcoverWebhookBody(event: OutboundEvent): { event: string; payload: Record<string, unknown> } {
  const name = XCOVER_EVENTS[event.type] ?? event.type.toUpperCase().replace('.', '_');
  if (!event.data.policy) return { event: name, payload: { id: event.subjectId, ...event.data } };
  const policy = revivePolicy(event.data.policy);
  return { event: name, payload: bookingPayload(policy, event) };
}

function bookingPayload(policy: Policy, event: OutboundEvent): Record<string, unknown> {
  const currency = policy.premium.currency;
  const f = formatter(currency, policy.language, policy.country);
  const holder = policy.policyholder;
  const status = policyStatus(policy);
  return {
    id: policy.refs.booking_id ?? policy.id,
    status,
    currency,
    partner_transaction_id: policy.refs.partner_transaction_id ?? null,
    updated_at: iso(event.occurredAt),
    policyholder: {
      first_name: holder.firstName ?? null,
      last_name: holder.lastName ?? null,
      email: holder.email ?? null,
    },
    quotes: [
      {
        id: policy.refs.quote_id ?? policy.id,
        status,
        policy_type: policy.productCode,
        policy_start_date: policyDate(policy.coverageStart),
        policy_end_date: policyDate(policy.coverageEnd),
        ...f.pair('price', policy.premium.total),
        ...(policy.refund ? f.pair('refund_value', policy.refund.amount) : {}),
        renewal_of: policy.renewalOf ?? null,
        renewed_by: policy.renewedBy ?? null,
      },
    ],
  };
}
