import type { AuditLog } from '../audit/audit.log';
import type { CustomerService } from '../customers/customer.service';
import type { Transactional } from '../db/sql';
import type { Clock } from '../time';
import { DeliveryStore } from '../webhooks/delivery.store';
import { Outbox } from '../webhooks/outbox';
import { SecretBox } from '../webhooks/webhook.crypto';
import { DEFAULT_WEBHOOK_CONFIG } from '../webhooks/webhook.config';
import type { WebhookConfig } from '../webhooks/webhook.config';
import { WebhookMetrics } from '../webhooks/webhook.metrics';
import { WebhookService } from '../webhooks/webhook.service';
import { WebhookWorker } from '../webhooks/worker';
import { ExpiryScanner } from '../webhooks/expiry';
import type { WorkerLog } from '../webhooks/worker';

export interface WebhookParts {
  readonly db: Transactional;
  readonly audit: AuditLog;
  readonly customers: CustomerService;
  readonly clock: Clock;
  readonly config?: WebhookConfig;
}

/** The webhook feature, assembled: the outbox follows the audit trail, so every audited change can become an event. */
export interface Webhooks {
  readonly service: WebhookService;
  readonly outbox: Outbox;
  /** `null` without a secret key (webhooks off). */
  readonly worker: WebhookWorker | null;
  readonly metrics: WebhookMetrics;
  readonly expiry: ExpiryScanner;
  readonly config: WebhookConfig;
  setLogger(log: WorkerLog): void;
  start(): void;
  stop(): Promise<void>;
}

export function createWebhooks(parts: WebhookParts): Webhooks {
  const config = parts.config ?? DEFAULT_WEBHOOK_CONFIG;
  const { db, audit, customers, clock } = parts;
  const box = config.secretKey ? new SecretBox(config.secretKey) : null;
  const reach = { allowHttp: config.allowHttp, allowPrivateNetworks: config.allowPrivateNetworks };
  const outbox = new Outbox(db, clock);
  audit.follow(outbox);
  const deliveries = new DeliveryStore(db);
  const metrics = new WebhookMetrics(() => deliveries.pendingCount());
  const service = new WebhookService({ db, audit, outbox, customers, clock, box, reach });
  let log: WorkerLog | undefined;
  let worker: WebhookWorker | null = null;
  const workerOf = () => {
    if (!box) return null;
    worker ??= new WebhookWorker({
      db, audit, clock, box, reach, metrics, log,
      retrySchedule: config.retrySchedule, timeoutMs: config.timeoutMs, disableAfterHours: config.disableAfterHours,
      concurrency: config.concurrency, endpointConcurrency: config.endpointConcurrency, pollMs: config.pollMs,
    });
    return worker;
  };
  const expiry = new ExpiryScanner({ db, outbox, clock, thresholds: config.expiryReminderDays, intervalSeconds: config.expiryScanSeconds, log: () => log });
  const stopWaking = outbox.onEnqueued(() => worker?.wake());
  return {
    service,
    outbox,
    get worker() {
      return workerOf();
    },
    metrics,
    expiry,
    config,
    setLogger(l) {
      log = l;
    },
    start() {
      // Without a key there is nothing to sign with: no deliveries, no reminders.
      if (!box) return;
      workerOf()?.start();
      expiry.start();
    },
    async stop() {
      stopWaking();
      await expiry.stop();
      await worker?.stop();
    },
  };
}
