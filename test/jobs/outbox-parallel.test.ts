import { afterEach, describe, expect, it, vi } from 'vitest';
import { Worker } from '../../src/jobs/worker.js';
import { BACKENDS } from '../helpers/database.js';
import { type Scenario, startScenario } from '../helpers/scenario.js';
import type { Json } from '../helpers/scenario-answer.js';

const IN_FLIGHT = 5;

const bindBody = {
  product_code: 'product-protection',
  term_months: 12,
  country: 'GB',
  item: { category: 'laptop', brand: 'Lenovo', price: { amount: 89_900, currency: 'GBP' } },
  policyholder: { first_name: 'Max', last_name: 'Mustermann', email: 'max@example.com' },
};

describe.each(BACKENDS)('outbox deliveries in parallel, on %s', (backend) => {
  let s: Scenario | undefined;
  afterEach(async () => {
    await s?.close();
    s = undefined;
  });

  // A receiver that answers nothing until IN_FLIGHT requests wait at once: a worker delivering one job at a
  // time never gets there (the test fails on its timeout), so no timing decides the outcome.
  it(`has ${IN_FLIGHT} deliveries of different policies in flight at once to one endpoint`, async () => {
    s = await startScenario({ backend });
    const shop = await s.shop();
    let requests = 0;
    const hooks = await shop.subscribe(['policy.created'], () => (++requests <= IN_FLIGHT ? 'hang' : 200));
    for (let i = 0; i < IN_FLIGHT; i++) (await shop.bind(bindBody)).expect(201);

    const worker = new Worker(s.t.db, s.clock, s.handlers, {
      concurrency: 2 * IN_FLIGHT,
      perEndpoint: IN_FLIGHT,
    });
    const draining = worker.drain();
    await vi.waitFor(() => expect(hooks.endpoint.receiver.held()).toBe(IN_FLIGHT), { timeout: 20_000 });
    hooks.endpoint.receiver.release(200);
    await draining;

    const policies = hooks.endpoint.receiver.received.map((r) => (JSON.parse(r.body) as Json).data.id);
    expect(new Set(policies).size).toBe(IN_FLIGHT);
  });
});
