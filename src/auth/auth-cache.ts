import { LRUCache } from 'lru-cache';
import type { AgentChanges } from '../agents/agent-changes';
import type { KeyChanges } from '../keys/key-changes';
import type { KeyPolicy } from '../keys/key-policy';
import type { Scope } from '../scopes';
import type { Clock, Instant } from '../time';

/** What authentication needs to know about an access key, by token hash. */
export interface CachedKey {
  readonly id: string;
  readonly customerId: string;
  /** Checked at use time; only a rotation changes it, and drops the entry. */
  readonly tmExpire: Instant;
  /** A deleted key never comes back, so its state may be cached too. */
  readonly tmDelete: Instant | null;
  /** Dropped on disable and on enable, here and through the invalidation bus. */
  readonly tmDisable: Instant | null;
  /** Never changed after creation (a rotation copies them to a new key). */
  readonly scopes: readonly Scope[];
  /** A canary is refused like an unknown key (auth/canary.ts), and remembered as briefly as one. */
  readonly canary: boolean;
  /** The usage policy (`null`: none); dropped with the entry when it changes, here and through the invalidation bus. */
  readonly policy: KeyPolicy | null;
}

/** What a session check needs to know about a live agent. */
export interface CachedAgent {
  readonly id: string;
  readonly customerId: string;
  readonly username: string;
  readonly permission: number;
  /** Sessions issued under another generation have been ended (password change, logout). */
  readonly sessionGeneration: number;
}

/** A cached "no such live key" answer. */
export const UNKNOWN = Symbol('unknown');

export interface AuthCacheOptions {
  /** Entries per map; 0 switches the cache off. */
  readonly size: number;
  readonly ttlSeconds: number;
  /** How long "no such key" is remembered (short: it only blunts floods of garbage that passes the checksum). */
  readonly negativeTtlSeconds: number;
  /** The service clock: entries age by it (so tests can move time). */
  readonly clock: Clock;
  /** Start bypassed, until `resume()` (used while an invalidation subscription is being set up). */
  readonly suspended?: boolean;
}

/**
 * In-process memory of recent authentication lookups. It never decides alone:
 * entries are dropped by `dropKey`/`dropAgent` the moment a credential may
 * stop working (here, or on another replica through the invalidation bus), and
 * while `suspend()`ed (the bus lost its subscription) every lookup misses so
 * callers go to the database. The TTL bounds the damage of a missed message.
 */
export class AuthCache implements KeyChanges, AgentChanges {
  private readonly keys: LRUCache<string, CachedKey | typeof UNKNOWN> | null;
  private readonly agents: LRUCache<string, CachedAgent> | null;
  private suspended = false;
  /** Bumped on every drop, so a lookup that raced an invalidation does not store a stale answer. */
  private generation = 0;

  constructor(private readonly options: AuthCacheOptions) {
    this.suspended = options.suspended ?? false;
    if (options.size === 0) {
      this.keys = null;
      this.agents = null;
      return;
    }
    const ttl = options.ttlSeconds * 1000;
    const perf = { now: () => options.clock.now().epochMs };
    this.keys = new LRUCache({ max: options.size, ttl, ttlAutopurge: false, ttlResolution: 0, perf });
    this.agents = new LRUCache({ max: options.size, ttl, ttlAutopurge: false, ttlResolution: 0, perf });
  }

  /** False when configured off (size 0). */
  get enabled(): boolean {
    return this.keys !== null;
  }

  /** True when lookups may be answered from memory. */
  get active(): boolean {
    return this.keys !== null && !this.suspended;
  }

  /** A token to pass back to `setKey`/`setAgent`: stale if anything was dropped meanwhile. */
  snapshot(): number {
    return this.generation;
  }

  getKey(tokenHash: string): CachedKey | typeof UNKNOWN | undefined {
    return this.active ? this.keys!.get(tokenHash) : undefined;
  }

  /**
   * A canary is kept only as long as "no such key" is: with a known key's longer stay it would
   * be answered from memory more often than a never-issued token, and so faster.
   */
  setKey(tokenHash: string, value: CachedKey | null, snapshot: number): void {
    if (!this.active || snapshot !== this.generation) return;
    const negative = { ttl: this.options.negativeTtlSeconds * 1000 };
    if (value) this.keys!.set(tokenHash, value, value.canary ? negative : undefined);
    else this.keys!.set(tokenHash, UNKNOWN, negative);
  }

  getAgent(id: string): CachedAgent | undefined {
    return this.active ? this.agents!.get(id) : undefined;
  }

  setAgent(agent: CachedAgent, snapshot: number): void {
    if (!this.active || snapshot !== this.generation) return;
    this.agents!.set(agent.id, agent);
  }

  /** `KeyChanges`: a key changed here; its entry must not outlive the change. */
  keyChanged(tokenHash: string): void {
    this.dropKey(tokenHash);
  }

  /** `AgentChanges`: an agent changed here. */
  agentChanged(id: string): void {
    this.dropAgent(id);
  }

  dropKey(tokenHash: string): void {
    this.generation++;
    this.keys?.delete(tokenHash);
  }

  dropAgent(id: string): void {
    this.generation++;
    this.agents?.delete(id);
  }

  flush(): void {
    this.generation++;
    this.keys?.clear();
    this.agents?.clear();
  }

  /** Empties the cache and bypasses it until `resume()`: fail closed toward the database. */
  suspend(): void {
    this.suspended = true;
    this.flush();
  }

  /** Uses the cache again, starting empty (anything may have changed while nobody listened). */
  resume(): void {
    this.suspended = false;
    this.flush();
  }
}
