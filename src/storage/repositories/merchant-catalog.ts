import type { Kysely } from 'kysely';
import type {
  CurrencyMarketRepository,
  MerchantPlanRepository,
  ProductFactsRepository,
} from '../../core/ports.js';
import type { Tables } from '../schema.js';

export function merchantPlanRepository(db: Kysely<Tables>): MerchantPlanRepository {
  return {
    async put(partnerId, plan) {
      await db
        .insertInto('merchant_plans')
        .values({
          partner_id: partnerId,
          merchant_product_id: plan.merchantProductId,
          product_code: plan.productCode,
          term_months: plan.termMonths,
          created_at: plan.createdAt,
        })
        .onConflict((oc) =>
          oc
            .columns(['partner_id', 'product_code', 'term_months'])
            .doUpdateSet({ merchant_product_id: plan.merchantProductId, created_at: plan.createdAt }),
        )
        .execute();
    },
    async list(partnerId) {
      const rows = await db
        .selectFrom('merchant_plans')
        .selectAll()
        .where('partner_id', '=', partnerId)
        .orderBy('merchant_product_id')
        .execute();
      return rows.map((r) => ({
        merchantProductId: r.merchant_product_id,
        productCode: r.product_code,
        termMonths: r.term_months,
        createdAt: r.created_at,
      }));
    },
    async remove(partnerId, merchantProductId) {
      const result = await db
        .deleteFrom('merchant_plans')
        .where('partner_id', '=', partnerId)
        .where('merchant_product_id', '=', merchantProductId)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
  };
}

export function currencyMarketRepository(db: Kysely<Tables>): CurrencyMarketRepository {
  return {
    async set(partnerId, chosen) {
      const values = { country: chosen.country, updated_at: chosen.updatedAt };
      await db
        .insertInto('currency_markets')
        .values({ partner_id: partnerId, currency: chosen.currency, ...values })
        .onConflict((oc) => oc.columns(['partner_id', 'currency']).doUpdateSet(values))
        .execute();
    },
    async list(partnerId) {
      const rows = await db
        .selectFrom('currency_markets')
        .selectAll()
        .where('partner_id', '=', partnerId)
        .orderBy('currency')
        .execute();
      return rows.map((r) => ({ currency: r.currency, country: r.country, updatedAt: r.updated_at }));
    },
  };
}

export function productFactsRepository(db: Kysely<Tables>): ProductFactsRepository {
  return {
    async put(tenant, facts) {
      const values = {
        category: facts.category,
        title: facts.title ?? null,
        brand: facts.brand ?? null,
        price_amount: facts.price?.amount ?? null,
        price_currency: facts.price?.currency ?? null,
        updated_at: facts.updatedAt,
      };
      await db
        .insertInto('product_facts')
        .values({ partner_id: tenant.partnerId, mode: tenant.mode, product_id: facts.productId, ...values })
        .onConflict((oc) => oc.columns(['partner_id', 'mode', 'product_id']).doUpdateSet(values))
        .execute();
    },
    async get(tenant, productIds) {
      const rows = await db
        .selectFrom('product_facts')
        .selectAll()
        .where('partner_id', '=', tenant.partnerId)
        .where('mode', '=', tenant.mode)
        .where('product_id', 'in', productIds)
        .execute();
      return rows.map((r) => ({
        productId: r.product_id,
        category: r.category,
        ...(r.title !== null ? { title: r.title } : {}),
        ...(r.brand !== null ? { brand: r.brand } : {}),
        ...(r.price_amount !== null && r.price_currency !== null
          ? { price: { amount: Number(r.price_amount), currency: r.price_currency } }
          : {}),
        updatedAt: r.updated_at,
      }));
    },
  };
}
