import type { RateLimitConfig } from './rate-limiter';

/** Usage policy settings (see docs/configuration.md). */
export interface PolicyConfig {
  readonly rateLimit: RateLimitConfig;
  /** `USAGE_FLUSH_SECONDS`: how often usage counts are written. */
  readonly usageFlushSeconds: number;
  /** `USAGE_RETENTION_DAYS`: how long hourly usage counts are kept. */
  readonly usageRetentionDays: number;
}
