import type { Transactional } from '../db/sql';
import type { Clock } from '../time';
import type { Outbox } from './outbox';
import { ReminderStore } from './reminder.store';
import type { WorkerLog } from './worker';

export interface ExpiryScannerDeps {
  readonly db: Transactional;
  readonly outbox: Outbox;
  readonly clock: Clock;
  /** `EXPIRY_REMINDER_DAYS`. */
  readonly thresholds: readonly number[];
  /** `EXPIRY_SCAN_SECONDS`. */
  readonly intervalSeconds: number;
  readonly log?: () => WorkerLog | undefined;
}

/** Reminders claimed and queued per transaction (a large first scan takes several). */
const BATCH = 200;

/**
 * Queues `accesskey.expiring` for keys about to expire, once per threshold.
 * Every replica runs one; an advisory lock lets one scan at a time, and each
 * reminder is claimed by a row in the same transaction as its outbox rows.
 */
export class ExpiryScanner {
  private readonly store = new ReminderStore();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;

  constructor(private readonly deps: ExpiryScannerDeps) {}

  start(): void {
    if (this.timer) return;
    const run = () => {
      this.running ??= this.scan()
        .catch((err: unknown) => {
          this.deps.log?.()?.warn({ err }, 'scanning for expiring keys failed; trying again at the next scan');
          return 0;
        })
        .finally(() => (this.running = null));
    };
    this.timer = setInterval(run, this.deps.intervalSeconds * 1000);
    this.timer.unref();
    run();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One scan; returns how many reminders it queued (0 when another replica holds the scan). */
  async scan(): Promise<number> {
    let total = 0;
    for (;;) {
      const queued = await this.deps.db.transaction(async (tx) => {
        if (!(await this.store.lockScan(tx))) return -1;
        const due = await this.store.claimDue(tx, this.deps.clock.now(), this.deps.thresholds, BATCH);
        for (const r of due) {
          await this.deps.outbox.enqueue(tx, r.customerId, 'accesskey.expiring', {
            customer_id: r.customerId, accesskey_id: r.accesskeyId, name: r.name, token_prefix: r.tokenPrefix,
            tm_expire: r.tmExpire.toISOString(), days_left: r.days,
          });
        }
        return due.length;
      });
      if (queued <= 0) return total;
      total += queued;
      if (queued < BATCH) return total;
    }
  }
}
