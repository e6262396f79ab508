import type { CoreError, ErrorCode, FieldError } from '../../core/errors.js';

/** The native API's answer to every core error: an HTTP status per code, every code answered. */
export const NATIVE_STATUS = {
  validation_failed: 400,
  not_found: 404,
  already_exists: 409,
  not_eligible: 422,
  product_not_enabled: 422,
  offer_expired: 422,
  invalid_transition: 409,
  quantity_exceeded: 422,
  unauthenticated: 401,
  forbidden: 403,
  idempotency_key_reused: 422,
  idempotency_key_in_flight: 409,
} as const satisfies Record<ErrorCode, number>;

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
};

/** An RFC 9457 problem document with a stable `code` and the offending fields. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors: FieldError[];
}

export function problem(status: number, code: string, detail: string, errors: FieldError[] = []): Problem {
  return {
    type: `https://protego.dev/problems/${code}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    code,
    errors,
  };
}

export function coreProblem(error: CoreError): Problem {
  return problem(NATIVE_STATUS[error.code], error.code, error.message, error.fields);
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';
