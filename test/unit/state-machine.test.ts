import { describe, expect, it } from 'vitest';
import { POLICY_STATUSES, type PolicyStatus } from '../../src/core/policies/policy.js';
import {
  assertTransition,
  canTransition,
  liveStatus,
  type PolicyAction,
  TERMINAL_STATUSES,
  TRANSITIONS,
} from '../../src/core/policies/state-machine.js';
import { coreErrorOf } from './fixtures.js';

/** The allowed moves, written out by hand from the design: everything else must be refused. */
const ALLOWED = new Set([
  'bind: quoted -> pending_payment',
  'bind: quoted -> scheduled',
  'bind: quoted -> active',
  'confirm_payment: pending_payment -> scheduled',
  'confirm_payment: pending_payment -> active',
  'activate: scheduled -> active',
  'expire: active -> expired',
  'cancel: scheduled -> cancelled',
  'cancel: active -> cancelled',
  'void: quoted -> voided',
  'void: pending_payment -> voided',
  'void: scheduled -> voided',
]);

const ACTIONS = Object.keys(TRANSITIONS) as PolicyAction[];
const key = (action: string, from: string, to: string) => `${action}: ${from} -> ${to}`;

const ALL = ACTIONS.flatMap((action) =>
  POLICY_STATUSES.flatMap((from) => POLICY_STATUSES.map((to) => [action, from, to] as const)),
);

describe('the policy state machine', () => {
  it('has the actions and statuses the table is written for', () => {
    expect([...ACTIONS].sort()).toEqual(['activate', 'bind', 'cancel', 'confirm_payment', 'expire', 'void']);
    expect([...POLICY_STATUSES]).toEqual([
      'quoted',
      'pending_payment',
      'scheduled',
      'active',
      'expired',
      'cancelled',
      'voided',
    ]);
    expect(ALL).toHaveLength(6 * 7 * 7);
  });

  it.each(ALL)('%s: %s -> %s', (action, from, to) => {
    const allowed = ALLOWED.has(key(action, from, to));
    expect(canTransition(action, from, to)).toBe(allowed);
    if (allowed) {
      expect(() => assertTransition(action, from, to)).not.toThrow();
    } else {
      const error = coreErrorOf(() => assertTransition(action, from, to), 'invalid_transition');
      expect(error.fields).toEqual([{ field: 'status', message: `${from} does not allow ${action}` }]);
    }
  });

  it('every listed move is reachable (no typo in the hand table)', () => {
    const reachable = ALL.filter(([a, f, t]) => canTransition(a, f, t)).map(([a, f, t]) => key(a, f, t));
    expect(new Set(reachable)).toEqual(ALLOWED);
  });

  it('names the action and the status in the message', () => {
    expect(
      coreErrorOf(() => assertTransition('cancel', 'quoted', 'cancelled'), 'invalid_transition').message,
    ).toBe('cannot cancel a policy that is quoted');
    expect(
      coreErrorOf(() => assertTransition('confirm_payment', 'active', 'active'), 'invalid_transition')
        .message,
    ).toBe('cannot confirm payment a policy that is active');
  });

  it('terminal statuses are expired, cancelled and voided, and allow nothing', () => {
    expect([...TERMINAL_STATUSES].sort()).toEqual(['cancelled', 'expired', 'voided']);
    for (const from of TERMINAL_STATUSES) {
      for (const action of ACTIONS) {
        for (const to of POLICY_STATUSES) {
          expect(canTransition(action, from, to), key(action, from, to)).toBe(false);
          expect(() => assertTransition(action, from, to)).toThrow();
        }
      }
    }
  });

  it('nothing leads back to quoted, and an active policy cannot be voided', () => {
    for (const action of ACTIONS) {
      for (const from of POLICY_STATUSES) {
        expect(canTransition(action, from, 'quoted')).toBe(false);
      }
    }
    expect(canTransition('void', 'active', 'voided')).toBe(false);
  });
});

describe('liveStatus', () => {
  const now = new Date('2025-06-01T12:00:00.000Z');
  const at = (ms: number) => new Date(now.getTime() + ms);

  it.each([
    [true, at(-86_400_000), 'pending_payment'], // pending payment wins even when cover has begun
    [true, null, 'pending_payment'],
    [true, at(86_400_000), 'pending_payment'],
    [false, null, 'scheduled'], // no start yet (waiting for fulfilment)
    [false, at(1), 'scheduled'], // starts one ms from now
    [false, at(30 * 86_400_000), 'scheduled'],
    [false, at(0), 'active'], // starts exactly now
    [false, at(-1), 'active'],
    [false, at(-365 * 86_400_000), 'active'],
  ] as [boolean, Date | null, PolicyStatus][])(
    'payment pending %s, start %s -> %s',
    (paymentPending, coverageStart, expected) => {
      expect(liveStatus({ paymentPending, coverageStart, now })).toBe(expected);
    },
  );
});
