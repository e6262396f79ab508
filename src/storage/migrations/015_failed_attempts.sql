-- Refused credentials counted per client address and time window, so that every process behind a load
-- balancer sees the same count (issue #12: repeated failures are rate-limited). No partner_id: a
-- refused request has no partner yet. Rows of past windows are removed as new failures come.
CREATE TABLE failed_attempts (
  source       text        NOT NULL,
  window_start timestamptz NOT NULL,
  count        integer     NOT NULL,
  PRIMARY KEY (source, window_start)
);
