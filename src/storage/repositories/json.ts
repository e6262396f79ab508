/** JSON columns hold dates as ISO strings; these named fields come back as Dates. */
export function reviveDates<T extends object>(value: T, fields: string[]): T {
  const copy = { ...value } as Record<string, unknown>;
  for (const field of fields) {
    const v = copy[field];
    if (typeof v === 'string') copy[field] = new Date(v);
  }
  return copy as T;
}
