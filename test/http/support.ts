import { createHash } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { expect } from 'vitest';
import type { TestApp } from '../helpers/app.js';

/** Shared payloads and assertions for the HTTP tests (not a test file itself). */

const PROBLEM_TYPE = /^application\/problem\+json/;

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors: { field: string; message: string }[];
}

/**
 * The response is an RFC 9457 problem with this status (and code), and when `field` is given one of
 * its `errors[]` names that field (with that message, when given).
 */
export function expectProblem(
  res: LightMyRequestResponse,
  status: number,
  expected: { code?: string; field?: string; message?: string | RegExp } = {},
): ProblemBody {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(PROBLEM_TYPE);
  const body = res.json() as ProblemBody;
  expect(body).toMatchObject({
    type: expect.stringMatching(/^https:\/\//),
    title: expect.any(String),
    status,
    detail: expect.any(String),
    code: expect.any(String),
  });
  expect(Array.isArray(body.errors)).toBe(true);
  if (expected.code) expect(body.code, res.body).toBe(expected.code);
  if (expected.field !== undefined) {
    const named = body.errors.filter((e) => e.field === expected.field);
    expect(named.length, `no error names ${expected.field}: ${res.body}`).toBeGreaterThan(0);
    if (expected.message !== undefined) {
      expect(
        named.some((e) =>
          typeof expected.message === 'string'
            ? e.message === expected.message
            : expected.message!.test(e.message),
        ),
        res.body,
      ).toBe(true);
    }
  }
  return body;
}

const TENANT_TABLES = ['offers', 'policies', 'policy_events', 'order_events', 'idempotency_keys'] as const;
export type RowCounts = Record<(typeof TENANT_TABLES)[number], number>;

/** How many rows a partner has in each tenant table (both modes): to prove a refusal wrote nothing. */
export async function rowCounts(t: TestApp, partnerId: string): Promise<RowCounts> {
  const counts = {} as RowCounts;
  for (const table of TENANT_TABLES) {
    const { rows } = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM ${sql.table(table)} WHERE partner_id = ${partnerId}`.execute(
      t.db.kysely,
    );
    counts[table] = Number(rows[0]?.n ?? 0);
  }
  return counts;
}

/** The policies a key sees, every page of them (limit 100 is plenty for a test partner). */
export async function listPolicies(
  t: TestApp,
  key: string,
  query = '',
): Promise<{ id: string; status: string }[]> {
  const res = await t.call({ method: 'GET', url: `/v1/policies?limit=100${query}`, key });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().data;
}

/** The hash src/http/idempotency.ts keys a request by. */
export function requestHash(method: string, url: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method} ${url}\n${JSON.stringify(body ?? null)}`)
    .digest('hex');
}

// Payloads. The demo catalog: product-protection sells in GB (GBP) and US with no category limit and
// wants name and email; refurbished-electronics sells in SE (SEK) for Tablet, Smartphone, … and also
// wants a personal id; tech-insurance (SE, US) is sold for 12 or 24 months and wants name, personal
// id and address; garantie-1j sells in DE only.

export const holder = () => ({ first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.com' });

export const swedishHolder = () => ({ ...holder(), personal_id: '19840726-1234' });

/** A direct bind of product-protection, 12 months, for a 1000.00 GBP laptop. */
export function directPolicy(overrides: Record<string, unknown> = {}) {
  return {
    product_code: 'product-protection',
    term_months: 12,
    country: 'GB',
    item: { category: 'Laptop', name: 'ThinkPad', price: { amount: 100_000, currency: 'GBP' } },
    policyholder: holder(),
    ...overrides,
  };
}

/** An offer for one Swedish tablet of 8500 SEK (refurbished-electronics and tech-insurance cover it). */
export function tabletOffer(quantity = 1, overrides: Record<string, unknown> = {}) {
  return {
    country: 'SE',
    items: [{ ref: 'tab', quantity, category: 'Tablet', price: { amount: 850_000, currency: 'SEK' } }],
    ...overrides,
  };
}

export interface OfferJson {
  id: string;
  items: {
    ref: string;
    quantity: number;
    options: { id: string; product_code: string; term_months: number }[];
  }[];
}

export async function createOffer(
  t: TestApp,
  key: string,
  body: unknown = tabletOffer(),
): Promise<OfferJson> {
  const res = await t.call({ method: 'POST', url: '/v1/offers', key, payload: body as object });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

/** The option of an offer item for a product (first term when there are several). */
export function optionOf(offer: OfferJson, productCode: string, term?: number) {
  const option = offer.items[0]!.options.find(
    (o) => o.product_code === productCode && (term === undefined || o.term_months === term),
  );
  if (!option) throw new Error(`offer ${offer.id} has no option for ${productCode}`);
  return option;
}

export async function bindDirect(
  t: TestApp,
  key: string,
  overrides: Record<string, unknown> = {},
): Promise<{ id: string; status: string; created_at: string; refs: Record<string, string> }> {
  const res = await t.call({ method: 'POST', url: '/v1/policies', key, payload: directPolicy(overrides) });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

/** A placed order: a tablet line and a plan line protecting it. */
export function placedOrder(orderId: string, overrides: { lines?: unknown[]; customer?: unknown } = {}) {
  return {
    type: 'order_placed',
    order_id: orderId,
    country: 'SE',
    customer: overrides.customer ?? swedishHolder(),
    lines: overrides.lines ?? [
      {
        line_id: 'l1',
        quantity: 1,
        item: { category: 'Tablet', price: { amount: 850_000, currency: 'SEK' } },
      },
      {
        line_id: 'l2',
        quantity: 1,
        protection: { protects_line_id: 'l1', product_code: 'refurbished-electronics', term_months: 12 },
      },
    ],
  };
}
