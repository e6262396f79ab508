import { authenticateAdmin } from '../auth.js';
import type { App } from '../context.js';
import { adminClaimRoutes } from './claims.js';
import { partnerRoutes } from './partners.js';
import { productRoutes } from './products.js';
import { adminStatementRoutes } from './statements.js';
import { adminStoreRoutes } from './stores.js';
import { adminWebhookRoutes } from './webhooks.js';

/** The operator's API under /admin/v1: partners, credentials, the catalog. */
export async function adminApi(app: App): Promise<void> {
  app.addHook('onRequest', (request) => authenticateAdmin(app.protego, request));
  await app.register(partnerRoutes);
  await app.register(productRoutes);
  await app.register(adminWebhookRoutes);
  await app.register(adminClaimRoutes);
  await app.register(adminStatementRoutes);
  await app.register(adminStoreRoutes);
}
