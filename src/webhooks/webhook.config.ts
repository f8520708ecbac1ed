/** Webhook settings (read and validated by config.ts). */
export interface WebhookConfig {
  /** `WEBHOOK_SECRET_KEY`, 32 bytes; `null`: generated in DATA_DIR (embedded) or webhooks off (PostgreSQL). */
  readonly secretKey: Uint8Array | null;
  /** `WEBHOOK_RETRY_SCHEDULE`: seconds before each retry; after the last, a delivery is FAILED. */
  readonly retrySchedule: readonly number[];
  /** `WEBHOOK_TIMEOUT_MS`: the bound on connecting, and again on the whole answer. */
  readonly timeoutMs: number;
  /** `WEBHOOK_ALLOW_HTTP`: accept `http:` URLs (development and tests). */
  readonly allowHttp: boolean;
  /** `WEBHOOK_ALLOW_PRIVATE_NETWORKS`: accept loopback, private and link-local addresses (development and tests). */
  readonly allowPrivateNetworks: boolean;
  /** `WEBHOOK_DISABLE_AFTER_HOURS`: an endpoint failing every delivery this long is disabled. */
  readonly disableAfterHours: number;
  /** `WEBHOOK_CONCURRENCY`: deliveries in flight per process. */
  readonly concurrency: number;
  /** `WEBHOOK_ENDPOINT_CONCURRENCY`: deliveries in flight per endpoint in one process (at most `concurrency`); `null`: half of `concurrency`, at least 1. */
  readonly endpointConcurrency: number | null;
  /** `WEBHOOK_POLL_MS`: how often a worker looks for due deliveries when nothing woke it (retries falling due; a missed notification). */
  readonly pollMs: number;
  /** `EXPIRY_REMINDER_DAYS`: the thresholds of `accesskey.expiring`, in days. */
  readonly expiryReminderDays: readonly number[];
  /** `EXPIRY_SCAN_SECONDS`: how often a replica looks for keys to remind about. */
  readonly expiryScanSeconds: number;
}

export const DEFAULT_RETRY_SCHEDULE = [5, 300, 1800, 7200, 18000, 36000, 36000] as const;
export const DEFAULT_REMINDER_DAYS = [7, 1] as const;

/** The defaults of an empty environment (tests and tools that build the app without config). */
export const DEFAULT_WEBHOOK_CONFIG: WebhookConfig = Object.freeze({
  secretKey: null,
  retrySchedule: DEFAULT_RETRY_SCHEDULE,
  timeoutMs: 10000,
  allowHttp: false,
  allowPrivateNetworks: false,
  disableAfterHours: 72,
  concurrency: 8,
  endpointConcurrency: null,
  pollMs: 1000,
  expiryReminderDays: DEFAULT_REMINDER_DAYS,
  expiryScanSeconds: 60,
});

/** Parses a list of whole numbers such as `5,300,1800`; `null` when it is not one. */
export function parseNumberList(raw: string, min: number, max: number): number[] | null {
  const parts = raw.split(',').map((p) => p.trim());
  if (parts.length === 0 || parts.some((p) => !/^\d+$/.test(p) || Number(p) < min || Number(p) > max)) return null;
  return parts.map(Number);
}

/** The per-endpoint bound in one process: `WEBHOOK_ENDPOINT_CONCURRENCY`, else half of `WEBHOOK_CONCURRENCY` (at least 1); never more than the process's. */
export function endpointConcurrencyOf(config: Pick<WebhookConfig, 'concurrency' | 'endpointConcurrency'>): number {
  return Math.min(config.concurrency, config.endpointConcurrency ?? Math.max(1, Math.floor(config.concurrency / 2)));
}
