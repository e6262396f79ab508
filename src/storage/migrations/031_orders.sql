-- Orders and their lines as data (issue 14): an event for an order or a line never placed is refused,
-- instead of matching no policy and changing nothing.
CREATE TABLE orders (
  partner_id text NOT NULL REFERENCES partners (partner_id),
  mode       text NOT NULL CHECK (mode IN ('test', 'live')),
  order_id   text NOT NULL,
  placed_at  timestamptz NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (partner_id, mode, order_id)
);

CREATE TABLE order_lines (
  partner_id text NOT NULL,
  mode       text NOT NULL,
  order_id   text NOT NULL,
  line_id    text NOT NULL,
  position   integer NOT NULL,
  quantity   integer NOT NULL CHECK (quantity >= 0),
  -- The line this one protects, when it is a plan.
  protects_line_id text,
  PRIMARY KEY (partner_id, mode, order_id, line_id),
  FOREIGN KEY (partner_id, mode, order_id) REFERENCES orders (partner_id, mode, order_id)
);

-- Orders placed before: their first placing event holds their lines.
INSERT INTO orders (partner_id, mode, order_id, placed_at, created_at)
SELECT DISTINCT ON (partner_id, mode, order_id) partner_id, mode, order_id, occurred_at, created_at
FROM order_events WHERE type = 'order_placed'
ORDER BY partner_id, mode, order_id, id;

INSERT INTO order_lines (partner_id, mode, order_id, line_id, position, quantity, protects_line_id)
SELECT DISTINCT ON (e.partner_id, e.mode, e.order_id, l.line ->> 'lineId')
       e.partner_id, e.mode, e.order_id, l.line ->> 'lineId', (l.n - 1)::integer,
       (l.line ->> 'quantity')::integer, l.line -> 'protection' ->> 'protectsLineId'
FROM (
  SELECT DISTINCT ON (partner_id, mode, order_id) *
  FROM order_events WHERE type = 'order_placed'
  ORDER BY partner_id, mode, order_id, id
) e
CROSS JOIN LATERAL jsonb_array_elements(e.payload -> 'lines') WITH ORDINALITY AS l (line, n)
ORDER BY e.partner_id, e.mode, e.order_id, l.line ->> 'lineId', l.n;
