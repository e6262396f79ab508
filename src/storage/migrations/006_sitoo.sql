-- Sitoo POS: a partner's stores, named by the partner's own id (the POS sends it as Store-ID). A store
-- sells in one of the partner's markets. Stores belong to the partner, not to a mode.
CREATE TABLE stores (
  partner_id text NOT NULL REFERENCES partners (partner_id),
  external_id text NOT NULL,
  country text NOT NULL,
  currency text NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (partner_id, external_id)
);
