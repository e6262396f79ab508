import type { Static } from 'typebox';
import { invalid } from '../../core/errors.js';
import type { InsuredItem } from '../../core/policies/policy.js';
import type { Item } from './schemas.js';

/** Request JSON to core input: dates parsed, country codes upper-cased. */
export function toItem(item: Static<typeof Item>): InsuredItem {
  const { purchased_at, ...rest } = item;
  return { ...rest, ...(purchased_at ? { purchased_at: new Date(purchased_at) } : {}) };
}

export function toDate(value: string | undefined): Date | undefined {
  return value === undefined ? undefined : new Date(value);
}

/** Cursors are opaque to clients: the id of the last policy of the previous page. */
export function encodeCursor(id: string): string {
  return Buffer.from(id).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^pol_[0-9a-z]{26}$/.test(id)) throw invalid('querystring:cursor', 'not a cursor this API returned');
  return id;
}
