import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Product } from '../../src/core/catalog/product.js';
import { ManualClock } from '../../src/core/clock.js';
import type { IdGenerator } from '../../src/core/ids.js';
import { ulidIds } from '../../src/core/ids.js';
import type { Offer, OfferItem, OfferOption } from '../../src/core/offers/offer.js';
import type { OrderEvent } from '../../src/core/orders/order-event.js';
import type { Mode, Partner, Tenant } from '../../src/core/partners/partner.js';
import type {
  InsuredItem,
  Policy,
  PolicyHistoryEntry,
  PolicyStatus,
} from '../../src/core/policies/policy.js';
import type { StoredCredential } from '../../src/core/ports.js';
import type { Premium } from '../../src/core/pricing/premium.js';
import { DEMO_PRODUCTS } from '../../src/demo/catalog.js';
import type { Database } from '../../src/storage/database.js';

/** Small builders for the storage contract suite: every test makes its own partner and rows. */

export const T0 = new Date('2026-03-02T10:00:00.000Z');
export const HOUR_MS = 3_600_000;

/** A manual clock and the time-sortable ids it drives. */
export function idSource(start: Date | string = T0): { clock: ManualClock; ids: IdGenerator } {
  const clock = new ManualClock(start);
  return { clock, ids: ulidIds(clock) };
}

let counter = 0;
/** A code no other test (or test file sharing a PostgreSQL database) will use. */
export function uniqueCode(prefix = 'shop'): string {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}-${randomBytes(4).toString('hex')}`;
}

export function buildPartner(ids: IdGenerator, at: Date, overrides: Partial<Partner> = {}): Partner {
  const code = overrides.code ?? uniqueCode();
  return {
    id: ids.next('partner'),
    code,
    name: `Shop ${code}`,
    markets: [
      { country: 'SE', currency: 'SEK', language: 'sv' },
      { country: 'DE', currency: 'EUR', language: 'de' },
    ],
    counterpartHandle: ids.uuid().toUpperCase(),
    createdAt: at,
    ...overrides,
  };
}

/** Creates a fresh partner in the store (outside any transaction) and returns it. */
export async function givenPartner(
  db: Database,
  ids: IdGenerator,
  at: Date = T0,
  overrides: Partial<Partner> = {},
): Promise<Partner> {
  const partner = buildPartner(ids, at, overrides);
  await db.read.partners.create(partner);
  return partner;
}

export function tenantOf(partner: Partner, mode: Mode = 'test'): Tenant {
  return { partnerId: partner.id, mode };
}

export function buildCredential(
  ids: IdGenerator,
  partner: Partner,
  at: Date,
  overrides: Partial<StoredCredential> = {},
): StoredCredential {
  return {
    id: ids.next('credential'),
    partnerId: partner.id,
    mode: 'test',
    kind: 'api_key',
    lookup: `lk_${randomBytes(12).toString('hex')}`,
    secretHash: null,
    secret: null,
    setId: ids.next('credentialSet'),
    createdAt: at,
    revokedAt: null,
    ...overrides,
  };
}

export function buildProduct(overrides: Partial<Product> = {}): Product {
  const base = structuredClone(DEMO_PRODUCTS[1]!);
  return { ...base, code: uniqueCode('prod'), ...overrides };
}

export function buildPremium(total = 49900, currency = 'SEK'): Premium {
  const tax = Math.round(total / 5);
  return {
    currency,
    net: total - tax,
    tax,
    total,
    taxes: [{ name: 'IPT', rateBp: 2500, amount: tax }],
  };
}

export function buildItem(overrides: Partial<InsuredItem> = {}): InsuredItem {
  return {
    category: 'Smartphone',
    name: 'Phone X',
    brand: 'Acme',
    model: 'X1',
    sku: 'ACME-X1-128',
    serialNumber: 'SN-0001',
    price: { amount: 899900, currency: 'SEK' },
    purchasedAt: new Date('2026-02-27T15:30:12.345Z'),
    ...overrides,
  };
}

function buildOption(ids: IdGenerator, overrides: Partial<OfferOption> = {}): OfferOption {
  return {
    id: ids.next('offerOption'),
    productCode: 'tech-insurance',
    termMonths: 12,
    unitPremium: buildPremium(49900),
    ...overrides,
  };
}

export function buildOffer(
  ids: IdGenerator,
  tenant: Tenant,
  at: Date,
  overrides: Partial<Offer> = {},
): Offer {
  const items: OfferItem[] = [
    { ref: 'line-1', item: buildItem(), quantity: 2, options: [buildOption(ids), buildOption(ids)] },
    {
      ref: 'line-2',
      item: buildItem({ category: 'Cable', purchasedAt: undefined, serialNumber: undefined }),
      quantity: 1,
      options: [],
    },
  ];
  return {
    id: ids.next('offer'),
    partnerId: tenant.partnerId,
    mode: tenant.mode,
    country: 'SE',
    currency: 'SEK',
    language: 'sv',
    items,
    refs: { basketId: 'basket-9', user_id: 'u-77' },
    createdAt: at,
    expiresAt: new Date(at.getTime() + 24 * HOUR_MS),
    declinedAt: null,
    ...overrides,
  };
}

/** A bound, active policy with every optional field filled in. */
export function buildPolicy(
  ids: IdGenerator,
  tenant: Tenant,
  at: Date,
  overrides: Partial<Policy> = {},
): Policy {
  return {
    id: ids.next('policy'),
    partnerId: tenant.partnerId,
    mode: tenant.mode,
    productCode: 'tech-insurance',
    termMonths: 12,
    country: 'SE',
    language: 'sv',
    status: 'active',
    policyholder: {
      firstName: 'Glen',
      lastName: 'Clarkson',
      email: 'glen@example.test',
      phone: '+46701234567',
      personalId: '19840726-1234',
      address: { line1: 'Storgatan 1', postalCode: '11122', city: 'Stockholm', country: 'SE' },
      language: 'sv',
      externalId: 'cust-42',
    },
    item: buildItem(),
    premium: buildPremium(49900),
    coverStart: 'at_binding',
    coverageStart: at,
    coverageEnd: new Date('2027-03-02T10:00:00.000Z'),
    boundAt: at,
    offerId: ids.next('offer'),
    offerOptionId: ids.next('offerOption'),
    refs: { orderId: 'order-1', lineId: 'l1', receipt: 'R-1' },
    refund: null,
    claimPaid: false,
    commissionBp: 0,
    renewalNotifiedAt: null,
    renewalOf: null,
    renewedBy: null,
    renewalOptOut: false,
    orderUnit: null,
    optionUnit: null,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}

export function buildPolicyEvent(
  ids: IdGenerator,
  policy: Policy,
  at: Date,
  overrides: Partial<PolicyHistoryEntry> = {},
): PolicyHistoryEntry {
  return {
    id: ids.next('policyEvent'),
    policyId: policy.id,
    type: 'bound',
    fromStatus: null,
    toStatus: policy.status,
    occurredAt: at,
    data: { via: 'storage-test', amount: 49900 },
    ...overrides,
  };
}

/** Inserts a policy with the event that creates it; returns both. */
export async function givenPolicy(
  db: Database,
  ids: IdGenerator,
  tenant: Tenant,
  at: Date,
  overrides: Partial<Policy> = {},
): Promise<{ policy: Policy; event: PolicyHistoryEntry }> {
  const policy = buildPolicy(ids, tenant, at, overrides);
  const event = buildPolicyEvent(ids, policy, at, { toStatus: policy.status as PolicyStatus });
  await db.read.policies.insert(policy, event);
  return { policy, event };
}

export function buildOrderEvent(
  ids: IdGenerator,
  tenant: Tenant,
  orderId: string,
  at: Date,
  overrides: Partial<OrderEvent> = {},
): OrderEvent {
  return {
    id: ids.next('orderEvent'),
    partnerId: tenant.partnerId,
    mode: tenant.mode,
    orderId,
    type: 'cancelled',
    occurredAt: at,
    payload: { type: 'cancelled', orderId: orderId },
    policyIds: [],
    createdAt: at,
    ...overrides,
  };
}

/** Rows a partner has in one table, read with plain SQL. */
export async function countRows(db: Database, table: string, partnerId: string): Promise<number> {
  const { rows } = await sql<{
    n: number;
  }>`SELECT count(*) AS n FROM ${sql.table(table)} WHERE partner_id = ${partnerId}`.execute(db.kysely);
  return Number(rows[0]!.n);
}

/** Every table of the schema that has a partner_id column: the tenant tables a purge must empty. */
export async function tenantTables(db: Database): Promise<string[]> {
  const { rows } = await sql<{ table_name: string }>`
    SELECT c.table_name FROM information_schema.columns c
    JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
    WHERE c.column_name = 'partner_id' AND c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
    ORDER BY c.table_name`.execute(db.kysely);
  return rows.map((r) => r.table_name);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
