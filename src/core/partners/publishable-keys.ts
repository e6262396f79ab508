import { CoreError } from '../errors.js';
import type { CoreDeps, Secrets, StoredCredential } from '../ports.js';
import { requirePartner } from './manage-partners.js';
import type { Mode, Partner } from './partner.js';

const MAX_ORIGINS = 20;
// An origin as a browser sends it: scheme, host, optional port; nothing after. `:*` (any port) is for
// the loopback host only, where a shop is tried out on whatever port it runs.
const ORIGIN = /^(https?):\/\/([a-z0-9-]+(?:\.[a-z0-9-]+)*)(?::(\d{1,5}|\*))?$/;
const LOOPBACK = new Set(['localhost', '127.0.0.1']);

/**
 * The origins a partner allows its publishable key to be used from, as browsers send them: lower case,
 * without a path or trailing slash, https (plain http only for the loopback host, to try a shop locally).
 */
export function checkOrigins(origins: readonly string[]): string[] {
  if (origins.length === 0 || origins.length > MAX_ORIGINS) {
    throw new CoreError('validation_failed', `1 to ${MAX_ORIGINS} allowed origins`, [
      { field: 'allowedOrigins', message: `1 to ${MAX_ORIGINS} origins` },
    ]);
  }
  const checked = origins.map((raw, i) => {
    const origin = raw.trim().toLowerCase();
    const match = ORIGIN.exec(origin);
    const refuse = (message: string) =>
      new CoreError('validation_failed', `allowedOrigins/${i}: ${message}`, [
        { field: `allowedOrigins/${i}`, message },
      ]);
    if (!match) throw refuse('an origin such as https://shop.example (scheme and host, no path)');
    if (!LOOPBACK.has(match[2]!)) {
      if (match[1] === 'http') throw refuse('must be https (http only for localhost)');
      if (match[3] === '*') throw refuse('any port (:*) only for localhost');
    }
    return origin;
  });
  return [...new Set(checked)];
}

/**
 * Whether text has a publishable key's shape (`pk_<mode>_` and a base64url token). The key arrives in a
 * URL path, which may hold any text at all: what cannot be a key is unknown without asking the database.
 */
export const isPublishableKey = (text: string): boolean => /^pk_(test|live)_[A-Za-z0-9_-]{1,100}$/.test(text);

/** Whether a browser request from `origin` may use this publishable key. */
export function originAllowed(credential: StoredCredential, origin: string | undefined): boolean {
  if (origin === undefined) return false;
  const asked = origin.toLowerCase();
  const anyPort = asked.replace(/:\d{1,5}$/, ':*');
  return (credential.origins ?? []).some((allowed) => allowed === asked || allowed === anyPort);
}

/**
 * Issues a partner a publishable key for one mode, usable from the given origins only. The key is
 * public (it is put in the shop's pages), so it is kept as it is; it is its own credential set.
 */
export async function issuePublishableKey(
  deps: CoreDeps,
  secrets: Secrets,
  partnerCode: string,
  mode: Mode,
  allowedOrigins: readonly string[],
): Promise<{ partner: Partner; key: string; setId: string; origins: string[] }> {
  const origins = checkOrigins(allowedOrigins);
  const partner = await requirePartner(deps, partnerCode);
  const key = `pk_${mode}_${secrets.randomToken(24)}`;
  const setId = deps.ids.next('credentialSet');
  await deps.repos.credentials.add({
    id: deps.ids.next('credential'),
    partnerId: partner.id,
    mode,
    kind: 'publishable_key',
    lookup: key,
    secretHash: null,
    secret: null,
    setId,
    createdAt: deps.clock.now(),
    revokedAt: null,
    origins,
  });
  return { partner, key, setId, origins };
}
