import type { Static } from 'typebox';
import type { FieldRule, PolicyholderField } from '../../../core/catalog/product.js';
import { divideRounded, fromMajor, toMajorString } from '../../../core/money.js';
import type { OfferItemInput } from '../../../core/offers/create-offer.js';
import type { PricedOffer, PricedOption } from '../../../core/offers/offer.js';
import type { Premium } from '../../../core/pricing/premium.js';
import { SitooError } from './errors.js';
import type { CartInsuranceBody } from './schemas.js';

type Cart = Static<typeof CartInsuranceBody>;

/**
 * Cart lines to core offer items. `total` is the line total incl. VAT after discounts, so the price of
 * one unit (what cover is priced on) is total / quantity; the product group is the category.
 */
export function offerItems(cart: Cart, currency: string): OfferItemInput[] {
  return cart.items.map((line, i) => {
    const total = fromMajor(line.total, currency);
    if (total === undefined || total < 0) {
      throw new SitooError(
        400,
        'field-validation',
        `items/${i}/total must be 0.00 or more in ${currency}`,
        `items/${i}/total`,
      );
    }
    const serial = line.additional_data?.['item-serial'] ?? line.additional_data?.['item-imei'];
    return {
      ref: line.id,
      quantity: line.quantity,
      item: {
        category: line.product_group,
        name: line.variant_text ? `${line.name} (${line.variant_text})` : line.name,
        ...(line.sku ? { sku: line.sku } : {}),
        ...(serial ? { serialNumber: serial } : {}),
        price: { amount: divideRounded(total, line.quantity), currency },
      },
    };
  });
}

/** The option's Sitoo SKU: `<product code>-<term in months>`, e.g. `tech-insurance-12`. */
const optionSku = (o: Pick<PricedOption, 'productCode' | 'termMonths'>) => `${o.productCode}-${o.termMonths}`;

/** The product code and term an option SKU names (split at its last hyphen). */
export function parseOptionSku(sku: string): { productCode: string; termMonths: number } | undefined {
  const match = /^(.+)-(\d{1,3})$/.exec(sku);
  return match ? { productCode: match[1]!, termMonths: Number(match[2]) } : undefined;
}

const NONE_OPTION = {
  type: 'none',
  sku: '0',
  name: 'No Insurance',
  product_group: '',
  unit_price: '0.00',
  sales_taxes: [],
  unit_sales_taxes: [],
} as const;

function salesTaxes(p: Premium) {
  return p.taxes.map((t) => ({
    name: t.name,
    amount: toMajorString(t.amount, p.currency),
    percentage: t.rateBp / 100,
  }));
}

const MODE: Record<FieldRule, 'required' | 'optional' | 'not-collected'> = {
  required: 'required',
  optional: 'optional',
  not_collected: 'not-collected',
};
const STRICTNESS: Record<FieldRule, number> = { not_collected: 0, optional: 1, required: 2 };
/** Sitoo's PolicyHolderInfo names for our policyholder fields. */
const SITOO_FIELD: Record<PolicyholderField, string> = {
  name: 'name',
  personalId: 'personal_id',
  address: 'address',
  phone: 'mobile',
  email: 'email',
  comment: 'comment',
};

/** One collection mode per field for the whole line: the strictest any offered product asks for. */
function policyholderInfo(options: PricedOption[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, name] of Object.entries(SITOO_FIELD) as [PolicyholderField, string][]) {
    let rule: FieldRule = 'not_collected';
    for (const o of options) {
      const r = o.policyholderFields[field];
      if (STRICTNESS[r] > STRICTNESS[rule]) rule = r;
    }
    out[name] = MODE[rule];
  }
  return out;
}

/** The CartInsurance answer: id and each line's id and sku echoed, then its options (none first). */
export function cartJson(cart: Cart, offer: PricedOffer) {
  return {
    id: cart.id,
    items: cart.items.map((line, i) => {
      const options = offer.items[i]?.options ?? [];
      return {
        id: line.id,
        sku: line.sku,
        insurance_options: [
          NONE_OPTION,
          ...options.map((o) => ({
            type: 'insurance' as const,
            sku: optionSku(o),
            name: `${o.termMonths} ${o.termMonths === 1 ? 'Month' : 'Months'}`,
            product_group: o.productName,
            unit_price: toMajorString(o.unitPremium.total, o.unitPremium.currency),
            sales_taxes: salesTaxes(o.unitPremium),
            unit_sales_taxes: salesTaxes(o.unitPremium),
            additional_data: {
              'insurance-period': String(o.termMonths),
              'protego-offer-id': offer.id,
              'protego-option-id': o.id,
            },
          })),
        ],
        policyholder_info: policyholderInfo(options),
      };
    }),
  };
}
