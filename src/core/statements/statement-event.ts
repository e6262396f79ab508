import type { PolicyHistoryEntry, PolicyHistoryType } from '../policies/policy.js';
import type { Premium } from '../pricing/premium.js';

/** The event types a statement is made of: premium comes in at binding and goes back at the end. */
export const STATEMENT_EVENT_TYPES = [
  'bound',
  'cancelled',
  'voided',
  'lapsed',
  'modified',
] as const satisfies readonly PolicyHistoryType[];

/**
 * One policy event with what the statement needs of its policy: the premium (with its taxes) and the
 * commission rate snapshotted at binding. Read from storage by `PolicyRepository.eventsInPeriod`.
 * Of the event, only what a statement reads (and its id, to name one that is corrupt): a month may be
 * a million of them, and every field more is read and parsed a million times more.
 */
export interface StatementEvent {
  event: Pick<PolicyHistoryEntry, 'id' | 'type' | 'fromStatus' | 'occurredAt' | 'data'>;
  premium: Premium;
  commissionBp: number;
}
