import { Type } from 'typebox';
import type { CoreError, ErrorCode, FieldError } from '../../core/errors.js';
import type { ErrorFormat } from '../kit/api.js';
import { snakePath } from '../kit/case.js';
import { inWireFields } from '../kit/fields.js';

/** The native API's answer to every core error: an HTTP status per code, every code answered. */
const NATIVE_STATUS = {
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
  rate_limited: 429,
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
  503: 'Service Unavailable',
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

/** The native and admin APIs speak snake_case: a domain path's names, each in snake_case. */
function coreProblem(coreError: CoreError): Problem {
  const error = inWireFields(coreError, snakePath);
  return problem(NATIVE_STATUS[error.code], error.code, error.message, error.fields);
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    code: Type.String({ description: 'stable error code: validation_failed, not_found, offer_expired, …' }),
    errors: Type.Array(Type.Object({ field: Type.String(), message: Type.String() })),
  },
  { $id: 'Problem', description: 'RFC 9457 problem details' },
);

const answer = (body: Problem) => ({ status: body.status, body, contentType: PROBLEM_CONTENT_TYPE });

/** The native and admin APIs' errors: RFC 9457 problem documents. */
export const problemFormat: ErrorFormat = {
  core: (error) => answer(coreProblem(error)),
  refused: (refused) => answer(problem(refused.status, refused.code, refused.detail, refused.fields)),
  notFound: (request) =>
    answer(problem(404, 'route_not_found', `no route ${request.method} ${request.url.split('?')[0]}`)),
  internal: (request) =>
    answer(
      problem(500, 'internal_error', `something went wrong on our side; quote request id ${request.id}`),
    ),
  unavailable: () =>
    answer(
      problem(503, 'unavailable', 'the service cannot reach its database; retry after Retry-After seconds'),
    ),
  schema: ProblemSchema,
  contentType: PROBLEM_CONTENT_TYPE,
};
