import { type Static, Type } from 'typebox';
import { COVERAGE_TYPES, type CoverageType, POLICYHOLDER_FIELDS } from '../../core/catalog/product.js';
import { type SnakeCase, snakeCase } from '../kit/case.js';
import { ClaimSchema, Nullable } from '../native/schemas.js';

const strict = { additionalProperties: false } as const;
const Minor = Type.Integer({ minimum: 0, maximum: 1e12, description: 'minor units' });

const MarketBody = Type.Object(
  {
    country: Type.String({ pattern: '^[A-Z]{2}$' }),
    currency: Type.String({ pattern: '^[A-Z]{3}$' }),
    language: Type.String({ pattern: '^[a-z]{2}$' }),
  },
  strict,
);

export const CreatePartnerBody = Type.Object(
  {
    code: Type.String({
      pattern: '^[a-z0-9][a-z0-9_-]{1,62}$',
      description: 'used in URLs: /omocom/v1.3/{code}/…',
    }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    markets: Type.Array(MarketBody, { minItems: 1, maxItems: 50 }),
  },
  strict,
);

const Mode = Type.Union([Type.Literal('test'), Type.Literal('live')]);

export const CredentialsBody = Type.Object({ mode: Mode }, strict);

export const PublishableKeyBody = Type.Object(
  {
    mode: Mode,
    allowed_origins: Type.Array(Type.String({ maxLength: 300 }), {
      minItems: 1,
      maxItems: 20,
      description: 'the origins of the shop pages the offer widget runs on, e.g. https://shop.example',
    }),
  },
  strict,
);

/** Which of a partner's data an operator's request is about: live unless `mode=test`. */
export const ModeQuery = Type.Object({ mode: Type.Union(Mode.anyOf, { default: 'live' }) }, strict);

export const EnableProductBody = Type.Object(
  {
    commission_bp: Type.Integer({
      minimum: 0,
      maximum: 10_000,
      default: 0,
      description: 'basis points of premium',
    }),
  },
  strict,
);

const RateTable = Type.Union([
  Type.Object(
    {
      type: Type.Literal('bands'),
      bands: Type.Array(Type.Object({ up_to: Minor, premium: Minor }, strict), {
        minItems: 1,
        maxItems: 100,
      }),
    },
    strict,
  ),
  Type.Object(
    {
      type: Type.Literal('percentage'),
      rate_bp: Type.Integer({ minimum: 0, maximum: 10_000 }),
      min: Minor,
      max: Minor,
    },
    strict,
  ),
]);

const FieldRule = Type.Union([
  Type.Literal('required'),
  Type.Literal('optional'),
  Type.Literal('not_collected'),
]);

export const ProductBody = Type.Object(
  {
    code: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{1,62}$' }),
    name: Type.Record(
      Type.String({ pattern: '^[a-z]{2}$' }),
      Type.String({ minLength: 1, maxLength: 200 }),
      strict,
    ),
    coverage: Type.Unsafe<CoverageType>(Type.Union(COVERAGE_TYPES.map((c) => Type.Literal(c)))),
    terms: Type.Array(Type.Integer({ minimum: 1, maximum: 120 }), { minItems: 1, maxItems: 10 }),
    renewable: Type.Boolean(),
    cover_start: Type.Union([Type.Literal('at_binding'), Type.Literal('at_fulfilment')]),
    categories: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 200 }),
    markets: Type.Array(
      Type.Object(
        {
          country: Type.String({ pattern: '^[A-Z]{2}$' }),
          currency: Type.String({ pattern: '^[A-Z]{3}$' }),
          item_price: Type.Object({ min: Minor, max: Minor }, strict),
          rates: Type.Record(Type.String({ pattern: '^[0-9]{1,3}$' }), RateTable, strict),
          taxes: Type.Array(
            Type.Object(
              {
                name: Type.String({ minLength: 1, maxLength: 100 }),
                rate_bp: Type.Integer({ minimum: 0, maximum: 10_000 }),
                mode: Type.Union([Type.Literal('included'), Type.Literal('added')]),
              },
              strict,
            ),
            { maxItems: 10 },
          ),
        },
        strict,
      ),
      { minItems: 1, maxItems: 100 },
    ),
    policyholder_fields: Type.Object(
      Object.fromEntries(POLICYHOLDER_FIELDS.map((f) => [snakeCase(f), FieldRule])) as Record<
        SnakeCase<(typeof POLICYHOLDER_FIELDS)[number]>,
        typeof FieldRule
      >,
      strict,
    ),
    cancellation: Type.Object(
      {
        cooling_off_days: Type.Integer({ minimum: 0, maximum: 365 }),
        after_cooling_off: Type.Union([Type.Literal('pro_rata'), Type.Literal('none')]),
        after_paid_claim: Type.Union([Type.Literal('none'), Type.Literal('pro_rata')]),
      },
      strict,
    ),
    rounding: Type.Union([Type.Literal('half_even'), Type.Literal('half_up')]),
    cover_limit: Type.Record(Type.String({ pattern: '^[A-Z]{3}$' }), Minor, strict),
    documents: Type.Object(
      {
        terms_url: Type.Optional(Type.String({ format: 'uri', maxLength: 500 })),
        ipid_url: Type.Optional(Type.String({ format: 'uri', maxLength: 500 })),
      },
      strict,
    ),
    display: Type.Optional(
      Type.Record(
        Type.String({ pattern: '^[A-Z]{2}$', description: 'a market country of the product' }),
        Type.Record(
          Type.String({ pattern: '^[a-z]{2}$', description: 'ISO 639-1 language' }),
          Type.Object(
            {
              title: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
              description: Type.Optional(Type.String({ maxLength: 2000 })),
              icon_url: Type.Optional(Type.String({ format: 'uri', maxLength: 500 })),
              conditions_url: Type.Optional(Type.String({ format: 'uri', maxLength: 500 })),
              notice_url: Type.Optional(Type.String({ format: 'uri', maxLength: 500 })),
              terms_url: Type.Optional(Type.String({ format: 'uri', maxLength: 500 })),
              details_url: Type.Optional(Type.String({ format: 'uri', maxLength: 500 })),
            },
            strict,
          ),
          strict,
        ),
        { ...strict, description: 'What shops show per market and language; name and documents otherwise.' },
      ),
    ),
    instalment_plans: Type.Optional(
      Type.Array(
        Type.Object(
          {
            name: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$' }),
            label: Type.String({ minLength: 1, maxLength: 100 }),
            period_months: Type.Integer({ minimum: 1, maximum: 120 }),
          },
          strict,
        ),
        { maxItems: 10 },
      ),
    ),
    instalments_lapse_after_days: Type.Optional(Type.Integer({ minimum: 0, maximum: 365 })),
  },
  strict,
);
export type ProductBody = Static<typeof ProductBody>;

export const CodeParams = Type.Object({ code: Type.String({ minLength: 1, maxLength: 63 }) }, strict);
export const CredentialSetParams = Type.Object(
  {
    code: Type.String({ minLength: 1, maxLength: 63 }),
    set_id: Type.String({ minLength: 1, maxLength: 63, description: 'the set_id of the credentials' }),
  },
  strict,
);
export const PartnerProductParams = Type.Object(
  {
    code: Type.String({ minLength: 1, maxLength: 63 }),
    product_code: Type.String({ minLength: 1, maxLength: 63 }),
  },
  strict,
);

// Responses: documented in OpenAPI, and the serializer sends exactly these fields.

export const ProductListSchema = Type.Object({
  object: Type.Literal('list'),
  data: Type.Array(ProductBody),
});

const Timestamp = Type.String({ format: 'date-time' });

export const PartnerSchema = Type.Object({
  id: Type.String(),
  object: Type.Literal('partner'),
  code: Type.String(),
  name: Type.String(),
  markets: Type.Array(
    Type.Object({ country: Type.String(), currency: Type.String(), language: Type.String() }),
  ),
  counterpart_handle: Type.String({
    description: "Omocom's counterpart identity for the partner's web shops",
  }),
  created_at: Timestamp,
  products: Type.Array(
    Type.Object({ product_code: Type.String(), commission_bp: Type.Integer(), enabled_at: Timestamp }),
  ),
  credentials: Type.Array(
    Type.Object(
      {
        id: Type.String(),
        kind: Type.String({ enum: ['api_key', 'oauth_client', 'hmac_key', 'publishable_key'] }),
        mode: Type.String(),
        public_id: Type.Optional(
          Type.String({ description: 'the OAuth client id, HMAC key id or publishable key' }),
        ),
        allowed_origins: Type.Optional(Type.Array(Type.String())),
        set_id: Type.String({ description: 'the set it was issued in, revoked together' }),
        created_at: Timestamp,
        revoked_at: Nullable(
          Type.String({ format: 'date-time', description: 'when its set was revoked; null while in use' }),
        ),
      },
      { description: 'the public halves only: secrets are shown once, when they are made' },
    ),
  ),
});

export const PartnerListSchema = Type.Object({
  object: Type.Literal('list'),
  data: Type.Array(PartnerSchema),
});

export const IssuedCredentialsSchema = Type.Object({
  object: Type.Literal('credentials'),
  partner: Type.String({ description: 'the partner code' }),
  set_id: Type.String({ description: 'names the set: POST …/credentials/{set_id}/revoke revokes it' }),
  mode: Type.String(),
  api_key: Type.String(),
  oauth: Type.Object({ client_id: Type.String(), client_secret: Type.String() }),
  hmac: Type.Object({ key_id: Type.String(), secret: Type.String() }),
});

export const PublishableKeySchema = Type.Object({
  object: Type.Literal('publishable_key'),
  partner: Type.String({ description: 'the partner code' }),
  set_id: Type.String({ description: 'POST …/credentials/{set_id}/revoke revokes it' }),
  mode: Type.String(),
  publishable_key: Type.String({ description: 'pk_test_… or pk_live_…: public, for the offer widget' }),
  allowed_origins: Type.Array(Type.String()),
});

/** The operator sees whose claim it is. */
export const AdminClaimSchema = Type.Object({ ...ClaimSchema.properties, partner_id: Type.String() });

export const AdminClaimListSchema = Type.Object({
  object: Type.Literal('list'),
  data: Type.Array(AdminClaimSchema),
  next_cursor: Nullable(Type.String()),
});

export const StoreSchema = Type.Object({
  object: Type.Literal('store'),
  external_id: Type.String(),
  country: Type.String(),
  currency: Type.String(),
  created_at: Timestamp,
});

export const StoreListSchema = Type.Object({ object: Type.Literal('list'), data: Type.Array(StoreSchema) });

export const NoContent = Type.Null({ description: 'done; no body' });
