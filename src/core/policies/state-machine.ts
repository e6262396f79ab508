import { CoreError } from '../errors.js';
import type { PolicyStatus } from './policy.js';

/**
 * The one policy state machine every dialect maps onto. `bind` and `confirm_payment` land in
 * scheduled or active depending on whether cover has begun, so they name both targets.
 */
export const TRANSITIONS = {
  bind: { from: ['quoted'], to: ['pending_payment', 'scheduled', 'active'] },
  confirm_payment: { from: ['pending_payment'], to: ['scheduled', 'active'] },
  activate: { from: ['scheduled'], to: ['active'] },
  expire: { from: ['active'], to: ['expired'] },
  cancel: { from: ['scheduled', 'active'], to: ['cancelled'] },
  void: { from: ['quoted', 'pending_payment', 'scheduled'], to: ['voided'] },
} as const satisfies Record<string, { from: readonly PolicyStatus[]; to: readonly PolicyStatus[] }>;

export type PolicyAction = keyof typeof TRANSITIONS;

export const TERMINAL_STATUSES: readonly PolicyStatus[] = ['expired', 'cancelled', 'voided'];

/** Bound and not ended: a policy that can still be paid for, changed or cancelled. */
const IN_FORCE_STATUSES: readonly PolicyStatus[] = ['pending_payment', 'scheduled', 'active'];

export function isInForce(status: PolicyStatus): boolean {
  return IN_FORCE_STATUSES.includes(status);
}

export function canTransition(action: PolicyAction, from: PolicyStatus, to: PolicyStatus): boolean {
  const rule = TRANSITIONS[action];
  return (
    (rule.from as readonly PolicyStatus[]).includes(from) && (rule.to as readonly PolicyStatus[]).includes(to)
  );
}

export function assertTransition(action: PolicyAction, from: PolicyStatus, to: PolicyStatus): void {
  if (!canTransition(action, from, to)) {
    throw new CoreError('invalid_transition', `cannot ${action.replace('_', ' ')} a policy that is ${from}`, [
      { field: 'status', message: `${from} does not allow ${action}` },
    ]);
  }
}

/** Where a bound policy stands: waiting for payment, waiting for cover to begin, or covered. */
export function liveStatus(opts: {
  paymentPending: boolean;
  coverageStart: Date | null;
  now: Date;
}): 'pending_payment' | 'scheduled' | 'active' {
  if (opts.paymentPending) return 'pending_payment';
  if (opts.coverageStart === null || opts.coverageStart.getTime() > opts.now.getTime()) return 'scheduled';
  return 'active';
}
