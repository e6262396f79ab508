import { type Product, productName } from '../../core/catalog/product.js';
import type { Policy } from '../../core/policies/policy.js';
import { formatDate, formatMoney, formatRate, letterLocale } from './format.js';
import { type LetterLanguage, type LetterTexts, letterLanguage, textsFor } from './texts.js';

/** Who carries the risk, as printed on every letter and certificate. */
export const INSURER_NAME = 'Protego Insurance';

export interface SummaryRow {
  label: string;
  value: string;
  /** Set on document rows, so the certificate can make the value a link. */
  url?: string;
}

/**
 * A policy as its holder reads it, in their language: what the e-mail and the PDF certificate both
 * print, worked out once so the two can never disagree.
 */
export interface PolicySummary {
  language: LetterLanguage;
  locale: string;
  texts: LetterTexts;
  policyId: string;
  productName: string;
  /** First and last name, when the product collects them. */
  holderName: string | undefined;
  details: SummaryRow[];
  premium: SummaryRow[];
  documents: SummaryRow[];
}

export function summarizePolicy(policy: Policy, product: Product): PolicySummary {
  const language = letterLanguage(policy.language);
  const locale = letterLocale(language, policy.country);
  const texts = textsFor(language);
  const t = texts.labels;
  const money = (amount: number) => formatMoney(amount, policy.premium.currency, locale);
  const name = productName(product, language);
  const holder = policy.policyholder;
  const holderName = [holder.firstName, holder.lastName].filter((s) => s?.trim()).join(' ') || undefined;
  const item = policy.item;
  const details: SummaryRow[] = [
    { label: t.policyNumber, value: policy.id },
    { label: t.product, value: name },
    { label: t.coverage, value: texts.coverage[product.coverage] },
    { label: t.status, value: texts.status[policy.status] },
    { label: t.policyholder, value: holderName ?? holder.email ?? '–' },
    { label: t.insuredItem, value: describeItem(item) },
    ...(item.serialNumber ? [{ label: t.serialNumber, value: item.serialNumber }] : []),
    { label: t.itemPrice, value: formatMoney(item.price.amount, item.price.currency, locale) },
    { label: t.coverPeriod, value: coverPeriod(policy, texts, locale) },
    { label: t.insurer, value: INSURER_NAME },
  ];
  const premium: SummaryRow[] = [
    { label: t.premiumNet, value: money(policy.premium.net) },
    ...policy.premium.taxes.map((tax) => ({
      label: `${tax.name} ${formatRate(tax.rateBp, locale)}`,
      value: money(tax.amount),
    })),
    { label: t.premiumTotal, value: money(policy.premium.total) },
  ];
  const documents: SummaryRow[] = [];
  if (product.documents.termsUrl) {
    documents.push({ label: t.terms, value: product.documents.termsUrl, url: product.documents.termsUrl });
  }
  if (product.documents.ipidUrl) {
    documents.push({ label: t.ipid, value: product.documents.ipidUrl, url: product.documents.ipidUrl });
  }
  return {
    language,
    locale,
    texts,
    policyId: policy.id,
    productName: name,
    holderName,
    details,
    premium,
    documents,
  };
}

/** "Apple iPad Air 4 128Gb (Tablet)": the merchant's name for it, else brand and model, with the category. */
function describeItem(item: Policy['item']): string {
  const named = item.name?.trim() || [item.brand, item.model].filter((s) => s?.trim()).join(' ');
  return named ? `${named} (${item.category})` : item.category;
}

function coverPeriod(policy: Policy, texts: LetterTexts, locale: string): string {
  if (!policy.coverageStart || !policy.coverageEnd) return texts.coverFromDelivery;
  return texts.coverPeriod(formatDate(policy.coverageStart, locale), formatDate(policy.coverageEnd, locale));
}
