-- XCover kept pending updates and renewals in the booking's JSON ({id: {quotes: [{quoteId, changeId}]}})
-- and each quote's renewal policy (renewalPolicyId). The core's policy changes now carry the group id the
-- booking showed (`…-UPD`, `…-RNW`), and a renewed policy names its renewal itself (renewed_by): the
-- booking keeps neither any more.
UPDATE policy_changes pc
SET group_id = g.key
FROM dialect_records b
CROSS JOIN LATERAL (
  SELECT key, value FROM jsonb_each(CASE WHEN jsonb_typeof(b.data -> 'updates') = 'object' THEN b.data -> 'updates' ELSE '{}' END)
  UNION ALL
  SELECT key, value FROM jsonb_each(CASE WHEN jsonb_typeof(b.data -> 'renewals') = 'object' THEN b.data -> 'renewals' ELSE '{}' END)
) AS g (key, value)
CROSS JOIN LATERAL jsonb_array_elements(g.value -> 'quotes') AS q (quote)
WHERE b.kind = 'xcover_booking'
  AND pc.partner_id = b.partner_id AND pc.mode = b.mode AND pc.id = q.quote ->> 'changeId';

UPDATE dialect_records
SET data = (data - 'updates' - 'renewals') || jsonb_build_object(
  'quotes',
  (SELECT coalesce(jsonb_agg(q.quote - 'renewalPolicyId' ORDER BY q.n), '[]'::jsonb)
   FROM jsonb_array_elements(data -> 'quotes') WITH ORDINALITY AS q (quote, n))
)
WHERE kind = 'xcover_booking';
