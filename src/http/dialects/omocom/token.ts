import type { App } from '../../context.js';
import { tokenForm } from '../../kit/client-credentials.js';
import { OAuthErrorSchema } from '../../kit/oauth2.js';
import { issueToken } from './auth.js';
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
    async (request) => issueToken(app.protego, request, tokenForm(request.body)),
  );
}
