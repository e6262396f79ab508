-- A webhook job names the subject of its event (the policy, the claim…), so the claim can hand out only
-- the oldest unfinished job of each subject for each endpoint with one index probe: a subject's events
-- reach an endpoint in order however many jobs are in flight (issue #12).
ALTER TABLE jobs ADD COLUMN subject_id text;

UPDATE jobs j
SET subject_id = e.subject_id
FROM events e
WHERE e.partner_id = j.partner_id AND e.id = j.event_id;

CREATE INDEX jobs_in_order ON jobs (partner_id, endpoint_id, subject_id, id)
  WHERE status = 'pending' AND endpoint_id IS NOT NULL;
