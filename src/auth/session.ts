import { SignJWT, errors as joseErrors, jwtVerify } from 'jose';
import { isUUID } from 'class-validator';
import type { Agent } from '../agents/agent.entity';
import type { Clock } from '../time';

const ISSUER = 'vb-accesskey-server';

export interface SessionClaims {
  readonly agentId: string;
  readonly customerId: string;
  readonly permission: number;
  /** The agent's session generation when the token was issued (`gen`). */
  readonly generation: number;
}

export type SessionCheck = { readonly outcome: 'ok'; readonly claims: SessionClaims } | { readonly outcome: 'expired' | 'malformed' };

/** Session tokens: HS256 JWTs with `sub`, `iat`, `exp`, `customer_id`, `permission` and `gen`. */
export class SessionTokens {
  constructor(
    private readonly key: Uint8Array,
    private readonly clock: Clock,
    readonly ttlSeconds: number,
  ) {}

  async issue(agent: Agent): Promise<string> {
    const iat = Math.floor(this.clock.now().epochMs / 1000);
    return new SignJWT({ customer_id: agent.customerId, permission: agent.permission, gen: agent.sessionGeneration })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(ISSUER)
      .setSubject(agent.id)
      .setIssuedAt(iat)
      .setExpirationTime(iat + this.ttlSeconds)
      .sign(this.key);
  }

  /**
   * Checks signature, algorithm, issuer and expiry against the service clock,
   * with no tolerance. A token must also have been issued by now (`iat` not in
   * the future), expire (`exp`), and live no longer than the configured
   * lifetime, so that neither a leaked key nor a bad clock can mint a session
   * that outlives what the operator set. Says why a token is refused (for
   * metrics); callers refuse all alike.
   */
  async check(token: string): Promise<SessionCheck> {
    let payload;
    try {
      ({ payload } = await jwtVerify(token, this.key, {
        algorithms: ['HS256'],
        issuer: ISSUER,
        currentDate: this.clock.now().toDate(),
        clockTolerance: 0,
      }));
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) return { outcome: 'expired' };
      if (err instanceof joseErrors.JOSEError) return { outcome: 'malformed' };
      throw err;
    }
    const { sub, iat, exp, customer_id: customerId, permission, gen } = payload;
    if (typeof iat !== 'number' || typeof exp !== 'number') return { outcome: 'malformed' };
    if (iat * 1000 > this.clock.now().epochMs || exp - iat > this.ttlSeconds) return { outcome: 'malformed' };
    if (typeof sub !== 'string' || !isUUID(sub) || typeof customerId !== 'string' || typeof permission !== 'number') {
      return { outcome: 'malformed' };
    }
    if (typeof gen !== 'number' || !Number.isSafeInteger(gen) || gen < 0) return { outcome: 'malformed' };
    return { outcome: 'ok', claims: { agentId: sub, customerId, permission, generation: gen } };
  }
}
