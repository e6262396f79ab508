import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { BACKENDS } from '../helpers/database.js';
import { bindDirect, expectProblem } from './support.js';

/** A previewed cancellation is held by the core: confirmed later at the refund it showed, until it expires. */
describe.each(BACKENDS)('native cancellation preview and confirm on %s', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ backend });
  });
  afterAll(() => t?.close());

  async function previewed(key: string, policyId: string) {
    const res = await t.call({
      method: 'POST',
      url: `/v1/policies/${policyId}/cancel`,
      key,
      payload: { preview: true, reason: 'changed mind' },
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  }

  it('a preview gives an id and an expiry; confirming it cancels at that refund, and again answers the same', async () => {
    const { key } = await t.newPartner();
    const policy = await bindDirect(t, key);
    const preview = await previewed(key, policy.id);
    expect(preview).toMatchObject({ preview: true, outcome: 'cancelled', policy: { status: 'active' } });
    expect(preview.cancellation_id).toEqual(expect.any(String));
    expect(Date.parse(preview.expires_at) - t.clock.now().getTime()).toBe(24 * 3_600_000);
    t.clock.advance(3_600_000);
    const url = `/v1/policies/${policy.id}/cancellations/${preview.cancellation_id}/confirm`;
    const confirmed = await t.call({ method: 'POST', url, key });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json()).toMatchObject({
      preview: false,
      outcome: 'cancelled',
      refund: preview.refund,
      rule: preview.rule,
      cancellation_id: preview.cancellation_id,
      policy: { status: 'cancelled' },
    });
    const again = await t.call({ method: 'POST', url, key });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(confirmed.json());
    const history = (await t.call({ method: 'GET', url: `/v1/policies/${policy.id}/events`, key })).json();
    expect(history.data.map((e: { type: string }) => e.type)).toEqual(['bound', 'cancelled']);
  });

  it('past its expiry, or for another policy, it is refused naming cancellation_id, and nothing changes', async () => {
    const { key } = await t.newPartner();
    const policy = await bindDirect(t, key);
    const other = await bindDirect(t, key);
    const preview = await previewed(key, policy.id);
    const confirm = (policyId: string) =>
      t.call({
        method: 'POST',
        url: `/v1/policies/${policyId}/cancellations/${preview.cancellation_id}/confirm`,
        key,
      });
    expectProblem(await confirm(other.id), 404, { code: 'not_found', field: 'cancellation_id' });
    t.clock.advance(24 * 3_600_000);
    expectProblem(await confirm(policy.id), 422, { code: 'offer_expired', field: 'cancellation_id' });
    for (const id of [policy.id, other.id]) {
      expect((await t.call({ method: 'GET', url: `/v1/policies/${id}`, key })).json().status).toBe('active');
    }
  });

  it("another partner's preview is not found", async () => {
    const a = await t.newPartner();
    const b = await t.newPartner();
    const policy = await bindDirect(t, a.key);
    const preview = await previewed(a.key, policy.id);
    const res = await t.call({
      method: 'POST',
      url: `/v1/policies/${policy.id}/cancellations/${preview.cancellation_id}/confirm`,
      key: b.key,
    });
    expectProblem(res, 404, { code: 'not_found' });
  });
});
