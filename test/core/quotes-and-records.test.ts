import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CoreError, type ErrorCode } from '../../src/core/errors.js';
import type { Tenant } from '../../src/core/partners/partner.js';
import { bindPolicy } from '../../src/core/policies/bind-policy.js';
import { cancelPolicy } from '../../src/core/policies/cancel-policy.js';
import { acceptPolicy, quoteExpiresAt } from '../../src/core/policies/confirm-policy.js';
import type { CoreDeps, DialectRecord } from '../../src/core/ports.js';
import { quoteUnderAlias } from '../../src/core/records/quote-under-alias.js';
import { registerRecord, requireOwner } from '../../src/core/records/register-record.js';
import { addStore } from '../../src/core/stores/manage-stores.js';
import { offerForStoreCart } from '../../src/core/stores/offer-for-cart.js';
import type { Database } from '../../src/storage/database.js';
import { type CoreHarness, coreHarness } from '../helpers/core.js';
import { BACKENDS, testDatabase } from '../helpers/database.js';
import { coreErrorOf } from '../unit/fixtures.js';

const T0 = '2026-03-02T10:00:00.000Z';
const DAY = 24 * 3_600_000;
const GBP = (amount: number) => ({ amount, currency: 'GBP' });
const ada = { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' };
const phone = { category: 'Smartphone', price: GBP(49_900) };

async function refusal(work: Promise<unknown>, code: ErrorCode): Promise<CoreError> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CoreError);
  expect((error as CoreError).code, (error as CoreError).message).toBe(code);
  return error as CoreError;
}

describe.each(BACKENDS)('quotes and dialect records on %s', (backend) => {
  let db: Database;
  let h: CoreHarness;
  let tenant: Tenant;
  beforeAll(async () => {
    db = await testDatabase(backend);
    h = coreHarness(db, T0);
    tenant = await h.tenant();
  });
  afterAll(() => db.close());
  beforeEach(() => h.clock.set(T0));

  const bind = {
    source: { productCode: 'product-protection', termMonths: 12, country: 'GB', item: phone },
    policyholder: ada,
  };
  const quote = () => h.run((deps) => bindPolicy(deps, tenant, { ...bind, quoteOnly: true }));

  describe('a quoted policy', () => {
    it('can be accepted until the quote-validity rule says it expired, counted from its creation', async () => {
      const early = await quote();
      const late = await quote();
      expect(quoteExpiresAt(early)).toEqual(new Date(Date.parse(T0) + DAY));

      h.clock.advance(DAY - 1);
      const accepted = await h.run((deps) => acceptPolicy(deps, tenant, early.id));
      expect(accepted).toMatchObject({ status: 'active', boundAt: h.clock.now() });

      h.clock.advance(1);
      const expired = await refusal(
        h.run((deps) => acceptPolicy(deps, tenant, late.id)),
        'offer_expired',
      );
      expect(expired.message).toBe(`the quote expired at ${new Date(Date.parse(T0) + DAY).toISOString()}`);
      expect(expired.fields).toEqual([{ field: 'policyId', message: 'quote expired' }]);
      expect((await db.read.policies.get(tenant, late.id))?.status).toBe('quoted');

      // Accepting a bound quote again changes nothing, however late.
      expect(await h.run((deps) => acceptPolicy(deps, tenant, early.id))).toEqual(accepted);
    });

    it('is not accepted again once it has ended: the accept it asks for no longer holds', async () => {
      const quoted = await quote();
      await h.run((deps) => acceptPolicy(deps, tenant, quoted.id));
      await h.run((deps) => cancelPolicy(deps, tenant, { policyId: quoted.id }));
      const error = await refusal(
        h.run((deps) => acceptPolicy(deps, tenant, quoted.id)),
        'invalid_transition',
      );
      expect(error.message).toBe('a cancelled policy cannot be accepted');
    });

    it('is quoted under a dialect alias, with the record that presents it', async () => {
      const { policy, record } = await h.run((deps) =>
        quoteUnderAlias(deps, tenant, {
          bind,
          kind: 'test_quote',
          alias: 'q-1',
          ref: 'owner-1',
          data: { shown: 'as sent' },
        }),
      );
      expect(policy).toMatchObject({ status: 'quoted', boundAt: null });
      expect(await db.read.aliases.resolve(tenant, 'test_quote', 'q-1')).toBe(policy.id);
      expect(record).toEqual({
        kind: 'test_quote',
        handle: 'q-1',
        key: policy.id,
        ref: 'owner-1',
        email: null,
        data: { shown: 'as sent' },
        personalId: null,
        createdAt: policy.createdAt,
      });
      expect(await db.read.dialectRecords.get(tenant, 'test_quote', 'q-1')).toEqual(record);
    });
  });

  describe('registering a record', () => {
    const user = (handle: string, key: string): Omit<DialectRecord, 'createdAt'> => ({
      kind: 'test_user',
      handle,
      key,
      ref: null,
      email: null,
      data: { name: handle },
      personalId: null,
    });
    const naming = { what: 'user', keyField: 'UserId' };

    it("answers the record already there for a client's id seen before, with what was sent", async () => {
      const first = await h.run((deps) => registerRecord(deps, tenant, user('h-1', 'U-1'), naming));
      expect(first).toMatchObject({ created: true, record: { handle: 'h-1', createdAt: h.clock.now() } });
      h.clock.advance(1000);
      const retry = await h.run((deps) => registerRecord(deps, tenant, user('h-1b', 'U-1'), naming));
      expect(retry).toEqual({
        ...first,
        record: { ...first.record, data: { name: 'h-1b' } },
        created: false,
        registration: 'updated',
      });
      const same = await h.run((deps) => registerRecord(deps, tenant, user('h-1c', 'U-1'), naming));
      const unchanged = await h.run((deps) => registerRecord(deps, tenant, user('h-1c', 'U-1'), naming));
      expect(unchanged).toEqual({ created: false, registration: 'unchanged', record: same.record });
      expect(await db.read.dialectRecords.get(tenant, 'test_user', 'h-1')).toEqual(same.record);
      const other = { partnerId: (await h.tenant()).partnerId, mode: 'test' as const };
      const elsewhere = await h.run((deps) => registerRecord(deps, other, user('h-3', 'U-1'), naming));
      expect(elsewhere.created).toBe(true);
    });

    it('updates with the fields sent, keeping the others, for the same owner', async () => {
      const first = await h.run((deps) =>
        registerRecord(
          deps,
          tenant,
          {
            ...user('h-6', 'U-6'),
            email: 'a@example.com',
            personalId: '19700101-1234',
            data: { a: 1, b: 2 },
          },
          naming,
        ),
      );
      const again = await h.run((deps) =>
        registerRecord(deps, tenant, { ...user('h-7', 'U-6'), data: { b: 3 } }, naming),
      );
      expect(again).toEqual({
        created: false,
        registration: 'updated',
        record: { ...first.record, data: { a: 1, b: 3 } },
      });
      expect(await db.read.dialectRecords.get(tenant, 'test_user', 'h-6')).toEqual(again.record);
    });

    it("moves an owned item to a new owner with only the new owner's registration", async () => {
      const item = (handle: string, ref: string, data: Record<string, unknown>) => ({
        ...user(handle, 'IMEI-1'),
        kind: 'test_item',
        ref,
        data,
      });
      const mine = await h.run((deps) =>
        registerRecord(deps, tenant, item('i-1', 'owner-a', { note: "A's" }), naming),
      );
      const theirs = await h.run((deps) =>
        registerRecord(deps, tenant, item('i-2', 'owner-b', { colour: 'red' }), naming),
      );
      expect(theirs).toEqual({
        created: false,
        registration: 'moved',
        record: { ...mine.record, ref: 'owner-b', data: { colour: 'red' } },
      });
      expect(await db.read.dialectRecords.get(tenant, 'test_item', 'i-1')).toEqual(theirs.record);
      // A quote made for owner-a is not bound now; one for owner-b is.
      const error = coreErrorOf(
        () => requireOwner(theirs.record, 'owner-a', 'QuoteId', 'object'),
        'invalid_transition',
      );
      expect(error.message).toBe(
        'the object IMEI-1 has had another owner since this was quoted; quote it again for its current owner',
      );
      expect(error.fields).toEqual([
        { field: 'QuoteId', message: 'quoted for a previous owner of the item' },
      ]);
      expect(() => requireOwner(theirs.record, 'owner-b', 'QuoteId')).not.toThrow();
    });

    it('is already_exists when another registration of the same id got in first', async () => {
      await h.run((deps) => registerRecord(deps, tenant, user('h-4', 'U-2'), naming));
      // The race: this registration looked before the other one wrote.
      const late = (deps: CoreDeps): CoreDeps => ({
        ...deps,
        repos: {
          ...deps.repos,
          dialectRecords: { ...deps.repos.dialectRecords, byKey: async () => undefined },
        },
      });
      const error = await refusal(
        h.run((deps) => registerRecord(late(deps), tenant, user('h-5', 'U-2'), naming)),
        'already_exists',
      );
      expect(error.message).toBe('user U-2 was created at the same time');
      expect(error.fields).toEqual([{ field: 'UserId', message: 'retry: it exists now' }]);
      expect(await db.read.dialectRecords.get(tenant, 'test_user', 'h-5')).toBeUndefined();
    });
  });

  describe("an offer for a store's cart", () => {
    let code: string;
    beforeAll(async () => {
      code = (await db.read.partners.getById(tenant.partnerId))!.code;
      await h.run((deps) => addStore(deps, code, { externalId: 'london-1', country: 'GB', currency: 'GBP' }));
    });
    const cart = (storeId: string, currency: string) => ({
      storeId,
      currency,
      items: (priced: string) => [
        { ref: 'line-1', quantity: 1, item: { ...phone, price: { amount: 49_900, currency: priced } } },
      ],
      refs: { cart_id: 'cart-1' },
    });

    it("is priced in the store's market, for a cart in its currency", async () => {
      const offer = await h.run((deps) => offerForStoreCart(deps, tenant, cart('london-1', 'gbp')));
      expect(offer).toMatchObject({ country: 'GB', refs: { cart_id: 'cart-1' } });
      expect(offer.items[0]?.options.length).toBeGreaterThan(0);
      expect(await db.read.offers.get(tenant, offer.id)).toBeDefined();
    });

    it("refuses a store that is not the partner's, and a cart in another currency", async () => {
      await refusal(
        h.run((deps) => offerForStoreCart(deps, tenant, cart('paris-1', 'GBP'))),
        'forbidden',
      );
      const error = await refusal(
        h.run((deps) => offerForStoreCart(deps, tenant, cart('london-1', 'SEK'))),
        'not_eligible',
      );
      expect(error.message).toBe('store london-1 sells in GBP, the cart is in SEK');
      expect(error.fields).toEqual([]);
    });
  });
});
