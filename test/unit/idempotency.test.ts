import { describe, expect, it } from 'vitest';
import {
  decideRepeat,
  IDEMPOTENCY_LOCK_MS,
  IDEMPOTENCY_TTL_MS,
  type IdempotencyRecord,
} from '../../src/core/idempotency.js';

const answered: IdempotencyRecord = {
  requestHash: 'hash-a',
  lockedUntil: null,
  response: { status: 201, body: '{"id":"pol_1"}' },
};
const running: IdempotencyRecord = {
  requestHash: 'hash-a',
  lockedUntil: new Date('2025-01-01T00:01:00Z'),
  response: null,
};

describe('decideRepeat', () => {
  it('same key, same request, answered: replays the stored answer', () => {
    const decision = decideRepeat(answered, 'hash-a');
    expect(decision).toEqual({ kind: 'replay', response: { status: 201, body: '{"id":"pol_1"}' } });
    expect(decision.kind === 'replay' && decision.response).toBe(answered.response);
  });

  it('replays error answers too', () => {
    const failed: IdempotencyRecord = { ...answered, response: { status: 422, body: '{"error":"x"}' } };
    expect(decideRepeat(failed, 'hash-a')).toEqual({ kind: 'replay', response: failed.response });
  });

  it('same key, same request, still running: in flight', () => {
    expect(decideRepeat(running, 'hash-a')).toEqual({ kind: 'in_flight' });
    expect(decideRepeat({ ...running, lockedUntil: null }, 'hash-a')).toEqual({ kind: 'in_flight' });
  });

  it('same key, other request: reused, whether the first is answered or running', () => {
    expect(decideRepeat(answered, 'hash-b')).toEqual({ kind: 'reused' });
    expect(decideRepeat(running, 'hash-b')).toEqual({ kind: 'reused' });
    expect(decideRepeat(answered, 'HASH-A')).toEqual({ kind: 'reused' });
    expect(decideRepeat(answered, '')).toEqual({ kind: 'reused' });
  });

  it('keys live 48 hours and a lock one minute', () => {
    expect(IDEMPOTENCY_TTL_MS).toBe(172_800_000);
    expect(IDEMPOTENCY_LOCK_MS).toBe(60_000);
  });
});
