import { type TSchema, Type } from 'typebox';

/*
 * What XCover's answers carry, as wire.ts, the route files and the recorded traffic write them. Fastify
 * serializes with these schemas and drops any property they do not declare, so every field of an answer
 * is here with its JSON type; only free-form parts (errors, extra fields) are open objects.
 */

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Text = Type.String();
const NullableText = Nullable(Text);
/** Free-form: nested field errors, a client's extra fields. */
const Open = Type.Record(Type.String(), Type.Unknown());
/** Always empty here, where XCover may list surcharges. */
const Empty = Type.Object({}, { additionalProperties: false });

/**
 * An amount as XCover shows it: `{price: 2.01, price_formatted: "£2.01"}`. The wire code names amounts
 * at run time (`f.pair('price', …)`), so TypeScript cannot see them in its answers: the pair is in the
 * JSON schema, which is what serializes and documents, and left out of the static type.
 */
function money(name: string): Record<never, never> {
  return {
    [name]: Type.Number({ description: 'major units of the currency' }),
    [`${name}_formatted`]: Type.String({ description: "for the customer, in the package's language" }),
  };
}

/** XCover's statuses of quotes, bookings and packages. */
const Status = Type.Unsafe<string>({
  type: 'string',
  enum: [
    'RECEIVED',
    'CONFIRMED',
    'CANCELLED',
    'DELETED',
    'PENDING_PAYMENT',
    'FAILED',
    'RENEWED',
    'OPTED_OUT',
  ],
});

const Tax = Type.Object({
  ...money('total_tax'),
  ...money('total_amount_without_tax'),
  taxes: Type.Array(Type.Object({ tax_amount: Type.Number(), tax_code: Text, tax_amount_formatted: Text })),
});

const Commission = Type.Object({
  ...money('partner_commission'),
  ...money('surcharge_commission'),
  ...money('total_commission'),
});

const PolicyBlock = Type.Object({
  policy_type: Text,
  policy_type_group_name: Text,
  policy_name: Text,
  policy_code: Text,
  policy_version: Text,
  category: Text,
  content: Type.Object({
    title: Text,
    header: NullableText,
    description: Text,
    optout_msg: Text,
    disclaimer: Text,
  }),
  underwriter: Type.Object({ disclaimer: Text, name: Text }),
  claim_selector_id: Text,
});

const Benefit = Type.Object({
  description: Text,
  ...money('limit'),
  ...money('limit_policy_currency'),
  ...money('excess'),
  ...money('excess_policy_currency'),
});

/** Policy dates read `2021-10-01T00:29:29+00:00`; other times are ISO 8601 in UTC. */
const PolicyDate = Nullable(Type.String({ description: 'ISO 8601' }));

/** What every quote's answer carries, booked or not. */
const quoteFields = {
  id: Text,
  policy_start_date: PolicyDate,
  policy_end_date: PolicyDate,
  status: Status,
  ...money('price'),
  policy: PolicyBlock,
  insured: Type.Null(),
  tax: Tax,
  duration: Nullable(Type.String({ description: "the term as Python's timedelta prints it: `9 13:14:46`" })),
  benefits: Type.Array(Benefit),
  commission: Commission,
  created_at: NullableText,
  confirmed_at: NullableText,
  updated_at: NullableText,
  cancelled_at: NullableText,
  is_renewable: Type.Boolean(),
  is_pricebeat_enabled: Nullable(Type.Boolean()),
  ...money('cover_amount'),
  pds_url: NullableText,
  attachments: Type.Array(Type.Unknown()),
  files: Type.Array(Type.Unknown()),
  extra_fields: Open,
  surcharge: Type.Object({
    total_amount: Nullable(Type.Number()),
    total_amount_formatted: NullableText,
    surcharges: Nullable(Type.Array(Type.Unknown())),
  }),
  // A change's answer shows each quote's price difference.
  price_diff: Type.Optional(Type.Number()),
  price_diff_formatted: Type.Optional(Text),
};

/** A quote of a package, with the instalment plans it can be paid by. */
const PackageQuoteResponse = Type.Object({
  ...quoteFields,
  ...money('discount_price'),
  ...money('discount_amount'),
  instalment_plans: Type.Array(
    Type.Object({ name: Text, label: Text, amount: Type.Number(), first_instalment_amount: Type.Number() }),
  ),
});

/** A booked quote, with its next term once a renewal was confirmed. */
const BookingQuoteResponse = Type.Object({
  ...quoteFields,
  next_renewal: Nullable(
    Type.Object({
      status: Status,
      policy_start_date: PolicyDate,
      policy_end_date: PolicyDate,
      ...money('price'),
    }),
  ),
  can_be_cancelled: Type.Boolean(),
});

export const QuotePackageResponse = Type.Object(
  {
    id: Nullable(Type.String({ description: 'null for a fast quote, which is not stored' })),
    status: Status,
    currency: Text,
    ...money('total_price'),
    partner_transaction_id: NullableText,
    created_at: Text,
    updated_at: Text,
    pds_url: NullableText,
    security_token: NullableText,
    quotes: Type.Record(Type.String({ pattern: '^[0-9]+$' }), PackageQuoteResponse, {
      description: 'the quotes by their index in the package',
    }),
    bundle_code: NullableText,
    ...money('bundle_price'),
    bundle_content: Open,
    bundle_discount_percent: Type.Number(),
    ...money('bundle_discount_amount'),
    errors: Type.Record(Type.String(), Type.Unknown(), {
      description: 'the requests that could not be quoted, by index, with their field errors',
    }),
  },
  { description: 'A quote package' },
);

const PolicyholderResponse = Type.Object({
  first_name: NullableText,
  middle_name: NullableText,
  last_name: NullableText,
  email: NullableText,
  phone: NullableText,
  country: NullableText,
  age: Nullable(Type.Integer()),
  address1: NullableText,
  address2: NullableText,
  city: NullableText,
  postcode: NullableText,
  region: NullableText,
  secondary_email: NullableText,
  birth_date: NullableText,
  company: NullableText,
  allow_updates: Type.Boolean(),
});

const Coi = Type.Object({
  url: Type.String({ description: 'the certificate, with the security token' }),
  pdf: Type.String({ description: 'the certificate as a PDF' }),
});

const Partner = Type.Object({ id: Text, slug: Text, name: Text, title: Text });

export const BookingResponse = Type.Object(
  {
    id: Text,
    status: Status,
    currency: Text,
    ...money('total_price'),
    partner_transaction_id: NullableText,
    created_at: Text,
    updated_at: Text,
    pds_url: NullableText,
    security_token: Text,
    quotes: Type.Array(BookingQuoteResponse),
    coi: Coi,
    account_url: NullableText,
    policyholder: PolicyholderResponse,
    ...money('total_tax'),
    ...money('total_premium'),
    // GET bookings/{id}/
    partner: Type.Optional(Partner),
    customer_language: Type.Optional(Text),
    // Changes: a priced change names its id, an applied one its price differences.
    total_price_diff: Type.Optional(Type.Number()),
    total_price_diff_formatted: Type.Optional(Text),
    update_id: Type.Optional(Type.String({ description: 'confirm it with confirm_update/{update_id}/' })),
    renewal_id: Type.Optional(
      Type.String({ description: 'confirm it with renewals/{id}/confirm/{renewal_id}/' }),
    ),
  },
  { description: 'A booking' },
);

export const BookingListResponse = Type.Object(
  {
    count: Type.Integer(),
    next: NullableText,
    previous: NullableText,
    results: Type.Array(BookingResponse),
  },
  { description: 'A page of bookings, newest first, with links to the next and previous pages' },
);

const CancelledQuote = Type.Object({
  id: Text,
  policy_start_date: NullableText,
  policy_end_date: NullableText,
  policy_cancellation_date: Nullable(Type.String({ description: 'null in a preview' })),
  policy_coolingoff_date: NullableText,
  status: Status,
  ...money('price'),
  ...money('refund_value'),
  ...money('adjustment_fee'),
  refund_rule: Type.String({ description: 'why this refund: cooling_off, pro_rata, not_started, …' }),
  policy: PolicyBlock,
  insured: Type.Null(),
  created_at: Text,
  confirmed_at: NullableText,
  updated_at: Text,
  cancelled_at: NullableText,
  commission: Type.Null(),
});

export const CancellationResponse = Type.Object(
  {
    id: Text,
    status: Status,
    quotes: Type.Array(CancelledQuote),
    policyholder: PolicyholderResponse,
    pds_url: NullableText,
    coi: Coi,
    created_at: Text,
    updated_at: Text,
    ...money('total_price'),
    ...money('total_refund'),
    ...money('total_tax'),
    ...money('total_premium'),
    currency: Text,
    cancellation_id: Nullable(
      Type.String({ description: 'a preview: confirm it with confirm_cancellation/{cancellation_id}/' }),
    ),
    confirm_before: NullableText,
    partner: Partner,
  },
  {
    description: 'The cancelled quotes with their refunds, or in a preview the refunds a cancellation gives',
  },
);

/** Amounts of a schedule's taxes are decimal strings, as XCover writes them. */
const Instalment = Type.Object({
  id: Text,
  number: Type.Integer(),
  quote: Text,
  period_start_date: NullableText,
  period_end_date: NullableText,
  status: Type.String({ description: 'UNPAID, PAID, FAILED or CANCELLED' }),
  commission: Type.Number(),
  total_amount: Type.Number(),
  tax: Type.Object({
    taxes: Type.Array(
      Type.Object({
        tax_code: Text,
        tax_type: Text,
        tax_label: Text,
        tax_value: Text,
        tax_amount: Text,
        tax_amount_formatted: Text,
      }),
    ),
    total_tax: Text,
    total_tax_formatted: Text,
    total_amount_without_tax: Text,
    total_amount_without_tax_formatted: Text,
  }),
  surcharges: Empty,
  payment_failures: Nullable(Type.Array(Type.Object({ attempted_at: NullableText }))),
});

export const InstalmentsResponse = Type.Object(
  {
    quotes: Type.Array(
      Type.Object({
        id: Text,
        instalment_plan: Text,
        next_payment: Nullable(Instalment),
        paid_until: NullableText,
        payment_schedule: Type.Array(Instalment),
        ...money('total_amount_paid'),
        ...money('total_amount_due'),
      }),
    ),
    currency: Text,
  },
  { description: 'The payment schedule of each quote booked with an instalment plan' },
);

/** An answer without a body. */
export const NoContent = (description: string) => Type.Null({ description });

/** The certificate of insurance behind a `coi` link. */
export const PdfResponse = {
  description: 'the certificate of insurance',
  content: { 'application/pdf': { schema: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }) } },
};
