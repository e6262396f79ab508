import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CoreError, isCoreError } from '../core/errors.js';
import { decideRepeat, type IdempotencyScope } from '../core/idempotency.js';
import type { CoreDeps } from '../core/ports.js';
import { coreDeps, type Services } from './context.js';

export interface Answer {
  status: number;
  body: unknown;
}

export interface MutationOptions {
  /** The tenant the key belongs to (`admin` for the admin API). */
  scope: { partnerId: string; mode: string };
  /** Header names that carry the key in this API, first found wins. */
  keyHeaders?: string[];
  /** This API's rendering of a core error, so a replayed error looks like the first one. */
  renderError: (error: CoreError) => Answer;
  contentType?: (status: number) => string;
}

/**
 * Runs a write in one transaction. With an idempotency key, the answer is stored in that same
 * transaction, so a retry replays exactly what the first request did, and a request that died
 * part-way left nothing behind and may run again.
 */
export async function mutate(
  services: Services,
  request: FastifyRequest,
  reply: FastifyReply,
  options: MutationOptions,
  work: (deps: CoreDeps) => Promise<Answer>,
): Promise<void> {
  const send = (answer: Answer, replayed = false): void => {
    if (replayed) reply.header('idempotent-replayed', 'true');
    if (options.contentType) reply.type(options.contentType(answer.status));
    reply.code(answer.status).send(answer.body);
  };
  const key = idempotencyKey(request, options.keyHeaders ?? ['idempotency-key']);
  if (key === undefined) {
    return send(await services.store.transaction((repos) => work(coreDeps(services, repos))));
  }
  const scope: IdempotencyScope = { ...options.scope, key };
  const hash = requestHash(request);
  const existing = await services.store.read.idempotency.claim(scope, hash, services.clock.now());
  if (existing) {
    const decision = decideRepeat(existing, hash);
    if (decision.kind === 'replay') {
      return send({ status: decision.response.status, body: JSON.parse(decision.response.body) }, true);
    }
    throw decision.kind === 'reused'
      ? new CoreError('idempotency_key_reused', 'this idempotency key was used for another request', [
          { field: 'Idempotency-Key', message: 'already used with a different method, path or body' },
        ])
      : new CoreError('idempotency_key_in_flight', 'a request with this idempotency key is still running', [
          { field: 'Idempotency-Key', message: 'retry once the first request has answered' },
        ]);
  }
  try {
    const answer = await services.store.transaction(async (repos) => {
      const result = await work(coreDeps(services, repos));
      await repos.idempotency.complete(scope, { status: result.status, body: JSON.stringify(result.body) });
      return result;
    });
    return send(answer);
  } catch (error) {
    if (!isCoreError(error)) {
      await services.store.read.idempotency.release(scope);
      throw error;
    }
    // A refusal is an answer too: the same retry gets the same refusal.
    const answer = options.renderError(error);
    await services.store.read.idempotency.complete(scope, {
      status: answer.status,
      body: JSON.stringify(answer.body),
    });
    return send(answer);
  }
}

function idempotencyKey(request: FastifyRequest, headers: string[]): string | undefined {
  for (const name of headers) {
    const value = request.headers[name];
    if (typeof value !== 'string') continue;
    if (value.length === 0 || value.length > 255) {
      throw new CoreError('validation_failed', 'idempotency key must be 1 to 255 characters', [
        { field: name, message: '1 to 255 characters' },
      ]);
    }
    return value;
  }
  return undefined;
}

function requestHash(request: FastifyRequest): string {
  return createHash('sha256')
    .update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`)
    .digest('hex');
}
