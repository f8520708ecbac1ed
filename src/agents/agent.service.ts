import { randomUUID } from 'node:crypto';
import type { DataSource, Repository } from 'typeorm';
import type { AuditLog } from '../audit/audit.log';
import { cliAttribution } from '../audit/audit.types';
import type { Attribution, AuditAction, AuditJson } from '../audit/audit.types';
import { INVALIDATION_CHANNEL } from '../db/invalidation';
import type { Queryable, Transactional } from '../db/sql';
import { AppError, notFound } from '../errors';
import type { Clock } from '../time';
import { parseUuid } from '../validation';
import type { AgentChanges } from './agent-changes';
import { Agent } from './agent.entity';
import type { CreateAgentInput } from './agent.inputs';
import type { PasswordHasher } from './password';
import { isPossibleUsername, usernameKey } from './username';

const UNIQUE_VIOLATION = '23505';

/** Operator commands called without saying who ran them. */
const OPERATOR = cliAttribution(null);

const isUniqueViolation = (err: unknown): boolean =>
  (err as { code?: string }).code === UNIQUE_VIOLATION || (err as { driverError?: { code?: string } }).driverError?.code === UNIQUE_VIOLATION;

/**
 * Agents: created, deleted and given passwords by operators; looked up by
 * login and sessions. Each change is written in one transaction with its audit event.
 */
export class AgentService {
  private readonly repo: Repository<Agent>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly db: Transactional,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly passwords: PasswordHasher,
    /** Told the moment an agent changes here, so its authentication is forgotten (other replicas hear it from the database). */
    private readonly changes: AgentChanges,
  ) {
    this.repo = dataSource.getRepository(Agent);
  }

  /**
   * Creates an agent of an existing customer. Usernames are unique among live agents, ignoring case.
   * `db` is a transaction to join (first-start provisioning passes its own); its own one when absent.
   */
  async create(customerId: string, input: CreateAgentInput, by: Attribution = OPERATOR, db: Transactional = this.db): Promise<Agent> {
    customerId = parseUuid(customerId, 'customer_id');
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
      await db.transaction(async (tx) => {
        const exists = await tx.query('agent_customer_exists', 'SELECT 1 FROM customers WHERE id = $1', [customerId]);
        if (exists.length === 0) throw notFound('The customer');
        await tx.query(
          'agent_insert',
          `INSERT INTO agents (id, customer_id, username, name, password_hash, permission, session_generation, tm_create, tm_update, tm_delete)
           VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $7, NULL)`,
          [agent.id, customerId, agent.username, agent.name, agent.passwordHash, agent.permission, now],
        );
        await this.audit.record(tx, {
          customerId, action: 'agent.create', targetId: agent.id, by,
          after: { username: agent.username, name: agent.name, permission: agent.permission },
        });
      });
    } catch (err) {
      if (isUniqueViolation(err)) {
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
  async delete(username: string, by: Attribution = OPERATOR): Promise<Agent> {
    const agent = await this.requireLive(username);
    const now = this.clock.now();
    await this.changeAndNotify(agent.id, 'tm_delete = $2, tm_update = $2', [now], 'tm_delete IS NULL', {
      action: 'agent.delete', by, before: { tm_delete: null }, after: { tm_delete: now.toISOString() },
    });
    return Object.assign(agent, { tmDelete: now, tmUpdate: now });
  }

  /** Gives an agent a new password and ends all its sessions. */
  async setPassword(username: string, password: string, by: Attribution = OPERATOR): Promise<Agent> {
    const agent = await this.requireLive(username);
    const now = this.clock.now();
    const passwordHash = await this.passwords.hash(password);
    // The event says that the password changed, never what it is or its hash.
    const rows = await this.changeAndNotify(agent.id, 'password_hash = $2, tm_update = $3, session_generation = session_generation + 1', [passwordHash, now], 'TRUE', {
      action: 'agent.password_set', by, detail: { sessions_ended: true },
    });
    return Object.assign(agent, { passwordHash, tmUpdate: now, sessionGeneration: rows[0]?.session_generation ?? agent.sessionGeneration + 1 });
  }

  /**
   * Ends every session of the agent issued under `generation` (logout with
   * one of them). Nothing happens when they have already been ended.
   */
  async endSessions(agentId: string, generation: number, by: Attribution): Promise<void> {
    await this.changeAndNotify(agentId, 'session_generation = session_generation + 1', [generation], 'session_generation = $2', { action: 'auth.logout', by });
  }

  /**
   * Applies a change that can stop the agent's sessions, in the same
   * statement tells every replica to forget the agent (delivered on commit),
   * and in the same transaction records `event` when a row changed.
   */
  private async changeAndNotify(
    id: string,
    assignments: string,
    values: unknown[],
    condition: string,
    event: { action: AuditAction; by: Attribution; before?: Record<string, AuditJson>; after?: Record<string, AuditJson>; detail?: Record<string, AuditJson> },
  ): Promise<Array<{ session_generation: number }>> {
    const rows = await this.db.transaction(async (tx: Queryable) => {
      const changed = await tx.query<{ session_generation: number; customer_id: string }>(
        `agent_change_${event.action}`,
        `UPDATE agents SET ${assignments} WHERE id = $1 AND ${condition}
          RETURNING session_generation, customer_id, pg_notify('${INVALIDATION_CHANNEL}', 'a:' || id::text)`,
        [id, ...values],
      );
      if (changed[0]) await this.audit.record(tx, { customerId: changed[0].customer_id, targetId: id, ...event });
      return changed;
    });
    this.changes.agentChanged(id);
    return rows;
  }

  private async requireLive(username: string): Promise<Agent> {
    const agent = await this.findLiveByUsername(username);
    if (!agent) throw notFound('The agent');
    return agent;
  }
}
