import { type Kysely, type Selectable, sql } from 'kysely';
import type { CoverStart } from '../../core/catalog/product.js';
import type { Money } from '../../core/money.js';
import type { Tenant } from '../../core/partners/partner.js';
import type {
  InsuredItem,
  Policy,
  PolicyHistoryEntry,
  Policyholder,
  PolicyStatus,
} from '../../core/policies/policy.js';
import type { PolicyRepository } from '../../core/ports.js';
import type { Premium } from '../../core/pricing/premium.js';
import { openPersonalData, sealPersonalData } from '../personal-data.js';
import type { PoliciesTable, Tables } from '../schema.js';
import type { SecretBox } from '../secret-box.js';
import { reviveDates } from './json.js';

export function policyRepository(db: Kysely<Tables>, box: SecretBox): PolicyRepository {
  const columns = (p: Policy) => {
    const { personalId, ...holder } = p.policyholder;
    return {
      status: p.status,
      policyholder: JSON.stringify(holder),
      personal_id_enc: personalId ? box.seal(personalId) : null,
      item: JSON.stringify(p.item),
      currency: p.premium.currency,
      premium_total: p.premium.total,
      premium: JSON.stringify(p.premium),
      coverage_start: p.coverageStart,
      coverage_end: p.coverageEnd,
      bound_at: p.boundAt,
      refs: JSON.stringify(p.refs),
      order_id: p.refs.orderId ?? null,
      refund: p.refund ? JSON.stringify(p.refund) : null,
      claim_paid: p.claimPaid,
      renewal_notified_at: p.renewalNotifiedAt ?? null,
      renewed_by: p.renewedBy ?? null,
      renewal_opt_out: p.renewalOptOut ?? false,
      updated_at: p.updatedAt,
    };
  };
  const toPolicy = (row: Selectable<PoliciesTable>): Policy => {
    const holder = row.policyholder as Policyholder;
    return {
      id: row.id,
      partnerId: row.partner_id,
      mode: row.mode,
      productCode: row.product_code,
      termMonths: row.term_months,
      country: row.country,
      language: row.language,
      status: row.status as PolicyStatus,
      policyholder: row.personal_id_enc ? { ...holder, personalId: box.open(row.personal_id_enc) } : holder,
      item: reviveDates(row.item as InsuredItem, ['purchasedAt']),
      premium: row.premium as Premium,
      coverStart: row.cover_start as CoverStart,
      coverageStart: row.coverage_start,
      coverageEnd: row.coverage_end,
      boundAt: row.bound_at,
      offerId: row.offer_id,
      offerOptionId: row.offer_option_id,
      refs: row.refs,
      refund: row.refund as Money | null,
      claimPaid: row.claim_paid,
      commissionBp: row.commission_bp,
      renewalNotifiedAt: row.renewal_notified_at,
      renewalOf: row.renewal_of,
      renewedBy: row.renewed_by,
      renewalOptOut: row.renewal_opt_out,
      orderUnit: row.order_unit,
      optionUnit: row.option_unit,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  };
  const insertEvent = async (policy: Policy, e: PolicyHistoryEntry) => {
    await db
      .insertInto('policy_events')
      .values({
        partner_id: policy.partnerId,
        mode: policy.mode,
        id: e.id,
        policy_id: e.policyId,
        type: e.type,
        from_status: e.fromStatus,
        to_status: e.toStatus,
        occurred_at: e.occurredAt,
        data: JSON.stringify(sealPersonalData(e.data, box)),
      })
      .execute();
  };
  const scoped = (tenant: Tenant) =>
    db
      .selectFrom('policies')
      .selectAll()
      .where('partner_id', '=', tenant.partnerId)
      .where('mode', '=', tenant.mode);

  return {
    async insert(p, event) {
      await db
        .insertInto('policies')
        .values({
          partner_id: p.partnerId,
          mode: p.mode,
          id: p.id,
          product_code: p.productCode,
          term_months: p.termMonths,
          country: p.country,
          language: p.language,
          cover_start: p.coverStart,
          offer_id: p.offerId,
          offer_option_id: p.offerOptionId,
          // Set once at binding and never updated: the rate the policy was sold at.
          commission_bp: p.commissionBp,
          // Set once at binding: the policy whose next term this is.
          renewal_of: p.renewalOf ?? null,
          // Set once at binding: the units a unique index holds once (migration 013).
          order_unit: p.orderUnit ?? null,
          option_unit: p.optionUnit ?? null,
          created_at: p.createdAt,
          ...columns(p),
        })
        .execute();
      await insertEvent(p, event);
    },
    async update(p, event) {
      const result = await db
        .updateTable('policies')
        .set(columns(p))
        .where('partner_id', '=', p.partnerId)
        .where('mode', '=', p.mode)
        .where('id', '=', p.id)
        .executeTakeFirst();
      if (result.numUpdatedRows !== 1n) throw new Error(`policy ${p.id} was not updated`);
      await insertEvent(p, event);
    },
    async get(tenant, id, opts) {
      let query = scoped(tenant).where('id', '=', id);
      if (opts?.forUpdate) query = query.forUpdate();
      const row = await query.executeTakeFirst();
      return row && toPolicy(row);
    },
    async getMany(tenant, ids) {
      if (ids.length === 0) return [];
      return (
        await scoped(tenant)
          .where('id', 'in', [...ids])
          .execute()
      ).map(toPolicy);
    },
    async list(tenant, f) {
      let query = scoped(tenant);
      if (f.orderId !== undefined) query = query.where('order_id', '=', f.orderId);
      // The expression of index policies_by_holder_email (migration 024).
      if (f.holderEmail !== undefined)
        query = query.where(sql`lower(policyholder->>'email')`, '=', f.holderEmail.toLowerCase());
      if (f.status !== undefined) query = query.where('status', '=', f.status);
      if (f.createdFrom !== undefined) query = query.where('created_at', '>=', f.createdFrom);
      if (f.createdTo !== undefined) query = query.where('created_at', '<', f.createdTo);
      if (f.before !== undefined) query = query.where('id', '<', f.before);
      const rows = await query.orderBy('id', 'desc').limit(f.limit).execute();
      return rows.map(toPolicy);
    },
    async search(tenant, f, { limit, offset }) {
      let query = db
        .selectFrom('policies as p')
        .innerJoin('aliases as a', (join) =>
          join
            .onRef('a.partner_id', '=', 'p.partner_id')
            .onRef('a.mode', '=', 'p.mode')
            .onRef('a.target_id', '=', 'p.id')
            .on('a.kind', '=', f.aliasKind),
        )
        .leftJoin('dialect_records as r', (join) =>
          join
            .onRef('r.partner_id', '=', 'a.partner_id')
            .onRef('r.mode', '=', 'a.mode')
            .onRef('r.handle', '=', 'a.alias')
            .on('r.kind', '=', f.aliasKind),
        )
        .selectAll('p')
        .select(['a.alias as alias', 'r.data as record_data', sql<number>`count(*) over ()`.as('total')])
        .where('p.partner_id', '=', tenant.partnerId)
        .where('p.mode', '=', tenant.mode);
      if (f.basketId !== undefined) query = query.where(sql`p.refs->>'basketId'`, '=', f.basketId);
      if (f.orderId !== undefined) query = query.where('p.order_id', '=', f.orderId);
      if (f.productCode !== undefined) query = query.where('p.product_code', '=', f.productCode);
      if (f.country !== undefined) query = query.where('p.country', '=', f.country);
      const rows = await query.orderBy('p.id', 'desc').limit(limit).offset(offset).execute();
      const found = rows.map(({ alias, record_data, total: _, ...row }) => ({
        policy: toPolicy(row),
        alias,
        data: record_data ? openPersonalData(record_data as Record<string, unknown>, box) : null,
      }));
      if (rows.length > 0 || offset === 0) return { total: Number(rows[0]?.total ?? 0), found };
      // A page past the end has no row to carry the count: counted apart.
      const counted = await query
        .clearSelect()
        .clearOrderBy()
        .select(sql<number>`count(*)`.as('n'))
        .executeTakeFirstOrThrow();
      return { total: Number(counted.n), found };
    },
    async locate(id) {
      const row = await db
        .selectFrom('policies')
        .select(['partner_id', 'mode'])
        .where('id', '=', id)
        .executeTakeFirst();
      return row && { partnerId: row.partner_id, mode: row.mode };
    },
    async lookup(f) {
      let query = db.selectFrom('policies').selectAll();
      if (f.partnerId !== undefined) query = query.where('partner_id', '=', f.partnerId);
      if (f.id !== undefined) query = query.where('id', '=', f.id);
      if (f.orderId !== undefined) query = query.where('order_id', '=', f.orderId);
      if (f.status !== undefined) query = query.where('status', '=', f.status);
      if (f.email !== undefined)
        query = query.where(sql<string>`lower(policyholder->>'email')`, '=', f.email.toLowerCase());
      const rows = await query.orderBy('id', 'desc').limit(f.limit).execute();
      return rows.map(toPolicy);
    },
    async byOrder(tenant, orderId, opts) {
      let query = scoped(tenant).where('order_id', '=', orderId).orderBy('id');
      if (opts?.forUpdate) query = query.forUpdate();
      return (await query.execute()).map(toPolicy);
    },
    async optionUnits(tenant, optionId) {
      const rows = await db
        .selectFrom('policies')
        .select('option_unit')
        .where('partner_id', '=', tenant.partnerId)
        .where('mode', '=', tenant.mode)
        .where('offer_option_id', '=', optionId)
        .where('status', '<>', 'voided')
        .where('option_unit', 'is not', null)
        .orderBy('option_unit')
        .execute();
      return rows.map((r) => r.option_unit!);
    },
    async due(kind, now, limit, noticeDays = 30) {
      let query = db.selectFrom('policies').select(['partner_id', 'mode', 'id']);
      if (kind === 'activation') {
        query = query
          .where('status', '=', 'scheduled')
          .where('coverage_start', '<=', now)
          .orderBy('coverage_start');
      } else if (kind === 'expiry') {
        query = query.where('status', '=', 'active').where('coverage_end', '<=', now).orderBy('coverage_end');
      } else {
        const horizon = new Date(now.getTime() + noticeDays * 86_400_000);
        query = query
          .where('status', '=', 'active')
          .where('renewal_notified_at', 'is', null)
          // Nothing is due for a customer who declined renewal, or whose renewal is already booked.
          .where('renewal_opt_out', '=', false)
          .where('renewed_by', 'is', null)
          .where('product_code', 'in', (eb) =>
            eb.selectFrom('products').select('code').where(sql<boolean>`(definition->>'renewable')::boolean`),
          )
          .where('coverage_end', '<=', horizon)
          .where('coverage_end', '>', now)
          .orderBy('coverage_end');
      }
      const rows = await query.limit(limit).execute();
      return rows.map((r) => ({ tenant: { partnerId: r.partner_id, mode: r.mode }, id: r.id }));
    },
    async history(tenant, policyId) {
      const rows = await db
        .selectFrom('policy_events')
        .selectAll()
        .where('partner_id', '=', tenant.partnerId)
        .where('mode', '=', tenant.mode)
        .where('policy_id', '=', policyId)
        .orderBy('id')
        .execute();
      return rows.map((r) => ({ ...toEvent(r), data: openPersonalData(r.data, box) }));
    },
    async eventsInPeriod(tenant, { from, to, types, batch = 5000 }, each) {
      if (types.length === 0) return;
      // The month in one query, read through a cursor: PostgreSQL joins the events to their policies
      // with one hash join, where batches of a range read each probed the policies row by row (38 µs an
      // event on a million). The premium as it stood at an event is the previousPremium of the policy's
      // next `modified` event, looked for only for policies ever modified (migration 036's partial
      // index), else the policy's premium. In no order: a statement is sums, and sorting a month (a
      // million rows spilled to disk) was a sixth of its time.
      const modified = db
        .selectFrom('policy_events as m')
        .select('m.policy_id')
        .where('m.partner_id', '=', tenant.partnerId)
        .where('m.mode', '=', tenant.mode)
        .where('m.type', '=', 'modified');
      const query = db
        .selectFrom('policy_events as e')
        .innerJoin('policies as p', (join) =>
          join.onRef('p.partner_id', '=', 'e.partner_id').onRef('p.id', '=', 'e.policy_id'),
        )
        .select([
          'e.id',
          'e.type',
          'e.from_status',
          // Milliseconds, not a timestamp: a Date from a number costs a fraction of one parsed from text.
          sql<number>`(extract(epoch from e.occurred_at) * 1000)::float8`.as('occurred_ms'),
          'e.data',
          sql<unknown>`CASE WHEN e.policy_id IN (${modified}) THEN coalesce((
              SELECT m.data->'previousPremium' FROM policy_events m
              WHERE m.partner_id = e.partner_id AND m.mode = e.mode AND m.policy_id = e.policy_id
                AND m.type = 'modified' AND m.id > e.id
              ORDER BY m.id LIMIT 1), p.premium) ELSE p.premium END`.as('premium'),
          'p.commission_bp',
        ])
        .where('e.partner_id', '=', tenant.partnerId)
        .where('e.mode', '=', tenant.mode)
        .where('p.mode', '=', tenant.mode)
        .where('e.occurred_at', '>=', from)
        .where('e.occurred_at', '<', to)
        .where('e.type', 'in', [...types]);
      type Row = Awaited<ReturnType<typeof query.execute>>[number];
      const read = async (trx: Kysely<Tables>) => {
        // Planned for the whole result (a cursor is planned for its first rows by default).
        await sql`SET LOCAL cursor_tuple_fraction = 1`.execute(trx);
        // A statement runs once: compiling its plan to machine code (PostgreSQL's JIT) cost half a second.
        await sql`SET LOCAL jit = off`.execute(trx);
        await sql`DECLARE statement_events NO SCROLL CURSOR FOR ${query}`.execute(trx);
        for (;;) {
          const { rows } = await sql<Row>`FETCH FORWARD ${sql.lit(batch)} FROM statement_events`.execute(trx);
          if (rows.length > 0) {
            each(
              rows.map((r) => ({
                event: {
                  id: r.id,
                  type: r.type as PolicyHistoryEntry['type'],
                  fromStatus: r.from_status as PolicyStatus | null,
                  occurredAt: new Date(r.occurred_ms),
                  data: r.data,
                },
                premium: r.premium as Premium,
                commissionBp: r.commission_bp,
              })),
            );
          }
          if (rows.length < batch) break;
        }
        await sql`CLOSE statement_events`.execute(trx);
      };
      // One snapshot for the whole month, read only; inside a caller's transaction, that one.
      if (db.isTransaction) await read(db);
      else
        await db.transaction().setIsolationLevel('repeatable read').setAccessMode('read only').execute(read);
    },
  };
}

function toEvent(r: {
  id: string;
  policy_id: string;
  type: string;
  from_status: string | null;
  to_status: string;
  occurred_at: Date;
  data: Record<string, unknown>;
}): PolicyHistoryEntry {
  return {
    id: r.id,
    policyId: r.policy_id,
    type: r.type as PolicyHistoryEntry['type'],
    fromStatus: r.from_status as PolicyStatus | null,
    toStatus: r.to_status as PolicyStatus,
    occurredAt: r.occurred_at,
    data: r.data,
  };
}
