import { LEVELS, buildTestApp, createAgent, createTenant, login } from './app';
import type { TestApp, TestAppOptions, Tenant } from './app';

/**
 * The preamble most suites share: the real app on a fresh database and one tenant per name, created
 * in that order (each a customer with one key, see `createTenant`). Assign it in `beforeAll` and close
 * `t` in `afterAll`:
 *
 *     beforeAll(async () => {
 *       [t, alice, bob] = await appWithTenants({}, 'alice', 'bob');
 *     });
 *     afterAll(() => t.close());
 */
export async function appWithTenants<const N extends readonly string[]>(options: TestAppOptions, ...names: N): Promise<[TestApp, ...{ [K in keyof N]: Tenant }]> {
  const t = await buildTestApp(options);
  const tenants: Tenant[] = [];
  for (const name of names) tenants.push(await createTenant(t, name));
  return [t, ...tenants] as unknown as [TestApp, ...{ [K in keyof N]: Tenant }];
}

export interface AgentSession {
  readonly agent: Awaited<ReturnType<typeof createAgent>>['agent'];
  readonly username: string;
  readonly password: string;
  /** The session token from `POST /auth/login`. */
  readonly token: string;
}

/** An agent of `tenant` with the given permission bits (see `LEVELS`), logged in through `POST /auth/login`. */
export async function agentSession(t: TestApp, tenant: Tenant, permission: number, username?: string): Promise<AgentSession> {
  const created = await createAgent(t, tenant, permission, username);
  const { token } = await login(t, created.username, created.password);
  return { ...created, token };
}

export type Level = keyof typeof LEVELS;

/** A logged-in agent of `tenant` at every level of `LEVELS` (usernames `<prefix>-<level>`): level → session token. */
export async function sessionsByLevel(t: TestApp, tenant: Tenant, prefix: string): Promise<Record<Level, string>> {
  const sessions: Partial<Record<Level, string>> = {};
  for (const [level, bits] of Object.entries(LEVELS) as Array<[Level, number]>) {
    sessions[level] = (await agentSession(t, tenant, bits, `${prefix}-${level}`)).token;
  }
  return sessions as Record<Level, string>;
}
