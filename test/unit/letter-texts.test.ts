import { describe, expect, it } from 'vitest';
import { formatDate, formatMoney, formatRate, letterLocale } from '../../src/jobs/letters/format.js';
import { letterText } from '../../src/jobs/letters/letter.js';
import { INSURER_NAME, summarizePolicy } from '../../src/jobs/letters/summary.js';
import { LETTER_LANGUAGES, letterLanguage, textsFor } from '../../src/jobs/letters/texts.js';
import { policy, product } from './fixtures.js';

/** Intl separates with no-break spaces (U+00A0, U+202F); compare with plain ones. */
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('letter languages', () => {
  it('writes sv, de, fr and en, and English for anything else', () => {
    for (const l of LETTER_LANGUAGES) expect(letterLanguage(l)).toBe(l);
    expect(letterLanguage('SV')).toBe('sv');
    expect(letterLanguage('nl')).toBe('en');
    expect(letterLanguage('')).toBe('en');
    expect(letterLanguage(undefined)).toBe('en');
  });

  it('has every text in every language', () => {
    const en = textsFor('en');
    for (const l of LETTER_LANGUAGES) {
      const t = textsFor(l);
      expect(Object.keys(t).sort()).toEqual(Object.keys(en).sort());
      expect(Object.keys(t.labels).sort()).toEqual(Object.keys(en.labels).sort());
      expect(Object.keys(t.status).sort()).toEqual(Object.keys(en.status).sort());
      expect(Object.keys(t.coverage).sort()).toEqual(Object.keys(en.coverage).sort());
      expect(t.certificateFile).toMatch(/^[a-z-]+$/);
    }
  });

  it('names the product and the policy in each subject', () => {
    expect(textsFor('sv').subject('Teknikförsäkring', 'pol_1')).toBe(
      'Din försäkring gäller nu: Teknikförsäkring (pol_1)',
    );
    expect(textsFor('de').subject('Garantie', 'pol_1')).toBe(
      'Ihre Versicherung ist jetzt gültig: Garantie (pol_1)',
    );
    expect(textsFor('fr').subject('Extension', 'pol_1')).toBe(
      'Votre assurance est maintenant active : Extension (pol_1)',
    );
    expect(textsFor('en').subject('Plan', 'pol_1')).toBe('Your insurance is now active: Plan (pol_1)');
  });
});

describe('money, dates and rates as the customer reads them', () => {
  it('formats integer minor units per language and market', () => {
    expect(plain(formatMoney(69_900, 'SEK', 'sv-SE'))).toBe('699,00 kr');
    expect(plain(formatMoney(1_200, 'EUR', 'de-DE'))).toBe('12,00 €');
    expect(plain(formatMoney(1_234_550, 'EUR', 'fr-FR'))).toBe('12 345,50 €');
    expect(formatMoney(4_990, 'GBP', 'en-GB')).toBe('£49.90');
    expect(formatMoney(5, 'USD', 'en-US')).toBe('$0.05');
    expect(formatMoney(1_500, 'JPY', 'en-GB')).toBe('JP¥1,500');
    expect(plain(formatMoney(1_234, 'KWD', 'en-GB'))).toBe('KWD 1.234');
  });

  it('formats amounts too large for a float cent exactly', () => {
    // The largest safe integer over 100 is 90 071 992 547 409.90 as a double; the decimal string keeps .91.
    expect(formatMoney(Number.MAX_SAFE_INTEGER, 'USD', 'en-US')).toBe('$90,071,992,547,409.91');
  });

  it('writes dates in the language, on the UTC day the API shows', () => {
    const at = new Date('2026-03-02T23:30:00Z');
    expect(formatDate(at, 'sv-SE')).toBe('2 mars 2026');
    expect(formatDate(at, 'de-DE')).toBe('2. März 2026');
    expect(formatDate(at, 'fr-FR')).toBe('2 mars 2026');
    expect(formatDate(at, 'en-GB')).toBe('2 March 2026');
    expect(formatDate(at, 'en-US')).toBe('March 2, 2026');
  });

  it('writes tax rates as percentages', () => {
    expect(plain(formatRate(2_500, 'sv-SE'))).toBe('25 %');
    expect(plain(formatRate(1_900, 'de-DE'))).toBe('19 %');
    expect(formatRate(1_200, 'en-GB')).toBe('12%');
    expect(formatRate(825, 'en-US')).toBe('8.25%');
  });

  it('speaks the language as in the market, or the language alone', () => {
    expect(letterLocale('en', 'GB')).toBe('en-GB');
    expect(letterLocale('en', 'us')).toBe('en-US');
    expect(letterLocale('sv', 'SE')).toBe('sv-SE');
    expect(letterLocale('de', '??')).toBe('de');
  });
});

describe('the policy summary the letter and the certificate print', () => {
  const taxed = policy({
    premium: {
      currency: 'SEK',
      net: 55_920,
      tax: 13_980,
      total: 69_900,
      taxes: [{ name: 'Regular VAT', rateBp: 2_500, amount: 13_980 }],
    },
    item: {
      category: 'Tablet',
      brand: 'Apple',
      model: 'iPad Air',
      serialNumber: 'SN-123',
      price: { amount: 850_000, currency: 'SEK' },
    },
  });
  const withDocs = product({
    name: { en: 'Tech Insurance', sv: 'Teknikförsäkring' },
    documents: { termsUrl: 'https://example.com/terms.pdf', ipidUrl: 'https://example.com/ipid.pdf' },
  });

  it('lists the policy, the item, the cover period and the premium with its taxes, in Swedish', () => {
    const s = summarizePolicy(taxed, withDocs);
    expect(s.language).toBe('sv');
    expect(s.productName).toBe('Teknikförsäkring');
    const rows = Object.fromEntries(
      [...s.details, ...s.premium].map((r) => [plain(r.label), plain(r.value)]),
    );
    expect(rows).toMatchObject({
      Försäkringsnummer: 'pol_test',
      Försäkring: 'Teknikförsäkring',
      Skydd: 'Olyckshändelse',
      Status: 'gäller',
      Försäkringstagare: 'Ada Lovelace',
      'Försäkrad produkt': 'Apple iPad Air (Tablet)',
      Serienummer: 'SN-123',
      Inköpspris: '8 500,00 kr',
      Försäkringsperiod: '1 januari 2025 – 1 januari 2026',
      Försäkringsgivare: INSURER_NAME,
      'Premie exkl. skatt': '559,20 kr',
      'Regular VAT 25 %': '139,80 kr',
      'Premie att betala': '699,00 kr',
    });
    expect(s.documents.map((d) => d.url)).toEqual([
      'https://example.com/terms.pdf',
      'https://example.com/ipid.pdf',
    ]);
  });

  it('writes the e-mail body from the same rows', () => {
    const text = plain(letterText(summarizePolicy(taxed, withDocs)));
    expect(text).toMatch(
      /^Hej Ada Lovelace,\n\ntack för ditt köp\. Nu gäller din försäkring: Teknikförsäkring\./,
    );
    expect(text).toContain('\nFörsäkringsnummer: pol_test\n');
    expect(text).toContain('\nRegular VAT 25 %: 139,80 kr\nPremie att betala: 699,00 kr\n');
    expect(text).toContain('\nFörsäkringsvillkor: https://example.com/terms.pdf\n');
    expect(text).toMatch(/Med vänliga hälsningar\nProtego Insurance\n$/);
  });

  it('falls back to English, to the e-mail for a holder without a name, and to "from delivery" without dates', () => {
    const s = summarizePolicy(
      policy({
        language: 'nl',
        country: 'GB',
        policyholder: { email: 'anon@example.com' },
        coverageStart: null,
        coverageEnd: null,
        status: 'scheduled',
      }),
      product(),
    );
    expect(s.language).toBe('en');
    expect(s.holderName).toBeUndefined();
    const rows = Object.fromEntries(s.details.map((r) => [r.label, r.value]));
    expect(rows).toMatchObject({
      Policyholder: 'anon@example.com',
      'Insured item': 'Tablet',
      'Period of cover': 'from delivery of the item',
      Status: 'starts later',
    });
    expect(s.documents).toEqual([]);
    expect(letterText(s)).toMatch(/^Hello,\n/);
  });
});
