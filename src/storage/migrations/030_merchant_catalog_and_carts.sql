-- The shop's own view of the catalog (issue 14, Hakuna): its item ids for plans, the market that answers
-- a currency, what it told us of its products, and its carts.

-- The shop's catalog id for a plan (Hakuna's merchant_product_id): one per partner, product and term,
-- and an id names one plan.
CREATE TABLE merchant_plans (
  partner_id          text NOT NULL REFERENCES partners (partner_id),
  merchant_product_id text NOT NULL,
  product_code        text NOT NULL,
  term_months         integer NOT NULL,
  created_at          timestamptz NOT NULL,
  PRIMARY KEY (partner_id, product_code, term_months),
  UNIQUE (partner_id, merchant_product_id)
);

-- Which of the partner's markets answers a request that names a currency and no country.
CREATE TABLE currency_markets (
  partner_id text NOT NULL REFERENCES partners (partner_id),
  currency   text NOT NULL,
  country    text NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (partner_id, currency)
);

-- What a shop said of one of its products on a product page: carts and orders only name the product.
CREATE TABLE product_facts (
  partner_id     text NOT NULL REFERENCES partners (partner_id),
  mode           text NOT NULL CHECK (mode IN ('test', 'live')),
  product_id     text NOT NULL,
  category       text NOT NULL,
  title          text,
  brand          text,
  price_amount   bigint,
  price_currency text,
  updated_at     timestamptz NOT NULL,
  PRIMARY KEY (partner_id, mode, product_id)
);

-- A shop's cart as last posted, the plan connections of that state, and the order it became.
CREATE TABLE carts (
  partner_id  text NOT NULL REFERENCES partners (partner_id),
  mode        text NOT NULL CHECK (mode IN ('test', 'live')),
  cart_id     text NOT NULL,
  session_id  text NOT NULL,
  currency    text NOT NULL,
  lines       jsonb NOT NULL,
  connections jsonb NOT NULL,
  order_id    text,
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL,
  PRIMARY KEY (partner_id, mode, cart_id)
);
CREATE UNIQUE INDEX carts_by_order ON carts (partner_id, mode, order_id) WHERE order_id IS NOT NULL;
