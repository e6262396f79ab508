import { type DisplayContent, type Product, productName } from './product.js';

const DISPLAY_FIELDS = [
  'title',
  'description',
  'iconUrl',
  'conditionsUrl',
  'noticeUrl',
  'termsUrl',
  'detailsUrl',
] as const satisfies readonly (keyof DisplayContent)[];

/** The product's content for `country` in `language`, else English, else the market's first language. */
export function displayContent(product: Product, country: string, language: string): DisplayContent {
  const market = product.display?.[country.toUpperCase()] ?? {};
  const configured = market[language] ?? market.en ?? Object.values(market)[0] ?? {};
  const content: DisplayContent = { title: productName(product, language) };
  if (product.documents.termsUrl) content.termsUrl = product.documents.termsUrl;
  if (product.documents.ipidUrl) content.noticeUrl = product.documents.ipidUrl;
  for (const key of DISPLAY_FIELDS) {
    const value = configured[key];
    if (value !== undefined) content[key] = value;
  }
  return content;
}
