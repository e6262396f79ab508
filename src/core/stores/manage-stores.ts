import { CoreError, notFound } from '../errors.js';
import { requirePartner } from '../partners/manage-partners.js';
import type { CoreDeps } from '../ports.js';
import { type PartnerStore, validateStoreInput } from './store.js';

/** Adds a store to a partner: its market must be one the partner sells in. */
export async function addStore(
  deps: CoreDeps,
  partnerCode: string,
  input: { externalId: string; country: string; currency: string },
): Promise<PartnerStore> {
  const partner = await requirePartner(deps, partnerCode);
  validateStoreInput(partner, input);
  if (await deps.repos.stores.get(partner.id, input.externalId)) {
    throw new CoreError('already_exists', `store ${input.externalId} exists`, [
      { field: 'externalId', message: 'already taken' },
    ]);
  }
  const store: PartnerStore = {
    partnerId: partner.id,
    externalId: input.externalId,
    country: input.country,
    currency: input.currency,
    createdAt: deps.clock.now(),
  };
  await deps.repos.stores.add(store);
  return store;
}

export async function listStores(deps: CoreDeps, partnerCode: string): Promise<PartnerStore[]> {
  const partner = await requirePartner(deps, partnerCode);
  return deps.repos.stores.list(partner.id);
}

export async function removeStore(deps: CoreDeps, partnerCode: string, externalId: string): Promise<void> {
  const partner = await requirePartner(deps, partnerCode);
  if (!(await deps.repos.stores.remove(partner.id, externalId))) {
    throw notFound(`store ${externalId}`, 'externalId');
  }
}

/** The caller's store, or `forbidden`: a store of another partner is not found the same way. */
export async function requireStore(
  deps: CoreDeps,
  partnerId: string,
  externalId: string,
): Promise<PartnerStore> {
  const store = await deps.repos.stores.get(partnerId, externalId);
  if (!store) {
    throw new CoreError('forbidden', `store ${externalId} is not one of this partner's stores`, [
      { field: 'Store-ID', message: "not one of the partner's stores" },
    ]);
  }
  return store;
}
