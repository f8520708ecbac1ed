import type { Caller } from '../context';
import { permissionDenied } from '../errors';

/** The platform's permission bit flags. */
export const Permission = {
  ProjectSuperAdmin: 0x0001,
  CustomerAgent: 0x0010,
  CustomerAdmin: 0x0020,
  CustomerManager: 0x0040,
} as const;

const NAMES: ReadonlyArray<[number, string]> = [
  [Permission.ProjectSuperAdmin, 'PROJECT_SUPER_ADMIN'],
  [Permission.CustomerAgent, 'CUSTOMER_AGENT'],
  [Permission.CustomerAdmin, 'CUSTOMER_ADMIN'],
  [Permission.CustomerManager, 'CUSTOMER_MANAGER'],
];

/** What an access key may do: it acts as its customer's admin. */
export const ACCESSKEY_PERMISSION = Permission.CustomerAdmin;

/** Every action that needs more than a valid credential. */
export type Action = 'accesskeys:manage';

/** The permission bits a caller holds. */
export function permissionOf(caller: Caller): number {
  return caller.kind === 'accesskey' ? ACCESSKEY_PERMISSION : caller.permission;
}

export function permissionNames(bits: number): string[] {
  return NAMES.filter(([bit]) => (bits & bit) !== 0).map(([, name]) => name);
}

/** The one rule: may this caller do this? (Scope to the caller's own customer is the services' job.) */
export function isAllowed(caller: Caller, action: Action): boolean {
  switch (action) {
    case 'accesskeys:manage':
      return (permissionOf(caller) & (Permission.CustomerAdmin | Permission.ProjectSuperAdmin)) !== 0;
  }
}

export function authorize(caller: Caller, action: Action): void {
  if (!isAllowed(caller, action)) throw permissionDenied('Managing access keys needs the customer admin permission.');
}
