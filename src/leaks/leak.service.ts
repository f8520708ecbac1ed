import { noCanaries } from '../auth/canary';
import type { CanarySink } from '../auth/canary';
import type { AuditLog } from '../audit/audit.log';
import type { UseSite } from '../context';
import { systemAttribution } from '../audit/audit.types';
import type { AuditJson, AuditOrigin } from '../audit/audit.types';
import type { Transactional } from '../db/sql';
import { noopObserver } from '../observability';
import type { Observer } from '../observability';
import type { Clock, Instant } from '../time';
import type { Accesskey } from '../keys/accesskey.entity';
import { keyState } from '../keys/accesskey.store';
import type { AccesskeyStore } from '../keys/accesskey.store';
import type { KeyChanges } from '../keys/key-changes';
import type { LeakPolicy } from '../keys/leak-policy';
import type { LeakReceiptStore } from './leak.receipts';
import type { LeakReportEntry } from './leak.report';
import { hashToken, isWellFormedToken, withoutSecretTokenScheme } from '../keys/token';

/** How long after its expiry a reported key still counts as ours (a true positive): 30 days. */
export const LEAK_EXPIRED_WINDOW_SECONDS = 30 * 86400;

export type LeakLabel = 'true_positive' | 'false_positive';

/** The answer for one reported match. */
export interface LeakVerdict {
  /** SHA-256 hex of the token exactly as reported. */
  readonly tokenHash: string;
  readonly tokenType: string;
  readonly label: LeakLabel;
  /** The key the token belongs to (true positives only); for the server's log, never for the reporter. */
  readonly accesskeyId: string | null;
  /** This very report had already been acted on for the key (a replay, or a retry): nothing was done again. */
  readonly repeated: boolean;
}

/** A signed report as it arrived. */
export interface ReceivedReport {
  /** SHA-256 hex of the signed body: what makes a report the same report. */
  readonly digest: string;
  readonly origin: Partial<AuditOrigin>;
  /** Where it arrived, for a reported canary's alarm. */
  readonly site: UseSite | null;
}

/** What applying a report to one key came to. */
type Applied = { readonly keyId: string; readonly repeated: boolean } | null;

/**
 * A reported key counts as ours while it is not deleted and not expired for
 * longer than the window (a disabled key counts: it could be enabled again).
 */
const isOurs = (key: Accesskey, now: Instant): boolean => key.tmDelete === null && now.isBefore(key.tmExpire.plusSeconds(LEAK_EXPIRED_WINDOW_SECONDS));

export interface LeakServiceDeps {
  readonly db: Transactional;
  readonly keys: AccesskeyStore;
  readonly receipts: LeakReceiptStore;
  readonly audit: AuditLog;
  readonly clock: Clock;
  /** Told the moment a key stops here (other replicas hear it from the database). */
  readonly changes: KeyChanges;
  readonly policy: LeakPolicy;
  readonly observer?: Observer;
  /** Hears a live canary's token reported (never awaited). */
  readonly canaries?: CanarySink;
}

/**
 * Leak reports from secret-scanning partners (`POST /v1.0/accesskeys/leaks`):
 * labels each reported token and applies the policy to the keys of ours, each
 * key's change written in one transaction with its `accesskey.leak_reported` event.
 * A report already acted on for a key (the same signed body, within a week) is
 * answered alike and changes nothing. A canary is never disabled or deleted by a
 * report: the report is recorded and the canary's alarm raised, and it stays armed.
 */
export class LeakService {
  private readonly db: Transactional;
  private readonly store: AccesskeyStore;
  private readonly receipts: LeakReceiptStore;
  private readonly audit: AuditLog;
  private readonly clock: Clock;
  private readonly changes: KeyChanges;
  private readonly policy: LeakPolicy;
  private readonly observer: Observer;
  private readonly canaries: CanarySink;

  constructor(deps: LeakServiceDeps) {
    this.db = deps.db;
    this.store = deps.keys;
    this.receipts = deps.receipts;
    this.audit = deps.audit;
    this.clock = deps.clock;
    this.changes = deps.changes;
    this.policy = deps.policy;
    this.observer = deps.observer ?? noopObserver;
    this.canaries = deps.canaries ?? noCanaries;
  }

  /**
   * Answers every match in order. A well-formed token of a key that is ours
   * is a true positive and gets the policy (once per key, however often the
   * report names it); anything else is a false positive and changes nothing.
   */
  async report(entries: readonly LeakReportEntry[], received: ReceivedReport): Promise<LeakVerdict[]> {
    const ourHashes = entries.map((e) => {
      const token = withoutSecretTokenScheme(e.token);
      return isWellFormedToken(token) ? hashToken(token) : null;
    });
    const known = await this.store.findByTokenHashes([...new Set(ourHashes.filter((h): h is string => h !== null))]);
    const byHash = new Map(known.map((k) => [k.tokenHash, k]));
    const done = new Map<string, Applied>();
    const verdicts: LeakVerdict[] = [];
    for (const [i, entry] of entries.entries()) {
      const hash = ourHashes[i];
      const key = hash === null ? undefined : byHash.get(hash);
      let applied: Applied = null;
      if (hash !== null && key) {
        if (!done.has(hash)) done.set(hash, isOurs(key, this.clock.now()) ? await this.apply(key, entry, received) : null);
        applied = done.get(hash)!;
      }
      verdicts.push({
        tokenHash: hashToken(entry.token),
        tokenType: entry.type,
        label: applied ? 'true_positive' : 'false_positive',
        accesskeyId: applied?.keyId ?? null,
        repeated: applied?.repeated ?? false,
      });
    }
    return verdicts;
  }

  /**
   * Records the report on the key and applies the policy (to a canary: none); `null` if the key
   * was deleted meanwhile. A report already acted on for this key changes nothing.
   */
  private async apply(key: Accesskey, entry: LeakReportEntry, { digest, origin, site }: ReceivedReport): Promise<Applied> {
    const at = this.clock.now();
    // A canary stays armed: disabling or deleting it would silence the alarm it exists for.
    const policy = key.canary ? 'notify' : this.policy;
    const recorded = await this.db.transaction(async (tx) => {
      if (!(await this.receipts.firstReceipt(key.id, digest, at, tx))) return 'repeated' as const;
      const done = await this.store.recordLeak(key.id, { at, url: entry.url, source: entry.source }, policy, tx);
      if (!done) return null;
      const change: { before: Record<string, AuditJson>; after: Record<string, AuditJson> } | null = !done.changed
        ? null
        : policy === 'revoke'
          ? { before: { tm_delete: null }, after: { tm_delete: at.toISOString() } }
          : { before: { tm_disable: null }, after: { tm_disable: at.toISOString() } };
      await this.audit.record(tx, {
        customerId: done.key.customerId,
        action: 'accesskey.leak_reported',
        targetId: done.key.id,
        by: systemAttribution('leak-report', origin),
        before: change?.before ?? null,
        after: change?.after ?? null,
        detail: { url: entry.url, source: entry.source, type: entry.type, policy: this.policy, changed: done.changed, ...(key.canary ? { canary: true } : {}) },
      });
      return done;
    });
    if (recorded === 'repeated') return { keyId: key.id, repeated: true };
    if (!recorded) return null;
    if (recorded.changed) this.changes.keyChanged(recorded.key.tokenHash);
    if (recorded.changed && policy === 'revoke') this.observer.accesskeyDeleted();
    if (key.canary && keyState(recorded.key, at) === 'usable') {
      const { id, customerId, tokenHash, tokenPrefix } = recorded.key;
      this.canaries.tripped({ accesskeyId: id, customerId, tokenHash, tokenPrefix, via: 'leak_report', site });
    }
    return { keyId: recorded.key.id, repeated: false };
  }
}
