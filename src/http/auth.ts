import type { FastifyRequest } from 'fastify';
import { hashSecret, sameSecret } from '../auth/secrets.js';
import { CoreError } from '../core/errors.js';
import type { Tenant } from '../core/partners/partner.js';
import { isPublishableKey, originAllowed } from '../core/partners/publishable-keys.js';
import type { Services } from './context.js';

/** The token of `Authorization: Bearer <token>`, if the request sends one. */
export function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match?.[1];
}

/** A refused credential, naming the Authorization header; each API renders it in its own error format. */
export const unauthenticated = (message: string) =>
  new CoreError('unauthenticated', message, [{ field: 'Authorization', message }]);

/**
 * The tenant of an OAuth2 client (Omocom's token endpoint, Sitoo's HTTP Basic), if id and secret match;
 * `revoked` when they match a client whose credential set an operator revoked.
 */
export async function oauthClientTenant(
  services: Services,
  clientId: string,
  clientSecret: string,
): Promise<Tenant | 'revoked' | undefined> {
  const credential = await services.db.read.credentials.find('oauth_client', clientId);
  if (!credential?.secretHash || !sameSecret(hashSecret(clientSecret), credential.secretHash))
    return undefined;
  if (credential.revokedAt) return 'revoked';
  return { partnerId: credential.partnerId, mode: credential.mode };
}

/** `Authorization: Bearer sk_test_…`: finds the partner and mode the key belongs to. */
export async function authenticateApiKey(services: Services, request: FastifyRequest): Promise<void> {
  const key = bearer(request);
  if (!key) throw unauthenticated('send the API key as "Authorization: Bearer sk_…"');
  if (key.startsWith('pk_')) throw publishableRefused();
  const credential = await services.db.read.credentials.find('api_key', hashSecret(key));
  if (!credential) throw unauthenticated('unknown API key');
  if (credential.revokedAt) throw unauthenticated('this API key has been revoked');
  request.tenant = { partnerId: credential.partnerId, mode: credential.mode };
}

/** A publishable key sent where only a secret key will do: it asks for offers, from the browser, and nothing else. */
const publishableRefused = () =>
  new CoreError('forbidden', 'a publishable key can only ask for offers (POST /v1/widget/{key}/offers)', [
    {
      field: 'Authorization',
      message: 'a publishable key (pk_…) asks for offers only; use a secret key (sk_…)',
    },
  ]);

/**
 * A publishable key named in the path of the widget's offer route, used from one of its allowed origins
 * (the browser's Origin header): the tenant it asks offers for.
 */
export async function authenticatePublishableKey(
  services: Services,
  request: FastifyRequest,
  key: string,
): Promise<void> {
  const credential = isPublishableKey(key)
    ? await services.db.read.credentials.find('publishable_key', key)
    : undefined;
  if (!credential) throw unauthenticated('unknown publishable key');
  if (credential.revokedAt) throw unauthenticated('this publishable key has been revoked');
  const origin = request.headers.origin;
  if (!originAllowed(credential, origin)) {
    throw new CoreError('forbidden', `origin ${origin ?? '(none)'} may not use this publishable key`, [
      { field: 'Origin', message: 'not one of the origins the partner allowed for this key' },
    ]);
  }
  request.tenant = { partnerId: credential.partnerId, mode: credential.mode };
}

/** The admin API is the operator's: one bearer token from PROTEGO_ADMIN_TOKEN. */
export async function authenticateAdmin(services: Services, request: FastifyRequest): Promise<void> {
  const token = bearer(request);
  if (!token || !sameSecret(token, services.adminToken))
    throw unauthenticated('send the admin token as a bearer token');
}
