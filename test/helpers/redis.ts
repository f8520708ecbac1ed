import net from 'node:net';
import { TcpProxy } from './proxy';

/** The machine's Redis, which .ci/run starts when it is not running (shared rate-limit counters). */
export const REDIS = { host: '127.0.0.1', port: 6379 } as const;
export const REDIS_URL = `redis://${REDIS.host}:${REDIS.port}`;

/** Whether the Redis at `url` (the machine's by default) answers PING within a second. */
export function redisUp(url: string = REDIS_URL): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port || 6379) });
    socket.setTimeout(1000);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (d) => {
      socket.destroy();
      resolve(d.toString().startsWith('+PONG'));
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** Says that a test is skipped for want of Redis, and why. */
export function skipWithoutRedis(): void {
  process.stdout.write(`SKIPPED: no Redis at ${REDIS.host}:${REDIS.port} (.ci/run starts it)\n`);
}

/** `true` when Redis answers; otherwise says the test is skipped (`skipWithoutRedis`) and returns `false`. */
export async function redisOrSkip(): Promise<boolean> {
  if (await redisUp()) return true;
  skipWithoutRedis();
  return false;
}

/** A TCP proxy in front of the machine's Redis, to cut it mid-run (`setMode('blackhole' | 'reset')`, `cut()`), and its URL. */
export async function redisProxy(): Promise<{ proxy: TcpProxy; url: string }> {
  const proxy = await TcpProxy.start(REDIS);
  return { proxy, url: `redis://127.0.0.1:${proxy.port}` };
}
