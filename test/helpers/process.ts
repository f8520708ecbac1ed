import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');

/** The environment for a child process on the embedded database in `dataDir`. */
export function embeddedEnv(dataDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir };
  delete env.DATABASE_URL;
  return { ...env, ...extra };
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * `env` without npm's `npm_config_*` variables. `npm test --loglevel=warn` passes its flags down that
 * way, and a child `npm run` would obey them over the project's `.npmrc` (and print its banner on the
 * stdout the tests read).
 */
export function childEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !/^npm_config_/i.test(name)));
}

/** Runs a command to completion (bounded by `timeoutMs`). */
export function run(command: string, args: string[], env: NodeJS.ProcessEnv, input?: string, timeoutMs = 60000): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env: childEnv(env), stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    if (input !== undefined) child.stdin!.end(input);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** `npm run admin -- …args`, exactly as docs/operations.md (Operator CLI) says. */
export const admin = (args: string[], env: NodeJS.ProcessEnv, input?: string) => run('npm', ['run', 'admin', '--', ...args], env, input);

export interface ServerProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly baseUrl: string;
  stdout(): string;
  stderr(): string;
  /** Resolves once stdout matches `pattern` (rejects after `timeoutMs`). */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** Resolves once `predicate(stdout)` holds. */
  waitForLines(predicate: (stdout: string) => boolean, timeoutMs?: number): Promise<void>;
  /** Resolves with the exit code once the process has ended. */
  readonly exited: Promise<number | null>;
}

/** Starts `node dist/src/main.js` on a free port and waits until it listens. */
export async function startServer(env: NodeJS.ProcessEnv): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['dist/src/main.js'], { cwd: ROOT, env: { ...childEnv(env), PORT: '0', HOST: '127.0.0.1' } });
  let out = '';
  let err = '';
  const waiters = new Set<() => void>();
  child.stdout.on('data', (d) => {
    out += d;
    for (const w of [...waiters]) w();
  });
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((res) => child.on('close', (code) => res(code)));
  const waitFor = <T>(probe: () => T | null, what: string, timeoutMs = 60000) =>
    new Promise<T>((resolve, reject) => {
      const check = () => {
        const found = probe();
        if (found !== null) {
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
        }
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`${what} did not appear in server output within ${timeoutMs} ms; stderr: ${err}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  const waitForOutput = (pattern: RegExp, timeoutMs?: number) => waitFor(() => pattern.exec(out), String(pattern), timeoutMs);
  const waitForLines = (predicate: (stdout: string) => boolean, timeoutMs?: number) =>
    waitFor(() => (predicate(out) ? true : null), 'the expected lines', timeoutMs).then(() => undefined);
  const listening = await Promise.race([
    waitForOutput(/Server listening at (http:\/\/127\.0\.0\.1:\d+)/),
    exited.then((code) => {
      throw new Error(`server exited with ${code} before listening: ${err}`);
    }),
  ]);
  return { child, baseUrl: listening[1], stdout: () => out, stderr: () => err, waitForOutput, waitForLines, exited };
}

/** Kept here too for the suites that import it from this module. */
export { freePort } from './port';
