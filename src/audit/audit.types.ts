import { noOrigin, type Origin } from '../context';
import type { Instant } from '../time';

/** Every action the audit trail records (a closed list; the GraphQL filter takes the same names). */
export const AUDIT_ACTIONS = [
  'accesskey.create',
  'accesskey.update',
  'accesskey.delete',
  'accesskey.rotate',
  'accesskey.disable',
  'accesskey.enable',
  'accesskey.leak_reported',
  'accesskey.canary_used',
  'agent.create',
  'agent.delete',
  'agent.password_set',
  'auth.login',
  'auth.login_failed',
  'auth.logout',
  'webhook.create',
  'webhook.update',
  'webhook.delete',
  'webhook.rotate_secret',
  'webhook.test',
  'webhook.redeliver',
  'webhook.disable',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const isAuditAction = (value: unknown): value is AuditAction => (AUDIT_ACTIONS as readonly unknown[]).includes(value);

export type ActorKind = 'agent' | 'accesskey' | 'cli' | 'system';

/** Who did it. Never a credential: only the SHA-256 hex of one, as stored for keys. */
export interface AuditActor {
  readonly kind: ActorKind;
  readonly id: string | null;
  /** An agent's username, a key's display prefix, the operator's OS user, or the system part that acted. */
  readonly name: string | null;
  /** SHA-256 hex of the credential used (a key's `token_hash`, or a session token's hash). */
  readonly tokenHash: string | null;
}

/** The part of a request's `Origin` an event records. */
export type RecordedOrigin = Pick<Origin, 'requestId' | 'clientAddress' | 'userAgent'>;

/** Who acted and from where: what every change carries into its audit event. */
export interface Attribution {
  readonly actor: AuditActor;
  readonly origin: Origin;
}

/** JSON values an event may carry in before/after/detail. */
export type AuditJson = string | number | boolean | null | AuditJson[] | { [key: string]: AuditJson };

/** What a caller asks to record. */
export interface AuditEntry {
  /** `null`: no customer (e.g. a failed login for an unknown username); such events form the `system` chain. */
  readonly customerId: string | null;
  readonly action: AuditAction;
  readonly targetId: string | null;
  readonly by: Attribution;
  /** The changed fields as they were, and as they are now. */
  readonly before?: Record<string, AuditJson> | null;
  readonly after?: Record<string, AuditJson> | null;
  /** Anything else the action needs on record (a leak's URL, a canary's route). */
  readonly detail?: Record<string, AuditJson> | null;
}

/** An event as stored: its place in its chain and its hashes. */
export interface AuditEvent {
  readonly id: string;
  readonly chain: string;
  readonly seq: number;
  readonly time: Instant;
  readonly customerId: string | null;
  readonly actor: AuditActor;
  readonly action: string;
  readonly targetId: string | null;
  readonly origin: RecordedOrigin;
  readonly before: Record<string, AuditJson> | null;
  readonly after: Record<string, AuditJson> | null;
  readonly detail: Record<string, AuditJson> | null;
  readonly prevHash: string;
  readonly hash: string;
}

/** The chain of events with no customer. */
export const SYSTEM_CHAIN = 'system';
/** The hash before a chain's first event. */
export const GENESIS_HASH = '0'.repeat(64);

/** The attribution of operator commands: the OS user who ran them. */
export function cliAttribution(osUser: string | null, requestId: string | null = null): Attribution {
  return { actor: { kind: 'cli', id: null, name: osUser, tokenHash: null }, origin: noOrigin(requestId) };
}

/** The attribution of something the server does by itself (`name` says which part). */
export function systemAttribution(name: string, origin: Origin = noOrigin()): Attribution {
  return { actor: { kind: 'system', id: null, name, tokenHash: null }, origin };
}
