import type { FastifyReply, FastifyRequest } from 'fastify';
import { invalid, isCoreError, notFound } from '../../core/errors.js';
import { fromMajor } from '../../core/money.js';
import { createOffer, describeOffer } from '../../core/offers/create-offer.js';
import type { PricedOffer } from '../../core/offers/offer.js';
import type { Mode, Partner, Tenant } from '../../core/partners/partner.js';
import { bindPolicy } from '../../core/policies/bind-policy.js';
import type { Policyholder } from '../../core/policies/policy.js';
import type { Repositories } from '../../core/ports.js';
import { coreDeps } from '../../http/context.js';
import { write } from '../kit/write.js';
import type { ConsoleContext } from './context.js';
import { fieldErrors, page, statusOf } from './render.js';
import { partnersOf } from './scope.js';

type Form = Record<string, string | undefined>;

/** The form's names for the core's field paths, so each problem shows beside the field that has it. */
const FORM_FIELD: [RegExp, string][] = [
  [/^country$/, 'market'],
  [/^items\/0\/(item\/)?price/, 'price'],
  [/^items\/0\/(item\/)?category/, 'category'],
  [/^items\/0\/(item\/)?name/, 'item_name'],
  [/^policyholder\/firstName/, 'first_name'],
  [/^policyholder\/lastName/, 'last_name'],
  [/^policyholder\/email/, 'email'],
  [/^policyholder\/phone/, 'phone'],
  [/^policyholder\/address/, 'address_line1'],
  [/^policyholder\/personalId/, 'personal_id'],
  [/^(offerId|optionId)$/, 'option_id'],
];

function formErrors(error: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [path, message] of Object.entries(fieldErrors(error))) {
    const name = FORM_FIELD.find(([re]) => re.test(path))?.[1] ?? '_form';
    out[name] ??= message;
  }
  if (isCoreError(error) && Object.keys(out).length === 0) out._form = error.message;
  return out;
}

const MODES: Mode[] = ['live', 'test'];

/** The partner and mode a sale is for, among those the user may sell for. */
async function saleTenant(repos: Repositories, request: FastifyRequest, form: Form) {
  const partners = await partnersOf(repos, request.consoleUser!);
  const partner = partners.find((p) => p.code === form.partner);
  if (!partner) throw notFound(`partner ${form.partner ?? ''}`, 'partner');
  const mode = MODES.find((m) => m === form.mode);
  if (!mode) throw invalid('mode', 'live or test');
  return { partner, tenant: { partnerId: partner.id, mode } satisfies Tenant };
}

async function marketsAndProducts(repos: Repositories, partners: Partner[]) {
  return Promise.all(
    partners.map(async (partner) => ({
      partner,
      products: (await repos.products.listEnabled(partner.id)).map((e) => e.product),
    })),
  );
}

export async function sellPages(ctx: ConsoleContext): Promise<void> {
  const { app } = ctx;
  const repos = app.protego.db.read;

  const itemForm = async (
    request: FastifyRequest,
    reply: FastifyReply,
    form: Form,
    errors: Record<string, string> = {},
    status = 200,
  ) => {
    const sellers = await marketsAndProducts(repos, await partnersOf(repos, request.consoleUser!));
    const categories = [...new Set(sellers.flatMap((s) => s.products.flatMap((p) => p.categories)))].sort();
    return page(
      ctx,
      request,
      reply,
      'sell',
      { title: 'In-store sale', sellers, categories, form, errors },
      status,
    );
  };

  const optionsForm = async (
    request: FastifyRequest,
    reply: FastifyReply,
    offer: PricedOffer,
    form: Form,
    errors: Record<string, string> = {},
    status = 200,
  ) => {
    const chosen = form.product;
    const options = (offer.items[0]?.options ?? []).filter((o) => !chosen || o.productCode === chosen);
    return page(
      ctx,
      request,
      reply,
      'sell-options',
      { title: 'Choose the protection', offer, options, form, errors },
      status,
    );
  };

  app.get<{ Querystring: Form }>('/sell', { schema: { hide: true } }, (request, reply) =>
    itemForm(request, reply, { mode: 'live', ...request.query }),
  );

  app.post<{ Body: Form }>('/sell/offer', { schema: { hide: true } }, async (request, reply) => {
    const form = { ...request.body };
    try {
      const [partnerCode, country] = (form.market ?? '').split('|');
      form.partner = partnerCode;
      const { partner, tenant } = await saleTenant(repos, request, form);
      const market = partner.markets.find((m) => m.country === country);
      if (!market) throw invalid('country', 'choose one of the partner’s markets');
      const amount = fromMajor(form.price ?? '', market.currency);
      if (amount === undefined || amount <= 0)
        throw invalid('items/0/price', `a positive amount in ${market.currency}, like 1299.00`);
      const category = (form.category ?? '').trim();
      if (!category) throw invalid('items/0/category', 'the kind of item, like Smartphone');
      const name = (form.item_name ?? '').trim();
      const offer = await write(app.protego, (deps) =>
        createOffer(deps, tenant, {
          country: market.country,
          items: [
            {
              ref: 'item-1',
              quantity: 1,
              item: { category, ...(name ? { name } : {}), price: { amount, currency: market.currency } },
            },
          ],
          refs: form.store ? { storeId: form.store } : {},
        }),
      );
      return optionsForm(request, reply, offer, form);
    } catch (error) {
      if (!isCoreError(error)) throw error;
      return itemForm(request, reply, form, formErrors(error), statusOf(error));
    }
  });

  app.post<{ Body: Form }>('/sell/bind', { schema: { hide: true } }, async (request, reply) => {
    const form = { ...request.body };
    const { tenant } = await saleTenant(repos, request, form);
    const offer = await repos.offers.get(tenant, form.offer_id ?? '');
    if (!offer) throw notFound('offer');
    try {
      if (!form.option_id) throw invalid('optionId', 'choose one of the options');
      const policy = await write(app.protego, (deps) =>
        bindPolicy(deps, tenant, {
          source: { offerId: offer.id, optionId: form.option_id! },
          policyholder: holderOf(form),
          refs: {
            ...(offer.refs.storeId ? { storeId: offer.refs.storeId } : {}),
            ...(form.receipt ? { receipt: form.receipt } : {}),
          },
        }),
      );
      return reply.redirect(`/console/policies/${policy.id}?sold=1`, 303);
    } catch (error) {
      if (!isCoreError(error)) throw error;
      const described = await describeOffer(coreDeps(app.protego, repos), offer);
      return optionsForm(request, reply, described, form, formErrors(error), statusOf(error));
    }
  });
}

function holderOf(form: Form): Policyholder {
  const text = (name: string) => {
    const v = form[name]?.trim();
    return v ? v : undefined;
  };
  const address = {
    ...(text('address_line1') ? { line1: text('address_line1') } : {}),
    ...(text('postal_code') ? { postalCode: text('postal_code') } : {}),
    ...(text('city') ? { city: text('city') } : {}),
  };
  return Object.fromEntries(
    Object.entries({
      firstName: text('first_name'),
      lastName: text('last_name'),
      email: text('email'),
      phone: text('phone'),
      personalId: text('personal_id'),
      address: Object.keys(address).length > 0 ? address : undefined,
    }).filter(([, v]) => v !== undefined),
  ) as Policyholder;
}
