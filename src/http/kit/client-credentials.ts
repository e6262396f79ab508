import type { FastifyRequest } from 'fastify';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import type { Tenant } from '../../core/partners/partner.js';
import { bearer, oauthClientTenant, unauthenticated } from '../auth.js';
import type { Services } from '../context.js';
import { OAuthError } from './oauth2.js';

/*
 * OAuth2 client credentials for every API with a token server (Omocom's, SocGen's): the same clients
 * (the partner's OAuth2 credentials), each API's tokens for its own audience only.
 */

const TOKEN_LIFETIME_SECONDS = 7200;
const ISSUER = 'protego';

export interface TokenRequest {
  grant_type?: string;
  client_id?: string;
  client_secret?: string;
  scope?: string;
}

/** OAuth2 client credentials (RFC 6749 §4.4): the client in the form body or as HTTP Basic. */
export async function issueToken(
  services: Services,
  request: FastifyRequest,
  form: TokenRequest,
  audience: string,
): Promise<{ access_token: string; token_type: 'Bearer'; expires_in: number; scope?: string }> {
  if (form.grant_type === undefined) throw new OAuthError('invalid_request', 'grant_type is required');
  if (form.grant_type !== 'client_credentials') {
    throw new OAuthError('unsupported_grant_type', 'grant_type must be client_credentials');
  }
  let clientId = form.client_id;
  let clientSecret = form.client_secret;
  const basic = /^Basic\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  if (basic?.[1]) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) {
      clientId = decodeURIComponent(decoded.slice(0, colon));
      clientSecret = decodeURIComponent(decoded.slice(colon + 1));
    }
  }
  if (!clientId) throw new OAuthError('invalid_request', 'client_id is required');
  if (!clientSecret) throw new OAuthError('invalid_request', 'client_secret is required');
  const tenant = await oauthClientTenant(services, clientId, clientSecret);
  if (!tenant) throw new OAuthError('invalid_client', 'unknown client or wrong secret');
  if (tenant === 'revoked') throw new OAuthError('invalid_client', 'this client has been revoked');
  const now = Math.floor(services.clock.now().getTime() / 1000);
  const token = await new SignJWT({
    mode: tenant.mode,
    client_id: clientId,
    ...(form.scope ? { scope: form.scope } : {}),
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(ISSUER)
    .setAudience(audience)
    .setSubject(tenant.partnerId)
    .setIssuedAt(now)
    .setExpirationTime(now + TOKEN_LIFETIME_SECONDS)
    .sign(services.tokenKey);
  return {
    access_token: token,
    token_type: 'Bearer',
    expires_in: TOKEN_LIFETIME_SECONDS,
    ...(form.scope ? { scope: form.scope } : {}),
  };
}

/**
 * The tenant a bearer token was issued to; expired, malformed or foreign tokens are refused, and so is a
 * token of a client that no longer authenticates (its credential set revoked): the token names its
 * client (`client_id`), looked up on every request.
 */
export async function verifyToken(
  services: Services,
  request: FastifyRequest,
  audience: { audience: string; tokenUrl: string },
): Promise<Tenant> {
  const token = bearer(request);
  if (!token) {
    throw unauthenticated(
      `send the access token from POST ${audience.tokenUrl} as "Authorization: Bearer …"`,
    );
  }
  let tenant: Tenant;
  let client: string;
  try {
    const { payload } = await jwtVerify(token, services.tokenKey, {
      issuer: ISSUER,
      audience: audience.audience,
      algorithms: ['HS256'],
      currentDate: services.clock.now(),
      requiredClaims: ['sub', 'exp'],
    });
    const { sub, mode, client_id: clientId } = payload;
    if (typeof sub !== 'string' || typeof clientId !== 'string' || (mode !== 'test' && mode !== 'live')) {
      throw unauthenticated('the access token is not valid');
    }
    tenant = { partnerId: sub, mode };
    client = clientId;
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) throw unauthenticated('the access token has expired');
    if (error instanceof joseErrors.JOSEError) throw unauthenticated('the access token is not valid');
    throw error;
  }
  const credential = await services.db.read.credentials.find('oauth_client', client);
  if (!credential || credential.partnerId !== tenant.partnerId || credential.mode !== tenant.mode) {
    throw unauthenticated('the access token is not valid');
  }
  if (credential.revokedAt) throw unauthenticated('the client of this access token has been revoked');
  return tenant;
}

/** A token request's form (or JSON) body, read by hand: a field that is not text is an OAuth2 `invalid_request`. */
export function tokenForm(body: unknown): TokenRequest {
  const fields = (body ?? {}) as Record<string, unknown>;
  const form: TokenRequest = {};
  for (const name of ['grant_type', 'client_id', 'client_secret', 'scope'] as const) {
    const value = fields[name];
    if (value === undefined) continue;
    if (typeof value !== 'string') throw new OAuthError('invalid_request', `${name} must be a string`);
    form[name] = value;
  }
  return form;
}
