import { NOT_YET_OCCURRED } from '../time';
import type { Agent } from './agent.entity';
import { permissionNames } from './permission';

/** The public face of an agent: never the password hash. */
export function agentToWire(agent: Agent) {
  return {
    id: agent.id,
    customer_id: agent.customerId,
    username: agent.username,
    name: agent.name,
    permission: agent.permission,
    permissions: permissionNames(agent.permission),
    tm_create: agent.tmCreate.toISOString(),
    tm_update: agent.tmUpdate.toISOString(),
    tm_delete: agent.tmDelete ? agent.tmDelete.toISOString() : NOT_YET_OCCURRED,
  };
}
