import { Type } from 'typebox';

const strict = { additionalProperties: false } as const;

/** Sitoo's Money: a decimal string with two decimals ("1299.00"). */
const SitooMoney = Type.String({ pattern: '^[-+]?[0-9]+\\.[0-9]{2}$', examples: ['123.00'] });

const StringMap = Type.Record(Type.String(), Type.String());

/** A cart line as the POS sends it. `insurance_options` and `policyholder_info` are read-only (refused). */
const CartItem = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 128 }),
    sku: Type.String({ maxLength: 128 }),
    name: Type.String({ maxLength: 256 }),
    variant_text: Type.Optional(Type.String({ maxLength: 256 })),
    product_group: Type.String({ maxLength: 64 }),
    quantity: Type.Integer({ minimum: 1, maximum: 1000 }),
    total: SitooMoney,
    additional_data: Type.Optional(StringMap),
  },
  strict,
);

/** The POS cart: `POST /sitoo/cart-insurances`. */
export const CartInsuranceBody = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 128 }),
    crm_channel_id: Type.Optional(Type.String({ maxLength: 128 })),
    customer_id: Type.Optional(Type.String({ maxLength: 128 })),
    currency_code: Type.String({ minLength: 3, maxLength: 3 }),
    items: Type.Array(CartItem, { minItems: 1, maxItems: 200 }),
  },
  strict,
);

/** The read-only fields of a CartItem: the server fills them, a client that sends them is refused. */
export const READ_ONLY_ITEM_FIELDS = ['insurance_options', 'policyholder_info'] as const;

const SalesTax = Type.Object({ name: Type.String(), amount: SitooMoney, percentage: Type.Number() });
const CollectionMode = Type.Union([
  Type.Literal('required'),
  Type.Literal('optional'),
  Type.Literal('not-collected'),
]);

const InsuranceOption = Type.Object({
  type: Type.Union([Type.Literal('none'), Type.Literal('insurance')]),
  sku: Type.String(),
  name: Type.String(),
  product_group: Type.String(),
  unit_price: SitooMoney,
  sales_taxes: Type.Array(SalesTax),
  unit_sales_taxes: Type.Array(SalesTax),
  additional_data: Type.Optional(StringMap),
});

export const CartInsuranceResponse = Type.Object({
  id: Type.String(),
  items: Type.Array(
    Type.Object({
      id: Type.String(),
      sku: Type.String(),
      insurance_options: Type.Array(InsuranceOption),
      policyholder_info: Type.Object({
        name: CollectionMode,
        personal_id: CollectionMode,
        address: CollectionMode,
        mobile: CollectionMode,
        email: CollectionMode,
        comment: CollectionMode,
      }),
    }),
  ),
});

export const SitooErrorMessage = Type.Object({
  request_id: Type.String(),
  error_code: Type.String(),
  error_data: Type.Record(Type.String(), Type.String()),
});
