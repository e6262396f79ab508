import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { CoreError } from '../../src/core/errors.js';
import { ulidIds } from '../../src/core/ids.js';
import { issueCredentials } from '../../src/core/partners/issue-credentials.js';
import type { Partner } from '../../src/core/partners/partner.js';
import type { CoreDeps, Secrets, StoredCredential } from '../../src/core/ports.js';

const partner: Partner = {
  id: 'ptn_1',
  code: 'shop',
  name: 'Shop',
  markets: [{ country: 'SE', currency: 'SEK', language: 'sv' }],
  counterpartHandle: 'C0FFEE',
  createdAt: new Date('2026-01-01T00:00:00Z'),
};

/** Counts tokens so every secret differs and says how many random bytes it was made from. */
function fakeSecrets(): Secrets {
  let n = 0;
  return { randomToken: (bytes) => `t${++n}x${bytes}`, hash: (secret) => `hash(${secret})` };
}

function harness() {
  const clock = new ManualClock('2026-03-02T10:00:00Z');
  const stored: StoredCredential[] = [];
  const repos = {
    partners: { getByCode: async (code: string) => (code === partner.code ? partner : undefined) },
    credentials: { add: async (c: StoredCredential) => void stored.push(c) },
  } as unknown as CoreDeps['repos'];
  return { deps: { repos, clock, ids: ulidIds(clock) } satisfies CoreDeps, stored };
}

describe('issueCredentials', () => {
  it('makes an API key, an OAuth2 client and an HMAC key for the mode, and hands back every secret', async () => {
    const { deps } = harness();
    const { partner: issuedTo, issued } = await issueCredentials(deps, fakeSecrets(), 'shop', 'test');
    expect(issuedTo).toBe(partner);
    expect(issued).toEqual({
      mode: 'test',
      apiKey: 'sk_test_t1x24',
      oauth: { clientId: 'cli_test_t2x12', clientSecret: 't3x32' },
      hmac: { keyId: 'hk_test_t4x12', secret: 't5x32' },
    });
  });

  it('stores the API key and client secret only as hashes, the HMAC secret for encryption', async () => {
    const { deps, stored } = harness();
    const { issued, setId } = await issueCredentials(deps, fakeSecrets(), 'shop', 'live');
    expect(setId).toMatch(/^crs_/);
    const base = { partnerId: 'ptn_1', mode: 'live', setId, createdAt: deps.clock.now(), revokedAt: null };
    expect(stored).toEqual([
      {
        ...base,
        id: expect.stringMatching(/^cred_/),
        kind: 'api_key',
        lookup: `hash(${issued.apiKey})`,
        secretHash: null,
        secret: null,
      },
      {
        ...base,
        id: expect.stringMatching(/^cred_/),
        kind: 'oauth_client',
        lookup: issued.oauth.clientId,
        secretHash: `hash(${issued.oauth.clientSecret})`,
        secret: null,
      },
      {
        ...base,
        id: expect.stringMatching(/^cred_/),
        kind: 'hmac_key',
        lookup: issued.hmac.keyId,
        secretHash: null,
        secret: issued.hmac.secret,
      },
    ]);
    expect(new Set(stored.map((c) => c.id)).size).toBe(3);
  });

  it('refuses an unknown partner and stores nothing', async () => {
    const { deps, stored } = harness();
    const attempt = issueCredentials(deps, fakeSecrets(), 'nobody', 'test');
    await expect(attempt).rejects.toBeInstanceOf(CoreError);
    await expect(attempt).rejects.toMatchObject({ code: 'not_found' });
    expect(stored).toEqual([]);
  });
});
