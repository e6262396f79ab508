/**
 * Idempotency: a client may send a POST again with the same key. Same key and same request: the stored
 * answer comes back. Same key, other request: refused. The first still running: "in flight".
 */
export const IDEMPOTENCY_TTL_MS = 48 * 3_600_000;
/** How long a request may hold its key before a retry may take it over (its work was rolled back). */
export const IDEMPOTENCY_LOCK_MS = 60_000;

export interface StoredResponse {
  status: number;
  body: string;
}

export interface IdempotencyRecord {
  requestHash: string;
  lockedUntil: Date | null;
  response: StoredResponse | null;
}

export type IdempotencyDecision =
  | { kind: 'replay'; response: StoredResponse }
  | { kind: 'reused' }
  | { kind: 'in_flight' };

/** What a second request with a key that is already taken gets. */
export function decideRepeat(existing: IdempotencyRecord, requestHash: string): IdempotencyDecision {
  if (existing.requestHash !== requestHash) return { kind: 'reused' };
  if (existing.response) return { kind: 'replay', response: existing.response };
  return { kind: 'in_flight' };
}

export interface IdempotencyScope {
  partnerId: string;
  mode: string;
  key: string;
}
