-- Claims: a loss reported against a policy, its history, and the files sent as evidence.

CREATE TABLE claims (
  partner_id      text NOT NULL REFERENCES partners (partner_id),
  mode            text NOT NULL CHECK (mode IN ('test', 'live')),
  id              text NOT NULL,
  policy_id       text NOT NULL,
  status          text NOT NULL CHECK (status IN ('submitted', 'in_review', 'approved', 'denied', 'paid', 'closed')),
  type            text NOT NULL CHECK (type IN ('damage', 'theft', 'malfunction', 'loss', 'other')),
  -- A calendar day (UTC): claim forms ask for the day of the loss, not the instant.
  incident_date   date NOT NULL,
  description     text NOT NULL,
  -- Every amount is in minor units of the policy's currency.
  currency        text NOT NULL,
  claimed_amount  bigint NOT NULL CHECK (claimed_amount > 0),
  approved_amount bigint CHECK (approved_amount > 0 AND approved_amount <= claimed_amount),
  paid_amount     bigint CHECK (paid_amount > 0 AND paid_amount <= approved_amount),
  denial_reason   text,
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL,
  PRIMARY KEY (partner_id, id),
  FOREIGN KEY (partner_id, policy_id) REFERENCES policies (partner_id, id)
);
CREATE INDEX claims_by_policy ON claims (partner_id, mode, policy_id, id);
CREATE INDEX claims_by_status ON claims (partner_id, mode, status, id);
-- The admin plane's claims handlers find a claim by its id alone and work a queue across tenants; not
-- unique on its own (Citus wants the distribution column in unique keys), ids are unique by making.
CREATE INDEX claims_by_id ON claims (id);
CREATE INDEX claims_queue ON claims (status, id);

CREATE TABLE claim_events (
  partner_id  text NOT NULL REFERENCES partners (partner_id),
  mode        text NOT NULL CHECK (mode IN ('test', 'live')),
  id          text NOT NULL,
  claim_id    text NOT NULL,
  type        text NOT NULL,
  from_status text,
  to_status   text NOT NULL,
  occurred_at timestamptz NOT NULL,
  data        jsonb NOT NULL,
  PRIMARY KEY (partner_id, id),
  FOREIGN KEY (partner_id, claim_id) REFERENCES claims (partner_id, id)
);
CREATE INDEX claim_events_by_claim ON claim_events (partner_id, claim_id, id);
CREATE TRIGGER claim_events_immutable BEFORE UPDATE OR DELETE ON claim_events
  FOR EACH ROW EXECUTE FUNCTION reject_change();

-- Evidence is kept as sent: at most 10 MB a file (10 files a claim, counted under the claim's lock), and
-- like the history it is never rewritten, only erased with its whole tenant.
CREATE TABLE claim_attachments (
  partner_id   text NOT NULL REFERENCES partners (partner_id),
  mode         text NOT NULL CHECK (mode IN ('test', 'live')),
  id           text NOT NULL,
  claim_id     text NOT NULL,
  filename     text NOT NULL CHECK (length(filename) BETWEEN 1 AND 255),
  content_type text NOT NULL,
  size         integer NOT NULL CHECK (size BETWEEN 1 AND 10485760),
  content      bytea NOT NULL CHECK (octet_length(content) = size),
  created_at   timestamptz NOT NULL,
  PRIMARY KEY (partner_id, id),
  FOREIGN KEY (partner_id, claim_id) REFERENCES claims (partner_id, id)
);
CREATE INDEX claim_attachments_by_claim ON claim_attachments (partner_id, claim_id, id);
CREATE TRIGGER claim_attachments_immutable BEFORE UPDATE OR DELETE ON claim_attachments
  FOR EACH ROW EXECUTE FUNCTION reject_change();
