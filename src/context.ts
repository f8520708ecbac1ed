import type { Scope } from './accesskeys/scopes';

/** Who is calling: the one identity model both transports build. */
export interface AccesskeyCaller {
  readonly kind: 'accesskey';
  readonly customerId: string;
  readonly accesskeyId: string;
  /** What the key may do (see auth/permissions.ts). */
  readonly scopes: readonly Scope[];
}

/** A person logged in with a session token. */
export interface AgentCaller {
  readonly kind: 'agent';
  readonly customerId: string;
  readonly agentId: string;
  readonly username: string;
  /** The platform's permission bit flags (see auth/permissions.ts). */
  readonly permission: number;
}

export type Caller = AccesskeyCaller | AgentCaller;

/** Handed explicitly to every service method by both transports. */
export interface RequestContext {
  readonly requestId: string;
  readonly caller: Caller;
}

/** The context operator commands run with: no HTTP request, full rights. */
export interface SystemContext {
  readonly requestId: string;
}
