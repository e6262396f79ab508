import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CoreDeps } from '../../core/ports.js';
import type { App } from '../context.js';
import type { Answer } from '../idempotency.js';
import { problemMutation } from '../native/mutation.js';

/** The admin API's idempotency keys live under the reserved tenant `admin`. */
const ADMIN_SCOPE = { partnerId: 'admin', mode: 'live' };

export function adminMutation(
  app: App,
  request: FastifyRequest,
  reply: FastifyReply,
  work: (deps: CoreDeps) => Promise<Answer>,
) {
  return problemMutation(app, request, reply, ADMIN_SCOPE, work);
}
