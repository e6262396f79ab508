import type { OutboundEvent } from '../../../core/notifications/event.js';

/**
 * Placeholder until the XCover dialect renders its own booking payloads: the event name XCover
 * receivers switch on, and the booking id.
 */
const XCOVER_EVENTS: Partial<Record<OutboundEvent['type'], string>> = {
  'policy.created': 'BOOKING_CREATED',
  'policy.updated': 'BOOKING_UPDATED',
  'policy.activated': 'BOOKING_UPDATED',
  'policy.cancelled': 'BOOKING_CANCELLED',
  'policy.renewal_due': 'RENEWAL_DUE',
};

export function xcoverWebhookBody(event: OutboundEvent): { event: string; payload: Record<string, unknown> } {
  return {
    event: XCOVER_EVENTS[event.type] ?? event.type.toUpperCase().replace('.', '_'),
    payload: { id: event.subjectId },
  };
}
