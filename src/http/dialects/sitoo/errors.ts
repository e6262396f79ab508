import type { ErrorObject } from 'ajv';
import type { FastifyRequest } from 'fastify';
import type { CoreError, ErrorCode } from '../../../core/errors.js';
import type { Answer } from '../../kit/answer.js';
import type { ErrorFormat } from '../../kit/api.js';
import { snakePath } from '../../kit/case.js';
import { type FieldTable, fieldBy, inWireFields } from '../../kit/fields.js';
import { SitooErrorMessage } from './schemas.js';

/** Sitoo's error codes (ErrorMessage.error_code). The field-* codes carry `error_data.field`. */
export type SitooErrorCode =
  | 'field-missing'
  | 'field-unknown'
  | 'field-readonly'
  | 'field-type'
  | 'field-validation'
  | 'version-invalid'
  | 'condition-failed'
  | 'other';

interface ErrorMessage {
  request_id: string;
  error_code: SitooErrorCode;
  error_data: { message: string; field?: string };
}

/** A refusal the dialect itself makes (headers, read-only fields, version, currency). */
export class SitooError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: SitooErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'SitooError';
  }
}

/**
 * Every core error in Sitoo's words. The guide knows 400, 401 and 403 for refusals, so everything a
 * client can fix or retry is a 400 with the closest code; `satisfies` makes a new core code fail the
 * build until it is answered here.
 */
const SITOO_ERRORS = {
  validation_failed: { status: 400, code: 'field-validation' },
  not_found: { status: 400, code: 'field-validation' },
  already_exists: { status: 400, code: 'condition-failed' },
  not_eligible: { status: 400, code: 'condition-failed' },
  product_not_enabled: { status: 400, code: 'condition-failed' },
  offer_expired: { status: 400, code: 'condition-failed' },
  invalid_transition: { status: 400, code: 'condition-failed' },
  quantity_exceeded: { status: 400, code: 'field-validation' },
  unauthenticated: { status: 401, code: 'other' },
  forbidden: { status: 403, code: 'other' },
  idempotency_key_reused: { status: 400, code: 'condition-failed' },
  idempotency_key_in_flight: { status: 400, code: 'condition-failed' },
  rate_limited: { status: 429, code: 'other' },
} as const satisfies Record<ErrorCode, { status: number; code: SitooErrorCode }>;

const FIELD_CODES = new Set<SitooErrorCode>([
  'field-missing',
  'field-unknown',
  'field-readonly',
  'field-type',
  'field-validation',
]);

/**
 * The core names fields of its own input by domain path; these are the CartInsurance fields (and the
 * header) they came from. Sitoo's JSON is snake_case, so any other path is its names in snake_case.
 */
const SITOO_FIELDS: FieldTable = [
  [/^items\/(\d+)\/ref$/, 'items/$1/id'],
  [/^items\/(\d+)\/price(\/.*)?$/, 'items/$1/total'],
  [/^items\/(\d+)\/category$/, 'items/$1/product_group'],
  [/^items\/(\d+)\/item\/.*$/, 'items/$1'],
  [/^(country|market)$/, 'Store-ID'],
];
const sitooField = fieldBy(SITOO_FIELDS, snakePath);

function errorMessage(
  requestId: string,
  code: SitooErrorCode,
  message: string,
  field: string | undefined,
): ErrorMessage {
  const withField = FIELD_CODES.has(code);
  return {
    request_id: requestId,
    error_code: code,
    error_data: withField ? { message, field: field ?? 'body' } : { message },
  };
}

function fromCoreError(requestId: string, coreError: CoreError): { status: number; body: ErrorMessage } {
  const error = inWireFields(coreError, sitooField);
  const mapped = SITOO_ERRORS[error.code];
  const first = error.fields[0];
  const field = first?.field;
  const message = first && mapped.code !== 'other' ? `${field}: ${first.message}` : error.message;
  return { status: mapped.status, body: errorMessage(requestId, mapped.code, message, field) };
}

function fromSitooError(requestId: string, error: SitooError): { status: number; body: ErrorMessage } {
  return { status: error.status, body: errorMessage(requestId, error.errorCode, error.message, error.field) };
}

/** The first of ajv's errors in Sitoo's words: which field, and missing, unknown, mistyped or invalid. */
function fromValidation(
  requestId: string,
  errors: ErrorObject[],
  part: string | undefined,
): { status: number; body: ErrorMessage } {
  const e = errors[0];
  if (!e)
    return { status: 400, body: errorMessage(requestId, 'field-validation', 'invalid request', 'body') };
  let path = e.instancePath.replace(/^\//, '');
  let code: SitooErrorCode = 'field-validation';
  let message = e.message ?? 'is invalid';
  if (e.keyword === 'required') {
    path = join(path, String(e.params.missingProperty));
    code = 'field-missing';
    message = 'is required';
  } else if (e.keyword === 'additionalProperties') {
    path = join(path, String(e.params.additionalProperty));
    code = 'field-unknown';
    message = 'is not a known field';
  } else if (e.keyword === 'type') {
    code = 'field-type';
  }
  const field = path || (part && part !== 'body' ? part : 'body');
  return { status: 400, body: errorMessage(requestId, code, `${field} ${message}`, field) };
}

function join(path: string, name: string): string {
  return path ? `${path}/${name}` : name;
}

/** Sitoo clients send `Request-ID`; errors echo it, or our own request id when there is none. */
function requestId(request: FastifyRequest): string {
  const sent = request.headers['request-id'];
  return typeof sent === 'string' && sent.length > 0 ? sent : request.id;
}

const withChallenge = (answer: { status: number; body: ErrorMessage }): Answer =>
  answer.status === 401
    ? { ...answer, headers: { 'www-authenticate': 'Basic realm="protego", Bearer' } }
    : answer;

/** Sitoo's ErrorMessage for every refusal, echoing the request id. */
export const sitooFormat: ErrorFormat = {
  core: (error, request) => withChallenge(fromCoreError(requestId(request), error)),
  own: (error, request) =>
    error instanceof SitooError ? withChallenge(fromSitooError(requestId(request), error)) : undefined,
  refused(refused, request) {
    const id = requestId(request);
    if (refused.validation) return fromValidation(id, refused.validation, refused.part);
    const unparsable = refused.fastifyCode?.startsWith('FST_ERR_CTP_') && refused.status === 400;
    return {
      status: refused.status,
      body: unparsable
        ? errorMessage(id, 'field-type', `body: ${refused.detail}`, 'body')
        : errorMessage(id, 'other', refused.detail, undefined),
    };
  },
  notFound: (request) => ({
    status: 404,
    body: errorMessage(
      requestId(request),
      'other',
      `no route ${request.method} ${request.url.split('?')[0]}`,
      undefined,
    ),
  }),
  internal: (request) => ({
    status: 500,
    body: errorMessage(
      requestId(request),
      'other',
      `something went wrong on our side (${requestId(request)})`,
      undefined,
    ),
  }),
  unavailable: (request) => ({
    status: 503,
    body: errorMessage(
      requestId(request),
      'other',
      'the service cannot reach its database; retry later',
      undefined,
    ),
  }),
  schema: SitooErrorMessage,
};
