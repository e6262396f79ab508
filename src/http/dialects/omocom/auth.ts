import type { FastifyRequest } from 'fastify';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { hashSecret, sameSecret } from '../../../auth/secrets.js';
import { invalid } from '../../../core/errors.js';
import type { Tenant } from '../../../core/partners/partner.js';
import type { Services } from '../../context.js';
import { omocomUnauthenticated } from './errors.js';

export const TOKEN_LIFETIME_SECONDS = 7200;
const ISSUER = 'protego';
const AUDIENCE = 'protego:omocom';

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
): Promise<{ access_token: string; token_type: 'Bearer'; expires_in: number; scope?: string }> {
  if (form.grant_type !== 'client_credentials') {
    throw invalid('grant_type', 'must be client_credentials');
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
  if (!clientId) throw invalid('client_id', 'is required');
  if (!clientSecret) throw invalid('client_secret', 'is required');
  const credential = await services.store.read.credentials.find('oauth_client', clientId);
  if (!credential?.secretHash || !sameSecret(hashSecret(clientSecret), credential.secretHash)) {
    throw omocomUnauthenticated('unknown client or wrong secret');
  }
  const now = Math.floor(services.clock.now().getTime() / 1000);
  const token = await new SignJWT({
    mode: credential.mode,
    client_id: clientId,
    ...(form.scope ? { scope: form.scope } : {}),
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject(credential.partnerId)
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

/** The tenant a bearer token was issued to; expired, malformed or foreign tokens are refused. */
export async function verifyToken(services: Services, request: FastifyRequest): Promise<Tenant> {
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  if (!match?.[1]) {
    throw omocomUnauthenticated(
      'send the access token from POST /omocom/oauth2/token as "Authorization: Bearer …"',
    );
  }
  try {
    const { payload } = await jwtVerify(match[1], services.tokenKey, {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['HS256'],
      currentDate: services.clock.now(),
      requiredClaims: ['sub', 'exp'],
    });
    const mode = payload.mode;
    if (typeof payload.sub !== 'string' || (mode !== 'test' && mode !== 'live')) {
      throw omocomUnauthenticated('the access token is not valid');
    }
    return { partnerId: payload.sub, mode };
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) throw omocomUnauthenticated('the access token has expired');
    if (error instanceof joseErrors.JOSEError) throw omocomUnauthenticated('the access token is not valid');
    throw error;
  }
}
