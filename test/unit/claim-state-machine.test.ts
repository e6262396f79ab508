import { describe, expect, it } from 'vitest';
import { CLAIM_STATUSES } from '../../src/core/claims/claim.js';
import {
  acceptsAttachments,
  CLAIM_TERMINAL_STATUSES,
  CLAIM_TRANSITIONS,
  type ClaimAction,
  canTransitionClaim,
  nextClaimStatus,
} from '../../src/core/claims/state-machine.js';
import { coreErrorOf } from './fixtures.js';

/** The allowed moves, written out by hand from the issue: everything else must be refused. */
const ALLOWED = new Set([
  'review: submitted -> in_review',
  'approve: in_review -> approved',
  'deny: in_review -> denied',
  'pay: approved -> paid',
  'close: paid -> closed',
  'close: denied -> closed',
]);

const ACTIONS = Object.keys(CLAIM_TRANSITIONS) as ClaimAction[];
const key = (action: string, from: string, to: string) => `${action}: ${from} -> ${to}`;
const ALL = ACTIONS.flatMap((action) =>
  CLAIM_STATUSES.flatMap((from) => CLAIM_STATUSES.map((to) => [action, from, to] as const)),
);

describe('the claim state machine', () => {
  it('has the actions and statuses the table is written for', () => {
    expect([...ACTIONS].sort()).toEqual(['approve', 'close', 'deny', 'pay', 'review']);
    expect([...CLAIM_STATUSES]).toEqual(['submitted', 'in_review', 'approved', 'denied', 'paid', 'closed']);
    expect(ALL).toHaveLength(5 * 6 * 6);
  });

  it.each(ALL)('%s: %s -> %s', (action, from, to) => {
    expect(canTransitionClaim(action, from, to)).toBe(ALLOWED.has(key(action, from, to)));
  });

  it.each(ACTIONS.flatMap((action) => CLAIM_STATUSES.map((from) => [action, from] as const)))(
    'nextClaimStatus(%s) from %s lands where the table says, or refuses naming the status',
    (action, from) => {
      const allowed = [...ALLOWED].find((k) => k.startsWith(`${action}: ${from} -> `));
      if (allowed) {
        expect(key(action, from, nextClaimStatus(action, from))).toBe(allowed);
      } else {
        const error = coreErrorOf(() => nextClaimStatus(action, from), 'invalid_transition');
        expect(error.fields).toEqual([{ field: 'status', message: `${from} does not allow ${action}` }]);
        expect(error.message).toBe(`cannot ${action} a claim that is ${from}`);
      }
    },
  );

  it('every listed move is reachable (no typo in the hand table)', () => {
    const reachable = ALL.filter(([a, f, t]) => canTransitionClaim(a, f, t)).map(([a, f, t]) => key(a, f, t));
    expect(new Set(reachable)).toEqual(ALLOWED);
  });

  it('closed is the one terminal status: it allows nothing, and takes no more files', () => {
    expect(CLAIM_TERMINAL_STATUSES).toEqual(['closed']);
    for (const action of ACTIONS) {
      for (const to of CLAIM_STATUSES) expect(canTransitionClaim(action, 'closed', to)).toBe(false);
    }
    for (const status of CLAIM_STATUSES) expect(acceptsAttachments(status)).toBe(status !== 'closed');
  });

  it('nothing leads back to submitted, and a claim is paid only once approved', () => {
    for (const action of ACTIONS) {
      for (const from of CLAIM_STATUSES) expect(canTransitionClaim(action, from, 'submitted')).toBe(false);
    }
    const toPaid = ALL.filter(([a, f, t]) => t === 'paid' && canTransitionClaim(a, f, t));
    expect(toPaid).toEqual([['pay', 'approved', 'paid']]);
  });
});
