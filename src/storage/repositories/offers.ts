import type { Insertable, Kysely } from 'kysely';
import type { Offer, OfferItem } from '../../core/offers/offer.js';
import type { OfferRepository } from '../../core/ports.js';
import type { OffersTable, Tables } from '../schema.js';
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

type OfferRow = Insertable<OffersTable>;

function offerRow(o: Offer): OfferRow {
  return {
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
  };
}

/**
 * Offers stored outside a transaction, written together: each waits for the INSERT (one statement,
 * committed on its own) that holds it, so its answer still follows its commit, but concurrent offers
 * share one round trip and one flush of the write-ahead log. While one INSERT is out, the offers that
 * arrive wait for the next, which takes them all.
 */
export function offerWriter(db: Kysely<Tables>): (offer: Offer) => Promise<void> {
  let waiting: { row: OfferRow; done(error?: unknown): void }[] = [];
  let writing = false;
  const insert = (rows: OfferRow[]) => db.insertInto('offers').values(rows).execute();
  async function write(): Promise<void> {
    while (waiting.length > 0) {
      const batch = waiting;
      waiting = [];
      try {
        await insert(batch.map((w) => w.row));
        for (const w of batch) w.done();
      } catch (error) {
        // One refused row fails no other offer: alone, each gets its own answer.
        if (batch.length === 1) batch[0]!.done(error);
        else
          await Promise.all(
            batch.map((w) =>
              insert([w.row]).then(
                () => w.done(),
                (e: unknown) => w.done(e ?? error),
              ),
            ),
          );
      }
    }
    writing = false;
  }
  return (offer) =>
    new Promise<void>((resolve, reject) => {
      waiting.push({
        row: offerRow(offer),
        done: (error) => (error === undefined ? resolve() : reject(error)),
      });
      if (writing) return;
      writing = true;
      // The offers of requests read in the same turn of the event loop go together.
      setImmediate(() => void write());
    });
}

/** `write` stores an offer outside a transaction (see offerWriter); inside one, it is inserted at once. */
export function offerRepository(
  db: Kysely<Tables>,
  write?: (offer: Offer) => Promise<void>,
): OfferRepository {
  return {
    async insert(o) {
      if (write) return write(o);
      await db.insertInto('offers').values(offerRow(o)).execute();
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
