/**
 * Loads a book of policies with their history into a Protego database on PostgreSQL, fast: each batch
 * is one `INSERT … SELECT` over `generate_series`, cloning a policy bound through the API (the template)
 * so every row is a document the API reads back, sealed personal id included (the template's, reused:
 * sealing a million values would measure the cipher, not the book). Each clone gets its own id, order id
 * (`bench-order-<n>`), holder e-mail (`holder-<n mod 100000>@example.com`, ten policies each) and a
 * binding time spread over `month`, so one partner's statement of that month covers the whole book.
 *
 *   tsx bench/million.ts <postgres-url> [count] [YYYY-MM]   (count: BENCH_POLICIES, 1,000,000)
 */

import pg from 'pg';

export interface BookOptions {
  count: number;
  /** The month the policies are bound in, YYYY-MM (UTC). */
  month: string;
  batch?: number;
  log?: (line: string) => void;
}

export const orderIdOf = (n: number) => `bench-order-${n}`;
export const holderEmailOf = (n: number) => `holder-${n % 100_000}@example.com`;

export async function loadBook(
  url: string,
  opts: BookOptions,
): Promise<{ seconds: number; template: string }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const started = performance.now();
    const template = await client.query<{ partner_id: string; mode: string; id: string }>(
      `SELECT partner_id, mode, id FROM policies WHERE status = 'active' AND personal_id_enc IS NOT NULL
       ORDER BY id DESC LIMIT 1`,
    );
    const t = template.rows[0];
    if (!t) throw new Error('no active policy with a personal id to clone: bind one through the API first');
    const [year, month] = opts.month.split('-').map(Number) as [number, number];
    const from = new Date(Date.UTC(year, month - 1, 1));
    const to = new Date(Date.UTC(year, month, 1));
    const batch = opts.batch ?? 100_000;
    // A bulk load's usual shape: the secondary indexes go, the rows go in, the indexes are built once
    // (sorted, in bulk) rather than updated row by row. Keys and unique indexes stay, and hold.
    const secondary = await client.query<{ name: string; definition: string }>(
      `SELECT i.indexname AS name, i.indexdef AS definition FROM pg_indexes i
       JOIN pg_index x ON x.indexrelid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass
       WHERE i.schemaname = current_schema() AND i.tablename IN ('policies', 'policy_events')
         AND NOT x.indisunique AND NOT x.indisprimary`,
    );
    for (const index of secondary.rows) await client.query(`DROP INDEX ${index.name}`);
    for (let lo = 0; lo < opts.count; lo += batch) {
      const hi = Math.min(opts.count, lo + batch) - 1;
      await client.query('BEGIN');
      // n → its binding instant, evenly over the month; ids sort before every real ULID of today.
      const params = [t.partner_id, t.id, lo, hi, from, to, opts.count];
      await client.query(
        `INSERT INTO policies (partner_id, mode, id, product_code, term_months, country, language, status,
           policyholder, personal_id_enc, item, currency, premium_total, premium, cover_start,
           coverage_start, coverage_end, bound_at, offer_id, offer_option_id, order_id, refs, refund,
           claim_paid, renewal_opt_out, commission_bp, created_at, updated_at)
         SELECT p.partner_id, p.mode, 'pol_01' || lpad(to_hex(n), 24, '0'), p.product_code, p.term_months,
           p.country, p.language, p.status,
           jsonb_set(p.policyholder, '{email}', to_jsonb('holder-' || (n % 100000) || '@example.com')),
           p.personal_id_enc, p.item, p.currency, p.premium_total, p.premium, p.cover_start,
           at, at + make_interval(months => p.term_months), at, NULL, NULL, 'bench-order-' || n,
           jsonb_set(p.refs, '{orderId}', to_jsonb('bench-order-' || n)), NULL,
           false, p.renewal_opt_out, p.commission_bp, at, at
         FROM policies p,
           generate_series($3::bigint, $4::bigint) AS n,
           LATERAL (SELECT $5::timestamptz + ($6::timestamptz - $5::timestamptz) * (n::float8 / $7)) AS t(at)
         WHERE p.partner_id = $1 AND p.id = $2`,
        params,
      );
      await client.query(
        `INSERT INTO policy_events (partner_id, mode, id, policy_id, type, from_status, to_status, occurred_at, data)
         SELECT e.partner_id, e.mode, 'pev_01' || lpad(to_hex(n * 16 + e.k), 24, '0'),
           'pol_01' || lpad(to_hex(n), 24, '0'), e.type, e.from_status, e.to_status, at, e.data
         FROM (SELECT *, row_number() OVER (ORDER BY id) AS k FROM policy_events
               WHERE partner_id = $1 AND policy_id = $2) e,
           generate_series($3::bigint, $4::bigint) AS n,
           LATERAL (SELECT $5::timestamptz + ($6::timestamptz - $5::timestamptz) * (n::float8 / $7)) AS t(at)`,
        params,
      );
      await client.query('COMMIT');
      opts.log?.(`  ${hi + 1} policies loaded, ${((performance.now() - started) / 1000).toFixed(0)} s`);
    }
    await client.query("SET maintenance_work_mem = '256MB'");
    for (const index of secondary.rows) await client.query(index.definition);
    opts.log?.(
      `  ${secondary.rows.length} indexes built, ${((performance.now() - started) / 1000).toFixed(0)} s`,
    );
    await client.query('ANALYZE policies');
    await client.query('ANALYZE policy_events');
    return { seconds: (performance.now() - started) / 1000, template: t.id };
  } finally {
    await client.end();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [url, count, month] = process.argv.slice(2);
  if (!url) throw new Error('usage: tsx bench/million.ts <postgres-url> [count] [YYYY-MM]');
  const lastMonth = new Date();
  lastMonth.setUTCDate(0);
  loadBook(url, {
    count: Number(count ?? process.env.BENCH_POLICIES ?? 1_000_000),
    month: month ?? lastMonth.toISOString().slice(0, 7),
    log: console.log,
  }).then(
    (r) => console.log(`loaded in ${r.seconds.toFixed(1)} s (template ${r.template})`),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
