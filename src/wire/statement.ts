import type { Statement } from '../core/statements/statement.js';

// src/wire holds the wire rendering that more than one outer layer shares (here the APIs and the CLI):
// it is presentation (snake_case fields, CSV), so not src/core, whose types stay the domain's; and it
// imports neither Fastify nor storage, so src/cli can use it without importing src/http.

/**
 * A partner statement on the wire, as the native API, the admin API and the CLI give it: JSON, or CSV
 * with one row per currency for spreadsheets and accounting imports. Amounts are minor units in both.
 */
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
