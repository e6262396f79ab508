import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PartnerStore } from '../../src/core/stores/store.js';
import type { Database } from '../../src/storage/database.js';
import { BACKENDS, testDatabase } from '../helpers/database.js';
import { givenPartner, idSource, T0 } from './builders.js';

describe.each(BACKENDS)('storage contract on %s: stores', (backend) => {
  let db: Database;
  beforeAll(async () => {
    db = await testDatabase(backend);
  });
  afterAll(() => db?.close());

  it('adds, reads, lists and removes a store, within its partner only', async () => {
    const { ids } = idSource();
    const a = await givenPartner(db, ids);
    const b = await givenPartner(db, ids);
    const s: PartnerStore = {
      partnerId: a.id,
      externalId: 'store-1',
      country: 'SE',
      currency: 'SEK',
      createdAt: T0,
    };
    await db.read.stores.add(s);
    await db.read.stores.add({ ...s, externalId: 'store-0' });
    expect(await db.read.stores.get(a.id, 'store-1')).toEqual(s);
    expect(await db.read.stores.get(b.id, 'store-1')).toBeUndefined();
    expect((await db.read.stores.list(a.id)).map((x) => x.externalId)).toEqual(['store-0', 'store-1']);
    expect(await db.read.stores.list(b.id)).toEqual([]);
    // The same external id may belong to another partner.
    await db.read.stores.add({ ...s, partnerId: b.id });
    expect(await db.read.stores.remove(b.id, 'store-1')).toBe(true);
    expect(await db.read.stores.remove(b.id, 'store-1')).toBe(false);
    expect(await db.read.stores.get(a.id, 'store-1')).toEqual(s);
    await expect(db.read.stores.add(s)).rejects.toThrow();
  });

  it('loads the demo stores with the demo partner, and purges them with it', async () => {
    const demo = await db.read.partners.getByCode('electroshop');
    const stores = await db.read.stores.list(demo!.id);
    expect(stores.map((x) => [x.externalId, x.country, x.currency])).toEqual([
      ['store-1', 'US', 'USD'],
      ['store-se', 'SE', 'SEK'],
    ]);
    const { ids } = idSource();
    const p = await givenPartner(db, ids);
    await db.read.stores.add({
      partnerId: p.id,
      externalId: 'x',
      country: 'SE',
      currency: 'SEK',
      createdAt: T0,
    });
    await db.purgePartner(p.id);
    expect(await db.read.stores.list(p.id)).toEqual([]);
  });
});
