import { type Static, type TSchema, Type } from 'typebox';
import { POLICY_STATUSES } from '../../../core/policies/policy.js';

// Requests. Objects are open: a client's fields beyond the guide's are kept and shown back.

const Text = (max = 500) => Type.String({ maxLength: max });
const Required = (max = 500) => Type.String({ minLength: 1, maxLength: max });

export const MarketParams = Type.Object({
  platform: Required(100),
  market: Required(10),
});
export const HandleParams = Type.Object({
  platform: Required(100),
  market: Required(10),
  handle: Required(100),
});

export const UserBody = Type.Object({
  MarketName: Type.Optional(Text(10)),
  UserId: Required(200),
  FirstName: Required(200),
  LastName: Required(200),
  SocialSecurityNumber: Type.Optional(Type.Object({ SSN: Required(40), Country: Type.Optional(Text(2)) })),
  PhoneNumber: Type.Optional(Text(40)),
  StreetAddress: Type.Optional(Text()),
  ZipCode: Type.Optional(Text(20)),
  City: Type.Optional(Text(200)),
  CountryCode: Type.Optional(Text(2)),
  EmailAddress: Type.Optional(Type.String({ maxLength: 320, pattern: '^[^@\\s]+@[^@\\s]+$' })),
  Culture: Type.Optional(Text(20)),
});
export type UserBody = Static<typeof UserBody>;

// Query strings are closed: a filter, page size or sort the route does not apply is refused, not ignored.
const closed = { additionalProperties: false } as const;

export const FindQuery = Type.Object(
  {
    UserId: Type.Optional(Required(200)),
    EmailAddress: Type.Optional(Required(320)),
    SocialSecurityNumber: Type.Optional(Required(40)),
  },
  closed,
);

/** The query string of a route that takes no parameters: nothing. */
export const NoQuery = Type.Object({}, closed);

const NameValue = Type.Object({ name: Required(100), value: Type.Optional(Text(1000)) });

export const ObjectBody = Type.Object({
  objectId: Type.Optional(Text(200)),
  objectCategory: Required(100),
  ownerHandle: Required(100),
  shortDescription: Type.Optional(Text()),
  description: Type.Optional(Text(2000)),
  ExternalProperties: Type.Optional(Type.Array(NameValue, { maxItems: 100 })),
});
export type ObjectBody = Static<typeof ObjectBody>;

// The insurance body is closed at its top: what it is not shown back or kept, so an unknown field (a
// misspelt `insuranceEndDate`) is refused rather than dropped. Its properties are kept as sent.
export const InsuranceBody = Type.Object(
  {
    product: Required(200),
    insuranceStartDateTime: Required(40),
    insuranceEndDateTime: Type.Optional(Text(40)),
    counterpartHandle: Required(100),
    properties: Type.Array(
      Type.Object({
        name: Required(100),
        value: Type.Optional(Type.Union([Text(1000), Type.Null()])),
        monetaryValue: Type.Optional(
          Type.Union([
            Type.Object({
              amount: Type.Number({ minimum: 0 }),
              currency: Type.String({ pattern: '^[A-Za-z]{3}$' }),
            }),
            Type.Null(),
          ]),
        ),
      }),
      { maxItems: 100 },
    ),
  },
  closed,
);
export type InsuranceBody = Static<typeof InsuranceBody>;

/** The guide's accept body is `[]` (nothing in it is applied, so nothing is taken); no body is the same. */
export const AcceptBody = Type.Union([Type.Array(Type.Unknown(), { maxItems: 0 }), Type.Null()]);

/** An optional reason, kept in the policy's history; no body at all is none. */
export const CancelBody = Type.Union([
  Type.Object({ reason: Type.Optional(Type.String({ maxLength: 500 })) }, closed),
  Type.Null(),
]);

// Responses. Every field is declared, or the serializer would drop it. Where a client's own object
// is shown back (a user, an object, the insurance's properties), the fields it sent beyond the
// guide's are kept as sent: those objects alone allow more properties.

/** Client-sent objects shown back as they were stored, fields beyond the guide's included. */
const echoed = { additionalProperties: true } as const;
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Instant = Type.String({ format: 'date-time' });

export const TokenResponse = Type.Object({
  access_token: Type.String(),
  token_type: Type.Literal('Bearer'),
  expires_in: Type.Integer({ description: 'seconds' }),
  scope: Type.Optional(Type.String()),
});

export const User = Type.Object(
  {
    handle: Type.String(),
    MarketName: Type.String(),
    UserId: Type.String(),
    FirstName: Type.String(),
    LastName: Type.String(),
    SocialSecurityNumber: Type.Optional(
      Type.Object({
        SSN: Type.String({ description: 'all but the last four digits hidden' }),
        Country: Type.Optional(Type.String()),
      }),
    ),
    PhoneNumber: Type.Optional(Type.String()),
    StreetAddress: Type.Optional(Type.String()),
    ZipCode: Type.Optional(Type.String()),
    City: Type.Optional(Type.String()),
    CountryCode: Type.Optional(Type.String()),
    EmailAddress: Type.Optional(Type.String()),
    Culture: Type.Optional(Type.String()),
    createdDateTime: Instant,
  },
  echoed,
);

export const InsurableObject = Type.Object(
  {
    handle: Type.String(),
    objectId: Type.String(),
    objectCategory: Type.String(),
    ownerHandle: Type.String(),
    shortDescription: Type.Optional(Type.String()),
    description: Type.Optional(Type.String()),
    ExternalProperties: Type.Optional(
      Type.Array(Type.Object({ name: Type.String(), value: Type.Optional(Type.String()) }, echoed)),
    ),
    createdDateTime: Instant,
  },
  echoed,
);

/** Amounts in major units, as the client sent them (`8500.5`). */
const OmocomMoney = Type.Object({ amount: Type.Number(), currency: Type.String() });

/** The states of an insurance in Omocom's words. */
export const INSURANCE_STATUSES = [
  'Quote',
  'PendingPayment',
  'Accepted',
  'Active',
  'Expired',
  'Cancelled',
  'Voided',
] as const;

const insuranceProperties = {
  insuranceId: Type.String(),
  status: Type.Enum(INSURANCE_STATUSES),
  state: Type.Enum(POLICY_STATUSES),
  product: Type.String({ description: 'the product name the client asked for' }),
  productCode: Type.String(),
  objectHandle: Type.String(),
  ownerHandle: Type.String(),
  insuranceStartDateTime: Nullable(Type.String({ description: "in the client's UTC offset" })),
  insuranceEndDateTime: Nullable(Type.String({ description: "in the client's UTC offset" })),
  termMonths: Type.Integer(),
  price: OmocomMoney,
  priceQuote: Type.Object({ net: OmocomMoney, tax: OmocomMoney, total: OmocomMoney }),
  quoteExpiresDateTime: Nullable(Instant),
  acceptedDateTime: Nullable(Instant),
  properties: Type.Array(
    Type.Object(
      {
        name: Type.String(),
        value: Type.Optional(Nullable(Type.String())),
        monetaryValue: Type.Optional(Nullable(Type.Object(OmocomMoney.properties, echoed))),
      },
      echoed,
    ),
  ),
  refund: Nullable(OmocomMoney),
  createdDateTime: Instant,
};

export const Insurance = Type.Object(insuranceProperties);

export const CancelledInsurance = Type.Object({
  ...insuranceProperties,
  refund: OmocomMoney,
  refundRule: Type.String({ description: 'why the refund is what it is: cooling_off, pro_rata…' }),
});
