import { Type } from 'typebox';
import type { MerchantPlan } from '../../core/catalog/merchant-plan.js';
import { listMerchantPlans, removeMerchantPlan, setMerchantPlan } from '../../core/catalog/merchant-plans.js';
import type { CurrencyMarket } from '../../core/partners/currency-market.js';
import { listCurrencyMarkets, setCurrencyMarket } from '../../core/partners/currency-markets.js';
import { type App, readDeps } from '../context.js';
import type { Kit } from '../kit/api.js';
import { CodeParams, NoContent } from './schemas.js';

const strict = { additionalProperties: false } as const;

const MerchantPlanBody = Type.Object(
  {
    merchant_product_id: Type.String({
      minLength: 1,
      maxLength: 128,
      description: "the shop's own catalog id of the item that sells this plan (Hakuna's `pl-prd-hakuna`)",
    }),
    product_code: Type.String({ minLength: 1, maxLength: 63 }),
    term_months: Type.Integer({ minimum: 1, maximum: 120 }),
  },
  strict,
);
const MerchantPlanSchema = Type.Object({
  object: Type.Literal('merchant_plan'),
  merchant_product_id: Type.String(),
  product_code: Type.String(),
  term_months: Type.Integer(),
  created_at: Type.String({ format: 'date-time' }),
});
const MerchantPlanParams = Type.Object(
  {
    code: Type.String({ minLength: 1, maxLength: 63 }),
    merchant_product_id: Type.String({ minLength: 1, maxLength: 128 }),
  },
  strict,
);

const CurrencyMarketBody = Type.Object(
  {
    country: Type.String({
      pattern: '^[A-Za-z]{2}$',
      description: "one of the partner's markets in that currency",
    }),
  },
  strict,
);
const CurrencyMarketSchema = Type.Object({
  object: Type.Literal('currency_market'),
  currency: Type.String(),
  country: Type.String(),
  updated_at: Type.String({ format: 'date-time' }),
});
const CurrencyParams = Type.Object(
  { code: Type.String({ minLength: 1, maxLength: 63 }), currency: Type.String({ pattern: '^[A-Za-z]{3}$' }) },
  strict,
);

const planJson = (p: MerchantPlan) => ({
  object: 'merchant_plan' as const,
  merchant_product_id: p.merchantProductId,
  product_code: p.productCode,
  term_months: p.termMonths,
  created_at: p.createdAt.toISOString(),
});
const currencyJson = (c: CurrencyMarket) => ({
  object: 'currency_market' as const,
  currency: c.currency,
  country: c.country,
  updated_at: c.updatedAt.toISOString(),
});

/**
 * How a partner's shop names our catalog: its item id for each plan (product and term) and the market
 * that answers each currency. APIs whose requests carry a currency and the shop's own ids use them.
 */
export async function adminMerchantCatalogRoutes(app: App, kit: Kit): Promise<void> {
  const tags = ['admin: partners'];
  app.post(
    '/partners/:code/merchant-plans',
    {
      schema: {
        summary: "Name the shop's item for a plan",
        description:
          'One id per product and term: setting another id for them replaces the old one. An id already naming another plan is refused.',
        tags,
        params: CodeParams,
        body: MerchantPlanBody,
        response: { 201: MerchantPlanSchema },
      },
    },
    async (request, reply) =>
      kit.write(request, reply, async (deps) => {
        const { merchant_product_id, product_code, term_months } = request.body;
        const plan = await setMerchantPlan(deps, request.params.code, {
          merchantProductId: merchant_product_id,
          productCode: product_code,
          termMonths: term_months,
        });
        return { status: 201, body: planJson(plan) };
      }),
  );
  app.get(
    '/partners/:code/merchant-plans',
    {
      schema: {
        summary: "List the shop's plan items",
        tags,
        params: CodeParams,
        response: {
          200: Type.Object({ object: Type.Literal('list'), data: Type.Array(MerchantPlanSchema) }),
        },
      },
    },
    async (request) => ({
      object: 'list' as const,
      data: (await listMerchantPlans(readDeps(app.protego), request.params.code)).map(planJson),
    }),
  );
  app.delete(
    '/partners/:code/merchant-plans/:merchant_product_id',
    {
      schema: {
        summary: "Forget a shop's plan item",
        tags,
        params: MerchantPlanParams,
        response: { 204: NoContent },
      },
    },
    async (request, reply) =>
      kit.write(request, reply, async (deps) => {
        await removeMerchantPlan(deps, request.params.code, request.params.merchant_product_id);
        return { status: 204, body: null };
      }),
  );
  app.put(
    '/partners/:code/currency-markets/:currency',
    {
      schema: {
        summary: 'Choose the market that answers a currency',
        description:
          'For requests that name a currency and no country (Hakuna). Without a choice, the only market in that currency answers; several are refused.',
        tags,
        params: CurrencyParams,
        body: CurrencyMarketBody,
        response: { 200: CurrencyMarketSchema },
      },
    },
    async (request, reply) =>
      kit.write(request, reply, async (deps) => {
        const chosen = await setCurrencyMarket(deps, request.params.code, {
          currency: request.params.currency,
          country: request.body.country,
        });
        return { status: 200, body: currencyJson(chosen) };
      }),
  );
  app.get(
    '/partners/:code/currency-markets',
    {
      schema: {
        summary: 'List the markets chosen per currency',
        tags,
        params: CodeParams,
        response: {
          200: Type.Object({ object: Type.Literal('list'), data: Type.Array(CurrencyMarketSchema) }),
        },
      },
    },
    async (request) => ({
      object: 'list' as const,
      data: (await listCurrencyMarkets(readDeps(app.protego), request.params.code)).map(currencyJson),
    }),
  );
}
