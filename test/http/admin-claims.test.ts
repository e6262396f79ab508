import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { BINARY, claimCounts, fileClaimFor, upload } from './claims-support.js';
import { expectProblem } from './support.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

const GBP = (amount: number) => ({ amount, currency: 'GBP' });
const act = (claimId: string, action: string, payload?: object) =>
  t.admin({ method: 'POST', url: `/admin/v1/claims/${claimId}/${action}`, ...(payload ? { payload } : {}) });

/** A fresh partner's claim (800 GBP claimed) moved along by the admin API as far as `to`. */
async function claimAt(to: 'submitted' | 'in_review' | 'approved' | 'denied' | 'paid') {
  const partner = await t.newPartner();
  const { claim, policy } = await fileClaimFor(t, partner.key);
  const steps: [string, object | undefined][] = {
    submitted: [],
    in_review: [['review', undefined]],
    approved: [
      ['review', undefined],
      ['approve', { approved_amount: GBP(60_000) }],
    ],
    denied: [
      ['review', undefined],
      ['deny', { reason: 'not covered' }],
    ],
    paid: [
      ['review', undefined],
      ['approve', { approved_amount: GBP(60_000) }],
      ['pay', { paid_amount: GBP(60_000) }],
    ],
  }[to] as [string, object | undefined][];
  for (const [action, body] of steps) {
    const res = await act(claim.id, action, body);
    expect(res.statusCode, res.body).toBe(200);
  }
  return { ...partner, claim, policy };
}

describe('the claims handlers: GET /admin/v1/claims and /admin/v1/claims/{id}', () => {
  it('the queue spans partners, filters by status, partner and mode, and shows whose claim it is', async () => {
    const a = await claimAt('submitted');
    const b = await claimAt('in_review');
    const submitted = (
      await t.admin({ method: 'GET', url: '/admin/v1/claims?status=submitted&limit=100' })
    ).json();
    const ids = submitted.data.map((c: { id: string }) => c.id);
    expect(ids).toContain(a.claim.id);
    expect(ids).not.toContain(b.claim.id);
    const mine = (
      await t.admin({ method: 'GET', url: `/admin/v1/claims?partner=${b.code}&mode=test` })
    ).json();
    expect(mine.data).toHaveLength(1);
    expect(mine.data[0]).toMatchObject({ id: b.claim.id, status: 'in_review', partner_id: b.partnerId });
    const live = (
      await t.admin({ method: 'GET', url: `/admin/v1/claims?partner=${b.code}&mode=live` })
    ).json();
    expect(live.data).toEqual([]);

    const one = await t.admin({ method: 'GET', url: `/admin/v1/claims/${a.claim.id}` });
    expect(one.statusCode).toBe(200);
    expect(one.json()).toMatchObject({
      id: a.claim.id,
      object: 'claim',
      partner_id: a.partnerId,
      status: 'submitted',
    });
  });

  it('pages the queue with next_cursor', async () => {
    const p = await claimAt('submitted');
    await fileClaimFor(t, p.key);
    const first = (
      await t.admin({ method: 'GET', url: `/admin/v1/claims?partner=${p.code}&limit=1` })
    ).json();
    expect(first.data).toHaveLength(1);
    const second = (
      await t.admin({
        method: 'GET',
        url: `/admin/v1/claims?partner=${p.code}&limit=1&cursor=${first.next_cursor}`,
      })
    ).json();
    expect(second.data).toHaveLength(1);
    expect(second.data[0].id).not.toBe(first.data[0].id);
    expect(second.next_cursor).toBeNull();
  });

  it.each([
    ['/admin/v1/claims?status=lost', 400, 'querystring:status'],
    ['/admin/v1/claims?mode=prod', 400, 'querystring:mode'],
    ['/admin/v1/claims?limit=101', 400, 'querystring:limit'],
    ['/admin/v1/claims?cursor=bm9wZQ', 400, 'querystring:cursor'],
    ['/admin/v1/claims?partner=no-such-shop', 404, 'code'],
    ['/admin/v1/claims/clm_nope', 404, 'id'],
    ['/admin/v1/claims/clm_nope/attachments/att_nope', 404, 'id'],
  ])('GET %s is a %i naming %s', async (url, status, field) => {
    expectProblem(await t.admin({ method: 'GET', url }), status, { field });
  });

  it('needs the admin token; a partner key is not one', async () => {
    const p = await claimAt('submitted');
    expectProblem(await t.app.inject({ method: 'GET', url: '/admin/v1/claims' }), 401, {
      code: 'unauthenticated',
    });
    expectProblem(await t.call({ method: 'GET', url: '/admin/v1/claims', key: p.key }), 401, {
      code: 'unauthenticated',
    });
    expectProblem(
      await t.call({ method: 'POST', url: `/admin/v1/claims/${p.claim.id}/review`, key: p.key }),
      401,
      {
        code: 'unauthenticated',
      },
    );
  });

  it("downloads a claim's file", async () => {
    const p = await claimAt('submitted');
    const up = await upload(t, p.key, p.claim.id, [
      { name: 'file', filename: 'r.pdf', type: 'application/pdf', content: BINARY },
    ]);
    const res = await t.admin({
      method: 'GET',
      url: `/admin/v1/claims/${p.claim.id}/attachments/${up.json().id}`,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.rawPayload.equals(BINARY)).toBe(true);
  });
});

describe('the claims handlers: POST /admin/v1/claims/{id}/review|approve|deny|pay|close', () => {
  it('review, approve, pay, close: each answers the claim, review and close need no body', async () => {
    const p = await claimAt('submitted');
    const review = await t.admin({ method: 'POST', url: `/admin/v1/claims/${p.claim.id}/review` });
    expect(review.statusCode, review.body).toBe(200);
    expect(review.json()).toMatchObject({ status: 'in_review' });
    const approve = await act(p.claim.id, 'approve', {
      approved_amount: GBP(70_000),
      note: 'photos check out',
    });
    expect(approve.json()).toMatchObject({ status: 'approved', approved_amount: GBP(70_000) });
    const pay = await act(p.claim.id, 'pay', { paid_amount: GBP(70_000) });
    expect(pay.json()).toMatchObject({ status: 'paid', paid_amount: GBP(70_000) });
    const close = await t.admin({ method: 'POST', url: `/admin/v1/claims/${p.claim.id}/close` });
    expect(close.json()).toMatchObject({ status: 'closed' });
    const events = (
      await t.call({ method: 'GET', url: `/v1/claims/${p.claim.id}/events`, key: p.key })
    ).json();
    expect(events.data.map((e: { type: string }) => e.type)).toEqual([
      'filed',
      'review_started',
      'approved',
      'paid',
      'closed',
    ]);
    expect(events.data[2].data).toEqual({ approved_amount: GBP(70_000), note: 'photos check out' });
    const policyEvents = (
      await t.call({ method: 'GET', url: `/v1/policies/${p.policy.id}/events`, key: p.key })
    ).json();
    expect(policyEvents.data.at(-1)).toMatchObject({
      type: 'claim_paid',
      from_status: 'active',
      to_status: 'active',
    });
  });

  it('deny keeps the reason; a denied claim closes', async () => {
    const p = await claimAt('in_review');
    const deny = await act(p.claim.id, 'deny', { reason: 'Wear and tear is not covered.' });
    expect(deny.json()).toMatchObject({ status: 'denied', denial_reason: 'Wear and tear is not covered.' });
    expect((await act(p.claim.id, 'close', {})).json()).toMatchObject({ status: 'closed' });
  });

  it('a retry with the same idempotency key replays the decision', async () => {
    const p = await claimAt('in_review');
    const send = () =>
      t.admin({
        method: 'POST',
        url: `/admin/v1/claims/${p.claim.id}/approve`,
        headers: { 'idempotency-key': `approve-${p.claim.id}` },
        payload: { approved_amount: GBP(10_000) },
      });
    const first = await send();
    const again = await send();
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    expect((await claimCounts(t, p.partnerId)).claim_events).toBe(3);
  });

  type From = Parameters<typeof claimAt>[0];
  const cases: {
    name: string;
    from: From;
    action: string;
    body?: object;
    status: number;
    code: string;
    field: string;
  }[] = [
    {
      name: 'approve without an amount',
      from: 'in_review',
      action: 'approve',
      body: {},
      status: 400,
      code: 'validation_failed',
      field: 'approved_amount',
    },
    {
      name: 'approve more than claimed',
      from: 'in_review',
      action: 'approve',
      body: { approved_amount: GBP(80_001) },
      status: 400,
      code: 'validation_failed',
      field: 'approved_amount/amount',
    },
    {
      name: 'approve nothing',
      from: 'in_review',
      action: 'approve',
      body: { approved_amount: GBP(0) },
      status: 400,
      code: 'validation_failed',
      field: 'approved_amount/amount',
    },
    {
      name: 'approve in another currency',
      from: 'in_review',
      action: 'approve',
      body: { approved_amount: { amount: 10, currency: 'EUR' } },
      status: 400,
      code: 'validation_failed',
      field: 'approved_amount/currency',
    },
    {
      name: 'approve an amount as a string',
      from: 'in_review',
      action: 'approve',
      body: { approved_amount: { amount: '10', currency: 'GBP' } },
      status: 400,
      code: 'validation_failed',
      field: 'approved_amount/amount',
    },
    {
      name: 'approve a submitted claim',
      from: 'submitted',
      action: 'approve',
      body: { approved_amount: GBP(10) },
      status: 409,
      code: 'invalid_transition',
      field: 'status',
    },
    {
      name: 'deny without a reason',
      from: 'in_review',
      action: 'deny',
      body: {},
      status: 400,
      code: 'validation_failed',
      field: 'reason',
    },
    {
      name: 'deny with a blank reason',
      from: 'in_review',
      action: 'deny',
      body: { reason: '   ' },
      status: 400,
      code: 'validation_failed',
      field: 'reason',
    },
    {
      name: 'deny an approved claim',
      from: 'approved',
      action: 'deny',
      body: { reason: 'late' },
      status: 409,
      code: 'invalid_transition',
      field: 'status',
    },
    {
      name: 'pay more than approved',
      from: 'approved',
      action: 'pay',
      body: { paid_amount: GBP(60_001) },
      status: 400,
      code: 'validation_failed',
      field: 'paid_amount/amount',
    },
    {
      name: 'pay without an amount',
      from: 'approved',
      action: 'pay',
      body: {},
      status: 400,
      code: 'validation_failed',
      field: 'paid_amount',
    },
    {
      name: 'pay a denied claim',
      from: 'denied',
      action: 'pay',
      body: { paid_amount: GBP(1) },
      status: 409,
      code: 'invalid_transition',
      field: 'status',
    },
    {
      name: 'pay twice',
      from: 'paid',
      action: 'pay',
      body: { paid_amount: GBP(1) },
      status: 409,
      code: 'invalid_transition',
      field: 'status',
    },
    {
      name: 'review twice',
      from: 'in_review',
      action: 'review',
      status: 409,
      code: 'invalid_transition',
      field: 'status',
    },
    {
      name: 'close an open claim',
      from: 'approved',
      action: 'close',
      status: 409,
      code: 'invalid_transition',
      field: 'status',
    },
    {
      name: 'an unknown field',
      from: 'submitted',
      action: 'review',
      body: { priority: 1 },
      status: 400,
      code: 'validation_failed',
      field: 'priority',
    },
    {
      name: 'a note too long',
      from: 'submitted',
      action: 'close',
      body: { note: 'x'.repeat(1001) },
      status: 400,
      code: 'validation_failed',
      field: 'note',
    },
  ];
  it.each(cases)('$name: $status naming $field, nothing written', async (c) => {
    const p = await claimAt(c.from);
    const before = await claimCounts(t, p.partnerId);
    const policyBefore = (
      await t.call({ method: 'GET', url: `/v1/policies/${p.policy.id}/events`, key: p.key })
    ).json();
    expectProblem(await act(p.claim.id, c.action, c.body), c.status, { code: c.code, field: c.field });
    expect(await claimCounts(t, p.partnerId)).toEqual(before);
    const claim = (await t.admin({ method: 'GET', url: `/admin/v1/claims/${p.claim.id}` })).json();
    expect(claim.status).toBe(c.from);
    const policyAfter = (
      await t.call({ method: 'GET', url: `/v1/policies/${p.policy.id}/events`, key: p.key })
    ).json();
    expect(policyAfter).toEqual(policyBefore);
  });

  it('an unknown claim is a 404 on every action', async () => {
    for (const action of ['review', 'approve', 'deny', 'pay', 'close']) {
      const body = {
        approve: { approved_amount: GBP(1) },
        deny: { reason: 'x' },
        pay: { paid_amount: GBP(1) },
      }[action];
      expectProblem(await act('clm_nope', action, body ?? {}), 404, { code: 'not_found', field: 'id' });
    }
  });
});
