/**
 * The core speaks camelCase; the native and admin APIs speak snake_case. These convert a name, or a
 * path of names (`items/0/serialNumber` ⇄ `items/0/serial_number`), at the edge and nowhere else. A name that is
 * not camelCase (a header, `Authorization`, `Idempotency-Key`) is left as it is.
 */
export type SnakeCase<S extends string> = S extends `${infer H}${infer T}`
  ? `${H extends Uppercase<H> ? (H extends Lowercase<H> ? H : `_${Lowercase<H>}`) : H}${SnakeCase<T>}`
  : S;

export const snakeCase = <S extends string>(name: S): SnakeCase<S> =>
  name.replace(/(?<=[a-z0-9])[A-Z]/g, (c) => `_${c.toLowerCase()}`) as SnakeCase<S>;

export const camelCase = (name: string): string =>
  name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

export const snakePath = (path: string): string => path.split('/').map(snakeCase).join('/');
