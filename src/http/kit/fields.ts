import { CoreError, isCoreError } from '../../core/errors.js';
import { snakePath } from './case.js';

/**
 * Runs core work and words its refusals in the client's own fields for one route: the core names its
 * inputs by domain path (`changeId`), a route names what its client sent (`cancellation_id`). A name
 * stands for its field and everything under it (`item/price` words `item/price/currency` as
 * `…/monetaryValue/currency`); the longest name that matches wins.
 */
export async function inClientFields<T>(names: Record<string, string>, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!isCoreError(error)) throw error;
    const fields = error.fields.map((f) => ({ ...f, field: clientField(names, f.field) }));
    throw new CoreError(error.code, error.message, fields);
  }
}

function clientField(names: Record<string, string>, field: string): string {
  if (names[field] !== undefined) return names[field];
  let best: string | undefined;
  for (const name of Object.keys(names)) {
    if (field.startsWith(`${name}/`) && (!best || name.length > best.length)) best = name;
  }
  return best === undefined ? field : `${names[best]}${field.slice(best.length)}`;
}

/** `invalid()`'s message leads with the path it is about: `coverageStart: must be within a year`. */
const LEADING_PATH = /^([A-Za-z][A-Za-z0-9_-]*(?:\/[A-Za-z0-9_-]+)*): /;

/**
 * A core error as one API words it: every field's domain path turned into its client's field by
 * `field` (the API's table), and so the path a message leads with. A message naming a path that is
 * none of the error's fields (a field the core renamed on the way) names it in snake_case, as it
 * always did. The one place an error format renames fields.
 */
export function inWireFields(error: CoreError, field: (domainPath: string) => string): CoreError {
  const paths = new Set(error.fields.map((f) => f.field));
  const message = error.message.replace(
    LEADING_PATH,
    (_, path: string) => `${paths.has(path) ? field(path) : snakePath(path)}: `,
  );
  return new CoreError(
    error.code,
    message,
    error.fields.map((f) => ({ ...f, field: field(f.field) })),
  );
}

/** A table of domain path patterns to an API's fields; the first that matches names the field. */
export type FieldTable = readonly (readonly [RegExp, string | ((...groups: string[]) => string)])[];

/** The API's field for a domain path by its table, else `fallback` of the path. */
export function fieldBy(table: FieldTable, fallback: (path: string) => string): (path: string) => string {
  return (path) => {
    for (const [pattern, to] of table) {
      const match = pattern.exec(path);
      if (match) return typeof to === 'string' ? path.replace(pattern, to) : to(...match.slice(1));
    }
    return fallback(path);
  };
}
