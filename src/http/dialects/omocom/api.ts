import formbody from '@fastify/formbody';
import type { FastifyRequest } from 'fastify';
import { notFound } from '../../../core/errors.js';
import { marketFor } from '../../../core/partners/partner.js';
import type { App } from '../../context.js';
import { defineApi, type Kit } from '../../kit/api.js';
import { emptyJsonBodyIsNull } from '../../kit/empty-json-body.js';
import { verifyToken } from './auth.js';
import { omocomForbidden, omocomFormat } from './errors.js';
import { insuranceRoutes } from './insurances.js';
import { objectRoutes } from './objects.js';
import type { Caller, MarketContext } from './records.js';
import { NoQuery } from './schemas.js';
import { tokenRoutes } from './token.js';
import { userRoutes } from './users.js';
import { normalizeKeys } from './wire.js';

/**
 * The Omocom web-shop API (integration guide v1.3) under /omocom: OAuth2 client credentials, Users,
 * InsurableObjects and Insurances, mapped onto the core's policies.
 */
export const omocomApi = defineApi({
  name: 'omocom',
  prefix: '/omocom',
  securitySchemes: {
    omocomOAuth2: {
      type: 'oauth2',
      description: 'Omocom dialect: OAuth2 client credentials',
      flows: { clientCredentials: { tokenUrl: '/omocom/oauth2/token', scopes: {} } },
    },
  },
  // The token endpoint is where the OAuth2 client authenticates: no bearer token there.
  security: (url) => (url.endsWith('/oauth2/token') ? [] : [{ omocomOAuth2: [] }]),
  errors: omocomFormat,
  idempotencyHeaders: ['idempotency-key'],
  routes: omocomRoutes,
});

async function omocomRoutes(app: App, kit: Kit): Promise<void> {
  await app.register(formbody);
  emptyJsonBodyIsNull(app);
  // The guide mixes `MarketName` and `objectId`: any casing of a known field name is accepted.
  app.addHook('preValidation', async (request) => {
    // No body at all, with or without a content type, is `null`: a route without one takes it.
    request.body = request.body === undefined ? null : normalizeKeys(request.body);
    request.query = normalizeKeys(request.query);
  });

  await tokenRoutes(app);
  await app.register(async (scoped) => marketRoutes(scoped as App, kit), {
    prefix: '/v1.3/:platform/:market',
  });
}

async function marketRoutes(app: App, kit: Kit): Promise<void> {
  const callers = new WeakMap<FastifyRequest, Caller>();
  const caller = (request: FastifyRequest): Caller => callers.get(request)!;
  app.addHook('onRequest', async (request) => {
    const tenant = await verifyToken(app.protego, request);
    const params = request.params as { platform?: string; market?: string };
    const partner = await app.protego.db.read.partners.getByCode((params.platform ?? '').toLowerCase());
    if (!partner) throw notFound(`platform ${params.platform}`, 'platform');
    if (partner.id !== tenant.partnerId) {
      throw omocomForbidden(`this access token is not for platform ${params.platform}`, 'platform');
    }
    const market = marketFor(partner, params.market ?? '');
    if (!market) throw notFound(`market ${params.market} of platform ${partner.code}`, 'market');
    request.tenant = tenant;
    callers.set(request, { tenant, partner, market });
  });

  // No route takes a query parameter it does not declare: a filter, page size or sort is refused by name.
  app.addHook('onRoute', (route) => {
    route.schema = { querystring: NoQuery, ...route.schema };
  });

  const context: MarketContext = {
    caller,
    write: (request, reply, work) => kit.write(request, reply, (deps) => work(deps, caller(request))),
    read: kit.read.repos,
  };
  for (const routes of [userRoutes, objectRoutes, insuranceRoutes]) await routes(app, context);
}
