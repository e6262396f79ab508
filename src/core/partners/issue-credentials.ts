import type { IdGenerator } from '../ids.js';
import type { CoreDeps, Secrets, StoredCredential } from '../ports.js';
import { requirePartner } from './manage-partners.js';
import type { Mode, Partner } from './partner.js';

/** Every secret of a credential set: shown once, then kept only hashed or encrypted. */
export interface IssuedCredentials {
  mode: Mode;
  apiKey: string;
  oauth: { clientId: string; clientSecret: string };
  hmac: { keyId: string; secret: string };
}

/** A new API key, OAuth2 client and HMAC signing key for one mode. */
export function newCredentials(secrets: Secrets, mode: Mode): IssuedCredentials {
  return {
    mode,
    apiKey: `sk_${mode}_${secrets.randomToken(24)}`,
    oauth: { clientId: `cli_${mode}_${secrets.randomToken(12)}`, clientSecret: secrets.randomToken(32) },
    hmac: { keyId: `hk_${mode}_${secrets.randomToken(12)}`, secret: secrets.randomToken(32) },
  };
}

/** What is stored of a credential set: the API key and client secret hashed, the HMAC secret to be encrypted. */
export function storedCredentials(
  ids: IdGenerator,
  secrets: Secrets,
  partnerId: string,
  at: Date,
  c: IssuedCredentials,
): StoredCredential[] {
  const base = { partnerId, mode: c.mode, setId: ids.next('credentialSet'), createdAt: at, revokedAt: null };
  const id = () => ids.next('credential');
  return [
    { ...base, id: id(), kind: 'api_key', lookup: secrets.hash(c.apiKey), secretHash: null, secret: null },
    {
      ...base,
      id: id(),
      kind: 'oauth_client',
      lookup: c.oauth.clientId,
      secretHash: secrets.hash(c.oauth.clientSecret),
      secret: null,
    },
    { ...base, id: id(), kind: 'hmac_key', lookup: c.hmac.keyId, secretHash: null, secret: c.hmac.secret },
  ];
}

/**
 * Issues a partner a new credential set for one mode and stores it. The secrets are in the answer
 * only: the caller shows them once.
 */
export async function issueCredentials(
  deps: CoreDeps,
  secrets: Secrets,
  partnerCode: string,
  mode: Mode,
): Promise<{ partner: Partner; issued: IssuedCredentials; setId: string }> {
  const partner = await requirePartner(deps, partnerCode);
  const issued = newCredentials(secrets, mode);
  const stored = storedCredentials(deps.ids, secrets, partner.id, deps.clock.now(), issued);
  for (const credential of stored) await deps.repos.credentials.add(credential);
  return { partner, issued, setId: stored[0]!.setId };
}
