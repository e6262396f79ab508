-- The lifecycle after binding: public events, webhook endpoints, and the outbox of work to do after
-- commit (webhook deliveries, letters), written in the same transaction as the change that caused it.

-- What happened, as partners are told: policy.created, policy.activated, claim.updated, …
CREATE TABLE events (
  partner_id  text NOT NULL REFERENCES partners (partner_id),
  mode        text NOT NULL CHECK (mode IN ('test', 'live')),
  id          text NOT NULL,
  type        text NOT NULL,
  subject_id  text NOT NULL,
  data        jsonb NOT NULL,
  occurred_at timestamptz NOT NULL,
  PRIMARY KEY (partner_id, id)
);
CREATE INDEX events_by_subject ON events (partner_id, mode, subject_id, id);
CREATE TRIGGER events_immutable BEFORE UPDATE OR DELETE ON events
  FOR EACH ROW EXECUTE FUNCTION reject_change();

CREATE TABLE webhook_endpoints (
  partner_id          text NOT NULL REFERENCES partners (partner_id),
  mode                text NOT NULL CHECK (mode IN ('test', 'live')),
  id                  text NOT NULL,
  url                 text NOT NULL,
  event_types         jsonb NOT NULL,
  format              text NOT NULL,
  description         text,
  enabled             boolean NOT NULL,
  -- Signing secrets, encrypted. During a rotation the previous one signs too until it expires.
  secret_enc          text NOT NULL,
  previous_secret_enc text,
  previous_expires_at timestamptz,
  created_at          timestamptz NOT NULL,
  updated_at          timestamptz NOT NULL,
  PRIMARY KEY (partner_id, id)
);

-- The outbox. A worker claims ready rows with FOR UPDATE SKIP LOCKED and a lease (locked_until): a
-- worker that dies mid-job loses its lease and another takes the job over, so nothing is lost.
CREATE TABLE jobs (
  partner_id   text NOT NULL,
  mode         text NOT NULL,
  id           text NOT NULL,
  kind         text NOT NULL,
  payload      jsonb NOT NULL,
  status       text NOT NULL CHECK (status IN ('pending', 'done', 'dead')),
  run_at       timestamptz NOT NULL,
  attempts     integer NOT NULL DEFAULT 0,
  max_attempts integer NOT NULL,
  locked_until timestamptz,
  last_error   text,
  endpoint_id  text,
  event_id     text,
  created_at   timestamptz NOT NULL,
  finished_at  timestamptz,
  PRIMARY KEY (partner_id, id)
);
CREATE INDEX jobs_ready ON jobs (run_at) WHERE status = 'pending';
CREATE INDEX jobs_by_endpoint ON jobs (partner_id, endpoint_id, id) WHERE endpoint_id IS NOT NULL;

-- Every attempt at a job: the webhook delivery log (response code, latency) and the mail log.
CREATE TABLE job_attempts (
  partner_id      text NOT NULL,
  job_id          text NOT NULL,
  attempt         integer NOT NULL,
  started_at      timestamptz NOT NULL,
  duration_ms     integer NOT NULL,
  outcome         text NOT NULL CHECK (outcome IN ('succeeded', 'retrying', 'dead')),
  response_status integer,
  error           text,
  PRIMARY KEY (partner_id, job_id, attempt)
);

ALTER TABLE policies ADD COLUMN renewal_notified_at timestamptz;
CREATE INDEX policies_renewable ON policies (coverage_end) WHERE status = 'active' AND renewal_notified_at IS NULL;
