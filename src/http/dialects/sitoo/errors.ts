import type { ErrorObject } from 'ajv';
import type { CoreError, ErrorCode } from '../../../core/errors.js';

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

export interface SitooErrorMessage {
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
export const SITOO_ERRORS = {
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
} as const satisfies Record<ErrorCode, { status: number; code: SitooErrorCode }>;

const FIELD_CODES = new Set<SitooErrorCode>([
  'field-missing',
  'field-unknown',
  'field-readonly',
  'field-type',
  'field-validation',
]);

/** The core names fields of its own input; these are the CartInsurance fields they came from. */
export function sitooField(coreField: string): string {
  return coreField
    .replace(/^items\/(\d+)\/ref$/, 'items/$1/id')
    .replace(/^items\/(\d+)\/price(\/.*)?$/, 'items/$1/total')
    .replace(/^items\/(\d+)\/category$/, 'items/$1/product_group')
    .replace(/^items\/(\d+)\/item\/.*$/, 'items/$1')
    .replace(/^(country|market)$/, 'Store-ID');
}

export function errorMessage(
  requestId: string,
  code: SitooErrorCode,
  message: string,
  field: string | undefined,
): SitooErrorMessage {
  const withField = FIELD_CODES.has(code);
  return {
    request_id: requestId,
    error_code: code,
    error_data: withField ? { message, field: field ?? 'body' } : { message },
  };
}

export function fromCoreError(
  requestId: string,
  error: CoreError,
): { status: number; body: SitooErrorMessage } {
  const mapped = SITOO_ERRORS[error.code];
  const first = error.fields[0];
  const field = first ? sitooField(first.field) : undefined;
  const message = first && mapped.code !== 'other' ? `${field}: ${first.message}` : error.message;
  return { status: mapped.status, body: errorMessage(requestId, mapped.code, message, field) };
}

export function fromSitooError(
  requestId: string,
  error: SitooError,
): { status: number; body: SitooErrorMessage } {
  return { status: error.status, body: errorMessage(requestId, error.errorCode, error.message, error.field) };
}

/** The first of ajv's errors in Sitoo's words: which field, and missing, unknown, mistyped or invalid. */
export function fromValidation(
  requestId: string,
  errors: ErrorObject[],
  part: string | undefined,
): { status: number; body: SitooErrorMessage } {
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
