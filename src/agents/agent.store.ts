import { INVALIDATION_CHANNEL } from '../db/invalidation';
import type { Queryable } from '../db/sql';
import type { Instant } from '../time';
import { Agent } from './agent.entity';

/**
 * The one home of every SQL statement about `agents`: one row type, one
 * mapper. Changes that can stop an agent's sessions tell every replica in the
 * same statement (delivered when the change commits).
 */

/** A row of `agents`, as `pg` returns it. */
export interface AgentRow {
  id: string;
  customer_id: string;
  username: string;
  name: string;
  password_hash: string;
  permission: number;
  session_generation: number;
  tm_create: Instant;
  tm_update: Instant;
  tm_delete: Instant | null;
}

const COLUMNS = 'id, customer_id, username, name, password_hash, permission, session_generation, tm_create, tm_update, tm_delete';

/** The one mapper from a row to the domain object. */
export function fromRow(row: AgentRow): Agent {
  return Object.assign(new Agent(), {
    id: row.id,
    customerId: row.customer_id,
    username: row.username,
    name: row.name,
    passwordHash: row.password_hash,
    permission: row.permission,
    sessionGeneration: row.session_generation,
    tmCreate: row.tm_create,
    tmUpdate: row.tm_update,
    tmDelete: row.tm_delete,
  });
}

/** What a change of an agent's row returns: enough to audit it and to tell its sessions' generation. */
export interface ChangedAgent {
  readonly session_generation: number;
  readonly customer_id: string;
}

export class AgentStore {
  constructor(private readonly db: Queryable) {}

  async insert(agent: Agent, db: Queryable = this.db): Promise<void> {
    await db.query(
      'agent_insert',
      `INSERT INTO agents (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [agent.id, agent.customerId, agent.username, agent.name, agent.passwordHash, agent.permission, agent.sessionGeneration, agent.tmCreate, agent.tmUpdate, agent.tmDelete],
    );
  }

  /** The live agent whose username folds to `key` (see agents/username.ts), or `null`. */
  async findLiveByUsernameKey(key: string): Promise<Agent | null> {
    // The expression of ux_agents_username_live, so the lookup is one index probe.
    const rows = await this.db.query<AgentRow>(
      'agent_by_username',
      `SELECT ${COLUMNS} FROM agents WHERE lower(username COLLATE "C") = $1 AND tm_delete IS NULL`,
      [key],
    );
    return rows[0] ? fromRow(rows[0]) : null;
  }

  /** The live agent with this id, or `null`. */
  async findLiveById(id: string): Promise<Agent | null> {
    const rows = await this.db.query<AgentRow>('agent_by_id', `SELECT ${COLUMNS} FROM agents WHERE id = $1 AND tm_delete IS NULL`, [id]);
    return rows[0] ? fromRow(rows[0]) : null;
  }

  /**
   * Applies `assignments` to the agent `id` when `condition` holds (`$1` is
   * the id, `values` follow from `$2`), and in the same statement tells every
   * replica to forget the agent. `name` names the statement (one name, one text).
   */
  change(tx: Queryable, name: string, id: string, assignments: string, values: readonly unknown[], condition: string): Promise<ChangedAgent[]> {
    return tx.query<ChangedAgent>(
      name,
      `UPDATE agents SET ${assignments} WHERE id = $1 AND ${condition}
        RETURNING session_generation, customer_id, pg_notify('${INVALIDATION_CHANNEL}', 'a:' || id::text)`,
      [id, ...values],
    );
  }
}
