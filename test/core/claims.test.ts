import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addAttachment } from '../../src/core/claims/add-attachment.js';
import type { Claim } from '../../src/core/claims/claim.js';
import { approveClaim, closeClaim, denyClaim, reviewClaim } from '../../src/core/claims/decide-claim.js';
import { type FileClaimInput, fileClaim } from '../../src/core/claims/file-claim.js';
import { payClaim } from '../../src/core/claims/pay-claim.js';
import { CoreError, type ErrorCode } from '../../src/core/errors.js';
import type { Tenant } from '../../src/core/partners/partner.js';
import { cancelPolicy } from '../../src/core/policies/cancel-policy.js';
import type { Policy } from '../../src/core/policies/policy.js';
import { applyDue } from '../../src/core/policies/schedule.js';
import type { Database } from '../../src/storage/database.js';
import { type CoreHarness, coreHarness } from '../helpers/core.js';
import { BACKENDS, testDatabase } from '../helpers/database.js';

const T0 = '2026-03-02T10:00:00.000Z';
const DAY = 86_400_000;
const GBP = (amount: number) => ({ amount, currency: 'GBP' });

describe.each(BACKENDS)('claims on %s', (backend) => {
  let db: Database;
  let h: CoreHarness;
  beforeAll(async () => {
    db = await testDatabase(backend);
    h = coreHarness(db, T0);
  });
  afterAll(() => db.close());
  beforeEach(() => h.clock.set(T0));

  const bind = (tenant: Tenant, coverageStart?: Date) =>
    h.bindProtection(
      tenant,
      { category: 'Laptop', price: GBP(100_000) },
      coverageStart ? { coverageStart } : {},
    );
  const claimInput = (policy: Policy, overrides: Partial<FileClaimInput> = {}): FileClaimInput => ({
    policyId: policy.id,
    incidentDate: '2026-03-02',
    type: 'damage',
    description: 'Coffee over the keyboard.',
    claimedAmount: GBP(80_000),
    ...overrides,
  });
  const file = (tenant: Tenant, input: FileClaimInput) => h.run((deps) => fileClaim(deps, tenant, input));
  const refusal = async (work: Promise<unknown>, code: ErrorCode) => {
    const error = await work.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CoreError);
    expect((error as CoreError).code, (error as CoreError).message).toBe(code);
    return (error as CoreError).fields.map((f) => f.field);
  };
  const outbound = async (tenant: Tenant) => {
    const { rows } = await sql<{ type: string; subject_id: string; data: Record<string, unknown> }>`
      SELECT type, subject_id, data FROM events WHERE partner_id = ${tenant.partnerId} ORDER BY id`.execute(
      db.kysely,
    );
    return rows;
  };
  const claimRows = async (tenant: Tenant) => {
    const count = async (table: string) => {
      const { rows } = await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM ${sql.table(table)} WHERE partner_id = ${tenant.partnerId}`.execute(
        db.kysely,
      );
      return Number(rows[0]?.n);
    };
    return {
      claims: await count('claims'),
      claim_events: await count('claim_events'),
      claim_attachments: await count('claim_attachments'),
    };
  };

  it('files a claim: submitted, one event, and a claim.created webhook event with the claim', async () => {
    const tenant = await h.tenant();
    const policy = await bind(tenant);
    const claim = await file(tenant, claimInput(policy, { description: '  Coffee over the keyboard.  ' }));
    expect(claim).toMatchObject({
      id: expect.stringMatching(/^clm_/),
      policyId: policy.id,
      status: 'submitted',
      type: 'damage',
      incidentDate: '2026-03-02',
      description: 'Coffee over the keyboard.',
      claimedAmount: GBP(80_000),
      approvedAmount: null,
      paidAmount: null,
      attachments: [],
    });
    expect(await db.read.claims.get(tenant, claim.id)).toEqual(claim);
    const events = await db.read.claims.history(tenant, claim.id);
    expect(events.map((e) => [e.type, e.fromStatus, e.toStatus])).toEqual([['filed', null, 'submitted']]);
    const published = (await outbound(tenant)).filter((e) => e.type.startsWith('claim.'));
    expect(published).toEqual([
      {
        type: 'claim.created',
        subject_id: claim.id,
        data: expect.objectContaining({ claimEvent: 'filed' }),
      },
    ]);
    expect(published[0]?.data.claim).toMatchObject({ id: claim.id, status: 'submitted' });
  });

  it('approve, pay, close: every step an event and a claim.updated; paying marks the policy and stops its refund', async () => {
    const tenant = await h.tenant();
    const policy = await bind(tenant);
    const filed = await file(tenant, claimInput(policy));
    h.clock.advance(DAY);
    await h.run((deps) => reviewClaim(deps, tenant, filed.id, 'looking at the photos'));
    const approved = await h.run((deps) =>
      approveClaim(deps, tenant, filed.id, { approvedAmount: GBP(60_000) }),
    );
    expect(approved).toMatchObject({ status: 'approved', approvedAmount: GBP(60_000) });
    const paid = await h.run((deps) => payClaim(deps, tenant, filed.id, { paidAmount: GBP(60_000) }));
    expect(paid).toMatchObject({ status: 'paid', paidAmount: GBP(60_000) });
    const closed = await h.run((deps) => closeClaim(deps, tenant, filed.id));
    expect(closed.status).toBe('closed');

    const events = await db.read.claims.history(tenant, filed.id);
    expect(events.map((e) => `${e.type}: ${e.fromStatus} -> ${e.toStatus}`)).toEqual([
      'filed: null -> submitted',
      'review_started: submitted -> in_review',
      'approved: in_review -> approved',
      'paid: approved -> paid',
      'closed: paid -> closed',
    ]);
    expect(events[1]?.data).toEqual({ note: 'looking at the photos' });
    expect(events[2]?.data).toEqual({ approvedAmount: GBP(60_000) });

    const after = await db.read.policies.get(tenant, policy.id);
    expect(after).toMatchObject({ status: 'active', claimPaid: true });
    const policyEvents = await db.read.policies.history(tenant, policy.id);
    expect(policyEvents.at(-1)).toMatchObject({
      type: 'claim_paid',
      fromStatus: 'active',
      toStatus: 'active',
      data: { claimId: filed.id, paidAmount: GBP(60_000) },
    });
    const types = (await outbound(tenant)).map((e) => e.type);
    expect(types).toEqual([
      'policy.created',
      'policy.activated',
      'claim.created',
      'claim.updated',
      'claim.updated',
      'claim.updated',
      'policy.updated', // the claim_paid policy event
      'claim.updated',
    ]);

    // Inside the 30-day cooling-off window, which would refund everything without the paid claim.
    const preview = await h.run((deps) => cancelPolicy(deps, tenant, { policyId: policy.id, preview: true }));
    expect(preview.quote.rule).toBe('after_paid_claim');
    expect(preview.quote.refund.amount).toBe(0);
  });

  it('deny then close; every other move from the wrong status is a conflict that writes nothing', async () => {
    const tenant = await h.tenant();
    const policy = await bind(tenant);
    const claim = await file(tenant, claimInput(policy));
    expect(
      await refusal(
        h.run((deps) => denyClaim(deps, tenant, claim.id, 'no')),
        'invalid_transition',
      ),
    ).toEqual(['status']);
    expect(
      await refusal(
        h.run((deps) => approveClaim(deps, tenant, claim.id, { approvedAmount: GBP(1) })),
        'invalid_transition',
      ),
    ).toEqual(['status']);
    await refusal(
      h.run((deps) => closeClaim(deps, tenant, claim.id)),
      'invalid_transition',
    );
    await h.run((deps) => reviewClaim(deps, tenant, claim.id));
    await refusal(
      h.run((deps) => reviewClaim(deps, tenant, claim.id)),
      'invalid_transition',
    );
    const denied = await h.run((deps) =>
      denyClaim(deps, tenant, claim.id, '  wear and tear is not covered '),
    );
    expect(denied).toMatchObject({ status: 'denied', denialReason: 'wear and tear is not covered' });
    await refusal(
      h.run((deps) => payClaim(deps, tenant, claim.id, { paidAmount: GBP(1) })),
      'invalid_transition',
    );
    await h.run((deps) => closeClaim(deps, tenant, claim.id));
    expect((await db.read.claims.history(tenant, claim.id)).map((e) => e.type)).toEqual([
      'filed',
      'review_started',
      'denied',
      'closed',
    ]);
    expect((await db.read.policies.get(tenant, policy.id))?.claimPaid).toBe(false);
  });

  it('approved and paid amounts are bounded by the claimed and the approved amount, in the claim currency', async () => {
    const tenant = await h.tenant();
    const claim = await file(tenant, claimInput(await bind(tenant)));
    await h.run((deps) => reviewClaim(deps, tenant, claim.id));
    const approve = (amount: { amount: number; currency: string }) =>
      h.run((deps) => approveClaim(deps, tenant, claim.id, { approvedAmount: amount }));
    expect(await refusal(approve(GBP(80_001)), 'validation_failed')).toEqual(['approvedAmount/amount']);
    expect(await refusal(approve(GBP(0)), 'validation_failed')).toEqual(['approvedAmount/amount']);
    expect(await refusal(approve({ amount: 100, currency: 'EUR' }), 'validation_failed')).toEqual([
      'approvedAmount/currency',
    ]);
    await approve(GBP(50_000));
    expect(
      await refusal(
        h.run((deps) => payClaim(deps, tenant, claim.id, { paidAmount: GBP(50_001) })),
        'validation_failed',
      ),
    ).toEqual(['paidAmount/amount']);
    const unchanged = await db.read.claims.get(tenant, claim.id);
    expect(unchanged).toMatchObject({ status: 'approved', paidAmount: null });
    expect((await db.read.policies.get(tenant, claim.policyId))?.claimPaid).toBe(false);
    const paid = await h.run((deps) => payClaim(deps, tenant, claim.id, { paidAmount: GBP(45_000) }));
    expect(paid.paidAmount).toEqual(GBP(45_000));
  });

  it('refuses a claim the policy does not answer for, naming the field, and writes nothing', async () => {
    const tenant = await h.tenant();
    const other = await h.tenant();
    const policy = await bind(tenant);
    const cases: [Partial<FileClaimInput>, ErrorCode, string[]][] = [
      [{ policyId: 'pol_nope' }, 'not_found', ['policyId']],
      [{ incidentDate: '2026-03-03' }, 'validation_failed', ['incidentDate']], // tomorrow
      [{ incidentDate: '2026-03-01' }, 'not_eligible', ['incidentDate']], // the day before cover
      [{ incidentDate: '2026-02-30' }, 'validation_failed', ['incidentDate']],
      [{ claimedAmount: GBP(0) }, 'validation_failed', ['claimedAmount/amount']],
      [{ claimedAmount: { amount: 100, currency: 'SEK' } }, 'validation_failed', ['claimedAmount/currency']],
      [{ claimedAmount: GBP(500_001) }, 'not_eligible', ['claimedAmount/amount']], // limit 5000.00 GBP
      [{ type: 'fire' }, 'validation_failed', ['type']],
      [{ description: ' ' }, 'validation_failed', ['description']],
    ];
    for (const [overrides, code, fields] of cases) {
      expect(
        await refusal(file(tenant, claimInput(policy, overrides)), code),
        JSON.stringify(overrides),
      ).toEqual(fields);
    }
    // Another partner cannot claim against this policy: to them it does not exist.
    expect(await refusal(file(other, claimInput(policy)), 'not_found')).toEqual(['policyId']);
    expect(await claimRows(tenant)).toEqual({ claims: 0, claim_events: 0, claim_attachments: 0 });
    expect(await claimRows(other)).toEqual({ claims: 0, claim_events: 0, claim_attachments: 0 });
    expect((await outbound(tenant)).filter((e) => e.type.startsWith('claim.'))).toEqual([]);
    // The cover limit itself is fine.
    expect((await file(tenant, claimInput(policy, { claimedAmount: GBP(500_000) }))).status).toBe(
      'submitted',
    );
  });

  it('a cancelled policy takes no claims, not even for a day it covered', async () => {
    const tenant = await h.tenant();
    const policy = await bind(tenant);
    h.clock.advance(2 * DAY);
    await h.run((deps) => cancelPolicy(deps, tenant, { policyId: policy.id }));
    expect(await refusal(file(tenant, claimInput(policy)), 'not_eligible')).toEqual(['policyId']);
  });

  it('an expired policy takes a claim for a loss during cover, not for one after', async () => {
    const tenant = await h.tenant();
    const policy = await bind(tenant);
    h.clock.set('2027-03-05T00:00:00Z');
    const expired = await h.run((deps) => applyDue(deps, 'expiry', tenant, policy.id));
    expect(expired?.status).toBe('expired');
    expect(
      await refusal(file(tenant, claimInput(policy, { incidentDate: '2027-03-03' })), 'not_eligible'),
    ).toEqual(['incidentDate']);
    const claim = await file(tenant, claimInput(policy, { incidentDate: '2027-03-02' }));
    expect(claim.status).toBe('submitted');
  });

  it('keeps files byte for byte, up to 10 per claim, and none once the claim is closed', async () => {
    const tenant = await h.tenant();
    const claim = await file(tenant, claimInput(await bind(tenant)));
    const bytes = new Uint8Array(Array.from({ length: 512 }, (_, i) => i % 256));
    const add = (id: string, n: number) =>
      h.run((deps) =>
        addAttachment(deps, tenant, {
          claimId: id,
          filename: `photo-${n}.jpg`,
          contentType: 'image/jpeg',
          content: bytes,
        }),
      );
    const { attachment } = await add(claim.id, 0);
    expect(attachment).toMatchObject({
      claimId: claim.id,
      filename: 'photo-0.jpg',
      contentType: 'image/jpeg',
      size: 512,
    });
    const found = await db.read.claims.attachment(tenant, claim.id, attachment.id);
    expect(found?.attachment).toEqual(attachment);
    expect(Array.from(found?.content ?? [])).toEqual(Array.from(bytes));
    for (let n = 1; n < 10; n++) await add(claim.id, n);
    expect(await refusal(add(claim.id, 10), 'quantity_exceeded')).toEqual(['file']);
    const stored = await db.read.claims.get(tenant, claim.id);
    expect(stored?.attachments.map((a) => a.filename)).toEqual(
      Array.from({ length: 10 }, (_, n) => `photo-${n}.jpg`),
    );
    const events = await db.read.claims.history(tenant, claim.id);
    expect(events.filter((e) => e.type === 'attachment_added')).toHaveLength(10);
    expect(events[1]).toMatchObject({ fromStatus: 'submitted', toStatus: 'submitted' });
    expect((await outbound(tenant)).filter((e) => e.type === 'claim.updated')).toHaveLength(10);

    const second = await file(tenant, claimInput(await bind(tenant)));
    await h.run(async (deps) => {
      await reviewClaim(deps, tenant, second.id);
      await denyClaim(deps, tenant, second.id, 'not covered');
      await closeClaim(deps, tenant, second.id);
    });
    expect(await refusal(add(second.id, 0), 'invalid_transition')).toEqual(['status']);
    expect(await refusal(add('clm_nope', 0), 'not_found')).toEqual(['claimId']);
  });

  it('stays inside its tenant and mode; the admin plane finds it by id alone', async () => {
    const tenant = await h.tenant();
    const other = await h.tenant();
    const policy = await bind(tenant);
    const claim = await file(tenant, claimInput(policy));
    const { attachment } = await h.run((deps) =>
      addAttachment(deps, tenant, {
        claimId: claim.id,
        filename: 'a.txt',
        contentType: 'text/plain',
        content: new TextEncoder().encode('hello'),
      }),
    );
    expect(await db.read.claims.get(other, claim.id)).toBeUndefined();
    expect(await db.read.claims.get({ ...tenant, mode: 'live' }, claim.id)).toBeUndefined();
    expect(await db.read.claims.attachment(other, claim.id, attachment.id)).toBeUndefined();
    expect(await db.read.claims.history(other, claim.id)).toEqual([]);
    expect(await db.read.claims.list(other, { limit: 10 })).toEqual([]);
    expect(
      await refusal(
        h.run((deps) => reviewClaim(deps, other, claim.id)),
        'not_found',
      ),
    ).toEqual(['claimId']);

    expect(await db.read.claims.locate(claim.id)).toEqual(tenant);
    expect(await db.read.claims.locate('clm_nope')).toBeUndefined();
    const queue = await db.read.claims.listAll({
      status: 'submitted',
      partnerId: tenant.partnerId,
      limit: 10,
    });
    expect(queue.map((c) => c.id)).toEqual([claim.id]);
    expect(queue[0]?.attachments.map((a) => a.id)).toEqual([attachment.id]);
    expect(await db.read.claims.listAll({ status: 'paid', partnerId: tenant.partnerId, limit: 10 })).toEqual(
      [],
    );
  });

  it('lists a policy’s claims newest first, a page at a time', async () => {
    const tenant = await h.tenant();
    const policy = await bind(tenant);
    const otherPolicy = await bind(tenant);
    const made: Claim[] = [];
    for (let i = 0; i < 3; i++) {
      h.clock.advance(1000);
      made.push(await file(tenant, claimInput(policy)));
    }
    await file(tenant, claimInput(otherPolicy));
    const first = await db.read.claims.list(tenant, { policyId: policy.id, limit: 2 });
    expect(first.map((c) => c.id)).toEqual([made[2]!.id, made[1]!.id]);
    const next = await db.read.claims.list(tenant, { policyId: policy.id, limit: 2, before: made[1]!.id });
    expect(next.map((c) => c.id)).toEqual([made[0]!.id]);
    expect(await db.read.claims.list(tenant, { limit: 10 })).toHaveLength(4);
  });

  it('claim history and evidence cannot be rewritten, but go with an erased partner', async () => {
    const tenant = await h.tenant();
    const claim = await file(tenant, claimInput(await bind(tenant)));
    await h.run((deps) =>
      addAttachment(deps, tenant, {
        claimId: claim.id,
        filename: 'a.txt',
        contentType: 'text/plain',
        content: new Uint8Array([1]),
      }),
    );
    await expect(
      sql`UPDATE claim_events SET type = 'x' WHERE claim_id = ${claim.id}`.execute(db.kysely),
    ).rejects.toThrow(/immutable/);
    await expect(
      sql`DELETE FROM claim_attachments WHERE claim_id = ${claim.id}`.execute(db.kysely),
    ).rejects.toThrow(/immutable/);
    await db.purgePartner(tenant.partnerId);
    expect(await claimRows(tenant)).toEqual({ claims: 0, claim_events: 0, claim_attachments: 0 });
  });
});
