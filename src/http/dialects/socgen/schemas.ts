import { type Static, Type } from 'typebox';
import { CONSOLIDATED_STATUSES } from './wire.js';

/*
 * Insurance API 1.1.0's request and response bodies. Requests are closed (an unknown field is refused by
 * name, never dropped); patterns and required fields are 1.1.0's, not 1.7.1's stricter ones.
 */

const strict = { additionalProperties: false } as const;
const text = (description?: string) =>
  Type.String({ minLength: 1, maxLength: 255, ...(description ? { description } : {}) });
const longText = Type.String({ minLength: 1, maxLength: 4000 });
const SolutionCode = Type.String({ pattern: '^CI\\w{4}$', description: 'ID of the BaaS product used' });
const Price = Type.Number({ description: 'decimal, major units of the market currency' });
const Uuid = Type.String({ format: 'uuid' });
const DateTime = Type.String({ format: 'date-time' });
const Status = Type.String({ enum: [...CONSOLIDATED_STATUSES] });

export const TokenResponse = Type.Object({
  access_token: Type.String(),
  token_type: Type.Literal('Bearer'),
  expires_in: Type.Integer({ description: 'seconds' }),
  scope: Type.Optional(Type.String()),
});

export const EligibleQuery = Type.Object(
  { buyerBillingCountry: Type.String({ pattern: '^[A-Za-z]{2}$' }) },
  strict,
);

const visuals = {
  visualTitle: Type.Optional(Type.String()),
  visualInformationIcon: Type.String(),
  visualAdditionalInformation: Type.String(),
  visualLegalText: Type.Optional(Type.String()),
  visualTableImage: Type.Optional(Type.String()),
  visualLogo: Type.Optional(Type.String()),
  visualInformationNoticeURL: Type.Optional(Type.String()),
  visualProductTermsURL: Type.Optional(Type.String()),
};

export const SolutionsDTO = Type.Object({
  solutions: Type.Optional(
    Type.Array(
      Type.Object({
        solutionCode: Type.String(),
        familyCode: Type.String(),
        marketCode: Type.String(),
        conditions: Type.String(),
        communicationKit: Type.Object({ solutionCode: Type.String(), ...visuals }),
      }),
    ),
  ),
});

export const CreateItemRequest = Type.Object(
  {
    solutionCode: SolutionCode,
    sku: text(),
    merchantItemId: text(),
    brand: text(),
    model: text(),
    title: Type.String({ minLength: 1, maxLength: 1000 }),
    description: longText,
    characteristics: longText,
    category: text(),
  },
  strict,
);
export const CreateItemResponse = Type.Object({ id: Type.String() });

export const SearchItemInsuranceRequest = Type.Object(
  { solutionCode: SolutionCode, itemId: text(), price: Price },
  strict,
);
export const SearchItemInsuranceResponse = Type.Object({
  itemId: Uuid,
  solutionCode: Type.String(),
  ...visuals,
  insurances: Type.Array(
    Type.Object({ id: Type.String(), price: Type.Number(), description: Type.String() }),
  ),
});
export const NoContent = Type.Null({ description: 'not eligible; no body' });

export const InsuranceQuotationRequest = Type.Object(
  { solutionCode: SolutionCode, itemId: text(), itemPrice: Price, insuranceId: text() },
  strict,
);
export const InsuranceQuotationResponse = Type.Object({
  quoteId: Uuid,
  insurancePrice: Type.Number({ description: 'the price of the insurance' }),
  itemPrice: Type.Number({ description: 'the price of the item, as quoted' }),
  expirationDate: DateTime,
});

const Contact = Type.Object(
  {
    lastName: text(),
    firstName: text(),
    email: Type.String({
      pattern: '^[a-zA-Z0-9_.+-]{1,100}@[a-zA-Z0-9-]{1,50}\\.[a-zA-Z0-9.-]{1,50}$',
    }),
    mobilePhoneNumber: text(),
    phoneNumber: Type.Optional(text()),
  },
  strict,
);
const Address = Type.Object(
  {
    streetNumber: Type.Integer({ minimum: -2147483648, maximum: 2147483647 }),
    streetNumberSuffix: Type.Optional(text()),
    streetName: text(),
    streetNameComplement: Type.Optional(text()),
    zipCode: text(),
    cityName: text(),
    regionName: text(),
    countryCode: Type.String({ pattern: '^[A-Za-z]{2}$' }),
  },
  strict,
);
const Buyer = Type.Object({ contact: Type.Optional(Contact), address: Type.Optional(Address) }, strict);
const InsuredItem = Type.Object(
  {
    id: text(),
    label: Type.String({ minLength: 1, maxLength: 1000 }),
    brandName: text(),
    price: Price,
    currencyCode: Type.String({ pattern: '^[A-Za-z]{3}$' }),
    orderId: text(),
    category: text(),
    sku: Type.Optional(text()),
    insurancePrice: Price,
  },
  strict,
);

export const CreateInsuranceSubscriptionRequest = Type.Object(
  {
    solutionCode: text('ID of the BaaS product used'),
    quoteId: text(),
    insuranceId: text(),
    merchantBasketId: text(),
    merchantBuyerId: text(),
    producerQuoteExpirationDate: Type.String({ format: 'date' }),
    producerQuoteInsurancePrice: Price,
    buyer: Buyer,
    insuredItem: InsuredItem,
  },
  strict,
);
export const CreateInsuranceSubscriptionResponse = Type.Object({
  insuranceSubscriptionId: Type.String(),
  consolidatedStatus: Status,
});

const subscriptionFields = {
  insuranceSubscriptionId: Uuid,
  registrationTimestamp: DateTime,
  lastUpdateTimestamp: DateTime,
  solutionCode: Type.String(),
  marketTypeCode: Type.String(),
  duration: Type.String(),
  merchantBasketId: Type.String(),
  consolidatedStatus: Status,
  producerQuoteInsurancePrice: Type.Number(),
};

export const ListQuery = Type.Object(
  {
    merchantBasketId: Type.Optional(text()),
    merchantGlobalOrderId: Type.Optional(text('the order id of the insured item (1.7.1)')),
    solutionCode: Type.Optional(text('(1.7.1)')),
    page: Type.Integer({ default: 1, minimum: 1 }),
    pageSize: Type.Integer({ default: 20, minimum: 1, maximum: 100 }),
  },
  strict,
);
export const PaginationInsuranceSubscriptionsResponse = Type.Object({
  totalItemCount: Type.Integer(),
  subscriptions: Type.Array(
    Type.Object({
      ...subscriptionFields,
      insuredItemPrice: Type.Number(),
      insuredItemCategory: Type.String(),
    }),
  ),
});

export const SubscriptionParams = Type.Object({ insuranceSubscriptionId: text() }, strict);
export const InsuranceSubscriptionResponse = Type.Object({
  ...subscriptionFields,
  clientId: Uuid,
  thirdPartyReferenceId: Uuid,
  familyCode: Type.String(),
  merchantBuyerId: Type.String(),
  buyer: Buyer,
  insuredItem: InsuredItem,
});

/** 1.7.1's `InsuranceCancellationDTO`; no body at all is taken as `{}`. */
export const CancelRequest = Type.Object({ origin: Type.Optional(text()) }, strict);
export const Cancelled = Type.Null({ description: 'cancelled; no body' });

export type SubscriptionRequest = Static<typeof CreateInsuranceSubscriptionRequest>;
