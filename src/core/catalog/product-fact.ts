/**
 * What a shop told us of one of its own products on a product page, remembered per tenant (not per
 * session): carts and orders name the product and nothing more. A product never seen on a product page
 * has no category, so only plans that cover any category can protect it.
 */
export interface ProductFacts {
  productId: string;
  category: string;
  title?: string;
  brand?: string;
  /** Price of one unit, in minor units. */
  price?: { amount: number; currency: string };
  updatedAt: Date;
}
