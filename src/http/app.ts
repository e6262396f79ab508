import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyError } from 'fastify';
import { isCoreError } from '../core/errors.js';
import { adminApi } from './admin/routes.js';
import type { App, Services } from './context.js';
import { omocomApi } from './dialects/omocom/routes.js';
import { sitooApi } from './dialects/sitoo/routes.js';
import { xcoverApi } from './dialects/xcover/routes.js';
import { coreProblem, PROBLEM_CONTENT_TYPE, problem } from './native/problem.js';
import { nativeApi } from './native/routes.js';
import { rejectNul, requestError, validatorCompiler } from './validation.js';

export interface AppOptions {
  services: Services;
  /** A pino logger; none means silent (tests). */
  logger?: FastifyBaseLogger;
  publicUrl?: string;
}

/** Builds the HTTP application around the given services; listening is the caller's business. */
export async function buildApp(options: AppOptions): Promise<App> {
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    bodyLimit: 1_048_576,
    // Long path parameters reach the route schemas, which answer in problem+json, instead of a bare 414.
    routerOptions: { maxParamLength: 1000, ignoreTrailingSlash: true },
    genReqId: () => options.services.ids.next('request'),
    requestIdHeader: 'x-request-id',
    ajv: { customOptions: { strict: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.decorate('protego', options.services);
  app.decorateRequest('tenant', undefined as never);
  app.addHook('preValidation', async (request) => rejectNul(request));
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (isCoreError(error)) {
      const body = coreProblem(error);
      return reply.code(body.status).type(PROBLEM_CONTENT_TYPE).send(body);
    }
    const refused = requestError(error);
    if (refused) {
      return reply
        .code(refused.status)
        .type(PROBLEM_CONTENT_TYPE)
        .send(problem(refused.status, refused.code, refused.detail, refused.fields));
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply
      .code(500)
      .type(PROBLEM_CONTENT_TYPE)
      .send(
        problem(500, 'internal_error', `something went wrong on our side; quote request id ${request.id}`),
      );
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .type(PROBLEM_CONTENT_TYPE)
      .send(problem(404, 'route_not_found', `no route ${request.method} ${request.url.split('?')[0]}`)),
  );

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Protego API',
        version: '1.0.0',
        description:
          'Embedded insurance for merchants: offers, policies and order events (native API under /v1, API key as bearer token), and the operator API under /admin/v1. Money is an integer count of minor units with an ISO 4217 currency. Every POST accepts an `Idempotency-Key` header.',
      },
      servers: options.publicUrl ? [{ url: options.publicUrl }] : [],
      components: {
        securitySchemes: {
          apiKey: {
            type: 'http',
            scheme: 'bearer',
            description: 'a partner API key, sk_test_… or sk_live_…',
          },
          adminToken: { type: 'http', scheme: 'bearer', description: 'PROTEGO_ADMIN_TOKEN' },
          omocomOAuth2: {
            type: 'oauth2',
            description: 'Omocom dialect: OAuth2 client credentials',
            flows: { clientCredentials: { tokenUrl: '/omocom/oauth2/token', scopes: {} } },
          },
          xcoverSignature: {
            type: 'apiKey',
            in: 'header',
            name: 'Authorization',
            description:
              'XCover dialect: `Signature keyId="<HMAC key id>",algorithm="hmac-sha512",headers="(request-target) date",signature="…"` with a `Date` header',
          },
          sitooBasic: {
            type: 'http',
            scheme: 'basic',
            description: "a partner's OAuth client id and secret",
          },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  app.get('/health', { schema: { hide: true } }, async () => ({ status: 'ok' }));

  type Security = Record<string, string[]>[];
  // Each API under its prefix, its routes documented with the authentication it takes.
  const mount = (prefix: string, api: (scope: App) => Promise<void>, security: (url: string) => Security) =>
    app.register(
      async (scope) => {
        scope.addHook('onRoute', (route) => {
          route.schema = { ...route.schema, security: security(route.url) };
        });
        await api(scope as App);
      },
      { prefix },
    );
  await mount('/v1', nativeApi, () => [{ apiKey: [] }]);
  await mount('/admin/v1', adminApi, () => [{ adminToken: [] }]);
  await mount('/sitoo', sitooApi, (): Security => [{ sitooBasic: [] }, { apiKey: [] }]);
  // The token endpoint is where the OAuth2 client authenticates: no bearer token there.
  // Certificate links carry the package's security token instead of a signature.
  await mount('/xcover', xcoverApi, (url) =>
    url.startsWith('/xcover/coi/') ? [] : [{ xcoverSignature: [] }],
  );
  await mount('/omocom', omocomApi, (url) => (url.endsWith('/oauth2/token') ? [] : [{ omocomOAuth2: [] }]));
  return app as App;
}
