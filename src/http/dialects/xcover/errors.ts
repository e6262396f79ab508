import type { ErrorObject } from 'ajv';
import { Type } from 'typebox';
import type { CoreError, ErrorCode } from '../../../core/errors.js';
import type { Answer } from '../../kit/answer.js';
import type { ErrorFormat } from '../../kit/api.js';
import { snakePath } from '../../kit/case.js';
import { type FieldTable, fieldBy, inWireFields } from '../../kit/fields.js';
import { RateLimited } from './rate-limit.js';

/** XCover's error body: a type, a message, and the failing fields (a nested object) or a list of reasons. */
interface XcoverErrorBody {
  type: string;
  message: string;
  errors: Record<string, unknown> | string[];
}

interface XcoverAnswer {
  status: number;
  body: XcoverErrorBody;
}

/** A refusal the dialect makes in its own words (a booking in the wrong state for an email, say). */
export class XcoverError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly errors: Record<string, unknown> | string[] = [],
  ) {
    super(message);
    this.name = 'XcoverError';
  }
}

const VALIDATION = { status: 422, type: 'validation_error' } as const;
const CONFLICT = { status: 409, type: 'conflict_error' } as const;

/**
 * Every core error in XCover's terms; `satisfies` makes a new core code fail the build until it is
 * answered here. A repeated key still running gets 423 Locked, as XCover documents for idempotency keys.
 */
const XCOVER_ERRORS = {
  validation_failed: VALIDATION,
  not_eligible: VALIDATION,
  product_not_enabled: VALIDATION,
  not_found: { status: 404, type: 'not_found_error' },
  already_exists: CONFLICT,
  offer_expired: CONFLICT,
  invalid_transition: CONFLICT,
  quantity_exceeded: CONFLICT,
  idempotency_key_reused: CONFLICT,
  idempotency_key_in_flight: { status: 423, type: 'idempotency_error' },
  unauthenticated: { status: 401, type: 'authentication_error' },
  forbidden: { status: 403, type: 'permission_error' },
  rate_limited: { status: 429, type: 'rate_limit_error' },
} as const satisfies Record<ErrorCode, { status: number; type: string }>;

/** `policyholder/phone` → `{policyholder: {phone: [message]}}`, the nesting XCover's serializers use. */
export function nestErrors(fields: { field: string; message: string }[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { field, message } of fields) {
    const path = field.split('/').filter(Boolean);
    let node = out;
    for (const key of path.slice(0, -1)) {
      const next = node[key];
      if (!next || typeof next !== 'object' || Array.isArray(next)) node[key] = {};
      node = node[key] as Record<string, unknown>;
    }
    const leaf = path.at(-1) ?? 'non_field_errors';
    const list = Array.isArray(node[leaf]) ? (node[leaf] as string[]) : [];
    // Several quotes failing for one policyholder field say so once.
    node[leaf] = list.includes(message) ? list : [...list, message];
  }
  return out;
}

/**
 * A booking binds its quotes as the core's package `items/{i}`: XCover names the quote
 * (`quotes/{i}/…`), by the field it sent when there is one, else by its `id`.
 */
const BOOKING_FIELDS: FieldTable = [
  [/^items\/(\d+)\/instalmentPlan$/, 'quotes/$1/instalment_plan'],
  [/^items\/(\d+)\/(id|policy_start_date)$/, 'quotes/$1/$2'],
  [/^items\/(\d+)\/.*$/, 'quotes/$1/id'],
];
export const bookingField = fieldBy(BOOKING_FIELDS, (path) => path);

/**
 * The core's domain paths as XCover's fields. XCover's JSON is snake_case, and the paths the core
 * names in its requests (`policyholder/firstName`) are its fields in snake_case.
 */
export const xcoverField = fieldBy([], snakePath);

function fromCoreError(coreError: CoreError): XcoverAnswer {
  const error = inWireFields(coreError, xcoverField);
  const mapped = XCOVER_ERRORS[error.code];
  const errors = error.fields.length > 0 ? nestErrors(error.fields) : [error.message];
  return { status: mapped.status, body: { type: mapped.type, message: error.message, errors } };
}

/** Ajv's findings as XCover reports them: `Unexpected field`, `This field is required.`, or the rule. */
function validationFields(errors: ErrorObject[]): { field: string; message: string }[] {
  return errors.flatMap((e) => {
    const path = e.instancePath.replace(/^\//, '');
    const at = (name: string) => (path ? `${path}/${name}` : name);
    if (e.keyword === 'additionalProperties') {
      return [{ field: at(String(e.params.additionalProperty)), message: 'Unexpected field' }];
    }
    if (e.keyword === 'required') {
      return [{ field: at(String(e.params.missingProperty)), message: 'This field is required.' }];
    }
    if (e.keyword === 'anyOf' || e.keyword === 'oneOf') return [];
    // A choice among literals fails once per literal: say it once, with the choices.
    if (e.keyword === 'const') {
      const choices = errors
        .filter((o) => o.keyword === 'const' && o.instancePath === e.instancePath)
        .map((o) => String(o.params.allowedValue));
      return [{ field: path || 'non_field_errors', message: `must be one of: ${choices.join(', ')}` }];
    }
    return [{ field: path || 'non_field_errors', message: e.message ?? 'is invalid' }];
  });
}

/** A body XCover refuses is a 422; a query or path parameter a 400. Both name the client's own fields. */
function fromValidation(errors: ErrorObject[], status = 422): XcoverAnswer {
  const body: XcoverErrorBody = {
    type: 'validation_error',
    message: 'An API error occurred.',
    errors: nestUnexpected(validationFields(errors)),
  };
  return { status, body };
}

/** XCover writes an unknown field as a plain string, every other finding as a list. */
function nestUnexpected(fields: { field: string; message: string }[]): Record<string, unknown> {
  const nested = nestErrors(fields);
  const flatten = (node: Record<string, unknown>): Record<string, unknown> =>
    Object.fromEntries(
      Object.entries(node).map(([k, v]) => [
        k,
        Array.isArray(v) && v.length === 1 && v[0] === 'Unexpected field'
          ? 'Unexpected field'
          : v && typeof v === 'object' && !Array.isArray(v)
            ? flatten(v as Record<string, unknown>)
            : v,
      ]),
    );
  return flatten(nested);
}

const ErrorBodySchema = Type.Object(
  {
    type: Type.String(),
    message: Type.String(),
    errors: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Array(Type.String())]),
  },
  { description: "XCover's error body" },
);

const withChallenge = (answer: XcoverAnswer): Answer =>
  answer.status === 401 ? { ...answer, headers: { 'www-authenticate': 'Signature realm="xcover"' } } : answer;

/** XCover's `{type, message, errors}` for every refusal, never a stack trace. */
export const xcoverFormat: ErrorFormat = {
  core: (error) => withChallenge(fromCoreError(error)),
  own(error) {
    if (error instanceof XcoverError) {
      return withChallenge({
        status: error.status,
        body: { type: error.type, message: error.message, errors: error.errors },
      });
    }
    if (error instanceof RateLimited) {
      return {
        status: 429,
        headers: { 'retry-after': String(error.retryAfter) },
        body: {
          type: 'rate_limit_error',
          message: `too many requests; retry in ${error.retryAfter} s`,
          errors: [],
        },
      };
    }
    return undefined;
  },
  refused(refused) {
    if (refused.validation) {
      return fromValidation(refused.validation, refused.part === 'body' ? 422 : 400);
    }
    return {
      status: refused.status,
      body: { type: 'bad_request_error', message: refused.detail, errors: nestErrors(refused.fields) },
    };
  },
  notFound: (request) => ({
    status: 404,
    body: {
      type: 'not_found_error',
      message: `no route ${request.method} ${request.url.split('?')[0]}`,
      errors: [],
    },
  }),
  internal: () => ({
    status: 500,
    body: { type: 'api_error', message: 'something went wrong on our side', errors: [] },
  }),
  unavailable: () => ({
    status: 503,
    body: { type: 'api_error', message: 'the service cannot reach its database; retry later', errors: [] },
  }),
  schema: ErrorBodySchema,
};
