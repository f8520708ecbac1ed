import type { FastifyReply, FastifyRequest } from 'fastify';
import type { DataSource } from 'typeorm';
import type { AgentService } from '../agents/agent.service';
import type { Caller } from '../context';
import { authenticationRequired, invalidCredentials } from '../errors';
import { noopObserver } from '../observability';
import type { AuthOutcome, CredentialKind, Observer } from '../observability';
import type { Clock, Instant } from '../time';
import { hashToken, isWellFormedToken } from '../accesskeys/token';
import { extractCredentials } from './credentials';
import type { SessionTokens } from './session';

interface KeyRow {
  id: string;
  customer_id: string;
  tm_expire: Instant;
  tm_delete: Instant | null;
}

/** Who a credential belongs to, or why it was refused. */
interface Check {
  readonly caller?: Caller;
  readonly outcome: AuthOutcome;
}

/** Verifies credentials. The one place that decides who is calling. */
export class Authenticator {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly sessions: SessionTokens,
    private readonly agents: AgentService,
    private readonly observer: Observer = noopObserver,
  ) {}

  /**
   * Resolves an access-key token to its caller. Malformed tokens (shape or
   * checksum) are refused without I/O; unknown, expired and deleted keys are
   * refused the same way after one indexed lookup.
   */
  verifyAccesskey(token: string): Promise<Caller> {
    return this.observed('accesskey', this.checkAccesskey(token));
  }

  private async checkAccesskey(token: string): Promise<Check> {
    if (!isWellFormedToken(token)) return { outcome: 'malformed' };
    const rows: KeyRow[] = await this.dataSource.query(
      'SELECT id, customer_id, tm_expire, tm_delete FROM accesskeys WHERE token_hash = $1',
      [hashToken(token)],
    );
    const key = rows[0];
    if (!key) return { outcome: 'unknown' };
    if (key.tm_delete !== null) return { outcome: 'deleted' };
    if (!this.clock.now().isBefore(key.tm_expire)) return { outcome: 'expired' };
    return { caller: { kind: 'accesskey', customerId: key.customer_id, accesskeyId: key.id }, outcome: 'ok' };
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
    const agent = await this.agents.findLiveById(checked.claims.agentId);
    if (!agent) return { outcome: 'deleted' };
    if (agent.sessionGeneration !== checked.claims.generation) return { outcome: 'revoked' };
    return {
      caller: { kind: 'agent', customerId: agent.customerId, agentId: agent.id, username: agent.username, permission: agent.permission },
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
   * Authenticates an HTTP request (REST and GraphQL alike). A session token
   * wins over an access key. A credential sent in the query string makes the
   * response `Cache-Control: no-store` (RFC 6750 §2.3).
   */
  async authenticateRequest(request: FastifyRequest, reply: FastifyReply): Promise<Caller> {
    const presented = extractCredentials(request);
    if (presented.viaQuery) reply.header('Cache-Control', 'no-store');
    if (presented.malformed) {
      this.observer.authenticated('none', 'malformed');
      throw invalidCredentials();
    }
    if (presented.session !== undefined) return this.verifySession(presented.session);
    if (presented.accesskey !== undefined) return this.verifyAccesskey(presented.accesskey);
    this.observer.authenticated('none', 'missing');
    throw authenticationRequired();
  }
}
