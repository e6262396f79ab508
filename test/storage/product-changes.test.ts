import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Product } from '../../src/core/catalog/product.js';
import { ADMIN_API, type ProductActor } from '../../src/core/catalog/product-change.js';
import { productHistory, putProduct } from '../../src/core/catalog/put-product.js';
import type { Database } from '../../src/storage/database.js';
import { BACKENDS, testDatabase } from '../helpers/database.js';
import { buildProduct, HOUR_MS, idSource, T0 } from './builders.js';

describe.each(BACKENDS)('product changes on %s', (backend) => {
  let db: Database;
  beforeAll(async () => {
    db = await testDatabase(backend);
  });
  afterAll(() => db?.close());

  const { clock, ids } = idSource(T0);
  const put = (product: Product, actor: ProductActor) =>
    db.transaction((repos) => putProduct({ repos, clock, ids }, product, actor));
  const olga: ProductActor = { userId: 'usr_olga', name: 'olga@insurer.test' };

  it('records a product’s creation and each change with when, who, and the product before and after', async () => {
    clock.set(T0);
    const created = buildProduct();
    await put(created, ADMIN_API);
    clock.advance(HOUR_MS);
    const changed = structuredClone(created);
    changed.cancellation.coolingOffDays += 16;
    const table = changed.markets[0]!.rates['12'];
    if (table?.type !== 'bands') throw new Error('tech-insurance has bands');
    table.bands[0]!.premium += 1_000;
    await put(changed, olga);

    const history = await productHistory({ repos: db.read, clock, ids }, created.code);
    expect(history.map((c) => [c.at, c.actor, c.before, c.after, c.fields])).toEqual([
      [
        new Date(T0.getTime() + HOUR_MS),
        olga,
        created,
        changed,
        ['cancellation/coolingOffDays', `markets/${changed.markets[0]!.country}/rates/12`],
      ],
      [T0, ADMIN_API, null, created, []],
    ]);
    expect(await db.read.products.get(created.code)).toEqual(changed);
  });

  it('records nothing for a product put as it already is (a form sent twice)', async () => {
    const product = buildProduct();
    await put(product, olga);
    await put(structuredClone(product), olga);
    expect(await db.read.productChanges.list(product.code, 10)).toHaveLength(1);
  });

  it('records nothing, and changes nothing, when the product is refused', async () => {
    const product = buildProduct();
    await put(product, olga);
    const bad = structuredClone(product);
    bad.cancellation.coolingOffDays = -1;
    await expect(put(bad, olga)).rejects.toMatchObject({ code: 'validation_failed' });
    expect(await db.read.productChanges.list(product.code, 10)).toHaveLength(1);
    expect(await db.read.products.get(product.code)).toEqual(product);
  });

  it('keeps the record as it was written: the database refuses to rewrite it', async () => {
    const product = buildProduct();
    await put(product, ADMIN_API);
    await expect(
      sql`UPDATE product_changes SET actor = 'someone else' WHERE product_code = ${product.code}`.execute(
        db.kysely,
      ),
    ).rejects.toThrow(/immutable/);
  });
});
