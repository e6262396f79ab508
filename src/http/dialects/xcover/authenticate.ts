import type { FastifyRequest } from 'fastify';
import { systemClock } from '../../../core/clock.js';
import {
  readSignedRequest,
  refusal,
  type SignedRequestLike,
  verifySignature,
} from '../../../signing/http-signature.js';
import type { Services } from '../../context.js';

/** The keyId each authenticated request was signed with: the rate limiter counts per key. */
const signedKeys = new WeakMap<object, string>();

export function signedKeyOf(request: object): string | undefined {
  return signedKeys.get(request);
}

/**
 * XCover authentication: the request's `Authorization: Signature …` (see http-signature.ts) made with the
 * partner's HMAC key (keyId = key id, secret = HMAC secret), a Date within ±5 minutes of the wall clock,
 * and a `{partner_code}` path segment naming the partner the key belongs to. Sets `request.tenant`;
 * every refusal is a CoreError('unauthenticated') naming what is wrong.
 */
export async function authenticateXcover(
  services: Services,
  request: SignedRequestLike & Pick<FastifyRequest, 'tenant'>,
  partnerCode: string,
): Promise<void> {
  const now = (services.wallClock ?? systemClock).now();
  const params = readSignedRequest(request, now);
  const credential = await services.db.read.credentials.find('hmac_key', params.keyId);
  if (!credential?.secret) throw refusal(`unknown keyId "${params.keyId}"`);
  verifySignature(request, params, credential.secret);
  if (credential.revokedAt) throw refusal(`keyId "${params.keyId}" has been revoked`);
  const partner = await services.db.read.partners.getById(credential.partnerId);
  if (!partner || partner.code !== partnerCode) {
    throw refusal(`this key belongs to another partner, not "${partnerCode}"`);
  }
  request.tenant = { partnerId: credential.partnerId, mode: credential.mode };
  signedKeys.set(request, params.keyId);
}
