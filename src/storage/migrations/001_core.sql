-- Protego core schema. Every tenant table carries partner_id and leads its keys with it: it is the tenant
-- boundary in every query and the distribution column if the data is ever sharded (Citus).
-- products is the exception by design: the insurer's catalog is shared, as a Citus reference table would be.

CREATE TABLE partners (
  partner_id         text PRIMARY KEY,
  code               text NOT NULL UNIQUE,
  name               text NOT NULL,
  markets            jsonb NOT NULL,
  counterpart_handle uuid NOT NULL,
  created_at         timestamptz NOT NULL
);

CREATE TABLE credentials (
  partner_id  text NOT NULL REFERENCES partners (partner_id),
  id          text NOT NULL,
  mode        text NOT NULL CHECK (mode IN ('test', 'live')),
  kind        text NOT NULL CHECK (kind IN ('api_key', 'oauth_client', 'hmac_key')),
  lookup      text NOT NULL,
  secret_hash text,
  secret_enc  text,
  created_at  timestamptz NOT NULL,
  PRIMARY KEY (partner_id, id)
);
-- Finding the tenant from a credential is the one lookup that cannot start from partner_id.
CREATE UNIQUE INDEX credentials_lookup ON credentials (kind, lookup);

CREATE TABLE products (
  code       text PRIMARY KEY,
  definition jsonb NOT NULL,
  updated_at timestamptz NOT NULL
);

CREATE TABLE partner_products (
  partner_id    text NOT NULL REFERENCES partners (partner_id),
  product_code  text NOT NULL REFERENCES products (code),
  commission_bp integer NOT NULL CHECK (commission_bp BETWEEN 0 AND 10000),
  enabled_at    timestamptz NOT NULL,
  PRIMARY KEY (partner_id, product_code)
);

CREATE TABLE offers (
  partner_id  text NOT NULL REFERENCES partners (partner_id),
  mode        text NOT NULL CHECK (mode IN ('test', 'live')),
  id          text NOT NULL,
  country     text NOT NULL,
  currency    text NOT NULL,
  language    text NOT NULL,
  items       jsonb NOT NULL,
  refs        jsonb NOT NULL,
  created_at  timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL,
  declined_at timestamptz,
  PRIMARY KEY (partner_id, id)
);

CREATE TABLE policies (
  partner_id      text NOT NULL REFERENCES partners (partner_id),
  mode            text NOT NULL CHECK (mode IN ('test', 'live')),
  id              text NOT NULL,
  product_code    text NOT NULL REFERENCES products (code),
  term_months     integer NOT NULL,
  country         text NOT NULL,
  language        text NOT NULL,
  status          text NOT NULL CHECK (status IN ('quoted', 'pending_payment', 'scheduled', 'active', 'expired', 'cancelled', 'voided')),
  policyholder    jsonb NOT NULL,
  -- Personal ids (SSN and the like) only ever stored encrypted, apart from the rest of the policyholder.
  personal_id_enc text,
  item            jsonb NOT NULL,
  currency        text NOT NULL,
  premium_total   bigint NOT NULL,
  premium         jsonb NOT NULL,
  cover_start     text NOT NULL CHECK (cover_start IN ('at_binding', 'at_fulfilment')),
  coverage_start  timestamptz,
  coverage_end    timestamptz,
  bound_at        timestamptz,
  offer_id        text,
  offer_option_id text,
  order_id        text,
  refs            jsonb NOT NULL,
  refund          jsonb,
  claim_paid      boolean NOT NULL DEFAULT false,
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL,
  PRIMARY KEY (partner_id, id)
);
CREATE INDEX policies_by_order ON policies (partner_id, mode, order_id) WHERE order_id IS NOT NULL;
CREATE INDEX policies_by_option ON policies (partner_id, mode, offer_option_id) WHERE offer_option_id IS NOT NULL;
CREATE INDEX policies_by_status ON policies (partner_id, mode, status, id);
CREATE INDEX policies_by_created ON policies (partner_id, mode, created_at, id);
CREATE INDEX policies_due ON policies (coverage_start) WHERE status = 'scheduled';
CREATE INDEX policies_ending ON policies (coverage_end) WHERE status = 'active';

CREATE TABLE policy_events (
  partner_id  text NOT NULL REFERENCES partners (partner_id),
  mode        text NOT NULL CHECK (mode IN ('test', 'live')),
  id          text NOT NULL,
  policy_id   text NOT NULL,
  type        text NOT NULL,
  from_status text,
  to_status   text NOT NULL,
  occurred_at timestamptz NOT NULL,
  data        jsonb NOT NULL,
  PRIMARY KEY (partner_id, id),
  FOREIGN KEY (partner_id, policy_id) REFERENCES policies (partner_id, id)
);
CREATE INDEX policy_events_by_policy ON policy_events (partner_id, policy_id, id);

-- The history is the record statements and audits are derived from: it is never rewritten. The one way
-- to remove it is erasing a whole tenant (protego.purge set for that transaction, see Store.purgePartner).
CREATE FUNCTION reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('protego.purge', true) = 'on' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION '% rows are immutable', TG_TABLE_NAME;
END;
$$;
CREATE TRIGGER policy_events_immutable BEFORE UPDATE OR DELETE ON policy_events
  FOR EACH ROW EXECUTE FUNCTION reject_change();

CREATE TABLE order_events (
  partner_id  text NOT NULL REFERENCES partners (partner_id),
  mode        text NOT NULL CHECK (mode IN ('test', 'live')),
  id          text NOT NULL,
  order_id    text NOT NULL,
  type        text NOT NULL,
  occurred_at timestamptz NOT NULL,
  payload     jsonb NOT NULL,
  policy_ids  jsonb NOT NULL,
  created_at  timestamptz NOT NULL,
  PRIMARY KEY (partner_id, id)
);
CREATE INDEX order_events_by_order ON order_events (partner_id, mode, order_id, id);
CREATE TRIGGER order_events_immutable BEFORE UPDATE OR DELETE ON order_events
  FOR EACH ROW EXECUTE FUNCTION reject_change();

-- Idempotency keys, per partner and mode. partner_id 'admin' holds the admin API's keys.
CREATE TABLE idempotency_keys (
  partner_id      text NOT NULL,
  mode            text NOT NULL,
  key             text NOT NULL,
  request_hash    text NOT NULL,
  locked_until    timestamptz,
  response_status integer,
  response_body   text,
  created_at      timestamptz NOT NULL,
  expires_at      timestamptz NOT NULL,
  PRIMARY KEY (partner_id, mode, key)
);
CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);
