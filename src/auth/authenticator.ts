import { createHash } from 'node:crypto';
import type { AccesskeyStore } from '../keys/accesskey.store';
import { keyState } from '../keys/accesskey.store';
import type { KeyState } from '../keys/accesskey.store';
import type { AgentService } from '../agents/agent.service';
import type { Caller, UseSite } from '../context';
import { authenticationRequired, invalidCredentials } from '../errors';
import { noopObserver } from '../observability';
import type { AuthOutcome, CredentialKind, Observer } from '../observability';
import type { Clock } from '../time';
import { displayPrefix, hashToken, isWellFormedToken } from '../keys/token';
import { noUsage } from '../keys/usage';
import type { UsageSink } from '../keys/usage';
import { UNKNOWN } from './auth-cache';
import type { AuthCache, CachedAgent, CachedKey } from './auth-cache';
import { noCanaries } from './canary';
import type { CanaryUse, CanarySink } from './canary';
import type { PresentedCredentials } from './credentials';
import type { SessionTokens } from './session';

const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** Who a credential belongs to, or why it was refused. */
interface Check {
  readonly caller?: Caller;
  readonly outcome: AuthOutcome;
}

/** A token's key and state, as authentication would judge it. */
export type TokenInspection =
  | { readonly state: 'malformed' | 'unknown'; readonly key: null }
  | { readonly state: KeyState; readonly key: CachedKey };

export interface AuthenticatorDeps {
  readonly keys: AccesskeyStore;
  readonly cache: AuthCache;
  readonly clock: Clock;
  readonly sessions: SessionTokens;
  readonly agents: AgentService;
  readonly observer?: Observer;
  /** Hears each successful key authentication (in memory; written later in batches). */
  readonly usage?: UsageSink;
  /** Hears each use of a live canary key (never awaited). */
  readonly canaries?: CanarySink;
}

/** Verifies credentials. The one place that decides who is calling. */
export class Authenticator {
  private readonly keys: AccesskeyStore;
  private readonly cache: AuthCache;
  private readonly clock: Clock;
  private readonly sessions: SessionTokens;
  private readonly agents: AgentService;
  private readonly observer: Observer;
  private readonly usage: UsageSink;
  private readonly canaries: CanarySink;

  constructor(deps: AuthenticatorDeps) {
    this.keys = deps.keys;
    this.cache = deps.cache;
    this.clock = deps.clock;
    this.sessions = deps.sessions;
    this.agents = deps.agents;
    this.observer = deps.observer ?? noopObserver;
    this.usage = deps.usage ?? noUsage;
    this.canaries = deps.canaries ?? noCanaries;
  }

  /**
   * Resolves an access-key token to its caller. Malformed tokens (shape or
   * checksum) are refused without I/O; unknown, expired, disabled and deleted keys are
   * refused the same way after one indexed lookup, or none when the
   * authentication cache knows the key. A canary key is refused exactly like
   * an unknown one (`site`: where it was presented, for its event).
   */
  verifyAccesskey(token: string, site: UseSite | null = null): Promise<Caller> {
    return this.observed('accesskey', this.checkAccesskey(token, site));
  }

  private async checkAccesskey(token: string, site: UseSite | null): Promise<Check> {
    if (!isWellFormedToken(token)) return { outcome: 'malformed' };
    const tokenHash = hashToken(token);
    const key = await this.lookupKey(tokenHash);
    if (!key) return { outcome: 'unknown' };
    if (key.canary) {
      this.canaryPresented(key, token, tokenHash, 'authentication', site);
      return { outcome: 'unknown' };
    }
    const state = keyState(key, this.clock.now());
    if (state !== 'usable') return { outcome: state };
    this.usage.record(key.id);
    return {
      caller: { kind: 'accesskey', customerId: key.customerId, accesskeyId: key.id, scopes: key.scopes, credentialHash: tokenHash, tokenPrefix: displayPrefix(token) },
      outcome: 'ok',
    };
  }

  /**
   * What a token stands for, for services that verify tokens presented to
   * them: its key (through the authentication cache, so revocation applies as
   * for authentication) and whether it is usable. Malformed tokens cost no I/O.
   * A canary is `unknown` here too (whoever verifies must not learn it is one).
   */
  async inspectToken(token: string, site: UseSite | null = null): Promise<TokenInspection> {
    if (!isWellFormedToken(token)) return { state: 'malformed', key: null };
    const tokenHash = hashToken(token);
    const key = await this.lookupKey(tokenHash);
    if (!key) return { state: 'unknown', key: null };
    if (key.canary) {
      this.canaryPresented(key, token, tokenHash, 'verification', site);
      return { state: 'unknown', key: null };
    }
    return { state: keyState(key, this.clock.now()), key };
  }

  /**
   * Reports a canary's use (not awaited: the refusal costs what an unknown
   * token costs) when an ordinary key in its state would have been let in;
   * a disabled, expired or deleted canary is silent.
   */
  private canaryPresented(key: CachedKey, token: string, tokenHash: string, via: CanaryUse['via'], site: UseSite | null): void {
    if (keyState(key, this.clock.now()) !== 'usable') return;
    this.canaries.tripped({ accesskeyId: key.id, customerId: key.customerId, tokenHash, tokenPrefix: displayPrefix(token), via, site });
  }

  private async lookupKey(tokenHash: string): Promise<CachedKey | null> {
    const cached = this.cache.getKey(tokenHash);
    if (cached === UNKNOWN) return null;
    if (cached) return cached;
    const snapshot = this.cache.snapshot();
    const row = await this.keys.findByTokenHash(tokenHash);
    const key = row && { id: row.id, customerId: row.customerId, tmExpire: row.tmExpire, tmDelete: row.tmDelete, tmDisable: row.tmDisable, scopes: row.scopes, canary: row.canary };
    this.cache.setKey(tokenHash, key, snapshot);
    return key;
  }

  private async lookupAgent(id: string): Promise<CachedAgent | null> {
    const cached = this.cache.getAgent(id);
    if (cached) return cached;
    const snapshot = this.cache.snapshot();
    const row = await this.agents.findLiveById(id);
    if (!row) return null;
    const agent = { id: row.id, customerId: row.customerId, username: row.username, permission: row.permission, sessionGeneration: row.sessionGeneration };
    this.cache.setAgent(agent, snapshot);
    return agent;
  }

  /**
   * Resolves a session token to its agent. Expired, tampered and wrongly signed
   * tokens, tokens of deleted agents and sessions ended since (password change,
   * logout) are refused alike. The agent's current customer and permission
   * apply, so a demotion takes effect at once.
   */
  verifySession(token: string): Promise<Caller> {
    return this.observed('session', this.checkSession(token));
  }

  private async checkSession(token: string): Promise<Check> {
    const checked = await this.sessions.check(token);
    if (checked.outcome !== 'ok') return { outcome: checked.outcome };
    const agent = await this.lookupAgent(checked.claims.agentId);
    if (!agent) return { outcome: 'deleted' };
    if (agent.sessionGeneration !== checked.claims.generation) return { outcome: 'revoked' };
    return {
      caller: {
        kind: 'agent',
        customerId: agent.customerId,
        agentId: agent.id,
        username: agent.username,
        permission: agent.permission,
        // The hash the audit trail names this session by; never the token itself.
        credentialHash: sha256Hex(token),
      },
      outcome: 'ok',
    };
  }

  /** Reports the outcome, then refuses every failure the same way. */
  private async observed(credential: CredentialKind, check: Promise<Check>): Promise<Caller> {
    const { caller, outcome } = await check;
    this.observer.authenticated(credential, outcome);
    if (!caller) throw invalidCredentials();
    return caller;
  }

  /**
   * Authenticates what a request presented (REST and GraphQL alike; the edge
   * extracts it, see auth/rest-auth.ts). A session token wins over an access
   * key; `site` is where the credentials were presented.
   */
  async authenticate(presented: PresentedCredentials, site: UseSite | null = null): Promise<Caller> {
    if (presented.malformed) {
      this.observer.authenticated('none', 'malformed');
      throw invalidCredentials();
    }
    if (presented.session !== undefined) return this.verifySession(presented.session);
    if (presented.accesskey !== undefined) return this.verifyAccesskey(presented.accesskey, site);
    this.observer.authenticated('none', 'missing');
    throw authenticationRequired();
  }
}
