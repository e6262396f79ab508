-- A previewed cancellation is a policy change like an update or a renewal: priced now, held until
-- expires_at, confirmed later. Changes priced together (XCover's several quotes of one booking) share a
-- group_id and are confirmed together by it; a change priced alone is its own group.
ALTER TABLE policy_changes DROP CONSTRAINT policy_changes_kind_check;
ALTER TABLE policy_changes
  ADD CONSTRAINT policy_changes_kind_check CHECK (kind IN ('update', 'renewal', 'cancellation'));
ALTER TABLE policy_changes ADD COLUMN group_id text;
UPDATE policy_changes SET group_id = id;
ALTER TABLE policy_changes ALTER COLUMN group_id SET NOT NULL;
-- For a cancellation: {reason, quote} with quote the refund held (null for rows converted below).
ALTER TABLE policy_changes ADD COLUMN cancellation jsonb;
CREATE INDEX policy_changes_by_group ON policy_changes (partner_id, mode, group_id);

-- XCover kept pending cancellations in the booking's JSON ({id: {quoteIds, reason, confirmBefore}}).
-- Each becomes a group of cancellation changes under the same id, one per quote's policy. They kept no
-- refund: it is priced when confirmed, as it was before.
INSERT INTO policy_changes (
  partner_id, mode, id, group_id, policy_id, kind, status, item, premium, previous_premium, price_diff,
  term_months, coverage_start, coverage_end, expires_at, created_at, confirmed_at, result_policy_id,
  cancellation
)
SELECT b.partner_id, b.mode, c.key || '-' || q.n, c.key, p.id, 'cancellation', 'pending', p.item,
       p.premium, p.premium, 0, p.term_months, p.coverage_start, p.coverage_end,
       (c.value ->> 'confirmBefore')::timestamptz,
       (c.value ->> 'confirmBefore')::timestamptz - interval '24 hours', NULL, NULL,
       jsonb_build_object('reason', c.value ->> 'reason', 'quote', NULL)
FROM dialect_records b
CROSS JOIN LATERAL jsonb_each(b.data -> 'cancellations') AS c (key, value)
CROSS JOIN LATERAL jsonb_array_elements_text(c.value -> 'quoteIds') WITH ORDINALITY AS q (quote_id, n)
JOIN LATERAL jsonb_array_elements(b.data -> 'quotes') AS bq (quote) ON bq.quote ->> 'id' = q.quote_id
JOIN policies p
  ON p.partner_id = b.partner_id AND p.mode = b.mode AND p.id = bq.quote ->> 'policyId'
WHERE b.kind = 'xcover_booking' AND jsonb_typeof(b.data -> 'cancellations') = 'object';

UPDATE dialect_records SET data = data - 'cancellations' WHERE kind = 'xcover_booking';
