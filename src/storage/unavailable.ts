import type { DatabaseConnection, Dialect, Driver, QueryResult, TransactionSettings } from 'kysely';
import { Unavailable } from '../core/errors.js';
import { wrapDriver } from './wrap-driver.js';

/**
 * PostgreSQL errors that mean the server cannot be reached or is going away, not that a query was
 * wrong: connection refused or reset, the server shutting down or starting (SQLSTATE class 57P), a
 * connection failure (class 08), too many connections. Seen by node-postgres as a socket `code`, a
 * SQLSTATE `code`, or a message of its own when the socket closes under it.
 */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  '53300',
]);
const CONNECTION_MESSAGES = /Connection terminated|connection error|timeout exceeded when trying to connect/i;

function isConnectionFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = String((error as { code?: unknown }).code ?? '');
  return CONNECTION_CODES.has(code) || /^(08|57P)/.test(code) || CONNECTION_MESSAGES.test(error.message);
}

async function unavailableOnFailure<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw isConnectionFailure(error) ? new Unavailable(error) : error;
  }
}

/**
 * A dialect whose driver reports an unreachable database as the core's `Unavailable`, so every API
 * answers it as a 503 to retry, and tells it apart from a failure that is ours.
 */
export function reportingUnavailable(dialect: Dialect): Dialect {
  return wrapDriver(dialect, (driver) => new ReportingDriver(driver));
}

class ReportingDriver implements Driver {
  readonly #inner: Driver;
  /** The driver's own connection behind each one handed out: it releases only its own. */
  readonly #own = new WeakMap<DatabaseConnection, DatabaseConnection>();

  constructor(inner: Driver) {
    this.#inner = inner;
  }

  init(): Promise<void> {
    return unavailableOnFailure(() => this.#inner.init());
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const own = await unavailableOnFailure(() => this.#inner.acquireConnection());
    const reporting: DatabaseConnection = {
      executeQuery: <R>(query: Parameters<DatabaseConnection['executeQuery']>[0]): Promise<QueryResult<R>> =>
        unavailableOnFailure(() => own.executeQuery<R>(query)),
      streamQuery: (query, chunkSize) => own.streamQuery(query, chunkSize),
    };
    this.#own.set(reporting, own);
    return reporting;
  }

  // The driver begins, commits and rolls back through the connection's executeQuery: reported too.
  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.#inner.beginTransaction(connection, settings);
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#inner.commitTransaction(connection);
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#inner.rollbackTransaction(connection);
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.#inner.releaseConnection(this.#own.get(connection) ?? connection);
  }

  destroy(): Promise<void> {
    return this.#inner.destroy();
  }
}
