import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Tables } from '../../src/storage/schema.js';

/**
 * What must hold over the whole database, whatever raced: each check is a query for the rows that break
 * it. The checks read the data itself (an order's lines, an offer's quantities, the history), not the
 * constraints that should keep it so, so they also find what slipped past a constraint.
 */
const CHECKS: Record<string, RawBuilder<Record<string, unknown>>> = {
  /** A unit of an order line protected by two policies bound by placing the order. */
  'order line unit protected twice': sql`
    SELECT partner_id, mode, order_id, refs ->> 'lineId' AS line_id, order_unit, count(*)::int AS policies
    FROM policies
    WHERE order_unit IS NOT NULL
    GROUP BY partner_id, mode, order_id, refs ->> 'lineId', order_unit
    HAVING count(*) > 1`,

  /** More policies placed for an order line than the line's quantity in the order as it was placed. */
  'order line protected beyond its quantity': sql`
    WITH placed AS (
      SELECT p.partner_id, p.mode, p.order_id, p.refs ->> 'lineId' AS line_id, count(*)::int AS policies
      FROM policies p
      WHERE p.order_id IS NOT NULL AND p.refs ? 'planLineId' AND p.renewal_of IS NULL
      GROUP BY p.partner_id, p.mode, p.order_id, p.refs ->> 'lineId'
    ), lines AS (
      SELECT e.partner_id, e.mode, e.order_id, l ->> 'lineId' AS line_id, max((l ->> 'quantity')::int) AS quantity
      FROM order_events e
      CROSS JOIN LATERAL jsonb_array_elements(e.payload -> 'lines') AS l
      WHERE e.type = 'order_placed' AND jsonb_typeof(e.payload -> 'lines') = 'array'
      GROUP BY e.partner_id, e.mode, e.order_id, l ->> 'lineId'
    )
    SELECT placed.*, lines.quantity
    FROM placed JOIN lines USING (partner_id, mode, order_id, line_id)
    WHERE placed.policies > lines.quantity`,

  /** An offer option bound (and not voided) more times than its item's quantity. */
  'option bound beyond its quantity': sql`
    WITH bound AS (
      SELECT partner_id, mode, offer_id, offer_option_id, count(*)::int AS policies
      FROM policies
      WHERE offer_option_id IS NOT NULL AND status <> 'voided'
      GROUP BY partner_id, mode, offer_id, offer_option_id
    )
    SELECT bound.*, (i ->> 'quantity')::int AS quantity
    FROM bound
    JOIN offers o ON o.partner_id = bound.partner_id AND o.mode = bound.mode AND o.id = bound.offer_id
    CROSS JOIN LATERAL jsonb_array_elements(o.items) AS i
    WHERE EXISTS (SELECT 1 FROM jsonb_array_elements(i -> 'options') AS opt WHERE opt ->> 'id' = bound.offer_option_id)
      AND bound.policies > (i ->> 'quantity')::int`,

  /**
   * A refund above what the policy collected: its premium, or what its instalments collected; in
   * another currency; negative; or on a policy that did not end.
   */
  'refund above what was collected': sql`
    WITH collected AS (
      SELECT p.partner_id, p.id, p.status, p.currency, p.refund,
             CASE WHEN EXISTS (SELECT 1 FROM instalments i WHERE i.partner_id = p.partner_id AND i.policy_id = p.id)
                  THEN (SELECT coalesce(sum(i.amount), 0) FROM instalments i
                        WHERE i.partner_id = p.partner_id AND i.policy_id = p.id AND i.status = 'paid')
                  ELSE p.premium_total END AS collected
      FROM policies p
      WHERE p.refund IS NOT NULL
    )
    SELECT partner_id, id, status, refund, collected::bigint AS collected
    FROM collected
    WHERE (refund ->> 'amount')::bigint > collected
       OR (refund ->> 'amount')::bigint < 0
       OR refund ->> 'currency' <> currency
       OR status NOT IN ('cancelled', 'voided')`,

  /** A policy ended twice: more than one cancellation, void or lapse in its history. */
  'policy ended twice': sql`
    SELECT partner_id, policy_id, count(*)::int AS endings
    FROM policy_events
    WHERE type IN ('cancelled', 'voided', 'lapsed')
    GROUP BY partner_id, policy_id
    HAVING count(*) > 1`,

  /**
   * A gap in a policy's history: its first event does not start it (from no status), an event does not
   * start from the status the one before ended in, or the last does not end in the policy's status.
   */
  'gap in a policy history': sql`
    WITH h AS (
      SELECT e.partner_id, e.policy_id, e.id, e.type, e.from_status, e.to_status,
             lag(e.to_status) OVER w AS previous_to,
             row_number() OVER w AS n,
             count(*) OVER (PARTITION BY e.partner_id, e.policy_id) AS events
      FROM policy_events e
      WINDOW w AS (PARTITION BY e.partner_id, e.policy_id ORDER BY e.id)
    )
    SELECT h.partner_id, h.policy_id, h.id AS event_id, h.type, h.from_status, h.previous_to, h.to_status,
           p.status AS policy_status
    FROM h JOIN policies p ON p.partner_id = h.partner_id AND p.id = h.policy_id
    WHERE (h.n = 1 AND h.from_status IS NOT NULL)
       OR (h.n > 1 AND h.from_status IS DISTINCT FROM h.previous_to)
       OR (h.n = h.events AND h.to_status <> p.status)
    UNION ALL
    SELECT p.partner_id, p.id, NULL, NULL, NULL, NULL, NULL, p.status
    FROM policies p
    WHERE NOT EXISTS (SELECT 1 FROM policy_events e WHERE e.partner_id = p.partner_id AND e.policy_id = p.id)`,

  /** One event queued twice for one endpoint. */
  'event queued twice for an endpoint': sql`
    SELECT partner_id, event_id, endpoint_id, count(*)::int AS jobs
    FROM jobs
    WHERE event_id IS NOT NULL AND endpoint_id IS NOT NULL
    GROUP BY partner_id, event_id, endpoint_id
    HAVING count(*) > 1`,
};

export type Inconsistencies = Record<string, Record<string, unknown>[]>;

/**
 * Every broken invariant, by check, with the rows that break it; `{}` when the database is consistent.
 * Reads every tenant: call it at the end of a test whose database nothing else writes meanwhile, with
 * the database's handle (`db.kysely`) or a transaction's.
 */
export async function findInconsistencies(db: Kysely<Tables>): Promise<Inconsistencies> {
  const found: Inconsistencies = {};
  for (const [check, query] of Object.entries(CHECKS)) {
    const { rows } = await query.execute(db);
    if (rows.length > 0) found[check] = rows;
  }
  return found;
}
