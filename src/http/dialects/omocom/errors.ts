import { Type } from 'typebox';
import { CoreError, type ErrorCode, type FieldError } from '../../../core/errors.js';
import type { Answer } from '../../kit/answer.js';
import type { ErrorFormat } from '../../kit/api.js';
import { type FieldTable, fieldBy, inWireFields } from '../../kit/fields.js';
import { OAuthError, oauthAnswer } from '../../kit/oauth2.js';

/**
 * Every 4xx of the Omocom dialect has one body: `message` says what went wrong, `field` names the
 * first offending field (null when no one field is at fault), `code` is Protego's stable error code,
 * and `errors` lists every offending field.
 */
interface OmocomError {
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
  rate_limited: 429,
} as const satisfies Record<ErrorCode, number>;

function errorBody(code: string, message: string, errors: FieldError[] = []): OmocomError {
  return { message, field: errors[0]?.field ?? null, code, errors };
}

/**
 * The core's domain paths as the fields an Omocom client sent: the insurance's start, the purchase
 * price among its `properties`, the object's category, the user's fields, the product. The dialect's
 * own refusals already name its fields (`InsuranceId`, `properties/0/monetaryValue/amount`) and pass.
 */
const OMOCOM_FIELDS: FieldTable = [
  [/^coverageStart$/, 'insuranceStartDateTime'],
  [/^item\/price(\/.*)?$/, 'properties'],
  [/^item\/category$/, 'objectCategory'],
  [/^item(\/.*)?$/, 'ObjectHandle'],
  [/^policyholder\/firstName$/, 'FirstName'],
  [/^policyholder\/lastName$/, 'LastName'],
  [/^policyholder\/email$/, 'EmailAddress'],
  [/^policyholder\/phone$/, 'PhoneNumber'],
  [/^policyholder\/personalId$/, 'SocialSecurityNumber'],
  [/^policyholder\/address\/postalCode$/, 'ZipCode'],
  [/^policyholder\/address(\/.*)?$/, 'StreetAddress'],
  [/^(productCode|termMonths)$/, 'product'],
  [/^policyId$/, 'InsuranceId'],
  [/^country$/, 'market'],
];
const omocomField = fieldBy(OMOCOM_FIELDS, (path) => path);

function renderCoreError(coreError: CoreError): Answer {
  const error = inWireFields(coreError, omocomField);
  return { status: OMOCOM_STATUS[error.code], body: errorBody(error.code, error.message, error.fields) };
}

export const omocomForbidden = (message: string, field: string): CoreError =>
  new CoreError('forbidden', message, [{ field, message }]);

const OmocomErrorSchema = Type.Object({
  message: Type.String(),
  field: Type.Union([Type.String(), Type.Null()]),
  code: Type.String(),
  errors: Type.Array(Type.Object({ field: Type.String(), message: Type.String() })),
});

const isTokenEndpoint = (url: string) => url.split('?')[0]!.replace(/\/$/, '').endsWith('/oauth2/token');

/** The Omocom dialect's one error body for every refusal; its token endpoint answers OAuth2's. */
export const omocomFormat: ErrorFormat = {
  core(error, request) {
    // Input no column can hold is refused before any handler; on the token endpoint, in OAuth2's words.
    if (isTokenEndpoint(request.url) && error.code === 'validation_failed')
      return oauthAnswer(new OAuthError('invalid_request', error.message));
    if (isTokenEndpoint(request.url) && error.code === 'rate_limited')
      return oauthAnswer(new OAuthError('temporarily_unavailable', error.message));
    const answer = renderCoreError(error);
    return error.code === 'unauthenticated'
      ? { ...answer, headers: { 'www-authenticate': 'Bearer' } }
      : answer;
  },
  own: (error) => (error instanceof OAuthError ? oauthAnswer(error) : undefined),
  refused: (refused, request) =>
    isTokenEndpoint(request.url)
      ? oauthAnswer(new OAuthError('invalid_request', refused.detail))
      : {
          status: refused.status,
          body: errorBody(
            refused.code,
            refused.detail.replaceAll('querystring:', ''),
            refused.fields.map((f) => ({ ...f, field: f.field.replace(/^querystring:/, '') })),
          ),
        },
  notFound: (request) => ({
    status: 404,
    body: errorBody('route_not_found', `no route ${request.method} ${request.url.split('?')[0]}`),
  }),
  internal: (request) => ({
    status: 500,
    body: errorBody('internal_error', `something went wrong on our side; quote request id ${request.id}`),
  }),
  unavailable: () => ({
    status: 503,
    body: errorBody('service_unavailable', 'the service cannot reach its database; retry later'),
  }),
  schema: OmocomErrorSchema,
};
