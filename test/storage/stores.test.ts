import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PartnerStore } from '../../src/core/stores/store.js';
import type { Store } from '../../src/storage/store.js';
import { BACKENDS, testStore } from '../helpers/store.js';
import { givenPartner, idSource, T0 } from './builders.js';

describe.each(BACKENDS)('storage contract on %s: stores', (backend) => {
  let store: Store;
  beforeAll(async () => {
    store = await testStore(backend);
  });
  afterAll(() => store?.close());

  it('adds, reads, lists and removes a store, within its partner only', async () => {
    const { ids } = idSource();
    const a = await givenPartner(store, ids);
    const b = await givenPartner(store, ids);
    const s: PartnerStore = {
      partnerId: a.id,
      externalId: 'store-1',
      country: 'SE',
      currency: 'SEK',
      createdAt: T0,
    };
    await store.read.stores.add(s);
    await store.read.stores.add({ ...s, externalId: 'store-0' });
    expect(await store.read.stores.get(a.id, 'store-1')).toEqual(s);
    expect(await store.read.stores.get(b.id, 'store-1')).toBeUndefined();
    expect((await store.read.stores.list(a.id)).map((x) => x.externalId)).toEqual(['store-0', 'store-1']);
    expect(await store.read.stores.list(b.id)).toEqual([]);
    // The same external id may belong to another partner.
    await store.read.stores.add({ ...s, partnerId: b.id });
    expect(await store.read.stores.remove(b.id, 'store-1')).toBe(true);
    expect(await store.read.stores.remove(b.id, 'store-1')).toBe(false);
    expect(await store.read.stores.get(a.id, 'store-1')).toEqual(s);
    await expect(store.read.stores.add(s)).rejects.toThrow();
  });

  it('loads the demo stores with the demo partner, and purges them with it', async () => {
    const demo = await store.read.partners.getByCode('electroshop');
    const stores = await store.read.stores.list(demo!.id);
    expect(stores.map((x) => [x.externalId, x.country, x.currency])).toEqual([
      ['store-1', 'US', 'USD'],
      ['store-se', 'SE', 'SEK'],
    ]);
    const { ids } = idSource();
    const p = await givenPartner(store, ids);
    await store.read.stores.add({
      partnerId: p.id,
      externalId: 'x',
      country: 'SE',
      currency: 'SEK',
      createdAt: T0,
    });
    await store.purgePartner(p.id);
    expect(await store.read.stores.list(p.id)).toEqual([]);
  });
});
