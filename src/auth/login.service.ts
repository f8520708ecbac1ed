import type { Agent } from '../agents/agent.entity';
import type { LoginInput } from '../agents/agent.inputs';
import type { AgentService } from '../agents/agent.service';
import { usernameKey } from '../agents/username';
import { AppError } from '../errors';
import type { LoginLimiter } from './login-limiter';
import type { PasswordHasher } from './password';
import type { SessionTokens } from './session';

const loginFailed = () => new AppError('INVALID_ARGUMENT', 'LOGIN_FAILED', 'username or password: incorrect username or password.');

/** Username and password in, session token out. */
export class LoginService {
  constructor(
    private readonly agents: AgentService,
    private readonly passwords: PasswordHasher,
    private readonly sessions: SessionTokens,
    private readonly limiter: LoginLimiter,
  ) {}

  /**
   * A wrong username and a wrong password are refused alike, after the same
   * work (a password check runs against a dummy hash for unknown usernames).
   * Failures count per username and per client address.
   */
  async login(input: LoginInput, clientAddress: string): Promise<{ agent: Agent; token: string }> {
    // The same folding as the lookup: every spelling that reaches an agent counts against one key.
    const keys = [`user:${usernameKey(input.username)}`, `addr:${clientAddress}`];
    await this.limiter.assertAllowed(keys);
    const agent = await this.agents.findLiveByUsername(input.username);
    // No password holds NUL (refused when set). It must not match either: scrypt's HMAC pads the
    // password with zero bytes, so "secret" and "secret\0" hash alike.
    const ok = (await this.passwords.verify(input.password, agent?.passwordHash ?? null)) && !input.password.includes('\u0000');
    if (!agent || !ok) {
      await this.limiter.recordFailure(keys);
      throw loginFailed();
    }
    return { agent, token: await this.sessions.issue(agent) };
  }

  /**
   * Ends every session of the agent whose session token this is: tokens are
   * stateless, so ending one means raising the agent's session generation,
   * which ends its other sessions too. An unusable token changes nothing.
   */
  async logout(token: string | undefined): Promise<void> {
    if (token === undefined) return;
    const checked = await this.sessions.check(token);
    if (checked.outcome === 'ok') await this.agents.endSessions(checked.claims.agentId, checked.claims.generation);
  }
}
