import { describe, expect, it } from 'vitest';
import { CoreError, invalid } from '../../src/core/errors.js';
import { DEMO_PRODUCTS } from '../../src/demo/catalog.js';
import { productJson, toProduct } from '../../src/http/admin/wire.js';
import { camelCase, snakePath } from '../../src/http/kit/case.js';
import { fieldBy, inWireFields } from '../../src/http/kit/fields.js';

describe('domain paths at the edge', () => {
  it('snake_case paths for the native and admin APIs; names that are not camelCase stay', () => {
    expect(snakePath('policyholder/firstName')).toBe('policyholder/first_name');
    expect(snakePath('lines/1/protection/protectsLineId')).toBe('lines/1/protection/protects_line_id');
    expect(snakePath('items/0/ref')).toBe('items/0/ref');
    expect(snakePath('Authorization')).toBe('Authorization');
    expect(snakePath('Idempotency-Key')).toBe('Idempotency-Key');
    expect(camelCase('instalments_lapse_after_days')).toBe('instalmentsLapseAfterDays');
  });

  it("an error's fields by the API's table, first match wins, else the fallback", () => {
    const field = fieldBy(
      [
        [/^coverageStart$/, 'insuranceStartDateTime'],
        [/^items\/(\d+)\/price(\/.*)?$/, 'items/$1/total'],
      ],
      snakePath,
    );
    expect(field('coverageStart')).toBe('insuranceStartDateTime');
    expect(field('items/3/price/currency')).toBe('items/3/total');
    expect(field('policyholder/lastName')).toBe('policyholder/last_name');
  });

  it('renames the path a message leads with when it is a field; another path keeps snake_case', () => {
    const own = inWireFields(invalid('coverageStart', 'must be within a year'), () => 'start_date');
    expect(own.message).toBe('start_date: must be within a year');
    expect(own.fields).toEqual([{ field: 'start_date', message: 'must be within a year' }]);
    const moved = new CoreError('validation_failed', 'coverageStart: must be within a year', [
      { field: 'occurredAt', message: 'must be within a year' },
    ]);
    expect(inWireFields(moved, snakePath).message).toBe('coverage_start: must be within a year');
    expect(inWireFields(moved, snakePath).fields[0]?.field).toBe('occurred_at');
  });
});

describe('the admin API product wire', () => {
  it.each(DEMO_PRODUCTS.map((p) => [p.code, p] as const))('%s: core → wire → core is the same', (_, p) => {
    const wire = productJson(p);
    expect(JSON.stringify(wire)).not.toMatch(/"[a-z]+[A-Z]\w*":/);
    expect(toProduct(wire)).toEqual(p);
  });
});
