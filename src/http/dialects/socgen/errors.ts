import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { CoreError, ErrorCode } from '../../../core/errors.js';
import type { App } from '../../context.js';
import type { Answer } from '../../kit/answer.js';
import type { ErrorFormat } from '../../kit/api.js';
import { type FieldTable, fieldBy, inWireFields } from '../../kit/fields.js';
import { OAuthError, oauthAnswer } from '../../kit/oauth2.js';

/** Each core error's status and the `errorCode` it is told by: a new core code fails the build until it is here. */
export const SOCGEN_ERRORS = {
  validation_failed: [400, 'INVALID_REQUEST'],
  not_found: [404, 'NOT_FOUND'],
  already_exists: [409, 'ALREADY_EXISTS'],
  not_eligible: [400, 'NOT_ELIGIBLE'],
  product_not_enabled: [400, 'UNKNOWN_SOLUTION'],
  offer_expired: [400, 'QUOTE_EXPIRED'],
  invalid_transition: [400, 'INVALID_STATUS'],
  quantity_exceeded: [409, 'QUOTE_ALREADY_SUBSCRIBED'],
  unauthenticated: [401, 'UNAUTHORIZED'],
  forbidden: [403, 'FORBIDDEN'],
  idempotency_key_reused: [422, 'IDEMPOTENCY_KEY_REUSED'],
  idempotency_key_in_flight: [409, 'IDEMPOTENCY_KEY_IN_FLIGHT'],
  rate_limited: [429, 'TOO_MANY_REQUESTS'],
} as const satisfies Record<ErrorCode, readonly [number, string]>;

/** The core's domain paths as the fields a SocGen client sent. */
const SOCGEN_FIELDS: FieldTable = [
  [/^expectedPremium(\/.*)?$/, 'producerQuoteInsurancePrice'],
  [/^expectedItemPrice(\/.*)?$/, 'insuredItem.insurancePrice'],
  [/^(offerId|optionId)$/, 'quoteId'],
  [/^policyId$/, 'insuranceSubscriptionId'],
  [/^policyholder\/(firstName|lastName|email)$/, (name) => `buyer.contact.${name}`],
  [/^policyholder\/phone$/, 'buyer.contact.mobilePhoneNumber'],
  [/^policyholder\/address\/postalCode$/, 'buyer.address.zipCode'],
  [/^policyholder\/address\/city$/, 'buyer.address.cityName'],
  [/^policyholder\/address\/country$/, 'buyer.address.countryCode'],
  [/^policyholder\/address(\/.*)?$/, 'buyer.address'],
  [/^policyholder(\/.*)?$/, 'buyer'],
  [/^items\/0\/price(\/.*)?$/, 'price'],
  [/^(items\/0(\/.*)?|item)$/, 'itemId'],
  [/^(country|market)$/, 'buyerBillingCountry'],
  [/^(productCode|termMonths)$/, 'insuranceId'],
];
const socgenField = fieldBy(SOCGEN_FIELDS, (path) => path.replaceAll('/', '.'));

/** A refusal of one field told apart by its code: the client reads `errorCode`, a person `errorMessage`. */
const FIELD_CODES: Record<string, string> = {
  producerQuoteExpirationDate: 'QUOTE_EXPIRATION_DATE_MISMATCH',
  'insuredItem.insurancePrice': 'ITEM_PRICE_MISMATCH',
  'insuredItem.currencyCode': 'INVALID_CURRENCY',
  'buyer.contact.email': 'INVALID_EMAIL',
  solutionCode: 'INVALID_SOLUTION_CODE',
  page: 'INVALID_PAGE',
  pageSize: 'INVALID_PAGE_SIZE',
};
/** What was not found, by the field that named it. */
const NOT_FOUND_CODES: Record<string, string> = {
  itemId: 'ITEM_NOT_FOUND',
  quoteId: 'QUOTE_NOT_FOUND',
  insuranceSubscriptionId: 'SUBSCRIPTION_NOT_FOUND',
};

const STATUS_MESSAGES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** 1.1.0's `BaasExceptionHttpResponse`, every field given. */
function errorBody(request: FastifyRequest, status: number, errorCode: string, errorMessage: string): Answer {
  const { wallClock, clock } = (request.server as App).protego;
  return {
    status,
    body: {
      timestamp: (wallClock ?? clock).now().toISOString(),
      httpStatusCode: status,
      httpStatusMessage: STATUS_MESSAGES[status] ?? 'Error',
      errorCode,
      errorMessage,
      requestMethod: request.method,
      requestURI: request.url.split('?')[0],
    },
  };
}

/** Binding refused the price the client names (the core's `expectedPremium`). */
const PRICE_MISMATCH = 'expectedPremium';

function errorCodeOf(coreError: CoreError, error: CoreError): string {
  if (coreError.fields[0]?.field === PRICE_MISMATCH) return 'PRICE_MISMATCH';
  const field = error.fields[0]?.field;
  if (error.code === 'not_found' && field && NOT_FOUND_CODES[field]) return NOT_FOUND_CODES[field];
  if (error.code === 'validation_failed' && field) {
    return FIELD_CODES[field] ?? `INVALID_${screaming(field)}`;
  }
  return SOCGEN_ERRORS[error.code][1];
}

/** `buyer.contact.firstName` → `FIRST_NAME`: the last name of the path, in capitals. */
const screaming = (field: string) =>
  (field.split('.').at(-1) ?? field).replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();

/** The core's message, and each field it does not already tell of: `insuredItem.price: …`. */
function messageOf(error: CoreError): string {
  const untold = error.fields.filter((f) => !error.message.includes(f.message));
  const named = untold.map((f) => `${f.field}: ${f.message}`).join('; ');
  return named ? `${error.message} (${named})` : error.message;
}

const isTokenEndpoint = (url: string) => url.split('?')[0]!.replace(/\/$/, '').endsWith('/oauth2/token');

/** Ajv's path (`buyer/contact/email`, `querystring:page`) as the field a client reads. */
const wireField = (field: string) => field.replace(/^[a-z]+:/, '').replaceAll('/', '.');

const BaasExceptionHttpResponse = Type.Object(
  {
    timestamp: Type.String({ format: 'date-time' }),
    httpStatusCode: Type.Integer(),
    httpStatusMessage: Type.String(),
    errorCode: Type.String(),
    errorMessage: Type.String(),
    requestMethod: Type.String(),
    requestURI: Type.String(),
  },
  { description: "1.1.0's BaasExceptionHttpResponse (the token endpoint answers OAuth2's error body)" },
);

/** The SocGen dialect's error body; its token endpoint answers OAuth2's (RFC 6749 §5.2). */
export const socgenFormat: ErrorFormat = {
  core(coreError, request) {
    if (isTokenEndpoint(request.url) && coreError.code === 'validation_failed')
      return oauthAnswer(new OAuthError('invalid_request', coreError.message));
    if (isTokenEndpoint(request.url) && coreError.code === 'rate_limited')
      return oauthAnswer(new OAuthError('temporarily_unavailable', coreError.message));
    const error = inWireFields(coreError, socgenField);
    const answer = errorBody(
      request,
      SOCGEN_ERRORS[error.code][0],
      errorCodeOf(coreError, error),
      messageOf(error),
    );
    return error.code === 'unauthenticated'
      ? { ...answer, headers: { 'www-authenticate': 'Bearer' } }
      : answer;
  },
  own: (error) => (error instanceof OAuthError ? oauthAnswer(error) : undefined),
  refused(refused, request) {
    if (isTokenEndpoint(request.url)) return oauthAnswer(new OAuthError('invalid_request', refused.detail));
    const first = refused.fields[0];
    const field = first ? wireField(first.field) : undefined;
    const errorCode =
      refused.code !== 'validation_failed'
        ? refused.code.toUpperCase()
        : !field || field === 'body'
          ? 'INVALID_BODY'
          : first?.message === 'is required'
            ? `MISSING_${screaming(field)}`
            : first?.message === 'is not a known field'
              ? 'UNKNOWN_FIELD'
              : `INVALID_${screaming(field)}`;
    const message = refused.fields.map((f) => `${wireField(f.field)} ${f.message}`).join('; ');
    return errorBody(request, refused.status, errorCode, message || refused.detail);
  },
  notFound: (request) =>
    errorBody(request, 404, 'ROUTE_NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`),
  internal: (request) =>
    errorBody(
      request,
      500,
      'INTERNAL_ERROR',
      `something went wrong on our side; quote request id ${request.id}`,
    ),
  unavailable: (request) =>
    errorBody(request, 503, 'SERVICE_UNAVAILABLE', 'the service cannot reach its database; retry later'),
  schema: BaasExceptionHttpResponse,
};
