/**
 * Keys in the order PostgreSQL's jsonb keeps them: shorter first, then by their bytes. JSON the APIs
 * passed through from storage (a record of refs, a history row's data, a webhook's nested objects) came
 * out in this order; mapped at the edge now, it is put back in it, so answers stay byte for byte.
 */
export function jsonbOrder<T>(value: T): T {
  if (Array.isArray(value)) return value.map(jsonbOrder) as T;
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  const keys = Object.keys(value).sort((a, b) =>
    a.length !== b.length ? a.length - b.length : Buffer.compare(Buffer.from(a), Buffer.from(b)),
  );
  return Object.fromEntries(keys.map((k) => [k, jsonbOrder((value as Record<string, unknown>)[k])])) as T;
}
