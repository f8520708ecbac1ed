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

export function permissionNames(bits: number): string[] {
  return NAMES.filter(([bit]) => (bits & bit) !== 0).map(([, name]) => name);
}
