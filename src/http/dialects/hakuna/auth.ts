import type { FastifyRequest } from 'fastify';
import { hashSecret } from '../../../auth/secrets.js';
import type { Mode } from '../../../core/partners/partner.js';
import { bearer, unauthenticated } from '../../auth.js';
import type { Services } from '../../context.js';
import { HakunaError } from './errors.js';

/** The guide's environments: test keys (`sk_test_…`) on sandbox, live keys on live. */
export type HakunaEnvironment = 'sandbox' | 'live';
const MODE: Record<HakunaEnvironment, Mode> = { sandbox: 'test', live: 'live' };

/** The key from `Authorization: Bearer <key>`, or from the guide's own `Bearer: <key>` header. */
function apiKey(request: FastifyRequest): string | undefined {
  const header = request.headers.bearer;
  return bearer(request) ?? (typeof header === 'string' && header.trim() ? header.trim() : undefined);
}

/** A partner's API key, refused on the environment of the other mode. */
export async function authenticateHakuna(
  services: Services,
  request: FastifyRequest,
  environment: HakunaEnvironment,
): Promise<void> {
  const key = apiKey(request);
  if (!key) throw unauthenticated('send the API key as "Authorization: Bearer sk_…" or "Bearer: sk_…"');
  const credential = await services.db.read.credentials.find('api_key', hashSecret(key));
  if (!credential) throw unauthenticated('unknown API key');
  if (credential.revokedAt) throw unauthenticated('this API key has been revoked');
  if (credential.mode !== MODE[environment]) {
    const right = environment === 'sandbox' ? 'live' : 'sandbox';
    throw new HakunaError(
      401,
      'authentication_failed',
      `a ${credential.mode} key is not accepted on /hakuna/${environment}: use /hakuna/${right}`,
      [{ field: 'Authorization', message: `${MODE[environment]} keys only on ${environment}` }],
    );
  }
  request.tenant = { partnerId: credential.partnerId, mode: credential.mode };
}
