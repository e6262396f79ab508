import type { Kysely } from 'kysely';
import type { Partner, ProductEnablement } from '../../core/partners/partner.js';
import type { PartnerRepository } from '../../core/ports.js';
import type { Tables } from '../schema.js';

export function partnerRepository(db: Kysely<Tables>): PartnerRepository {
  const toPartner = (row: {
    partner_id: string;
    code: string;
    name: string;
    markets: Partner['markets'];
    counterpart_handle: string;
    created_at: Date;
  }): Partner => ({
    id: row.partner_id,
    code: row.code,
    name: row.name,
    markets: row.markets,
    counterpartHandle: row.counterpart_handle.toUpperCase(),
    createdAt: row.created_at,
  });
  return {
    async create(p) {
      await db
        .insertInto('partners')
        .values({
          partner_id: p.id,
          code: p.code,
          name: p.name,
          markets: JSON.stringify(p.markets),
          counterpart_handle: p.counterpartHandle,
          created_at: p.createdAt,
        })
        .execute();
    },
    async getById(id) {
      const row = await db.selectFrom('partners').selectAll().where('partner_id', '=', id).executeTakeFirst();
      return row && toPartner(row);
    },
    async getByCode(code) {
      const row = await db.selectFrom('partners').selectAll().where('code', '=', code).executeTakeFirst();
      return row && toPartner(row);
    },
    async list() {
      const rows = await db.selectFrom('partners').selectAll().orderBy('code').execute();
      return rows.map(toPartner);
    },
    async enableProduct(partnerId, e) {
      await db
        .insertInto('partner_products')
        .values({
          partner_id: partnerId,
          product_code: e.productCode,
          commission_bp: e.commissionBp,
          enabled_at: e.enabledAt,
        })
        .onConflict((oc) =>
          oc.columns(['partner_id', 'product_code']).doUpdateSet({ commission_bp: e.commissionBp }),
        )
        .execute();
    },
    async disableProduct(partnerId, productCode) {
      const result = await db
        .deleteFrom('partner_products')
        .where('partner_id', '=', partnerId)
        .where('product_code', '=', productCode)
        .executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
    async enabledProducts(partnerId): Promise<ProductEnablement[]> {
      const rows = await db
        .selectFrom('partner_products')
        .selectAll()
        .where('partner_id', '=', partnerId)
        .orderBy('product_code')
        .execute();
      return rows.map((r) => ({
        productCode: r.product_code,
        commissionBp: r.commission_bp,
        enabledAt: r.enabled_at,
      }));
    },
  };
}
