/**
 * The ceilings `npm run bench` compares Protego with, each run as a process of its own on PORT:
 *   json    a bare Fastify route answering a 300-byte JSON document (GET /ceiling)
 *   pg      a bare route inserting one row through `pg` (POST /ceiling), on CEILING_DATABASE_URL
 *   pglite  the same on a file-backed PGlite in CEILING_DATA_DIR, as Protego keeps its embedded data
 * Each answers GET /health once it is ready.
 */

import { PGlite } from '@electric-sql/pglite';
import Fastify from 'fastify';
import pg from 'pg';

const kind = process.argv[2];
const app = Fastify({ logger: false });
app.get('/health', async () => ({ status: 'ok' }));

// 300 bytes of JSON, about what a small offer answer's envelope is.
const document = {
  id: 'off_01JBENCHMARKCEILING000000',
  status: 'ok',
  items: [{ ref: 'line-1', options: [{ id: 'opt_1', product_code: 'tech-insurance', term_months: 12 }] }],
  premium: { total: 19900, currency: 'SEK' },
  note: 'x'.repeat(92),
};

const table = `CREATE TABLE IF NOT EXISTS ceiling_rows (
  id bigserial PRIMARY KEY, body jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`;
const insert = 'INSERT INTO ceiling_rows (body) VALUES ($1) RETURNING id';

async function main() {
  if (kind === 'json') {
    app.get('/ceiling', async () => document);
  } else if (kind === 'pg') {
    const pool = new pg.Pool({ connectionString: process.env.CEILING_DATABASE_URL, max: 10 });
    await pool.query(table);
    app.post('/ceiling', async (request, reply) => {
      const { rows } = await pool.query(insert, [JSON.stringify(request.body)]);
      return reply.code(201).send({ id: String(rows[0].id) });
    });
    app.addHook('onClose', () => pool.end());
  } else if (kind === 'pglite') {
    const db = await PGlite.create(process.env.CEILING_DATA_DIR!);
    await db.query(table);
    app.post('/ceiling', async (request, reply) => {
      const { rows } = await db.query<{ id: number }>(insert, [JSON.stringify(request.body)]);
      return reply.code(201).send({ id: String(rows[0]!.id) });
    });
    app.addHook('onClose', () => db.close());
  } else {
    throw new Error(`ceiling kind must be json, pg or pglite, not ${kind}`);
  }
  await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
  const stop = () => app.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
