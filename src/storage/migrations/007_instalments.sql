-- Instalment plans: a policy's premium paid in parts, one row per period. lapse_at (period start plus
-- the product's grace, fixed when the schedule is written) is stored so the scheduler's scan for cover
-- to lapse is one indexed range read, not a join on the product catalog.
CREATE TABLE instalments (
  partner_id           text NOT NULL REFERENCES partners (partner_id),
  mode                 text NOT NULL CHECK (mode IN ('test', 'live')),
  id                   text NOT NULL,
  policy_id            text NOT NULL,
  number               integer NOT NULL CHECK (number >= 1),
  period_start         timestamptz NOT NULL,
  period_end           timestamptz NOT NULL,
  amount               bigint NOT NULL CHECK (amount >= 0),
  net                  bigint NOT NULL,
  tax                  bigint NOT NULL,
  currency             text NOT NULL,
  status               text NOT NULL CHECK (status IN ('unpaid', 'paid', 'failed')),
  paid_at              timestamptz,
  payment_attempted_at timestamptz,
  lapse_at             timestamptz NOT NULL,
  created_at           timestamptz NOT NULL,
  updated_at           timestamptz NOT NULL,
  PRIMARY KEY (partner_id, id),
  UNIQUE (partner_id, mode, policy_id, number),
  FOREIGN KEY (partner_id, policy_id) REFERENCES policies (partner_id, id),
  CHECK (amount = net + tax)
);
-- Only instalments still owed are candidates for a lapse; paid ones leave the index.
CREATE INDEX instalments_overdue ON instalments (lapse_at) WHERE status <> 'paid';
