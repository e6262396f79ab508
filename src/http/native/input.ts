import type { Static } from 'typebox';
import { invalid } from '../../core/errors.js';
import type { Policyholder as CorePolicyholder, InsuredItem } from '../../core/policies/policy.js';
import type { Item, Policyholder } from './schemas.js';

/** Request JSON to core input: dates parsed, country codes upper-cased. */
export function toItem(item: Static<typeof Item>): InsuredItem {
  const { serial_number, purchased_at, ...rest } = item;
  return {
    ...rest,
    ...(serial_number !== undefined ? { serialNumber: serial_number } : {}),
    ...(purchased_at ? { purchasedAt: new Date(purchased_at) } : {}),
  };
}

/** The native policyholder (snake_case) as the core's. */
export function toPolicyholder(p: Static<typeof Policyholder>): CorePolicyholder {
  const { first_name, last_name, personal_id, external_id, address, ...rest } = p;
  const out: CorePolicyholder = { ...rest };
  if (first_name !== undefined) out.firstName = first_name;
  if (last_name !== undefined) out.lastName = last_name;
  if (personal_id !== undefined) out.personalId = personal_id;
  if (external_id !== undefined) out.externalId = external_id;
  if (address !== undefined) {
    const { postal_code, ...lines } = address;
    out.address = { ...lines, ...(postal_code !== undefined ? { postalCode: postal_code } : {}) };
  }
  return out;
}

export function toDate(value: string | undefined): Date | undefined {
  return value === undefined ? undefined : new Date(value);
}

/** Cursors are opaque to clients: the id of the last row of the previous page. */
function encodeCursor(id: string): string {
  return Buffer.from(id).toString('base64url');
}

/** The id a cursor holds, if it is one this API returned for rows with that id prefix (`pol`, `clm`). */
export function decodeCursor(cursor: string | undefined, prefix: 'pol' | 'clm'): string | undefined {
  if (cursor === undefined) return undefined;
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!new RegExp(`^${prefix}_[0-9a-z]{26}$`).test(id)) {
    throw invalid('querystring:cursor', 'not a cursor this API returned');
  }
  return id;
}

/** One page of a list asked for one row more than the limit, to know whether another page follows. */
export function listPage<T extends { id: string }, R>(rows: T[], limit: number, render: (row: T) => R) {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    object: 'list' as const,
    data: page.map(render),
    next_cursor: rows.length > limit && last ? encodeCursor(last.id) : null,
  };
}
