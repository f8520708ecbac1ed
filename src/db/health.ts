import type { FastifyBaseLogger } from 'fastify';
import type { EntitySubscriberInterface } from 'typeorm';
import type { Clock } from '../time';
import type { Database } from './database';
import { describeDriverError, isUnavailable } from './errors';

/** After the API's last unavailable answer, how long `/readyz` says not-ready unless a query gets through meanwhile. */
export const FAILING_WINDOW_MS = 5000;
/** At most one warning per this interval, however many requests fail (and outages flap); the others are counted. */
export const WARN_INTERVAL_MS = 10000;
/** Clients waiting for a connection while none was handed out for this long: the pool is exhausted. */
export const POOL_STALL_MS = 1000;

export type HealthProblem = 'QUERIES_FAILING' | 'POOL_EXHAUSTED';

/**
 * The API's own view of its database: whether its recent queries got answers,
 * and whether its pool still hands out connections. Feeds `/readyz`, and keeps
 * an outage to a few log lines however many requests fail.
 */
export class DatabaseHealth {
  private failing = false;
  private lastFailureAt = 0;
  private lastWarnAt: number | null = null;
  private suppressed = 0;
  /** A warning went out since the last "answering again": that line is worth writing. */
  private warned = false;
  private lastCheckoutAt: number;

  constructor(
    private readonly database: Database,
    private readonly log: FastifyBaseLogger,
    private readonly clock: Clock,
  ) {
    this.lastCheckoutAt = this.now();
  }

  private now(): number {
    return this.clock.now().epochMs;
  }

  /** Starts listening to query outcomes and pool checkouts; returns the function that stops. */
  watch(): () => void {
    const subscriber: EntitySubscriberInterface = {
      // A query the database answered, even with an error of its own, shows it is reachable.
      afterQuery: (event) => {
        if (event.success || !isUnavailable(event.error)) this.answered();
      },
    };
    const { subscribers } = this.database.dataSource;
    subscribers.push(subscriber);
    // The hot path's statements go to the pool without the ORM (db/sql.ts).
    const stopSql = this.database.sql.observe((err) => {
      if (err === null || !isUnavailable(err)) this.answered();
    });
    const pool = this.database.pool();
    const onAcquire = () => {
      this.lastCheckoutAt = this.now();
    };
    pool?.on('acquire', onAcquire);
    return () => {
      const i = subscribers.indexOf(subscriber);
      if (i !== -1) subscribers.splice(i, 1);
      pool?.off('acquire', onAcquire);
      stopSql();
    };
  }

  /**
   * Records a request that could not be served because the database did not
   * answer in time. Logs a warning, without a stack, for the first failure and
   * then at most once per `WARN_INTERVAL_MS` with the count of those not logged.
   */
  unavailable(err: unknown, requestId: string): void {
    const now = this.now();
    this.failing = true;
    this.lastFailureAt = now;
    if (this.lastWarnAt !== null && now - this.lastWarnAt < WARN_INTERVAL_MS) {
      this.suppressed++;
      return;
    }
    this.log.warn({ reqId: requestId, error: describeDriverError(err), notLoggedFailures: this.suppressed }, 'database unavailable: answering 503 UNAVAILABLE');
    this.lastWarnAt = now;
    this.suppressed = 0;
    this.warned = true;
  }

  /** Records that the database answered a query. */
  answered(): void {
    if (!this.failing) return;
    this.failing = false;
    if (!this.warned) return;
    this.warned = false;
    this.log.info({ notLoggedFailures: this.suppressed }, 'database answering again');
    this.suppressed = 0;
  }

  /** Why the server cannot serve right now, or `null` as far as the API's own traffic can tell. */
  problem(): HealthProblem | null {
    const now = this.now();
    if (this.failing && now - this.lastFailureAt < FAILING_WINDOW_MS) return 'QUERIES_FAILING';
    const pool = this.database.pool();
    if (pool && pool.waitingCount > 0 && now - this.lastCheckoutAt >= POOL_STALL_MS) return 'POOL_EXHAUSTED';
    return null;
  }
}
