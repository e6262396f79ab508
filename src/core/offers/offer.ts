import type { CoverageType, FieldRule, PolicyholderField } from '../catalog/product.js';
import type { Mode } from '../partners/partner.js';
import type { InsuredItem } from '../policies/policy.js';
import type { Premium } from '../pricing/premium.js';

/**
 * One priced way to protect an item, a product and a term, as an offer is stored: what binding needs
 * to honour the price shown, and no copy of the catalog (the product is read when binding).
 */
export interface OfferOption {
  id: string;
  productCode: string;
  termMonths: number;
  /** Price of cover for one unit of the item. */
  unitPremium: Premium;
}

/** An option as it is answered when priced: the stored option and what the catalog says of its product. */
export interface PricedOption extends OfferOption {
  productName: string;
  coverage: CoverageType;
  /** Price for every unit of the item (unit premium × quantity). */
  premium: Premium;
  policyholderFields: Record<PolicyholderField, FieldRule>;
  documents: { termsUrl?: string; ipidUrl?: string };
}

export interface OfferItem<O extends OfferOption = OfferOption> {
  /** The merchant's reference for the item or cart line. */
  ref: string;
  item: InsuredItem;
  quantity: number;
  /** Empty when nothing the partner sells covers the item. */
  options: O[];
}

/** Priced options for one item or a whole cart, valid until `expiresAt`. */
export interface Offer<O extends OfferOption = OfferOption> {
  id: string;
  partnerId: string;
  mode: Mode;
  country: string;
  currency: string;
  language: string;
  items: OfferItem<O>[];
  refs: Record<string, string>;
  createdAt: Date;
  expiresAt: Date;
  /** Set when the customer declined every option (opt-out), for conversion reporting. */
  declinedAt: Date | null;
}

/** An offer as priced, with each option's product described (what an answer shows). */
export type PricedOffer = Offer<PricedOption>;

export function findOption(
  offer: Offer,
  optionId: string,
): { item: OfferItem; option: OfferOption } | undefined {
  for (const item of offer.items) {
    const option = item.options.find((o) => o.id === optionId);
    if (option) return { item, option };
  }
  return undefined;
}
