import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerLinkKey, formToken, signCustomerToken } from '../../src/auth/customer-link.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { DEMO_KEY, TEST_TOKEN_KEY } from '../helpers/constants.js';
import { bindDirect } from './support.js';

const KEY = customerLinkKey(TEST_TOKEN_KEY);

let t: TestApp;
let policyId: string;
let partnerId: string;
beforeAll(async () => {
  t = await buildTestApp();
  const policy = await bindDirect(t, DEMO_KEY);
  policyId = policy.id;
  partnerId = (await t.db.read.partners.getByCode('electroshop'))!.id;
});
afterAll(() => t.close());

const sign = (
  link: { partnerId: string; policyId: string },
  expiresAt: Date,
  key: Parameters<typeof signCustomerToken>[0] = KEY,
) => signCustomerToken(key, { ...link, mode: 'test' }, new Date('2026-03-01T00:00:00Z'), expiresAt);
const LATER = new Date('2027-01-01T00:00:00Z');

describe('the customer link', () => {
  it('opens the policy page with the security headers of the customer pages', async () => {
    const token = await sign({ partnerId, policyId }, LATER);
    const res = await t.app.inject({ method: 'GET', url: `/my/${token}` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['cache-control']).toBe('private, no-store');
  });

  it('refuses a forged, a foreign-key or an expired token, and names no policy', async () => {
    const foreign = await sign({ partnerId, policyId }, LATER, new Uint8Array(32).fill(1));
    for (const token of ['not-a-token', foreign]) {
      const res = await t.app.inject({ method: 'GET', url: `/my/${token}` });
      expect(res.statusCode).toBe(404);
      expect(res.body).toContain('This link is not valid');
      expect(res.body).not.toContain(policyId);
    }
    const expired = await sign({ partnerId, policyId }, new Date('2026-03-01T12:00:00Z'));
    const res = await t.app.inject({ method: 'GET', url: `/my/${expired}` });
    expect(res.statusCode).toBe(410);
    expect(res.body).toContain('This link has expired');
  });

  it("does not open another tenant's policy: the token names the tenant", async () => {
    const other = await t.newPartner();
    const token = await sign({ partnerId: other.partnerId, policyId }, LATER);
    expect((await t.app.inject({ method: 'GET', url: `/my/${token}` })).statusCode).toBe(404);
  });

  it('refuses a form without the token derived from the link, and changes nothing', async () => {
    const token = await sign({ partnerId, policyId }, LATER);
    for (const csrf of ['', formToken(KEY, `${token}x`)]) {
      const res = await t.app.inject({
        method: 'POST',
        url: `/my/${token}/cancel`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: `csrf=${encodeURIComponent(csrf)}`,
      });
      expect(res.statusCode).toBe(403);
    }
    const policy = (await t.call({ method: 'GET', url: `/v1/policies/${policyId}` })).json();
    expect(policy.status).toBe('active');
    const ok = await t.app.inject({
      method: 'POST',
      url: `/my/${token}/cancel`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `csrf=${encodeURIComponent(formToken(KEY, token))}`,
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.body).toContain('Confirm cancellation');
  });

  it('files one claim for a form sent twice (its form id is its idempotency key)', async () => {
    const policy = await bindDirect(t, DEMO_KEY);
    const token = await sign({ partnerId, policyId: policy.id }, LATER);
    const fields: Record<string, string> = {
      csrf: formToken(KEY, token),
      form_id: 'f0f0f0f0-1111-2222-3333-444455556666',
      incident_date: '2026-03-02',
      type: 'damage',
      description: 'Cracked screen',
      claimed_amount: '120.00',
    };
    const boundary = 'customer-boundary';
    const parts = Object.entries(fields).map(
      ([name, value]) =>
        `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
    );
    const payload = Buffer.concat([
      Buffer.from(parts.join('')),
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n`,
      ),
      Buffer.from([0x89, 0x50, 0x4e, 0x47]),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const send = () =>
      t.app.inject({
        method: 'POST',
        url: `/my/${token}/claims`,
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
        payload,
      });
    const first = await send();
    expect(first.statusCode, first.body).toBe(303);
    const second = await send();
    expect(second.statusCode, second.body).toBe(303);
    expect(second.headers.location).toBe(first.headers.location);
    const claims = await t.db.read.claims.list(
      { partnerId, mode: 'test' },
      { policyId: policy.id, limit: 10 },
    );
    expect(claims).toHaveLength(1);
  });
});
