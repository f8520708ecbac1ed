import { SignJWT, errors as joseErrors, jwtVerify } from 'jose';
import { isUUID } from 'class-validator';
import type { Agent } from '../agents/agent.entity';
import { AppError, invalidCredentials } from '../errors';
import type { Clock } from '../time';

const ISSUER = 'vb-accesskey-server';

export interface SessionClaims {
  readonly agentId: string;
  readonly customerId: string;
  readonly permission: number;
}

/** Session tokens: HS256 JWTs with `sub`, `iat`, `exp`, `customer_id` and `permission`. */
export class SessionTokens {
  constructor(
    private readonly key: Uint8Array,
    private readonly clock: Clock,
    readonly ttlSeconds: number,
  ) {}

  async issue(agent: Agent): Promise<string> {
    const iat = Math.floor(this.clock.now().epochMs / 1000);
    return new SignJWT({ customer_id: agent.customerId, permission: agent.permission })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(ISSUER)
      .setSubject(agent.id)
      .setIssuedAt(iat)
      .setExpirationTime(iat + this.ttlSeconds)
      .sign(this.key);
  }

  /** Checks signature, algorithm, issuer and expiry against the service clock. */
  async verify(token: string): Promise<SessionClaims> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: ['HS256'],
        issuer: ISSUER,
        currentDate: this.clock.now().toDate(),
        clockTolerance: 0,
      });
      const { sub, customer_id: customerId, permission } = payload;
      if (typeof sub !== 'string' || !isUUID(sub) || typeof customerId !== 'string' || typeof permission !== 'number') {
        throw invalidCredentials();
      }
      return { agentId: sub, customerId, permission };
    } catch (err) {
      // Told apart only for metrics; the caller sees INVALID_CREDENTIALS either way.
      if (err instanceof joseErrors.JWTExpired) throw new AppError('UNAUTHENTICATED', 'SESSION_EXPIRED', 'The credentials are invalid.');
      if (err instanceof joseErrors.JOSEError) throw invalidCredentials();
      throw err;
    }
  }
}
