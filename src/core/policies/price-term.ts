import { checkEligibility } from '../catalog/eligibility.js';
import type { Product } from '../catalog/product.js';
import { CoreError } from '../errors.js';
import { type Premium, pricePremium } from '../pricing/premium.js';
import type { InsuredItem } from './policy.js';

/** One term of cover for an item under the product's current rates, or not_eligible naming the field. */
export function priceTerm(product: Product, country: string, termMonths: number, item: InsuredItem): Premium {
  const eligibility = checkEligibility(product, country, item.category, item.price);
  if (!eligibility.eligible) {
    throw new CoreError('not_eligible', `${product.code} does not cover this item (${eligibility.reason})`, [
      {
        field: eligibilityField(eligibility.reason),
        message: `not eligible for ${product.code}: ${eligibility.reason.replace('_', ' ')}`,
      },
    ]);
  }
  if (!eligibility.market.rates[String(termMonths)]) {
    throw new CoreError('not_eligible', `${product.code} is no longer sold for ${termMonths} months`, [
      { field: 'termMonths', message: `no rate table for the ${termMonths}-month term` },
    ]);
  }
  const premium = pricePremium(product, eligibility.market, termMonths, item.price.amount);
  if (!premium) {
    throw new CoreError('not_eligible', `no price for this item in ${product.code}`, [
      { field: 'item/price/amount', message: 'outside the rate table' },
    ]);
  }
  return premium;
}

/** The input field an ineligible item is refused on. */
function eligibilityField(reason: string): string {
  if (reason === 'category') return 'item/category';
  if (reason === 'market') return 'country';
  if (reason === 'currency') return 'item/price/currency';
  return 'item/price/amount';
}
