import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { bindDirect, holder } from './support.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

interface PolicyJson {
  id: string;
  status: string;
  created_at: string;
  refs: Record<string, string>;
}

/** Five policies a minute apart, orders o-A (0, 2, 4) and o-B (1, 3), the second one cancelled. */
async function fivePolicies() {
  const partner = await t.newPartner();
  const made: PolicyJson[] = [];
  for (let i = 0; i < 5; i++) {
    made.push(await bindDirect(t, partner.key, { refs: { order_id: i % 2 === 0 ? 'o-A' : 'o-B' } }));
    t.clock.advance(60_000);
  }
  const cancel = await t.call({
    method: 'POST',
    url: `/v1/policies/${made[1]!.id}/cancel`,
    key: partner.key,
    payload: { reason: 'changed my mind' },
  });
  expect(cancel.statusCode, cancel.body).toBe(200);
  return { ...partner, made };
}

async function page(key: string, query: string) {
  const res = await t.call({ method: 'GET', url: `/v1/policies?${query}`, key });
  expect(res.statusCode, res.body).toBe(200);
  const body = res.json() as { object: string; data: PolicyJson[]; next_cursor: string | null };
  expect(body.object).toBe('list');
  return body;
}

/** Follows next_cursor from the first page to the last; returns every page. */
async function allPages(key: string, query: string, from: string | null = null) {
  const pages: PolicyJson[][] = [];
  let cursor: string | null = from;
  do {
    const body = await page(key, `${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    pages.push(body.data);
    cursor = body.next_cursor;
    expect(pages.length).toBeLessThan(10);
  } while (cursor !== null);
  return pages;
}

const ids = (policies: PolicyJson[]) => policies.map((p) => p.id);

describe('GET /v1/policies pagination', () => {
  it('limit 2 walks 5 policies in pages of 2, 2 and 1, newest first, without duplicates', async () => {
    const { key, made } = await fivePolicies();
    const pages = await allPages(key, 'limit=2');
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
    const seen = pages.flat();
    expect(new Set(ids(seen)).size).toBe(5);
    expect(ids(seen)).toEqual(ids(made).reverse());
    const created = seen.map((p) => p.created_at);
    expect(created).toEqual([...created].sort().reverse());
  });

  it('the last page has next_cursor null; a page that ends exactly on the last policy too', async () => {
    const { key } = await fivePolicies();
    expect((await page(key, 'limit=5')).next_cursor).toBeNull();
    expect((await page(key, 'limit=100')).next_cursor).toBeNull();
    const four = await page(key, 'limit=4');
    expect(four.next_cursor).not.toBeNull();
    const rest = await page(key, `limit=4&cursor=${four.next_cursor}`);
    expect(rest.data).toHaveLength(1);
    expect(rest.next_cursor).toBeNull();
  });

  it('without limit a page holds up to 20', async () => {
    const { key } = await fivePolicies();
    const body = await page(key, '');
    expect(body.data).toHaveLength(5);
    expect(body.next_cursor).toBeNull();
  });

  it('a cursor is opaque, not a policy id', async () => {
    const { key, made } = await fivePolicies();
    const first = await page(key, 'limit=2');
    expect(first.next_cursor).not.toContain('pol_');
    expect(ids(made)).not.toContain(first.next_cursor);
  });

  it('a policy created between pages does not shift the pages that follow', async () => {
    const { key, made } = await fivePolicies();
    const first = await page(key, 'limit=2');
    await bindDirect(t, key);
    const rest = await allPages(key, 'limit=2', first.next_cursor);
    expect(ids(rest.flat())).toEqual(ids(made).reverse().slice(2));
  });
});

describe('GET /v1/policies filters', () => {
  it('status', async () => {
    const { key, made } = await fivePolicies();
    expect(ids((await page(key, 'status=cancelled')).data)).toEqual([made[1]!.id]);
    const active = await allPages(key, 'status=active&limit=2');
    expect(active.map((p) => p.length)).toEqual([2, 2]);
    expect(ids(active.flat())).toEqual(ids([made[4]!, made[3]!, made[2]!, made[0]!]));
    expect((await page(key, 'status=voided')).data).toEqual([]);
  });

  it('order_id', async () => {
    const { key, made } = await fivePolicies();
    expect(ids((await page(key, 'order_id=o-A')).data)).toEqual(ids([made[4]!, made[2]!, made[0]!]));
    expect(ids((await page(key, 'order_id=o-B')).data)).toEqual(ids([made[3]!, made[1]!]));
    expect((await page(key, 'order_id=o-C')).data).toEqual([]);
    const paged = await allPages(key, 'order_id=o-A&limit=1');
    expect(ids(paged.flat())).toEqual(ids([made[4]!, made[2]!, made[0]!]));
  });

  it('holder_email, in any case, newest first', async () => {
    const partner = await t.newPartner();
    const as = (email: string) => bindDirect(t, partner.key, { policyholder: { ...holder(), email } });
    const grace = [
      await as('Grace.Hopper@example.com'),
      await as('ada@example.com'),
      await as('grace.hopper@example.com'),
    ];
    expect(ids((await page(partner.key, 'holder_email=GRACE.HOPPER%40example.com')).data)).toEqual(
      ids([grace[2]!, grace[0]!]),
    );
    const paged = await allPages(partner.key, 'holder_email=grace.hopper%40example.com&limit=1');
    expect(ids(paged.flat())).toEqual(ids([grace[2]!, grace[0]!]));
    expect((await page(partner.key, 'holder_email=nobody%40example.com')).data).toEqual([]);
  });

  it('created_from (inclusive) and created_to (exclusive)', async () => {
    const { key, made } = await fivePolicies();
    const from = encodeURIComponent(made[1]!.created_at);
    const to = encodeURIComponent(made[3]!.created_at);
    expect(ids((await page(key, `created_from=${from}`)).data)).toEqual(
      ids([made[4]!, made[3]!, made[2]!, made[1]!]),
    );
    expect(ids((await page(key, `created_to=${to}`)).data)).toEqual(ids([made[2]!, made[1]!, made[0]!]));
    expect(ids((await page(key, `created_from=${from}&created_to=${to}`)).data)).toEqual(
      ids([made[2]!, made[1]!]),
    );
    expect((await page(key, `created_from=${to}&created_to=${from}`)).data).toEqual([]);
  });

  it('filters combine: order, status and time', async () => {
    const { key, made } = await fivePolicies();
    const from = encodeURIComponent(made[1]!.created_at);
    expect(ids((await page(key, `order_id=o-A&status=active&created_from=${from}`)).data)).toEqual(
      ids([made[4]!, made[2]!]),
    );
  });
});
