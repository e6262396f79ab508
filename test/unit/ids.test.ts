import { decodeTime } from 'ulidx';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { hasPrefix, ID_PREFIX, type IdKind, ulidIds } from '../../src/core/ids.js';

/** Lower-case Crockford base32: no i, l, o, u. */
const ULID = /^[0-9abcdefghjkmnpqrstvwxyz]{26}$/;
const body = (id: string) => id.slice(id.indexOf('_') + 1);

describe('ulidIds', () => {
  it.each([
    ['partner', 'ptn'],
    ['credential', 'cred'],
    ['offer', 'off'],
    ['offerOption', 'opt'],
    ['policy', 'pol'],
    ['policyEvent', 'pev'],
    ['orderEvent', 'oev'],
    ['claim', 'clm'],
    ['request', 'req'],
  ] as [IdKind, string][])('%s ids start with %s_ and a lower-case ULID', (kind, prefix) => {
    const ids = ulidIds(new ManualClock('2025-01-01T00:00:00Z'));
    const id = ids.next(kind);
    expect(id.startsWith(`${prefix}_`)).toBe(true);
    expect(body(id)).toMatch(ULID);
    expect(hasPrefix(id, kind)).toBe(true);
  });

  it('every kind has its own prefix, and its ids carry it', () => {
    const ids = ulidIds(new ManualClock('2025-01-01T00:00:00Z'));
    const kinds = Object.keys(ID_PREFIX) as IdKind[];
    const prefixes = Object.values(ID_PREFIX);
    expect(new Set(prefixes).size).toBe(prefixes.length);
    for (const kind of kinds) {
      expect(ID_PREFIX[kind]).toMatch(/^[a-z]+$/);
      const id = ids.next(kind);
      expect(id).toMatch(new RegExp(`^${ID_PREFIX[kind]}_[0-9abcdefghjkmnpqrstvwxyz]{26}$`));
      for (const other of kinds) expect(hasPrefix(id, other), `${id} as ${other}`).toBe(other === kind);
    }
  });

  it('the time part is the clock time', () => {
    const clock = new ManualClock('2025-03-04T05:06:07.089Z');
    const ids = ulidIds(clock);
    expect(decodeTime(body(ids.next('policy')).toUpperCase())).toBe(Date.parse('2025-03-04T05:06:07.089Z'));
    clock.set('2030-01-01T00:00:00Z');
    expect(decodeTime(body(ids.next('offer')).toUpperCase())).toBe(Date.parse('2030-01-01T00:00:00Z'));
  });

  it('ids sort by the time they were made', () => {
    const clock = new ManualClock('2025-01-01T00:00:00Z');
    const ids = ulidIds(clock);
    const made: string[] = [];
    for (let i = 0; i < 50; i++) {
      made.push(ids.next('policy'));
      clock.advance(i % 3 === 0 ? 1 : 86_400_000 + i);
    }
    const shuffled = [...made].reverse();
    expect(shuffled.sort()).toEqual(made);
  });

  it('ids made in the same millisecond still rise, and never repeat', () => {
    const ids = ulidIds(new ManualClock('2025-01-01T00:00:00Z'));
    const made = Array.from({ length: 1_000 }, () => ids.next('policyEvent'));
    expect(new Set(made).size).toBe(1_000);
    for (let i = 1; i < made.length; i++) expect(made[i]! > made[i - 1]!).toBe(true);
    expect(new Set(made.map((id) => body(id).slice(0, 10))).size).toBe(1);
  });

  it('ids of different kinds made later sort later once the prefix is off', () => {
    const clock = new ManualClock('2025-01-01T00:00:00Z');
    const ids = ulidIds(clock);
    const first = ids.next('request');
    clock.advance(1);
    const second = ids.next('claim');
    expect(body(second) > body(first)).toBe(true);
  });

  it('uuid() gives random RFC 4122 version-4 UUIDs', () => {
    const ids = ulidIds(new ManualClock('2025-01-01T00:00:00Z'));
    const a = ids.uuid();
    const b = ids.uuid();
    const v4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    expect(a).toMatch(v4);
    expect(b).toMatch(v4);
    expect(a).not.toBe(b);
  });
});

describe('hasPrefix', () => {
  it.each([
    ['pol_01j0000000000000000000000', 'policy', true],
    ['pol_01j0000000000000000000000', 'offer', false],
    ['polx', 'policy', false],
    ['pol', 'policy', false],
    ['xpol_1', 'policy', false],
    ['opt_1', 'offerOption', true],
    ['off_1', 'offerOption', false],
  ] as [string, IdKind, boolean][])('%s is a %s id: %s', (id, kind, ok) => {
    expect(hasPrefix(id, kind)).toBe(ok);
  });
});
