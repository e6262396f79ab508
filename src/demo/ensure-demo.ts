import type { Clock } from '../core/clock.js';
import type { IdGenerator } from '../core/ids.js';
import type { Database } from '../storage/database.js';
import { DEMO_PARTNER } from './catalog.js';
import { loadDemo } from './load-demo.js';

/**
 * Loads the demo on an empty database (no partner, no product); returns whether it did. Processes
 * starting at once on one database take turns (`exclusive`), so the first loads it and the others find
 * it there.
 */
export async function ensureDemo(db: Database, clock: Clock, ids: IdGenerator): Promise<boolean> {
  const [partners, products] = await Promise.all([db.read.partners.list(), db.read.products.list()]);
  if (partners.length > 0 || products.length > 0) return false;
  return db.exclusive(async (repos) => {
    if ((await repos.partners.list()).length > 0 || (await repos.products.list()).length > 0) return false;
    await loadDemo({ repos, clock, ids });
    return true;
  });
}

/** Erases the demo partner with everything it did, then loads the demo again. */
export async function resetDemo(db: Database, clock: Clock, ids: IdGenerator): Promise<void> {
  const existing = await db.read.partners.getByCode(DEMO_PARTNER.code);
  if (existing) await db.purgePartner(existing.id);
  await db.transaction((repos) => loadDemo({ repos, clock, ids }));
}
