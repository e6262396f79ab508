import { type Kysely, type Selectable, sql } from 'kysely';
import type { Tenant } from '../../core/partners/partner.js';
import type { PolicyStatus } from '../../core/policies/policy.js';
import type { AliasRepository, DialectRecord, DialectRecordRepository } from '../../core/ports.js';
import { openPersonalData, sealPersonalData } from '../personal-data.js';
import type { DialectRecordsTable, Tables } from '../schema.js';
import type { SecretBox } from '../secret-box.js';

export function aliasRepository(db: Kysely<Tables>): AliasRepository {
  return {
    async add(tenant, a) {
      await db
        .insertInto('aliases')
        .values({
          partner_id: tenant.partnerId,
          mode: tenant.mode,
          kind: a.kind,
          alias: a.alias,
          target_id: a.targetId,
          created_at: a.createdAt,
        })
        .execute();
    },
    async resolve(tenant, kind, alias) {
      const row = await db
        .selectFrom('aliases')
        .select('target_id')
        .where('partner_id', '=', tenant.partnerId)
        .where('mode', '=', tenant.mode)
        .where('kind', '=', kind)
        .where('alias', '=', alias)
        .executeTakeFirst();
      return row?.target_id;
    },
    async aliasOf(tenant, kind, targetId) {
      const row = await db
        .selectFrom('aliases')
        .select('alias')
        .where('partner_id', '=', tenant.partnerId)
        .where('mode', '=', tenant.mode)
        .where('kind', '=', kind)
        .where('target_id', '=', targetId)
        .orderBy('created_at')
        .executeTakeFirst();
      return row?.alias;
    },
  };
}

/** Dialect records; personal ids are sealed with the store's SecretBox, like policies' personal_id. */
export function dialectRecordRepository(db: Kysely<Tables>, box: SecretBox): DialectRecordRepository {
  const toRecord = (row: Selectable<DialectRecordsTable>): DialectRecord => ({
    kind: row.kind,
    handle: row.handle,
    key: row.key,
    ref: row.ref,
    email: row.email,
    data: openPersonalData(row.data, box),
    personalId: row.personal_id_enc ? box.open(row.personal_id_enc) : null,
    createdAt: row.created_at,
  });
  const scoped = (tenant: Tenant, kind: string) =>
    db
      .selectFrom('dialect_records')
      .selectAll()
      .where('partner_id', '=', tenant.partnerId)
      .where('mode', '=', tenant.mode)
      .where('kind', '=', kind);
  return {
    async insert(tenant, r) {
      const result = await db
        .insertInto('dialect_records')
        .values({
          partner_id: tenant.partnerId,
          mode: tenant.mode,
          kind: r.kind,
          handle: r.handle,
          key: r.key,
          ref: r.ref,
          email: r.email,
          // Kept as the client sent it, a personal id in it sealed wherever it sits.
          data: JSON.stringify(sealPersonalData(r.data, box)),
          personal_id_enc: r.personalId ? box.seal(r.personalId) : null,
          created_at: r.createdAt,
        })
        // Either unique constraint (the handle, or the client's key) taken: nothing is written, and the caller
        // hears so, rather than a unique violation two concurrent requests would turn into a 500.
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
    },
    async get(tenant, kind, handle, opts) {
      let query = scoped(tenant, kind).where('handle', '=', handle);
      if (opts?.forUpdate) query = query.forUpdate();
      const row = await query.executeTakeFirst();
      return row && toRecord(row);
    },
    async getMany(tenant, kind, handles) {
      if (handles.length === 0) return [];
      return (
        await scoped(tenant, kind)
          .where('handle', 'in', [...handles])
          .execute()
      ).map(toRecord);
    },
    async linkedPolicies(tenant, kind, path) {
      const { rows } = await sql<{
        handle: string;
        policies: { status: PolicyStatus; renewedBy: string | null }[];
      }>`
        SELECT r.handle,
          coalesce(json_agg(json_build_object('status', p.status, 'renewedBy', p.renewed_by))
            FILTER (WHERE p.id IS NOT NULL), '[]') AS policies
        FROM dialect_records r
        LEFT JOIN LATERAL jsonb_array_elements(r.data -> ${path.list}::text) AS q(item) ON true
        LEFT JOIN policies p
          ON p.partner_id = r.partner_id AND p.mode = r.mode AND p.id = q.item ->> ${path.id}::text
        WHERE r.partner_id = ${tenant.partnerId} AND r.mode = ${tenant.mode} AND r.kind = ${kind}
        GROUP BY r.handle, r.created_at
        ORDER BY r.created_at DESC, r.handle DESC`.execute(db);
      return rows;
    },
    async update(tenant, r) {
      await db
        .updateTable('dialect_records')
        .set({
          ref: r.ref,
          email: r.email,
          data: JSON.stringify(sealPersonalData(r.data, box)),
          personal_id_enc: r.personalId ? box.seal(r.personalId) : null,
        })
        .where('partner_id', '=', tenant.partnerId)
        .where('mode', '=', tenant.mode)
        .where('kind', '=', r.kind)
        .where('handle', '=', r.handle)
        .execute();
    },
    async page(tenant, kind, { limit, offset }) {
      const count = await db
        .selectFrom('dialect_records')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('partner_id', '=', tenant.partnerId)
        .where('mode', '=', tenant.mode)
        .where('kind', '=', kind)
        .executeTakeFirstOrThrow();
      const rows = await scoped(tenant, kind)
        .orderBy('created_at', 'desc')
        .orderBy('handle', 'desc')
        .limit(limit)
        .offset(offset)
        .execute();
      return { total: Number(count.n), records: rows.map(toRecord) };
    },
    async byKey(tenant, kind, key) {
      const row = await scoped(tenant, kind).where('key', '=', key).executeTakeFirst();
      return row && toRecord(row);
    },
    async find(tenant, kind, by) {
      let query = scoped(tenant, kind);
      if (by.ref !== undefined) query = query.where('ref', '=', by.ref);
      if (by.email !== undefined) query = query.where(sql`lower(email)`, '=', by.email.toLowerCase());
      if (by.personalId !== undefined) query = query.where('personal_id_enc', 'is not', null);
      const rows = (await query.orderBy('created_at').orderBy('handle').execute()).map(toRecord);
      // Personal ids are sealed with a fresh nonce each: they are compared after opening.
      return by.personalId === undefined
        ? rows
        : rows.filter((r) => normalizeId(r.personalId) === normalizeId(by.personalId));
    },
  };
}

const normalizeId = (id: string | null | undefined) => (id ?? '').replace(/[\s-]/g, '');
