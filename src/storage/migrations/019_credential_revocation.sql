-- Revoking credentials (issue #12, authentication). Credentials are issued as a set (an API key, an
-- OAuth2 client, an HMAC key for one mode) and an operator revokes a set: `set_id` names it, and
-- `revoked_at` is when it was revoked (NULL while it is in use). A revoked credential authenticates
-- nothing, and neither does an access token issued to its OAuth2 client.
ALTER TABLE credentials ADD COLUMN set_id text;
ALTER TABLE credentials ADD COLUMN revoked_at timestamptz;

-- Sets issued before: a set's three credentials share partner, mode and created_at, and its API key was
-- made first (ids are time-sortable and monotonic), so each credential belongs to the set of the latest
-- API key made at that instant at or before it. The set takes the id of that API key (crs_ and the same
-- ULID); a credential without one is a set of its own.
UPDATE credentials c
SET set_id = 'crs_' || substr(
  COALESCE(
    (SELECT max(k.id) FROM credentials k
     WHERE k.partner_id = c.partner_id AND k.mode = c.mode AND k.created_at = c.created_at
       AND k.kind = 'api_key' AND k.id <= c.id),
    c.id),
  6);

ALTER TABLE credentials ALTER COLUMN set_id SET NOT NULL;
CREATE INDEX credentials_set ON credentials (partner_id, set_id);
