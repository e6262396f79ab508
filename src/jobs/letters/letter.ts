import type { Product } from '../../core/catalog/product.js';
import type { Policy } from '../../core/policies/policy.js';
import { renderCertificate } from './certificate.js';
import type { OutgoingMail } from './mailer.js';
import { type PolicySummary, type SummaryRow, summarizePolicy } from './summary.js';

/** The policyholder's letter: the summary as plain text, with the certificate attached as a PDF. */
export async function composeLetter(policy: Policy, product: Product, to: string): Promise<OutgoingMail> {
  const summary = summarizePolicy(policy, product);
  const certificate = await renderCertificate(summary);
  return {
    to,
    subject: summary.texts.subject(summary.productName, policy.id),
    text: letterText(summary),
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

export function letterText(summary: PolicySummary): string {
  const t = summary.texts;
  const block = (rows: SummaryRow[]) => rows.map((r) => `${r.label}${t.colon}${r.value}`).join('\n');
  const paragraphs = [
    t.greeting(summary.holderName),
    t.intro(summary.productName),
    block(summary.details),
    block(summary.premium),
    ...(summary.documents.length > 0 ? [block(summary.documents)] : []),
    t.closing,
  ];
  return `${paragraphs.join('\n\n')}\n`;
}
