import { Type } from 'typebox';
import type { Answer } from './answer.js';

/** The error codes of RFC 6749 §5.2 that a client-credentials token endpoint answers. */
type OAuthErrorCode = 'invalid_request' | 'invalid_client' | 'unsupported_grant_type' | 'invalid_scope';

/**
 * A token endpoint's refusal, as OAuth2 clients read it (RFC 6749 §5.2): `{error, error_description}`,
 * 401 for a client that failed to authenticate, 400 for the rest. Any API with a token endpoint
 * (Omocom's, SocGen's token server) answers with it there.
 */
export class OAuthError extends Error {
  constructor(
    readonly code: OAuthErrorCode,
    description: string,
  ) {
    super(description);
    this.name = 'OAuthError';
  }
}

export const OAuthErrorSchema = Type.Object(
  { error: Type.String(), error_description: Type.String() },
  { description: 'RFC 6749 §5.2 error response' },
);

export function oauthAnswer(error: OAuthError): Answer {
  const status = error.code === 'invalid_client' ? 401 : 400;
  return {
    status,
    body: { error: error.code, error_description: error.message },
    // Token responses must not be cached (RFC 6749 §5.1), refusals included.
    headers: {
      'cache-control': 'no-store',
      ...(status === 401 ? { 'www-authenticate': 'Basic realm="protego"' } : {}),
    },
  };
}
