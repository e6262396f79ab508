import { createHash, randomUUID } from 'node:crypto';
import { CoreError, isCoreError, renameFields } from '../../core/errors.js';
import type { IdempotencyScope } from '../../core/idempotency.js';

/** A posted form, by field name. The console's forms name their fields by the core's field paths. */
export type Form = Record<string, string | undefined>;

/** One labelled field with its error beside it, as views/field.eta draws it. */
export interface FieldView {
  name: string;
  id: string;
  label: string;
  value: string;
  error?: string;
  options?: { value: string; label: string }[];
  inputmode?: 'decimal' | 'numeric';
  /** The label is read out but not shown: a column header says it. */
  hideLabel?: boolean;
}

/** The field named by a core path: the id is the path with dashes, which needs no escaping in a selector. */
export function field(
  name: string,
  label: string,
  value: string,
  errors: Record<string, string>,
  extra: Partial<FieldView> = {},
): FieldView {
  return {
    name,
    id: idOf(name),
    label,
    value,
    ...(errors[name] ? { error: errors[name] } : {}),
    ...extra,
  };
}

export const idOf = (path: string) => path.replaceAll('/', '-');

/**
 * The rows of a repeated group (`markets/0/country`, `markets/1/country`…) that have anything filled in,
 * with the row each came from: blank rows are spare ones, left for adding.
 */
export function filledRows<K extends string>(
  form: Form,
  prefix: string,
  names: readonly K[],
): { row: number; values: Record<K, string> }[] {
  const out: { row: number; values: Record<K, string> }[] = [];
  for (let row = 0; names.some((n) => form[`${prefix}/${row}/${n}`] !== undefined); row++) {
    const values = Object.fromEntries(
      names.map((n) => [n, (form[`${prefix}/${row}/${n}`] ?? '').trim()]),
    ) as Record<K, string>;
    if (Object.values<string>(values).some((v) => v !== '')) out.push({ row, values });
  }
  return out;
}

/**
 * The core's refusal with its field paths renamed, for a group whose blank rows were dropped: the core
 * counts the rows it was given, the form counts the rows it showed.
 */
export function renamed(error: unknown, rename: (path: string) => string): unknown {
  return isCoreError(error) ? renameFields(error, rename) : error;
}

/** A renaming for one group: `${prefix}/${i}/…` becomes `${prefix}/${rows[i]}/…`. */
export function rowsRenamed(prefix: string, rows: readonly number[]) {
  const at = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/(\\d+)(?=/|$)`);
  return (path: string) => path.replace(at, (_whole, i: string) => `${prefix}/${rows[Number(i)] ?? i}`);
}

/** A new form's own id: sent twice, the form makes one thing (see `once`). */
export const newFormId = (): string => randomUUID();

/**
 * The key a form that creates something is written under (web/kit/write.ts `writeOnce`): its own id, in
 * the console's scope. Without an id (a hand-made request) the write simply runs.
 */
export function once(form: Form, what: string): { scope: IdempotencyScope; hash: string } | undefined {
  const id = form.form_id ?? '';
  if (!/^[\w-]{8,64}$/.test(id)) return undefined;
  // The CSRF token is not content: the same form sent again carries the same one anyway.
  const content = Object.entries(form).filter(([k]) => k !== '_csrf');
  const hash = createHash('sha256').update(JSON.stringify(content.sort())).digest('hex');
  return { scope: { partnerId: 'console', mode: 'live', key: `${what}:${id}` }, hash };
}

/** What a form sent again with other content, or while the first is still being written, gets. */
export const sentTwice = () =>
  new CoreError('idempotency_key_reused', 'This form was sent already. Reload the page to send a new one.');
