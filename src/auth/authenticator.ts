import type { FastifyReply, FastifyRequest } from 'fastify';
import type { DataSource } from 'typeorm';
import type { Caller } from '../context';
import { authenticationRequired, invalidCredentials } from '../errors';
import type { Clock, Instant } from '../time';
import { hashToken, isWellFormedToken } from '../accesskeys/token';
import { extractCredential } from './credentials';

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
   * Authenticates an HTTP request (REST and GraphQL alike). A credential sent
   * in the query string makes the response `Cache-Control: no-store` (RFC 6750 §2.3).
   */
  async authenticateRequest(request: FastifyRequest, reply: FastifyReply): Promise<Caller> {
    const credential = extractCredential(request);
    if (!credential) throw authenticationRequired();
    if (credential.source === 'query') reply.header('Cache-Control', 'no-store');
    if (credential.value === null) throw invalidCredentials();
    return this.verifyAccesskey(credential.value);
  }
}
