import { type Static, Type } from 'typebox';

/** Strings a client may leave null, as XCover's own examples do (`"region": null`). */
const OptText = Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()]));
const DateTimeText = Type.String({ minLength: 10, maxLength: 40 });

/** The protected item, as a retail quote names it. */
const itemFields = {
  name: OptText,
  price: Type.Number({ minimum: 0 }),
  category: OptText,
  brand: OptText,
  model: OptText,
  sku: OptText,
  serial_number: OptText,
  purchase_date: Type.Optional(Type.Union([DateTimeText, Type.Null()])),
};

const Product = Type.Object(itemFields, { additionalProperties: false });

/** The same fields, each optional: flat on a quote request, or as corrections of a booked item. */
const optionalItemFields = {
  name: OptText,
  price: Type.Optional(Type.Number({ minimum: 0 })),
  category: OptText,
  brand: OptText,
  model: OptText,
  sku: OptText,
  serial_number: OptText,
  purchase_date: Type.Optional(Type.Union([DateTimeText, Type.Null()])),
};

/**
 * One policy of a quote package: `policy_type` is a catalog product code, the item comes as
 * `products: [{…}]` (one product per policy) or as the same fields flat on the entry.
 */
export const QuoteRequest = Type.Object(
  {
    policy_type: Type.String({ minLength: 1, maxLength: 100 }),
    policy_type_version: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
    policy_start_date: Type.Optional(DateTimeText),
    policy_end_date: Type.Optional(Type.Union([DateTimeText, Type.Null()])),
    products: Type.Optional(Type.Array(Product, { minItems: 1, maxItems: 1 })),
    ...optionalItemFields,
    extra_fields: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { additionalProperties: false },
);
export type QuoteRequest = Static<typeof QuoteRequest>;

const Currency = Type.String({ minLength: 3, maxLength: 3 });
const Country = Type.String({ minLength: 2, maxLength: 2 });
const Language = Type.String({ minLength: 2, maxLength: 10 });
const packageFields = {
  currency: Currency,
  customer_country: Country,
  customer_region: OptText,
  customer_language: Type.Optional(Language),
  partner_transaction_id: OptText,
};

export const QuotePackageBody = Type.Object(
  { request: Type.Array(QuoteRequest, { minItems: 1, maxItems: 50 }), ...packageFields },
  { additionalProperties: false },
);
export type QuotePackageBody = Static<typeof QuotePackageBody>;

export const AddQuotesBody = Type.Object(
  { request: Type.Array(QuoteRequest, { minItems: 1, maxItems: 50 }) },
  { additionalProperties: false },
);

/** PATCH quotes/{id}/: package fields, and quotes changed by `quote_id` (any request field but the type). */
export const UpdatePackageBody = Type.Object(
  {
    currency: Type.Optional(Currency),
    customer_country: Type.Optional(Country),
    customer_region: OptText,
    customer_language: Type.Optional(Language),
    partner_transaction_id: OptText,
    request: Type.Optional(
      Type.Array(
        Type.Object(
          {
            quote_id: Type.String({ minLength: 1, maxLength: 64 }),
            policy_type_version: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
            policy_start_date: Type.Optional(DateTimeText),
            policy_end_date: Type.Optional(Type.Union([DateTimeText, Type.Null()])),
            products: Type.Optional(Type.Array(Product, { minItems: 1, maxItems: 1 })),
            ...optionalItemFields,
            extra_fields: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
          },
          { additionalProperties: false },
        ),
        { maxItems: 50 },
      ),
    ),
  },
  { additionalProperties: false },
);
export type UpdatePackageBody = Static<typeof UpdatePackageBody>;

export const QuoteIdList = Type.Array(
  Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false }),
  { minItems: 1, maxItems: 50 },
);

export const Policyholder = Type.Object(
  {
    first_name: OptText,
    middle_name: OptText,
    last_name: OptText,
    email: OptText,
    secondary_email: OptText,
    phone: OptText,
    country: OptText,
    region: OptText,
    city: OptText,
    postcode: OptText,
    address1: OptText,
    address2: OptText,
    company: OptText,
    birth_date: OptText,
    age: Type.Optional(Type.Union([Type.Integer({ minimum: 0, maximum: 150 }), Type.Null()])),
    allow_updates: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type Policyholder = Static<typeof Policyholder>;

export const BookingBody = Type.Object(
  {
    quotes: Type.Array(
      Type.Object(
        {
          id: Type.String({ minLength: 1, maxLength: 64 }),
          instalment_plan: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
          insured: Type.Optional(Type.Unknown()),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 50 },
    ),
    policyholder: Policyholder,
    require_payment_confirmation: Type.Optional(Type.Boolean()),
    partner_transaction_id: OptText,
    customer_language: Type.Optional(Type.String({ minLength: 2, maxLength: 10 })),
  },
  { additionalProperties: false },
);
export type BookingBody = Static<typeof BookingBody>;

export const InstantBookingBody = Type.Object(
  {
    request: Type.Array(QuoteRequest, { minItems: 1, maxItems: 50 }),
    policyholder: Policyholder,
    require_payment_confirmation: Type.Optional(Type.Boolean()),
    currency: Currency,
    customer_country: Type.Optional(Country),
    customer_region: OptText,
    customer_language: Type.Optional(Language),
    partner_transaction_id: OptText,
  },
  { additionalProperties: false },
);
export type InstantBookingBody = Static<typeof InstantBookingBody>;

const UpdateFields = Type.Object(optionalItemFields, { additionalProperties: false });

/** PATCH bookings/{id}/ and quote_for_update: the policyholder, and item corrections per quote. */
export const BookingUpdateBody = Type.Object(
  {
    // Every field is optional already; an unknown one is refused as POST refuses it.
    policyholder: Type.Optional(Type.Partial(Policyholder, { additionalProperties: false })),
    quotes: Type.Optional(
      Type.Array(
        Type.Object(
          { id: Type.String({ minLength: 1, maxLength: 64 }), update_fields: UpdateFields },
          { additionalProperties: false },
        ),
        { minItems: 1, maxItems: 50 },
      ),
    ),
  },
  { additionalProperties: false },
);
export type BookingUpdateBody = Static<typeof BookingUpdateBody>;

/** POST bookings/{id}/cancel: a preview changes nothing; `quotes` cancels some policies, not all. */
export const CancelBody = Type.Union([
  Type.Null(),
  Type.Object(
    {
      preview: Type.Optional(Type.Boolean()),
      quotes: Type.Optional(QuoteIdList),
      reason: Type.Optional(Type.String({ maxLength: 500 })),
    },
    { additionalProperties: false },
  ),
]);
export type CancelBody = Static<typeof CancelBody>;

export const EmailBody = Type.Union([
  Type.Null(),
  Type.Object(
    {
      event: Type.Optional(
        Type.Union([Type.Literal('BOOKING_CONFIRMED'), Type.Literal('BOOKING_CANCELLED')]),
      ),
    },
    { additionalProperties: false },
  ),
]);

export const PaymentsBody = Type.Object(
  {
    quotes: Type.Array(
      Type.Object(
        {
          id: Type.String({ minLength: 1, maxLength: 64 }),
          instalment_number: Type.Integer({ minimum: 1, maximum: 600 }),
          payment_status: Type.Union([Type.Literal('PAID'), Type.Literal('FAILED')]),
          payment_attempted_date: Type.Optional(DateTimeText),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 50 },
    ),
  },
  { additionalProperties: false },
);
export type PaymentsBody = Static<typeof PaymentsBody>;

/** Bodies of actions that take none: the python client sends `null`, others `{}`. */
export const NoBody = Type.Union([Type.Null(), Type.Object({}, { additionalProperties: false })]);

export const RenewalBody = Type.Union([
  Type.Null(),
  Type.Object({ quotes: Type.Optional(QuoteIdList) }, { additionalProperties: false }),
]);

export const PackageParams = Type.Object({
  partner: Type.String({ maxLength: 100 }),
  id: Type.String({ maxLength: 64 }),
});
export const PartnerParams = Type.Object({ partner: Type.String({ maxLength: 100 }) });
/** The statuses a booking can show, by which GET bookings/ filters. */
const BOOKING_STATUSES = ['CONFIRMED', 'PENDING_PAYMENT', 'CANCELLED', 'RENEWED'] as const;

/** GET bookings/: a page, optionally of one status. Any other parameter is refused, not ignored. */
export const ListQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000, default: 0 })),
    status: Type.Optional(Type.Union(BOOKING_STATUSES.map((s) => Type.Literal(s)))),
  },
  { additionalProperties: false },
);
