import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import {
  BINARY,
  claimBody,
  claimCounts,
  type FormPart,
  fileClaimFor,
  multipart,
  upload,
} from './claims-support.js';
import { bindDirect, expectProblem } from './support.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

const NOTHING = { claims: 0, claim_events: 0, claim_attachments: 0, events: 0 };
const photo = (content: Buffer | string = BINARY, filename = 'crack.jpg'): FormPart => ({
  name: 'file',
  filename,
  type: 'image/jpeg',
  content,
});

describe('POST /v1/policies/{id}/claims', () => {
  it('files a claim in the native JSON shape, and a retry with the same key replays it', async () => {
    const { key } = await t.newPartner();
    const policy = await bindDirect(t, key);
    const send = () =>
      t.call({
        method: 'POST',
        url: `/v1/policies/${policy.id}/claims`,
        key,
        headers: { 'idempotency-key': 'claim-1' },
        payload: claimBody(),
      });
    const res = await send();
    expect(res.statusCode, res.body).toBe(201);
    const claim = res.json();
    expect(claim).toEqual({
      id: expect.stringMatching(/^clm_[0-9a-z]{26}$/),
      object: 'claim',
      mode: 'test',
      policy_id: policy.id,
      status: 'submitted',
      type: 'damage',
      incident_date: '2026-03-02',
      description: 'The screen cracked when the laptop fell off the desk.',
      claimed_amount: { amount: 80_000, currency: 'GBP' },
      approved_amount: null,
      paid_amount: null,
      denial_reason: null,
      attachments: [],
      created_at: '2026-03-02T10:00:00.000Z',
      updated_at: '2026-03-02T10:00:00.000Z',
    });
    const again = await send();
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(claim);
    const list = await t.call({ method: 'GET', url: `/v1/claims?policy_id=${policy.id}`, key });
    expect(list.json().data).toHaveLength(1);
  });

  interface Case {
    name: string;
    body: Record<string, unknown>;
    status: number;
    code: string;
    field: string;
    message?: string | RegExp;
  }
  const cases: Case[] = [
    {
      name: 'no incident date',
      body: claimBody({ incident_date: undefined }),
      status: 400,
      code: 'validation_failed',
      field: 'incident_date',
      message: 'is required',
    },
    {
      name: 'a date-time for the date',
      body: claimBody({ incident_date: '2026-03-02T10:00:00Z' }),
      status: 400,
      code: 'validation_failed',
      field: 'incident_date',
    },
    {
      name: 'a day that does not exist',
      body: claimBody({ incident_date: '2026-02-30' }),
      status: 400,
      code: 'validation_failed',
      field: 'incident_date',
    },
    {
      name: 'an incident tomorrow',
      body: claimBody({ incident_date: '2026-03-03' }),
      status: 400,
      code: 'validation_failed',
      field: 'incident_date',
      message: 'is in the future',
    },
    {
      name: 'an incident before cover',
      body: claimBody({ incident_date: '2026-03-01' }),
      status: 422,
      code: 'not_eligible',
      field: 'incident_date',
      message: /^not covered/,
    },
    {
      name: 'an unknown type',
      body: claimBody({ type: 'fire' }),
      status: 400,
      code: 'validation_failed',
      field: 'type',
      message: 'must be one of damage, theft, malfunction, loss, other',
    },
    {
      name: 'no description',
      body: claimBody({ description: undefined }),
      status: 400,
      code: 'validation_failed',
      field: 'description',
      message: 'is required',
    },
    {
      name: 'a blank description',
      body: claimBody({ description: '   ' }),
      status: 400,
      code: 'validation_failed',
      field: 'description',
    },
    {
      name: 'an amount as a string',
      body: claimBody({ claimed_amount: { amount: '800.00', currency: 'GBP' } }),
      status: 400,
      code: 'validation_failed',
      field: 'claimed_amount/amount',
      message: 'must be integer',
    },
    {
      name: 'a zero amount',
      body: claimBody({ claimed_amount: { amount: 0, currency: 'GBP' } }),
      status: 400,
      code: 'validation_failed',
      field: 'claimed_amount/amount',
    },
    {
      name: 'another currency',
      body: claimBody({ claimed_amount: { amount: 100, currency: 'EUR' } }),
      status: 400,
      code: 'validation_failed',
      field: 'claimed_amount/currency',
    },
    {
      name: 'above the cover limit',
      body: claimBody({ claimed_amount: { amount: 500_001, currency: 'GBP' } }),
      status: 422,
      code: 'not_eligible',
      field: 'claimed_amount/amount',
      message: 'above the cover limit of 500000',
    },
    {
      name: 'an unknown field',
      body: claimBody({ severity: 'high' }),
      status: 400,
      code: 'validation_failed',
      field: 'severity',
      message: 'is not a known field',
    },
  ];
  it.each(cases)('$name: $status naming $field, nothing written', async (c) => {
    const { key, partnerId } = await t.newPartner();
    const policy = await bindDirect(t, key);
    const res = await t.call({
      method: 'POST',
      url: `/v1/policies/${policy.id}/claims`,
      key,
      payload: c.body,
    });
    expectProblem(res, c.status, {
      code: c.code,
      field: c.field,
      ...(c.message ? { message: c.message } : {}),
    });
    expect(await claimCounts(t, partnerId)).toEqual(NOTHING);
  });

  it("another partner's policy, an unknown one, and a cancelled one are refused", async () => {
    const owner = await t.newPartner();
    const stranger = await t.newPartner();
    const policy = await bindDirect(t, owner.key);
    const at = (id: string, key: string) =>
      t.call({ method: 'POST', url: `/v1/policies/${id}/claims`, key, payload: claimBody() });
    expectProblem(await at(policy.id, stranger.key), 404, { code: 'not_found', field: 'policy_id' });
    expectProblem(await at('pol_nope', owner.key), 404, { code: 'not_found', field: 'policy_id' });
    expectProblem(await at('x'.repeat(61), owner.key), 400, { field: 'params:id' });
    const cancel = await t.call({
      method: 'POST',
      url: `/v1/policies/${policy.id}/cancel`,
      key: owner.key,
      payload: {},
    });
    expect(cancel.statusCode, cancel.body).toBe(200);
    expectProblem(await at(policy.id, owner.key), 422, { code: 'not_eligible', field: 'policy_id' });
    expect(await claimCounts(t, owner.partnerId)).toEqual(NOTHING);
    expect(await claimCounts(t, stranger.partnerId)).toEqual(NOTHING);
  });
});

describe('GET /v1/claims, /v1/claims/{id}, /v1/claims/{id}/events', () => {
  it('reads a claim, its history and the list; another partner sees none of it', async () => {
    const { key } = await t.newPartner();
    const stranger = await t.newPartner();
    const { claim, policy } = await fileClaimFor(t, key);
    const got = await t.call({ method: 'GET', url: `/v1/claims/${claim.id}`, key });
    expect(got.statusCode).toBe(200);
    expect(got.json()).toMatchObject({ id: claim.id, status: 'submitted', policy_id: policy.id });
    const events = await t.call({ method: 'GET', url: `/v1/claims/${claim.id}/events`, key });
    expect(events.json()).toEqual({
      object: 'list',
      data: [
        {
          id: expect.stringMatching(/^cev_/),
          type: 'filed',
          from_status: null,
          to_status: 'submitted',
          occurred_at: '2026-03-02T10:00:00.000Z',
          data: {},
        },
      ],
    });
    for (const url of [`/v1/claims/${claim.id}`, `/v1/claims/${claim.id}/events`, '/v1/claims/clm_nope']) {
      expectProblem(
        await t.call({ method: 'GET', url, key: url.includes('nope') ? key : stranger.key }),
        404,
        {
          code: 'not_found',
          field: 'id',
        },
      );
    }
    const theirs = await t.call({
      method: 'GET',
      url: `/v1/claims?policy_id=${policy.id}`,
      key: stranger.key,
    });
    expect(theirs.json().data).toEqual([]);
  });

  it('lists newest first, filters by status, and pages with next_cursor', async () => {
    const { key } = await t.newPartner();
    const policy = await bindDirect(t, key);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      t.clock.advance(1000);
      const res = await t.call({
        method: 'POST',
        url: `/v1/policies/${policy.id}/claims`,
        key,
        payload: claimBody(),
      });
      ids.push(res.json().id);
    }
    const page1 = (
      await t.call({ method: 'GET', url: `/v1/claims?policy_id=${policy.id}&limit=2`, key })
    ).json();
    expect(page1.data.map((c: { id: string }) => c.id)).toEqual([ids[2], ids[1]]);
    const page2 = (
      await t.call({
        method: 'GET',
        url: `/v1/claims?policy_id=${policy.id}&limit=2&cursor=${page1.next_cursor}`,
        key,
      })
    ).json();
    expect(page2).toMatchObject({ next_cursor: null });
    expect(page2.data.map((c: { id: string }) => c.id)).toEqual([ids[0]]);
    const paid = (await t.call({ method: 'GET', url: '/v1/claims?status=paid', key })).json();
    expect(paid.data).toEqual([]);
  });

  it.each([
    ['/v1/claims?status=lost', 'querystring:status', /^must be one of/],
    ['/v1/claims?limit=0', 'querystring:limit', undefined],
    ['/v1/claims?limit=abc', 'querystring:limit', undefined],
    ['/v1/claims?cursor=bm9wZQ', 'querystring:cursor', 'not a cursor this API returned'],
    ['/v1/claims?order_id=1', 'querystring:order_id', 'is not a known field'],
    [`/v1/claims/${'x'.repeat(61)}`, 'params:id', undefined],
  ])('GET %s is a 400 naming %s', async (url, field, message) => {
    expectProblem(await t.call({ method: 'GET', url }), 400, {
      code: 'validation_failed',
      field,
      ...(message ? { message } : {}),
    });
  });

  it('partners cannot move a claim: the decisions are admin routes only', async () => {
    const { key } = await t.newPartner();
    const { claim } = await fileClaimFor(t, key);
    for (const action of ['review', 'approve', 'deny', 'pay', 'close']) {
      expectProblem(
        await t.call({ method: 'POST', url: `/v1/claims/${claim.id}/${action}`, key, payload: {} }),
        404,
        {
          code: 'route_not_found',
        },
      );
    }
  });
});

describe('claim attachments', () => {
  it('uploads a file as multipart and downloads the very same bytes', async () => {
    const { key } = await t.newPartner();
    const { claim } = await fileClaimFor(t, key);
    const res = await upload(t, key, claim.id, [photo(BINARY, 'Sprickan på skärmen.jpg')]);
    expect(res.statusCode, res.body).toBe(201);
    const attachment = res.json();
    expect(attachment).toEqual({
      id: expect.stringMatching(/^att_/),
      object: 'claim_attachment',
      claim_id: claim.id,
      filename: 'Sprickan på skärmen.jpg',
      content_type: 'image/jpeg',
      size: BINARY.length,
      created_at: expect.any(String),
    });
    const download = await t.call({
      method: 'GET',
      url: `/v1/claims/${claim.id}/attachments/${attachment.id}`,
      key,
    });
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('image/jpeg');
    expect(download.headers['x-content-type-options']).toBe('nosniff');
    expect(download.headers['content-disposition']).toBe(
      `attachment; filename="Sprickan p_ sk_rmen.jpg"; filename*=UTF-8''${encodeURIComponent('Sprickan på skärmen.jpg')}`,
    );
    expect(download.rawPayload.equals(BINARY)).toBe(true);

    const read = (await t.call({ method: 'GET', url: `/v1/claims/${claim.id}`, key })).json();
    expect(read.attachments).toEqual([attachment]);
    const events = (await t.call({ method: 'GET', url: `/v1/claims/${claim.id}/events`, key })).json();
    expect(events.data.map((e: { type: string }) => e.type)).toEqual(['filed', 'attachment_added']);
  });

  it('a retry with the same key and file replays; the same key with another file is refused', async () => {
    const { key, partnerId } = await t.newPartner();
    const { claim } = await fileClaimFor(t, key);
    const headers = { 'idempotency-key': 'upload-1' };
    const first = await upload(t, key, claim.id, [photo()], headers);
    expect(first.statusCode, first.body).toBe(201);
    const again = await upload(t, key, claim.id, [photo()], headers);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    expectProblem(await upload(t, key, claim.id, [photo('other bytes')], headers), 422, {
      code: 'idempotency_key_reused',
    });
    expect((await claimCounts(t, partnerId)).claim_attachments).toBe(1);
  });

  const refusals: {
    name: string;
    send: (claimId: string, key: string) => ReturnType<typeof upload>;
    status: number;
    code?: string;
    message?: string | RegExp;
  }[] = [
    {
      name: 'a JSON body',
      send: (id, key) =>
        t.call({ method: 'POST', url: `/v1/claims/${id}/attachments`, key, payload: { file: 'x' } }),
      status: 415,
      message: 'send the file as multipart/form-data',
    },
    {
      name: 'no body at all',
      send: (id, key) => t.call({ method: 'POST', url: `/v1/claims/${id}/attachments`, key }),
      status: 415,
    },
    {
      name: 'a form without the file',
      send: (id, key) => upload(t, key, id, []),
      status: 400,
      message: 'is required',
    },
    {
      name: 'the file sent as a text field',
      send: (id, key) => upload(t, key, id, [{ name: 'file', content: 'hello' }]),
      status: 400,
      message: 'must be a file, not a text field',
    },
    {
      name: 'the file under another name',
      send: (id, key) => upload(t, key, id, [{ ...photo(), name: 'document' }]),
      status: 400,
      message: 'send only the field "file", not document',
    },
    {
      name: 'an extra field',
      send: (id, key) => upload(t, key, id, [photo(), { name: 'note', content: 'hi' }]),
      status: 400,
      message: 'send only the field "file", not note',
    },
    {
      name: 'two files',
      send: (id, key) => upload(t, key, id, [photo(), photo()]),
      status: 400,
      message: 'one file per request',
    },
    {
      name: 'an empty file',
      send: (id, key) => upload(t, key, id, [photo(Buffer.alloc(0))]),
      status: 400,
      message: 'is empty',
    },
    {
      name: 'a file over 10 MB',
      send: (id, key) => upload(t, key, id, [photo(Buffer.alloc(10 * 1024 * 1024 + 1, 1))]),
      status: 413,
      code: 'payload_too_large',
      message: 'is larger than 10 MB',
    },
    {
      name: 'a body that is not multipart at all',
      send: (id, key) =>
        t.call({
          method: 'POST',
          url: `/v1/claims/${id}/attachments`,
          key,
          headers: { 'content-type': 'multipart/form-data; boundary=abc' },
          payload: 'this is not a form',
        }),
      status: 400,
      message: /^not a readable multipart\/form-data body/,
    },
    {
      name: 'multipart without a boundary',
      send: (id, key) =>
        t.call({
          method: 'POST',
          url: `/v1/claims/${id}/attachments`,
          key,
          headers: { 'content-type': 'multipart/form-data' },
          payload: 'x',
        }),
      status: 400,
    },
  ];
  it.each(refusals)('$name: $status naming file, nothing written', async (c) => {
    const { key, partnerId } = await t.newPartner();
    const { claim } = await fileClaimFor(t, key);
    const before = await claimCounts(t, partnerId);
    const res = await c.send(claim.id, key);
    expectProblem(res, c.status, {
      code: c.code ?? (c.status === 415 ? 'unsupported_media_type' : 'validation_failed'),
      field: 'file',
      ...(c.message ? { message: c.message } : {}),
    });
    expect(await claimCounts(t, partnerId)).toEqual(before);
  });

  it('exactly 10 MB is accepted', async () => {
    const { key } = await t.newPartner();
    const { claim } = await fileClaimFor(t, key);
    const res = await upload(t, key, claim.id, [photo(Buffer.alloc(10 * 1024 * 1024, 2), 'big.bin')]);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().size).toBe(10 * 1024 * 1024);
  });

  it('an eleventh file is refused naming file, and nothing is written', async () => {
    const { key, partnerId } = await t.newPartner();
    const { claim } = await fileClaimFor(t, key);
    for (let n = 0; n < 10; n++) {
      expect((await upload(t, key, claim.id, [photo(`file ${n}`, `f${n}.txt`)])).statusCode).toBe(201);
    }
    const before = await claimCounts(t, partnerId);
    expectProblem(await upload(t, key, claim.id, [photo('one more')]), 422, {
      code: 'quantity_exceeded',
      field: 'file',
    });
    expect(await claimCounts(t, partnerId)).toEqual(before);
  });

  it("another partner's claim: no upload, no download", async () => {
    const owner = await t.newPartner();
    const stranger = await t.newPartner();
    const { claim } = await fileClaimFor(t, owner.key);
    const up = await upload(t, owner.key, claim.id, [photo()]);
    const attachmentId = up.json().id;
    expectProblem(await upload(t, stranger.key, claim.id, [photo()]), 404, {
      code: 'not_found',
      field: 'claim_id',
    });
    expectProblem(
      await t.call({
        method: 'GET',
        url: `/v1/claims/${claim.id}/attachments/${attachmentId}`,
        key: stranger.key,
      }),
      404,
      { code: 'not_found', field: 'attachment_id' },
    );
    expectProblem(
      await t.call({ method: 'GET', url: `/v1/claims/${claim.id}/attachments/att_nope`, key: owner.key }),
      404,
      { code: 'not_found', field: 'attachment_id' },
    );
    expectProblem(
      await t.call({
        method: 'GET',
        url: `/v1/claims/${claim.id}/attachments/${'x'.repeat(61)}`,
        key: owner.key,
      }),
      400,
      { field: 'params:attachment_id' },
    );
    expect((await claimCounts(t, owner.partnerId)).claim_attachments).toBe(1);
    expect(await claimCounts(t, stranger.partnerId)).toEqual(NOTHING);
  });

  it('multipart is read by the upload route only: elsewhere it is still a 415', async () => {
    const { key } = await t.newPartner();
    const form = multipart([photo()]);
    const res = await t.call({
      method: 'POST',
      url: '/v1/policies',
      key,
      payload: form.payload,
      headers: form.headers,
    });
    expectProblem(res, 415);
  });

  it('an unauthenticated upload is refused before the body is read', async () => {
    const form = multipart([photo()]);
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/claims/clm_x/attachments',
      payload: form.payload,
      headers: form.headers,
    });
    expectProblem(res, 401, { code: 'unauthenticated' });
  });
});
