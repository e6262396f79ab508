import formbody from '@fastify/formbody';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { invalid, notFound } from '../../../core/errors.js';
import { marketFor } from '../../../core/partners/partner.js';
import type { CoreDeps, Repositories } from '../../../core/ports.js';
import type { App } from '../../context.js';
import { type Answer, mutate } from '../../idempotency.js';
import { issueToken, type TokenRequest, verifyToken } from './auth.js';
import { errorBody, omocomErrorHandler, omocomForbidden, renderCoreError } from './errors.js';
import { insuranceRoutes } from './insurances.js';
import { objectRoutes } from './objects.js';
import type { Caller } from './records.js';
import { userRoutes } from './users.js';
import { normalizeKeys } from './wire.js';

/**
 * The Omocom web-shop API (integration guide v1.3) under /omocom: OAuth2 client credentials, Users,
 * InsurableObjects and Insurances, mapped onto the core's policies.
 */
export async function omocomApi(app: App): Promise<void> {
  await app.register(formbody);
  app.setErrorHandler(omocomErrorHandler);
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .send(errorBody('route_not_found', `no route ${request.method} ${request.url.split('?')[0]}`)),
  );
  // The guide mixes `MarketName` and `objectId`: any casing of a known field name is accepted.
  app.addHook('preValidation', async (request) => {
    request.body = normalizeKeys(request.body);
    request.query = normalizeKeys(request.query);
  });

  app.post(
    '/oauth2/token',
    { schema: { summary: 'OAuth2 client credentials token', tags: ['omocom'] } },
    async (request) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const form: TokenRequest = {};
      for (const name of ['grant_type', 'client_id', 'client_secret', 'scope'] as const) {
        const value = body[name];
        if (value === undefined) continue;
        if (typeof value !== 'string') throw invalid(name, 'must be a string');
        form[name] = value;
      }
      return issueToken(app.protego, request, form);
    },
  );

  await app.register(async (scoped) => marketRoutes(scoped as App), { prefix: '/v1.3/:platform/:market' });
}

async function marketRoutes(app: App): Promise<void> {
  const callers = new WeakMap<FastifyRequest, Caller>();
  const caller = (request: FastifyRequest): Caller => callers.get(request)!;
  app.addHook('onRequest', async (request) => {
    const tenant = await verifyToken(app.protego, request);
    const params = request.params as { platform?: string; market?: string };
    const partner = await app.protego.store.read.partners.getByCode((params.platform ?? '').toLowerCase());
    if (!partner) throw notFound(`platform ${params.platform}`, 'platform');
    if (partner.id !== tenant.partnerId) {
      throw omocomForbidden(`this access token is not for platform ${params.platform}`, 'platform');
    }
    const market = marketFor(partner, params.market ?? '');
    if (!market) throw notFound(`market ${params.market} of platform ${partner.code}`, 'market');
    request.tenant = tenant;
    callers.set(request, { tenant, partner, market });
  });

  const write = (
    request: FastifyRequest,
    reply: FastifyReply,
    work: (deps: CoreDeps, c: Caller) => Promise<Answer>,
  ) =>
    mutate(
      app.protego,
      request,
      reply,
      { scope: caller(request).tenant, renderError: renderCoreError },
      (deps) => work(deps, caller(request)),
    );
  const read = app.protego.store.read;

  await userRoutes(app, { caller, write, read });
  await objectRoutes(app, { caller, write, read });
  await insuranceRoutes(app, { caller, write, read });
}

/** What every resource's routes are handed: who calls, and how to write for them. */
export interface MarketContext {
  caller: (request: FastifyRequest) => Caller;
  write: (
    request: FastifyRequest,
    reply: FastifyReply,
    work: (deps: CoreDeps, c: Caller) => Promise<Answer>,
  ) => Promise<void>;
  read: Repositories;
}
