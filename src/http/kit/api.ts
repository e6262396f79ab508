import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { TSchema } from 'typebox';
import { countFailedAttempt } from '../../core/access/failed-attempts.js';
import { systemClock } from '../../core/clock.js';
import { type CoreError, isCoreError, RateLimited, Unavailable } from '../../core/errors.js';
import type { CoreDeps } from '../../core/ports.js';
import type { WebhookFormatter } from '../../core/webhooks/formatter.js';
import { type App, readDeps, type Services } from '../context.js';
import { type RequestRefusal, requestError } from '../validation.js';
import { type Answer, sendAnswer } from './answer.js';
import { OAuthError } from './oauth2.js';
import { type Scope, write } from './write.js';

/** An OpenAPI security requirement: scheme names, each with its scopes. */
export type Security = Record<string, string[]>[];

/**
 * How an API answers everything that is not a success, in its own format. `core` must answer every
 * core error code: implement it over a table typed `satisfies Record<ErrorCode, …>`, so a new code
 * fails the build until the API answers it.
 */
export interface ErrorFormat {
  core(error: CoreError, request: FastifyRequest): Answer;
  /** A refusal the API makes in its own words (an XCover rate limit, a Sitoo read-only field), if `error` is one. */
  own?(error: Error, request: FastifyRequest): Answer | undefined;
  /** A request the framework refused: schema validation, unparsable JSON, content type, size. */
  refused(refusal: RequestRefusal, request: FastifyRequest): Answer;
  /** A route that does not exist under the API's prefix. */
  notFound(request: FastifyRequest): Answer;
  /** A failure that is ours: says nothing of the inside, names the request id. */
  internal(request: FastifyRequest): Answer;
  /** The database cannot be reached now: a 503 the client retries (the kit adds `Retry-After`). */
  unavailable(request: FastifyRequest): Answer;
  /** The schema of the error body, declared on every route of the API for 4xx and 5xx. */
  schema: TSchema;
  /** The content type of error bodies, when not plain JSON. */
  contentType?: string;
}

/** What each API's route files are handed. */
export interface Kit {
  services: Services;
  /** Repositories outside a transaction, with the clock and ids: for reads. */
  read: CoreDeps;
  /**
   * A write: one transaction, idempotent under the API's key headers (a retry replays the stored
   * answer, a refusal included), every refusal rendered by the API's error format.
   */
  write(
    request: FastifyRequest,
    reply: FastifyReply,
    work: (deps: CoreDeps) => Promise<Answer>,
    opts?: { scope?: Scope; oneStatement?: boolean },
  ): Promise<void>;
}

/** One API surface: the native API, the admin API, or a provider's dialect. */
export interface ApiDefinition {
  /** Its name in logs and the OpenAPI tags: `xcover`. */
  name: string;
  /** Where it is mounted: `/xcover`. */
  prefix: string;
  /** The OpenAPI security schemes it declares, by name. */
  securitySchemes: Record<string, Record<string, unknown>>;
  /** The security requirement of a route, by its URL (a token endpoint needs none). */
  security(url: string): Security;
  errors: ErrorFormat;
  /** Header names that carry an idempotency key, first found wins. */
  idempotencyHeaders: readonly string[];
  /** Whose idempotency keys a request's are: the authenticated tenant unless the API says otherwise. */
  idempotencyScope?(request: FastifyRequest): Scope;
  /** Its webhook format, when the provider defines one: endpoints naming it get deliveries shaped so. */
  webhookFormatter?: WebhookFormatter;
  /** Registers the API's routes, hooks and authentication in its own scope. */
  routes(scope: App, kit: Kit): Promise<void>;
}

export function defineApi(definition: ApiDefinition): ApiDefinition {
  return definition;
}

/** A refusal of the request, in the API's words: a core error or one of the API's own; else undefined. */
function refusalAnswer(format: ErrorFormat, error: unknown, request: FastifyRequest): Answer | undefined {
  if (isCoreError(error)) return format.core(error, request);
  return error instanceof Error ? format.own?.(error, request) : undefined;
}

/** Any error a route throws, as the API's answer: a refusal, a framework refusal, or a failure of ours. */
export function errorAnswer(
  format: ErrorFormat,
  error: FastifyError | Error,
  request: FastifyRequest,
): Answer {
  if (error instanceof RateLimited) {
    const answer = format.core(error, request);
    return { ...answer, headers: { ...answer.headers, 'retry-after': String(error.retryAfterSeconds) } };
  }
  const refusal = refusalAnswer(format, error, request);
  if (refusal) return refusal;
  const refused = requestError(error as FastifyError);
  if (refused) return format.refused(refused, request);
  if (error instanceof Unavailable) {
    request.log.warn({ err: error.cause }, 'database unavailable');
    const answer = format.unavailable(request);
    return { ...answer, headers: { ...answer.headers, 'retry-after': String(RETRY_AFTER_SECONDS) } };
  }
  request.log.error({ err: error }, 'unhandled error');
  return format.internal(request);
}

/** A credential refused: counted per client address, so that a client refused too often is slowed. */
function isRefusedCredential(error: Error): boolean {
  return (
    (isCoreError(error) && error.code === 'unauthenticated') ||
    (error instanceof OAuthError && error.code === 'invalid_client')
  );
}

/** A refused credential, counted per client address; past the limit, the 429 to answer instead. */
async function counted(services: Services, error: Error, address: string): Promise<Error> {
  if (!isRefusedCredential(error)) return error;
  const deps = { repos: services.db.read, clock: services.wallClock ?? systemClock };
  try {
    await countFailedAttempt(deps, address, services.failedAttempts);
    return error;
  } catch (limited) {
    return limited as Error;
  }
}

/** How long a client is asked to wait before retrying while the database is unreachable. */
const RETRY_AFTER_SECONDS = 5;

/** Mounts an API under its prefix: error handler, not-found answer, documented security, its routes. */
export async function mountApi(app: App, api: ApiDefinition): Promise<void> {
  await app.register(
    async (scope) => {
      const apiScope = scope as App;
      apiScope.setErrorHandler(async (error: FastifyError | Error, request, reply) =>
        sendAnswer(
          reply,
          errorAnswer(api.errors, await counted(apiScope.protego, error, request.ip), request),
        ),
      );
      apiScope.setNotFoundHandler((request, reply) => sendAnswer(reply, api.errors.notFound(request)));
      apiScope.addHook('onRoute', (route) => {
        const schema = route.schema ?? {};
        const response = (schema.response ?? {}) as Record<string, unknown>;
        route.schema = {
          ...schema,
          security: api.security(route.url),
          response: { '4xx': api.errors.schema, '5xx': api.errors.schema, ...response },
        };
      });
      const services = apiScope.protego;
      const kit: Kit = {
        services,
        read: readDeps(services),
        write: (request, reply, work, opts) =>
          write(
            services,
            request,
            reply,
            {
              scope: opts?.scope ?? api.idempotencyScope?.(request) ?? request.tenant,
              keyHeaders: api.idempotencyHeaders,
              renderRefusal: (error) => refusalAnswer(api.errors, error, request),
              ...(api.errors.contentType ? { errorContentType: api.errors.contentType } : {}),
              ...(opts?.oneStatement ? { oneStatement: true } : {}),
            },
            work,
          ),
      };
      // The routes in a scope of their own: the authentication hooks they add do not run for the
      // not-found answer above, so an unknown path is a 404 with or without credentials.
      await apiScope.register(async (routes) => api.routes(routes as App, kit));
    },
    { prefix: api.prefix },
  );
}
