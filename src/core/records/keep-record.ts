import { CoreError } from '../errors.js';
import type { Tenant } from '../partners/partner.js';
import type { CoreDeps, DialectRecord } from '../ports.js';

/*
 * What a dialect keeps for itself (aliases of core ids and presentation fields: an XCover package's
 * requests, an Omocom user) is written here, so no API writes storage itself.
 */

/** Keeps a new record; refused when another of its kind has its key (the client's own id). */
export async function addRecord(deps: CoreDeps, tenant: Tenant, record: DialectRecord): Promise<void> {
  if (!(await deps.repos.dialectRecords.insert(tenant, record))) {
    throw new CoreError('already_exists', `a ${record.kind} with key ${record.key} exists`, [
      { field: 'key', message: 'already used' },
    ]);
  }
}

/** Writes a record's ref, email, data and personal id; its handle, key and creation stay. */
export async function saveRecord(deps: CoreDeps, tenant: Tenant, record: DialectRecord): Promise<void> {
  await deps.repos.dialectRecords.update(tenant, record);
}

/**
 * Keeps a dialect's own id (`alias`) for one of ours (`targetId`: an offer, a policy), with what the
 * dialect shows beside it: a record under the same handle, keyed by the target.
 */
export async function keepUnderAlias(
  deps: CoreDeps,
  tenant: Tenant,
  input: { kind: string; alias: string; targetId: string; ref: string | null; data: Record<string, unknown> },
): Promise<DialectRecord> {
  const createdAt = deps.clock.now();
  await deps.repos.aliases.add(tenant, {
    kind: input.kind,
    alias: input.alias,
    targetId: input.targetId,
    createdAt,
  });
  const record: DialectRecord = {
    kind: input.kind,
    handle: input.alias,
    key: input.targetId,
    ref: input.ref,
    email: null,
    data: input.data,
    personalId: null,
    createdAt,
  };
  await addRecord(deps, tenant, record);
  return record;
}
