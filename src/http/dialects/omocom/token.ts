import type { App } from '../../context.js';
import { OAuthError, OAuthErrorSchema } from '../../kit/oauth2.js';
import { issueToken, type TokenRequest } from './auth.js';
import { TokenResponse } from './schemas.js';

/**
 * The OAuth2 token endpoint: the form (or JSON) body is read by hand, and every refusal is an OAuth2
 * error (RFC 6749 §5.2), which is what OAuth2 client libraries read.
 */
export async function tokenRoutes(app: App): Promise<void> {
  app.post(
    '/oauth2/token',
    {
      schema: {
        summary: 'OAuth2 client credentials token',
        tags: ['omocom'],
        response: { 200: TokenResponse, '4xx': OAuthErrorSchema },
      },
    },
    async (request) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const form: TokenRequest = {};
      for (const name of ['grant_type', 'client_id', 'client_secret', 'scope'] as const) {
        const value = body[name];
        if (value === undefined) continue;
        if (typeof value !== 'string') throw new OAuthError('invalid_request', `${name} must be a string`);
        form[name] = value;
      }
      return issueToken(app.protego, request, form);
    },
  );
}
