-- Solution codes (issue #15, SocGen): a partner names one product sold in one of its markets by a code
-- of its own (SocGen's `CIFRWE`). The market sets the currency, since SocGen requests carry none.
-- Solutions belong to the partner, not to a mode, like its markets and products.
CREATE TABLE solutions (
  partner_id   text NOT NULL REFERENCES partners (partner_id),
  code         text NOT NULL,
  product_code text NOT NULL,
  country      text NOT NULL,
  created_at   timestamptz NOT NULL,
  PRIMARY KEY (partner_id, code)
);
