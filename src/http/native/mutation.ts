import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CoreDeps } from '../../core/ports.js';
import type { App } from '../context.js';
import { type Answer, mutate } from '../idempotency.js';
import { coreProblem, PROBLEM_CONTENT_TYPE } from './problem.js';

/** A write answered in problem+json on failure: in one transaction, idempotent under `Idempotency-Key`. */
export function problemMutation(
  app: App,
  request: FastifyRequest,
  reply: FastifyReply,
  scope: { partnerId: string; mode: string },
  work: (deps: CoreDeps) => Promise<Answer>,
) {
  return mutate(
    app.protego,
    request,
    reply,
    {
      scope,
      renderError: (error) => ({ status: coreProblem(error).status, body: coreProblem(error) }),
      contentType: (status) => (status >= 400 ? PROBLEM_CONTENT_TYPE : 'application/json; charset=utf-8'),
    },
    work,
  );
}

export function nativeMutation(
  app: App,
  request: FastifyRequest,
  reply: FastifyReply,
  work: (deps: CoreDeps) => Promise<Answer>,
) {
  return problemMutation(app, request, reply, request.tenant, work);
}
