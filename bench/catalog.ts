import pg from 'pg';

/**
 * Grows the catalog to `total` products enabled for `partnerCode`, copies of refurbished-electronics
 * for a category no cart holds: every offer reads them, none of them prices an item.
 */
export async function growCatalog(url: string, partnerCode: string, total: number): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM products');
    const have = rows[0]!.n;
    if (have >= total) return have;
    await client.query(
      `INSERT INTO products (code, definition, updated_at)
       SELECT 'bench-' || n,
         jsonb_set(jsonb_set(definition, '{code}', to_jsonb('bench-' || n)), '{categories}',
           jsonb_build_array('Bench category ' || n)),
         now()
       FROM products, generate_series($1::int, $2::int) AS n WHERE code = 'refurbished-electronics'`,
      [have + 1, total],
    );
    await client.query(
      `INSERT INTO partner_products (partner_id, product_code, commission_bp, enabled_at)
       SELECT p.partner_id, 'bench-' || n, 1000, now()
       FROM partners p, generate_series($1::int, $2::int) AS n WHERE p.code = $3`,
      [have + 1, total, partnerCode],
    );
    return total;
  } finally {
    await client.end();
  }
}
