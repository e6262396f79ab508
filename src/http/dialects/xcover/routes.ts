import type { App } from '../../context.js';
import { authenticateXcover } from './authenticate.js';
import { bookingRoutes } from './bookings.js';
import { cancellationRoutes } from './cancellations.js';
import { coiRoutes } from './coi.js';
import { xcoverContext } from './context.js';
import { xcoverErrorHandler } from './errors.js';
import { instalmentRoutes } from './instalments.js';
import { modificationRoutes } from './modifications.js';
import { quoteRoutes } from './quotes.js';
import { applyRateLimit } from './rate-limit.js';
import { renewalRoutes } from './renewals.js';

/**
 * The XCover API (Cover Genius) under /xcover: a client's base URL is `…/xcover/`, every path is
 * `partners/{partner_code}/…`, and requests are signed with the partner's HMAC key.
 */
export async function xcoverApi(app: App): Promise<void> {
  app.setErrorHandler(xcoverErrorHandler);
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({
      type: 'not_found_error',
      message: `no route ${request.method} ${request.url.split('?')[0]}`,
      errors: [],
    }),
  );
  await coiRoutes(app);
  await app.register(
    async (scope) => {
      const partnerApp = scope as App;
      partnerApp.addHook('onRequest', async (request, reply) => {
        const { partner } = request.params as { partner: string };
        await authenticateXcover(partnerApp.protego, request, partner);
        applyRateLimit(partnerApp.protego, request, reply);
      });
      const context = xcoverContext(partnerApp);
      await quoteRoutes(partnerApp, context);
      await bookingRoutes(partnerApp, context);
      await cancellationRoutes(partnerApp, context);
      await modificationRoutes(partnerApp, context);
      await renewalRoutes(partnerApp, context);
      await instalmentRoutes(partnerApp, context);
    },
    { prefix: '/partners/:partner' },
  );
}
