/**
 * Remakes the README's screenshots of the customer page and of the offer widget on /demo-shop, from a
 * running demo: `npm run screenshots:customer` (needs Chromium, see test/helpers/browser.ts).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { customerLinkKey, customerUrl } from '../src/auth/customer-link.js';
import { systemClock } from '../src/core/clock.js';
import { ulidIds } from '../src/core/ids.js';
import { DEMO_CREDENTIALS } from '../src/demo/catalog.js';
import { ensureDemo } from '../src/demo/ensure-demo.js';
import { buildApp } from '../src/http/app.js';
import { openDatabase } from '../src/storage/database.js';
import { launchChromium } from '../test/helpers/browser.js';

const OUT = 'docs/screenshots';
const dataDir = mkdtempSync(join(tmpdir(), 'protego-screenshots-'));
const tokenKey = new Uint8Array(32).fill(3);
const db = await openDatabase({ kind: 'pglite', dataDir }, Buffer.alloc(32, 5));
await db.migrate();
const ids = ulidIds(systemClock);
await ensureDemo(db, systemClock, ids);
const app = await buildApp({
  services: { db, clock: systemClock, ids, adminToken: 'screenshots-admin-token', tokenKey },
});
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
if (!address || typeof address === 'string') throw new Error('no port');
const base = `http://127.0.0.1:${address.port}`;
const browser = await launchChromium();
try {
  const bound = await app.inject({
    method: 'POST',
    url: '/v1/policies',
    headers: { authorization: `Bearer ${DEMO_CREDENTIALS.api_key}` },
    payload: {
      product_code: 'product-protection',
      term_months: 12,
      country: 'GB',
      item: { category: 'Laptop', name: 'Lenovo ThinkPad X1', price: { amount: 149_900, currency: 'GBP' } },
      policyholder: { first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.com' },
    },
  });
  if (bound.statusCode !== 201) throw new Error(`binding failed: ${bound.body}`);
  const policy = bound.json() as { id: string; partner_id?: string };
  const stored = await db.read.policies.get(
    { partnerId: (await db.read.partners.getByCode('electroshop'))!.id, mode: 'test' },
    policy.id,
  );
  const url = await customerUrl(
    { baseUrl: base, key: customerLinkKey(tokenKey) },
    { partnerId: stored!.partnerId, mode: stored!.mode, policyId: stored!.id },
    stored!.coverageEnd,
    systemClock.now(),
  );
  mkdirSync(OUT, { recursive: true });
  const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
  await page.goto(url);
  await page.screenshot({ path: `${OUT}/customer-policy.png`, fullPage: true });
  await page.getByRole('button', { name: 'See my refund' }).click();
  await page.getByRole('heading', { name: 'Cancel your insurance?' }).waitFor();
  await page.screenshot({ path: `${OUT}/customer-cancel-preview.png`, fullPage: true });

  await page.goto(`${base}/demo-shop`);
  const group = page.getByRole('group', { name: 'Protect your purchase' });
  await group.waitFor();
  await group.getByRole('radio').first().check();
  await page.screenshot({ path: `${OUT}/widget-demo-shop.png`, fullPage: true });
  console.log(`screenshots written to ${OUT}/`);
} finally {
  await browser.close();
  await app.close();
  await db.close();
  rmSync(dataDir, { recursive: true, force: true });
}
