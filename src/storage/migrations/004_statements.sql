-- Partner statements: derived from policy_events, so all they need is the commission rate each policy
-- was bound at (a partner's rate may change later; a policy keeps the rate of its sale) and a way to
-- read a tenant's events by time.

-- Policies bound before statements existed carry 0: no rate was recorded for them.
ALTER TABLE policies ADD COLUMN commission_bp integer NOT NULL DEFAULT 0
  CHECK (commission_bp BETWEEN 0 AND 10000);

CREATE INDEX policy_events_by_time ON policy_events (partner_id, mode, occurred_at);
