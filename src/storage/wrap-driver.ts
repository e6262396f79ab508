import type { Dialect, Driver } from 'kysely';

/** `dialect` with its driver wrapped: what a dialect wrapper changes is how queries are sent. */
export function wrapDriver(dialect: Dialect, wrap: (driver: Driver) => Driver): Dialect {
  return {
    createDriver: () => wrap(dialect.createDriver()),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createAdapter: () => dialect.createAdapter(),
    createIntrospector: (db) => dialect.createIntrospector(db),
  };
}
