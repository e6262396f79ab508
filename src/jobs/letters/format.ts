import { currencyExponent, toMajorString } from '../../core/money.js';
import type { LetterLanguage } from './texts.js';

/**
 * The locale for a letter: its language as spoken in the policy's market (en-GB writes 2 March 2026,
 * en-US March 2, 2026). A combination Intl does not know falls back to the language alone.
 */
export function letterLocale(language: LetterLanguage, country: string): string {
  try {
    return Intl.getCanonicalLocales(`${language}-${country.toUpperCase()}`)[0] ?? language;
  } catch {
    return language;
  }
}

/**
 * Minor units as the customer reads money ("699,00 kr", "£49.90"). The amount goes to Intl as a decimal
 * string, never as a float, so no amount is ever off by a rounding error.
 */
export function formatMoney(amount: number, currency: string, locale: string): string {
  const digits = currencyExponent(currency);
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(toMajorString(amount, currency) as Intl.StringNumericLiteral);
}

/**
 * A day as the customer reads it ("2 mars 2026"). Cover times are stored in UTC and the API shows them
 * in UTC, so the letter does too: a letter and an API answer never disagree about the date.
 */
export function formatDate(at: Date, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(at);
}

/** Basis points as a percentage ("25 %", "12%"). */
export function formatRate(rateBp: number, locale: string): string {
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 2 }).format(
    rateBp / 10_000,
  );
}
