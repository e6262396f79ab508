import { monotonicFactory } from 'ulidx';
import type { Clock } from './clock.js';

/** Id prefixes: one per kind of thing, so an id says what it names (`pol_01J…`). */
export const ID_PREFIX = {
  partner: 'ptn',
  credential: 'cred',
  credentialSet: 'crs',
  offer: 'off',
  offerOption: 'opt',
  policy: 'pol',
  policyEvent: 'pev',
  orderEvent: 'oev',
  claim: 'clm',
  claimEvent: 'cev',
  claimAttachment: 'att',
  event: 'evt',
  job: 'job',
  webhookEndpoint: 'we',
  request: 'req',
  policyChange: 'pch',
  instalment: 'inst',
  consoleUser: 'usr',
  productChange: 'prc',
} as const;
export type IdKind = keyof typeof ID_PREFIX;

export interface IdGenerator {
  next(kind: IdKind): string;
  /** A random RFC 4122 UUID, for identities shown in GUID form (Omocom handles). */
  uuid(): string;
}

/**
 * Random bytes drawn from a pool filled 4 KiB at a time: ulidx asks for one byte per character, and a
 * call into the system's random source per character was a twentieth of a bind's CPU (profiled).
 */
function pooledRandom(): () => number {
  const pool = new Uint8Array(4096);
  let next = pool.length;
  return () => {
    if (next === pool.length) {
      globalThis.crypto.getRandomValues(pool);
      next = 0;
    }
    // One of 32 characters from the byte's low five bits, uniformly: (0…31 + 0.5) / 32 is below 1.
    return ((pool[next++]! & 31) + 0.5) / 32;
  };
}

/** Time-sortable ids (ULID) whose time part comes from the injected clock, monotonic within a millisecond. */
export function ulidIds(clock: Clock): IdGenerator {
  const ulid = monotonicFactory(pooledRandom());
  return {
    next: (kind) => `${ID_PREFIX[kind]}_${ulid(clock.now().getTime()).toLowerCase()}`,
    uuid: () => globalThis.crypto.randomUUID(),
  };
}

export function hasPrefix(id: string, kind: IdKind): boolean {
  return id.startsWith(`${ID_PREFIX[kind]}_`);
}
