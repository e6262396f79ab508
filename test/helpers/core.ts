import { ManualClock } from '../../src/core/clock.js';
import { type IdGenerator, ulidIds } from '../../src/core/ids.js';
import { createPartner, enableProduct } from '../../src/core/partners/manage-partners.js';
import type { Tenant } from '../../src/core/partners/partner.js';
import { type BindInput, bindPolicy } from '../../src/core/policies/bind-policy.js';
import type { InsuredItem, Policy } from '../../src/core/policies/policy.js';
import type { CoreDeps } from '../../src/core/ports.js';
import { DEMO_PARTNER, DEMO_PRODUCTS } from '../../src/demo/catalog.js';
import type { Database } from '../../src/storage/database.js';

/** Runs core use cases in a transaction of a real store, with a clock the test moves. */
export interface CoreHarness {
  clock: ManualClock;
  ids: IdGenerator;
  run<T>(work: (deps: CoreDeps) => Promise<T>): Promise<T>;
  /** A partner selling the whole demo catalog in SE, DE, FR, GB and US. */
  tenant(): Promise<Tenant>;
  /**
   * product-protection in GB for 12 months (10 % of the price; 14 days' cooling-off, then pro rata),
   * for a 499.00 GBP smartphone held by Ada Lovelace unless `item` or `input` say otherwise.
   */
  bindProtection(tenant: Tenant, item?: Partial<InsuredItem>, input?: Partial<BindInput>): Promise<Policy>;
}

let count = 0;

export function coreHarness(db: Database, now = '2026-03-02T10:00:00Z'): CoreHarness {
  const clock = new ManualClock(now);
  const ids = ulidIds(clock);
  const run = <T>(work: (deps: CoreDeps) => Promise<T>) =>
    db.transaction((repos) => work({ repos, clock, ids }));
  return {
    clock,
    ids,
    run,
    bindProtection: (tenant, item = {}, input = {}) =>
      run((deps) =>
        bindPolicy(deps, tenant, {
          source: {
            productCode: 'product-protection',
            termMonths: 12,
            country: 'GB',
            item: { category: 'Smartphone', price: { amount: 49_900, currency: 'GBP' }, ...item },
          },
          policyholder: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' },
          ...input,
        }),
      ),
    tenant: () =>
      run(async (deps) => {
        count += 1;
        const partner = await createPartner(deps, {
          code: `core-${process.pid}-${count}`,
          name: 'Core test shop',
          markets: DEMO_PARTNER.markets,
        });
        for (const p of DEMO_PRODUCTS) await enableProduct(deps, partner.code, p.code, 1000);
        return { partnerId: partner.id, mode: 'test' as const };
      }),
  };
}
