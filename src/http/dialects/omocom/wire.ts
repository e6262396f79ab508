import { type Static, Type } from 'typebox';
import { toMajorNumber } from '../../../core/money.js';
import type { Policy, PolicyStatus } from '../../../core/policies/policy.js';
import type { DialectRecord } from '../../../core/ports.js';

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

const Text = (max = 500) => Type.String({ maxLength: max });
const Required = (max = 500) => Type.String({ minLength: 1, maxLength: max });

export const MarketParams = Type.Object({
  platform: Required(100),
  market: Required(10),
});
export const HandleParams = Type.Object({
  platform: Required(100),
  market: Required(10),
  handle: Required(100),
});

export const UserBody = Type.Object({
  MarketName: Type.Optional(Text(10)),
  UserId: Required(200),
  FirstName: Required(200),
  LastName: Required(200),
  SocialSecurityNumber: Type.Optional(Type.Object({ SSN: Required(40), Country: Type.Optional(Text(2)) })),
  PhoneNumber: Type.Optional(Text(40)),
  StreetAddress: Type.Optional(Text()),
  ZipCode: Type.Optional(Text(20)),
  City: Type.Optional(Text(200)),
  CountryCode: Type.Optional(Text(2)),
  EmailAddress: Type.Optional(Type.String({ maxLength: 320, pattern: '^[^@\\s]+@[^@\\s]+$' })),
  Culture: Type.Optional(Text(20)),
});
export type UserBody = Static<typeof UserBody>;

export const FindQuery = Type.Object({
  UserId: Type.Optional(Required(200)),
  EmailAddress: Type.Optional(Required(320)),
  SocialSecurityNumber: Type.Optional(Required(40)),
});

const NameValue = Type.Object({ name: Required(100), value: Type.Optional(Text(1000)) });

export const ObjectBody = Type.Object({
  objectId: Type.Optional(Text(200)),
  objectCategory: Required(100),
  ownerHandle: Required(100),
  shortDescription: Type.Optional(Text()),
  description: Type.Optional(Text(2000)),
  ExternalProperties: Type.Optional(Type.Array(NameValue, { maxItems: 100 })),
});
export type ObjectBody = Static<typeof ObjectBody>;

export const InsuranceBody = Type.Object({
  product: Required(200),
  insuranceStartDateTime: Required(40),
  insuranceEndDateTime: Type.Optional(Text(40)),
  counterpartHandle: Required(100),
  properties: Type.Array(
    Type.Object({
      name: Required(100),
      value: Type.Optional(Type.Union([Text(1000), Type.Null()])),
      monetaryValue: Type.Optional(
        Type.Union([
          Type.Object({
            amount: Type.Number({ minimum: 0 }),
            currency: Type.String({ pattern: '^[A-Za-z]{3}$' }),
          }),
          Type.Null(),
        ]),
      ),
    }),
    { maxItems: 100 },
  ),
});
export type InsuranceBody = Static<typeof InsuranceBody>;

/** `2022-10-03T11:36:48.0000000+01:00`: the instant, and the offset the client wrote it in (minutes). */
export function parseDateTime(text: string): { at: Date; offsetMinutes: number } | undefined {
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

export function userJson(user: DialectRecord) {
  const data = user.data as Omit<UserBody, 'SocialSecurityNumber'> & { ssnCountry?: string };
  const { ssnCountry, ...fields } = data;
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
  return { handle: object.handle, ...object.data, createdDateTime: object.createdAt.toISOString() };
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
} as const satisfies Record<PolicyStatus, string>;

export const money = (m: { amount: number; currency: string }) => ({
  amount: toMajorNumber(m.amount, m.currency),
  currency: m.currency,
});

export interface InsuranceData {
  objectHandle: string;
  ownerHandle: string;
  product: string;
  offsetMinutes: number;
  quoteExpiresAt: string;
  properties: {
    name: string;
    value?: string | null;
    monetaryValue?: { amount: number; currency: string } | null;
  }[];
}

export function insuranceJson(record: DialectRecord, policy: Policy) {
  const data = record.data as unknown as InsuranceData;
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
    quoteExpiresDateTime: policy.status === 'quoted' ? data.quoteExpiresAt : null,
    acceptedDateTime: policy.boundAt?.toISOString() ?? null,
    properties: data.properties,
    refund: policy.refund ? money(policy.refund) : null,
    createdDateTime: policy.createdAt.toISOString(),
  };
}
