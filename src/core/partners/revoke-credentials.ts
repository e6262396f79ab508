import { notFound } from '../errors.js';
import type { CoreDeps } from '../ports.js';
import { requirePartner } from './manage-partners.js';
import type { Partner } from './partner.js';

/**
 * Revokes one of a partner's credential sets: its API key, OAuth2 client and HMAC key authenticate
 * nothing from now on, and neither do access tokens issued to that client. Revoking a set again changes
 * nothing and answers the first revocation's time. A set of another partner is not found, like an
 * unknown one.
 */
export async function revokeCredentials(
  deps: CoreDeps,
  partnerCode: string,
  setId: string,
): Promise<{ partner: Partner; revokedAt: Date }> {
  const partner = await requirePartner(deps, partnerCode);
  const set = (await deps.repos.credentials.list(partner.id)).filter((c) => c.setId === setId);
  if (set.length === 0) throw notFound(`credential set ${setId}`, 'setId');
  const revokedAt = set.find((c) => c.revokedAt)?.revokedAt ?? deps.clock.now();
  if (set.some((c) => c.revokedAt === null)) {
    await deps.repos.credentials.revokeSet(partner.id, setId, revokedAt);
  }
  return { partner, revokedAt };
}
