import type { FastifyRequest } from 'fastify';
import { hashSecret, sameSecret } from '../auth/secrets.js';
import { CoreError } from '../core/errors.js';
import type { Services } from './context.js';

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match?.[1];
}

const unauthenticated = (message: string) =>
  new CoreError('unauthenticated', message, [{ field: 'Authorization', message }]);

/** `Authorization: Bearer sk_test_…`: finds the partner and mode the key belongs to. */
export async function authenticateApiKey(services: Services, request: FastifyRequest): Promise<void> {
  const key = bearer(request);
  if (!key) throw unauthenticated('send the API key as "Authorization: Bearer sk_…"');
  const credential = await services.store.read.credentials.find('api_key', hashSecret(key));
  if (!credential) throw unauthenticated('unknown API key');
  request.tenant = { partnerId: credential.partnerId, mode: credential.mode };
}

/** The admin API is the operator's: one bearer token from PROTEGO_ADMIN_TOKEN. */
export async function authenticateAdmin(services: Services, request: FastifyRequest): Promise<void> {
  const token = bearer(request);
  if (!token || !sameSecret(token, services.adminToken))
    throw unauthenticated('send the admin token as a bearer token');
}
