import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerLinkKey } from '../../src/auth/customer-link.js';
import { Worker } from '../../src/jobs/worker.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { HAS_CHROMIUM, launchChromium } from '../helpers/browser.js';
import { TEST_TOKEN_KEY } from '../helpers/constants.js';
import { type TestMailbox, testMailbox } from '../helpers/mail.js';
import { expectAccessible, withScreenshot } from '../helpers/pages.js';
import { testHandlers } from '../helpers/worker.js';
import { bindDirect } from '../http/support.js';

// A 1x1 PNG: the photo of the damage.
const PHOTO = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

describe.skipIf(!HAS_CHROMIUM)('the customer pages, from the link in the policy letter', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let mailbox: TestMailbox;
  let worker: Worker;

  beforeAll(async () => {
    t = await buildTestApp();
    base = await t.listen();
    mailbox = testMailbox(t.clock);
    worker = new Worker(
      t.db,
      t.clock,
      testHandlers(t.db, {
        mailer: mailbox.mailer,
        customerLinks: { baseUrl: base, key: customerLinkKey(TEST_TOKEN_KEY) },
      }),
    );
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    mailbox?.remove();
  });

  /** Binds a policy, sends its letter and returns the link the letter carries. */
  async function letterLink(): Promise<{ policyId: string; url: string }> {
    const policy = await bindDirect(t, 'sk_test_electroshop_demo_key');
    await worker.drain();
    const letters = await mailbox.all();
    const letter = letters.find((m) => m.subject?.includes(policy.id));
    expect(letter, `no letter for ${policy.id}`).toBeDefined();
    const url = new RegExp(`${base}/my/[A-Za-z0-9._-]+`).exec(letter!.text ?? '')?.[0];
    expect(url, letter!.text).toBeDefined();
    return { policyId: policy.id, url: url! };
  }

  async function newPage(): Promise<Page> {
    const page = await browser.newPage();
    page.on('pageerror', (error) => {
      throw error;
    });
    return page;
  }

  it('a customer cancels inside cooling-off and sees the whole premium refunded before confirming', async () => {
    const { policyId, url } = await letterLink();
    const page = await newPage();
    await withScreenshot(page, 'customer-cancel', async () => {
      await page.goto(url);
      await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toMatch(/^Your insurance/);
      await expect(page.getByText(policyId).count()).resolves.toBeGreaterThan(0);
      await expectAccessible(page);

      const certificate = await page.request.get(`${url}/certificate.pdf`);
      expect(certificate.status()).toBe(200);
      expect(certificate.headers()['content-type']).toBe('application/pdf');

      await page.getByRole('button', { name: 'See my refund' }).click();
      await page.getByRole('heading', { name: 'Cancel your insurance?' }).waitFor();
      const policy = (await t.call({ method: 'GET', url: `/v1/policies/${policyId}` })).json();
      const premium = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP' }).format(
        policy.premium.total / 100,
      );
      await expect(page.getByTestId('refund').innerText()).resolves.toBe(premium);
      await expect(page.getByText('inside the cooling-off period').count()).resolves.toBe(1);
      await expectAccessible(page);
      // Nothing has ended yet: the preview only holds the refund.
      expect((await t.call({ method: 'GET', url: `/v1/policies/${policyId}` })).json().status).toBe('active');

      await page.getByRole('button', { name: 'Confirm cancellation' }).click();
      await page.getByRole('heading', { name: 'Your insurance is cancelled' }).waitFor();
      await expect(page.getByTestId('refund').innerText()).resolves.toBe(premium);
      await expectAccessible(page);
      const after = (await t.call({ method: 'GET', url: `/v1/policies/${policyId}` })).json();
      expect(after.status).toBe('cancelled');
      expect(after.refund).toMatchObject({ amount: policy.premium.total, currency: 'GBP' });

      await page.goto(url);
      await page.getByText('This insurance can no longer be cancelled.').waitFor();
    });
  });

  it('a customer files a claim with a photo and follows its status, in the language they choose', async () => {
    const { policyId, url } = await letterLink();
    const page = await newPage();
    await withScreenshot(page, 'customer-claim', async () => {
      await page.goto(url);
      await page.getByRole('link', { name: 'File a claim' }).click();
      await page.getByRole('heading', { name: 'File a claim' }).waitFor();
      await expectAccessible(page);
      await page.getByLabel('Date of the incident').fill('2026-03-02');
      await page.getByLabel('What happened', { exact: true }).selectOption('damage');
      await page.getByLabel('Describe what happened').fill('Dropped it on the stairs; the screen cracked.');
      await page.getByLabel('Amount you claim (GBP)').fill('250.00');
      await page.getByLabel('Photo of the damage').setInputFiles({
        name: 'screen.png',
        mimeType: 'image/png',
        buffer: PHOTO,
      });
      await page.getByRole('button', { name: 'Submit the claim' }).click();
      await page.getByRole('heading', { name: /^Claim clm_/ }).waitFor();
      await expect(page.getByTestId('claim-status').innerText()).resolves.toBe('Received');
      await page.getByText('screen.png').waitFor();
      await expectAccessible(page);

      const claimId = (await page.getByRole('heading', { level: 1 }).innerText()).replace('Claim ', '');
      const claim = (await t.call({ method: 'GET', url: `/v1/claims/${claimId}` })).json();
      expect(claim).toMatchObject({ policy_id: policyId, status: 'submitted', type: 'damage' });
      expect(claim.attachments).toHaveLength(1);

      // The insurer reviews it: the customer's page follows.
      const reviewed = await t.admin({
        method: 'POST',
        url: `/admin/v1/claims/${claimId}/review`,
        payload: {},
      });
      expect(reviewed.statusCode, reviewed.body).toBe(200);
      await page.reload();
      await expect(page.getByTestId('claim-status').innerText()).resolves.toBe('Being reviewed');

      await page.getByRole('link', { name: 'Svenska' }).click();
      await expect(page.getByTestId('claim-status').innerText()).resolves.toBe('Under handläggning');
      await page.getByRole('link', { name: 'Tillbaka till din försäkring' }).click();
      await page.getByRole('heading', { name: /^Din försäkring/ }).waitFor();
      expect(await page.locator('html').getAttribute('lang')).toBe('sv');
      await expectAccessible(page);
    });
  });

  it('a claim the policy does not cover is shown again with the reason next to its field', async () => {
    const { url } = await letterLink();
    const page = await newPage();
    await withScreenshot(page, 'customer-claim-refused', async () => {
      await page.goto(`${url}/claims/new`);
      await page.getByLabel('Date of the incident').fill('2025-01-01');
      await page.getByLabel('Describe what happened').fill('Before cover began.');
      await page.getByLabel('Amount you claim (GBP)').fill('10');
      await page
        .getByLabel('Photo of the damage')
        .setInputFiles({ name: 'a.png', mimeType: 'image/png', buffer: PHOTO });
      await page.getByRole('button', { name: 'Submit the claim' }).click();
      await page.getByRole('alert').waitFor();
      await expect(page.getByRole('alert').innerText()).resolves.toMatch(/Date of the incident: not covered/);
      await expect(page.getByLabel('Describe what happened').inputValue()).resolves.toBe(
        'Before cover began.',
      );
      await expectAccessible(page);
    });
  });
});
