import type { FastifyReply, FastifyRequest } from 'fastify';
import type { DataSource } from 'typeorm';
import type { AgentService } from '../agents/agent.service';
import type { Caller } from '../context';
import { authenticationRequired, invalidCredentials } from '../errors';
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

/** Verifies credentials. The one place that decides who is calling. */
export class Authenticator {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly sessions: SessionTokens,
    private readonly agents: AgentService,
  ) {}

  /**
   * Resolves an access-key token to its caller. Malformed tokens (shape or
   * checksum) are refused without I/O; unknown, expired and deleted keys are
   * refused the same way after one indexed lookup.
   */
  async verifyAccesskey(token: string): Promise<Caller> {
    if (!isWellFormedToken(token)) throw invalidCredentials();
    const rows: KeyRow[] = await this.dataSource.query(
      'SELECT id, customer_id, tm_expire, tm_delete FROM accesskeys WHERE token_hash = $1',
      [hashToken(token)],
    );
    const key = rows[0];
    if (!key || key.tm_delete !== null || !this.clock.now().isBefore(key.tm_expire)) throw invalidCredentials();
    return { kind: 'accesskey', customerId: key.customer_id, accesskeyId: key.id };
  }

  /**
   * Resolves a session token to its agent. Expired, tampered and wrongly signed
   * tokens, and tokens of deleted agents, are refused alike. The agent's
   * current customer and permission apply, so a demotion takes effect at once.
   */
  async verifySession(token: string): Promise<Caller> {
    const claims = await this.sessions.verify(token);
    const agent = await this.agents.findLiveById(claims.agentId);
    if (!agent) throw invalidCredentials();
    return { kind: 'agent', customerId: agent.customerId, agentId: agent.id, username: agent.username, permission: agent.permission };
  }

  /**
   * Authenticates an HTTP request (REST and GraphQL alike). A session token
   * wins over an access key. A credential sent in the query string makes the
   * response `Cache-Control: no-store` (RFC 6750 §2.3).
   */
  async authenticateRequest(request: FastifyRequest, reply: FastifyReply): Promise<Caller> {
    const presented = extractCredentials(request);
    if (presented.viaQuery) reply.header('Cache-Control', 'no-store');
    if (presented.malformed) throw invalidCredentials();
    if (presented.session !== undefined) return this.verifySession(presented.session);
    if (presented.accesskey !== undefined) return this.verifyAccesskey(presented.accesskey);
    throw authenticationRequired();
  }
}
