import type { Product } from './product.js';

/**
 * Who changed a product. A console user is named by its id and e-mail address; the admin API knows no
 * person (its token is shared), so it is named as itself.
 */
export interface ProductActor {
  /** The console user's id; null for the admin API and the demo loader. */
  userId: string | null;
  /** What the history shows: the console user's e-mail address, or `admin api`. */
  name: string;
}

export const ADMIN_API: ProductActor = { userId: null, name: 'admin api' };

/** One change to the catalog, kept for good: what a product was before (null: it was created) and after. */
export interface ProductChange {
  id: string;
  productCode: string;
  at: Date;
  actor: ProductActor;
  before: Product | null;
  after: Product;
}

/** How deep the paths go: `markets/SE/rates/12` names a whole rate table rather than each band in it. */
const DEPTH = 4;

/**
 * The fields that differ between two versions of a product, as paths (`cancellation/coolingOffDays`,
 * `markets/SE/rates/12`). Markets are named by country, so removing one does not read as every later one
 * changing.
 */
export function changedFields(before: Product, after: Product): string[] {
  const out: string[] = [];
  diff(byCountry(before), byCountry(after), '', DEPTH, out);
  return out;
}

function byCountry(p: Product): Record<string, unknown> {
  return { ...p, markets: Object.fromEntries(p.markets.map((m) => [m.country, m])) };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function diff(a: unknown, b: unknown, path: string, depth: number, out: string[]): void {
  if (canonical(a) === canonical(b)) return;
  if (depth > 0 && isRecord(a) && isRecord(b)) {
    for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort())
      diff(a[key], b[key], path ? `${path}/${key}` : key, depth - 1, out);
    return;
  }
  out.push(path);
}

/** JSON with sorted keys: a product read back from jsonb has its keys in another order than it was written. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (isRecord(v))
    return `{${Object.keys(v)
      .filter((k) => v[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
      .join(',')}}`;
  return JSON.stringify(v) ?? 'undefined';
}
