-- Requests counted per client key in fixed one-second windows (the XCover dialect's rate limit), so
-- that every API process on this database counts against the same limit (issue #13). One row per key,
-- overwritten when a new window begins: the table never holds more rows than there are keys.
-- UNLOGGED: a count lost in a crash costs a client at most one window's allowance; not writing it to
-- the WAL keeps the statement every limited request makes cheap.
CREATE UNLOGGED TABLE request_rates (
  partner_id   text        NOT NULL,
  key          text        NOT NULL,
  window_start timestamptz NOT NULL,
  count        integer     NOT NULL,
  PRIMARY KEY (partner_id, key)
);
