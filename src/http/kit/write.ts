import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CoreError } from '../../core/errors.js';
import { decideRepeat, type IdempotencyRecord, type IdempotencyScope } from '../../core/idempotency.js';
import type { CoreDeps } from '../../core/ports.js';
import { coreDeps, type Services } from '../context.js';
import { type Answer, sendAnswer } from './answer.js';

/** Whose idempotency keys these are: a tenant, or the reserved `admin` scope of the admin API. */
export type Scope = { partnerId: string; mode: string };

export interface WriteOptions {
  scope: Scope;
  /** Header names that carry the key in this API, first found wins. */
  keyHeaders: readonly string[];
  /** This API's rendering of a refusal (undefined for a failure of ours), so a replay looks like the first answer. */
  renderRefusal: (error: unknown) => Answer | undefined;
  /** The content type of a replayed refusal (only bodies are stored). */
  errorContentType?: string;
  /**
   * The work writes at most one statement (it may read more): atomic alone, so without an idempotency
   * key it runs outside an explicit transaction, whose BEGIN and COMMIT would be two more round trips.
   */
  oneStatement?: boolean;
}

/**
 * Runs a write in one transaction (or, for `oneStatement` work without a key, in that one statement).
 * With an idempotency key, the key is taken and the answer stored in
 * that same transaction, so a retry replays exactly what the first request did, and a request that died
 * part-way left nothing behind, its key included, and may run again at once.
 */
export async function write(
  services: Services,
  request: FastifyRequest,
  reply: FastifyReply,
  options: WriteOptions,
  work: (deps: CoreDeps) => Promise<Answer>,
): Promise<void> {
  const send = (answer: Answer, replayed = false): void => {
    if (replayed) reply.header('idempotent-replayed', 'true');
    sendAnswer(reply, answer);
  };
  const key = idempotencyKey(request, options.keyHeaders);
  if (key === undefined) {
    if (options.oneStatement) return send(await work(coreDeps(services, services.db.read)));
    return send(await services.db.transaction((repos) => work(coreDeps(services, repos))));
  }
  const scope: IdempotencyScope = { ...options.scope, key };
  const hash = requestHash(request);
  // The key is taken inside the work's own transaction: a request that dies part-way (the process, or
  // its connection) leaves neither its work nor its claim on the key, so a retry runs at once; while it
  // runs, its transaction holds the key against any other (see IdempotencyRepository.claim).
  let existing: IdempotencyRecord | undefined;
  let answer: Answer | undefined;
  try {
    answer = await services.db.transaction(async (repos) => {
      existing = await repos.idempotency.claim(scope, hash, services.clock.now());
      if (existing) return undefined;
      const result = await work(coreDeps(services, repos));
      await repos.idempotency.complete(scope, { status: result.status, body: JSON.stringify(result.body) });
      return result;
    });
  } catch (error) {
    // A refusal is an answer too: the same retry gets the same refusal.
    const refusal = options.renderRefusal(error);
    if (!refusal) throw error;
    await services.db.transaction(async (repos) => {
      if (!(await repos.idempotency.claim(scope, hash, services.clock.now())))
        await repos.idempotency.complete(scope, {
          status: refusal.status,
          body: JSON.stringify(refusal.body),
        });
    });
    return send(refusal);
  }
  if (answer) return send(answer);
  const decision = decideRepeat(existing!, hash);
  if (decision.kind === 'replay') {
    const { status } = decision.response;
    const body: unknown = JSON.parse(decision.response.body);
    return send({ status, body, ...(status >= 400 ? { contentType: options.errorContentType } : {}) }, true);
  }
  throw decision.kind === 'reused'
    ? new CoreError('idempotency_key_reused', 'this idempotency key was used for another request', [
        { field: 'Idempotency-Key', message: 'already used with a different method, path or body' },
      ])
    : new CoreError('idempotency_key_in_flight', 'a request with this idempotency key is still running', [
        { field: 'Idempotency-Key', message: 'retry once the first request has answered' },
      ]);
}

function idempotencyKey(request: FastifyRequest, headers: readonly string[]): string | undefined {
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
