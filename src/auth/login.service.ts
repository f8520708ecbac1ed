import { createHash } from 'node:crypto';
import type { Agent } from '../agents/agent.entity';
import type { LoginInput } from '../agents/agent.inputs';
import type { AgentService } from '../agents/agent.service';
import { usernameKey } from '../agents/username';
import type { AuditLog } from '../audit/audit.log';
import type { Attribution, AuditOrigin } from '../audit/audit.types';
import { AppError } from '../errors';
import type { LoginLimiter } from './login-limiter';
import type { PasswordHasher } from '../agents/password';
import type { SessionTokens } from './session';

const loginFailed = () => new AppError('INVALID_ARGUMENT', 'LOGIN_FAILED', 'username or password: incorrect username or password.');

const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

export interface LoginServiceDeps {
  readonly agents: AgentService;
  readonly passwords: PasswordHasher;
  readonly sessions: SessionTokens;
  readonly limiter: LoginLimiter;
  readonly audit: AuditLog;
}

/** Username and password in, session token out. */
export class LoginService {
  private readonly agents: AgentService;
  private readonly passwords: PasswordHasher;
  private readonly sessions: SessionTokens;
  private readonly limiter: LoginLimiter;
  private readonly audit: AuditLog;

  constructor(deps: LoginServiceDeps) {
    this.agents = deps.agents;
    this.passwords = deps.passwords;
    this.sessions = deps.sessions;
    this.limiter = deps.limiter;
    this.audit = deps.audit;
  }

  /**
   * A wrong username and a wrong password are refused alike, after the same
   * work (a password check runs against a dummy hash for unknown usernames).
   * Failures count per username and per client address. Each login and each
   * failure the limiter lets through is an audit event; attempts the limiter
   * refuses write nothing, so failed logins cannot fill the disk faster than
   * the limiter allows.
   */
  async login(input: LoginInput, origin: AuditOrigin): Promise<{ agent: Agent; token: string }> {
    // The same folding as the lookup: every spelling that reaches an agent counts against one key.
    const keys = [`user:${usernameKey(input.username)}`, `addr:${origin.clientAddress ?? ''}`];
    await this.limiter.assertAllowed(keys);
    const agent = await this.agents.findLiveByUsername(input.username);
    // No password holds NUL (refused when set). It must not match either: scrypt's HMAC pads the
    // password with zero bytes, so "secret" and "secret\0" hash alike.
    const ok = (await this.passwords.verify(input.password, agent?.passwordHash ?? null)) && !input.password.includes('\u0000');
    if (!agent || !ok) {
      await this.limiter.recordFailure(keys);
      // The username as typed is not kept for unknown names: people type passwords into that field.
      await this.audit.recordAlone({
        customerId: agent?.customerId ?? null,
        action: 'auth.login_failed',
        targetId: agent?.id ?? null,
        by: { actor: { kind: 'agent', id: agent?.id ?? null, name: agent?.username ?? null, tokenHash: null }, origin },
        detail: { reason: agent ? 'wrong_password' : 'unknown_username' },
      });
      throw loginFailed();
    }
    const token = await this.sessions.issue(agent);
    await this.audit.recordAlone({
      customerId: agent.customerId,
      action: 'auth.login',
      targetId: agent.id,
      by: { actor: { kind: 'agent', id: agent.id, name: agent.username, tokenHash: sha256Hex(token) }, origin },
    });
    return { agent, token };
  }

  /**
   * Ends every session of the agent whose session token this is: tokens are
   * stateless, so ending one means raising the agent's session generation,
   * which ends its other sessions too. An unusable token changes nothing.
   */
  async logout(token: string | undefined, origin: AuditOrigin): Promise<void> {
    if (token === undefined) return;
    const checked = await this.sessions.check(token);
    if (checked.outcome !== 'ok') return;
    const by: Attribution = { actor: { kind: 'agent', id: checked.claims.agentId, name: null, tokenHash: sha256Hex(token) }, origin };
    await this.agents.endSessions(checked.claims.agentId, checked.claims.generation, by);
  }
}
