-- A stored offer keeps what binding needs to honour its price (issue #13): of each option its id,
-- product code, term and unit premium. Options stored before kept a copy of their product's
-- description (name, coverage, policyholder fields, documents) and the premium for every unit, about
-- half of a cart's bytes; binding reads the product from the catalog, so the copies go.
UPDATE offers o
SET items = (
  SELECT jsonb_agg(
    jsonb_set(
      item,
      '{options}',
      COALESCE(
        (SELECT jsonb_agg(
           option - 'productName' - 'coverage' - 'premium' - 'policyholderFields' - 'documents'
           ORDER BY n)
         FROM jsonb_array_elements(item -> 'options') WITH ORDINALITY AS opts (option, n)),
        '[]'::jsonb))
    ORDER BY m)
  FROM jsonb_array_elements(o.items) WITH ORDINALITY AS its (item, m)
)
WHERE jsonb_array_length(o.items) > 0;
