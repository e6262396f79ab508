-- The core speaks camelCase (issue #10 item 4): stored JSON that holds core types is rewritten once, key
-- by known key, into the names the core now reads. Nothing else changes: values stay as they are (enum
-- values such as 'at_binding' or 'not_collected' are values, not keys), and keys that are not the core's
-- are left alone (rate tables keyed by term "12", names by language, a partner's own refs such as
-- booking_id or omocom_*, dialect records, which hold each dialect's own wire shapes).
--
-- The history tables are immutable (reject_change): their triggers are off for this one rewrite of their
-- vocabulary, inside this migration's transaction, and back on before it commits.

-- Helpers for this migration only, dropped at its end.
CREATE FUNCTION m011_rename(j jsonb, old_key text, new_key text) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN jsonb_typeof(j) = 'object' AND j ? old_key
      THEN (j - old_key) || jsonb_build_object(new_key, j -> old_key)
    ELSE j
  END
$$;

-- Each element of an array at `key` of `j`, rewritten by renaming old_key to new_key.
CREATE FUNCTION m011_rename_in_array(j jsonb, key text, old_key text, new_key text) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN jsonb_typeof(j) = 'object' AND jsonb_typeof(j -> key) = 'array'
      THEN jsonb_set(j, ARRAY[key], (
        SELECT coalesce(jsonb_agg(m011_rename(e, old_key, new_key) ORDER BY n), '[]'::jsonb)
        FROM jsonb_array_elements(j -> key) WITH ORDINALITY AS a (e, n)))
    ELSE j
  END
$$;

CREATE FUNCTION m011_item(j jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
  SELECT m011_rename(m011_rename(j, 'serial_number', 'serialNumber'), 'purchased_at', 'purchasedAt')
$$;

CREATE FUNCTION m011_policyholder(j jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN jsonb_typeof(h -> 'address') = 'object'
      THEN jsonb_set(h, '{address}', m011_rename(h -> 'address', 'postal_code', 'postalCode'))
    ELSE h
  END
  FROM (SELECT m011_rename(m011_rename(m011_rename(m011_rename(j,
    'first_name', 'firstName'), 'last_name', 'lastName'), 'personal_id', 'personalId'),
    'external_id', 'externalId') AS h) AS renamed
$$;

-- The core's own merchant refs; a partner's own keys (booking_id, cart_id, omocom_*) stay.
CREATE FUNCTION m011_refs(j jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
  SELECT m011_rename(m011_rename(m011_rename(m011_rename(j,
    'order_id', 'orderId'), 'line_id', 'lineId'), 'plan_line_id', 'planLineId'), 'basket_id', 'basketId')
$$;

CREATE FUNCTION m011_premium(j jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
  SELECT m011_rename_in_array(j, 'taxes', 'rate_bp', 'rateBp')
$$;

CREATE FUNCTION m011_policyholder_fields(j jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
  SELECT m011_rename(j, 'personal_id', 'personalId')
$$;

CREATE FUNCTION m011_documents(j jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
  SELECT m011_rename(m011_rename(j, 'terms_url', 'termsUrl'), 'ipid_url', 'ipidUrl')
$$;

-- One rate table: price bands (up_to) or a share of the price (rate_bp).
CREATE FUNCTION m011_rate_table(j jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
  SELECT m011_rename(m011_rename_in_array(j, 'bands', 'up_to', 'upTo'), 'rate_bp', 'rateBp')
$$;

CREATE FUNCTION m011_market(j jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN jsonb_typeof(m -> 'rates') = 'object'
      THEN jsonb_set(m, '{rates}', (
        SELECT coalesce(jsonb_object_agg(r.key, m011_rate_table(r.value)), '{}'::jsonb)
        FROM jsonb_each(m -> 'rates') AS r))
    ELSE m
  END
  FROM (SELECT m011_rename_in_array(m011_rename(j, 'item_price', 'itemPrice'), 'taxes', 'rate_bp', 'rateBp')
    AS m) AS renamed
$$;

CREATE FUNCTION m011_product(j jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
  SELECT p
    || CASE WHEN jsonb_typeof(p -> 'markets') = 'array' THEN jsonb_build_object('markets', (
         SELECT coalesce(jsonb_agg(m011_market(m) ORDER BY n), '[]'::jsonb)
         FROM jsonb_array_elements(p -> 'markets') WITH ORDINALITY AS a (m, n))) ELSE '{}'::jsonb END
    || CASE WHEN p ? 'policyholderFields'
         THEN jsonb_build_object('policyholderFields', m011_policyholder_fields(p -> 'policyholderFields'))
         ELSE '{}'::jsonb END
    || CASE WHEN p ? 'cancellation' THEN jsonb_build_object('cancellation',
         m011_rename(m011_rename(m011_rename(p -> 'cancellation',
           'cooling_off_days', 'coolingOffDays'), 'after_cooling_off', 'afterCoolingOff'),
           'after_paid_claim', 'afterPaidClaim')) ELSE '{}'::jsonb END
    || CASE WHEN p ? 'documents' THEN jsonb_build_object('documents', m011_documents(p -> 'documents'))
         ELSE '{}'::jsonb END
  FROM (SELECT m011_rename_in_array(
    m011_rename(m011_rename(m011_rename(m011_rename(m011_rename(j,
      'cover_start', 'coverStart'), 'policyholder_fields', 'policyholderFields'), 'cover_limit', 'coverLimit'),
      'instalment_plans', 'instalmentPlans'), 'instalments_lapse_after_days', 'instalmentsLapseAfterDays'),
    'instalmentPlans', 'period_months', 'periodMonths') AS p) AS renamed
$$;

-- An offer's item: the insured item, and each option's premiums, policyholder fields and documents.
CREATE FUNCTION m011_offer_item(j jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
  SELECT j
    || CASE WHEN j ? 'item' THEN jsonb_build_object('item', m011_item(j -> 'item')) ELSE '{}'::jsonb END
    || CASE WHEN jsonb_typeof(j -> 'options') = 'array' THEN jsonb_build_object('options', (
         SELECT coalesce(jsonb_agg(o
           || jsonb_build_object('unitPremium', m011_premium(o -> 'unitPremium'))
           || jsonb_build_object('premium', m011_premium(o -> 'premium'))
           || jsonb_build_object('policyholderFields', m011_policyholder_fields(o -> 'policyholderFields'))
           || jsonb_build_object('documents', m011_documents(o -> 'documents'))
           ORDER BY n), '[]'::jsonb)
         FROM jsonb_array_elements(j -> 'options') WITH ORDINALITY AS a (o, n))) ELSE '{}'::jsonb END
$$;

-- A policy as a snapshot in an outbox event: its top level is camelCase already, its parts are not.
CREATE FUNCTION m011_policy(j jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN jsonb_typeof(j) = 'object' THEN j
    || CASE WHEN j ? 'policyholder'
         THEN jsonb_build_object('policyholder', m011_policyholder(j -> 'policyholder')) ELSE '{}'::jsonb END
    || CASE WHEN j ? 'item' THEN jsonb_build_object('item', m011_item(j -> 'item')) ELSE '{}'::jsonb END
    || CASE WHEN j ? 'refs' THEN jsonb_build_object('refs', m011_refs(j -> 'refs')) ELSE '{}'::jsonb END
    || CASE WHEN j ? 'premium' THEN jsonb_build_object('premium', m011_premium(j -> 'premium'))
         ELSE '{}'::jsonb END
  ELSE j END
$$;

-- A line of an order event: its ids, its item, and what it protects.
CREATE FUNCTION m011_order_line(j jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
  SELECT l
    || CASE WHEN l ? 'item' THEN jsonb_build_object('item', m011_item(l -> 'item')) ELSE '{}'::jsonb END
    || CASE WHEN jsonb_typeof(l -> 'protection') = 'object' THEN jsonb_build_object('protection',
         m011_rename(m011_rename(m011_rename(m011_rename(m011_rename(l -> 'protection',
           'protects_line_id', 'protectsLineId'), 'offer_id', 'offerId'), 'option_id', 'optionId'),
           'product_code', 'productCode'), 'term_months', 'termMonths')) ELSE '{}'::jsonb END
  FROM (SELECT m011_rename(j, 'line_id', 'lineId') AS l) AS renamed
$$;

-- Catalog, offers, policies, pending and confirmed changes.
UPDATE products SET definition = m011_product(definition);

UPDATE offers SET
  refs = m011_refs(refs),
  items = (SELECT coalesce(jsonb_agg(m011_offer_item(i) ORDER BY n), '[]'::jsonb)
           FROM jsonb_array_elements(items) WITH ORDINALITY AS a (i, n))
WHERE jsonb_typeof(items) = 'array';

UPDATE policies SET
  policyholder = m011_policyholder(policyholder),
  item = m011_item(item),
  refs = m011_refs(refs),
  premium = m011_premium(premium);

UPDATE policy_changes SET
  item = m011_item(item),
  premium = m011_premium(premium),
  previous_premium = m011_premium(previous_premium);

-- The outbox's work: which policy a letter is for, which event and endpoint a delivery is.
UPDATE jobs SET payload = m011_rename(m011_rename(m011_rename(payload,
  'policy_id', 'policyId'), 'event_id', 'eventId'), 'endpoint_id', 'endpointId');

-- The immutable tables, each rewritten once with its trigger off.
ALTER TABLE policy_events DISABLE TRIGGER policy_events_immutable;
UPDATE policy_events SET data =
  m011_rename(m011_rename(m011_rename(m011_rename(m011_rename(m011_rename(m011_rename(
  m011_rename(m011_rename(m011_rename(m011_rename(m011_rename(m011_rename(data,
    'fulfilled_at', 'fulfilledAt'), 'renewal_of', 'renewalOf'), 'renewal_id', 'renewalId'),
    'renewed_by', 'renewedBy'), 'coverage_start', 'coverageStart'), 'coverage_end', 'coverageEnd'),
    'previous_premium', 'previousPremium'), 'price_diff', 'priceDiff'), 'change_id', 'changeId'),
    'claim_id', 'claimId'), 'paid_amount', 'paidAmount'), 'instalment_number', 'instalmentNumber'),
    'renewal_expired', 'renewalExpired');
UPDATE policy_events SET data = data
  || CASE WHEN data ? 'premium' THEN jsonb_build_object('premium', m011_premium(data -> 'premium'))
       ELSE '{}'::jsonb END
  || CASE WHEN data ? 'previousPremium'
       THEN jsonb_build_object('previousPremium', m011_premium(data -> 'previousPremium')) ELSE '{}'::jsonb END
WHERE data ? 'premium' OR data ? 'previousPremium';
ALTER TABLE policy_events ENABLE TRIGGER policy_events_immutable;

ALTER TABLE claim_events DISABLE TRIGGER claim_events_immutable;
UPDATE claim_events SET data = m011_rename(m011_rename(m011_rename(data,
  'attachment_id', 'attachmentId'), 'approved_amount', 'approvedAmount'), 'paid_amount', 'paidAmount');
ALTER TABLE claim_events ENABLE TRIGGER claim_events_immutable;

ALTER TABLE events DISABLE TRIGGER events_immutable;
UPDATE events SET data = m011_rename(m011_rename(data, 'policy_event', 'policyEvent'), 'claim_event', 'claimEvent');
UPDATE events SET data = jsonb_set(data, '{policy}', m011_policy(data -> 'policy')) WHERE data ? 'policy';
ALTER TABLE events ENABLE TRIGGER events_immutable;

ALTER TABLE order_events DISABLE TRIGGER order_events_immutable;
UPDATE order_events SET payload = o
  || CASE WHEN o ? 'customer'
       THEN jsonb_build_object('customer', m011_policyholder(o -> 'customer')) ELSE '{}'::jsonb END
  || CASE WHEN o ? 'refs' THEN jsonb_build_object('refs', m011_refs(o -> 'refs')) ELSE '{}'::jsonb END
  || CASE WHEN jsonb_typeof(o -> 'lines') = 'array' THEN jsonb_build_object('lines', (
       SELECT coalesce(jsonb_agg(m011_order_line(l) ORDER BY n), '[]'::jsonb)
       FROM jsonb_array_elements(o -> 'lines') WITH ORDINALITY AS a (l, n))) ELSE '{}'::jsonb END
FROM (SELECT partner_id AS pid, id AS oid,
        m011_rename(m011_rename(payload, 'order_id', 'orderId'), 'occurred_at', 'occurredAt') AS o
      FROM order_events) AS renamed
WHERE order_events.partner_id = renamed.pid AND order_events.id = renamed.oid;
ALTER TABLE order_events ENABLE TRIGGER order_events_immutable;

DROP FUNCTION m011_order_line(jsonb);
DROP FUNCTION m011_policy(jsonb);
DROP FUNCTION m011_offer_item(jsonb);
DROP FUNCTION m011_product(jsonb);
DROP FUNCTION m011_market(jsonb);
DROP FUNCTION m011_rate_table(jsonb);
DROP FUNCTION m011_documents(jsonb);
DROP FUNCTION m011_policyholder_fields(jsonb);
DROP FUNCTION m011_premium(jsonb);
DROP FUNCTION m011_refs(jsonb);
DROP FUNCTION m011_policyholder(jsonb);
DROP FUNCTION m011_item(jsonb);
DROP FUNCTION m011_rename_in_array(jsonb, text, text, text);
DROP FUNCTION m011_rename(jsonb, text, text);
