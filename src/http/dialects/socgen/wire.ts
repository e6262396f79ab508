import { invalid } from '../../../core/errors.js';
import type { Money } from '../../../core/money.js';
import { fromMajor, toMajorNumber } from '../../../core/money.js';
import type { InsuredItem, Policy, Policyholder, PolicyStatus } from '../../../core/policies/policy.js';

/** 1.1.0's `consolidatedStatus`, from the core's states. `Rejected` is never answered: a refused subscription writes nothing. */
const CONSOLIDATED: Record<PolicyStatus, ConsolidatedStatus> = {
  quoted: 'Initialized',
  pending_payment: 'Initialized',
  scheduled: 'Subscribed',
  active: 'Activated',
  expired: 'Terminated',
  cancelled: 'Cancelled',
  voided: 'Aborted',
};
export const CONSOLIDATED_STATUSES = [
  'Initialized',
  'Subscribed',
  'Activated',
  'Cancelled',
  'Terminated',
  'Aborted',
  'Rejected',
] as const;
type ConsolidatedStatus = (typeof CONSOLIDATED_STATUSES)[number];

export const consolidatedStatus = (policy: Policy): ConsolidatedStatus => CONSOLIDATED[policy.status];

/** A decimal amount in major units as minor units of the market's currency; more decimals are refused, not rounded. */
export function minor(value: number, currency: string, field: string): number {
  const amount = fromMajor(value, currency);
  if (amount === undefined) throw invalid(field, `not an amount in ${currency} (too many decimals?)`);
  if (amount <= 0) throw invalid(field, 'must be more than 0');
  return amount;
}

export const major = (money: Money): number => toMajorNumber(money.amount, money.currency);

const YEARS: Record<string, [string, string]> = {
  fr: ['an', 'ans'],
  de: ['Jahr', 'Jahre'],
  en: ['year', 'years'],
};
const MONTHS: Record<string, string> = { fr: 'mois', de: 'Monate', en: 'months' };

/** 1.1.0's `duration` ("2 ans"), in the market's language (English elsewhere). */
export function duration(termMonths: number, language: string): string {
  if (termMonths % 12 === 0) {
    const [one, many] = YEARS[language] ?? YEARS.en!;
    const years = termMonths / 12;
    return `${years} ${years === 1 ? one : many}`;
  }
  return `${termMonths} ${MONTHS[language] ?? MONTHS.en}`;
}

/** An insurance of a solution is one of its product's terms: `24M`. */
export const insuranceId = (termMonths: number) => `${termMonths}M`;

export function termOf(id: string): number | undefined {
  const match = /^(\d{1,3})M$/.exec(id);
  return match ? Number(match[1]) : undefined;
}

/** What `POST /items` describes: every field but the solution code, which is not the item's. */
export interface ItemData {
  sku: string;
  merchantItemId: string;
  brand: string;
  model: string;
  title: string;
  description: string;
  characteristics: string;
  category: string;
}

export const insuredItem = (item: ItemData, price: Money): InsuredItem => ({
  category: item.category,
  name: item.title,
  brand: item.brand,
  model: item.model,
  sku: item.sku,
  price,
});

export interface WireBuyer {
  contact?: {
    lastName: string;
    firstName: string;
    email: string;
    mobilePhoneNumber: string;
    phoneNumber?: string;
  };
  address?: {
    streetNumber: number;
    streetNumberSuffix?: string;
    streetName: string;
    streetNameComplement?: string;
    zipCode: string;
    cityName: string;
    regionName: string;
    countryCode: string;
  };
}

/**
 * The buyer as the core's policyholder: what the core models (names, e-mail, the mobile number, the
 * postal address). The rest (the second phone number, the region, the street number apart) is kept
 * with the subscription as sent.
 */
export function policyholder(buyer: WireBuyer, merchantBuyerId: string, language: string): Policyholder {
  const { contact, address } = buyer;
  return {
    ...(contact
      ? {
          firstName: contact.firstName,
          lastName: contact.lastName,
          email: contact.email,
          phone: contact.mobilePhoneNumber,
        }
      : {}),
    ...(address
      ? {
          address: {
            line1: [`${address.streetNumber}${address.streetNumberSuffix ?? ''}`, address.streetName].join(
              ' ',
            ),
            ...(address.streetNameComplement ? { line2: address.streetNameComplement } : {}),
            postalCode: address.zipCode,
            city: address.cityName,
            country: address.countryCode.toUpperCase(),
          },
        }
      : {}),
    language,
    externalId: merchantBuyerId,
  };
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A ULID (the 26 characters after an id's prefix) as the UUID of the same 128 bits: one event, one id. */
export function ulidAsUuid(id: string): string {
  const ulid = id.slice(id.lastIndexOf('_') + 1).toUpperCase();
  let bits = 0n;
  for (const char of ulid) bits = (bits << 5n) | BigInt(CROCKFORD.indexOf(char));
  const hex = (bits & ((1n << 128n) - 1n)).toString(16).padStart(32, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
