import { ADMIN_API } from '../../core/catalog/product-change.js';
import { putProduct } from '../../core/catalog/put-product.js';
import { CoreError, notFound } from '../../core/errors.js';
import type { App } from '../context.js';
import type { Kit } from '../kit/api.js';
import { CodeParams, ProductBody, ProductListSchema } from './schemas.js';
import { productJson, toProduct } from './wire.js';

export async function productRoutes(app: App, kit: Kit): Promise<void> {
  const tags = ['admin: products'];
  app.get(
    '/products',
    { schema: { summary: 'The catalog', tags, response: { 200: ProductListSchema } } },
    async () => ({
      object: 'list' as const,
      data: (await app.protego.db.read.products.list()).map(productJson),
    }),
  );

  app.get(
    '/products/:code',
    { schema: { summary: 'Get a product', tags, params: CodeParams, response: { 200: ProductBody } } },
    async (request) => {
      const product = await app.protego.db.read.products.get(request.params.code);
      if (!product) throw notFound(`product ${request.params.code}`, 'code');
      return productJson(product);
    },
  );

  app.put(
    '/products/:code',
    {
      schema: {
        summary: 'Create or replace a product',
        description:
          'Eligibility, terms, a rate table per market and term (price bands or a share of the item price), taxes per market, policyholder fields, cooling-off and refund rules, documents.',
        tags,
        params: CodeParams,
        body: ProductBody,
        response: { 200: ProductBody },
      },
    },
    async (request, reply) =>
      kit.write(request, reply, async (deps) => {
        if (request.body.code !== request.params.code) {
          throw new CoreError('validation_failed', 'the code in the body differs from the path', [
            { field: 'code', message: `must be ${request.params.code}, as in the path` },
          ]);
        }
        return { status: 200, body: productJson(await putProduct(deps, toProduct(request.body), ADMIN_API)) };
      }),
  );
}
