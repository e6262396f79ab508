import { describe, expect, it } from 'vitest';
import type { FieldRule, PolicyholderField, Product } from '../../src/core/catalog/product.js';
import type { Policyholder } from '../../src/core/policies/policy.js';
import { checkPolicyholder } from '../../src/core/policies/policyholder.js';
import { DEMO_PRODUCTS } from '../../src/demo/catalog.js';
import { coreErrorOf, fieldsOf, product } from './fixtures.js';

function withFields(rules: Partial<Record<PolicyholderField, FieldRule>>): Product {
  return product({
    code: 'ph-test',
    policyholderFields: {
      name: 'optional',
      personalId: 'optional',
      address: 'optional',
      phone: 'optional',
      email: 'optional',
      comment: 'optional',
      ...rules,
    },
  });
}

const allRequired = withFields({
  name: 'required',
  personalId: 'required',
  address: 'required',
  phone: 'required',
  email: 'required',
  comment: 'required',
});

const complete: Policyholder = {
  firstName: 'Ada',
  lastName: 'Lovelace',
  personalId: '19151210-1234',
  address: { line1: 'Storgatan 1', postalCode: '111 22', city: 'Stockholm', country: 'SE' },
  phone: '+46701234567',
  email: 'ada@example.com',
  comment: 'gift',
  language: 'sv',
  externalId: 'cust-42',
};

describe('checkPolicyholder: required fields', () => {
  it('passes complete data through unchanged', () => {
    expect(checkPolicyholder(allRequired, complete)).toEqual(complete);
  });

  it.each([
    ['personalId', { personalId: undefined }, 'policyholder/personalId'],
    ['personalId', { personalId: '   ' }, 'policyholder/personalId'],
    ['name', { firstName: undefined }, 'policyholder/firstName'],
    ['name', { lastName: undefined }, 'policyholder/lastName'],
    ['name', { lastName: ' ' }, 'policyholder/lastName'],
    ['address', { address: undefined }, 'policyholder/address'],
    ['address', { address: { line1: 'Storgatan 1' } }, 'policyholder/address'],
    ['address', { address: { postalCode: '111 22' } }, 'policyholder/address'],
    ['address', { address: { line1: ' ', postalCode: '111 22' } }, 'policyholder/address'],
    ['phone', { phone: '' }, 'policyholder/phone'],
    ['email', { email: undefined }, 'policyholder/email'],
    ['comment', { comment: '\t' }, 'policyholder/comment'],
  ] as [PolicyholderField, Partial<Policyholder>, string][])(
    '%s missing (%j) -> %s',
    (field, change, path) => {
      const onlyThis = withFields({ [field]: 'required' });
      const holder = { ...complete, ...change };
      const error = coreErrorOf(() => checkPolicyholder(onlyThis, holder));
      expect(error.fields).toHaveLength(1);
      expect(error.fields[0]!.field).toBe(path);
      const words = field === 'personalId' ? 'personal id' : field;
      expect(error.fields[0]!.message).toBe(`ph-test requires the policyholder's ${words}`);
      expect(error.message).toBe('policyholder data missing');
      // the same gap is fine when the field is optional
      expect(() => checkPolicyholder(withFields({}), holder)).not.toThrow();
    },
  );

  it('lists every missing field, in the order of the product fields', () => {
    expect(fieldsOf(() => checkPolicyholder(allRequired, {}))).toEqual([
      'policyholder/firstName',
      'policyholder/lastName',
      'policyholder/personalId',
      'policyholder/address',
      'policyholder/phone',
      'policyholder/email',
      'policyholder/comment',
    ]);
  });

  it('puts the prefix in front of every path', () => {
    expect(
      fieldsOf(() => checkPolicyholder(allRequired, { ...complete, email: '', phone: '' }, 'items/0/')),
    ).toEqual(['items/0/policyholder/phone', 'items/0/policyholder/email']);
  });

  it('demo tech-insurance wants name, personal id and address', () => {
    const tech = DEMO_PRODUCTS.find((p) => p.code === 'tech-insurance')!;
    expect(fieldsOf(() => checkPolicyholder(tech, { email: 'a@b.se', phone: '1' }))).toEqual([
      'policyholder/firstName',
      'policyholder/lastName',
      'policyholder/personalId',
      'policyholder/address',
    ]);
  });
});

describe('checkPolicyholder: fields not collected are dropped', () => {
  it('drops each not-collected field and keeps the rest', () => {
    const p = withFields({ personalId: 'not_collected', comment: 'not_collected' });
    const kept = checkPolicyholder(p, complete);
    expect(kept).toEqual({
      firstName: 'Ada',
      lastName: 'Lovelace',
      address: complete.address,
      phone: '+46701234567',
      email: 'ada@example.com',
      language: 'sv',
      externalId: 'cust-42',
    });
    expect('personalId' in kept).toBe(false);
    expect('comment' in kept).toBe(false);
  });

  it('name drops first and last name; address drops the whole address', () => {
    const p = withFields({ name: 'not_collected', address: 'not_collected', phone: 'not_collected' });
    expect(checkPolicyholder(p, complete)).toEqual({
      personalId: '19151210-1234',
      email: 'ada@example.com',
      comment: 'gift',
      language: 'sv',
      externalId: 'cust-42',
    });
  });

  it('everything not collected leaves only language and external id', () => {
    const p = withFields({
      name: 'not_collected',
      personalId: 'not_collected',
      address: 'not_collected',
      phone: 'not_collected',
      email: 'not_collected',
      comment: 'not_collected',
    });
    expect(checkPolicyholder(p, complete)).toEqual({ language: 'sv', externalId: 'cust-42' });
  });

  it('does not change the data it is given', () => {
    const holder = structuredClone(complete);
    checkPolicyholder(withFields({ personalId: 'not_collected', name: 'not_collected' }), holder);
    expect(holder).toEqual(complete);
  });

  it('demo refurbished-electronics drops the comment but keeps the personal id it requires', () => {
    const refurbished = DEMO_PRODUCTS.find((p) => p.code === 'refurbished-electronics')!;
    const kept = checkPolicyholder(refurbished, complete);
    expect(kept.personalId).toBe('19151210-1234');
    expect(kept.comment).toBeUndefined();
    expect(kept.firstName).toBe('Ada');
  });
});
