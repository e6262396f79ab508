import type { Product } from '../../core/catalog/product.js';
import type { Policy } from '../../core/policies/policy.js';
import { renderCertificate } from './certificate.js';
import { formatDate, formatMoney } from './format.js';
import type { OutgoingMail } from './mailer.js';
import { type PolicySummary, type SummaryRow, summarizePolicy } from './summary.js';
import type { LetterTexts } from './texts.js';

/** The policyholder's letter: the summary as plain text, with the certificate attached as a PDF. */
export async function composeLetter(
  policy: Policy,
  product: Product,
  to: string,
  accountUrl?: string,
): Promise<OutgoingMail> {
  const summary = summarizePolicy(policy, product);
  const certificate = await renderCertificate(summary);
  // Cover bought to begin later is confirmed with its start, not said to be active.
  const startsOn =
    policy.status === 'scheduled' && policy.coverageStart
      ? formatDate(policy.coverageStart, summary.locale)
      : undefined;
  const t = summary.texts;
  return {
    to,
    subject: startsOn
      ? t.confirmed.subject(summary.productName, policy.id)
      : t.subject(summary.productName, policy.id),
    text: letterText(summary, startsOn, accountUrl),
    attachments: [
      {
        filename: `${summary.texts.certificateFile}-${policy.id}.pdf`,
        content: certificate,
        contentType: 'application/pdf',
      },
    ],
    reference: policy.id,
  };
}

/**
 * The letter confirming that cover has ended (cancelled, voided after binding, or lapsed): when, and
 * what is refunded. Nothing is attached: the certificate no longer holds.
 */
export function composeCancellationLetter(
  policy: Policy,
  product: Product,
  to: string,
  endedAt: Date,
): OutgoingMail {
  const summary = summarizePolicy(policy, product);
  const t = summary.texts;
  const money = (amount: number) => formatMoney(amount, policy.premium.currency, summary.locale);
  const ended: SummaryRow[] = [
    { label: t.cancellation.endedOn, value: formatDate(endedAt, summary.locale) },
    { label: t.cancellation.refund, value: money(policy.refund?.amount ?? 0) },
  ];
  const details = summary.details.filter((r) => r.label !== t.labels.coverPeriod);
  const paragraphs = [
    t.greeting(summary.holderName),
    t.cancellation.intro(summary.productName),
    block(t, details),
    block(t, ended),
    t.closing,
  ];
  return {
    to,
    subject: t.cancellation.subject(summary.productName, policy.id),
    text: `${paragraphs.join('\n\n')}\n`,
    attachments: [],
    reference: policy.id,
  };
}

/**
 * The letter's text; with `startsOn`, the letter confirming cover that begins on that (formatted) date;
 * with `accountUrl`, the link to the customer's own page of the policy.
 */
export function letterText(summary: PolicySummary, startsOn?: string, accountUrl?: string): string {
  const t = summary.texts;
  const paragraphs = [
    t.greeting(summary.holderName),
    startsOn ? t.confirmed.intro(summary.productName, startsOn) : t.intro(summary.productName),
    block(t, summary.details),
    block(t, summary.premium),
    ...(summary.documents.length > 0 ? [block(t, summary.documents)] : []),
    ...(accountUrl ? [block(t, [{ label: t.labels.account, value: accountUrl }])] : []),
    t.closing,
  ];
  return `${paragraphs.join('\n\n')}\n`;
}

/** One "label: value" line per row, with the language's own colon. */
function block(t: LetterTexts, rows: SummaryRow[]): string {
  return rows.map((r) => `${r.label}${t.colon}${r.value}`).join('\n');
}
