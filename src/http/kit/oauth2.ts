import { Type } from 'typebox';
import type { Answer } from './answer.js';

/**
 * The error codes of RFC 6749 §5.2 that a client-credentials token endpoint answers, and the registry's
 * `temporarily_unavailable` (§4.1.2.1) for a client refused too often, answered 429.
 */
type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'temporarily_unavailable';

const OAUTH_STATUS: Partial<Record<OAuthErrorCode, number>> = {
  invalid_client: 401,
  temporarily_unavailable: 429,
};

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
  const status = OAUTH_STATUS[error.code] ?? 400;
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
