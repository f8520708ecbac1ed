import type { FastifyBaseLogger } from 'fastify';
import type { AuditLog } from './audit.log';

/** How often a server prunes the audit trail when `AUDIT_RETENTION_DAYS` is set. */
export const PRUNE_INTERVAL_MS = 60 * 60 * 1000;

/**
 * Applies `AUDIT_RETENTION_DAYS`: prunes once when the server is ready, then
 * hourly. A failure (the database away) is logged and tried again next time.
 */
export class AuditRetention {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly audit: AuditLog,
    private readonly days: number,
    private readonly log: FastifyBaseLogger,
  ) {}

  async start(): Promise<void> {
    await this.runOnce();
    this.timer = setInterval(() => void this.runOnce(), PRUNE_INTERVAL_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Prunes once; returns how many events were deleted (0 after a logged failure). */
  async runOnce(): Promise<number> {
    try {
      const deleted = await this.audit.prune(this.days);
      if (deleted > 0) this.log.info({ deleted, retentionDays: this.days }, 'pruned audit events past their retention (chains keep a checkpoint)');
      return deleted;
    } catch (err) {
      this.log.warn({ err }, 'pruning the audit trail failed; trying again in an hour');
      return 0;
    }
  }
}
