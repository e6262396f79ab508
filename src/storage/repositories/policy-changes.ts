import type { Kysely, Selectable } from 'kysely';
import type { InsuredItem } from '../../core/policies/policy.js';
import type { CancellationTerms, PolicyChange } from '../../core/policies/policy-change.js';
import type { RefundQuote } from '../../core/policies/refund.js';
import type { PolicyChangeRepository } from '../../core/ports.js';
import type { Premium } from '../../core/pricing/premium.js';
import type { PolicyChangesTable, Tables } from '../schema.js';
import { reviveDates } from './json.js';

function toCancellation(stored: unknown): CancellationTerms | null {
  if (!stored) return null;
  const terms = stored as CancellationTerms;
  return {
    reason: terms.reason,
    quote: terms.quote && reviveDates<RefundQuote>(terms.quote, ['coolingOffEndsAt']),
  };
}

export function policyChangeRepository(db: Kysely<Tables>): PolicyChangeRepository {
  const toChange = (row: Selectable<PolicyChangesTable>): PolicyChange => ({
    id: row.id,
    groupId: row.group_id,
    partnerId: row.partner_id,
    mode: row.mode,
    policyId: row.policy_id,
    kind: row.kind,
    status: row.status,
    item: reviveDates(row.item as InsuredItem, ['purchasedAt']),
    premium: row.premium as Premium,
    previousPremium: row.previous_premium as Premium,
    priceDiff: Number(row.price_diff),
    termMonths: row.term_months,
    coverageStart: row.coverage_start,
    coverageEnd: row.coverage_end,
    expiresAt: row.expires_at,
    createdAt: row.created_at,
    confirmedAt: row.confirmed_at,
    resultPolicyId: row.result_policy_id,
    cancellation: toCancellation(row.cancellation),
  });
  const cancellationJson = (c: PolicyChange) => (c.cancellation ? JSON.stringify(c.cancellation) : null);
  return {
    async insert(c) {
      if (c.status === 'expired') throw new Error(`policy change ${c.id}: expired is read, not stored`);
      await db
        .insertInto('policy_changes')
        .values({
          partner_id: c.partnerId,
          mode: c.mode,
          id: c.id,
          group_id: c.groupId,
          policy_id: c.policyId,
          kind: c.kind,
          status: c.status,
          item: JSON.stringify(c.item),
          premium: JSON.stringify(c.premium),
          previous_premium: JSON.stringify(c.previousPremium),
          price_diff: c.priceDiff,
          term_months: c.termMonths,
          coverage_start: c.coverageStart,
          coverage_end: c.coverageEnd,
          expires_at: c.expiresAt,
          created_at: c.createdAt,
          confirmed_at: c.confirmedAt,
          result_policy_id: c.resultPolicyId,
          cancellation: cancellationJson(c),
        })
        .execute();
    },
    async get(tenant, id, opts) {
      let query = db
        .selectFrom('policy_changes')
        .selectAll()
        .where('partner_id', '=', tenant.partnerId)
        .where('mode', '=', tenant.mode)
        .where('id', '=', id);
      if (opts?.forUpdate) query = query.forUpdate();
      const row = await query.executeTakeFirst();
      return row && toChange(row);
    },
    async group(tenant, groupId, opts) {
      let query = db
        .selectFrom('policy_changes')
        .selectAll()
        .where('partner_id', '=', tenant.partnerId)
        .where('mode', '=', tenant.mode)
        .where('group_id', '=', groupId)
        .orderBy('id');
      if (opts?.forUpdate) query = query.forUpdate();
      return (await query.execute()).map(toChange);
    },
    async update(c) {
      if (c.status === 'expired') throw new Error(`policy change ${c.id}: expired is read, not stored`);
      const result = await db
        .updateTable('policy_changes')
        .set({
          status: c.status,
          confirmed_at: c.confirmedAt,
          result_policy_id: c.resultPolicyId,
          cancellation: cancellationJson(c),
        })
        .where('partner_id', '=', c.partnerId)
        .where('mode', '=', c.mode)
        .where('id', '=', c.id)
        .executeTakeFirst();
      if (result.numUpdatedRows !== 1n) throw new Error(`policy change ${c.id} was not updated`);
    },
  };
}
