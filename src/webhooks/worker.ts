import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import type { AuditLog } from '../audit/audit.log';
import { systemAttribution } from '../audit/audit.types';
import type { Transactional } from '../db/sql';
import type { Clock } from '../time';
import { DeliveryStore } from './delivery.store';
import type { Claimed } from './delivery.store';
import { EndpointStore } from './endpoint.store';
import { send } from './sender';
import type { SendRequest, SendResult } from './sender';
import type { ReachPolicy } from './ssrf';
import { endpointConcurrencyOf } from './webhook.config';
import type { SecretBox } from './webhook.crypto';
import type { WebhookMetrics } from './webhook.metrics';

/** Where the worker says what went wrong (a pino logger fits). */
export interface WorkerLog {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface WorkerDeps {
  readonly db: Transactional;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly box: SecretBox;
  readonly reach: ReachPolicy;
  readonly retrySchedule: readonly number[];
  readonly timeoutMs: number;
  readonly disableAfterHours: number;
  /** Deliveries in flight in this process. */
  readonly concurrency: number;
  /** Deliveries in flight per endpoint in this process; half of `concurrency` (at least 1) when absent. */
  readonly endpointConcurrency?: number | null;
  readonly metrics?: WebhookMetrics;
  readonly log?: WorkerLog;
  /** How often to look for due deliveries when nothing woke the worker (default 1000 ms). */
  readonly pollMs?: number;
  /** The HTTP call (tests may wrap it to observe; the default is node's client in sender.ts). */
  readonly send?: (req: SendRequest, reach: ReachPolicy, timeoutMs: number, signal?: AbortSignal) => Promise<SendResult>;
}

const quiet: WorkerLog = { warn: () => undefined, error: () => undefined };

/**
 * Delivers the outbox. Every replica runs one: rows are claimed with
 * `FOR UPDATE SKIP LOCKED` and a lease (a worker that dies mid-attempt loses its
 * claim when the lease ends, and the delivery is tried again with the same
 * `webhook-id`). The database is used for two short statements per attempt,
 * never during the HTTP call (the embedded database has one connection).
 */
export class WebhookWorker {
  private readonly deliveries: DeliveryStore;
  private readonly endpoints: EndpointStore;
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly perEndpoint = new Map<string, number>();
  private readonly perEndpointMax: number;
  private readonly leaseMs: number;
  private readonly log: WorkerLog;
  private readonly abort = new AbortController();
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private ticking: Promise<void> | null = null;
  private again = false;

  constructor(private readonly deps: WorkerDeps) {
    this.deliveries = new DeliveryStore(deps.db);
    this.endpoints = new EndpointStore(deps.db);
    this.perEndpointMax = endpointConcurrencyOf({ concurrency: deps.concurrency, endpointConcurrency: deps.endpointConcurrency ?? null });
    // Long enough for an attempt (connect + answer) and its recording; a crashed worker's claim ends after it.
    this.leaseMs = 2 * deps.timeoutMs + 5000;
    this.log = deps.log ?? quiet;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  /** Looks for due deliveries soon (this process has just queued one). */
  wake(): void {
    // A little later: the transaction that queued it commits after the outbox write.
    if (this.running) this.schedule(20);
  }

  /** Looks for due deliveries now (another replica's queued delivery has committed: its notification says so). */
  notified(): void {
    if (this.running) this.schedule(0);
  }

  /** Stops claiming, cancels attempts in flight (their leases end and another replica or start retries them) and waits for them. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.abort.abort();
    await this.ticking?.catch(() => undefined);
    await Promise.allSettled([...this.inFlight.values()]);
  }

  /** Waits until nothing is in flight (tests). */
  async idle(): Promise<void> {
    while (this.ticking || this.inFlight.size > 0) {
      await this.ticking?.catch(() => undefined);
      await Promise.allSettled([...this.inFlight.values()]);
    }
  }

  /** One round: claim what is due and there is room for, start each attempt. Returns how many were started. */
  async tick(): Promise<number> {
    if (this.ticking) {
      this.again = true;
      await this.ticking;
      return 0;
    }
    let started = 0;
    this.ticking = (async () => {
      const room = this.deps.concurrency - this.inFlight.size;
      if (room <= 0 || this.abort.signal.aborted) return;
      const busy = [...this.perEndpoint].filter(([, n]) => n >= this.perEndpointMax).map(([id]) => id);
      const now = this.deps.clock.now();
      const leaseToken = randomUUID();
      const claimed = await this.deliveries.claim(now, now.plusSeconds(this.leaseMs / 1000), leaseToken, room, busy);
      const extra: string[] = [];
      for (const c of claimed) {
        const n = this.perEndpoint.get(c.delivery.endpointId) ?? 0;
        if (n >= this.perEndpointMax) {
          extra.push(c.delivery.id);
          continue;
        }
        this.perEndpoint.set(c.delivery.endpointId, n + 1);
        const attempt = this.attempt(c).finally(() => {
          this.inFlight.delete(c.delivery.id);
          const left = (this.perEndpoint.get(c.delivery.endpointId) ?? 1) - 1;
          if (left <= 0) this.perEndpoint.delete(c.delivery.endpointId);
          else this.perEndpoint.set(c.delivery.endpointId, left);
          // Room again: more may be due.
          if (this.running) this.schedule(0);
        });
        this.inFlight.set(c.delivery.id, attempt);
        started++;
      }
      // Over an endpoint's share: given back at once, for this or another replica's next round.
      await this.deliveries.release(extra, leaseToken);
      if (claimed.length === room) this.again = true;
    })();
    try {
      await this.ticking;
    } finally {
      this.ticking = null;
    }
    if (this.again && this.running) {
      this.again = false;
      this.schedule(0);
    }
    return started;
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.tick()
        .catch((err: unknown) => this.log.error({ err }, 'claiming webhook deliveries failed; trying again'))
        .finally(() => {
          if (this.running && this.timer === null) this.schedule(this.deps.pollMs ?? 1000);
        });
    }, delayMs);
    this.timer.unref?.();
  }

  /** The signatures: the current secret's, and the previous one's during its grace period. */
  private sign(c: Claimed, timestamp: Date): string {
    const secrets = [this.deps.box.open(c.secretSealed, c.delivery.endpointId)];
    if (c.previousSecretSealed && c.tmPreviousSecretExpire && this.deps.clock.now().isBefore(c.tmPreviousSecretExpire)) {
      secrets.push(this.deps.box.open(c.previousSecretSealed, c.delivery.endpointId));
    }
    return secrets.map((s) => new Webhook(s).sign(c.delivery.id, timestamp, c.delivery.payload)).join(' ');
  }

  private async attempt(c: Claimed): Promise<void> {
    const { delivery } = c;
    const started = performance.now();
    let result: SendResult;
    try {
      // The wall clock, not the service's: receivers judge a signature's age against theirs (replay protection).
      const timestamp = new Date();
      const headers = {
        'webhook-id': delivery.id,
        'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
        'webhook-signature': this.sign(c, timestamp),
      };
      result = await (this.deps.send ?? send)({ url: c.url, headers, body: delivery.payload }, this.deps.reach, this.deps.timeoutMs, this.abort.signal);
    } catch (err) {
      result = { statusCode: null, error: 'could not sign the delivery', response: null };
      this.log.error({ err, deliveryId: delivery.id }, 'signing a webhook failed');
    }
    // Stopping: the attempt was cut, not failed; the lease ends and the delivery is tried again.
    if (this.abort.signal.aborted && result.statusCode === null) return;
    const seconds = (performance.now() - started) / 1000;
    try {
      await this.record(c, result, seconds);
    } catch (err) {
      this.log.error({ err, deliveryId: delivery.id }, 'recording a webhook attempt failed; it is tried again after its lease');
    }
  }

  private async record(c: Claimed, result: SendResult, seconds: number): Promise<void> {
    const { delivery } = c;
    const ok = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
    const now = this.deps.clock.now();
    const attempts = delivery.attempts + 1;
    const schedule = this.deps.retrySchedule;
    const status = ok ? 'DELIVERED' : attempts > schedule.length ? 'FAILED' : 'PENDING';
    const nextAttempt = status === 'PENDING' ? now.plusSeconds(schedule[attempts - 1]) : now;
    const error = ok ? null : (result.error ?? `answered ${result.statusCode}`);
    if (ok) {
      await this.deliveries.recordDelivered(delivery.id, c.leaseToken, { status, statusCode: result.statusCode, error: null, response: result.response, nextAttempt, now });
      this.deps.metrics?.attempted('delivered', seconds);
      return;
    }
    const streak = await this.deps.db.transaction(async (tx) => {
      const mine = await this.deliveries.record(delivery.id, c.leaseToken, { status, statusCode: result.statusCode, error, response: result.response, nextAttempt, now }, tx);
      if (!mine) return null;
      const failed = await this.endpoints.failed(delivery.endpointId, now, now.plusSeconds(-this.deps.disableAfterHours * 3600), tx);
      if (failed.disabled) {
        await this.deps.audit.record(tx, {
          customerId: delivery.customerId, action: 'webhook.disable', targetId: delivery.endpointId, by: systemAttribution('webhook-worker'),
          before: { disabled: false }, after: { tm_disable: now.toISOString() },
          detail: { reason: `every delivery failed for ${this.deps.disableAfterHours} hours` },
        });
      }
      return failed;
    });
    this.deps.metrics?.attempted(status === 'FAILED' ? 'failed' : 'retry', seconds);
    // One warning per endpoint per failure streak, not per attempt.
    if (streak?.started) this.log.warn({ endpointId: delivery.endpointId, deliveryId: delivery.id, statusCode: result.statusCode, error }, 'webhook endpoint is failing');
    if (streak?.disabled) this.log.warn({ endpointId: delivery.endpointId, hours: this.deps.disableAfterHours }, 'webhook endpoint disabled: every delivery failed');
  }
}
