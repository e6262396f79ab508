import type { App } from '../../context.js';
import { defineApi, type Kit } from '../../kit/api.js';
import { authenticateHakuna, type HakunaEnvironment } from './auth.js';
import { cartRoutes } from './carts.js';
import { hakunaFormat } from './errors.js';
import { eventRoutes } from './events.js';
import { planRoutes } from './plans.js';

/**
 * The Hakuna ERP + e-commerce API: the guide's base URL `https://api.hellohakuna.com/sandbox` becomes
 * `…/hakuna/sandbox` (test keys), and `/live` takes live keys. Webhooks: the guide defines none, so
 * endpoints get the standard ones.
 */
function hakunaApi(environment: HakunaEnvironment) {
  return defineApi({
    name: `hakuna (${environment})`,
    prefix: `/hakuna/${environment}`,
    securitySchemes: {
      hakunaKey: {
        type: 'http',
        scheme: 'bearer',
        description:
          "Hakuna dialect: `Authorization: Bearer sk_test_…` (or the guide's `Bearer: sk_test_…`); test keys on /hakuna/sandbox, live keys on /hakuna/live",
      },
    },
    security: () => [{ hakunaKey: [] }],
    errors: hakunaFormat,
    idempotencyHeaders: ['hakuna-idempotency-key', 'idempotency-key'],
    routes: async (app: App, kit: Kit) => {
      app.addHook('onRequest', async (request) => authenticateHakuna(app.protego, request, environment));
      await planRoutes(app, kit);
      await cartRoutes(app, kit);
      await eventRoutes(app, kit);
    },
  });
}

export const hakunaSandboxApi = hakunaApi('sandbox');
export const hakunaLiveApi = hakunaApi('live');
