import type { Agent } from '../agents/agent.entity';
import type { LoginInput } from '../agents/agent.inputs';
import type { AgentService } from '../agents/agent.service';
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
    const keys = [`user:${input.username.toLowerCase()}`, `addr:${clientAddress}`];
    await this.limiter.assertAllowed(keys);
    const agent = await this.agents.findLiveByUsername(input.username);
    const ok = await this.passwords.verify(input.password, agent?.passwordHash ?? null);
    if (!agent || !ok) {
      await this.limiter.recordFailure(keys);
      throw loginFailed();
    }
    return { agent, token: await this.sessions.issue(agent) };
  }
}
