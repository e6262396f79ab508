import type { IdGenerator } from '../core/ids.js';
import type { Mode } from '../core/partners/partner.js';
import type { StoredCredential } from '../core/ports.js';
import { hashSecret, randomToken } from './secrets.js';

/** Every secret of a credential set: shown once, then kept only hashed or encrypted. */
export interface IssuedCredentials {
  mode: Mode;
  api_key: string;
  oauth: { client_id: string; client_secret: string };
  hmac: { key_id: string; secret: string };
}

/** A new API key, OAuth2 client and HMAC signing key for one partner in one mode. */
export function newCredentials(mode: Mode): IssuedCredentials {
  return {
    mode,
    api_key: `sk_${mode}_${randomToken(24)}`,
    oauth: { client_id: `cli_${mode}_${randomToken(12)}`, client_secret: randomToken(32) },
    hmac: { key_id: `hk_${mode}_${randomToken(12)}`, secret: randomToken(32) },
  };
}

/** What is stored of a credential set: the API key and client secret hashed, the HMAC secret to be encrypted. */
export function toStored(
  ids: IdGenerator,
  partnerId: string,
  at: Date,
  c: IssuedCredentials,
): StoredCredential[] {
  const base = { partnerId, mode: c.mode, createdAt: at };
  const id = () => ids.next('credential');
  return [
    { ...base, id: id(), kind: 'api_key', lookup: hashSecret(c.api_key), secretHash: null, secret: null },
    {
      ...base,
      id: id(),
      kind: 'oauth_client',
      lookup: c.oauth.client_id,
      secretHash: hashSecret(c.oauth.client_secret),
      secret: null,
    },
    { ...base, id: id(), kind: 'hmac_key', lookup: c.hmac.key_id, secretHash: null, secret: c.hmac.secret },
  ];
}
