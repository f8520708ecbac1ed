/**
 * Told when an agent's credentials may have changed (deleted, password,
 * permission, sessions ended), after the change commits. The authentication
 * cache implements it (wired in app/); other replicas hear the same change
 * from the database.
 */
export interface AgentChanges {
  agentChanged(id: string): void;
}
