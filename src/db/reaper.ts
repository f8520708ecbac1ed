import type { PoolClient } from 'pg';
import type { DataSource } from 'typeorm';

/**
 * pg's client-side `query_timeout` rejects the query but leaves the connection
 * waiting for an answer that may never come (a partition), and TypeORM would
 * hand it back to the pool, where every later query on it would wait too. A
 * connection whose query timed out on the client is ended instead, so the pool
 * drops it and opens a fresh one.
 */
export function reapTimedOutConnections(dataSource: DataSource): void {
  dataSource.subscribers.push({
    afterQuery(event) {
      if (event.success || !(event.error instanceof Error) || event.error.message !== 'Query read timeout') return;
      const client = (event.queryRunner as { databaseConnection?: PoolClient & { connection?: { stream?: { destroy(): void } } } }).databaseConnection;
      if (!client) return;
      // end() marks the client as ending (so the pool removes it on release); destroy() does not wait for a dead peer.
      client.end().catch(() => undefined);
      client.connection?.stream?.destroy();
    },
  });
}
