import type { Kysely } from 'kysely';
import type { Offer, OfferItem } from '../../core/offers/offer.js';
import type { OfferRepository } from '../../core/ports.js';
import type { Tables } from '../schema.js';
import { reviveDates } from './json.js';

/**
 * What an offer item keeps: the item and, of each option, what binding needs to honour its price. An
 * offer priced for an answer carries its products' descriptions too; they stay in the catalog (and
 * an offer stored before migration 021 is read without the copies it kept).
 */
function storedItem(i: OfferItem): OfferItem {
  return {
    ref: i.ref,
    item: i.item,
    quantity: i.quantity,
    options: i.options.map((o) => ({
      id: o.id,
      productCode: o.productCode,
      termMonths: o.termMonths,
      unitPremium: o.unitPremium,
    })),
  };
}

export function offerRepository(db: Kysely<Tables>): OfferRepository {
  return {
    async insert(o) {
      await db
        .insertInto('offers')
        .values({
          partner_id: o.partnerId,
          mode: o.mode,
          id: o.id,
          country: o.country,
          currency: o.currency,
          language: o.language,
          items: JSON.stringify(o.items.map(storedItem)),
          refs: JSON.stringify(o.refs),
          created_at: o.createdAt,
          expires_at: o.expiresAt,
          declined_at: o.declinedAt,
        })
        .execute();
    },
    async get(tenant, id, opts) {
      let query = db
        .selectFrom('offers')
        .selectAll()
        .where('partner_id', '=', tenant.partnerId)
        .where('mode', '=', tenant.mode)
        .where('id', '=', id);
      if (opts?.forUpdate) query = query.forUpdate();
      const row = await query.executeTakeFirst();
      if (!row) return undefined;
      return {
        id: row.id,
        partnerId: row.partner_id,
        mode: row.mode,
        country: row.country,
        currency: row.currency,
        language: row.language,
        items: (row.items as OfferItem[]).map((i) =>
          storedItem({ ...i, item: reviveDates(i.item, ['purchasedAt']) }),
        ),
        refs: row.refs,
        createdAt: row.created_at,
        expiresAt: row.expires_at,
        declinedAt: row.declined_at,
      } satisfies Offer;
    },
    async markDeclined(tenant, id, at) {
      await db
        .updateTable('offers')
        .set({ declined_at: at })
        .where('partner_id', '=', tenant.partnerId)
        .where('mode', '=', tenant.mode)
        .where('id', '=', id)
        .execute();
    },
  };
}
