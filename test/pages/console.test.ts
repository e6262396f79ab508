import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addAttachment } from '../../src/core/claims/add-attachment.js';
import { fileClaim } from '../../src/core/claims/file-claim.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { HAS_CHROMIUM, launchChromium } from '../helpers/browser.js';
import { expectAccessible, withScreenshot } from '../helpers/pages.js';
import { tabletOffer } from '../http/support.js';

const PASSWORD = 'correct horse battery staple';

describe.skipIf(!HAS_CHROMIUM)('the operations console in Chromium', { timeout: 120_000 }, () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let soldPolicyId: string;
  let otherCode: string;
  const holderEmail = `ana.${Date.now()}@example.test`;

  beforeAll(async () => {
    t = await buildTestApp();
    base = await t.listen();
    const other = await t.newPartner();
    otherCode = other.code;
    // An endpoint that answers nothing, so the sale below leaves a delivery in its log to redeliver.
    const hook = await t.call({
      method: 'POST',
      url: '/v1/webhook-endpoints',
      payload: { url: 'http://127.0.0.1:9/hooks', event_types: ['*'] },
    });
    expect(hook.statusCode, hook.body).toBe(201);
    for (const body of [
      { email: 'ops@insurer.test', name: 'Olga Operator', password: PASSWORD },
      { email: 'staff@other.test', name: 'Pat Partner', password: PASSWORD, partner_code: other.code },
    ]) {
      const res = await t.admin({ method: 'POST', url: '/admin/v1/console-users', payload: body });
      expect(res.statusCode, res.body).toBe(201);
    }
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function signedIn(email: string): Promise<Page> {
    const page = await (await browser.newContext()).newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${base}/console`);
    await page.waitForURL(/\/console\/sign-in/);
    await expectAccessible(page, 'sign-in');
    await page.getByLabel('E-mail address').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    return page;
  }

  it('sells a policy in the store and finds it in search', async () => {
    const page = await signedIn('ops@insurer.test');
    await withScreenshot(page, 'console-sell', async () => {
      await expectAccessible(page, 'dashboard');
      await page.getByRole('link', { name: 'Sell' }).click();
      await page.getByLabel('Shop and market').selectOption('electroshop|SE');
      await page.getByLabel('Mode', { exact: true }).selectOption('test');
      await page.getByLabel('Product', { exact: true }).selectOption('refurbished-electronics');
      await page.getByLabel('Kind of item').fill('Smartphone');
      await page.getByLabel('Item (brand and model)').fill('Pixel 9');
      await page.getByLabel("Price, in the market's currency").fill('7990.00');
      await expectAccessible(page, 'sell');
      await page.getByRole('button', { name: 'Show options and prices' }).click();
      await page.getByRole('heading', { name: 'Choose the protection' }).waitFor();
      await expectAccessible(page, 'sell options');
      const options = page.getByRole('radio');
      expect(await options.count()).toBe(1); // refurbished-electronics, 12 months
      await page.getByText('699.00 SEK').waitFor();
      await page.getByLabel('First name').fill('Ana');
      await page.getByLabel('Last name').fill('Svensson');
      await page.getByLabel('E-mail address (the letter goes here)').fill(holderEmail);
      await page.getByRole('button', { name: 'Bind the policy' }).click();
      // The product asks for a personal identity number: the core's refusal is shown beside the field.
      await page.locator('#personal_id[aria-invalid="true"]').waitFor();
      await expectAccessible(page, 'sell options with errors');
      await page.getByLabel('Personal identity number (if the product asks)').fill('19811218-9876');
      await page.getByRole('button', { name: 'Bind the policy' }).click();
      await page.getByText(`The letter with the certificate goes to ${holderEmail}`).waitFor();
      soldPolicyId = /\/console\/policies\/(pol_\w+)/.exec(page.url())![1]!;
      expect(await page.getByTestId('status').innerText()).toBe('active');
      expect(await page.getByText('cover and certificate').count()).toBe(1);
      await expectAccessible(page, 'policy');

      await page.getByRole('link', { name: 'Policies' }).click();
      await page.getByLabel('Policy id, order id or holder e-mail').fill(holderEmail.toUpperCase());
      await page.getByRole('button', { name: 'Search' }).click();
      await page.getByRole('link', { name: soldPolicyId }).waitFor();
      expect(await page.getByRole('row').count()).toBe(2); // the header and the policy
      await expectAccessible(page, 'policies');
    });
  });

  it('reviews, approves and pays a claim, with its attachment shown', async () => {
    const tenant = (await t.db.read.policies.locate(soldPolicyId))!;
    const claim = await t.db.transaction(async (repos) => {
      const deps = { ...t.deps, repos };
      const filed = await fileClaim(deps, tenant, {
        policyId: soldPolicyId,
        incidentDate: '2026-03-02',
        type: 'damage',
        description: 'Dropped on the street; the screen cracked.',
        claimedAmount: { amount: 250_000, currency: 'SEK' },
      });
      await addAttachment(deps, tenant, {
        claimId: filed.id,
        filename: 'screen.png',
        contentType: 'image/png',
        content: new Uint8Array([0x89, 0x50, 0x4e, 0x47]),
      });
      return filed;
    });
    const page = await signedIn('ops@insurer.test');
    await withScreenshot(page, 'console-claim', async () => {
      await page.getByRole('link', { name: 'Claims' }).click();
      await expectAccessible(page, 'claims');
      await page.getByRole('link', { name: claim.id }).click();
      await page.getByRole('link', { name: 'screen.png' }).waitFor();
      await expectAccessible(page, 'claim');
      await page.getByRole('button', { name: 'Start the review' }).click();
      await expect.poll(() => page.getByTestId('status').innerText()).toBe('in_review');
      await page.getByLabel('Amount (SEK)').fill('2000.00');
      await page.getByRole('button', { name: 'Approve' }).click();
      await expect.poll(() => page.getByTestId('status').innerText()).toBe('approved');
      await page.getByLabel('Amount paid (SEK)').fill('2000.00');
      await page.getByRole('button', { name: 'Mark paid' }).click();
      await expect.poll(() => page.getByTestId('status').innerText()).toBe('paid');
      expect(await page.getByText('2\u202f000.00 SEK').count()).toBeGreaterThan(0);
    });
    const stored = await t.db.read.claims.get(tenant, claim.id);
    expect(stored?.paidAmount).toEqual({ amount: 200_000, currency: 'SEK' });
  });

  it('does not show a partner user another partner’s policy, by link or by search', async () => {
    const page = await signedIn('staff@other.test');
    await withScreenshot(page, 'console-tenant', async () => {
      const res = await page.goto(`${base}/console/policies/${soldPolicyId}`);
      expect(res?.status()).toBe(404);
      await expectAccessible(page, 'not found');
      for (const q of [soldPolicyId, holderEmail]) {
        await page.goto(`${base}/console/policies?q=${encodeURIComponent(q)}`);
        await page.getByText('0 policies').waitFor();
      }
      const claims = await page.goto(`${base}/console/claims?status=paid`);
      expect(claims?.status()).toBe(200);
      expect(await page.getByText('0 claims').count()).toBe(1);
    });
  });

  it('cancels a policy with the refund shown before confirming', async () => {
    const page = await signedIn('ops@insurer.test');
    await withScreenshot(page, 'console-cancel', async () => {
      await page.goto(`${base}/console/policies/${soldPolicyId}`);
      await page.getByRole('button', { name: 'See the refund' }).click();
      // The paid claim leaves nothing to refund (tech-insurance: afterPaidClaim none).
      await page.getByTestId('refund').waitFor();
      const refund = await page.getByTestId('refund').innerText();
      await expectAccessible(page, 'cancel');
      expect(
        (await t.db.read.policies.get((await t.db.read.policies.locate(soldPolicyId))!, soldPolicyId))
          ?.status,
      ).toBe('active');
      await page.getByRole('button', { name: 'Confirm the cancellation' }).click();
      await page.getByText(`Policy cancelled. The refund is ${refund}.`).waitFor();
      expect(await page.getByTestId('status').innerText()).toBe('cancelled');
    });
  });

  it('issues credentials shown once, revokes them, and redelivers a webhook (operators only)', async () => {
    const page = await signedIn('ops@insurer.test');
    await withScreenshot(page, 'console-partners', async () => {
      await page.getByRole('link', { name: 'Partners' }).click();
      await expectAccessible(page, 'partners');
      await page.goto(`${base}/console/partners/${otherCode}`);
      await page.getByLabel('Mode', { exact: true }).selectOption('test');
      await page.getByRole('button', { name: 'Issue credentials' }).click();
      const key = await page.getByTestId('api-key').innerText();
      await expectAccessible(page, 'credentials issued');
      const auth = { authorization: `Bearer ${key}` };
      expect((await t.app.inject({ url: '/v1/policies', headers: auth })).statusCode).toBe(200);
      await page.getByRole('link', { name: /^Back to/ }).click();
      expect(await page.content()).not.toContain(key);
      await expectAccessible(page, 'partner');
      const revoke = page.getByRole('button', { name: /^Revoke/ });
      await revoke.last().click();
      await page
        .getByText(/revoked 20/)
        .first()
        .waitFor();
      expect((await t.app.inject({ url: '/v1/policies', headers: auth })).statusCode).toBe(401);

      await page.goto(`${base}/console/partners/electroshop`);
      const redeliver = page.getByRole('button', { name: /^Redeliver/ }).first();
      await redeliver.waitFor();
      await redeliver.click();
      await page.getByRole('heading', { name: 'Webhook endpoints' }).waitFor();
    });
    const partnerUser = await signedIn('staff@other.test');
    expect(await partnerUser.getByRole('link', { name: 'Partners' }).count()).toBe(0);
    expect((await partnerUser.goto(`${base}/console/partners/${otherCode}`))?.status()).toBe(404);
  });

  it('draws the dashboard charts from the local Chart.js under the CSP', async () => {
    const page = await signedIn('ops@insurer.test');
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('requestfailed', (r) => problems.push(r.url()));
    await page.goto(`${base}/console?mode=test`);
    expect(await page.getByTestId('written').innerText()).toBe('1');
    await expect.poll(() => page.evaluate('typeof Chart')).toBe('function');
    expect(await page.evaluate("Chart.getChart('chart-policies') !== undefined")).toBe(true);
    expect(problems).toEqual([]);
  });

  it('shows a month’s statement and downloads it as CSV, a partner user its own only', async () => {
    const page = await signedIn('ops@insurer.test');
    await withScreenshot(page, 'console-statements', async () => {
      await page.getByRole('link', { name: 'Statements' }).click();
      await page.getByLabel('Partner').selectOption('electroshop');
      await page.getByLabel('Month').fill('2026-03');
      await page.getByLabel('Mode', { exact: true }).selectOption('test');
      await page.getByRole('button', { name: 'Show' }).click();
      await page.getByRole('cell', { name: 'SEK', exact: true }).waitFor();
      await expectAccessible(page, 'statements');
      const csv = await page.request.get(
        `${base}/console/statements.csv?partner=electroshop&month=2026-03&mode=test`,
      );
      expect(csv.status()).toBe(200);
      expect(csv.headers()['content-type']).toContain('text/csv');
      expect(await csv.text()).toContain('electroshop');
    });
    const partnerUser = await signedIn('staff@other.test');
    await partnerUser.goto(`${base}/console/statements?partner=electroshop&month=2026-03&mode=test`);
    expect(await partnerUser.getByLabel('Partner').locator('option').count()).toBe(1);
    expect(await partnerUser.getByRole('cell', { name: 'SEK', exact: true }).count()).toBe(0);
    const csv = await partnerUser.request.get(
      `${base}/console/statements.csv?partner=electroshop&month=2026-03&mode=test`,
    );
    expect(await csv.text()).not.toContain('electroshop');
  });
  it('edits a rate table: a refused value changes nothing, a valid one the price offers quote; the history names who', async () => {
    const code = 'refurbished-electronics';
    const quote = async () => {
      const res = await t.call({ method: 'POST', url: '/v1/offers', payload: tabletOffer() });
      expect(res.statusCode, res.body).toBe(201);
      const options: { product_code: string; unit_premium: { total: number } }[] =
        res.json().items[0].options;
      return options.find((o) => o.product_code === code)!.unit_premium.total;
    };
    const before = await t.db.read.products.get(code);
    const changesBefore = (await t.db.read.productChanges.list(code, 50)).length;
    expect(await quote()).toBe(69_900); // an 8 500 SEK tablet: the band up to 10 000 SEK
    const page = await signedIn('ops@insurer.test');
    await withScreenshot(page, 'console-product', async () => {
      await page.getByRole('link', { name: 'Products' }).click();
      await expectAccessible(page, 'products');
      await page.getByRole('link', { name: 'Refurbished Electronics Insurance' }).click();
      await page.getByText('items up to 10\u202f000.00 SEK: 699.00 SEK').waitFor();
      await expectAccessible(page, 'product');
      await page.getByRole('link', { name: 'Edit the rate tables and refund rules' }).click();
      await expectAccessible(page, 'product edit');
      const upTo = page.getByLabel('SE, 12 months, band 3: items up to (SEK)');
      const premium = page.getByLabel('SE, 12 months, band 3: premium (SEK)');
      expect(await upTo.inputValue()).toBe('10000.00');
      // Below band 2's 5 000: the core's rule refuses it, beside the field, and nothing is written.
      await upTo.fill('1500.00');
      await premium.fill('749.00');
      await page.getByRole('button', { name: 'Save the product' }).click();
      await page.locator('#markets-0-rates-12-bands-2-upTo[aria-invalid="true"]').waitFor();
      expect(await page.locator('#markets-0-rates-12-bands-2-upTo-error').innerText()).toBe(
        'bands must rise',
      );
      await expectAccessible(page, 'product edit with errors');
      expect(await t.db.read.products.get(code)).toEqual(before);
      expect(await t.db.read.productChanges.list(code, 50)).toHaveLength(changesBefore);
      expect(await quote()).toBe(69_900);

      expect(await premium.inputValue()).toBe('749.00'); // what was sent is shown again
      await upTo.fill('10000.00');
      await page.getByRole('button', { name: 'Save the product' }).click();
      await page.getByText('Saved. The change is in the history below.').waitFor();
      await page.getByText('items up to 10\u202f000.00 SEK: 749.00 SEK').waitFor();
      const latest = page.getByRole('row').filter({ hasText: 'ops@insurer.test' });
      expect(await latest.innerText()).toContain('markets/SE/rates/12');
    });
    expect(await quote()).toBe(74_900);
    const [change] = await t.db.read.productChanges.list(code, 1);
    expect(change).toMatchObject({ actor: { name: 'ops@insurer.test' }, before });
  });

  it('creates a partner (once, however often the form is sent) and adds and removes its stores', async () => {
    const code = `new-shop-${Date.now()}`;
    const page = await signedIn('ops@insurer.test');
    await withScreenshot(page, 'console-new-partner', async () => {
      await page.getByRole('link', { name: 'Partners' }).click();
      await page.getByLabel('Code (lower case, used in URLs)').fill('Not A Code');
      await page.getByLabel('Name', { exact: true }).fill('New Shop');
      await page.getByLabel('Market 1: country (SE)').fill('se');
      await page.getByLabel('Market 1: currency (SEK)').fill('sek');
      await page.getByLabel('Market 1: language (sv)').fill('sv');
      await page.getByRole('button', { name: 'Create the partner' }).click();
      await page.locator('#code[aria-invalid="true"]').waitFor();
      await page.locator('#code-error').waitFor();
      await expectAccessible(page, 'new partner with errors');
      expect(await page.getByLabel('Market 1: country (SE)').inputValue()).toBe('se');

      await page.getByLabel('Code (lower case, used in URLs)').fill(code);
      // The same form sent twice, as a double click does: one partner, and both answers lead to it.
      const sent = Object.fromEntries(
        await page.locator('form[action="/console/partners"] [name]').evaluateAll((els) =>
          els.map((e) => {
            const input = e as unknown as { name: string; value: string };
            return [input.name, input.value];
          }),
        ),
      );
      for (let i = 0; i < 2; i++) {
        const res = await page.request.post(`${base}/console/partners`, { form: sent, maxRedirects: 0 });
        expect(res.status(), await res.text()).toBe(303);
        expect(res.headers().location).toBe(`/console/partners/${code}?created=1`);
      }
      await page.goto(`${base}/console/partners/${code}?created=1`);
      await page.getByText('Partner created.').waitFor();
      await expectAccessible(page, 'new partner');
      const partner = (await t.db.read.partners.getByCode(code))!;
      expect(partner.markets).toEqual([{ country: 'SE', currency: 'SEK', language: 'sv' }]);

      await page.getByLabel('Store id (the partner’s own, as its POS sends it)').fill('kiosk-1');
      await page.getByLabel('Market', { exact: true }).selectOption('SE|SEK');
      await page.getByRole('button', { name: 'Add the store' }).click();
      await page.getByRole('cell', { name: 'kiosk-1', exact: true }).waitFor();
      expect(await t.db.read.stores.get(partner.id, 'kiosk-1')).toMatchObject({
        country: 'SE',
        currency: 'SEK',
      });
      // The same store id again is refused beside the field.
      await page.getByLabel('Store id (the partner’s own, as its POS sends it)').fill('kiosk-1');
      await page.getByRole('button', { name: 'Add the store' }).click();
      await page.locator('#externalId-error').getByText('already taken').waitFor();
      await expectAccessible(page, 'partner with a refused store');
      await page.getByRole('button', { name: 'Remove store kiosk-1' }).click();
      await page.getByText('Stores').first().waitFor();
      await expect.poll(() => page.getByRole('cell', { name: 'kiosk-1', exact: true }).count()).toBe(0);
    });
    expect(await t.db.read.stores.list((await t.db.read.partners.getByCode(code))!.id)).toEqual([]);
  });

  it('does not show a partner user the products pages', async () => {
    const page = await signedIn('staff@other.test');
    expect(await page.getByRole('link', { name: 'Products' }).count()).toBe(0);
    for (const path of [
      '/console/products',
      '/console/products/tech-insurance',
      '/console/products/tech-insurance/edit',
    ])
      expect((await page.goto(`${base}${path}`))?.status(), path).toBe(404);
  });
});
