import type { SecretBox } from './secret-box.js';

/**
 * Keys under which the JSON Protego stores (order event payloads, outbox events, policy history) holds
 * a personal id: an SSN or the like. Their values are sealed at rest wherever they sit in the document,
 * so no payload shape has to be known here, and opened again when read.
 */
const PERSONAL_KEYS = new Set(['personal_id', 'personalId', 'SocialSecurityNumber', 'SSN']);

/** A sealed value in a JSON document: `{"$sealed": "v1.…"}` (a JSON value, sealed as its JSON text). */
interface Sealed {
  $sealed: string;
}

const isSealed = (v: unknown): v is Sealed =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as Sealed).$sealed === 'string' &&
  Object.keys(v).length === 1;

function walk(value: unknown, atKey: (key: string, v: unknown) => unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => walk(v, atKey));
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, atKey(k, v)]));
}

export function sealPersonalData<T>(value: T, box: SecretBox): T {
  const atKey = (key: string, v: unknown): unknown =>
    PERSONAL_KEYS.has(key) && v !== null && v !== undefined && !isSealed(v)
      ? { $sealed: box.seal(JSON.stringify(v)) }
      : walk(v, atKey);
  return walk(value, atKey) as T;
}

export function openPersonalData<T>(value: T, box: SecretBox): T {
  const atKey = (_key: string, v: unknown): unknown =>
    isSealed(v) ? JSON.parse(box.open(v.$sealed)) : walk(v, atKey);
  return walk(value, atKey) as T;
}

/** The document with every sealed value sealed again under the current key (see SecretBox.reseal). */
export function resealPersonalData<T>(value: T, box: SecretBox): T {
  const atKey = (_key: string, v: unknown): unknown => {
    if (!isSealed(v)) return walk(v, atKey);
    const again = box.reseal(v.$sealed);
    return again ? { $sealed: again } : v;
  };
  return walk(value, atKey) as T;
}
