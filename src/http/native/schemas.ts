import { type Static, Type } from 'typebox';
import { COVERAGE_TYPES } from '../../core/catalog/product.js';
import { CLAIM_STATUSES, CLAIM_TYPES } from '../../core/claims/claim.js';
import { POLICY_STATUSES } from '../../core/policies/policy.js';
import { WEBHOOK_FORMATS } from '../../core/webhooks/endpoint.js';

const strict = { additionalProperties: false } as const;
const Text = (max = 200) => Type.String({ minLength: 1, maxLength: max });
const Timestamp = Type.String({ format: 'date-time', description: 'RFC 3339 date-time' });

export const Money = Type.Object(
  {
    amount: Type.Integer({
      minimum: 0,
      maximum: 1e12,
      description: 'integer count of minor units (öre, cents)',
    }),
    currency: Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217' }),
  },
  strict,
);

const Country = Type.String({ pattern: '^[A-Za-z]{2}$', description: 'ISO 3166 alpha-2' });

const itemProperties = {
  category: Text(100),
  name: Type.Optional(Text()),
  brand: Type.Optional(Text(100)),
  model: Type.Optional(Text(100)),
  sku: Type.Optional(Text(100)),
  serial_number: Type.Optional(Text(100)),
  price: Money,
  purchased_at: Type.Optional(Timestamp),
};
export const Item = Type.Object(itemProperties, strict);

const Address = Type.Object(
  {
    line1: Type.Optional(Text()),
    line2: Type.Optional(Text()),
    postal_code: Type.Optional(Text(20)),
    city: Type.Optional(Text(100)),
    country: Type.Optional(Country),
  },
  strict,
);

export const Policyholder = Type.Object(
  {
    first_name: Type.Optional(Text(100)),
    last_name: Type.Optional(Text(100)),
    email: Type.Optional(Type.String({ format: 'email', maxLength: 254 })),
    phone: Type.Optional(Type.String({ pattern: '^\\+?[0-9 ()-]{5,20}$' })),
    personal_id: Type.Optional(Text(40)),
    address: Type.Optional(Address),
    language: Type.Optional(Type.String({ pattern: '^[a-z]{2}$' })),
    comment: Type.Optional(Text(1000)),
    external_id: Type.Optional(Text(100)),
  },
  strict,
);

const Refs = Type.Record(Type.String({ pattern: '^[a-z_]{1,40}$' }), Type.String({ maxLength: 200 }), {
  // A patterned key is only enforced with this: TypeBox emits patternProperties alone.
  additionalProperties: false,
  maxProperties: 20,
  description: "the merchant's references: order_id, receipt, basket_id, …",
});

export const CreateOfferBody = Type.Object(
  {
    country: Country,
    language: Type.Optional(Type.String({ pattern: '^[a-z]{2}$' })),
    items: Type.Array(
      Type.Object(
        {
          ref: Text(100),
          quantity: Type.Integer({ minimum: 1, maximum: 1000, default: 1 }),
          ...itemProperties,
        },
        strict,
      ),
      { minItems: 1, maxItems: 100 },
    ),
    refs: Type.Optional(Refs),
  },
  strict,
);
export type CreateOfferBody = Static<typeof CreateOfferBody>;

export const CreatePolicyBody = Type.Object(
  {
    offer_id: Type.Optional(Text(60)),
    option_id: Type.Optional(Text(60)),
    product_code: Type.Optional(Text(63)),
    term_months: Type.Optional(Type.Integer({ minimum: 1, maximum: 120 })),
    country: Type.Optional(Country),
    item: Type.Optional(Item),
    policyholder: Policyholder,
    refs: Type.Optional(Refs),
    coverage_start: Type.Optional(Timestamp),
    payment_pending: Type.Optional(Type.Boolean()),
  },
  {
    ...strict,
    description: 'Either offer_id and option_id, or product_code, term_months, country and item.',
  },
);
export type CreatePolicyBody = Static<typeof CreatePolicyBody>;

export const CancelPolicyBody = Type.Object(
  { preview: Type.Optional(Type.Boolean({ default: false })), reason: Type.Optional(Text(200)) },
  strict,
);

export const ListPoliciesQuery = Type.Object(
  {
    order_id: Type.Optional(Text(100)),
    holder_email: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 254,
        description: "the policyholder's e-mail address, in any case",
      }),
    ),
    status: Type.Optional(Type.Union(POLICY_STATUSES.map((s) => Type.Literal(s)))),
    created_from: Type.Optional(Timestamp),
    created_to: Type.Optional(Timestamp),
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
    cursor: Type.Optional(Type.String({ maxLength: 100 })),
  },
  strict,
);

const LineQuantity = Type.Object(
  {
    line_id: Text(100),
    quantity: Type.Integer({ minimum: 1, maximum: 1000 }),
    at: Type.Optional(Timestamp),
  },
  strict,
);

const OrderLine = Type.Object(
  {
    line_id: Text(100),
    quantity: Type.Integer({ minimum: 1, maximum: 1000 }),
    item: Type.Optional(Item),
    protection: Type.Optional(
      Type.Object(
        {
          protects_line_id: Text(100),
          offer_id: Type.Optional(Text(60)),
          option_id: Type.Optional(Text(60)),
          product_code: Type.Optional(Text(63)),
          term_months: Type.Optional(Type.Integer({ minimum: 1, maximum: 120 })),
        },
        strict,
      ),
    ),
  },
  strict,
);

const base = { order_id: Text(100), occurred_at: Type.Optional(Timestamp) };
const OrderEventVariants = Type.Union([
  Type.Object(
    {
      type: Type.Literal('order_placed'),
      ...base,
      country: Country,
      customer: Policyholder,
      lines: Type.Array(OrderLine, { minItems: 1, maxItems: 200 }),
      refs: Type.Optional(Refs),
    },
    strict,
  ),
  Type.Object(
    {
      type: Type.Literal('fulfilled'),
      ...base,
      lines: Type.Array(LineQuantity, { minItems: 1, maxItems: 200 }),
    },
    strict,
  ),
  Type.Object(
    {
      type: Type.Literal('refunded'),
      ...base,
      lines: Type.Array(LineQuantity, { minItems: 1, maxItems: 200 }),
    },
    strict,
  ),
  Type.Object({ type: Type.Literal('cancelled'), ...base }, strict),
]);
/** One branch per event type, picked by `type`, so errors name the fields of that type only. */
export const OrderEventBody = Type.Unsafe<Static<typeof OrderEventVariants>>({
  type: 'object',
  required: ['type'],
  discriminator: { propertyName: 'type' },
  oneOf: OrderEventVariants.anyOf,
});
export type OrderEventBody = Static<typeof OrderEventVariants>;

export const IdParams = Type.Object({ id: Text(60) }, strict);

// Responses: documented in OpenAPI, and the serializer sends exactly these fields.
const Tax = Type.Object({ name: Type.String(), rate_bp: Type.Integer(), amount: Type.Integer() });
const PremiumSchema = Type.Object({
  currency: Type.String(),
  net: Type.Integer(),
  tax: Type.Integer(),
  total: Type.Integer({ description: 'what the customer pays, taxes included' }),
  taxes: Type.Array(Tax),
});

export const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) =>
  Type.Union([t, Type.Null()]);

export const PolicySchema = Type.Object({
  id: Type.String(),
  object: Type.Literal('policy'),
  mode: Type.String(),
  status: Type.String({ enum: [...POLICY_STATUSES] }),
  product_code: Type.String(),
  term_months: Type.Integer(),
  country: Type.String(),
  language: Type.String(),
  policyholder: Policyholder,
  item: Item,
  premium: PremiumSchema,
  cover_start: Type.String({ enum: ['at_binding', 'at_fulfilment'] }),
  coverage_start: Nullable(Type.String()),
  coverage_end: Nullable(Type.String()),
  bound_at: Nullable(Type.String()),
  offer_id: Nullable(Type.String()),
  option_id: Nullable(Type.String()),
  refs: Type.Record(Type.String(), Type.String()),
  refund: Nullable(Type.Object({ amount: Type.Integer(), currency: Type.String() })),
  renewal_of: Nullable(Type.String({ description: 'the policy whose next term this is' })),
  renewed_by: Nullable(
    Type.String({ description: 'the policy of the next term, once a renewal was confirmed' }),
  ),
  renewal_opt_out: Type.Boolean({ description: 'the customer declined renewal' }),
  created_at: Type.String(),
  updated_at: Type.String(),
});

export const OfferSchema = Type.Object({
  id: Type.String(),
  object: Type.Literal('offer'),
  mode: Type.String(),
  country: Type.String(),
  currency: Type.String(),
  language: Type.String(),
  created_at: Type.String(),
  expires_at: Type.String(),
  refs: Type.Record(Type.String(), Type.String()),
  items: Type.Array(
    Type.Object({
      ref: Type.String(),
      quantity: Type.Integer(),
      item: Item,
      options: Type.Array(
        Type.Object({
          id: Type.String(),
          product_code: Type.String(),
          product_name: Type.String(),
          coverage: Type.String({ enum: [...COVERAGE_TYPES] }),
          term_months: Type.Integer(),
          unit_premium: PremiumSchema,
          premium: PremiumSchema,
          policyholder_fields: Type.Record(Type.String(), Type.String()),
          documents: Type.Record(Type.String(), Type.String()),
        }),
      ),
    }),
  ),
});

export const PolicyListSchema = Type.Object({
  object: Type.Literal('list'),
  data: Type.Array(PolicySchema),
  next_cursor: Nullable(Type.String()),
});

/** One row of a policy's or a claim's history. */
const HistoryEventSchema = Type.Object({
  id: Type.String(),
  type: Type.String(),
  from_status: Nullable(Type.String()),
  to_status: Type.String(),
  occurred_at: Type.String(),
  data: Type.Record(Type.String(), Type.Unknown(), { description: 'what the change was, by type' }),
});

export const HistorySchema = Type.Object({
  object: Type.Literal('list'),
  data: Type.Array(HistoryEventSchema),
});

const MoneyOut = Type.Object({ amount: Type.Integer(), currency: Type.String() });

export const CancellationSchema = Type.Object({
  object: Type.Literal('cancellation'),
  preview: Type.Boolean({ description: 'true: nothing changed, this is what cancelling now would do' }),
  outcome: Type.String({ enum: ['cancelled', 'voided'] }),
  refund: MoneyOut,
  rule: Type.String({ description: 'which refund rule applied: cooling_off, pro_rata, …' }),
  cooling_off_ends_at: Nullable(Type.String()),
  remaining_days: Type.Integer(),
  total_days: Type.Integer(),
  policy: PolicySchema,
  cancellation_id: Nullable(
    Type.String({ description: 'a preview: confirm it at POST …/cancellations/{cancellation_id}/confirm' }),
  ),
  expires_at: Nullable(Type.String({ description: 'a preview: when its refund stops being held' })),
});

export const CancellationParams = Type.Object({ id: Text(60), cancellation_id: Text(60) }, strict);

export const OrderEventResultSchema = Type.Object({
  object: Type.Literal('order_event'),
  id: Type.String(),
  type: Type.String({ enum: ['order_placed', 'fulfilled', 'refunded', 'cancelled'] }),
  order_id: Type.String(),
  occurred_at: Type.String(),
  policies: Type.Array(PolicySchema, { description: 'the policies the event bound, started or ended' }),
});

export const AttachmentSchema = Type.Object({
  id: Type.String(),
  object: Type.Literal('claim_attachment'),
  claim_id: Type.String(),
  filename: Type.String(),
  content_type: Type.String(),
  size: Type.Integer({ description: 'bytes' }),
  created_at: Type.String(),
});

export const ClaimSchema = Type.Object({
  id: Type.String(),
  object: Type.Literal('claim'),
  mode: Type.String(),
  policy_id: Type.String(),
  status: Type.String({ enum: [...CLAIM_STATUSES] }),
  type: Type.String({ enum: [...CLAIM_TYPES] }),
  incident_date: Type.String({ format: 'date' }),
  description: Type.String(),
  claimed_amount: MoneyOut,
  approved_amount: Nullable(MoneyOut),
  paid_amount: Nullable(MoneyOut),
  denial_reason: Nullable(Type.String()),
  attachments: Type.Array(AttachmentSchema),
  created_at: Type.String(),
  updated_at: Type.String(),
});

export const ClaimListSchema = Type.Object({
  object: Type.Literal('list'),
  data: Type.Array(ClaimSchema),
  next_cursor: Nullable(Type.String()),
});

/** A claim's file, sent back as it was uploaded (the JSON serializer never sees it). */
export const FileDownload = {
  description: 'the file, with the content type it was uploaded with, as an attachment',
  content: { '*/*': { schema: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }) } },
};

export const WebhookEndpointSchema = Type.Object({
  id: Type.String(),
  object: Type.Literal('webhook_endpoint'),
  mode: Type.String(),
  url: Type.String(),
  event_types: Type.Array(Type.String()),
  format: Type.String({ enum: [...WEBHOOK_FORMATS] }),
  description: Nullable(Type.String()),
  enabled: Type.Boolean(),
  created_at: Type.String(),
  updated_at: Type.String(),
  secret: Type.Optional(
    Type.String({ description: 'the whsec_ signing secret: only when it was made (create, rotate)' }),
  ),
});

export const WebhookEndpointListSchema = Type.Object({
  object: Type.Literal('list'),
  data: Type.Array(WebhookEndpointSchema),
});

export const DeliverySchema = Type.Object({
  id: Type.String(),
  object: Type.Literal('webhook_delivery'),
  event_id: Nullable(Type.String()),
  endpoint_id: Nullable(Type.String()),
  status: Type.String({ enum: ['pending', 'done', 'dead'] }),
  attempts: Type.Integer(),
  max_attempts: Type.Integer(),
  next_attempt_at: Nullable(Type.String()),
  last_error: Nullable(Type.String()),
  created_at: Type.String(),
  finished_at: Nullable(Type.String()),
  log: Type.Array(
    Type.Object({
      attempt: Type.Integer(),
      at: Type.String(),
      outcome: Type.String({ enum: ['succeeded', 'retrying', 'dead'] }),
      response_status: Nullable(Type.Integer()),
      latency_ms: Type.Integer(),
      error: Nullable(Type.String()),
    }),
  ),
});

export const DeliveryListSchema = Type.Object({
  object: Type.Literal('list'),
  data: Type.Array(DeliverySchema),
});
