import type { Scope } from './scopes';

/** Who is calling: the one identity model both transports build. */
export interface AccesskeyCaller {
  readonly kind: 'accesskey';
  readonly customerId: string;
  readonly accesskeyId: string;
  /** The key's `token_hash` (the audit trail names the credential by it). */
  readonly credentialHash: string;
  /** The key's display prefix. */
  readonly tokenPrefix: string;
  /** What the key may do (see auth/permissions.ts). */
  readonly scopes: readonly Scope[];
}

/** A person logged in with a session token. */
export interface AgentCaller {
  readonly kind: 'agent';
  readonly customerId: string;
  readonly agentId: string;
  readonly username: string;
  /** SHA-256 hex of the session token used (the audit trail names the credential by it). */
  readonly credentialHash: string;
  /** The platform's permission bit flags (see agents/permission.ts). */
  readonly permission: number;
}

export type Caller = AccesskeyCaller | AgentCaller;

/**
 * Where a request came from: the one origin model. Each transport builds it in
 * one place (`http/origin.ts`; GraphQL's context uses the same function); the
 * audit trail records its first three fields, a canary's event all of them.
 * All `null` for operator commands and the server's own work. Never the query
 * string: it may hold a credential (`?accesskey=`).
 */
export interface Origin {
  readonly requestId: string | null;
  readonly clientAddress: string | null;
  readonly userAgent: string | null;
  readonly method: string | null;
  /** The route template (`/v1.0/accesskeys/:id`), or the path without its query string. */
  readonly route: string | null;
}

/** The origin of what no request asked for (operator commands, the server's own work). */
export function noOrigin(requestId: string | null = null): Origin {
  return { requestId, clientAddress: null, userAgent: null, method: null, route: null };
}

/** Handed explicitly to every service method by both transports. */
export interface RequestContext {
  readonly requestId: string;
  readonly caller: Caller;
  /** Absent outside HTTP (tests calling services directly). */
  readonly origin?: Origin;
}

/** The context operator commands run with: no HTTP request, full rights. */
export interface SystemContext {
  readonly requestId: string;
}
