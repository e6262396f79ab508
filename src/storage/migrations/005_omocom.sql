-- Omocom dialect (issue 4). Omocom names things by GUIDs: an insurance id is an alias of a policy id,
-- kept in `aliases` (any dialect may use it for its own id forms). Users and insurable objects are
-- records a dialect keeps apart from the core: `dialect_records`, one row each, keyed by the handle
-- shown to the client, with the client's own key (UserId, objectId) unique per partner and mode.

CREATE TABLE aliases (
  partner_id text NOT NULL REFERENCES partners (partner_id),
  mode       text NOT NULL CHECK (mode IN ('test', 'live')),
  kind       text NOT NULL,
  alias      text NOT NULL,
  target_id  text NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (partner_id, mode, kind, alias)
);
CREATE INDEX aliases_by_target ON aliases (partner_id, mode, kind, target_id);

CREATE TABLE dialect_records (
  partner_id      text NOT NULL REFERENCES partners (partner_id),
  mode            text NOT NULL CHECK (mode IN ('test', 'live')),
  kind            text NOT NULL,
  handle          text NOT NULL,
  -- The client's own id for the record (Omocom UserId, objectId): unique per partner, mode and kind.
  key             text,
  -- A record it belongs to (an object's or an insurance's owner handle), for listing.
  ref             text,
  email           text,
  data            jsonb NOT NULL,
  -- Personal ids (SSN), encrypted like the policies' personal_id_enc.
  personal_id_enc text,
  created_at      timestamptz NOT NULL,
  PRIMARY KEY (partner_id, mode, kind, handle),
  UNIQUE (partner_id, mode, kind, key)
);
CREATE INDEX dialect_records_by_ref ON dialect_records (partner_id, mode, kind, ref);
CREATE INDEX dialect_records_by_email ON dialect_records (partner_id, mode, kind, lower(email));
