import { CoreError, type FieldError } from '../errors.js';
import type { Tenant } from '../partners/partner.js';
import type { CoreDeps, FoundPolicy, PolicySearchFilter } from '../ports.js';

const MAX_PAGE_SIZE = 100;

export interface PolicySearch extends PolicySearchFilter {
  /** 1-based. */
  page: number;
  pageSize: number;
}

/**
 * One page of the policies a dialect shows under its own ids (`aliasKind`), newest first, matching
 * every filter given (the merchant's basket id, the insured item's order id, the product and market),
 * with how many match in all.
 */
export async function searchPolicies(
  deps: CoreDeps,
  tenant: Tenant,
  search: PolicySearch,
): Promise<{ total: number; found: FoundPolicy[] }> {
  const errors: FieldError[] = [];
  if (!Number.isInteger(search.page) || search.page < 1) {
    errors.push({ field: 'page', message: 'a whole number from 1' });
  }
  if (!Number.isInteger(search.pageSize) || search.pageSize < 1 || search.pageSize > MAX_PAGE_SIZE) {
    errors.push({ field: 'pageSize', message: `a whole number from 1 to ${MAX_PAGE_SIZE}` });
  }
  if (errors.length > 0) {
    throw new CoreError('validation_failed', `${errors[0]!.field}: ${errors[0]!.message}`, errors);
  }
  const { page, pageSize, ...filter } = search;
  return deps.repos.policies.search(tenant, filter, {
    limit: pageSize,
    offset: (page - 1) * pageSize,
  });
}
