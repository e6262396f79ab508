import type { Product, RateTable } from '../../core/catalog/product.js';
import { CoreError, type FieldError } from '../../core/errors.js';
import { fromMajor, toMajorString } from '../../core/money.js';
import { type FieldView, type Form, field, filledRows, idOf, rowsRenamed } from './form.js';

/** Empty band rows under a table's bands, for adding one without a script. */
const SPARE_BANDS = 2;
const RATE_TYPES = [
  { value: 'bands', label: 'price bands' },
  { value: 'percentage', label: 'a share of the item price' },
];
const AFTER_COOLING_OFF = [
  { value: 'pro_rata', label: 'the unused days, pro rata' },
  { value: 'none', label: 'nothing' },
];
const AFTER_PAID_CLAIM = [
  { value: 'none', label: 'nothing' },
  { value: 'pro_rata', label: 'the unused days, pro rata' },
];

/**
 * The product as the operator edited it: the stored one with the form's fields applied (a field the form
 * lacks keeps its value). Only reading happens here, amounts from major units to minor: an entry that is
 * no number is refused, named by its field; every rule is the core's (`putProduct`). `formPath` names a
 * core field path as the form does, whose blank band rows the product does not have.
 */
export function productFromForm(
  stored: Product,
  form: Form,
): { product: Product; formPath: (path: string) => string } {
  const problems: FieldError[] = [];
  const renames: ((path: string) => string)[] = [];
  const read = <T>(name: string, fallback: T, parse: (v: string) => T | undefined, message: string): T => {
    const v = form[name]?.trim();
    if (v === undefined) return fallback;
    const parsed = parse(v);
    if (parsed === undefined) problems.push({ field: name, message });
    return parsed ?? fallback;
  };
  const whole = (name: string, fallback: number) =>
    read(name, fallback, (v) => (/^-?\d{1,9}$/.test(v) ? Number(v) : undefined), 'a whole number');
  const amount = (name: string, currency: string, fallback: number) =>
    read(name, fallback, (v) => fromMajor(v, currency), `an amount in ${currency}, like 1299.00`);
  const choice = <T extends string>(name: string, options: { value: string }[], fallback: T) =>
    read(name, fallback, (v) => options.find((o) => o.value === v)?.value as T | undefined, 'choose one');

  const rateTable = (base: string, currency: string, table: RateTable): RateTable => {
    const type = choice(`${base}/type`, RATE_TYPES, table.type);
    if (type === 'percentage') {
      const was =
        table.type === 'percentage' ? table : { rateBp: Number.NaN, min: Number.NaN, max: Number.NaN };
      return {
        type,
        rateBp: whole(`${base}/rateBp`, was.rateBp),
        min: amount(`${base}/min`, currency, was.min),
        max: amount(`${base}/max`, currency, was.max),
      };
    }
    if (form[`${base}/bands/0/upTo`] === undefined && table.type === 'bands') return table;
    const rows = filledRows(form, `${base}/bands`, ['upTo', 'premium'] as const);
    renames.push(
      rowsRenamed(
        `${base}/bands`,
        rows.map((r) => r.row),
      ),
    );
    return {
      type,
      bands: rows.map(({ row }) => ({
        upTo: amount(`${base}/bands/${row}/upTo`, currency, Number.NaN),
        premium: amount(`${base}/bands/${row}/premium`, currency, Number.NaN),
      })),
    };
  };

  const c = stored.cancellation;
  const product: Product = {
    ...structuredClone(stored),
    cancellation: {
      coolingOffDays: whole('cancellation/coolingOffDays', c.coolingOffDays),
      afterCoolingOff: choice('cancellation/afterCoolingOff', AFTER_COOLING_OFF, c.afterCoolingOff),
      afterPaidClaim: choice('cancellation/afterPaidClaim', AFTER_PAID_CLAIM, c.afterPaidClaim),
    },
    markets: stored.markets.map((m, i) => {
      const at = `markets/${i}`;
      return {
        ...structuredClone(m),
        itemPrice: {
          min: amount(`${at}/itemPrice/min`, m.currency, m.itemPrice.min),
          max: amount(`${at}/itemPrice/max`, m.currency, m.itemPrice.max),
        },
        rates: Object.fromEntries(
          Object.entries(m.rates).map(([term, t]) => [term, rateTable(`${at}/rates/${term}`, m.currency, t)]),
        ),
      };
    }),
  };
  if (problems.length > 0) throw new CoreError('validation_failed', 'some entries are not numbers', problems);
  return { product, formPath: (path) => renames.reduce((p, rename) => rename(p), path) };
}

/**
 * What the edit form shows: the product's values, or what was sent when it is shown again with the
 * problems found, each beside its field and listed at the top.
 */
export function productEditView(product: Product, form: Form | undefined, errors: Record<string, string>) {
  const labels = new Map<string, string>();
  const value = (name: string, stored: string) => (form ? (form[name] ?? stored) : stored);
  const labelled = (name: string, label: string, stored: string, extra: Partial<FieldView> = {}) => {
    labels.set(name, label);
    return field(name, label, value(name, stored), errors, extra);
  };
  const major = (n: number | undefined, currency: string) =>
    n === undefined || !Number.isFinite(n) ? '' : toMajorString(n, currency);
  const c = product.cancellation;

  const view = {
    cancellation: [
      labelled(
        'cancellation/coolingOffDays',
        'Cooling-off, days from binding (full refund)',
        String(c.coolingOffDays),
        {
          inputmode: 'numeric',
        },
      ),
      labelled('cancellation/afterCoolingOff', 'Refund after the cooling-off', c.afterCoolingOff, {
        options: AFTER_COOLING_OFF,
      }),
      labelled('cancellation/afterPaidClaim', 'Refund once a claim was paid', c.afterPaidClaim, {
        options: AFTER_PAID_CLAIM,
      }),
    ],
    markets: product.markets.map((m, i) => {
      const at = `markets/${i}`;
      const cur = m.currency;
      labels.set(`${at}/itemPrice`, `${m.country}: item prices`);
      return {
        legend: `${m.country} (${cur})`,
        itemPrice: {
          id: idOf(`${at}/itemPrice`),
          error: errors[`${at}/itemPrice`],
          fields: [
            labelled(
              `${at}/itemPrice/min`,
              `${m.country}: cheapest item covered (${cur})`,
              major(m.itemPrice.min, cur),
              {
                inputmode: 'decimal',
              },
            ),
            labelled(
              `${at}/itemPrice/max`,
              `${m.country}: dearest item covered (${cur})`,
              major(m.itemPrice.max, cur),
              {
                inputmode: 'decimal',
              },
            ),
          ],
        },
        taxes: m.taxes,
        tables: product.terms.map((term) => {
          const base = `${at}/rates/${term}`;
          const name = `${m.country}, ${term} months`;
          const table = m.rates[String(term)];
          const bands = table?.type === 'bands' ? table.bands : [];
          const pct = table?.type === 'percentage' ? table : undefined;
          let rows = bands.length + SPARE_BANDS;
          while (form?.[`${base}/bands/${rows}/upTo`] !== undefined) rows++;
          labels.set(base, name);
          labels.set(`${base}/bands`, `${name}: bands`);
          return {
            legend: name,
            id: idOf(base),
            error: errors[base] ?? errors[`${base}/bands`],
            type: labelled(`${base}/type`, `${name}: priced by`, table?.type ?? 'bands', {
              options: RATE_TYPES,
            }),
            bands: Array.from({ length: rows }, (_, j) => {
              const band = bands[j];
              return [
                labelled(
                  `${base}/bands/${j}/upTo`,
                  `${name}, band ${j + 1}: items up to (${cur})`,
                  major(band?.upTo, cur),
                  {
                    inputmode: 'decimal',
                    hideLabel: true,
                  },
                ),
                labelled(
                  `${base}/bands/${j}/premium`,
                  `${name}, band ${j + 1}: premium (${cur})`,
                  major(band?.premium, cur),
                  {
                    inputmode: 'decimal',
                    hideLabel: true,
                  },
                ),
              ];
            }),
            currency: cur,
            percentage: [
              labelled(
                `${base}/rateBp`,
                `${name}: rate in basis points (1000 = 10 %)`,
                pct ? String(pct.rateBp) : '',
                {
                  inputmode: 'numeric',
                },
              ),
              labelled(`${base}/min`, `${name}: lowest premium (${cur})`, major(pct?.min, cur), {
                inputmode: 'decimal',
              }),
              labelled(`${base}/max`, `${name}: highest premium (${cur})`, major(pct?.max, cur), {
                inputmode: 'decimal',
              }),
            ],
          };
        }),
      };
    }),
  };
  const problems = Object.entries(errors).map(([path, message]) => ({
    href: path === '_form' ? undefined : `#${idOf(path)}`,
    text: path === '_form' ? message : `${labels.get(path) ?? path}: ${message}`,
  }));
  return { ...view, problems };
}
