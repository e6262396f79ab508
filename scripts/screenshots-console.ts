/**
 * Remakes the console's screenshots for the README from a running demo: `npx tsx scripts/screenshots-console.ts`.
 * Starts `protego serve` in-process on a fresh embedded database with the demo catalog, signs an
 * operator in with Debian's Chromium, sells a policy in the store and writes docs/screenshots/console-*.png.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { loadConfig } from '../src/config.js';
import { DEMO_CREDENTIALS } from '../src/demo/catalog.js';
import { startServer } from '../src/server.js';

const OUT = 'docs/screenshots';
const PASSWORD = 'screenshots only, not a real password';

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'protego-screens-'));
  const config = loadConfig({
    ...process.env,
    PROTEGO_DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    PROTEGO_ADMIN_TOKEN: 'screenshots-admin-token',
  });
  const { app } = await startServer(config, { demo: true, worker: true });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  const base = `http://127.0.0.1:${address.port}`;
  const api = async (url: string, payload: unknown, token = DEMO_CREDENTIALS.api_key) => {
    const res = await app.inject({
      method: 'POST',
      url,
      payload: payload as object,
      headers: { authorization: `Bearer ${token}` },
    });
    if (res.statusCode >= 300) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
    return res.json();
  };
  await api(
    '/admin/v1/console-users',
    { email: 'olga@insurer.example', name: 'Olga Operator', password: PASSWORD },
    'screenshots-admin-token',
  );
  // A few policies and a claim through the native API, so the dashboard and the queue have something to show.
  const items = [
    ['Smartphone', 'Pixel 9', 799_000],
    ['Laptop', 'ThinkPad X1', 1_499_000],
    ['Tablet', 'iPad Air', 699_000],
  ] as const;
  const bound: { id: string }[] = [];
  for (const [i, [category, name, price]] of items.entries()) {
    bound.push(
      await api('/v1/policies', {
        product_code: 'refurbished-electronics',
        term_months: 12,
        country: 'SE',
        item: { category, name, price: { amount: price, currency: 'SEK' } },
        policyholder: {
          personal_id: '19811218-9876',
          first_name: 'Kim',
          last_name: `Nilsson ${i + 1}`,
          email: `kim${i + 1}@example.com`,
          address: { line1: 'Storgatan 1', postal_code: '111 22' },
          phone: '+46 70 123 45 67',
        },
        refs: { order_id: `ORD-10${i + 1}` },
      }),
    );
  }
  await api(`/v1/policies/${bound[0]!.id}/claims`, {
    incident_date: new Date().toISOString().slice(0, 10),
    type: 'damage',
    description: 'Dropped in the street; the screen is cracked.',
    claimed_amount: { amount: 250_000, currency: 'SEK' },
  });

  mkdirSync(OUT, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    await page.goto(`${base}/console/sign-in`);
    await page.getByLabel('E-mail address').fill('olga@insurer.example');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();

    await page.goto(`${base}/console/sell`);
    await page.getByLabel('Shop and market').selectOption('electroshop|SE');
    await page.getByLabel('Mode', { exact: true }).selectOption('test');
    await page.getByLabel('Kind of item').fill('Smartphone');
    await page.getByLabel('Item (brand and model)').fill('Galaxy S25');
    await page.getByLabel("Price, in the market's currency").fill('9990.00');
    await page.getByRole('button', { name: 'Show options and prices' }).click();
    await page.getByRole('heading', { name: 'Choose the protection' }).waitFor();
    await page.getByLabel('First name').fill('Ana');
    await page.getByLabel('Last name').fill('Svensson');
    await page.getByLabel('E-mail address (the letter goes here)').fill('ana@example.com');
    await page.getByLabel('Personal identity number (if the product asks)').fill('19811218-9876');
    await page.screenshot({ path: `${OUT}/console-sell.png`, fullPage: true });
    await page.getByRole('button', { name: 'Bind the policy' }).click();
    await page.getByText('Policy bound.').waitFor();
    await page.waitForTimeout(1500); // the worker sends the letter
    await page.reload();
    await page.screenshot({ path: `${OUT}/console-policy.png`, fullPage: true });

    await page.goto(`${base}/console?mode=test`);
    await page.waitForTimeout(500); // charts draw
    await page.screenshot({ path: `${OUT}/console-dashboard.png`, fullPage: true });
    await page.goto(`${base}/console/claims`);
    await page.screenshot({ path: `${OUT}/console-claims.png`, fullPage: true });
  } finally {
    await browser.close();
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  console.log(`screenshots written to ${OUT}/`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
