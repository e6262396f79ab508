import { authenticateApiKey } from '../auth.js';
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
    app.addHook('onRequest', (request) => authenticateApiKey(app.protego, request));
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
