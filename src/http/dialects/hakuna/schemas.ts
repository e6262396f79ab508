import { type Static, Type } from 'typebox';

const strict = { additionalProperties: false } as const;
const Text = (maxLength: number) => Type.String({ minLength: 1, maxLength });
/** Minor units, as the guide sends them: 112900 is 1,129.00. */
const Amount = Type.Integer({ minimum: 0, maximum: 100_000_000_000 });
/** ISO 4217, lower case in the guide; upper case is taken too. */
const Currency = Type.String({ pattern: '^[A-Za-z]{3}$', examples: ['eur'] });
const Timestamp = Type.String({ format: 'date-time' });
const Quantity = Type.Integer({ minimum: 1, maximum: 1000 });

// --- Product page ---

export const PlansQuery = Type.Object(
  {
    product_id: Text(128),
    category: Text(128),
    title: Type.Optional(Type.String({ maxLength: 256 })),
    brand: Type.Optional(Type.String({ maxLength: 128 })),
    price_amount: Amount,
    price_currency: Currency,
    user_session_id: Type.Optional(Type.String({ maxLength: 128 })),
  },
  strict,
);
export type PlansQuery = Static<typeof PlansQuery>;

const Plan = Type.Object({
  merchant_product_id: Type.String(),
  price_amount: Type.Integer(),
  price_currency: Type.String(),
  product_reference: Type.String(),
  title: Type.Record(Type.String(), Type.String(), { description: 'by language' }),
  insurance_details_url: Type.Optional(Type.String()),
});

export const PlansResponse = Type.Object({
  product: Type.Object({
    id: Type.String(),
    category: Type.String(),
    title: Type.Optional(Type.String()),
    brand: Type.Optional(Type.String()),
    price_amount: Type.Integer(),
    price_currency: Type.String(),
  }),
  plans: Type.Array(Plan),
});

// --- Cart ---

const CustomProperties = Type.Object(
  { product_reference: Type.Optional(Text(128)) },
  { additionalProperties: Type.String({ maxLength: 1000 }) },
);

const CartLineItem = Type.Object(
  {
    id: Text(128),
    quantity: Quantity,
    price_amount: Type.Optional(Amount),
    product_id: Text(128),
    product_title: Type.Optional(Type.String({ maxLength: 256 })),
    product_brand: Type.Optional(Type.String({ maxLength: 128 })),
    custom_properties: Type.Optional(CustomProperties),
  },
  strict,
);
export type CartLineItem = Static<typeof CartLineItem>;

export const CartBody = Type.Object(
  {
    cart_id: Text(128),
    user_session_id: Text(128),
    cart_currency: Currency,
    line_items: Type.Array(CartLineItem, { maxItems: 200 }),
  },
  strict,
);
export type CartBody = Static<typeof CartBody>;

const CartAction = Type.Object({
  type: Type.Union([Type.Literal('update_line_item'), Type.Literal('remove_line_item')]),
  payload: Type.Object({
    line_item_id: Type.String(),
    line_item_quantity: Type.Optional(Type.Integer()),
  }),
});

export const CartResponse = Type.Object({
  cart_id: Type.String(),
  user_session_id: Type.String(),
  actions: Type.Array(CartAction),
});

export const CartParams = Type.Object({ cart_id: Text(128) }, strict);
export const SessionQuery = Type.Object({ user_session_id: Text(128) }, strict);

export const PlanConnectionsResponse = Type.Object({
  cart_id: Type.String(),
  plan_connections: Type.Array(
    Type.Object({ product_line_item_id: Type.String(), plan_line_item_id: Type.String() }),
  ),
});

// --- Checkout ---

export const CheckoutBody = Type.Object(
  { cart_id: Text(128), user_session_id: Text(128), order_id: Text(128) },
  strict,
);
export const CheckoutResponse = Type.Object({
  cart_id: Type.String(),
  user_session_id: Type.String(),
  order_id: Type.String(),
});

// --- ERP order events ---

const OrderLineItem = Type.Object(
  {
    id: Text(128),
    quantity: Quantity,
    price_amount: Amount,
    product_id: Text(128),
    product_title: Type.Optional(Type.String({ maxLength: 256 })),
    product_brand: Type.Optional(Type.String({ maxLength: 128 })),
    custom_properties: Type.Optional(CustomProperties),
  },
  strict,
);
export type OrderLineItem = Static<typeof OrderLineItem>;

const Address = Type.Object(
  {
    address_line_1: Type.Optional(Type.String({ maxLength: 256 })),
    address_line_2: Type.Optional(Type.String({ maxLength: 256 })),
    city: Type.Optional(Type.String({ maxLength: 128 })),
    country: Type.Optional(Type.String({ pattern: '^[A-Za-z]{2}$' })),
    zip: Type.Optional(Type.String({ maxLength: 32 })),
  },
  strict,
);

const Customer = Type.Object(
  {
    first_name: Type.Optional(Type.String({ maxLength: 128 })),
    last_name: Type.Optional(Type.String({ maxLength: 128 })),
    email: Type.Optional(Type.String({ format: 'email', maxLength: 254 })),
  },
  strict,
);

const FulfilledLine = Type.Object(
  { line_item_id: Text(128), quantity: Quantity, fulfilled_at: Type.Optional(Timestamp) },
  strict,
);
const RefundedLine = Type.Object(
  { line_item_id: Text(128), quantity: Quantity, refunded_at: Type.Optional(Timestamp) },
  strict,
);

const EventVariants = Type.Union([
  Type.Object(
    {
      type: Type.Literal('order_placed'),
      payload: Type.Object(
        {
          order_id: Text(128),
          placed_at: Type.Optional(Timestamp),
          order_currency: Currency,
          cart_id: Type.Optional(Text(128)),
          customer: Customer,
          customer_billing_address: Type.Optional(Address),
          line_items: Type.Array(OrderLineItem, { minItems: 1, maxItems: 200 }),
        },
        strict,
      ),
    },
    strict,
  ),
  Type.Object(
    {
      type: Type.Literal('order_fulfillment_added'),
      payload: Type.Object(
        {
          order_id: Text(128),
          fulfillment_line_items: Type.Array(FulfilledLine, { minItems: 1, maxItems: 200 }),
        },
        strict,
      ),
    },
    strict,
  ),
  Type.Object(
    {
      type: Type.Literal('order_refund_added'),
      payload: Type.Object(
        {
          order_id: Text(128),
          refund_line_items: Type.Array(RefundedLine, { minItems: 1, maxItems: 200 }),
        },
        strict,
      ),
    },
    strict,
  ),
  Type.Object(
    {
      type: Type.Literal('order_cancelled'),
      payload: Type.Object({ order_id: Text(128), cancelled_at: Type.Optional(Timestamp) }, strict),
    },
    strict,
  ),
]);
/** One branch per event type, picked by `type`, so errors name the fields of that type only. */
export const EventBody = Type.Unsafe<Static<typeof EventVariants>>({
  type: 'object',
  required: ['type', 'payload'],
  discriminator: { propertyName: 'type' },
  oneOf: EventVariants.anyOf,
});
export type EventBody = Static<typeof EventVariants>;
export type PlacedPayload = Extract<EventBody, { type: 'order_placed' }>['payload'];

export const EventResponse = Type.Object({ event_id: Type.String() });

// --- Errors ---

export const HakunaErrorBody = Type.Object({
  error: Type.Object({
    error_code: Type.String(),
    message: Type.String(),
    validation_errors: Type.Array(Type.Object({ field: Type.String(), message: Type.String() })),
  }),
});
