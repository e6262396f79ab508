-- Publishable keys (issue #16): pk_test_…/pk_live_…, put in a shop's own pages by the offer widget. They
-- ask for offers only, and only from the origins the partner allowed (`origins`, a JSON array of
-- `scheme://host[:port]`). A publishable key is public, so its lookup is the key itself. It is a set of
-- its own, revoked like any other set.
ALTER TABLE credentials DROP CONSTRAINT credentials_kind_check;
ALTER TABLE credentials ADD CONSTRAINT credentials_kind_check
  CHECK (kind IN ('api_key', 'oauth_client', 'hmac_key', 'publishable_key'));
ALTER TABLE credentials ADD COLUMN origins jsonb;
