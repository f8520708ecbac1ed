import type { Action, Scope } from '../scopes';
import type { Caller } from '../context';
import { Permission } from '../agents/permission';
import { permissionDenied } from '../errors';
import type { AppError } from '../errors';

/** What an access key may do: it acts as its customer's admin. */
export const ACCESSKEY_PERMISSION = Permission.CustomerAdmin;

/** The permission bits a caller holds. */
export function permissionOf(caller: Caller): number {
  return caller.kind === 'accesskey' ? ACCESSKEY_PERMISSION : caller.permission;
}

/**
 * The one rule: may this caller do this? (Scope to the caller's own customer is the services' job.)
 * An access key acts as its customer's admin, limited by its scopes. An agent
 * with the customer admin or super admin permission may read and write keys;
 * only a super admin may verify other keys' tokens. Only such agents (no key)
 * may read the audit trail, and only they are told which keys are canaries.
 */
export function isAllowed(caller: Caller, action: Action): boolean {
  const bits = permissionOf(caller);
  // The audit trail is for people: a key (which may be the leaked one) cannot read what it did.
  if (action === 'audit:read') return caller.kind === 'agent' && (bits & (Permission.CustomerAdmin | Permission.ProjectSuperAdmin)) !== 0;
  // Whoever holds a (leaked) read key must not be able to tell the canaries from the keys worth using.
  if (action === 'canaries:read') return caller.kind === 'agent' && (bits & (Permission.CustomerAdmin | Permission.ProjectSuperAdmin)) !== 0;
  // A leaked key must not be able to silence or redirect the alerts about it.
  if (action === 'webhooks:manage') return caller.kind === 'agent' && (bits & (Permission.CustomerAdmin | Permission.ProjectSuperAdmin)) !== 0;
  if (caller.kind === 'accesskey' && !caller.scopes.includes(action)) return false;
  switch (action) {
    case 'accesskeys:read':
    case 'accesskeys:write':
      return (bits & (Permission.CustomerAdmin | Permission.ProjectSuperAdmin)) !== 0;
    case 'accesskeys:verify':
      return caller.kind === 'accesskey' || (bits & Permission.ProjectSuperAdmin) !== 0;
  }
}

/**
 * May this caller give a new key this scope? Only scopes it holds itself (no
 * escalation); `accesskeys:verify` only a super admin agent (a verifying key
 * cannot hand its power on). Operator commands grant anything without asking here.
 */
export function mayGrant(caller: Caller, scope: Scope): boolean {
  if (scope === 'accesskeys:verify') return caller.kind === 'agent' && isAllowed(caller, scope);
  return isAllowed(caller, scope);
}

const REFUSALS: Record<Action, string> = {
  'accesskeys:read': 'Reading access keys needs the customer admin permission or the accesskeys:read scope.',
  'accesskeys:write': 'Changing access keys needs the customer admin permission or the accesskeys:write scope.',
  'accesskeys:verify': 'Verifying tokens needs the super admin permission or the accesskeys:verify scope.',
  'audit:read': 'Reading the audit trail needs an agent with the customer admin or super admin permission.',
  'canaries:read': 'Telling canary keys apart needs an agent with the customer admin or super admin permission.',
  'webhooks:manage': 'Managing webhooks needs an agent with the customer admin or super admin permission (access keys may not).',
};

/** What a caller who may not do `action` is answered. */
export const refusalFor = (action: Action): AppError => permissionDenied(REFUSALS[action]);

export function authorize(caller: Caller, action: Action): void {
  if (!isAllowed(caller, action)) throw refusalFor(action);
}
