import type { FastifyRequest } from 'fastify';
import { createOffer } from '../../../core/offers/create-offer.js';
import { requireStore } from '../../../core/stores/manage-stores.js';
import { authenticateApiKey, oauthClientTenant, unauthenticated } from '../../auth.js';
import type { App, Services } from '../../context.js';
import type { Kit, Security } from '../../kit/api.js';
import { defineApi } from '../../kit/api.js';
import { cartJson, offerItems } from './cart.js';
import { SitooError, sitooFormat } from './errors.js';
import {
  CartInsuranceBody,
  CartInsuranceResponse,
  READ_ONLY_ITEM_FIELDS,
  SitooErrorMessage,
} from './schemas.js';

/** The API versions this dialect speaks, as an optional `API-Version` header. */
const SITOO_API_VERSIONS = ['1', '1.0'];

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/**
 * HTTP Basic with the partner's OAuth client id and secret (what a POS service-provider setting holds),
 * or `Authorization: Bearer <API key>` like the native API.
 */
async function authenticateSitoo(services: Services, request: FastifyRequest): Promise<void> {
  const match = /^Basic\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  if (!match) return authenticateApiKey(services, request);
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 1) throw unauthenticated('Basic credentials must be "client_id:client_secret"');
  const tenant = await oauthClientTenant(services, decoded.slice(0, colon), decoded.slice(colon + 1));
  if (!tenant) throw unauthenticated('unknown client id or wrong client secret');
  request.tenant = tenant;
}

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
  routes: cartInsuranceRoutes,
});

async function cartInsuranceRoutes(app: App, kit: Kit): Promise<void> {
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

  app.post(
    '/cart-insurances',
    {
      schema: {
        summary: 'Create cart insurance (Sitoo POS)',
        description:
          'Insurance options for every line of a POS cart: a "none" option first, then one per product and term that covers the line, priced per unit incl. VAT. Headers: Store-ID (required, one of the partner\'s stores), Staff-ID, Register-ID, Request-ID.',
        tags: ['sitoo'],
        body: CartInsuranceBody,
        response: { 201: CartInsuranceResponse, '4xx': SitooErrorMessage },
      },
      preValidation: async (request) => {
        const items = (request.body as { items?: unknown } | undefined)?.items;
        if (!Array.isArray(items)) return;
        items.forEach((item, i) => {
          if (item === null || typeof item !== 'object') return;
          for (const field of READ_ONLY_ITEM_FIELDS) {
            if (field in item) {
              throw new SitooError(
                400,
                'field-readonly',
                `items/${i}/${field} is read-only`,
                `items/${i}/${field}`,
              );
            }
          }
        });
      },
    },
    async (request, reply) => {
      const storeId = header(request, 'store-id');
      if (!storeId) throw new SitooError(400, 'field-missing', 'the Store-ID header is required', 'Store-ID');
      const cart = request.body;
      return kit.write(request, reply, async (deps) => {
        const store = await requireStore(deps, request.tenant.partnerId, storeId);
        if (cart.currency_code.toUpperCase() !== store.currency) {
          throw new SitooError(
            400,
            'condition-failed',
            `store ${store.externalId} sells in ${store.currency}, the cart is in ${cart.currency_code}`,
          );
        }
        const refs: Record<string, string> = { cart_id: cart.id, store_id: storeId };
        const staff = header(request, 'staff-id');
        const register = header(request, 'register-id');
        if (staff) refs.staff_id = staff;
        if (register) refs.register_id = register;
        if (cart.customer_id) refs.customer_id = cart.customer_id;
        // Stored, so the sold cart can bind exactly the quoted option (offer and option ids travel in
        // the option's additional_data) until the offer expires.
        const offer = await createOffer(deps, request.tenant, {
          country: store.country,
          items: offerItems(cart, store.currency),
          refs,
        });
        return { status: 201, body: cartJson(cart, offer) };
      });
    },
  );
}
