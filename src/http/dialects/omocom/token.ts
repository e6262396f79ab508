import { invalid } from '../../../core/errors.js';
import type { App } from '../../context.js';
import { issueToken, type TokenRequest } from './auth.js';
import { TokenResponse } from './schemas.js';

/** The OAuth2 token endpoint: the form (or JSON) body is read by hand, so each field is named when wrong. */
export async function tokenRoutes(app: App): Promise<void> {
  app.post(
    '/oauth2/token',
    {
      schema: {
        summary: 'OAuth2 client credentials token',
        tags: ['omocom'],
        response: { 200: TokenResponse },
      },
    },
    async (request) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const form: TokenRequest = {};
      for (const name of ['grant_type', 'client_id', 'client_secret', 'scope'] as const) {
        const value = body[name];
        if (value === undefined) continue;
        if (typeof value !== 'string') throw invalid(name, 'must be a string');
        form[name] = value;
      }
      return issueToken(app.protego, request, form);
    },
  );
}
