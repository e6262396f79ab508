import { describe, expect, it } from 'vitest';
import { changedFields } from '../../src/core/catalog/product-change.js';
import { DEMO_PRODUCTS } from '../../src/demo/catalog.js';

const tech = () => structuredClone(DEMO_PRODUCTS.find((p) => p.code === 'tech-insurance')!);

describe('changedFields: what the product history shows of a change', () => {
  it('finds nothing between a product and its copy with its keys in another order', () => {
    const before = tech();
    const reverse = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(reverse)
        : typeof v === 'object' && v !== null
          ? Object.fromEntries(
              Object.entries(v)
                .reverse()
                .map(([k, x]) => [k, reverse(x)]),
            )
          : v;
    const reordered = reverse(before) as typeof before;
    expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(before));
    expect(changedFields(before, reordered)).toEqual([]);
  });

  it('names a rate table by market country and term, and a scalar by its path', () => {
    const before = tech();
    const after = tech();
    const bands = after.markets[1]!.rates['12'];
    if (bands?.type === 'bands') bands.bands[0]!.premium += 100;
    after.cancellation.coolingOffDays += 1;
    expect(changedFields(before, after)).toEqual(['cancellation/coolingOffDays', 'markets/US/rates/12']);
  });

  it('names a market removed by its country, not every market after it', () => {
    const before = tech();
    const after = tech();
    after.markets.splice(0, 1);
    expect(changedFields(before, after)).toEqual([`markets/${before.markets[0]!.country}`]);
  });
});
