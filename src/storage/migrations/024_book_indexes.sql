-- Lookups that stay as fast with a million policies as with ten (issue #13).
-- The native API's `GET /v1/policies?holder_email=`: one index probe on the address as it is compared
-- (in any case), newest first. The e-mail address is not sealed (only personal ids are), so a plain
-- expression index serves; a sealed field would need a keyed hash column instead.
CREATE INDEX policies_by_holder_email ON policies (partner_id, mode, lower(policyholder ->> 'email'), id);

-- A statement reads its month in batches ordered by (occurred_at, id), each batch starting after the last
-- row of the one before: the id in the index makes every batch one index range read.
DROP INDEX policy_events_by_time;
CREATE INDEX policy_events_by_time ON policy_events (partner_id, mode, occurred_at, id);

-- XCover's `GET bookings/` pages a kind of dialect record newest first: read from the index in that
-- order instead of sorting every booking of the partner for each page.
CREATE INDEX dialect_records_newest ON dialect_records (partner_id, mode, kind, created_at, handle);
