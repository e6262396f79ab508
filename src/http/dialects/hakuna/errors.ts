import type { FastifyRequest } from 'fastify';
import type { CoreError, ErrorCode, FieldError } from '../../../core/errors.js';
import type { Answer } from '../../kit/answer.js';
import type { ErrorFormat } from '../../kit/api.js';
import { snakePath } from '../../kit/case.js';
import { type FieldTable, fieldBy, inWireFields } from '../../kit/fields.js';
import { HakunaErrorBody } from './schemas.js';

/** The error codes this dialect answers with, in Hakuna's words. */
export type HakunaErrorCode =
  | 'invalid_request_parameters'
  | 'authentication_failed'
  | 'forbidden'
  | 'product_unsupported'
  | 'country_unsupported'
  | 'order_not_found'
  | 'line_item_not_found'
  | 'cart_not_found'
  | 'resource_not_found'
  | 'conflict'
  | 'idempotency_key_reused'
  | 'rate_limited'
  | 'internal_error'
  | 'service_unavailable';

/** A refusal the dialect makes itself (a key on the wrong environment). */
export class HakunaError extends Error {
  constructor(
    readonly status: number,
    readonly code: HakunaErrorCode,
    message: string,
    readonly fields: FieldError[] = [],
  ) {
    super(message);
    this.name = 'HakunaError';
  }
}

/** Every core error in Hakuna's words; `not_found` and `not_eligible` are refined by the field they name. */
const HAKUNA_ERRORS = {
  validation_failed: { status: 400, code: 'invalid_request_parameters' },
  not_found: { status: 404, code: 'resource_not_found' },
  already_exists: { status: 409, code: 'conflict' },
  not_eligible: { status: 422, code: 'product_unsupported' },
  product_not_enabled: { status: 422, code: 'product_unsupported' },
  offer_expired: { status: 422, code: 'product_unsupported' },
  invalid_transition: { status: 409, code: 'conflict' },
  quantity_exceeded: { status: 400, code: 'invalid_request_parameters' },
  unauthenticated: { status: 401, code: 'authentication_failed' },
  forbidden: { status: 403, code: 'forbidden' },
  idempotency_key_reused: { status: 422, code: 'idempotency_key_reused' },
  idempotency_key_in_flight: { status: 409, code: 'conflict' },
  rate_limited: { status: 429, code: 'rate_limited' },
} as const satisfies Record<ErrorCode, { status: number; code: HakunaErrorCode }>;

/** The core's domain paths that every route words the same way; the rest are snake_cased. */
const HAKUNA_FIELDS: FieldTable = [
  [/^cartId$/, 'cart_id'],
  [/^sessionId$/, 'user_session_id'],
  [/^orderId$/, 'order_id'],
  [/^currency$/, 'cart_currency'],
  [/^price\/(amount|currency)$/, 'price_$1'],
  [/^lines\/(\d+)\/lineId$/, 'line_items/$1/id'],
];
const hakunaField = fieldBy(HAKUNA_FIELDS, snakePath);

function body(code: HakunaErrorCode, message: string, fields: FieldError[]) {
  return { error: { error_code: code, message, validation_errors: fields } };
}

/** `not_found` of an order or a cart, `not_eligible` of a market, by the client's field they name. */
function refine(code: HakunaErrorCode, fields: FieldError[]): HakunaErrorCode {
  const named = (pattern: RegExp) => fields.some((f) => pattern.test(f.field));
  if (code === 'resource_not_found' && named(/(^|\/)order_id$/)) return 'order_not_found';
  if (code === 'resource_not_found' && named(/(^|\/)(cart_id|user_session_id)$/)) return 'cart_not_found';
  if (code === 'resource_not_found' && named(/(^|\/)line_item_id$/)) return 'line_item_not_found';
  if (
    code === 'product_unsupported' &&
    named(/(^|\/)(price_currency|cart_currency|order_currency|country)$/)
  ) {
    return 'country_unsupported';
  }
  return code;
}

function fromCore(coreError: CoreError): Answer {
  const error = inWireFields(coreError, hakunaField);
  const mapped = HAKUNA_ERRORS[error.code];
  return {
    status: mapped.status,
    body: body(refine(mapped.code, error.fields), error.message, error.fields),
  };
}

const ours = (status: number, code: HakunaErrorCode, message: string): Answer => ({
  status,
  body: body(code, message, []),
});

/** Hakuna's error body: `{"error": {"error_code", "message", "validation_errors": [{field, message}]}}`. */
export const hakunaFormat: ErrorFormat = {
  core: (error) => fromCore(error),
  own: (error) =>
    error instanceof HakunaError
      ? { status: error.status, body: body(error.code, error.message, error.fields) }
      : undefined,
  refused(refused) {
    const fields = refused.fields.map((f) => ({ ...f, field: f.field.replace(/^querystring:/, '') }));
    if (refused.status === 400 || refused.validation) {
      const message = fields.map((f) => `${f.field} ${f.message}`).join('; ') || refused.detail;
      return { status: 400, body: body('invalid_request_parameters', message, fields) };
    }
    return ours(refused.status, 'invalid_request_parameters', refused.detail);
  },
  notFound: (request: FastifyRequest) =>
    ours(404, 'resource_not_found', `no route ${request.method} ${request.url.split('?')[0]}`),
  internal: (request) => ours(500, 'internal_error', `something went wrong on our side (${request.id})`),
  unavailable: () => ours(503, 'service_unavailable', 'the service cannot reach its database; retry later'),
  schema: HakunaErrorBody,
};
