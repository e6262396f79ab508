import { CoreError, isCoreError } from '../../core/errors.js';

/**
 * Runs core work and words its refusals in the client's own fields: the core names its inputs
 * (`change_id`), an API names what its client sent (`cancellation_id`). A name stands for its field and
 * everything under it (`item/price` words `item/price/currency` as `…/monetaryValue/currency`); the
 * longest name that matches wins.
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
