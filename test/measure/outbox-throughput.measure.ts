import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Scenario, startScenario } from '../helpers/scenario.js';

/**
 * A measurement, not a check: how many webhook deliveries a second one worker drains on PGlite.
 * Not part of `npm test`: `npm run measure:outbox` runs it (OUTBOX_MEASURE_N sets how many deliveries).
 */
const N = Number(process.env.OUTBOX_MEASURE_N ?? 150);

describe('outbox throughput on PGlite', () => {
  let s: Scenario;
  beforeAll(async () => {
    s = await startScenario({ backend: 'pglite' });
  });
  afterAll(() => s.close());

  it(`drains ${N} deliveries`, async () => {
    const shop = await s.shop();
    const hooks = await shop.subscribe(['policy.created', 'policy.activated']);
    for (let i = 0; i < N / 2; i++) {
      (
        await shop.bind({
          product_code: 'product-protection',
          term_months: 12,
          country: 'GB',
          item: { category: 'laptop', brand: 'Lenovo', price: { amount: 89_900, currency: 'GBP' } },
          policyholder: { first_name: 'Max', last_name: 'Mustermann', email: 'max@example.com' },
        })
      ).expect(201);
    }
    const t0 = performance.now();
    const jobs = await s.worker.drain();
    const ms = performance.now() - t0;
    const deliveries = hooks.deliveries().length;
    console.log(
      `outbox: ${s.worker.claims} rounds, ${jobs} jobs (${deliveries} deliveries) in ${ms.toFixed(0)} ms = ${((jobs / ms) * 1000).toFixed(1)} jobs/s`,
    );
    expect(deliveries).toBe(N);
  }, 120_000);
});
