import { CoreError, type FieldError } from '../../../core/errors.js';
import type { Policyholder as CorePolicyholder } from '../../../core/policies/policy.js';
import type { Policyholder } from './schemas.js';

/** Checks XCover's own rules on a policyholder (the phone's leading "+", an e-mail's shape). */
export function checkPolicyholder(p: Partial<Policyholder>): void {
  const errors: FieldError[] = [];
  if (p.phone && !p.phone.startsWith('+')) {
    errors.push({ field: 'policyholder/phone', message: 'The phone number should start with "+" character' });
  }
  for (const key of ['email', 'secondary_email'] as const) {
    const value = p[key];
    if (value && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) {
      errors.push({ field: `policyholder/${key}`, message: 'Enter a valid email address.' });
    }
  }
  if (errors.length > 0) throw new CoreError('validation_failed', 'invalid policyholder', errors);
}

/** XCover's policyholder as the core's: what is not sent stays undefined, so an update merges. */
export function toCore(p: Partial<Policyholder>, language?: string): Partial<CorePolicyholder> {
  const text = (v: string | null | undefined) => (v === null || v === undefined || v === '' ? undefined : v);
  const address = {
    line1: text(p.address1),
    line2: text(p.address2),
    postalCode: text(p.postcode),
    city: text(p.city),
    country: text(p.country)?.toUpperCase(),
  };
  const out: Partial<CorePolicyholder> = {
    firstName: text(p.first_name),
    lastName: text(p.last_name),
    email: text(p.email),
    phone: text(p.phone),
    language,
  };
  if (Object.values(address).some((v) => v !== undefined)) {
    out.address = Object.fromEntries(Object.entries(address).filter(([, v]) => v !== undefined));
  }
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined));
}
