import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { resolveSessionKey } from '../auth/session-key';
import { resolveWebhookSecretKey } from '../webhooks/secret-key';
import type { Config } from '../config';
import { DatabaseUnreachableError, retryLine, retryWhileUnavailable, startRetry } from '../db/connect';
import type { RetryPolicy } from '../db/connect';
import { openDatabase } from '../db/database';
import type { Database } from '../db/database';
import { DataDirLockedError } from '../db/lock';
import { GracefulClose } from '../http/closing';
import { loggerOptions } from '../http/logging';
import type { Metrics } from '../http/metrics';
import { noSniff } from '../http/security-headers';
import { buildApp } from './app';
import type { Services } from './services';
import { ENTITIES } from './entities';
import { provisionIfEmpty } from './provision';
import type { Provisioned } from './provision';

/** A start that failed: the message is for the operator (stderr), without a stack. */
export class StartError extends Error {}

/** A running server, as `start` returns it. */
export interface RunningServer {
  readonly app: FastifyInstance;
  readonly address: AddressInfo;
  /** What first-start provisioning created (its token to announce once), or `null`. */
  readonly provisioned: Provisioned | null;
  /**
   * Finishes requests in flight within `config.shutdownGraceMs` and closes the
   * database. Resolves to the exit code: 1 when requests had to be cut or
   * closing failed. Called twice, the second call waits for the first.
   */
  stop(signal?: NodeJS.Signals): Promise<number>;
}

/** Where `/metrics` is served, from `METRICS_*`. */
function metricsPlacement(config: Config): { route: 'app' | 'separate' | 'off'; separate: { host: string; port: number } | null } {
  const { metrics } = config;
  const separate = metrics.enabled && metrics.port !== null ? { host: metrics.host, port: metrics.port } : null;
  return { route: !metrics.enabled ? 'off' : separate ? 'separate' : 'app', separate };
}

async function openConfiguredDatabase(config: Config, retry: RetryPolicy | null): Promise<Database> {
  try {
    return await openDatabase(config.database, { entities: ENTITIES, migrate: true, retry });
  } catch (err) {
    const known = err instanceof DataDirLockedError || err instanceof DatabaseUnreachableError;
    throw new StartError(known ? err.message : `Could not open the database: ${(err as Error).message}`);
  }
}

/** With METRICS_PORT, `/metrics` is served apart from the API (e.g. only to the monitoring network), with the reasons credentials were refused. */
function separateMetricsApp(metrics: Metrics): { app: FastifyInstance; shutdown: GracefulClose } {
  const app = Fastify({ logger: false });
  noSniff(app);
  metrics.registerRoute(app, 'private');
  // Its silent or idle connections (a scraper's keep-alive) must not hold a stop either.
  return { app, shutdown: new GracefulClose(app, { refuseLate: false }) };
}

async function provision(database: Database, services: Services, retry: RetryPolicy | null): Promise<Provisioned | null> {
  try {
    return await retryWhileUnavailable(() => provisionIfEmpty({ db: database.sql, customers: services.customers, accesskeys: services.accesskeys, agents: services.agents }), retry);
  } catch (err) {
    throw new StartError(err instanceof DatabaseUnreachableError ? err.message : `Could not provision the database: ${(err as Error).message}`);
  }
}

/**
 * Starts the server of `config`: opens (and migrates) the database, builds the
 * app, provisions an empty database, and listens. Throws `StartError` when a
 * step fails, with everything it opened closed again. Installs no signal
 * handlers and never exits the process: that is main.ts's part.
 */
export async function start(config: Config): Promise<RunningServer> {
  // One budget for the whole start: connecting, migrating and provisioning are retried while the database is unavailable.
  const retry = startRetry(config.database, (notice) => process.stderr.write(retryLine(notice)));
  const database = await openConfiguredDatabase(config, retry);

  const sessionKey = resolveSessionKey(config);
  const webhookKey = resolveWebhookSecretKey(config);
  const placement = metricsPlacement(config);
  const { app, services, metrics, shutdown } = await buildApp({
    database,
    logger: loggerOptions(config.logLevel),
    auth: config.auth,
    authCache: config.authCache,
    maxKeyLifetimeSeconds: config.maxKeyLifetimeSeconds,
    lastUsedFlushSeconds: config.lastUsedFlushSeconds,
    auditRetentionDays: config.auditRetentionDays,
    leakReports: config.leakReports,
    webhooks: { ...config.webhooks, secretKey: webhookKey },
    policy: config.policy,
    sessionKey: sessionKey.key,
    playground: config.playground,
    metricsRoute: placement.route,
    requestTimeoutMs: config.requestTimeoutMs,
    graphql: config.graphql,
    trustProxy: config.trustProxy,
  });
  const metricsServer = placement.separate ? separateMetricsApp(metrics) : null;
  if (webhookKey === null) {
    app.log.warn('WEBHOOK_SECRET_KEY is not set: webhooks are off (every replica on PostgreSQL must share one key; see docs/webhooks.md).');
  }
  if (sessionKey.source === 'ephemeral') {
    app.log.warn('JWT_KEY is not set: session tokens are signed with a key that lives only as long as this process. Set JWT_KEY to keep sessions across restarts and servers.');
  }
  let provisioned: Provisioned | null;
  try {
    provisioned = await provision(database, services, retry);
  } catch (err) {
    await database.close();
    throw err;
  }

  let stopping: Promise<number> | undefined;
  const stop = (signal?: NodeJS.Signals): Promise<number> => {
    stopping ??= (async () => {
      const graceMs = config.shutdownGraceMs;
      // The grace period covers the whole stop: requests get all of it but a slice kept for closing the database.
      const drainMs = graceMs - Math.min(1000, Math.floor(graceMs / 4));
      app.log.info({ signal, graceMs }, 'shutting down: finishing requests in flight');
      let exitCode = 0;
      try {
        const [outcome] = await Promise.all([shutdown.close(drainMs), metricsServer?.shutdown.close(drainMs)]);
        if (outcome.cut > 0) {
          app.log.error({ cut: outcome.cut }, 'grace period over: requests still being handled were cut');
          exitCode = 1;
        }
      } catch (err) {
        app.log.error({ err }, 'closing the server failed');
        exitCode = 1;
      } finally {
        await database.close();
      }
      app.log.info('stopped');
      return exitCode;
    })();
    return stopping;
  };

  try {
    await app.listen({ host: config.host, port: config.port });
    if (metricsServer && placement.separate) {
      await metricsServer.app.listen(placement.separate);
      app.log.info(`metrics at http://${placement.separate.host}:${placement.separate.port}/metrics`);
    }
  } catch (err) {
    await database.close();
    throw new StartError(`Could not listen: ${(err as Error).message}`);
  }
  return { app, address: app.server.address() as AddressInfo, provisioned, stop };
}
