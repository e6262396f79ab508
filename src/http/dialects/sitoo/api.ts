import type { App } from '../../context.js';
import { defineApi, type Kit, type Security } from '../../kit/api.js';
import { authenticateSitoo } from './auth.js';
import { cartInsuranceRoutes } from './cart-insurances.js';
import { SitooError, sitooFormat } from './errors.js';
import { header } from './headers.js';

/** The API versions this dialect speaks, as an optional `API-Version` header. */
const SITOO_API_VERSIONS = ['1', '1.0'];

/** The Sitoo POS service-provider interface (SPI Insurances) under /sitoo. */
export const sitooApi = defineApi({
  name: 'sitoo',
  prefix: '/sitoo',
  securitySchemes: {
    sitooBasic: { type: 'http', scheme: 'basic', description: "a partner's OAuth client id and secret" },
  },
  security: () => [{ sitooBasic: [] }, { apiKey: [] }] as Security,
  errors: sitooFormat,
  idempotencyHeaders: ['idempotency-key'],
  routes: sitooRoutes,
});

async function sitooRoutes(app: App, kit: Kit): Promise<void> {
  app.addHook('onRequest', async (request) => {
    const version = header(request, 'api-version');
    if (version !== undefined && !SITOO_API_VERSIONS.includes(version)) {
      throw new SitooError(
        400,
        'version-invalid',
        `API-Version ${version} is not supported (use ${SITOO_API_VERSIONS[0]})`,
      );
    }
    await authenticateSitoo(app.protego, request);
  });
  await cartInsuranceRoutes(app, kit);
}
