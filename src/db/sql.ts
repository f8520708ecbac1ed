import type { Pool, QueryConfig } from 'pg';
import type { DataSource } from 'typeorm';

/** Something that runs one SQL statement: the pool, or a transaction's connection. */
export interface Queryable {
  /**
   * Runs `text` with `values`. `name` makes it a named prepared statement
   * (parsed once per connection) where the connection allows it.
   */
  query<T>(name: string, text: string, values: readonly unknown[]): Promise<T[]>;
}

/** Something that can run several statements as one transaction. */
export interface Transactional extends Queryable {
  /**
   * Runs `work` in one transaction: committed when it resolves, rolled back
   * when it throws. Already inside a transaction, `work` simply joins it.
   */
  transaction<T>(work: (tx: Transactional) => Promise<T>): Promise<T>;
}

/**
 * The hot path's way to the database: straight to `pg`'s pool, without the
 * ORM's query builder or entity hydration. With `namedStatements` each hot
 * query is a named prepared statement, parsed once per connection (turn it
 * off behind PgBouncer in transaction pooling mode, where a statement prepared
 * on one server connection is unknown on the next).
 */
export class Sql implements Transactional {
  private readonly observers = new Set<(err: unknown) => void>();

  constructor(
    private readonly pool: Pool,
    private readonly namedStatements: boolean,
  ) {}

  static of(dataSource: DataSource, namedStatements: boolean): Sql {
    const pool = (dataSource.driver as unknown as { master?: Pool }).master;
    if (!pool) throw new Error('the data source is not initialised');
    return new Sql(pool, namedStatements);
  }

  async query<T>(name: string, text: string, values: readonly unknown[]): Promise<T[]> {
    const config: QueryConfig = { text, values: values as unknown[] };
    if (this.namedStatements) config.name = name;
    try {
      const result = await this.pool.query(config);
      this.notify(null);
      return result.rows as T[];
    } catch (err) {
      // pg-pool discards a connection whose query failed, so a timed-out one is not reused.
      this.notify(err);
      throw err;
    }
  }

  async transaction<T>(work: (tx: Transactional) => Promise<T>): Promise<T> {
    // The checkout is bounded by the pool's connectionTimeoutMillis, each statement by the connection's timeouts.
    const client = await this.pool.connect().catch((err: unknown) => {
      this.notify(err);
      throw err;
    });
    // pg-pool listens for a connection's errors only while it is idle: a checked-out client that
    // loses its connection between two statements would otherwise raise an unhandled 'error' and end
    // the process. Heard here, the loss fails the statement in flight (or the next one, as "not
    // queryable"), and the connection is not handed out again.
    let lost: Error | null = null;
    const onError = (err: Error) => {
      lost ??= err;
    };
    client.on('error', onError);
    const tx: Transactional = {
      query: async <R>(name: string, text: string, values: readonly unknown[]): Promise<R[]> => {
        const config: QueryConfig = { text, values: values as unknown[] };
        if (this.namedStatements) config.name = name;
        return (await client.query(config)).rows as R[];
      },
      // Already in this transaction: the work joins it (a service called by provisioning or an operator command).
      transaction: (inner) => inner(tx),
    };
    let failed = false;
    try {
      await client.query('BEGIN');
      const result = await work(tx);
      await client.query('COMMIT');
      this.notify(null);
      return result;
    } catch (err) {
      failed = true;
      await client.query('ROLLBACK').catch(() => undefined);
      this.notify(err);
      throw err;
    } finally {
      client.off('error', onError);
      // A connection whose transaction failed may be in any state (a timed-out statement): not reused.
      client.release(lost ?? failed);
    }
  }

  /** Hears every statement's outcome (`null` when it succeeded), e.g. for readiness; returns the function that stops. */
  observe(observer: (err: unknown) => void): () => void {
    this.observers.add(observer);
    return () => this.observers.delete(observer);
  }

  private notify(err: unknown): void {
    for (const observer of this.observers) observer(err);
  }
}
