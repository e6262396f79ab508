import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DAY_MS } from '../../src/core/clock.js';
import { CoreError, type ErrorCode } from '../../src/core/errors.js';
import type { Tenant } from '../../src/core/partners/partner.js';
import { confirmCancellation, previewCancellation } from '../../src/core/policies/cancellation-change.js';
import { confirmPayment } from '../../src/core/policies/confirm-policy.js';
import { QUOTE_VALIDITY_MS } from '../../src/core/quote-validity.js';
import type { Database } from '../../src/storage/database.js';
import { type CoreHarness, coreHarness } from '../helpers/core.js';
import { BACKENDS, testDatabase } from '../helpers/database.js';

const T0 = '2026-03-02T10:00:00.000Z';
const GBP = (amount: number) => ({ amount, currency: 'GBP' });

describe.each(BACKENDS)('cancellation previewed then confirmed on %s', (backend) => {
  let db: Database;
  let h: CoreHarness;
  beforeAll(async () => {
    db = await testDatabase(backend);
    h = coreHarness(db, T0);
  });
  afterAll(() => db.close());
  beforeEach(() => h.clock.set(T0));

  /** product-protection, GB, 12 months, for a laptop: 10 % of the price. */
  const bind = (tenant: Tenant, price = 89_900, paymentPending = false) =>
    h.bindProtection(tenant, { category: 'Laptop', price: GBP(price) }, { paymentPending });
  const refusal = async (work: Promise<unknown>, code: ErrorCode) => {
    const error = await work.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CoreError);
    expect((error as CoreError).code, (error as CoreError).message).toBe(code);
    return (error as CoreError).fields.map((f) => f.field);
  };
  const advanceDays = (days: number) => h.clock.set(new Date(h.clock.now().getTime() + days * DAY_MS));

  it('prices several policies as one group, holds the refunds shown, and cancels them together', async () => {
    const tenant = await h.tenant();
    const a = await bind(tenant);
    const b = await bind(tenant, 199_900);
    advanceDays(61);
    const group = await h.run((deps) =>
      previewCancellation(deps, tenant, { policyIds: [a.id, b.id, a.id], reason: 'changed mind' }),
    );
    expect(group.groupId).toBe(group.changes[0]!.id);
    expect(group.expiresAt.getTime()).toBe(h.clock.now().getTime() + QUOTE_VALIDITY_MS);
    // Named twice, priced once. 304 of 365 days left: 89.90 × 304 / 365 = 74.88 (199.90: 166.49).
    expect(group.changes.map((c) => c.policyId)).toEqual([a.id, b.id]);
    expect(group.changes[0]).toMatchObject({
      kind: 'cancellation',
      status: 'pending',
      groupId: group.groupId,
      priceDiff: -7_488,
      cancellation: { reason: 'changed mind', quote: { rule: 'pro_rata', refund: GBP(7_488) } },
    });
    expect((await db.read.policies.get(tenant, a.id))?.status).toBe('active');

    // A day of cover later the refund would be a day less; the one shown holds until the change expires.
    h.clock.set(new Date(h.clock.now().getTime() + QUOTE_VALIDITY_MS - 1));
    const done = await h.run((deps) => confirmCancellation(deps, tenant, group.groupId));
    expect(done.replayed).toBe(false);
    expect(done.cancelled.map((c) => [c.policy.status, c.quote.refund.amount])).toEqual([
      ['cancelled', 7_488],
      ['cancelled', 16_649],
    ]);
    expect(done.cancelled[0]!.policy.refund).toEqual(GBP(7_488));
    expect(done.cancelled[0]!.change).toMatchObject({ status: 'confirmed', resultPolicyId: a.id });

    // Confirmed again, even past its expiry: the same result, nothing written.
    advanceDays(3);
    const history = (await db.read.policies.history(tenant, a.id)).length;
    const again = await h.run((deps) => confirmCancellation(deps, tenant, group.groupId));
    expect(again.replayed).toBe(true);
    expect(again.cancelled.map((c) => c.quote)).toEqual(done.cancelled.map((c) => c.quote));
    expect(again.cancelled[0]!.change.confirmedAt).toEqual(done.cancelled[0]!.change.confirmedAt);
    expect((await db.read.policies.history(tenant, a.id)).length).toBe(history);
  });

  it('one policy is its own group, confirmed by its change id', async () => {
    const tenant = await h.tenant();
    const policy = await bind(tenant);
    const { groupId, changes } = await h.run((deps) =>
      previewCancellation(deps, tenant, { policyIds: [policy.id] }),
    );
    expect(groupId).toBe(changes[0]!.id);
    // Inside the cooling-off period: everything back.
    expect(changes[0]!.cancellation).toEqual({
      reason: 'requested',
      quote: expect.objectContaining({ rule: 'cooling_off', refund: GBP(8_990) }),
    });
    const done = await h.run((deps) => confirmCancellation(deps, tenant, groupId));
    expect(done.cancelled[0]!.policy.status).toBe('cancelled');
  });

  it('a caller may name the group, once', async () => {
    const tenant = await h.tenant();
    const policy = await bind(tenant);
    const group = await h.run((deps) =>
      previewCancellation(deps, tenant, { policyIds: [policy.id], groupId: 'abcde-fghij-klmno-CCL' }),
    );
    expect(group.groupId).toBe('abcde-fghij-klmno-CCL');
    expect(
      await refusal(
        h.run((deps) =>
          previewCancellation(deps, tenant, { policyIds: [policy.id], groupId: 'abcde-fghij-klmno-CCL' }),
        ),
        'already_exists',
      ),
    ).toEqual(['groupId']);
  });

  it('refuses an expired, an unknown, another tenant’s or another booking’s cancellation', async () => {
    const tenant = await h.tenant();
    const other = await h.tenant();
    const policy = await bind(tenant);
    const elsewhere = await bind(tenant);
    const { groupId } = await h.run((deps) => previewCancellation(deps, tenant, { policyIds: [policy.id] }));

    expect(
      await refusal(
        h.run((deps) => confirmCancellation(deps, tenant, groupId, { within: [elsewhere.id] })),
        'not_found',
      ),
    ).toEqual(['changeId']);
    await refusal(
      h.run((deps) => confirmCancellation(deps, other, groupId)),
      'not_found',
    );
    await refusal(
      h.run((deps) => confirmCancellation(deps, tenant, 'pch_unknown')),
      'not_found',
    );
    h.clock.set(new Date(h.clock.now().getTime() + QUOTE_VALIDITY_MS));
    expect(
      await refusal(
        h.run((deps) => confirmCancellation(deps, tenant, groupId)),
        'offer_expired',
      ),
    ).toEqual(['changeId']);
    expect((await db.read.policies.get(tenant, policy.id))?.status).toBe('active');
  });

  it('refuses to hold a refund the policy no longer has: paid since the preview', async () => {
    const tenant = await h.tenant();
    const policy = await bind(tenant, 89_900, true);
    const { groupId, changes } = await h.run((deps) =>
      previewCancellation(deps, tenant, { policyIds: [policy.id] }),
    );
    // Not paid for: voided, nothing back.
    expect(changes[0]!.cancellation?.quote).toMatchObject({ rule: 'unpaid', refund: GBP(0) });
    await h.run((deps) => confirmPayment(deps, tenant, policy.id));
    await refusal(
      h.run((deps) => confirmCancellation(deps, tenant, groupId)),
      'invalid_transition',
    );
    expect((await db.read.policies.get(tenant, policy.id))?.status).toBe('active');
  });

  it('a policy already ended cannot be previewed', async () => {
    const tenant = await h.tenant();
    const policy = await bind(tenant);
    const { groupId } = await h.run((deps) => previewCancellation(deps, tenant, { policyIds: [policy.id] }));
    await h.run((deps) => confirmCancellation(deps, tenant, groupId));
    await refusal(
      h.run((deps) => previewCancellation(deps, tenant, { policyIds: [policy.id] })),
      'invalid_transition',
    );
    await refusal(
      h.run((deps) => previewCancellation(deps, tenant, { policyIds: [] })),
      'validation_failed',
    );
  });
});
