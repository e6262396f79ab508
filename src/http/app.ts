import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyError } from 'fastify';
import type { WebhookFormatter } from '../core/webhooks/formatter.js';
import { consolePages } from '../web/console/plugin.js';
import { customerPages } from '../web/customer/pages.js';
import { widgetPages } from '../web/widget/pages.js';
import { adminApi } from './admin/api.js';
import type { App, Services } from './context.js';
import { hakunaLiveApi, hakunaSandboxApi } from './dialects/hakuna/api.js';
import { omocomApi } from './dialects/omocom/api.js';
import { sitooApi } from './dialects/sitoo/api.js';
import { socgenApi } from './dialects/socgen/api.js';
import { xcoverApi, xcoverBareApi } from './dialects/xcover/api.js';
import { sendAnswer } from './kit/answer.js';
import { type ApiDefinition, errorAnswer, mountApi } from './kit/api.js';
import { nativeApi } from './native/api.js';
import { problemFormat } from './native/errors.js';
import { rejectUnstorable, validatorCompiler } from './validation.js';

/** Every API Protego speaks. A new dialect is its folder and one line here. */
const APIS: readonly ApiDefinition[] = [
  nativeApi,
  adminApi,
  sitooApi,
  xcoverApi,
  xcoverBareApi,
  omocomApi,
  socgenApi,
  hakunaSandboxApi,
  hakunaLiveApi,
];

/** Every webhook format an endpoint may name, each from the API it belongs to: the outbox worker's list. */
export const WEBHOOK_FORMATTERS: readonly WebhookFormatter[] = APIS.flatMap((api) =>
  api.webhookFormatter ? [api.webhookFormatter] : [],
);

export interface AppOptions {
  services: Services;
  /** A pino logger; none means silent (tests). */
  logger?: FastifyBaseLogger;
  publicUrl?: string;
  /** Console sign-in attempts per address and window (tests raise it); core/console/sessions.ts has the default. */
  consoleSignInAttempts?: { limit: number; windowMs: number };
  /**
   * Which proxies in front may say who the client is (X-Forwarded-For): Fastify's `trustProxy`, a hop
   * count, addresses/CIDR ranges, or true for any. Unset, the client is the connection's peer.
   */
  trustProxy?: boolean | number | string[];
}

const eagerSerializers = SerializerSelector();

/**
 * Fastify's response serializers, each compiled on its route's first answer instead of at start:
 * compiling every route's response schemas is a good part of the time to the first answer (issue #13).
 */
const lazySerializers: typeof eagerSerializers = (externalSchemas, options) => {
  const build = eagerSerializers(externalSchemas, options);
  return (route) => {
    let serialize: ((data: unknown) => string) | undefined;
    return (data: unknown) => {
      serialize ??= build(route);
      return serialize(data);
    };
  };
};

/** A hop count as the function Fastify takes for one (its types name no number): the nearest `n` hops. */
const trustProxy = (trust: boolean | number | string[]) =>
  typeof trust === 'number' ? (_address: string, hop: number) => hop < trust : trust;

/** Builds the HTTP application around the given services; listening is the caller's business. */
export async function buildApp(options: AppOptions): Promise<App> {
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    bodyLimit: 1_048_576,
    // Long path parameters reach the route schemas, which answer in problem+json, instead of a bare 414.
    routerOptions: { maxParamLength: 1000, ignoreTrailingSlash: true },
    genReqId: () => options.services.ids.next('request'),
    requestIdHeader: 'x-request-id',
    ...(options.trustProxy !== undefined ? { trustProxy: trustProxy(options.trustProxy) } : {}),
    ajv: { customOptions: { strict: false } },
    schemaController: { compilersFactory: { buildSerializer: lazySerializers } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.decorate('protego', options.services);
  app.decorateRequest('tenant', undefined as never);
  app.addHook('preValidation', async (request) => {
    // At trace level the body is logged too, through the logger's redaction (src/log.ts): what a client
    // sent is there to debug with, its personal ids, e-mail addresses and secrets are not.
    if (request.body !== undefined && request.log.level === 'trace')
      request.log.trace({ body: request.body }, 'request body');
    rejectUnstorable(request);
  });
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  // Outside every API's prefix: the native API's format.
  app.setErrorHandler((error: FastifyError, request, reply) =>
    sendAnswer(reply, errorAnswer(problemFormat, error, request)),
  );
  app.setNotFoundHandler((request, reply) => sendAnswer(reply, problemFormat.notFound(request)));

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
        securitySchemes: Object.assign({}, ...APIS.map((api) => api.securitySchemes)),
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  app.get('/health', { schema: { hide: true } }, async () => ({ status: 'ok' }));

  for (const api of APIS) await mountApi(app as App, api);
  await app.register(consolePages, {
    prefix: '/console',
    ...(options.consoleSignInAttempts ? { signInAttempts: options.consoleSignInAttempts } : {}),
  });
  await app.register(customerPages, { prefix: '/my' });
  await app.register(widgetPages);
  return app as App;
}
