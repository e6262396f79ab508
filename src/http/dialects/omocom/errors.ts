import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { CoreError, type ErrorCode, type FieldError, isCoreError } from '../../../core/errors.js';
import type { Answer } from '../../idempotency.js';
import { requestError } from '../../validation.js';

/**
 * Every 4xx of the Omocom dialect has one body: `message` says what went wrong, `field` names the
 * first offending field (null when no one field is at fault), `code` is Protego's stable error code,
 * and `errors` lists every offending field.
 */
export interface OmocomError {
  message: string;
  field: string | null;
  code: string;
  errors: FieldError[];
}

/** Each core error's HTTP status in this dialect: a new code fails the build until it is answered here. */
export const OMOCOM_STATUS = {
  validation_failed: 400,
  not_found: 404,
  already_exists: 409,
  not_eligible: 400,
  product_not_enabled: 400,
  offer_expired: 400,
  invalid_transition: 409,
  quantity_exceeded: 409,
  unauthenticated: 401,
  forbidden: 403,
  idempotency_key_reused: 422,
  idempotency_key_in_flight: 409,
} as const satisfies Record<ErrorCode, number>;

export function errorBody(code: string, message: string, errors: FieldError[] = []): OmocomError {
  return { message, field: errors[0]?.field ?? null, code, errors };
}

export function renderCoreError(error: CoreError): Answer {
  return { status: OMOCOM_STATUS[error.code], body: errorBody(error.code, error.message, error.fields) };
}

export const omocomForbidden = (message: string, field: string): CoreError =>
  new CoreError('forbidden', message, [{ field, message }]);

/** The dialect's error handler: core errors by the table, Fastify's own 4xx in the same body, 500 last. */
export function omocomErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (isCoreError(error)) {
    const answer = renderCoreError(error);
    if (error.code === 'unauthenticated') reply.header('www-authenticate', 'Bearer');
    return reply.code(answer.status).send(answer.body);
  }
  const refused = requestError(error);
  if (refused)
    return reply.code(refused.status).send(errorBody(refused.code, refused.detail, refused.fields));
  request.log.error({ err: error }, 'unhandled error');
  return reply
    .code(500)
    .send(errorBody('internal_error', `something went wrong on our side; quote request id ${request.id}`));
}
