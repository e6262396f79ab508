import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { CoreError } from '../../src/core/errors.js';
import { ulidIds } from '../../src/core/ids.js';
import { issueCredentials } from '../../src/core/partners/issue-credentials.js';
import type { Partner } from '../../src/core/partners/partner.js';
import { revokeCredentials } from '../../src/core/partners/revoke-credentials.js';
import type { CoreDeps, Secrets, StoredCredential } from '../../src/core/ports.js';

const partner = (id: string, code: string): Partner => ({
  id,
  code,
  name: code,
  markets: [{ country: 'SE', currency: 'SEK', language: 'sv' }],
  counterpartHandle: 'C0FFEE',
  createdAt: new Date('2026-01-01T00:00:00Z'),
});
const PARTNERS = [partner('ptn_1', 'shop'), partner('ptn_2', 'other')];

function fakeSecrets(): Secrets {
  let n = 0;
  return { randomToken: () => `t${++n}`, hash: (secret) => `hash(${secret})` };
}

/** Credentials kept in a list, revoked as the storage does: every one of the set not revoked yet. */
function harness() {
  const clock = new ManualClock('2026-03-02T10:00:00Z');
  const stored: StoredCredential[] = [];
  const revocations: string[] = [];
  const repos = {
    partners: { getByCode: async (code: string) => PARTNERS.find((p) => p.code === code) },
    credentials: {
      add: async (c: StoredCredential) => void stored.push(c),
      list: async (partnerId: string) => stored.filter((c) => c.partnerId === partnerId),
      revokeSet: async (partnerId: string, setId: string, at: Date) => {
        revocations.push(setId);
        for (const c of stored) {
          if (c.partnerId === partnerId && c.setId === setId && c.revokedAt === null) c.revokedAt = at;
        }
      },
    },
  } as unknown as CoreDeps['repos'];
  return { deps: { repos, clock, ids: ulidIds(clock) } satisfies CoreDeps, clock, stored, revocations };
}

describe('revokeCredentials', () => {
  it('revokes the three credentials of one set at the clock, and no other set', async () => {
    const { deps, clock, stored } = harness();
    const { setId } = await issueCredentials(deps, fakeSecrets(), 'shop', 'test');
    const { setId: kept } = await issueCredentials(deps, fakeSecrets(), 'shop', 'test');
    clock.advance(5_000);
    const { partner: of, revokedAt } = await revokeCredentials(deps, 'shop', setId);
    expect(of.id).toBe('ptn_1');
    expect(revokedAt).toEqual(clock.now());
    expect(stored.filter((c) => c.setId === setId).map((c) => c.revokedAt)).toEqual([
      revokedAt,
      revokedAt,
      revokedAt,
    ]);
    expect(stored.filter((c) => c.setId === kept).every((c) => c.revokedAt === null)).toBe(true);
  });

  it('revoking a revoked set writes nothing and answers the first time', async () => {
    const { deps, clock, revocations } = harness();
    const { setId } = await issueCredentials(deps, fakeSecrets(), 'shop', 'live');
    const first = await revokeCredentials(deps, 'shop', setId);
    clock.advance(60_000);
    const again = await revokeCredentials(deps, 'shop', setId);
    expect(again.revokedAt).toEqual(first.revokedAt);
    expect(revocations).toEqual([setId]);
  });

  it("refuses another partner's set and an unknown one as not found, naming setId", async () => {
    const { deps, stored, revocations } = harness();
    const { setId } = await issueCredentials(deps, fakeSecrets(), 'other', 'test');
    for (const [code, id] of [
      ['shop', setId],
      ['shop', 'crs_unknown'],
    ] as const) {
      const attempt = revokeCredentials(deps, code, id);
      await expect(attempt).rejects.toBeInstanceOf(CoreError);
      await expect(attempt).rejects.toMatchObject({ code: 'not_found', fields: [{ field: 'setId' }] });
    }
    await expect(revokeCredentials(deps, 'nobody', setId)).rejects.toMatchObject({ code: 'not_found' });
    expect(revocations).toEqual([]);
    expect(stored.every((c) => c.revokedAt === null)).toBe(true);
  });
});
