import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { buildApp } from './app';
import { ConfigError, loadConfig } from './config';
import type { Config } from './config';
import { resolveSessionKey } from './auth/session-key';
import { openDatabase } from './db/database';
import type { Database } from './db/database';
import { DataDirLockedError } from './db/lock';
import { loggerOptions } from './http/logging';
import { provisionIfEmpty } from './provision';
import type { Provisioned } from './provision';

function announce(provisioned: Provisioned, address: AddressInfo): void {
  const { customer, created } = provisioned;
  const base = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  const line = '='.repeat(72);
  // Written straight to stdout, never through the logger: log lines must not hold tokens.
  process.stdout.write(
    [
      line,
      'FIRST START: created customer "default" and its first access key.',
      `  customer id : ${customer.id}`,
      `  access key  : ${created.token}`,
      '  This token is shown only this once. Store it now.',
      `  Try it      : curl '${base}/v1.0/accesskeys?accesskey=${created.token}'`,
      line,
      '',
    ].join('\n'),
  );
}

async function main(): Promise<void> {
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

  let database: Database;
  try {
    database = await openDatabase(config.database, { migrate: true });
  } catch (err) {
    const message = err instanceof DataDirLockedError ? err.message : `Could not open the database: ${(err as Error).message}`;
    process.stderr.write(`${message}\n`);
    process.exit(1);
  }

  const sessionKey = resolveSessionKey(config);
  const { metrics: metricsConfig } = config;
  const separateMetrics = metricsConfig.enabled && metricsConfig.port !== null ? { host: metricsConfig.host, port: metricsConfig.port } : null;
  const metricsRoute = !metricsConfig.enabled ? 'off' : separateMetrics ? 'separate' : 'app';
  const { app, services, metrics } = await buildApp({
    database,
    logger: loggerOptions(config.logLevel),
    auth: config.auth,
    sessionKey: sessionKey.key,
    playground: config.playground,
    metricsRoute,
    graphql: config.graphql,
  });
  // With METRICS_PORT, /metrics is served apart from the API (e.g. only to the monitoring network).
  const metricsApp = separateMetrics ? Fastify({ logger: false }) : null;
  if (metricsApp) metrics.registerRoute(metricsApp);
  if (sessionKey.source === 'ephemeral') {
    app.log.warn('JWT_KEY is not set: session tokens are signed with a key that lives only as long as this process. Set JWT_KEY to keep sessions across restarts and servers.');
  }
  const provisioned = await provisionIfEmpty(database.dataSource, services.customers, services.accesskeys);

  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down: finishing requests in flight');
    const timer = setTimeout(() => {
      app.log.error('grace period over; closing the database anyway');
      void database.close().finally(() => process.exit(1));
    }, config.shutdownGraceMs);
    timer.unref();
    try {
      await Promise.all([app.close(), metricsApp?.close()]);
    } finally {
      await database.close();
      clearTimeout(timer);
      app.log.info('stopped');
    }
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

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
