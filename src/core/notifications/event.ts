import type { Mode } from '../partners/partner.js';

/** What partners can subscribe to. Dialects map these to their own names (XCover's BOOKING_CREATED…). */
export const EVENT_TYPES = [
  'policy.created',
  'policy.activated',
  'policy.updated',
  'policy.cancelled',
  'policy.expired',
  'policy.renewal_due',
  /** A renewal was confirmed: sent for the renewed policy (the new term sends policy.created). */
  'policy.renewed',
  /** A renewable policy ended without a renewal. */
  'policy.renewal_expired',
  'claim.created',
  'claim.updated',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Something that happened, kept as it was then: the subject's snapshot in `data`. */
export interface OutboundEvent {
  id: string;
  partnerId: string;
  mode: Mode;
  type: EventType;
  /** The policy or claim the event is about. */
  subjectId: string;
  data: Record<string, unknown>;
  occurredAt: Date;
}
