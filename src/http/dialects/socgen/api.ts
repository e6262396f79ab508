import formbody from '@fastify/formbody';
import type { App } from '../../context.js';
import { defineApi, type Kit } from '../../kit/api.js';
import { issueToken, tokenForm, verifyToken } from '../../kit/client-credentials.js';
import { emptyJsonBodyIsNull } from '../../kit/empty-json-body.js';
import { OAuthErrorSchema } from '../../kit/oauth2.js';
import { socgenFormat } from './errors.js';
import { itemRoutes } from './items.js';
import { quotationRoutes } from './quotations.js';
import { TokenResponse } from './schemas.js';
import { solutionRoutes } from './solutions.js';
import { subscriptionRoutes } from './subscriptions.js';
import { socgenWebhooks } from './webhook-format.js';

const TOKEN_PATH = '/auth-server/api/v1/oauth2/token';
const PREFIX = '/socgen/baas/prod';
/** Tokens of this token server are for this API only (not Omocom's), from the same OAuth2 clients. */
const AUDIENCE = { audience: 'protego:socgen', tokenUrl: `${PREFIX}${TOKEN_PATH}` };

/**
 * SocGen BaaS Insurance API 1.1.0 under /socgen: the spec's server `…/baas/prod/insurance/api/v1` is
 * `/socgen/baas/prod/insurance/api/v1`, its token server `/socgen/baas/prod/auth-server/api/v1`.
 * Cancellation and the extra list filters are 1.7.1's, in 1.1.0's shapes.
 */
export const socgenApi = defineApi({
  name: 'socgen',
  prefix: PREFIX,
  securitySchemes: {
    socgenOAuth2: {
      type: 'oauth2',
      description: 'SocGen dialect: OAuth2 client credentials (HTTP Basic client authentication)',
      flows: {
        clientCredentials: { tokenUrl: AUDIENCE.tokenUrl, scopes: { 'insurance:rw': 'the insurance API' } },
      },
    },
  },
  security: (url) => (url.endsWith('/oauth2/token') ? [] : [{ socgenOAuth2: ['insurance:rw'] }]),
  errors: socgenFormat,
  idempotencyHeaders: ['idempotency-key'],
  webhookFormatter: socgenWebhooks,
  routes: socgenRoutes,
});

async function socgenRoutes(app: App, kit: Kit): Promise<void> {
  await app.register(formbody);
  emptyJsonBodyIsNull(app);

  app.post(
    TOKEN_PATH,
    {
      schema: {
        summary: 'OAuth2 client credentials token (oauth2 1.0.2)',
        tags: ['socgen'],
        response: { 200: TokenResponse, '4xx': OAuthErrorSchema },
      },
    },
    async (request, reply) => {
      const token = await issueToken(app.protego, request, tokenForm(request.body), AUDIENCE.audience);
      // Token responses must not be cached (RFC 6749 §5.1).
      reply.header('cache-control', 'no-store');
      return token;
    },
  );

  await app.register(
    async (api) => {
      api.addHook('onRequest', async (request) => {
        request.tenant = await verifyToken(app.protego, request, AUDIENCE);
      });
      // No body at all is `null`: a route without one takes it, the others refuse it by their schema.
      api.addHook('preValidation', async (request) => {
        if (request.body === undefined) request.body = null;
      });
      for (const routes of [solutionRoutes, itemRoutes, quotationRoutes, subscriptionRoutes]) {
        await routes(api as App, kit);
      }
    },
    { prefix: '/insurance/api/v1' },
  );
}
