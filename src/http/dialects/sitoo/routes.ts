import type { FastifyError, FastifyRequest } from 'fastify';
import { isCoreError } from '../../../core/errors.js';
import { createOffer } from '../../../core/offers/create-offer.js';
import { requireStore } from '../../../core/stores/manage-stores.js';
import { authenticateApiKey, oauthClientTenant, unauthenticated } from '../../auth.js';
import type { App, Services } from '../../context.js';
import { mutate } from '../../idempotency.js';
import { cartJson, offerItems } from './cart.js';
import { errorMessage, fromCoreError, fromSitooError, fromValidation, SitooError } from './errors.js';
import {
  CartInsuranceBody,
  CartInsuranceResponse,
  READ_ONLY_ITEM_FIELDS,
  SitooErrorMessage,
} from './schemas.js';

/** The API versions this dialect speaks, as an optional `API-Version` header. */
export const SITOO_API_VERSIONS = ['1', '1.0'];

const JSON_TYPE = 'application/json; charset=utf-8';

/** Sitoo clients send `Request-ID`; errors echo it, or our own request id when there is none. */
function requestId(request: FastifyRequest): string {
  const sent = request.headers['request-id'];
  return typeof sent === 'string' && sent.length > 0 ? sent : request.id;
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/**
 * HTTP Basic with the partner's OAuth client id and secret (what a POS service-provider setting holds),
 * or `Authorization: Bearer <API key>` like the native API.
 */
export async function authenticateSitoo(services: Services, request: FastifyRequest): Promise<void> {
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
export async function sitooApi(app: App): Promise<void> {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const id = requestId(request);
    let answer: { status: number; body: unknown };
    if (error instanceof SitooError) answer = fromSitooError(id, error);
    else if (isCoreError(error)) answer = fromCoreError(id, error);
    else if (error.validation)
      answer = fromValidation(id, error.validation as never, error.validationContext);
    else if ((error.statusCode ?? 500) < 500) {
      const status = error.statusCode ?? 400;
      const body = error.code?.startsWith('FST_ERR_CTP_') && status === 400;
      answer = {
        status,
        body: body
          ? errorMessage(id, 'field-type', `body: ${error.message}`, 'body')
          : errorMessage(id, 'other', error.message, undefined),
      };
    } else {
      request.log.error({ err: error }, 'unhandled error');
      answer = {
        status: 500,
        body: errorMessage(id, 'other', `something went wrong on our side (${id})`, undefined),
      };
    }
    if (answer.status === 401) reply.header('www-authenticate', 'Basic realm="protego", Bearer');
    return reply.code(answer.status).type(JSON_TYPE).send(answer.body);
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .type(JSON_TYPE)
      .send(
        errorMessage(
          requestId(request),
          'other',
          `no route ${request.method} ${request.url.split('?')[0]}`,
          undefined,
        ),
      ),
  );
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
      const id = requestId(request);
      const cart = request.body;
      return mutate(
        app.protego,
        request,
        reply,
        {
          scope: request.tenant,
          renderError: (error) => fromCoreError(id, error),
          contentType: () => JSON_TYPE,
        },
        async (deps) => {
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
        },
      );
    },
  );
}
