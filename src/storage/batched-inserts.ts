import {
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  InsertQueryNode,
  type QueryResult,
  type TransactionSettings,
  UpdateQueryNode,
  ValuesNode,
} from 'kysely';
import { wrapDriver } from './wrap-driver.js';

/**
 * A dialect whose transactions send their plain INSERTs together: a round trip is most of what a
 * statement costs here (a socket write to PostgreSQL, a call into PGlite's WebAssembly), and a bind
 * writes a policy, its event, the events it publishes and their delivery jobs one after the other.
 *
 * Inside a transaction, an INSERT … VALUES with no RETURNING and no ON CONFLICT answers nothing a
 * caller reads but its row count, which is known before it runs. It is held, and the held INSERTs go
 * out as one statement of data-modifying WITH clauses when the transaction next needs the database:
 * joined to the UPDATE that comes next when that UPDATE names none of their tables (an UPDATE could not
 * see rows its own statement inserts), or on their own before any other statement, and at the latest
 * before COMMIT. A refused row (a unique index) fails that statement, so the transaction fails as it
 * would have at the INSERT; nothing is committed that was not sent, and a rollback drops what is held.
 */
export function batchingInserts(dialect: Dialect): Dialect {
  return wrapDriver(dialect, (driver) => new BatchingDriver(driver));
}

/** PostgreSQL takes at most 65,535 parameters in a statement; held INSERTs past this go out alone. */
const MAX_PARAMETERS = 30_000;

interface Held {
  query: CompiledQuery;
  table: string;
}

class BatchingConnection implements DatabaseConnection {
  held: Held[] = [];
  inTransaction = false;

  constructor(readonly own: DatabaseConnection) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    if (!this.inTransaction) return this.own.executeQuery<R>(query);
    const node = query.query;
    const insert = holdable(node);
    if (insert) {
      this.held.push({ query, table: insert.table });
      return { rows: [], numAffectedRows: BigInt(insert.rows) };
    }
    if (this.held.length > 0 && UpdateQueryNode.is(node) && !node.with && this.canJoin(query)) {
      const held = this.take();
      return this.own.executeQuery<R>(together([...held.map((h) => h.query), query]));
    }
    await this.flush();
    return this.own.executeQuery<R>(query);
  }

  async *streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    await this.flush();
    yield* this.own.streamQuery<R>(query, chunkSize);
  }

  async flush(): Promise<void> {
    const held = this.take();
    if (held.length === 0) return;
    let batch: CompiledQuery[] = [];
    let parameters = 0;
    for (const { query } of held) {
      if (batch.length > 0 && parameters + query.parameters.length > MAX_PARAMETERS) {
        await this.own.executeQuery(together(batch));
        batch = [];
        parameters = 0;
      }
      batch.push(query);
      parameters += query.parameters.length;
    }
    await this.own.executeQuery(together(batch));
  }

  take(): Held[] {
    const held = this.held;
    this.held = [];
    return held;
  }

  private canJoin(query: CompiledQuery): boolean {
    const parameters = this.held.reduce((n, h) => n + h.query.parameters.length, query.parameters.length);
    return parameters <= MAX_PARAMETERS && this.held.every((h) => !query.sql.includes(`"${h.table}"`));
  }
}

/**
 * The table and row count of an INSERT that may be held: one that VALUES rows into a table and returns
 * nothing, conflicts with nothing and has no WITH of its own. Undefined for any other statement.
 */
function holdable(node: CompiledQuery['query']): { table: string; rows: number } | undefined {
  if (!InsertQueryNode.is(node)) return undefined;
  if (node.returning || node.onConflict || node.onDuplicateKey || node.with || node.orAction)
    return undefined;
  if (node.ignore || node.replace || node.explain || node.output || node.endModifiers?.length)
    return undefined;
  if (!node.into || !node.values || !ValuesNode.is(node.values)) return undefined;
  return { table: node.into.table.identifier.name, rows: node.values.values.length };
}

/**
 * Statements as one: every one but the last a data-modifying WITH clause, the last the statement whose
 * rows and count are answered. Each statement's $n placeholders are renumbered after the ones before.
 * Kysely writes every value as a placeholder and quotes every name, so `$` followed by digits in a
 * statement it compiled is always a placeholder.
 */
function together(queries: CompiledQuery[]): CompiledQuery {
  if (queries.length === 1) return queries[0]!;
  const parameters: unknown[] = [];
  const renumbered = queries.map((q) => {
    const offset = parameters.length;
    parameters.push(...q.parameters);
    return offset === 0 ? q.sql : q.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`);
  });
  const last = renumbered.pop()!;
  const clauses = renumbered.map((sql, i) => `"held_${i}" AS (${sql})`).join(', ');
  return { ...queries.at(-1)!, sql: `WITH ${clauses} ${last}`, parameters };
}

class BatchingDriver implements Driver {
  readonly #inner: Driver;

  constructor(inner: Driver) {
    this.#inner = inner;
  }

  init(): Promise<void> {
    return this.#inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    return new BatchingConnection(await this.#inner.acquireConnection());
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const c = connection as BatchingConnection;
    await this.#inner.beginTransaction(c.own, settings);
    c.inTransaction = true;
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const c = connection as BatchingConnection;
    await c.flush();
    c.inTransaction = false;
    await this.#inner.commitTransaction(c.own);
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const c = connection as BatchingConnection;
    c.take();
    c.inTransaction = false;
    await this.#inner.rollbackTransaction(c.own);
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.#inner.releaseConnection((connection as BatchingConnection).own);
  }

  destroy(): Promise<void> {
    return this.#inner.destroy();
  }
}
