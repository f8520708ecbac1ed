import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/app/app';
import type { AppOptions, Services } from '../../src/app/app';
import type { Agent } from '../../src/agents/agent.entity';
import { Permission } from '../../src/agents/permission';
import type { Database } from '../../src/db/database';
import type { Metrics } from '../../src/http/metrics';
import { TestClock } from './clock';
import { openTestDatabase } from './database';
import type { TestDatabaseOptions } from './database';

export interface TestApp {
  readonly app: FastifyInstance;
  readonly services: Services;
  readonly database: Database;
  readonly clock: TestClock;
  readonly metrics: Metrics;
  close(): Promise<void>;
}

/** The real app (both transports) on a real database, with a controlled clock. */
export interface TestAppOptions extends Pick<
  AppOptions,
  'logger' | 'auth' | 'sessionKey' | 'playground' | 'metricsRoute' | 'compressionThreshold' | 'requestTimeoutMs' | 'authCache' | 'graphql' | 'maxKeyLifetimeSeconds' | 'auditRetentionDays' | 'leakReports' | 'webhooks' | 'webhookWorker' | 'policy' | 'trustProxy'
> {
  readonly database?: TestDatabaseOptions;
}

export async function buildTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = await openTestDatabase(options.database);
  const clock = new TestClock();
  const { app, services, metrics } = await buildApp({ ...options, database, clock, logger: options.logger ?? false });
  await app.ready();
  return {
    app,
    services,
    metrics,
    database,
    clock,
    async close() {
      await app.close();
      await database.close();
    },
  };
}

export interface Tenant {
  readonly customerId: string;
  readonly token: string;
  readonly keyId: string;
}

/** A customer with one access key (valid a year from the test clock's now). */
export async function createTenant(t: TestApp, name = 'tenant'): Promise<Tenant> {
  const customer = await t.services.customers.create(name);
  const { accesskey, token } = await t.services.accesskeys.createForCustomer(customer.id, { name: 'bootstrap', expire: 31536000 });
  t.clock.tick();
  return { customerId: customer.id, token, keyId: accesskey.id };
}

export function json<T = any>(res: LightMyRequestResponse): T {
  return JSON.parse(res.body) as T;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Runs a GraphQL operation through `/graphql`. */
export async function gql(t: TestApp, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const res = await t.app.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json', ...headers }, payload: { query, variables } });
  return { res, body: json(res) };
}

export const LEVELS = {
  'super-admin': Permission.ProjectSuperAdmin,
  admin: Permission.CustomerAdmin,
  manager: Permission.CustomerManager,
  agent: Permission.CustomerAgent,
} as const;

let agentSeq = 0;

/** An agent of `tenant` with the given permission bits and a known password. */
export async function createAgent(t: TestApp, tenant: Tenant, permission: number, username = `agent${++agentSeq}`) {
  const password = `pw-${username}-Secret1`;
  const agent: Agent = await t.services.agents.create(tenant.customerId, { username, password, permission, name: username });
  return { agent, username, password };
}

/** Logs in through `POST /auth/login` and returns the session token. */
export async function login(t: TestApp, username: string, password: string, remoteAddress = '127.0.0.1') {
  const res = await t.app.inject({ method: 'POST', url: '/auth/login', payload: { username, password }, remoteAddress });
  return { res, token: res.statusCode === 200 ? (json(res).token as string) : '' };
}
