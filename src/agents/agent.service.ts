import { randomUUID } from 'node:crypto';
import type { AuditLog } from '../audit/audit.log';
import { cliAttribution } from '../audit/audit.types';
import type { Attribution, AuditAction, AuditJson } from '../audit/audit.types';
import type { CustomerStore } from '../customers/customer.store';
import type { Transactional } from '../db/sql';
import { AppError, notFound } from '../errors';
import type { Clock } from '../time';
import { parseUuid } from '../validation';
import type { AgentChanges } from './agent-changes';
import { Agent } from './agent.entity';
import type { CreateAgentInput } from './agent.inputs';
import type { AgentStore, ChangedAgent } from './agent.store';
import type { PasswordHasher } from './password';
import { isPossibleUsername, usernameKey } from './username';

const UNIQUE_VIOLATION = '23505';

/** Operator commands called without saying who ran them. */
const OPERATOR = cliAttribution(null);

const isUniqueViolation = (err: unknown): boolean =>
  (err as { code?: string }).code === UNIQUE_VIOLATION || (err as { driverError?: { code?: string } }).driverError?.code === UNIQUE_VIOLATION;

export interface AgentServiceDeps {
  readonly db: Transactional;
  readonly store: AgentStore;
  readonly customers: CustomerStore;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly passwords: PasswordHasher;
  /** Told the moment an agent changes here, so its authentication is forgotten (other replicas hear it from the database). */
  readonly changes: AgentChanges;
}

/**
 * Agents: created, deleted and given passwords by operators; looked up by
 * login and sessions. Each change is written in one transaction with its audit event.
 */
export class AgentService {
  constructor(private readonly deps: AgentServiceDeps) {}

  /**
   * Creates an agent of an existing customer. Usernames are unique among live agents, ignoring case.
   * `db` is a transaction to join (first-start provisioning passes its own); its own one when absent.
   */
  async create(customerId: string, input: CreateAgentInput, by: Attribution = OPERATOR, db: Transactional = this.deps.db): Promise<Agent> {
    customerId = parseUuid(customerId, 'customer_id');
    const now = this.deps.clock.now();
    const agent = Object.assign(new Agent(), {
      id: randomUUID(),
      customerId,
      username: input.username,
      name: input.name ?? '',
      passwordHash: await this.deps.passwords.hash(input.password),
      permission: input.permission,
      sessionGeneration: 0,
      tmCreate: now,
      tmUpdate: now,
      tmDelete: null,
    });
    try {
      await db.transaction(async (tx) => {
        if (!(await this.deps.customers.exists(customerId, tx))) throw notFound('The customer');
        await this.deps.store.insert(agent, tx);
        await this.deps.audit.record(tx, {
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
    return this.deps.store.findLiveByUsernameKey(usernameKey(username));
  }

  /** The live agent with this id, or `null`. */
  findLiveById(id: string): Promise<Agent | null> {
    return this.deps.store.findLiveById(id);
  }

  /** Soft-deletes an agent; its sessions stop working at once. */
  async delete(username: string, by: Attribution = OPERATOR): Promise<Agent> {
    const agent = await this.requireLive(username);
    const now = this.deps.clock.now();
    await this.changeAndNotify(agent.id, 'tm_delete = $2, tm_update = $2', [now], 'tm_delete IS NULL', {
      action: 'agent.delete', by, before: { tm_delete: null }, after: { tm_delete: now.toISOString() },
    });
    return Object.assign(agent, { tmDelete: now, tmUpdate: now });
  }

  /** Gives an agent a new password and ends all its sessions. */
  async setPassword(username: string, password: string, by: Attribution = OPERATOR): Promise<Agent> {
    const agent = await this.requireLive(username);
    const now = this.deps.clock.now();
    const passwordHash = await this.deps.passwords.hash(password);
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
  ): Promise<ChangedAgent[]> {
    const rows = await this.deps.db.transaction(async (tx) => {
      const changed = await this.deps.store.change(tx, `agent_change_${event.action}`, id, assignments, values, condition);
      if (changed[0]) await this.deps.audit.record(tx, { customerId: changed[0].customer_id, targetId: id, ...event });
      return changed;
    });
    this.deps.changes.agentChanged(id);
    return rows;
  }

  private async requireLive(username: string): Promise<Agent> {
    const agent = await this.findLiveByUsername(username);
    if (!agent) throw notFound('The agent');
    return agent;
  }
}
