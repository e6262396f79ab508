import type { Product } from '../catalog/product.js';
import { CoreError, type FieldError } from '../errors.js';
import type { Money } from '../money.js';
import type { Policy, PolicyStatus } from '../policies/policy.js';
import { CLAIM_TYPES, type ClaimType } from './claim.js';

export interface FilingInput {
  incidentDate: string;
  type: string;
  description: string;
  claimedAmount: Money;
}

export const DESCRIPTION_MAX = 5000;
export const REASON_MAX = 1000;

/** Policies that were ever in cover and still stand: claims for a loss during cover may follow expiry. */
const CLAIMABLE_STATUSES: readonly PolicyStatus[] = ['scheduled', 'active', 'expired'];

/** `YYYY-MM-DD` naming a real day (no 2026-02-30). */
export function isCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** The UTC calendar day of an instant, `YYYY-MM-DD`. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/**
 * Whether cover ran at some time on that UTC day: from the day cover began up to, not including, the
 * instant it ended. The loss's hour is unknown, so a day cover touched counts.
 */
export function coveredOn(policy: Policy, day: string): boolean {
  if (!policy.coverageStart || !policy.coverageEnd) return false;
  return utcDay(policy.coverageStart) <= day && Date.parse(`${day}T00:00:00Z`) < policy.coverageEnd.getTime();
}

/**
 * A claim's validity at filing: first its own fields (400, all reported at once), then whether the
 * policy answers for it (422): the policy still stands, covered the incident day, and the amount is
 * within the product's cover limit.
 */
export function checkFiling(policy: Policy, product: Product, input: FilingInput, now: Date): ClaimType {
  const errors: FieldError[] = [];
  const push = (field: string, message: string) => errors.push({ field, message });
  if (!isCalendarDate(input.incidentDate)) push('incidentDate', 'a calendar date, YYYY-MM-DD');
  else if (input.incidentDate > utcDay(now)) push('incidentDate', 'is in the future');
  if (!(CLAIM_TYPES as readonly string[]).includes(input.type)) {
    push('type', `must be one of ${CLAIM_TYPES.join(', ')}`);
  }
  const description = input.description.trim();
  if (description.length === 0) push('description', 'must not be empty');
  else if (description.length > DESCRIPTION_MAX) push('description', `at most ${DESCRIPTION_MAX} characters`);
  errors.push(...amountErrors('claimedAmount', input.claimedAmount, policy.premium.currency));
  if (errors.length > 0) throw new CoreError('validation_failed', 'invalid claim', errors);

  if (!CLAIMABLE_STATUSES.includes(policy.status)) {
    throw new CoreError('not_eligible', `the policy is ${policy.status}: it takes no claims`, [
      { field: 'policyId', message: `a ${policy.status} policy takes no claims` },
    ]);
  }
  const refusals: FieldError[] = [];
  if (!coveredOn(policy, input.incidentDate)) {
    const span =
      policy.coverageStart && policy.coverageEnd
        ? `cover runs from ${policy.coverageStart.toISOString()} to ${policy.coverageEnd.toISOString()}`
        : 'cover has not begun';
    refusals.push({ field: 'incidentDate', message: `not covered: ${span}` });
  }
  const limit = product.coverLimit[policy.premium.currency];
  if (limit === undefined) {
    refusals.push({
      field: 'claimedAmount/currency',
      message: `the product sets no cover limit in ${policy.premium.currency}`,
    });
  } else if (input.claimedAmount.amount > limit) {
    refusals.push({ field: 'claimedAmount/amount', message: `above the cover limit of ${limit}` });
  }
  if (refusals.length > 0)
    throw new CoreError('not_eligible', 'the policy does not cover this claim', refusals);
  return input.type as ClaimType;
}

/**
 * An approved or paid amount: in the claim's currency, more than nothing, and no more than `ceiling`
 * (the claimed amount for an approval, the approved amount for a payment).
 */
export function checkSettlement(field: string, amount: Money, ceiling: Money): void {
  const errors = amountErrors(field, amount, ceiling.currency);
  if (errors.length === 0 && amount.amount > ceiling.amount) {
    errors.push({ field: `${field}/amount`, message: `above ${ceiling.amount}, the most it may be` });
  }
  if (errors.length > 0) throw new CoreError('validation_failed', `invalid ${field}`, errors);
}

/** A denial says why: the partner and the policyholder are told. */
export function checkReason(reason: string): string {
  const trimmed = reason.trim();
  if (trimmed.length === 0 || trimmed.length > REASON_MAX) {
    throw new CoreError('validation_failed', 'a denial needs a reason', [
      { field: 'reason', message: `1 to ${REASON_MAX} characters` },
    ]);
  }
  return trimmed;
}

function amountErrors(field: string, money: Money, currency: string): FieldError[] {
  const errors: FieldError[] = [];
  if (!Number.isSafeInteger(money.amount) || money.amount <= 0) {
    errors.push({ field: `${field}/amount`, message: 'a whole number of minor units above 0' });
  }
  if (money.currency !== currency) {
    errors.push({ field: `${field}/currency`, message: `must be ${currency}, the policy's currency` });
  }
  return errors;
}
