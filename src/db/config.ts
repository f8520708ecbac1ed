/** What the database layer is configured with (read and validated by src/config.ts). */

/** Upper bounds on every wait for the database; running out of one is `UNAVAILABLE`. */
export interface DatabaseBounds {
  /** Longest a statement may run, lock waits included. */
  readonly statementTimeoutMs: number;
  /** Longest a request waits for a pooled connection, opening a new one included. */
  readonly acquireTimeoutMs: number;
}

export type DatabaseConfig =
  | {
      readonly kind: 'embedded';
      readonly dataDir: string;
      readonly bounds: DatabaseBounds;
      /** Where ready, migrated clusters for a new `dataDir` are kept (db/template.ts); `null` or absent: initdb every time. */
      readonly templateDir?: string | null;
    }
  | {
      readonly kind: 'postgres';
      readonly url: string;
      readonly poolMax: number;
      readonly bounds: DatabaseBounds;
      /** How long a start keeps retrying an unreachable database before giving up. */
      readonly connectRetrySeconds: number;
      /** Where the invalidation listener connects (`DATABASE_LISTEN_URL`, default `url`): a direct connection when `url` goes through PgBouncer. */
      readonly listenUrl: string;
      /** Hot queries as named prepared statements; off behind PgBouncer in transaction pooling mode. */
      readonly namedStatements: boolean;
    };
