import { randomUUID } from 'node:crypto';
import type { DataSource, Repository } from 'typeorm';
import type { AuthCache } from '../auth/auth-cache';
import type { PasswordHasher } from '../auth/password';
import { INVALIDATION_CHANNEL } from '../db/invalidation';
import { AppError, notFound } from '../errors';
import type { Clock } from '../time';
import { assertUuid } from '../validation';
import { Agent } from './agent.entity';
import type { CreateAgentInput } from './agent.inputs';
import { isPossibleUsername, usernameKey } from './username';

const UNIQUE_VIOLATION = '23505';

/** Agents: created, deleted and given passwords by operators; looked up by login and sessions. */
export class AgentService {
  private readonly repo: Repository<Agent>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly passwords: PasswordHasher,
    /** Forgets an agent's authentication the moment it changes here (other replicas hear it from the database). */
    private readonly cache: Pick<AuthCache, 'dropAgent'>,
  ) {
    this.repo = dataSource.getRepository(Agent);
  }

  /** Creates an agent of an existing customer. Usernames are unique among live agents, ignoring case. */
  async create(customerId: string, input: CreateAgentInput): Promise<Agent> {
    assertUuid(customerId, 'customer_id');
    const exists = await this.dataSource.query('SELECT 1 FROM customers WHERE id = $1', [customerId]);
    if (exists.length === 0) throw notFound('The customer');
    const now = this.clock.now();
    const agent = Object.assign(new Agent(), {
      id: randomUUID(),
      customerId,
      username: input.username,
      name: input.name ?? '',
      passwordHash: await this.passwords.hash(input.password),
      permission: input.permission,
      sessionGeneration: 0,
      tmCreate: now,
      tmUpdate: now,
      tmDelete: null,
    });
    try {
      await this.repo.insert(agent);
    } catch (err) {
      if ((err as { driverError?: { code?: string } }).driverError?.code === UNIQUE_VIOLATION) {
        throw new AppError('FAILED_PRECONDITION', 'ALREADY_EXISTS', `username: "${input.username}" is already taken.`, 'username');
      }
      throw err;
    }
    return agent;
  }

  /** The live agent with this username (ASCII letters in any case), or `null`. */
  async findLiveByUsername(username: string): Promise<Agent | null> {
    // Garbage (NUL, non-ASCII, overlong) names nobody: no query, so no database error either.
    if (!isPossibleUsername(username)) return null;
    // The expression of ux_agents_username_live, so the lookup is one index probe.
    return this.repo
      .createQueryBuilder('a')
      .where('lower(a.username COLLATE "C") = :key', { key: usernameKey(username) })
      .andWhere('a.tm_delete IS NULL')
      .getOne();
  }

  /** The live agent with this id, or `null`. */
  findLiveById(id: string): Promise<Agent | null> {
    return this.repo.createQueryBuilder('a').where('a.id = :id', { id }).andWhere('a.tm_delete IS NULL').getOne();
  }

  /** Soft-deletes an agent; its sessions stop working at once. */
  async delete(username: string): Promise<Agent> {
    const agent = await this.requireLive(username);
    const now = this.clock.now();
    await this.changeAndNotify(agent.id, 'tm_delete = $2, tm_update = $2', [now]);
    return Object.assign(agent, { tmDelete: now, tmUpdate: now });
  }

  /** Gives an agent a new password and ends all its sessions. */
  async setPassword(username: string, password: string): Promise<Agent> {
    const agent = await this.requireLive(username);
    const now = this.clock.now();
    const passwordHash = await this.passwords.hash(password);
    const rows = await this.changeAndNotify(agent.id, 'password_hash = $2, tm_update = $3, session_generation = session_generation + 1', [passwordHash, now]);
    return Object.assign(agent, { passwordHash, tmUpdate: now, sessionGeneration: rows[0].session_generation });
  }

  /**
   * Ends every session of the agent issued under `generation` (logout with
   * one of them). Nothing happens when they have already been ended.
   */
  async endSessions(agentId: string, generation: number): Promise<void> {
    await this.changeAndNotify(agentId, 'session_generation = session_generation + 1', [generation], 'session_generation = $2');
  }

  /**
   * Applies a change that can stop the agent's sessions, and in the same
   * statement tells every replica to forget the agent (delivered on commit).
   */
  private async changeAndNotify(id: string, assignments: string, values: unknown[], condition = 'TRUE'): Promise<Array<{ session_generation: number }>> {
    // TypeORM answers an UPDATE with [rows, rowCount].
    const [rows]: [Array<{ session_generation: number }>, number] = await this.dataSource.query(
      `UPDATE agents SET ${assignments} WHERE id = $1 AND ${condition}
        RETURNING session_generation, pg_notify('${INVALIDATION_CHANNEL}', 'a:' || id::text)`,
      [id, ...values],
    );
    this.cache.dropAgent(id);
    return rows;
  }

  private async requireLive(username: string): Promise<Agent> {
    const agent = await this.findLiveByUsername(username);
    if (!agent) throw notFound('The agent');
    return agent;
  }
}
