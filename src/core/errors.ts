/**
 * Every failure the core can report. Each dialect maps all of them (`satisfies Record<ErrorCode, …>`),
 * so adding a code here fails the build until every API answers it.
 */
export const ERROR_CODES = [
  'validation_failed',
  'not_found',
  'already_exists',
  'not_eligible',
  'product_not_enabled',
  'offer_expired',
  'invalid_transition',
  'quantity_exceeded',
  'unauthenticated',
  'forbidden',
  'idempotency_key_reused',
  'idempotency_key_in_flight',
  'rate_limited',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface FieldError {
  /** A JSON-pointer-like path into the request: `items/0/price/amount`. */
  field: string;
  message: string;
}

export class CoreError extends Error {
  readonly code: ErrorCode;
  readonly fields: FieldError[];
  constructor(code: ErrorCode, message: string, fields: FieldError[] = []) {
    super(message);
    this.name = 'CoreError';
    this.code = code;
    this.fields = fields;
  }
}

export const invalid = (field: string, message: string): CoreError =>
  new CoreError('validation_failed', `${field}: ${message}`, [{ field, message }]);

/**
 * The same refusal with its fields named as the caller's input names them, in the message's leading
 * path too (`invalid` writes `field: message`), so no inner name is left for a client to read.
 */
export function renameFields(error: CoreError, rename: (field: string) => string): CoreError {
  const named = new Set(error.fields.map((f) => f.field));
  const message = error.message.replace(/^([^\s:]+): /, (whole, path: string) =>
    named.has(path) ? `${rename(path)}: ` : whole,
  );
  return new CoreError(
    error.code,
    message,
    error.fields.map((f) => ({ ...f, field: rename(f.field) })),
  );
}

export const notFound = (what: string, field?: string): CoreError =>
  new CoreError('not_found', `${what} not found`, field ? [{ field, message: `${what} not found` }] : []);

/** Too many requests of a kind: the client may try again after `retryAfterSeconds`. */
export class RateLimited extends CoreError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super('rate_limited', message, [{ field: 'Authorization', message }]);
  }
}

/**
 * The database (or another part Protego cannot work without) cannot be reached now. Nothing was done,
 * or what was done is safe to repeat: the same request, retried later, is answered as if it came once.
 */
export class Unavailable extends Error {
  constructor(cause: unknown) {
    super('the database cannot be reached', { cause });
    this.name = 'Unavailable';
  }
}

export function isCoreError(error: unknown): error is CoreError {
  return error instanceof CoreError;
}
