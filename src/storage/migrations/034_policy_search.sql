-- Policy search (issue #15): by the merchant's basket id, besides the order id that has its own column.
CREATE INDEX policies_by_basket ON policies (partner_id, mode, (refs->>'basketId'));
