-- A statement looks for the premium as it stood at an event only on policies ever modified (a
-- repricing is rare): this partial index lists them without reading the tenant's whole history.
CREATE INDEX policy_events_modified ON policy_events (partner_id, mode, policy_id, id) WHERE type = 'modified';
