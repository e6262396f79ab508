import { authenticateAdmin } from '../auth.js';
import { defineApi } from '../kit/api.js';
import { problemFormat } from '../native/errors.js';
import { adminClaimRoutes } from './claims.js';
import { adminConsoleUserRoutes } from './console-users.js';
import { adminMerchantCatalogRoutes } from './merchant-catalog.js';
import { partnerRoutes } from './partners.js';
import { productRoutes } from './products.js';
import { adminSolutionRoutes } from './solutions.js';
import { adminStatementRoutes } from './statements.js';
import { adminStoreRoutes } from './stores.js';
import { adminWebhookRoutes } from './webhooks.js';

/** The operator's API under /admin/v1: partners, credentials, the catalog. */
export const adminApi = defineApi({
  name: 'admin',
  prefix: '/admin/v1',
  securitySchemes: { adminToken: { type: 'http', scheme: 'bearer', description: 'PROTEGO_ADMIN_TOKEN' } },
  security: () => [{ adminToken: [] }],
  errors: problemFormat,
  idempotencyHeaders: ['idempotency-key'],
  // The admin API's idempotency keys live under the reserved tenant `admin`.
  idempotencyScope: () => ({ partnerId: 'admin', mode: 'live' }),
  async routes(app, kit) {
    app.addHook('onRequest', (request) => authenticateAdmin(app.protego, request));
    for (const routes of [
      partnerRoutes,
      productRoutes,
      adminWebhookRoutes,
      adminClaimRoutes,
      adminStatementRoutes,
      adminStoreRoutes,
      adminSolutionRoutes,
      adminConsoleUserRoutes,
      adminMerchantCatalogRoutes,
    ]) {
      await routes(app, kit);
    }
  },
});
