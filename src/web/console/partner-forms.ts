import type { Market, Partner } from '../../core/partners/partner.js';
import { type Form, field, filledRows, newFormId, rowsRenamed } from './form.js';

/** Market rows the new-partner form shows; a partner with more markets gets them through the admin API. */
const MARKET_ROWS = 3;
const MARKET_FIELDS = ['country', 'currency', 'language'] as const;

/** A new partner as the form gave it, codes in the case the core asks for; `formPath` names its rows as the form does. */
export function partnerFromForm(form: Form) {
  const rows = filledRows(form, 'markets', MARKET_FIELDS);
  const markets: Market[] = rows.map(({ values }) => ({
    country: values.country.toUpperCase(),
    currency: values.currency.toUpperCase(),
    language: values.language.toLowerCase(),
  }));
  return {
    input: { code: (form.code ?? '').trim(), name: (form.name ?? '').trim(), markets },
    formPath: rowsRenamed(
      'markets',
      rows.map((r) => r.row),
    ),
  };
}

export function partnerFormView(form: Form, errors: Record<string, string>) {
  const v = (name: string) => form[name] ?? '';
  return {
    formId: form.form_id ?? newFormId(),
    error: errors._form ?? errors.markets,
    fields: [
      field('code', 'Code (lower case, used in URLs)', v('code'), errors),
      field('name', 'Name', v('name'), errors),
    ],
    markets: Array.from({ length: MARKET_ROWS }, (_, i) =>
      MARKET_FIELDS.map((name) =>
        field(
          `markets/${i}/${name}`,
          `Market ${i + 1}: ${{ country: 'country (SE)', currency: 'currency (SEK)', language: 'language (sv)' }[name]}`,
          v(`markets/${i}/${name}`),
          errors,
          { hideLabel: true },
        ),
      ),
    ),
  };
}

/** A store as the form gave it: the market is chosen among the partner's, as "country|currency". */
export function storeFromForm(form: Form) {
  const [country = '', currency = ''] = (form.market ?? '').split('|');
  return { externalId: (form.externalId ?? '').trim(), country, currency };
}

/** The core names a store's market by country and currency; the form has one field for both. */
export const storeFormPath = (path: string) => (path === 'country' || path === 'currency' ? 'market' : path);

export function storeFormView(partner: Partner, form: Form, errors: Record<string, string>) {
  return {
    formId: form.form_id ?? newFormId(),
    error: errors._form,
    fields: [
      field('externalId', 'Store id (the partner’s own, as its POS sends it)', form.externalId ?? '', errors),
      field('market', 'Market', form.market ?? '', errors, {
        options: partner.markets.map((m) => ({
          value: `${m.country}|${m.currency}`,
          label: `${m.country} (${m.currency})`,
        })),
      }),
    ],
  };
}
