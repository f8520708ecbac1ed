import type { AuditLog } from '../audit/audit.log';
import type { UseSite } from '../context';
import { noopObserver } from '../observability';
import type { Observer } from '../observability';
import type { Clock } from '../time';

/** A live canary key whose token was just presented. */
export interface CanaryUse {
  readonly accesskeyId: string;
  readonly customerId: string;
  /** The key's `token_hash` and display prefix: the credential the event names (never the token). */
  readonly tokenHash: string;
  readonly tokenPrefix: string;
  /** Presented as a credential, to the verify endpoint by a service, or reported found in public by a secret-scanning partner. */
  readonly via: 'authentication' | 'verification' | 'leak_report';
  /** `null` when not known (a caller outside HTTP). */
  readonly site: UseSite | null;
}

/** Hears each use of a live canary. Never throws, never makes its caller wait. */
export interface CanarySink {
  tripped(use: CanaryUse): void;
}

export const noCanaries: CanarySink = { tripped: () => undefined };

/** The two levels the alarm writes at (the app's pino logger fits). */
export interface CanaryLogger {
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

const silent: CanaryLogger = { warn: () => undefined, error: () => undefined };

/** At most one event (and warning) per canary key per this many milliseconds, per process. */
export const CANARY_EVENT_INTERVAL_MS = 1000;
/** Canary keys remembered for the throttle; beyond it the oldest are forgotten (their count of skipped uses is lost). */
const MAX_REMEMBERED = 10_000;
/** Event writes running at once; a use beyond it is counted as skipped for its key's next event. */
const MAX_IN_FLIGHT = 64;

interface Window {
  /** No event for this key before this time (epoch ms). */
  readonly until: number;
  /** Uses since the last event that wrote none. */
  suppressed: number;
}

export interface CanaryAlarmDeps {
  readonly audit: Pick<AuditLog, 'recordAlone'>;
  readonly clock: Clock;
  readonly observer?: Observer;
}

/**
 * What happens when a live canary key's token is presented: the metric counts
 * every use; an `accesskey.canary_used` audit event in the owner's chain and a
 * warning line are written at most once per key per second per process (a
 * flood must not fill the disk), the next one saying how many uses were
 * `suppressed` meanwhile. The event is written in a transaction of its own
 * that the request does not wait for, so a canary costs the request what an
 * unknown token costs; a failed write is logged.
 */
export class CanaryAlarm implements CanarySink {
  private readonly windows = new Map<string, Window>();
  private readonly inFlight = new Set<Promise<void>>();
  private log: CanaryLogger = silent;

  private readonly audit: Pick<AuditLog, 'recordAlone'>;
  private readonly clock: Clock;
  private readonly observer: Observer;

  constructor(deps: CanaryAlarmDeps) {
    this.audit = deps.audit;
    this.clock = deps.clock;
    this.observer = deps.observer ?? noopObserver;
  }

  /** Where warnings and failed writes are logged (the app's logger); silent until set. */
  setLogger(log: CanaryLogger): void {
    this.log = log;
  }

  tripped(use: CanaryUse): void {
    this.observer.canaryUsed();
    const now = this.clock.now().epochMs;
    const window = this.windows.get(use.accesskeyId);
    if (window && now < window.until) {
      window.suppressed++;
      return;
    }
    const suppressed = window?.suppressed ?? 0;
    // Re-inserted, so the map's order is the order of last events and the oldest go first.
    this.windows.delete(use.accesskeyId);
    if (this.inFlight.size >= MAX_IN_FLIGHT) {
      this.windows.set(use.accesskeyId, { until: now, suppressed: suppressed + 1 });
      return;
    }
    this.windows.set(use.accesskeyId, { until: now + CANARY_EVENT_INTERVAL_MS, suppressed: 0 });
    for (const id of this.windows.keys()) {
      if (this.windows.size <= MAX_REMEMBERED) break;
      this.windows.delete(id);
    }
    this.raise(use, suppressed);
  }

  private raise(use: CanaryUse, suppressed: number): void {
    const site = use.site;
    const route = site?.route ?? null;
    const method = site?.method ?? null;
    this.log.warn(
      {
        reqId: site?.requestId ?? null, accesskeyId: use.accesskeyId, customerId: use.customerId, clientAddress: site?.clientAddress ?? null,
        userAgent: site?.userAgent ?? null, method, route, via: use.via, suppressed,
      },
      'canary access key used',
    );
    const write = this.audit
      .recordAlone({
        customerId: use.customerId,
        action: 'accesskey.canary_used',
        targetId: use.accesskeyId,
        by: {
          actor: { kind: 'accesskey', id: use.accesskeyId, name: use.tokenPrefix, tokenHash: use.tokenHash },
          origin: { requestId: site?.requestId ?? null, clientAddress: site?.clientAddress ?? null, userAgent: site?.userAgent ?? null },
        },
        detail: { via: use.via, method, route, suppressed },
      })
      .then(
        () => undefined,
        (err: unknown) => this.log.error({ err, reqId: site?.requestId ?? null, accesskeyId: use.accesskeyId }, 'recording a canary key use failed'),
      )
      .finally(() => this.inFlight.delete(write));
    this.inFlight.add(write);
  }

  /** Waits for the event writes under way (before the database closes; tests). */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }
}
