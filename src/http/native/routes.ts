import { authenticateApiKey } from '../auth.js';
import type { App } from '../context.js';
import { certificateRoutes } from './certificates.js';
import { claimRoutes } from './claims.js';
import { offerRoutes } from './offers.js';
import { orderEventRoutes } from './order-events.js';
import { policyRoutes } from './policies.js';
import { statementRoutes } from './statements.js';
import { webhookRoutes } from './webhooks.js';

/** The native API under /v1, for partners, authenticated by API key. */
export async function nativeApi(app: App): Promise<void> {
  app.addHook('onRequest', (request) => authenticateApiKey(app.protego, request));
  await app.register(offerRoutes);
  await app.register(policyRoutes);
  await app.register(certificateRoutes);
  await app.register(claimRoutes);
  await app.register(orderEventRoutes);
  await app.register(webhookRoutes);
  await app.register(statementRoutes);
}
