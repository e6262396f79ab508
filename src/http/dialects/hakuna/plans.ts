import { plansForProduct } from '../../../core/catalog/plans-for-product.js';
import type { App } from '../../context.js';
import type { Kit } from '../../kit/api.js';
import { PlansQuery, PlansResponse } from './schemas.js';
import { plansJson } from './wire.js';

/** The product page: which plans to offer next to a product. */
export async function planRoutes(app: App, kit: Kit): Promise<void> {
  app.get(
    '/products/plans',
    {
      schema: {
        summary: 'Plans for a product page (Hakuna)',
        description:
          "The shop's plans that cover the product, in the market the partner answers the currency from, priced for one unit in minor units. The product's category, brand, title and price are remembered for its cart and order lines. Nothing eligible: `plans: []`.",
        tags: ['hakuna'],
        querystring: PlansQuery,
        response: { 200: PlansResponse },
      },
    },
    async (request, reply) => {
      const q = request.query;
      return kit.write(request, reply, async (deps) => {
        const found = await plansForProduct(deps, request.tenant, {
          productId: q.product_id,
          category: q.category,
          ...(q.title !== undefined ? { title: q.title } : {}),
          ...(q.brand !== undefined ? { brand: q.brand } : {}),
          price: { amount: q.price_amount, currency: q.price_currency },
        });
        return { status: 200, body: plansJson(q, found) };
      });
    },
  );
}
