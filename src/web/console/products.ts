import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Product } from '../../core/catalog/product.js';
import { productHistory, putProduct } from '../../core/catalog/put-product.js';
import { isCoreError, notFound } from '../../core/errors.js';
import { coreDeps } from '../../http/context.js';
import { write } from '../kit/write.js';
import type { ConsoleContext } from './context.js';
import { type Form, renamed } from './form.js';
import { productEditView, productFromForm } from './product-form.js';
import { fieldErrors, page, statusOf } from './render.js';
import { operatorOnly } from './scope.js';

type CodeParams = { Params: { code: string } };

/** The insurer's catalog: its products, their rate tables and rules, edited through the core's `putProduct`. */
export async function productPages(ctx: ConsoleContext): Promise<void> {
  const { app } = ctx;
  const services = app.protego;
  const repos = services.db.read;

  const requireProduct = async (code: string): Promise<Product> => {
    const product = await repos.products.get(code);
    if (!product) throw notFound(`product ${code}`);
    return product;
  };

  const editForm = (
    request: FastifyRequest,
    reply: FastifyReply,
    product: Product,
    form?: Form,
    errors: Record<string, string> = {},
    status = 200,
  ) =>
    page(
      ctx,
      request,
      reply,
      'product-edit',
      {
        title: `Edit ${product.name.en ?? product.code}`,
        product,
        form: productEditView(product, form, errors),
      },
      status,
    );

  app.get('/products', { schema: { hide: true } }, async (request, reply) => {
    operatorOnly(request.consoleUser);
    return page(ctx, request, reply, 'products', {
      title: 'Products',
      products: await repos.products.list(),
    });
  });

  app.get<CodeParams & { Querystring: { saved?: string } }>(
    '/products/:code',
    { schema: { hide: true } },
    async (request, reply) => {
      operatorOnly(request.consoleUser);
      const product = await requireProduct(request.params.code);
      const history = await productHistory(coreDeps(services, repos), product.code);
      return page(ctx, request, reply, 'product', {
        title: product.name.en ?? product.code,
        product,
        history,
        saved: request.query.saved === '1',
      });
    },
  );

  app.get<CodeParams>('/products/:code/edit', { schema: { hide: true } }, async (request, reply) => {
    operatorOnly(request.consoleUser);
    return editForm(request, reply, await requireProduct(request.params.code));
  });

  app.post<CodeParams & { Body: Form }>(
    '/products/:code',
    { schema: { hide: true } },
    async (request, reply) => {
      const user = request.consoleUser;
      operatorOnly(user);
      const stored = await requireProduct(request.params.code);
      const form = { ...request.body };
      try {
        const { product, formPath } = productFromForm(stored, form);
        await write(services, (deps) =>
          putProduct(deps, product, { userId: user!.id, name: user!.email }),
        ).catch((error: unknown) => {
          throw renamed(error, formPath);
        });
      } catch (error) {
        if (!isCoreError(error)) throw error;
        const errors = fieldErrors(error);
        if (Object.keys(errors).length === 0) errors._form = error.message;
        return editForm(request, reply, stored, form, errors, statusOf(error));
      }
      return reply.redirect(`/console/products/${encodeURIComponent(stored.code)}?saved=1`, 303);
    },
  );
}
