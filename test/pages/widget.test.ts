import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { HAS_CHROMIUM, launchChromium } from '../helpers/browser.js';
import { expectAccessible, withScreenshot } from '../helpers/pages.js';

describe.skipIf(!HAS_CHROMIUM)('the offer widget on /demo-shop', () => {
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

  it('shows the plans with their prices and terms, and emits the plan chosen with the keyboard', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('response', (r) => {
      if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) errors.push(`${r.status()} ${r.url()}`);
    });
    await withScreenshot(page, 'widget-demo-shop', async () => {
      await page.goto(`${base}/demo-shop`);
      // What the shop's own listener would get (the page's globals, so as a string).
      await page.evaluate(
        "window.chosen = []; document.addEventListener('protego-offer-select', (e) => window.chosen.push(e.detail));",
      );
      const group = page.getByRole('group', { name: 'Protect your purchase' });
      await group.waitFor();
      const plans = group.getByRole('radio');
      // The demo catalog covers a Swedish tablet with two products; "No protection" is the last choice.
      expect(await plans.count()).toBeGreaterThanOrEqual(3);
      await group
        .getByRole('radio', { name: /Refurbished Electronics Insurance, 12 months: SEK\s?699\.00/ })
        .waitFor();
      await expect(
        group
          .getByRole('link', { name: /^Terms/ })
          .first()
          .getAttribute('href'),
      ).resolves.toMatch(/^https:\/\//);
      await expectAccessible(page);

      await plans.first().focus();
      await page.keyboard.press('Space');
      await page.waitForFunction('window.chosen.length === 1');
      const [plan] = (await page.evaluate('window.chosen')) as {
        offerId: string;
        optionId: string;
        productCode: string;
        premium: { amount: number; currency: string };
      }[];
      expect(plan).toMatchObject({
        offerId: expect.stringMatching(/^off_/),
        optionId: expect.any(String),
        productCode: expect.any(String),
        premium: { amount: expect.any(Number), currency: 'SEK' },
      });
      await expect(page.locator('#cart-lines li').count()).resolves.toBe(2);

      // The plan the shop puts in its cart binds with the shop's secret key.
      const bound = await t.call({
        method: 'POST',
        url: '/v1/policies',
        payload: {
          offer_id: plan!.offerId,
          option_id: plan!.optionId,
          policyholder: {
            first_name: 'Ada',
            last_name: 'Lovelace',
            email: 'ada@example.com',
            personal_id: '19840726-1234',
          },
        },
      });
      expect(bound.statusCode, bound.body).toBe(201);

      await page.keyboard.press('ArrowDown');
      await page.getByRole('radio', { name: 'No protection' }).check();
      await page.waitForFunction('window.chosen.at(-1) === null');
      await expect(page.locator('#cart-lines li').count()).resolves.toBe(1);
      expect(errors).toEqual([]);
    });
  });

  it('serves the widget to other origins and the pages with their security headers', async () => {
    const widget = await t.app.inject({ method: 'GET', url: '/widget.js' });
    expect(widget.statusCode).toBe(200);
    expect(widget.headers['content-type']).toMatch(/^text\/javascript/);
    expect(widget.headers['cross-origin-resource-policy']).toBe('cross-origin');
    const shop = await t.app.inject({ method: 'GET', url: '/demo-shop' });
    expect(shop.body).toContain('publishable-key="pk_test_electroshop_demo"');
    const csp = String(shop.headers['content-security-policy']);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(shop.headers['x-content-type-options']).toBe('nosniff');
  });
});
