import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PARTNER, DEMO_PRODUCTS } from '../../src/demo/catalog.js';
import type { Database } from '../../src/storage/database.js';
import { BACKENDS, testDatabase } from '../helpers/database.js';
import {
  buildCredential,
  buildPartner,
  buildProduct,
  givenPartner,
  HOUR_MS,
  idSource,
  T0,
  uniqueCode,
} from './builders.js';

describe.each(BACKENDS)('storage contract on %s: partners, credentials, products', (backend) => {
  let db: Database;
  beforeAll(async () => {
    db = await testDatabase(backend);
  });
  afterAll(() => db?.close());

  describe('partners', () => {
    it('creates a partner and reads it back by id and by code', async () => {
      const { ids } = idSource();
      const partner = buildPartner(ids, T0);
      await db.read.partners.create(partner);

      const byId = await db.read.partners.getById(partner.id);
      const byCode = await db.read.partners.getByCode(partner.code);
      expect(byId).toEqual(partner);
      expect(byCode).toEqual(partner);
      expect(byId?.createdAt).toBeInstanceOf(Date);
    });

    it('returns undefined for an unknown id or code', async () => {
      expect(await db.read.partners.getById('ptn_does_not_exist')).toBeUndefined();
      expect(await db.read.partners.getByCode(uniqueCode('nobody'))).toBeUndefined();
    });

    it('returns the counterpart handle upper case whatever case it was written in', async () => {
      const { ids } = idSource();
      const handle = ids.uuid().toLowerCase();
      const partner = await givenPartner(db, ids, T0, { counterpartHandle: handle });
      expect((await db.read.partners.getById(partner.id))?.counterpartHandle).toBe(handle.toUpperCase());
    });

    it('rejects a second partner with a code already taken', async () => {
      const { ids } = idSource();
      const first = await givenPartner(db, ids);
      await expect(db.read.partners.create(buildPartner(ids, T0, { code: first.code }))).rejects.toThrow();
      expect((await db.read.partners.getByCode(first.code))?.id).toBe(first.id);
    });

    it('lists every partner, the demo one included, ordered by code', async () => {
      const { ids } = idSource();
      const z = await givenPartner(db, ids, T0, { code: uniqueCode('zz-list') });
      const a = await givenPartner(db, ids, T0, { code: uniqueCode('aa-list') });
      const partners = await db.read.partners.list();
      const codes = partners.map((p) => p.code);
      expect(codes).toContain(DEMO_PARTNER.code);
      expect(partners).toContainEqual(z);
      expect(partners).toContainEqual(a);
      expect(codes).toEqual([...codes].sort());
      expect(codes.indexOf(a.code)).toBeLessThan(codes.indexOf(z.code));
    });

    it('enables a product, and enabling it again updates the commission (one row)', async () => {
      const { ids } = idSource();
      const partner = await givenPartner(db, ids);
      const first = new Date(T0.getTime() + HOUR_MS);
      await db.read.partners.enableProduct(partner.id, {
        productCode: 'tech-insurance',
        commissionBp: 1500,
        enabledAt: first,
      });
      expect(await db.read.partners.enabledProducts(partner.id)).toEqual([
        { productCode: 'tech-insurance', commissionBp: 1500, enabledAt: first },
      ]);

      await db.read.partners.enableProduct(partner.id, {
        productCode: 'tech-insurance',
        commissionBp: 2250,
        enabledAt: new Date(T0.getTime() + 2 * HOUR_MS),
      });
      const after = await db.read.partners.enabledProducts(partner.id);
      expect(after).toHaveLength(1);
      expect(after[0]?.commissionBp).toBe(2250);
      // The upsert changes the commission only: the product stays enabled since the first time.
      expect(after[0]?.enabledAt).toEqual(first);
    });

    it('lists enabled products by product code, for that partner only', async () => {
      const { ids } = idSource();
      const partner = await givenPartner(db, ids);
      const other = await givenPartner(db, ids);
      for (const code of ['tech-insurance', 'garantie-1j', 'refurbished-electronics']) {
        await db.read.partners.enableProduct(partner.id, {
          productCode: code,
          commissionBp: 1000,
          enabledAt: T0,
        });
      }
      await db.read.partners.enableProduct(other.id, {
        productCode: 'product-protection',
        commissionBp: 500,
        enabledAt: T0,
      });
      const codes = (await db.read.partners.enabledProducts(partner.id)).map((e) => e.productCode);
      expect(codes).toEqual(['garantie-1j', 'refurbished-electronics', 'tech-insurance']);
      expect(await db.read.partners.enabledProducts(other.id)).toEqual([
        { productCode: 'product-protection', commissionBp: 500, enabledAt: T0 },
      ]);
      expect(await db.read.partners.enabledProducts('ptn_unknown')).toEqual([]);
    });

    it('disableProduct returns true when it removed an enablement and false when there was none', async () => {
      const { ids } = idSource();
      const partner = await givenPartner(db, ids);
      const other = await givenPartner(db, ids);
      for (const p of [partner, other]) {
        await db.read.partners.enableProduct(p.id, {
          productCode: 'tech-insurance',
          commissionBp: 1500,
          enabledAt: T0,
        });
      }
      expect(await db.read.partners.disableProduct(partner.id, 'tech-insurance')).toBe(true);
      expect(await db.read.partners.enabledProducts(partner.id)).toEqual([]);
      expect(await db.read.partners.disableProduct(partner.id, 'tech-insurance')).toBe(false);
      expect(await db.read.partners.disableProduct(partner.id, 'garantie-1j')).toBe(false);
      // The other partner's enablement of the same product is untouched.
      expect(await db.read.partners.enabledProducts(other.id)).toHaveLength(1);
    });

    it('refuses to enable a product that is not in the catalog', async () => {
      const { ids } = idSource();
      const partner = await givenPartner(db, ids);
      await expect(
        db.read.partners.enableProduct(partner.id, {
          productCode: uniqueCode('no-such-product'),
          commissionBp: 1000,
          enabledAt: T0,
        }),
      ).rejects.toThrow();
      expect(await db.read.partners.enabledProducts(partner.id)).toEqual([]);
    });
  });

  describe('credentials', () => {
    it('adds credentials and finds each by kind and lookup', async () => {
      const { ids } = idSource();
      const partner = await givenPartner(db, ids);
      const apiKey = buildCredential(ids, partner, T0, { kind: 'api_key' });
      const oauth = buildCredential(ids, partner, T0, {
        kind: 'oauth_client',
        mode: 'live',
        secretHash: 'sha256:abcdef',
      });
      const hmac = buildCredential(ids, partner, T0, { kind: 'hmac_key', secret: 'hmac-secret-Zx81Qp' });
      for (const c of [apiKey, oauth, hmac]) await db.read.credentials.add(c);

      expect(await db.read.credentials.find('api_key', apiKey.lookup)).toEqual(apiKey);
      expect(await db.read.credentials.find('oauth_client', oauth.lookup)).toEqual(oauth);
      const found = await db.read.credentials.find('hmac_key', hmac.lookup);
      expect(found).toEqual(hmac);
      expect(found?.secret).toBe('hmac-secret-Zx81Qp');
      expect(found?.createdAt).toBeInstanceOf(Date);
      // The lookup is per kind.
      expect(await db.read.credentials.find('api_key', hmac.lookup)).toBeUndefined();
      expect(await db.read.credentials.find('hmac_key', 'hk_unknown')).toBeUndefined();
    });

    it("lists a partner's credentials ordered by id, and only that partner's", async () => {
      const { ids } = idSource();
      const partner = await givenPartner(db, ids);
      const other = await givenPartner(db, ids);
      const mine = [
        buildCredential(ids, partner, T0, { kind: 'api_key' }),
        buildCredential(ids, partner, T0, { kind: 'oauth_client', secretHash: 'h' }),
        buildCredential(ids, partner, T0, { kind: 'hmac_key', secret: 's3cr3t-value' }),
      ];
      // Added out of order: list() sorts by id.
      for (const c of [mine[2]!, mine[0]!, mine[1]!]) await db.read.credentials.add(c);
      await db.read.credentials.add(buildCredential(ids, other, T0));

      expect(await db.read.credentials.list(partner.id)).toEqual(mine);
      expect(await db.read.credentials.list(other.id)).toHaveLength(1);
      expect(await db.read.credentials.list('ptn_unknown')).toEqual([]);
    });

    it("revokes one partner's set, once: its other sets and another partner's same set id stay in use", async () => {
      const { ids } = idSource();
      const partner = await givenPartner(db, ids);
      const other = await givenPartner(db, ids);
      const setId = ids.next('credentialSet');
      const set = [
        buildCredential(ids, partner, T0, { kind: 'api_key', setId }),
        buildCredential(ids, partner, T0, { kind: 'oauth_client', setId, secretHash: 'h' }),
      ];
      const kept = buildCredential(ids, partner, T0, { kind: 'hmac_key', secret: 's' });
      const theirs = buildCredential(ids, other, T0, { setId });
      for (const c of [...set, kept, theirs]) await db.read.credentials.add(c);

      const at = new Date(T0.getTime() + 60_000);
      await db.read.credentials.revokeSet(partner.id, setId, at);
      await db.read.credentials.revokeSet(partner.id, setId, new Date(at.getTime() + 60_000));

      expect(await db.read.credentials.list(partner.id)).toEqual([
        ...set.map((c) => ({ ...c, revokedAt: at })),
        kept,
      ]);
      expect((await db.read.credentials.find('api_key', set[0]!.lookup))?.revokedAt).toEqual(at);
      expect(await db.read.credentials.list(other.id)).toEqual([theirs]);
    });

    it('keeps the HMAC secret encrypted at rest', async () => {
      const { ids } = idSource();
      const partner = await givenPartner(db, ids);
      const secret = 'plain-hmac-secret-7f3a9c';
      const a = buildCredential(ids, partner, T0, { kind: 'hmac_key', secret });
      const b = buildCredential(ids, partner, T0, { kind: 'hmac_key', secret });
      await db.read.credentials.add(a);
      await db.read.credentials.add(b);

      const { rows } = await sql<{ id: string; secret_enc: string | null; whole: string }>`
        SELECT c.id, c.secret_enc, c::text AS whole FROM credentials c
        WHERE partner_id = ${partner.id} ORDER BY id`.execute(db.kysely);
      expect(rows).toHaveLength(2);
      for (const row of rows) {
        expect(row.secret_enc).toBeTruthy();
        expect(row.secret_enc).not.toContain(secret);
        expect(row.secret_enc).not.toContain(Buffer.from(secret).toString('base64url'));
        expect(row.whole).not.toContain(secret);
      }
      // A nonce per value: the same secret is sealed differently each time.
      expect(rows[0]?.secret_enc).not.toBe(rows[1]?.secret_enc);
      expect((await db.read.credentials.find('hmac_key', a.lookup))?.secret).toBe(secret);
    });

    it('stores no secret_enc when the credential has no secret', async () => {
      const { ids } = idSource();
      const partner = await givenPartner(db, ids);
      const c = buildCredential(ids, partner, T0, { kind: 'api_key' });
      await db.read.credentials.add(c);
      const row = await db.kysely
        .selectFrom('credentials')
        .select(['secret_enc', 'secret_hash'])
        .where('partner_id', '=', partner.id)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ secret_enc: null, secret_hash: null });
    });

    it('rejects a second credential with the same kind and lookup, even for another partner', async () => {
      const { ids } = idSource();
      const partner = await givenPartner(db, ids);
      const other = await givenPartner(db, ids);
      const first = buildCredential(ids, partner, T0, { kind: 'oauth_client' });
      await db.read.credentials.add(first);

      await expect(
        db.read.credentials.add(
          buildCredential(ids, partner, T0, { kind: 'oauth_client', lookup: first.lookup }),
        ),
      ).rejects.toThrow();
      await expect(
        db.read.credentials.add(
          buildCredential(ids, other, T0, { kind: 'oauth_client', lookup: first.lookup }),
        ),
      ).rejects.toThrow();
      // The same lookup under another kind is a different credential.
      const sameLookupOtherKind = buildCredential(ids, partner, T0, {
        kind: 'api_key',
        lookup: first.lookup,
      });
      await db.read.credentials.add(sameLookupOtherKind);

      expect(await db.read.credentials.find('oauth_client', first.lookup)).toEqual(first);
      expect(await db.read.credentials.list(other.id)).toEqual([]);
      expect(await db.read.credentials.list(partner.id)).toHaveLength(2);
    });
  });

  describe('products', () => {
    it('has the demo catalog loaded', async () => {
      for (const product of DEMO_PRODUCTS) {
        expect(await db.read.products.get(product.code)).toEqual(product);
      }
    });

    it('puts a new product and gets it back whole', async () => {
      const product = buildProduct();
      const before = (await db.read.products.list()).length;
      await db.read.products.put(product, T0);
      expect(await db.read.products.get(product.code)).toEqual(product);
      expect((await db.read.products.list()).length).toBe(before + 1);
    });

    it('put replaces an existing product (same code) and moves updated_at', async () => {
      const product = buildProduct();
      await db.read.products.put(product, T0);
      const later = new Date(T0.getTime() + 5 * HOUR_MS);
      const changed = {
        ...product,
        name: { en: 'Renamed Tech Insurance' },
        terms: [12],
        markets: product.markets.map((m) => ({ ...m, rates: { '12': m.rates['12']! } })),
      };
      const count = (await db.read.products.list()).length;
      await db.read.products.put(changed, later);

      expect(await db.read.products.get(product.code)).toEqual(changed);
      expect((await db.read.products.list()).length).toBe(count);
      const row = await db.kysely
        .selectFrom('products')
        .select('updated_at')
        .where('code', '=', product.code)
        .executeTakeFirstOrThrow();
      expect(row.updated_at).toEqual(later);
    });

    it('returns undefined for an unknown product code', async () => {
      expect(await db.read.products.get(uniqueCode('missing'))).toBeUndefined();
    });

    it('lists products ordered by code', async () => {
      await db.read.products.put(buildProduct({ code: uniqueCode('zzz') }), T0);
      await db.read.products.put(buildProduct({ code: uniqueCode('aaa') }), T0);
      const codes = (await db.read.products.list()).map((p) => p.code);
      for (const product of DEMO_PRODUCTS) expect(codes).toContain(product.code);
      // Byte order (C collation): upper case before lower case, as both databases here sort.
      expect(codes).toEqual([...codes].sort());
    });
  });
});
