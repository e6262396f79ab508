import type { Product } from '../catalog/product.js';
import { CoreError, type FieldError } from '../errors.js';
import type { Policyholder } from './policy.js';

const PRESENT: Record<keyof Product['policyholderFields'], (p: Policyholder) => boolean> = {
  name: (p) => Boolean(p.firstName?.trim() && p.lastName?.trim()),
  personalId: (p) => Boolean(p.personalId?.trim()),
  address: (p) => Boolean(p.address?.line1?.trim() && p.address?.postalCode?.trim()),
  phone: (p) => Boolean(p.phone?.trim()),
  email: (p) => Boolean(p.email?.trim()),
  comment: (p) => Boolean(p.comment?.trim()),
};

const FIELD_PATH: Record<keyof Product['policyholderFields'], string> = {
  name: 'policyholder/firstName',
  personalId: 'policyholder/personalId',
  address: 'policyholder/address',
  phone: 'policyholder/phone',
  email: 'policyholder/email',
  comment: 'policyholder/comment',
};

/** The policyholder data a product requires must be there; what it does not collect is dropped. */
export function checkPolicyholder(product: Product, holder: Policyholder, prefix = ''): Policyholder {
  const errors: FieldError[] = [];
  const kept: Policyholder = { ...holder };
  for (const [field, rule] of Object.entries(product.policyholderFields) as [
    keyof typeof PRESENT,
    string,
  ][]) {
    if (rule === 'required' && field === 'name') {
      // Name is two fields: report the one that is missing, both if both are.
      for (const part of ['firstName', 'lastName'] as const) {
        if (!holder[part]?.trim())
          errors.push({
            field: `${prefix}policyholder/${part}`,
            message: `${product.code} requires the policyholder's name`,
          });
      }
    } else if (rule === 'required' && !PRESENT[field](holder)) {
      errors.push({
        field: prefix + FIELD_PATH[field],
        message: `${product.code} requires the policyholder's ${field === 'personalId' ? 'personal id' : field}`,
      });
    }
    if (rule === 'not_collected') {
      if (field === 'name') {
        delete kept.firstName;
        delete kept.lastName;
      } else if (field === 'address') delete kept.address;
      else delete kept[field];
    }
  }
  if (errors.length > 0) throw new CoreError('validation_failed', 'policyholder data missing', errors);
  return kept;
}
