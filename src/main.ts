import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import { StartError, start } from './app/server';
import type { RunningServer } from './app/server';
import type { Provisioned } from './app/provision';
import { ConfigError, loadConfig } from './config';
import type { Config } from './config';
import { createFilesOwnerOnly } from './db/owner-only';

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

/** The configuration of the environment; exit 2 when it is invalid. */
function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`Configuration error: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
}

/** SIGINT and SIGTERM stop the server once, and exit with its code; a backstop exits if closing the database hangs. */
function installSignals(server: RunningServer, graceMs: number): void {
  const onSignal = (signal: NodeJS.Signals) => {
    // Only if closing the database itself hangs.
    const backstop = setTimeout(() => {
      server.app.log.error('the database did not close in time; exiting anyway');
      process.exit(1);
    }, graceMs + 1000);
    backstop.unref();
    void server.stop(signal).then((code) => process.exit(code));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

async function main(): Promise<void> {
  createFilesOwnerOnly();
  const config = configOrExit();
  let server: RunningServer;
  try {
    server = await start(config);
  } catch (err) {
    if (!(err instanceof StartError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
  lastResortLog = server.app.log;
  installSignals(server, config.shutdownGraceMs);
  if (server.provisioned) announce(server.provisioned, server.address);
}

main().catch((err) => {
  process.stderr.write(`Fatal: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
