import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { buildApp } from '../src/app/app';
import { ENTITIES } from '../src/app/entities';
import { loadConfig } from '../src/config';
import { openDatabase } from '../src/db/database';
import { systemClock } from '../src/time';
import { endpointConcurrencyOf } from '../src/webhooks/webhook.config';
import { SecretBox } from '../src/webhooks/webhook.crypto';
import { WebhookWorker } from '../src/webhooks/worker';

/**
 * Webhook figures through the real app and a real receiver on loopback:
 * the time from a committed change (the create call returning) to the
 * receiver's 200, median and p99, one change at a time; then how many events
 * per second one process drains from a backlog. The embedded database in
 * memory, or DATABASE_URL's (its tables are written to, not emptied).
 *   npm run bench:webhooks -- [--changes 200] [--backlog 2000]
 */
function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function main(): Promise<void> {
  const changes = flag('changes', 200);
  const backlog = flag('backlog', 2000);
  const arrived = new Map<string, number>();
  let onArrival: (() => void) | null = null;
  const receiver = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200).end();
      arrived.set(String(req.headers['webhook-id']), performance.now());
      onArrival?.();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`;
  const until = (count: number) => new Promise<void>((resolve) => {
    onArrival = () => arrived.size >= count && resolve();
    onArrival();
  });

  const config = loadConfig();
  const database = await openDatabase(config.database, { entities: ENTITIES, migrate: true, inMemory: config.database.kind === 'embedded' });
  const webhooks = { ...config.webhooks, secretKey: new Uint8Array(randomBytes(32)), allowHttp: true, allowPrivateNetworks: true };
  const { app, services } = await buildApp({ database, playground: false, metricsRoute: 'off', webhooks, webhookWorker: 'manual' });
  await app.ready();
  const customer = await services.customers.create(`bench-webhooks-${Date.now()}`);
  await services.webhooks.service.createForCustomer(customer.id, { url, events: ['accesskey.created'] });
  const worker = services.webhooks.worker!;

  // 1. Latency: one change at a time, the worker running as in production.
  worker.start();
  const latencies: number[] = [];
  for (let i = 0; i < changes; i++) {
    const before = arrived.size;
    await services.accesskeys.createForCustomer(customer.id, { name: `l${i}`, expire: 86400 });
    const committed = performance.now();
    await until(before + 1);
    latencies.push([...arrived.values()].at(-1)! - committed);
  }
  await worker.stop();
  latencies.sort((a, b) => a - b);

  // 2. Throughput: a backlog written with no worker running, then drained by a fresh one.
  for (let i = 0; i < backlog; i++) await services.accesskeys.createForCustomer(customer.id, { name: `b${i}`, expire: 86400 });
  const target = arrived.size + backlog;
  const fresh = new WebhookWorker({
    db: database.sql, audit: services.audit, clock: systemClock, box: new SecretBox(webhooks.secretKey), reach: { allowHttp: true, allowPrivateNetworks: true },
    retrySchedule: webhooks.retrySchedule, timeoutMs: webhooks.timeoutMs, disableAfterHours: webhooks.disableAfterHours, concurrency: webhooks.concurrency,
    endpointConcurrency: webhooks.endpointConcurrency, pollMs: webhooks.pollMs,
  });
  const started = performance.now();
  fresh.start();
  await until(target);
  const seconds = (performance.now() - started) / 1000;
  await fresh.stop();

  const line = `webhooks (${database.kind}): commit → receiver 200 median ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms (${changes} changes); `
    + `one process drains ${(backlog / seconds).toFixed(0)} events/s (${backlog} in ${seconds.toFixed(2)} s, WEBHOOK_CONCURRENCY ${webhooks.concurrency}, ${endpointConcurrencyOf(webhooks)} per endpoint)`;
  process.stdout.write(`${line}\n`);
  await app.close();
  await database.close();
  receiver.close();
}

if (require.main === module) void main();
