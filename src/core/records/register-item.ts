import type { Tenant } from '../partners/partner.js';
import type { CoreDeps, DialectRecord } from '../ports.js';
import { registerRecord } from './register-record.js';

/**
 * An item a client describes rather than names (SocGen's `POST /items`): it gets an id, and describing
 * it again gets the same id. The identity rule: two descriptions are the same item when every
 * characteristic is equal, exactly as sent (case and spaces count), whatever the order of the fields;
 * per tenant and kind. A characteristic that differs makes another item. The record keeps the
 * description as sent; `key` is the SHA-256 of its canonical text, so a long description is indexed
 * by a short key.
 */
export async function registerItem(
  deps: CoreDeps,
  tenant: Tenant,
  kind: string,
  characteristics: Record<string, string>,
): Promise<{ record: DialectRecord; created: boolean }> {
  const key = await itemIdentity(characteristics);
  const { record, created } = await registerRecord(
    deps,
    tenant,
    {
      kind,
      handle: deps.ids.uuid().toLowerCase(),
      key,
      ref: null,
      email: null,
      data: characteristics,
      personalId: null,
    },
    { what: 'item', keyField: 'item' },
  );
  return { record, created };
}

/** The identity of a description: `sha256:` and the hex digest of its fields, sorted by name, as JSON. */
export async function itemIdentity(characteristics: Record<string, string>): Promise<string> {
  const sorted = Object.keys(characteristics)
    .sort()
    .map((name) => [name, characteristics[name]]);
  const bytes = new TextEncoder().encode(JSON.stringify(sorted));
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', bytes));
  return `sha256:${Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
