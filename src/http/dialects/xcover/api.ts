import type { App } from '../../context.js';
import { defineApi, type Kit } from '../../kit/api.js';
import { authenticateXcover } from './authenticate.js';
import { bookingRoutes } from './bookings.js';
import { cancellationRoutes } from './cancellations.js';
import { coiRoutes } from './coi.js';
import { xcoverFormat } from './errors.js';
import { instalmentRoutes } from './instalments.js';
import { modificationRoutes } from './modifications.js';
import { quoteRoutes } from './quotes.js';
import { applyRateLimit } from './rate-limit.js';
import { renewalRoutes } from './renewals.js';
import { xcoverWebhooks } from './webhook-format.js';

/**
 * The XCover API (Cover Genius) under /xcover: a client's base URL is `…/xcover/`, every path is
 * `partners/{partner_code}/…`, and requests are signed with the partner's HMAC key.
 */
export const xcoverApi = defineApi({
  name: 'xcover',
  prefix: '/xcover',
  securitySchemes: {
    xcoverSignature: {
      type: 'apiKey',
      in: 'header',
      name: 'Authorization',
      description:
        'XCover dialect: `Signature keyId="<HMAC key id>",algorithm="hmac-sha512",headers="(request-target) date",signature="…"` with a `Date` header',
    },
  },
  // Certificate links carry the package's security token instead of a signature.
  security: (url) => (url.startsWith('/xcover/coi/') ? [] : [{ xcoverSignature: [] }]),
  errors: xcoverFormat,
  // XCover's clients send `x-idempotency-key`; a repeat replays the stored answer, one in flight gets 423.
  idempotencyHeaders: ['x-idempotency-key'],
  webhookFormatter: xcoverWebhooks,
  routes: xcoverRoutes,
});

/**
 * The same API at `/partners/{partner_code}/…`, without `/xcover`: the xcover-python README's base URL
 * ends in `/xcover` with no slash, and `urljoin` then drops that segment, so a client configured as
 * printed calls `/partners/…`. The same routes, authentication and error format; left out of the
 * OpenAPI document, which describes them once, under /xcover.
 */
export const xcoverBareApi = defineApi({
  ...xcoverApi,
  name: 'xcover (without /xcover)',
  prefix: '/partners',
  security: () => [{ xcoverSignature: [] }],
  // The webhook format is the /xcover API's: listed once.
  webhookFormatter: undefined,
  routes: async (app, kit) => {
    app.addHook('onRoute', (route) => {
      route.schema = { ...route.schema, hide: true };
    });
    await partnerRoutes(app, kit, '/:partner');
  },
});

async function xcoverRoutes(app: App, kit: Kit): Promise<void> {
  await coiRoutes(app);
  await partnerRoutes(app, kit, '/partners/:partner');
}

/** Every route under a partner's code, signed with its HMAC key and rate limited per key. */
async function partnerRoutes(app: App, kit: Kit, prefix: string): Promise<void> {
  await app.register(
    async (scope) => {
      const partnerApp = scope as App;
      partnerApp.addHook('onRequest', async (request, reply) => {
        const { partner } = request.params as { partner: string };
        await authenticateXcover(partnerApp.protego, request, partner);
        await applyRateLimit(partnerApp.protego, request, reply);
      });
      for (const routes of [
        quoteRoutes,
        bookingRoutes,
        cancellationRoutes,
        modificationRoutes,
        renewalRoutes,
        instalmentRoutes,
      ]) {
        await routes(partnerApp, kit);
      }
    },
    { prefix },
  );
}
