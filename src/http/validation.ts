import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';
import { type FieldError, invalid } from '../core/errors.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

const common = { allErrors: true, useDefaults: true, strict: false, discriminator: true } as const;
// Bodies are taken as sent: a number sent as a string is an error, an unknown field is reported.
const bodyAjv = addFormats(new Ajv({ ...common, coerceTypes: false, removeAdditional: false }));
// Query strings and path parameters are text by nature: "?limit=10" is a number.
const paramAjv = addFormats(new Ajv({ ...common, coerceTypes: 'array', removeAdditional: false }));

/**
 * Each route's validator is compiled on its first request, not at start: compiling every route's
 * schemas is a good part of the time `protego serve` takes to answer (issue #13: start within 3 s).
 */
export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) => {
  let compiled: ValidateFunction | undefined;
  const validate = (data: unknown) => {
    compiled ??= (httpPart === 'body' ? bodyAjv : paramAjv).compile(schema);
    const valid = compiled(data);
    validate.errors = compiled.errors;
    return valid;
  };
  validate.errors = null as ValidateFunction['errors'];
  return validate;
};

/** Ajv's errors as `{field, message}` with the field as a path (`items/0/price/amount`). */
function fieldErrors(errors: ErrorObject[], part: string | undefined): FieldError[] {
  const prefix = part && part !== 'body' ? `${part}:` : '';
  const seen = new Set<string>();
  const out: FieldError[] = [];
  for (const e of errors) {
    let path = e.instancePath.replace(/^\//, '');
    let message = e.message ?? 'is invalid';
    if (e.keyword === 'required') {
      path = join(path, String(e.params.missingProperty));
      message = 'is required';
    } else if (e.keyword === 'additionalProperties') {
      path = join(path, String(e.params.additionalProperty));
      message = 'is not a known field';
    } else if (e.keyword === 'discriminator') {
      // The tag picks the variant (`type` of an order event): name it, not the whole body. A missing
      // tag is already reported by `required`.
      if (e.params.tagValue === undefined) continue;
      path = join(path, String(e.params.tag));
      message = e.params.error === 'mapping' ? 'is not an accepted value' : 'must be a string';
    } else if (e.keyword === 'enum') {
      message = `must be one of ${(e.params.allowedValues as unknown[]).join(', ')}`;
    }
    const field = prefix + (path || (part === 'body' ? 'body' : (part ?? 'body')));
    const key = `${field}|${message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push({ field, message });
    }
  }
  return out;
}

function join(path: string, name: string): string {
  return path ? `${path}/${name}` : name;
}

/** Deeper than any request of any API needs; much deeper would overflow the validator's stack. */
const MAX_DEPTH = 64;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * What no database column can hold, refused before validation with a 400 naming the field (in each API's
 * own error format) instead of a 500 from PostgreSQL or a stack overflow: U+0000, a lone UTF-16
 * surrogate (valid JSON, not valid Unicode), and nesting deeper than 64 levels.
 */
export function rejectUnstorable(request: { params: unknown; query: unknown; body: unknown }): void {
  const parts = [
    ['params', request.params],
    ['querystring', request.query],
    ['body', request.body],
  ] as const;
  for (const [part, value] of parts) {
    const found = unstorable(value, '', 0);
    if (!found) continue;
    const field = part === 'body' ? found.path || 'body' : `${part}:${found.path || part}`;
    throw invalid(field, found.message);
  }
}

function badText(text: string): string | undefined {
  if (text.includes('\u0000')) return 'must not contain the character U+0000';
  if (LONE_SURROGATE.test(text)) return 'must be valid Unicode (it holds a lone surrogate)';
  return undefined;
}

function unstorable(
  value: unknown,
  path: string,
  depth: number,
): { path: string; message: string } | undefined {
  if (typeof value === 'string') {
    const message = badText(value);
    return message ? { path, message } : undefined;
  }
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return undefined;
  if (depth >= MAX_DEPTH) return { path, message: `nests deeper than ${MAX_DEPTH} levels` };
  for (const [key, child] of Object.entries(value)) {
    const at = join(path, key);
    const message = badText(key);
    if (message) return { path: at, message };
    const found = unstorable(child, at, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** A request the framework refused, for an API to render in its own error format. */
export interface RequestRefusal {
  status: number;
  /** `validation_failed`, or Fastify's code in lower case (`fst_err_ctp_invalid_media_type`). */
  code: string;
  detail: string;
  fields: FieldError[];
  /** Ajv's own findings, for APIs that word them themselves (XCover, Sitoo). */
  validation?: ErrorObject[];
  /** Which part failed validation: body, querystring, params, headers. */
  part?: string;
  /** Fastify's own error code (`FST_ERR_CTP_INVALID_JSON_BODY`), when Fastify refused it. */
  fastifyCode?: string;
}

/**
 * A request refused by Fastify itself (schema validation, unparsable or empty JSON, wrong content type,
 * body too large), as status, stable code and fields: each API then renders it in its own error format.
 * Anything else (a 5xx) is not the client's to fix and gives undefined.
 */
export function requestError(error: {
  validation?: unknown;
  validationContext?: string;
  statusCode?: number;
  code?: string;
  message: string;
}): RequestRefusal | undefined {
  if (error.validation) {
    const validation = error.validation as ErrorObject[];
    const fields = fieldErrors(validation, error.validationContext);
    return {
      status: 400,
      code: 'validation_failed',
      detail: fields.map((e) => `${e.field} ${e.message}`).join('; '),
      fields,
      validation,
      ...(error.validationContext ? { part: error.validationContext } : {}),
    };
  }
  const status = error.statusCode ?? 500;
  if (status < 400 || status >= 500) return undefined;
  const unparsable =
    error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY';
  const code = unparsable ? 'validation_failed' : (error.code ?? 'bad_request').toLowerCase();
  return {
    status,
    code,
    detail: error.message,
    fields: [{ field: 'body', message: error.message }],
    ...(error.code ? { fastifyCode: error.code } : {}),
  };
}
