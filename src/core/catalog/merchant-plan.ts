/**
 * A plan as the shop sells it: an item of the shop's own catalog (`merchantProductId`, Hakuna's
 * `pl-prd-hakuna`) that stands for one of our products in one term. One id per partner, product and
 * term; the shop's cart and order lines are recognised as plans by it.
 */
export interface MerchantPlan {
  merchantProductId: string;
  productCode: string;
  termMonths: number;
  createdAt: Date;
}
