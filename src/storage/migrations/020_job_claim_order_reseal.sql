-- The claim costs the jobs it hands out, not the backlog behind them (issue #12: ranking every ready job
-- on each claim made a burst's backlog slow to drain). It reads each endpoint's pending jobs in the order
-- they are due and stops at the endpoint's free slots; counts an endpoint's leased jobs among the few in
-- flight; and reads the jobs of no endpoint (letters) in due order.
CREATE INDEX jobs_due_by_endpoint ON jobs (partner_id, endpoint_id, run_at, id)
  WHERE status = 'pending' AND endpoint_id IS NOT NULL;
CREATE INDEX jobs_leased ON jobs (partner_id, endpoint_id)
  WHERE status = 'pending' AND locked_until IS NOT NULL;
CREATE INDEX jobs_due_alone ON jobs (run_at, id)
  WHERE status = 'pending' AND endpoint_id IS NULL;

-- `protego reseal` seals stored values again with the current encryption key, in the history tables too:
-- the one rewrite their immutability allows, in a transaction that says so (protego.reseal, as
-- protego.purge does for erasing a tenant).
CREATE OR REPLACE FUNCTION reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('protego.purge', true) = 'on' THEN
    RETURN OLD;
  END IF;
  IF TG_OP = 'UPDATE' AND current_setting('protego.reseal', true) = 'on' THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION '% rows are immutable', TG_TABLE_NAME;
END;
$$;
