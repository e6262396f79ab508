import { CoreError, isCoreError } from '../../core/errors.js';

/**
 * Runs core work and words its refusals in the client's own fields: the core names its inputs
 * (`change_id`), an API names what its client sent (`cancellation_id`).
 */
export async function inClientFields<T>(names: Record<string, string>, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!isCoreError(error)) throw error;
    const fields = error.fields.map((f) => ({ ...f, field: names[f.field] ?? f.field }));
    throw new CoreError(error.code, error.message, fields);
  }
}
