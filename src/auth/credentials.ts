import type { IdGenerator } from '../core/ids.js';
import {
  type IssuedCredentials,
  newCredentials as newCredentialsWith,
  storedCredentials,
} from '../core/partners/issue-credentials.js';
import type { Mode } from '../core/partners/partner.js';
import type { StoredCredential } from '../core/ports.js';
import { nodeSecrets } from './secrets.js';

/** A new credential set made with node:crypto (the admin API issues them through the core's use case). */
export function newCredentials(mode: Mode): IssuedCredentials {
  return newCredentialsWith(nodeSecrets, mode);
}

/** What is stored of a credential set, hashed with node:crypto: for the demo's well-known credentials. */
export function toStored(
  ids: IdGenerator,
  partnerId: string,
  at: Date,
  c: IssuedCredentials,
): StoredCredential[] {
  return storedCredentials(ids, nodeSecrets, partnerId, at, c);
}
