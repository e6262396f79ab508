import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Statement } from '../core/statements/statement.js';

/**
 * A partner statement on the wire, shared by the native API, the admin API and the CLI: JSON, or CSV
 * with one row per currency for spreadsheets and accounting imports. Amounts are minor units in both.
 */

const Minor = Type.Integer({ description: 'minor units' });

export const StatementSchema = Type.Object({
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

export function statementJson(s: Statement, partnerCode: string) {
  return {
    object: 'statement' as const,
    partner_id: s.partnerId,
    partner_code: partnerCode,
    mode: s.mode,
    month: s.period.month,
    period_start: s.period.start.toISOString(),
    period_end: s.period.end.toISOString(),
    generated_at: s.generatedAt.toISOString(),
    closed: s.closed,
    currencies: s.currencies.map((c) => ({
      currency: c.currency,
      policies_written: c.policiesWritten,
      premiums_written: c.premiumsWritten,
      refunds: c.refunds,
      net: c.net,
      taxes: c.taxes.map((t) => ({ name: t.name, written: t.written, refunded: t.refunded, net: t.net })),
      commission: c.commission,
      net_due_to_insurer: c.netDueToInsurer,
    })),
  };
}

/**
 * RFC 4180 CSV, one row per currency. Each row repeats the partner and period so rows of several
 * statements can be concatenated; each tax any currency has gets written, refunded and net columns
 * (0 where a currency does not have it).
 */
export function statementCsv(s: Statement, partnerCode: string): string {
  const taxNames = [...new Set(s.currencies.flatMap((c) => c.taxes.map((t) => t.name)))].sort();
  const header = [
    'partner_code',
    'mode',
    'month',
    'period_start',
    'period_end',
    'currency',
    'policies_written',
    'premiums_written',
    'refunds',
    'net',
    'commission',
    'net_due_to_insurer',
    ...taxNames.flatMap((name) => [`${name} (written)`, `${name} (refunded)`, `${name} (net)`]),
  ];
  const rows = s.currencies.map((c) => [
    partnerCode,
    s.mode,
    s.period.month,
    s.period.start.toISOString(),
    s.period.end.toISOString(),
    c.currency,
    c.policiesWritten,
    c.premiumsWritten,
    c.refunds,
    c.net,
    c.commission,
    c.netDueToInsurer,
    ...taxNames.flatMap((name) => {
      const t = c.taxes.find((x) => x.name === name);
      return [t?.written ?? 0, t?.refunded ?? 0, t?.net ?? 0];
    }),
  ]);
  return [header, ...rows]
    .map((row) => row.map(cell).join(','))
    .join('\r\n')
    .concat('\r\n');
}

function cell(value: string | number): string {
  if (typeof value === 'number') return String(value);
  // Text a spreadsheet would run as a formula (a tax name is operator input) is kept as text.
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * CSV when `?format=csv`, or when the Accept header ranks text/csv above application/json; JSON
 * otherwise, on a tie too, so a client that accepts anything (browsers, curl) gets JSON.
 */
export function wantsCsv(format: 'json' | 'csv' | undefined, accept: string | undefined): boolean {
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
