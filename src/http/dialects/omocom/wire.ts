import { invalid } from '../../../core/errors.js';
import { fromMajor, type Money, toMajorNumber } from '../../../core/money.js';
import { quoteExpiresAt } from '../../../core/policies/confirm-policy.js';
import type {
  InsuredItem,
  MerchantRefs,
  Policy,
  Policyholder,
  PolicyStatus,
} from '../../../core/policies/policy.js';
import type { DialectRecord } from '../../../core/ports.js';
import type { INSURANCE_STATUSES, InsuranceBody, ObjectBody, UserBody } from './schemas.js';

/** The field names this dialect knows, as the guide spells them; any casing of them is accepted. */
const CANONICAL = [
  'MarketName',
  'UserId',
  'FirstName',
  'LastName',
  'SocialSecurityNumber',
  'SSN',
  'Country',
  'PhoneNumber',
  'StreetAddress',
  'ZipCode',
  'City',
  'CountryCode',
  'EmailAddress',
  'Culture',
  'objectId',
  'objectCategory',
  'ownerHandle',
  'shortDescription',
  'description',
  'ExternalProperties',
  'name',
  'value',
  'product',
  'insuranceStartDateTime',
  'insuranceEndDateTime',
  'counterpartHandle',
  'properties',
  'monetaryValue',
  'amount',
  'currency',
  'reason',
] as const;
const BY_LOWER = new Map<string, string>(CANONICAL.map((k) => [k.toLowerCase(), k]));

/** Renames known keys to their canonical spelling, at every depth; unknown keys are kept as sent. */
export function normalizeKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalizeKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    out[BY_LOWER.get(key.toLowerCase()) ?? key] = normalizeKeys(child);
  }
  return out;
}

/** `2022-10-03T11:36:48.0000000+01:00`: the instant, and the offset the client wrote it in (minutes). */
function parseDateTime(text: string): { at: Date; offsetMinutes: number } | undefined {
  const m =
    /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(
      text.trim(),
    );
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s = '0', frac = '', zone = 'Z'] = m;
  const offsetMinutes =
    zone === 'Z' ? 0 : (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(-2)));
  const local = Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +s, Number(frac.padEnd(3, '0').slice(0, 3)));
  const at = new Date(local - offsetMinutes * 60_000);
  const check = new Date(local);
  if (Number.isNaN(at.getTime()) || check.getUTCDate() !== +d! || check.getUTCMonth() !== +mo! - 1)
    return undefined;
  if (+h! > 23 || +mi! > 59 || +s > 59 || Math.abs(offsetMinutes) > 14 * 60) return undefined;
  return { at, offsetMinutes };
}

/** An instant in the client's offset, as .NET writes it: `2022-10-03T11:36:48.0000000+01:00`. */
function formatDateTime(at: Date | null, offsetMinutes: number): string | null {
  if (!at) return null;
  const local = new Date(at.getTime() + offsetMinutes * 60_000).toISOString();
  const fraction = `${local.slice(20, 23)}0000`;
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const zone = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return `${local.slice(0, 19)}.${fraction}${zone}`;
}

/** Personal ids are shown with all but their last four digits hidden. */
function maskPersonalId(id: string): string {
  return id.replace(/\d(?=(?:\D*\d){4})/g, '*');
}

/** A user as stored: the fields the client sent, the SSN apart (encrypted) but for its country. */
type StoredUser = Omit<UserBody, 'SocialSecurityNumber' | 'MarketName'> & {
  MarketName: string;
  ssnCountry?: string;
};

export function userJson(user: DialectRecord) {
  const { ssnCountry, ...fields } = user.data as StoredUser;
  return {
    handle: user.handle,
    ...fields,
    ...(user.personalId
      ? {
          SocialSecurityNumber: {
            SSN: maskPersonalId(user.personalId),
            ...(ssnCountry ? { Country: ssnCountry } : {}),
          },
        }
      : {}),
    createdDateTime: user.createdAt.toISOString(),
  };
}

export function objectJson(object: DialectRecord) {
  const data = object.data as ObjectBody & { objectId: string; ownerHandle: string };
  return { handle: object.handle, ...data, createdDateTime: object.createdAt.toISOString() };
}

/** The core's policy states in Omocom's words. */
const INSURANCE_STATUS = {
  quoted: 'Quote',
  pending_payment: 'PendingPayment',
  scheduled: 'Accepted',
  active: 'Active',
  expired: 'Expired',
  cancelled: 'Cancelled',
  voided: 'Voided',
} as const satisfies Record<PolicyStatus, (typeof INSURANCE_STATUSES)[number]>;

export const money = (m: Money) => ({
  amount: toMajorNumber(m.amount, m.currency),
  currency: m.currency,
});

/** What an insurance shows beside its policy: the names, offset and properties the client sent. */
export type InsuranceData = {
  objectHandle: string;
  ownerHandle: string;
  product: string;
  offsetMinutes: number;
  properties: InsuranceBody['properties'];
};

export function insuranceJson(record: DialectRecord, policy: Policy) {
  const data = record.data as InsuranceData;
  const premium = (amount: number) => money({ amount, currency: policy.premium.currency });
  return {
    insuranceId: record.handle,
    status: INSURANCE_STATUS[policy.status],
    state: policy.status,
    product: data.product,
    productCode: policy.productCode,
    objectHandle: data.objectHandle,
    ownerHandle: data.ownerHandle,
    insuranceStartDateTime: formatDateTime(policy.coverageStart, data.offsetMinutes),
    insuranceEndDateTime: formatDateTime(policy.coverageEnd, data.offsetMinutes),
    termMonths: policy.termMonths,
    price: premium(policy.premium.total),
    priceQuote: {
      net: premium(policy.premium.net),
      tax: premium(policy.premium.tax),
      total: premium(policy.premium.total),
    },
    quoteExpiresDateTime: policy.status === 'quoted' ? quoteExpiresAt(policy).toISOString() : null,
    acceptedDateTime: policy.boundAt?.toISOString() ?? null,
    properties: data.properties,
    refund: policy.refund ? money(policy.refund) : null,
    createdDateTime: policy.createdAt.toISOString(),
  };
}

/** When cover starts and, if the client said, ends: each in the offset the client wrote it in. */
export function coverDates(b: InsuranceBody): {
  start: { at: Date; offsetMinutes: number };
  end: { at: Date; offsetMinutes: number } | undefined;
} {
  const start = parseDateTime(b.insuranceStartDateTime);
  if (!start) throw invalid('insuranceStartDateTime', 'must be an ISO 8601 date and time');
  const end = b.insuranceEndDateTime ? parseDateTime(b.insuranceEndDateTime) : undefined;
  if (b.insuranceEndDateTime && !end)
    throw invalid('insuranceEndDateTime', 'must be an ISO 8601 date and time');
  if (end && end.at.getTime() <= start.at.getTime()) {
    throw invalid('insuranceEndDateTime', 'must be after insuranceStartDateTime');
  }
  return { start, end };
}

/** The `PurchasePrice` property: what the object cost, which cover is priced on, and where it was sent. */
export function purchasePrice(b: InsuranceBody): { price: Money; index: number } {
  const indexes = b.properties.flatMap((p, i) => (p.name.toLowerCase() === 'purchaseprice' ? [i] : []));
  if (indexes.length > 1)
    throw invalid(`properties/${indexes[1]}/name`, 'PurchasePrice is given more than once');
  const index = indexes[0] ?? -1;
  const price = b.properties[index]?.monetaryValue;
  if (!price) throw invalid('properties', 'a PurchasePrice property with a monetaryValue is required');
  const currency = price.currency.toUpperCase();
  const amount = fromMajor(price.amount, currency);
  if (amount === undefined) {
    throw invalid(`properties/${index}/monetaryValue/amount`, `not a valid amount of ${currency}`);
  }
  return { price: { amount, currency }, index };
}

/**
 * The core's names for what a quote is made of, as this client sent them: the object's and the owner's
 * fields (a user without the personal id a product needs is refused naming `SocialSecurityNumber`), the
 * insurance body's own, and the purchase price where it was sent.
 */
export function quoteFields(priceIndex: number): Record<string, string> {
  return {
    item: 'ObjectHandle',
    'item/category': 'objectCategory',
    'item/name': 'shortDescription',
    'item/brand': 'ExternalProperties',
    'item/model': 'ExternalProperties',
    'item/serialNumber': 'ExternalProperties',
    'item/price': `properties/${priceIndex}/monetaryValue`,
    policyholder: 'ownerHandle',
    'policyholder/firstName': 'FirstName',
    'policyholder/lastName': 'LastName',
    'policyholder/externalId': 'UserId',
    'policyholder/email': 'EmailAddress',
    'policyholder/phone': 'PhoneNumber',
    'policyholder/personalId': 'SocialSecurityNumber',
    'policyholder/language': 'Culture',
    'policyholder/address': 'StreetAddress',
    'policyholder/address/line1': 'StreetAddress',
    'policyholder/address/postalCode': 'ZipCode',
    'policyholder/address/city': 'City',
    'policyholder/address/country': 'CountryCode',
    coverageStart: 'insuranceStartDateTime',
    coverageEnd: 'insuranceEndDateTime',
    termMonths: 'insuranceEndDateTime',
    productCode: 'product',
    country: 'market',
    refs: 'properties',
  };
}

/** The core's name for the policy an insurance id stands for. */
export const INSURANCE_FIELDS = { policyId: 'InsuranceId' } as const;

/** An insurable object as the core's insured item: make, model and IMEI or serial from its properties. */
export function insuredItem(object: DialectRecord, price: Money): InsuredItem {
  const data = object.data as ObjectBody;
  const external = new Map((data.ExternalProperties ?? []).map((p) => [p.name.toLowerCase(), p.value]));
  const brand = external.get('make');
  const model = external.get('model');
  const serial = external.get('imei') ?? external.get('serialnumber');
  return {
    category: data.objectCategory,
    price,
    ...(data.shortDescription ? { name: data.shortDescription } : {}),
    ...(brand ? { brand } : {}),
    ...(model ? { model } : {}),
    ...(serial ? { serialNumber: serial } : {}),
  };
}

/** A user as the core's policyholder. */
export function policyholder(owner: DialectRecord): Policyholder {
  const holder = owner.data as UserBody;
  return {
    firstName: holder.FirstName,
    lastName: holder.LastName,
    externalId: holder.UserId,
    ...(holder.EmailAddress ? { email: holder.EmailAddress } : {}),
    ...(holder.PhoneNumber ? { phone: holder.PhoneNumber } : {}),
    ...(owner.personalId ? { personalId: owner.personalId } : {}),
    ...(holder.Culture ? { language: holder.Culture.slice(0, 2).toLowerCase() } : {}),
    ...(holder.StreetAddress || holder.ZipCode
      ? {
          address: {
            ...(holder.StreetAddress ? { line1: holder.StreetAddress } : {}),
            ...(holder.ZipCode ? { postalCode: holder.ZipCode } : {}),
            ...(holder.City ? { city: holder.City } : {}),
            ...(holder.CountryCode ? { country: holder.CountryCode } : {}),
          },
        }
      : {}),
  };
}

/** The policy's merchant references: object and user keys, the receipt, every other text property. */
export function insuranceRefs(
  object: DialectRecord,
  owner: DialectRecord,
  properties: InsuranceBody['properties'],
): MerchantRefs {
  const refs: Record<string, string> = { object_id: String(object.key), user_id: String(owner.key) };
  for (const p of properties) {
    if (typeof p.value !== 'string') continue;
    if (p.name.toLowerCase() === 'receiptnumber') refs.receipt = p.value;
    else refs[`omocom_${p.name}`] = p.value;
  }
  return refs;
}
