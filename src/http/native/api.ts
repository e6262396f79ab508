import cors from '@fastify/cors';
import { authenticateApiKey, authenticatePublishableKey } from '../auth.js';
import { defineApi } from '../kit/api.js';
import { certificateRoutes } from './certificates.js';
import { claimRoutes } from './claims.js';
import { problemFormat } from './errors.js';
import { offerRoutes } from './offers.js';
import { orderEventRoutes } from './order-events.js';
import { policyRoutes } from './policies.js';
import { statementRoutes } from './statements.js';
import { standardWebhooks } from './webhook-format.js';
import { webhookRoutes } from './webhooks.js';
import { widgetCors } from './widget-cors.js';

/** The native API under /v1, for partners, authenticated by API key. */
export const nativeApi = defineApi({
  name: 'native',
  prefix: '/v1',
  securitySchemes: {
    apiKey: { type: 'http', scheme: 'bearer', description: 'a partner API key, sk_test_… or sk_live_…' },
  },
  security: () => [{ apiKey: [] }],
  errors: problemFormat,
  idempotencyHeaders: ['idempotency-key'],
  webhookFormatter: standardWebhooks,
  async routes(app, kit) {
    // Answers preflights itself, before authentication (a preflight carries no key).
    await app.register(cors, { delegator: widgetCors(app.protego) });
    app.addHook('onRequest', async (request) => {
      if (request.method === 'OPTIONS') return;
      // The offer widget's route names its publishable key in the path; every other route wants sk_….
      if (request.routeOptions.config.publishableKey) {
        const { publishable_key } = request.params as { publishable_key: string };
        return authenticatePublishableKey(app.protego, request, publishable_key);
      }
      return authenticateApiKey(app.protego, request);
    });
    for (const routes of [
      offerRoutes,
      policyRoutes,
      certificateRoutes,
      claimRoutes,
      orderEventRoutes,
      webhookRoutes,
      statementRoutes,
    ]) {
      await routes(app, kit);
    }
  },
});
