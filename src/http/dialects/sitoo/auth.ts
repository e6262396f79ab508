import type { FastifyRequest } from 'fastify';
import { authenticateApiKey, oauthClientTenant, unauthenticated } from '../../auth.js';
import type { Services } from '../../context.js';

/**
 * HTTP Basic with the partner's OAuth client id and secret (what a POS service-provider setting holds),
 * or `Authorization: Bearer <API key>` like the native API.
 */
export async function authenticateSitoo(services: Services, request: FastifyRequest): Promise<void> {
  const match = /^Basic\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  if (!match) return authenticateApiKey(services, request);
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 1) throw unauthenticated('Basic credentials must be "client_id:client_secret"');
  const tenant = await oauthClientTenant(services, decoded.slice(0, colon), decoded.slice(colon + 1));
  if (!tenant) throw unauthenticated('unknown client id or wrong client secret');
  if (tenant === 'revoked') throw unauthenticated('this client has been revoked');
  request.tenant = tenant;
}
