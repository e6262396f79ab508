import type { FastifyRequest } from 'fastify';
import type { Tenant } from '../../../core/partners/partner.js';
import type { Services } from '../../context.js';
import {
  issueToken as issue,
  type TokenRequest,
  verifyToken as verify,
} from '../../kit/client-credentials.js';

const AUDIENCE = { audience: 'protego:omocom', tokenUrl: '/omocom/oauth2/token' };

/** An Omocom access token (OAuth2 client credentials, RFC 6749 §4.4). */
export const issueToken = (services: Services, request: FastifyRequest, form: TokenRequest) =>
  issue(services, request, form, AUDIENCE.audience);

/** The tenant an Omocom access token was issued to. */
export const verifyToken = (services: Services, request: FastifyRequest): Promise<Tenant> =>
  verify(services, request, AUDIENCE);
