import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { productsForCategory } from '../../src/core/catalog/category-index.js';
import { checkEligibility } from '../../src/core/catalog/eligibility.js';
import { product } from './fixtures.js';

const CATEGORIES = ['Tablet', 'tablet ', 'Laptop', 'Phone'];

describe('productsForCategory: the products whose categories may cover an item', () => {
  it("keeps the catalog's order, takes products naming no category, and compares as eligibility does", () => {
    const a = product({ code: 'a', categories: ['Laptop'] });
    const b = product({ code: 'b', categories: [] });
    const c = product({ code: 'c', categories: [' TABLET', 'Laptop'] });
    const d = product({ code: 'd', categories: ['Phone'] });
    const enabled = [a, b, c, d].map((p) => ({ product: p }));
    expect(productsForCategory(enabled, 'laptop').map((p) => p.code)).toEqual(['a', 'b', 'c']);
    expect(productsForCategory(enabled, 'Tablet ').map((p) => p.code)).toEqual(['b', 'c']);
    expect(productsForCategory(enabled, 'Fridge').map((p) => p.code)).toEqual(['b']);
  });

  it('a changed catalog is a new list, and answers from its own products', () => {
    const enabled = [{ product: product({ code: 'a', categories: ['Laptop'] }) }];
    expect(productsForCategory(enabled, 'Laptop')).toHaveLength(1);
    const changed = [...enabled, { product: product({ code: 'b', categories: ['Laptop'] }) }];
    expect(productsForCategory(changed, 'Laptop').map((p) => p.code)).toEqual(['a', 'b']);
  });

  it('property: exactly the products checkEligibility does not refuse for their category, in order', () => {
    const arbitraryCatalog = fc
      .array(fc.subarray(CATEGORIES), { maxLength: 12 })
      .map((lists) => lists.map((categories, i) => ({ product: product({ code: `p${i}`, categories }) })));
    fc.assert(
      fc.property(arbitraryCatalog, fc.constantFrom(...CATEGORIES, 'Fridge'), (enabled, category) => {
        const expected = enabled
          .map((e) => e.product)
          .filter((p) => {
            const verdict = checkEligibility(p, 'SE', category, { amount: 850_000, currency: 'SEK' });
            return verdict.eligible || verdict.reason !== 'category';
          });
        expect(productsForCategory(enabled, category)).toEqual(expected);
      }),
    );
  });
});
