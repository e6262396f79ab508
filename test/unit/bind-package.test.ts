import { describe, expect, it } from 'vitest';
import { CoreError, invalid } from '../../src/core/errors.js';
import { PackageBindError } from '../../src/core/policies/bind-package.js';

describe('a package that cannot be bound', () => {
  it('with one failing item, says what failed, its fields under the item’s index', () => {
    const error = new PackageBindError([{ index: 1, error: invalid('coverageStart', 'too late') }]);
    expect(error).toBeInstanceOf(CoreError);
    expect(error.code).toBe('validation_failed');
    expect(error.message).toBe('coverageStart: too late');
    expect(error.fields).toEqual([{ field: 'items/1/coverageStart', message: 'too late' }]);
  });

  it('with several, takes the first one’s code, names every item, and keeps the shared policyholder’s fields', () => {
    const expired = new CoreError('offer_expired', 'the offer has expired', [
      { field: 'offerId', message: 'expired' },
    ]);
    const holder = new CoreError('validation_failed', 'phone required', [
      { field: 'policyholder/phone', message: 'required' },
    ]);
    const error = new PackageBindError([
      { index: 0, error: expired },
      { index: 2, error: holder },
    ]);
    expect(error.code).toBe('offer_expired');
    expect(error.message).toBe('2 items could not be bound: nothing was bound');
    expect(error.fields).toEqual([
      { field: 'items/0/offerId', message: 'expired' },
      { field: 'policyholder/phone', message: 'required' },
    ]);
    expect(error.failures.map((f) => f.index)).toEqual([0, 2]);
  });
});
