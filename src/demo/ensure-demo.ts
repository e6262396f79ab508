import type { Clock } from '../core/clock.js';
import type { IdGenerator } from '../core/ids.js';
import type { Store } from '../storage/store.js';
import { DEMO_PARTNER } from './catalog.js';
import { loadDemo } from './load-demo.js';

/** Loads the demo on an empty database (no partner, no product); returns whether it did. */
export async function ensureDemo(store: Store, clock: Clock, ids: IdGenerator): Promise<boolean> {
  const [partners, products] = await Promise.all([store.read.partners.list(), store.read.products.list()]);
  if (partners.length > 0 || products.length > 0) return false;
  await store.transaction((repos) => loadDemo({ repos, clock, ids }));
  return true;
}

/** Erases the demo partner with everything it did, then loads the demo again. */
export async function resetDemo(store: Store, clock: Clock, ids: IdGenerator): Promise<void> {
  const existing = await store.read.partners.getByCode(DEMO_PARTNER.code);
  if (existing) await store.purgePartner(existing.id);
  await store.transaction((repos) => loadDemo({ repos, clock, ids }));
}
