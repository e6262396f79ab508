import type { ConsoleUser } from '../../core/console/user.js';
import { notFound } from '../../core/errors.js';
import type { Partner, Tenant } from '../../core/partners/partner.js';
import type { Repositories } from '../../core/ports.js';

/**
 * What a console user may see: an operator every partner, a partner user its own. Something of another
 * partner is answered as not found, so a link does not even tell that it exists.
 */
function visible(user: ConsoleUser, tenant: Tenant | undefined): tenant is Tenant {
  return tenant !== undefined && (user.partnerId === null || user.partnerId === tenant.partnerId);
}

/**
 * The catalog, partners, their credentials, stores and webhooks are the insurer's to manage: to a partner
 * user these pages do not exist.
 */
export function operatorOnly(user: ConsoleUser | undefined): void {
  if (user?.partnerId !== null) throw notFound('page');
}

export async function policyTenant(repos: Repositories, user: ConsoleUser, id: string): Promise<Tenant> {
  const tenant = await repos.policies.locate(id);
  if (!visible(user, tenant)) throw notFound(`policy ${id}`);
  return tenant;
}

export async function claimTenant(repos: Repositories, user: ConsoleUser, id: string): Promise<Tenant> {
  const tenant = await repos.claims.locate(id);
  if (!visible(user, tenant)) throw notFound(`claim ${id}`);
  return tenant;
}

/** The partners a user works for: all of them for an operator. */
export async function partnersOf(repos: Repositories, user: ConsoleUser): Promise<Partner[]> {
  if (user.partnerId === null) return repos.partners.list();
  const own = await repos.partners.getById(user.partnerId);
  return own ? [own] : [];
}
