-- Changes of a policy priced now and confirmed later: modifications (a corrected item, repriced) and
-- renewals (the next term). A pending change past expires_at is expired; nothing rewrites it then.
CREATE TABLE policy_changes (
  partner_id       text NOT NULL REFERENCES partners (partner_id),
  mode             text NOT NULL CHECK (mode IN ('test', 'live')),
  id               text NOT NULL,
  policy_id        text NOT NULL,
  kind             text NOT NULL CHECK (kind IN ('update', 'renewal')),
  status           text NOT NULL CHECK (status IN ('pending', 'confirmed')),
  item             jsonb NOT NULL,
  premium          jsonb NOT NULL,
  previous_premium jsonb NOT NULL,
  price_diff       bigint NOT NULL,
  term_months      integer NOT NULL,
  coverage_start   timestamptz,
  coverage_end     timestamptz,
  expires_at       timestamptz NOT NULL,
  created_at       timestamptz NOT NULL,
  confirmed_at     timestamptz,
  -- The policy a confirmed renewal bound (for an update, the policy itself).
  result_policy_id text,
  PRIMARY KEY (partner_id, id),
  FOREIGN KEY (partner_id, policy_id) REFERENCES policies (partner_id, id)
);
CREATE INDEX policy_changes_by_policy ON policy_changes (partner_id, mode, policy_id, id);

-- Renewal links: the new term names the one it renews, the old one names its renewal once confirmed.
ALTER TABLE policies ADD COLUMN renewal_of text;
ALTER TABLE policies ADD COLUMN renewed_by text;
ALTER TABLE policies ADD COLUMN renewal_opt_out boolean NOT NULL DEFAULT false;
