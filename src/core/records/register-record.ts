import { CoreError } from '../errors.js';
import type { Tenant } from '../partners/partner.js';
import type { CoreDeps, DialectRecord } from '../ports.js';

/** How a refusal names the record and the client's field for its key: `user`, `UserId`. */
export interface RecordNaming {
  what: string;
  keyField: string;
}

/**
 * Registers a record a client keeps with a dialect (an Omocom user or insurable object). The client's
 * own id (`key`) is unique per tenant and kind: registering it again answers the record already
 * there, and a registration that loses a race to the same key is `already_exists`, so a retry finds it.
 */
export async function registerRecord(
  deps: CoreDeps,
  tenant: Tenant,
  input: Omit<DialectRecord, 'createdAt'>,
  naming: RecordNaming,
): Promise<{ record: DialectRecord; created: boolean }> {
  if (input.key !== null) {
    const existing = await deps.repos.dialectRecords.byKey(tenant, input.kind, input.key);
    if (existing) return { record: existing, created: false };
  }
  const record: DialectRecord = { ...input, createdAt: deps.clock.now() };
  if (!(await deps.repos.dialectRecords.insert(tenant, record))) {
    throw new CoreError('already_exists', `${naming.what} ${input.key} was created at the same time`, [
      { field: naming.keyField, message: 'retry: it exists now' },
    ]);
  }
  return { record, created: true };
}
