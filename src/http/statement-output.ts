import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Statement } from '../core/statements/statement.js';
import { statementCsv, statementJson } from '../wire/statement.js';

/**
 * A partner statement over HTTP, for the native and the admin API: its schema, the format query, and
 * the answer in the representation asked for (rendered by src/wire/statement.ts, which the CLI shares).
 */

const Minor = Type.Integer({ description: 'minor units' });

const StatementSchema = Type.Object({
  object: Type.Literal('statement'),
  partner_id: Type.String(),
  partner_code: Type.String(),
  mode: Type.Union([Type.Literal('test'), Type.Literal('live')]),
  month: Type.String({ description: 'YYYY-MM, a calendar month in UTC' }),
  period_start: Type.String({ format: 'date-time' }),
  period_end: Type.String({
    format: 'date-time',
    description: 'exclusive: the first instant of the next month',
  }),
  generated_at: Type.String({ format: 'date-time' }),
  closed: Type.Boolean({ description: 'the month is over, so its figures no longer change' }),
  currencies: Type.Array(
    Type.Object({
      currency: Type.String(),
      policies_written: Type.Integer({ description: 'policies bound in the month' }),
      premiums_written: Minor,
      refunds: Minor,
      net: Minor,
      taxes: Type.Array(Type.Object({ name: Type.String(), written: Minor, refunded: Minor, net: Minor })),
      commission: Minor,
      net_due_to_insurer: Minor,
    }),
  ),
});

export const FormatQuery = Type.Object(
  {
    format: Type.Optional(
      Type.Union([Type.Literal('json'), Type.Literal('csv')], {
        description: 'csv: one row per currency; overrides the Accept header',
      }),
    ),
  },
  { additionalProperties: false },
);

/** Both representations, for the OpenAPI document. */
export const StatementResponses = {
  200: {
    description: 'the statement, as JSON or (with `Accept: text/csv` or `?format=csv`) CSV',
    content: {
      'application/json': { schema: StatementSchema },
      'text/csv': { schema: Type.String() },
    },
  },
};

/**
 * CSV when `?format=csv`, or when the Accept header ranks text/csv above application/json; JSON
 * otherwise, on a tie too, so a client that accepts anything (browsers, curl) gets JSON.
 */
function wantsCsv(format: 'json' | 'csv' | undefined, accept: string | undefined): boolean {
  if (format) return format === 'csv';
  let csv = 0;
  let json = 0;
  for (const range of (accept ?? '').toLowerCase().split(',')) {
    const [type = '', ...params] = range.split(';').map((p) => p.trim());
    const qParam = params.find((p) => p.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    if (!Number.isFinite(q)) continue;
    if (type === 'text/csv') csv = Math.max(csv, q);
    else if (type === 'application/json') json = Math.max(json, q);
  }
  return csv > json;
}

/** Answers with the statement in the representation the request asked for. */
export function sendStatement(
  request: FastifyRequest<{ Querystring: { format?: 'json' | 'csv' } }>,
  reply: FastifyReply,
  statement: Statement,
  partnerCode: string,
) {
  if (!wantsCsv(request.query.format, request.headers.accept)) {
    return reply.send(statementJson(statement, partnerCode));
  }
  const file = `statement-${partnerCode}-${statement.period.month}-${statement.mode}.csv`;
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${file}"`)
    .send(statementCsv(statement, partnerCode));
}
