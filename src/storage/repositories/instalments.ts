import type { Kysely, Selectable } from 'kysely';
import type { Instalment } from '../../core/instalments/instalment.js';
import type { Tenant } from '../../core/partners/partner.js';
import type { InstalmentRepository } from '../../core/ports.js';
import type { InstalmentsTable, Tables } from '../schema.js';

export function instalmentRepository(db: Kysely<Tables>): InstalmentRepository {
  const scoped = (tenant: Tenant, policyId: string) =>
    db
      .selectFrom('instalments')
      .selectAll()
      .where('partner_id', '=', tenant.partnerId)
      .where('mode', '=', tenant.mode)
      .where('policy_id', '=', policyId);

  return {
    async insertMany(list) {
      if (list.length === 0) return;
      await db
        .insertInto('instalments')
        .values(
          list.map((i) => ({
            partner_id: i.partnerId,
            mode: i.mode,
            id: i.id,
            policy_id: i.policyId,
            number: i.number,
            period_start: i.periodStart,
            period_end: i.periodEnd,
            amount: i.amount,
            net: i.net,
            tax: i.tax,
            currency: i.currency,
            status: i.status,
            paid_at: i.paidAt,
            payment_attempted_at: i.paymentAttemptedAt,
            lapse_at: i.lapseAt,
            created_at: i.createdAt,
            updated_at: i.updatedAt,
          })),
        )
        .execute();
    },
    async list(tenant, policyId) {
      const rows = await scoped(tenant, policyId).orderBy('number').execute();
      return rows.map(toInstalment);
    },
    async get(tenant, policyId, number, opts) {
      let query = scoped(tenant, policyId).where('number', '=', number);
      if (opts?.forUpdate) query = query.forUpdate();
      const row = await query.executeTakeFirst();
      return row && toInstalment(row);
    },
    async update(i) {
      const result = await db
        .updateTable('instalments')
        .set({
          amount: i.amount,
          net: i.net,
          tax: i.tax,
          status: i.status,
          paid_at: i.paidAt,
          payment_attempted_at: i.paymentAttemptedAt,
          updated_at: i.updatedAt,
        })
        .where('partner_id', '=', i.partnerId)
        .where('mode', '=', i.mode)
        .where('policy_id', '=', i.policyId)
        .where('number', '=', i.number)
        .executeTakeFirst();
      if (result.numUpdatedRows !== 1n)
        throw new Error(`instalment ${i.policyId}/${i.number} was not updated`);
    },
    async overdue(now, limit) {
      // Ended policies keep their unpaid rows; the join leaves them out so they never crowd the list.
      const rows = await db
        .selectFrom('instalments as i')
        .innerJoin('policies as p', (join) =>
          join
            .onRef('p.partner_id', '=', 'i.partner_id')
            .onRef('p.mode', '=', 'i.mode')
            .onRef('p.id', '=', 'i.policy_id'),
        )
        .select(['i.partner_id', 'i.mode', 'i.policy_id'])
        .select((eb) => eb.fn.min('i.lapse_at').as('first_lapse'))
        .where('i.status', '<>', 'paid')
        .where('i.lapse_at', '<=', now)
        .where('p.status', 'in', ['scheduled', 'active'])
        .groupBy(['i.partner_id', 'i.mode', 'i.policy_id'])
        .orderBy('first_lapse')
        .orderBy('i.policy_id')
        .limit(limit)
        .execute();
      return rows.map((r) => ({ tenant: { partnerId: r.partner_id, mode: r.mode }, policyId: r.policy_id }));
    },
  };
}

function toInstalment(r: Selectable<InstalmentsTable>): Instalment {
  return {
    id: r.id,
    partnerId: r.partner_id,
    mode: r.mode,
    policyId: r.policy_id,
    number: r.number,
    periodStart: r.period_start,
    periodEnd: r.period_end,
    amount: Number(r.amount),
    net: Number(r.net),
    tax: Number(r.tax),
    currency: r.currency,
    status: r.status,
    paidAt: r.paid_at,
    paymentAttemptedAt: r.payment_attempted_at,
    lapseAt: r.lapse_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
