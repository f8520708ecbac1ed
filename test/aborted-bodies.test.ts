import type { AddressInfo } from 'node:net';
import { loggerOptions } from '../src/http/logging';
import { buildTestApp, createTenant } from './helpers/app';
import type { TestApp } from './helpers/app';
import { LogCapture } from './helpers/log';
import { connect } from './helpers/socket';

// A client that starts a body and goes away is the client's problem: it must not count as the database
// failing (which takes the replica out of the load balancer through /readyz) nor be logged as a warning.
const log = new LogCapture();
let t: TestApp;
let port: number;
let credential: string;

beforeAll(async () => {
  t = await buildTestApp({ logger: loggerOptions('debug', log) });
  const tenant = await createTenant(t);
  credential = (await t.services.accesskeys.createForCustomer(tenant.customerId, { expire: 86400 }, undefined, ['accesskeys:read', 'accesskeys:write', 'accesskeys:verify'])).token;
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  port = (t.app.server.address() as AddressInfo).port;
});
afterAll(() => t.close());

/** Every route that takes a body: the documented REST surface (from the OpenAPI document) and GraphQL. */
function bodyRoutes(): Array<[string, string]> {
  const paths = (t.app.swagger() as { paths: Record<string, Record<string, unknown>> }).paths;
  const routes: Array<[string, string]> = [['POST', '/graphql']];
  for (const [path, operations] of Object.entries(paths)) {
    for (const method of Object.keys(operations)) {
      if (['post', 'put', 'patch', 'delete'].includes(method)) routes.push([method.toUpperCase(), path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000')]);
    }
  }
  return routes;
}

const openConnections = () => new Promise<number>((resolve, reject) => t.app.server.getConnections((err, n) => (err ? reject(err) : resolve(n))));

async function until(probe: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const giveUp = Date.now() + 10000;
  while (!(await probe())) {
    if (Date.now() > giveUp) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Until the server has closed its side of every connection, and what that set off has run. */
async function settled(): Promise<void> {
  await until(async () => (await openConnections()) === 0, 'the server to close every connection');
  await new Promise((resolve) => setImmediate(resolve));
}

// Each case starts with no failure in the readiness window (5 s of the test clock).
beforeEach(() => t.clock.advanceSeconds(60));

it('covers every body-taking route (REST writes, verify, leaks, login, logout, GraphQL)', () => {
  const paths = bodyRoutes().map(([method, path]) => `${method} ${path}`);
  for (const expected of ['POST /graphql', 'POST /auth/login', 'POST /v1.0/accesskeys', 'POST /v1.0/accesskeys/verify', 'POST /v1.0/accesskeys/leaks']) {
    expect(paths).toContain(expected);
  }
  expect(paths.some((p) => p.startsWith('PUT /v1.0/accesskeys/'))).toBe(true);
  expect(paths.some((p) => p.startsWith('DELETE /v1.0/accesskeys/'))).toBe(true);
});

describe.each([
  ['anonymous', () => ''],
  ['with a credential', () => `Authorization: Bearer ${credential}\r\n`],
])('%s, a body of 100 declared bytes, one sent, then the client goes', (_who, auth) => {
  it.each([
    ['closes', 'end'],
    ['resets', 'reset'],
  ])('and %s the connection: /readyz stays 200, no 5xx answer, no warning logged', async (_how, ending) => {
    log.lines.length = 0;
    const received: string[] = [];
    const arrived = () => log.records().filter((r) => r.msg === 'request received').length;
    for (const [method, path] of bodyRoutes()) {
      const before = arrived();
      const conn = await connect(port);
      await conn.write(`${method} ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n${auth()}\r\n{`);
      // The server has the request (and goes on to authenticate it and read its body) before the client goes.
      await until(() => arrived() > before, 'the request to arrive');
      if (ending === 'reset') conn.socket.resetAndDestroy();
      else conn.socket.end();
      await conn.closed;
      received.push(conn.received());
    }
    await settled();

    const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    // Nothing, or a refusal of the request itself (401 for an anonymous write): never an outage or an error of ours.
    for (const answer of received) expect(answer).not.toMatch(/^HTTP\/1\.1 5/);
    expect(log.records().filter((r) => r.level >= 40)).toEqual([]);
  });
});
