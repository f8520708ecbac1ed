import type { AddressInfo } from 'node:net';
import { loggerOptions } from '../src/http/logging';
import { buildTestApp, createTenant } from './helpers/app';
import type { TestApp, Tenant } from './helpers/app';
import { LogCapture } from './helpers/log';
import { connect } from './helpers/socket';

// The real server on a real port: request deadlines are enforced by Node's HTTP server, which inject() bypasses.
const TIMEOUT_MS = 500;
const log = new LogCapture();
let t: TestApp;
let tenant: Tenant;
let port: number;

beforeAll(async () => {
  t = await buildTestApp({ logger: loggerOptions('info', log), requestTimeoutMs: TIMEOUT_MS });
  tenant = await createTenant(t);
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  port = (t.app.server.address() as AddressInfo).port;
});
afterAll(() => t.close());

/** Sends `data`, then nothing more; resolves with what the server answered and how long until it hung up. */
async function stall(data: string) {
  const conn = await connect(port);
  const started = Date.now();
  if (data !== '') await conn.write(data);
  await conn.closed;
  return { answer: conn.received(), ms: Date.now() - started };
}

/** The 408 in the platform's envelope, `DEADLINE_EXCEEDED`, with the request id also in `X-Request-Id`; returns the id. */
function expectDeadlineExceeded(answer: string): string {
  const [head, body] = answer.split('\r\n\r\n');
  expect(head).toMatch(/^HTTP\/1\.1 408 /);
  expect(head).toMatch(/\r\ncontent-type: application\/json; charset=utf-8(\r\n|$)/i);
  expect(head).toMatch(/\r\nconnection: close(\r\n|$)/i);
  expect(head).toMatch(/\r\nx-content-type-options: nosniff(\r\n|$)/i);
  const envelope = JSON.parse(body);
  expect(Object.keys(envelope.error)).toEqual(['status', 'reason', 'message', 'request_id']);
  expect(envelope.error).toMatchObject({ status: 'DEADLINE_EXCEEDED', reason: 'DEADLINE_EXCEEDED' });
  expect(Buffer.byteLength(body)).toBe(Number(/\r\ncontent-length: (\d+)/i.exec(head)![1]));
  expect(/\r\nx-request-id: ([^\r]*)/i.exec(head)?.[1]).toBe(envelope.error.request_id);
  return envelope.error.request_id;
}

describe(`a client that stalls is answered 408 DEADLINE_EXCEEDED in the envelope and disconnected (timeout ${TIMEOUT_MS} ms)`, () => {
  it('in the body: one byte of a declared ten (the request id is the request\'s own)', async () => {
    const { answer, ms } = await stall(
      `POST /v1.0/accesskeys?accesskey=${tenant.token} HTTP/1.1\r\nHost: x\r\nX-Request-Id: stalled-body-1\r\nContent-Type: application/json\r\nContent-Length: 10\r\n\r\n{`,
    );
    expect(expectDeadlineExceeded(answer)).toBe('stalled-body-1');
    expect(ms).toBeLessThan(5000); // generous: the timeout itself is the behaviour
  });

  it('in the headers', async () => {
    const { answer, ms } = await stall('GET /healthz HTTP/1.1\r\nHost: x\r\n');
    expect(expectDeadlineExceeded(answer)).toMatch(/^[0-9a-f-]{36}$/);
    expect(ms).toBeLessThan(5000);
  });

  it('before sending anything', async () => {
    const { answer, ms } = await stall('');
    expectDeadlineExceeded(answer);
    expect(ms).toBeLessThan(5000);
  });

  it('in the headers of a second request on a keep-alive connection: a fresh request id, not the answered one\'s', async () => {
    const conn = await connect(port);
    await conn.write('GET /healthz HTTP/1.1\r\nHost: x\r\nX-Request-Id: first-1\r\n\r\n');
    await conn.waitFor(/\{"status":"ok"\}/);
    await conn.write('GET /healthz HTTP/1.1\r\nHost: x\r\n');
    await conn.closed;
    const second = conn.received().slice(conn.received().indexOf('{"status":"ok"}') + '{"status":"ok"}'.length);
    expect(expectDeadlineExceeded(second)).not.toBe('first-1');
  });

  it('with a malformed request: still Node\'s 400, the connection closed', async () => {
    const { answer } = await stall('NOT HTTP\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
  });

  it('and nothing of the stalled write was applied; a prompt request on the same server still works', async () => {
    const list = await fetch(`http://127.0.0.1:${port}/v1.0/accesskeys?accesskey=${tenant.token}`);
    expect(list.status).toBe(200);
    expect(((await list.json()) as { result: unknown[] }).result).toHaveLength(1);
    // A stalled client is the client's problem, not a server error.
    expect(log.records().filter((r) => r.level >= 50)).toEqual([]);
  });
});

it('leaves the termination signals to main.ts (GraphQL does not install handlers of its own)', async () => {
  const before = process.listenerCount('SIGTERM') + process.listenerCount('SIGINT');
  const saved = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production'; // Apollo installs its handlers outside of tests only
  try {
    const other = await buildTestApp();
    const during = process.listenerCount('SIGTERM') + process.listenerCount('SIGINT');
    await other.close();
    expect(during).toBe(before);
  } finally {
    process.env.NODE_ENV = saved;
  }
});
