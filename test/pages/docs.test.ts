import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { HAS_CHROMIUM, launchChromium } from '../helpers/browser.js';

if (!HAS_CHROMIUM)
  console.log(
    'Page tests skipped: no Chromium at /usr/bin/chromium (set CHROMIUM_PATH, or apt-get install chromium).',
  );

describe.skipIf(!HAS_CHROMIUM)('the API docs page in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  beforeAll(async () => {
    t = await buildTestApp();
    base = await t.listen();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('renders the operations of the native and admin APIs from /openapi.json', async () => {
    const page = await browser.newPage();
    const failed: string[] = [];
    page.on('requestfailed', (r) => failed.push(r.url()));
    await page.goto(`${base}/docs`);
    await page.getByText('Protego API').first().waitFor({ timeout: 15_000 });
    await page.locator('.opblock-summary-path', { hasText: '/v1/offers' }).first().waitFor();
    const paths = await page.locator('.opblock-summary-path').allInnerTexts();
    expect(paths.map((p) => p.replace(/\u200b/g, ''))).toEqual(
      expect.arrayContaining(['/v1/offers', '/v1/policies', '/v1/order-events', '/admin/v1/partners']),
    );
    expect(failed).toEqual([]);
    await page.screenshot({ path: 'test-results/docs.png' });
  });
});
