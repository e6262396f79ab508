import { CoreError } from '../errors.js';
import type { ClaimStatus } from './claim.js';

/**
 * The claim state machine: a claims handler reviews a submitted claim, approves or denies it, an
 * approved claim is paid, and a paid or denied claim is closed. Each action has one target.
 */
export const CLAIM_TRANSITIONS = {
  review: { from: ['submitted'], to: 'in_review' },
  approve: { from: ['in_review'], to: 'approved' },
  deny: { from: ['in_review'], to: 'denied' },
  pay: { from: ['approved'], to: 'paid' },
  close: { from: ['paid', 'denied'], to: 'closed' },
} as const satisfies Record<string, { from: readonly ClaimStatus[]; to: ClaimStatus }>;

export type ClaimAction = keyof typeof CLAIM_TRANSITIONS;

export const CLAIM_TERMINAL_STATUSES: readonly ClaimStatus[] = ['closed'];

export function canTransitionClaim(action: ClaimAction, from: ClaimStatus, to: ClaimStatus): boolean {
  const rule = CLAIM_TRANSITIONS[action];
  return (rule.from as readonly ClaimStatus[]).includes(from) && rule.to === to;
}

/** The status `action` leads to from `from`, or an `invalid_transition` naming the status. */
export function nextClaimStatus(action: ClaimAction, from: ClaimStatus): ClaimStatus {
  const to = CLAIM_TRANSITIONS[action].to;
  if (!canTransitionClaim(action, from, to)) {
    throw new CoreError('invalid_transition', `cannot ${action} a claim that is ${from}`, [
      { field: 'status', message: `${from} does not allow ${action}` },
    ]);
  }
  return to;
}

/** Evidence may still arrive while the claim is open; a closed claim's file is final. */
export function acceptsAttachments(status: ClaimStatus): boolean {
  return !CLAIM_TERMINAL_STATUSES.includes(status);
}
