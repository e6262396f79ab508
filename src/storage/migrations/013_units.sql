-- What may exist once, the database holds once (issue 12): under concurrency a check in application
-- code reads before the other transaction commits, so two clients placing one order, or binding the
-- last unit of an offer option, both bound. Each policy now names the unit it covers, and a unique
-- index refuses a second policy for it; the loser's transaction runs again and finds the first's.

-- The unit of an order line a placed order's plan protects: 0 to the line's quantity − 1. Only a
-- policy bound by placing the order has one (a renewal covers its unit after the term it renews).
ALTER TABLE policies ADD COLUMN order_unit integer CHECK (order_unit >= 0);
-- The unit of an offer item an option binds: 0 to the item's quantity − 1. A voided policy gives its
-- unit back; every other status keeps it.
ALTER TABLE policies ADD COLUMN option_unit integer CHECK (option_unit >= 0);

-- Policies bound before: numbered in the order they were bound. A line or option bound beyond its
-- quantity before this migration keeps its extra policies (numbered past the quantity); nothing
-- more can be bound for it.
UPDATE policies p SET order_unit = n.unit
FROM (
  SELECT partner_id, id,
         row_number() OVER (PARTITION BY partner_id, mode, order_id, refs ->> 'lineId' ORDER BY id) - 1 AS unit
  FROM policies
  WHERE order_id IS NOT NULL AND refs ? 'lineId' AND refs ? 'planLineId' AND renewal_of IS NULL
) n
WHERE p.partner_id = n.partner_id AND p.id = n.id;

UPDATE policies p SET option_unit = n.unit
FROM (
  SELECT partner_id, id,
         row_number() OVER (PARTITION BY partner_id, mode, offer_option_id ORDER BY id) - 1 AS unit
  FROM policies
  WHERE offer_option_id IS NOT NULL AND status <> 'voided'
) n
WHERE p.partner_id = n.partner_id AND p.id = n.id;

CREATE UNIQUE INDEX policies_order_unit
  ON policies (partner_id, mode, order_id, (refs ->> 'lineId'), order_unit)
  WHERE order_unit IS NOT NULL;
CREATE UNIQUE INDEX policies_option_unit
  ON policies (partner_id, mode, offer_option_id, option_unit)
  WHERE option_unit IS NOT NULL AND status <> 'voided';
