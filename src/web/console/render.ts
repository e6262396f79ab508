import { Eta } from 'eta';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { type ErrorCode, isCoreError } from '../../core/errors.js';
import { toMajorString } from '../../core/money.js';
import { money, when } from '../kit/format.js';
import type { ConsoleContext } from './context.js';

export function views(dir: string): Eta {
  // Eta escapes every <%= %> by default; templates are read once and cached.
  return new Eta({ views: dir, cache: true, autoTrim: false });
}

const STATUS: Record<ErrorCode, number> = {
  validation_failed: 422,
  not_found: 404,
  already_exists: 409,
  not_eligible: 422,
  product_not_enabled: 422,
  offer_expired: 409,
  invalid_transition: 409,
  quantity_exceeded: 409,
  unauthenticated: 401,
  forbidden: 403,
  idempotency_key_reused: 409,
  idempotency_key_in_flight: 409,
  rate_limited: 429,
};

/** Renders a page inside the layout, with what every page needs: the user, a CSRF token, formatters. */
export async function page(
  ctx: ConsoleContext,
  request: FastifyRequest,
  reply: FastifyReply,
  name: string,
  data: Record<string, unknown>,
  status = 200,
) {
  const html = ctx.views.render(name, {
    ...data,
    user: request.consoleUser,
    csrf: reply.generateCsrf(),
    path: request.url,
    money,
    when,
    major: (m: { amount: number; currency: string }) => toMajorString(m.amount, m.currency),
  });
  return reply.status(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
}

export function statusOf(error: unknown): number {
  if (isCoreError(error)) return STATUS[error.code];
  const code = (error as FastifyError).statusCode;
  return typeof code === 'number' && code >= 400 && code < 500 ? code : 500;
}

/** An error as a page: what went wrong in words, never a stack. */
export async function renderError(
  ctx: ConsoleContext,
  request: FastifyRequest,
  reply: FastifyReply,
  error: unknown,
) {
  const status = statusOf(error);
  if (status >= 500) request.log.error({ err: error }, 'console page failed');
  const message =
    status >= 500
      ? 'Something went wrong on our side. Try again in a moment.'
      : status === 403 && /csrf/i.test((error as FastifyError).code ?? '')
        ? 'This form has expired. Go back, reload the page and send it again.'
        : (error as Error).message;
  return page(ctx, request, reply, 'error', { title: `Error ${status}`, status, message }, status);
}

/** The first problem each field has, keyed by the core's field path, to show beside the field. */
export function fieldErrors(error: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isCoreError(error)) for (const f of error.fields) out[f.field] ??= f.message;
  return out;
}
