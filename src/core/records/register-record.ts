import { CoreError } from '../errors.js';
import type { Tenant } from '../partners/partner.js';
import type { CoreDeps, DialectRecord } from '../ports.js';

/** How a refusal names the record and the client's field for its key: `user`, `UserId`. */
export interface RecordNaming {
  what: string;
  keyField: string;
}

/**
 * What a registration did: made the record (`created`), found it as sent (`unchanged`), wrote what was
 * sent over it (`updated`), or gave it to a new owner (`moved`).
 */
export type Registration = 'created' | 'unchanged' | 'updated' | 'moved';

/**
 * Registers a record a client keeps with a dialect (an Omocom user or insurable object). The client's
 * own id (`key`) is unique per tenant and kind; registering it again keeps the record's handle and
 * honours what was sent:
 *
 * - by the same owner (`ref`; a user has none): the fields sent replace the stored ones, the others stay;
 * - by another owner: the item was sold on, and ownership follows the buyer. The record moves to the new
 *   owner and holds only the new owner's registration (nothing of the previous owner's stays on it).
 *   What was bought before is untouched: a policy keeps the holder it was bought by (see `requireOwner`).
 *
 * A registration that loses a race to the same key is `already_exists`, so a retry finds the record.
 */
export async function registerRecord(
  deps: CoreDeps,
  tenant: Tenant,
  input: Omit<DialectRecord, 'createdAt'>,
  naming: RecordNaming,
): Promise<{ record: DialectRecord; created: boolean; registration: Registration }> {
  if (input.key !== null) {
    const found = await deps.repos.dialectRecords.byKey(tenant, input.kind, input.key);
    const existing =
      found && (await deps.repos.dialectRecords.get(tenant, found.kind, found.handle, { forUpdate: true }));
    if (existing) {
      const { record, registration } = reregistered(existing, input);
      if (registration !== 'unchanged') await deps.repos.dialectRecords.update(tenant, record);
      return { record, created: false, registration };
    }
  }
  const record: DialectRecord = { ...input, createdAt: deps.clock.now() };
  if (!(await deps.repos.dialectRecords.insert(tenant, record))) {
    throw new CoreError('already_exists', `${naming.what} ${input.key} was created at the same time`, [
      { field: naming.keyField, message: 'retry: it exists now' },
    ]);
  }
  return { record, created: true, registration: 'created' };
}

/** The record a registration of an existing key leaves: updated by its owner, or moved to a new one. */
function reregistered(
  existing: DialectRecord,
  input: Omit<DialectRecord, 'createdAt'>,
): { record: DialectRecord; registration: Registration } {
  const kept = {
    kind: existing.kind,
    handle: existing.handle,
    key: existing.key,
    createdAt: existing.createdAt,
  };
  if (existing.ref !== input.ref) {
    return {
      record: { ...kept, ref: input.ref, email: input.email, data: input.data, personalId: input.personalId },
      registration: 'moved',
    };
  }
  const record: DialectRecord = {
    ...kept,
    ref: existing.ref,
    email: input.email ?? existing.email,
    data: { ...existing.data, ...input.data },
    personalId: input.personalId ?? existing.personalId,
  };
  const same =
    record.email === existing.email &&
    record.personalId === existing.personalId &&
    canonical(record.data) === canonical(existing.data);
  return { record: same ? existing : record, registration: same ? 'unchanged' : 'updated' };
}

/**
 * An owned item's quote is bound only for the item's current owner: once the item has moved to another
 * (`registerRecord`), a quote made for the previous owner is refused rather than insure the new owner's
 * item in the previous owner's name. `field` is the client's name for what it sent (its quote's id).
 */
export function requireOwner(
  item: DialectRecord,
  ownerRef: string | null,
  field: string,
  what = 'item',
): void {
  if (item.ref === ownerRef) return;
  throw new CoreError(
    'invalid_transition',
    `the ${what} ${item.key ?? item.handle} has had another owner since this was quoted; quote it again for its current owner`,
    [{ field, message: 'quoted for a previous owner of the item' }],
  );
}

/** JSON text with every object's keys sorted: equal data, equal text, whatever order storage keeps. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
