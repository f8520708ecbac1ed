import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import type { FastifyBaseLogger } from 'fastify';
import { buildApp } from './app/app';
import { ENTITIES } from './app/entities';
import { ConfigError, loadConfig } from './config';
import type { Config } from './config';
import { resolveSessionKey } from './auth/session-key';
import { DatabaseUnreachableError, retryLine, retryWhileUnavailable, startRetry } from './db/connect';
import { openDatabase } from './db/database';
import type { Database } from './db/database';
import { DataDirLockedError } from './db/lock';
import { createFilesOwnerOnly } from './db/owner-only';
import { GracefulClose } from './http/closing';
import { loggerOptions } from './http/logging';
import { noSniff } from './http/security-headers';
import { provisionIfEmpty } from './app/provision';
import type { Provisioned } from './app/provision';

function announce(provisioned: Provisioned, address: AddressInfo): void {
  const { customer, created, admin } = provisioned;
  const base = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  const line = '='.repeat(72);
  // Written straight to stdout, never through the logger: log lines must not hold tokens.
  process.stdout.write(
    [
      line,
      `FIRST START: created customer "default", its first access key${admin ? ' and its admin agent' : ''}.`,
      `  customer id : ${customer.id}`,
      `  access key  : ${created.token}`,
      '  This token is shown only this once. Store it now.',
      `  Try it      : curl '${base}/v1.0/accesskeys?accesskey=${created.token}'`,
      ...(admin
        ? [
            '',
            `  Console     : ${base}/console`,
            `  username    : ${admin.username}`,
            `  password    : ${admin.password}`,
            '  This password is shown only this once. Sign in with it to manage your keys in the browser.',
          ]
        : []),
      line,
      '',
    ].join('\n'),
  );
}

/** Where the last resort writes once the app's logger exists. */
let lastResortLog: FastifyBaseLogger | null = null;

/**
 * The last resort for an error nothing handled. It only logs: every error the
 * server expects (a lost database connection included) is handled where it
 * arises. The process state is unknown after such an error, so it still exits 1
 * and lets the supervisor start a fresh one.
 */
function lastResort(kind: 'uncaughtException' | 'unhandledRejection', err: unknown): void {
  if (lastResortLog) lastResortLog.fatal({ err, kind }, 'unhandled error: exiting');
  else process.stderr.write(`Fatal (${kind}): ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
}
process.on('uncaughtException', (err) => lastResort('uncaughtException', err));
process.on('unhandledRejection', (reason) => lastResort('unhandledRejection', reason));

async function main(): Promise<void> {
  createFilesOwnerOnly();
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`Configuration error: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }

  // One budget for the whole start: connecting, migrating and provisioning are retried while the database is unavailable.
  const retry = startRetry(config.database, (notice) => process.stderr.write(retryLine(notice)));
  let database: Database;
  try {
    database = await openDatabase(config.database, { entities: ENTITIES, migrate: true, retry });
  } catch (err) {
    const known = err instanceof DataDirLockedError || err instanceof DatabaseUnreachableError;
    const message = known ? (err).message : `Could not open the database: ${(err as Error).message}`;
    process.stderr.write(`${message}\n`);
    process.exit(1);
  }

  const sessionKey = resolveSessionKey(config);
  const { metrics: metricsConfig } = config;
  const separateMetrics = metricsConfig.enabled && metricsConfig.port !== null ? { host: metricsConfig.host, port: metricsConfig.port } : null;
  const metricsRoute = !metricsConfig.enabled ? 'off' : separateMetrics ? 'separate' : 'app';
  const { app, services, metrics, shutdown } = await buildApp({
    database,
    logger: loggerOptions(config.logLevel),
    auth: config.auth,
    authCache: config.authCache,
    maxKeyLifetimeSeconds: config.maxKeyLifetimeSeconds,
    lastUsedFlushSeconds: config.lastUsedFlushSeconds,
    auditRetentionDays: config.auditRetentionDays,
    leakReports: config.leakReports,
    sessionKey: sessionKey.key,
    playground: config.playground,
    metricsRoute,
    requestTimeoutMs: config.requestTimeoutMs,
    graphql: config.graphql,
  });
  lastResortLog = app.log;
  // With METRICS_PORT, /metrics is served apart from the API (e.g. only to the monitoring network),
  // with the reasons credentials were refused.
  const metricsApp = separateMetrics ? Fastify({ logger: false }) : null;
  // Its silent or idle connections (a scraper's keep-alive) must not hold a stop either.
  const metricsShutdown = metricsApp ? new GracefulClose(metricsApp, { refuseLate: false }) : null;
  if (metricsApp) {
    noSniff(metricsApp);
    metrics.registerRoute(metricsApp, 'private');
  }
  if (sessionKey.source === 'ephemeral') {
    app.log.warn('JWT_KEY is not set: session tokens are signed with a key that lives only as long as this process. Set JWT_KEY to keep sessions across restarts and servers.');
  }
  let provisioned: Provisioned | null;
  try {
    provisioned = await retryWhileUnavailable(() => provisionIfEmpty(database.dataSource, services.customers, services.accesskeys, services.agents), retry);
  } catch (err) {
    process.stderr.write(`${err instanceof DatabaseUnreachableError ? err.message : `Could not provision the database: ${(err as Error).message}`}\n`);
    await database.close();
    process.exit(1);
  }

  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    const graceMs = config.shutdownGraceMs;
    // The grace period covers the whole stop: requests get all of it but a slice kept for closing the database.
    const drainMs = graceMs - Math.min(1000, Math.floor(graceMs / 4));
    app.log.info({ signal, graceMs }, 'shutting down: finishing requests in flight');
    // Only if closing the database itself hangs.
    const backstop = setTimeout(() => {
      app.log.error('the database did not close in time; exiting anyway');
      process.exit(1);
    }, graceMs + 1000);
    backstop.unref();
    let exitCode = 0;
    try {
      const [outcome] = await Promise.all([shutdown.close(drainMs), metricsShutdown?.close(drainMs)]);
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
    process.exit(exitCode);
  };
  process.on('SIGINT', (signal) => void stop(signal));
  process.on('SIGTERM', (signal) => void stop(signal));

  try {
    await app.listen({ host: config.host, port: config.port });
    if (metricsApp && separateMetrics) {
      await metricsApp.listen(separateMetrics);
      app.log.info(`metrics at http://${separateMetrics.host}:${separateMetrics.port}/metrics`);
    }
  } catch (err) {
    process.stderr.write(`Could not listen: ${(err as Error).message}\n`);
    await database.close();
    process.exit(1);
  }
  if (provisioned) announce(provisioned, app.server.address() as AddressInfo);
}

main().catch((err) => {
  process.stderr.write(`Fatal: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
