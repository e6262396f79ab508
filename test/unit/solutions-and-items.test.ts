import { describe, expect, it } from 'vitest';
import { itemIdentity } from '../../src/core/records/register-item.js';

describe('item identity (SocGen POST /items)', () => {
  const item = { sku: 'ZG011AQA', brand: 'Beats', model: 'Solo3', category: 'Headphones' };

  it('is the same for the same characteristics, whatever their order', async () => {
    const reordered = { category: 'Headphones', model: 'Solo3', brand: 'Beats', sku: 'ZG011AQA' };
    expect(await itemIdentity(item)).toBe(await itemIdentity(reordered));
    expect(await itemIdentity(item)).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('differs when any characteristic differs, case and spaces included', async () => {
    const key = await itemIdentity(item);
    expect(await itemIdentity({ ...item, model: 'Solo4' })).not.toBe(key);
    expect(await itemIdentity({ ...item, brand: 'beats' })).not.toBe(key);
    expect(await itemIdentity({ ...item, brand: 'Beats ' })).not.toBe(key);
    // A value cannot pass for a neighbour's: fields are kept apart, not concatenated.
    expect(await itemIdentity({ a: 'xy', b: '' })).not.toBe(await itemIdentity({ a: 'x', b: 'y' }));
  });
});
