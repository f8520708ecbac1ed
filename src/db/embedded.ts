import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { EmbeddedWorkerData, FromWorker, ToWorker } from './embedded-worker';
import { lockDataDir } from './lock';
import { findTemplate, isEmptyCluster, pgliteVersion, seedFromTemplate } from './template';

/** Settings of the embedded PostgreSQL. */
// PostgreSQL's default 128 MB of shared buffers lives in the process's WebAssembly memory here;
// 16 MB halves the server's resident size (the OS page cache still holds the files).
export const EMBEDDED_POSTGRESQL_CONF = 'shared_buffers = 16MB';

export interface EmbeddedOptions {
  readonly inMemory: boolean;
  /** Where ready, migrated clusters are kept (see db/template.ts); `null`: always initdb. */
  readonly templateDir: string | null;
  readonly migrations: readonly string[];
  /** Told what the operator should know: a template passed over, the database's thread lost and restarted. */
  readonly onNotice: (line: string) => void;
}

export interface Embedded {
  /** Where the pool connects: the private socket's directory. */
  readonly connection: { host: string; port: number };
  /** The template the cluster was unpacked from, or `null`. */
  readonly seededFrom: string | null;
  /** Stops the database's thread (PGlite closed cleanly) and releases the data directory. Idempotent. */
  shutdown(): Promise<void>;
  /** Test seam: ends the database's thread as a crash would (it is restarted). */
  crash(): Promise<void>;
}

/** How long a stop waits for PGlite to close before the thread is ended. */
const CLOSE_TIMEOUT_MS = 10000;
/** The pause before a lost database thread is started again. */
const RESTART_DELAY_MS = 500;

/**
 * The worker's script. Under ts-jest this module is the .ts source, which a
 * worker cannot run: it runs the build's JavaScript (tests build first).
 */
function workerScript(): string {
  const beside = path.join(__dirname, 'embedded-worker.js');
  if (fs.existsSync(beside)) return beside;
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) return beside;
    dir = parent;
  }
  return path.join(dir, 'dist', 'src', 'db', 'embedded-worker.js');
}

/**
 * For a data directory without a cluster, unpacks the best template there is.
 * Returns the template's file, or `null` (no usable template: PGlite runs initdb).
 */
function seedNewCluster(pgdata: string, opts: EmbeddedOptions): string | null {
  // A seeding cut short by an earlier start: never renamed into place, so never used.
  fs.rmSync(`${pgdata}.seeding`, { recursive: true, force: true });
  if (opts.inMemory || opts.templateDir === null || !isEmptyCluster(pgdata)) return null;
  const { template, skipped } = findTemplate(opts.templateDir, pgliteVersion(), opts.migrations);
  for (const reason of skipped) opts.onNotice(`Embedded database template not used: ${reason}`);
  if (!template) return null;
  try {
    seedFromTemplate(template, pgdata);
    return template.file;
  } catch (err) {
    opts.onNotice(`Embedded database template ${template.file} could not be unpacked (${(err as Error).message})`);
    return null;
  }
}

/** One run of the database's thread: resolves once it serves the socket, rejects with why it could not. */
function startWorker(data: EmbeddedWorkerData): Promise<Worker> {
  fs.rmSync(data.socketPath, { force: true });
  const worker = new Worker(workerScript(), { workerData: data });
  return new Promise((resolve, reject) => {
    const onMessage = (message: FromWorker) => {
      done();
      if (message.type === 'ready') resolve(worker);
      else reject(new Error(message.type === 'failed' ? message.message : 'the embedded database closed while starting'));
    };
    const onError = (err: Error) => {
      done();
      reject(err);
    };
    const onExit = (code: number) => {
      done();
      reject(new Error(`the embedded database's thread ended while starting (exit code ${code})`));
    };
    const done = () => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });
}

/** Asks the thread to close PGlite and waits for it to end (bounded: then it is ended). */
async function stopWorker(worker: Worker): Promise<void> {
  const ended = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  const closed = new Promise<void>((resolve, reject) => {
    worker.on('message', (message: FromWorker) => {
      if (message.type === 'closed') resolve();
      else if (message.type === 'failed') reject(new Error(message.message));
    });
    worker.once('exit', () => resolve());
  });
  worker.postMessage({ type: 'close' } satisfies ToWorker);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), CLOSE_TIMEOUT_MS)));
  try {
    const outcome = await Promise.race([closed.then(() => 'closed' as const), timeout]);
    if (outcome === 'timeout') await worker.terminate();
    await ended;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Opens the embedded database: PGlite on a thread of its own, serving a
 * private Unix socket that the main thread's `pg` pool connects to, so the
 * database's CPU and the server's each have a core. The data directory is
 * locked for this process; a new one is unpacked from the template. A thread
 * that dies (a WebAssembly abort) is reported and started again on the same
 * directory: statements in flight fail as the database being unavailable,
 * later ones reach the new thread.
 */
export async function openEmbedded(dataDir: string, opts: EmbeddedOptions): Promise<Embedded> {
  const { inMemory } = opts;
  const release = inMemory ? () => undefined : lockDataDir(dataDir);
  // Unix socket paths are limited to ~107 bytes, so the socket lives in a short private temp dir.
  const socketDir = fs.mkdtempSync(path.join(os.tmpdir(), 'akd-'));
  const pgdata = path.join(dataDir, 'pgdata');
  const data: EmbeddedWorkerData = {
    dataDir: inMemory ? null : dataDir,
    pgdata: inMemory ? null : pgdata,
    socketPath: path.join(socketDir, '.s.PGSQL.5432'),
    postgresqlconf: EMBEDDED_POSTGRESQL_CONF,
    maxConnections: 4,
  };
  let worker: Worker | null = null;
  let stopping = false;
  let closing: Promise<void> | undefined;
  let restartTimer: NodeJS.Timeout | undefined;

  const supervise = (running: Worker) => {
    running.once('error', (err) => opts.onNotice(`The embedded database's thread failed: ${err.message}`));
    running.once('exit', (code) => {
      if (stopping || worker !== running) return;
      worker = null;
      if (inMemory) {
        // Nothing to start again from: the database was in the lost thread's memory.
        opts.onNotice(`The embedded database's thread ended unexpectedly (exit code ${code}); the database was in memory and is gone`);
        return;
      }
      opts.onNotice(`The embedded database's thread ended unexpectedly (exit code ${code}); starting it again`);
      restart();
    });
  };
  const restart = () => {
    restartTimer = setTimeout(() => {
      restartTimer = undefined;
      if (stopping) return;
      startWorker(data).then(
        (started) => {
          if (stopping) {
            void stopWorker(started);
            return;
          }
          worker = started;
          supervise(started);
          opts.onNotice("The embedded database's thread is serving again");
        },
        (err: unknown) => {
          opts.onNotice(`The embedded database's thread could not be started again (${(err as Error).message}); retrying`);
          restart();
        },
      );
    }, RESTART_DELAY_MS);
  };
  const shutdown = (): Promise<void> => {
    closing ??= (async () => {
      stopping = true;
      clearTimeout(restartTimer);
      try {
        if (worker) await stopWorker(worker);
      } finally {
        worker = null;
        fs.rmSync(socketDir, { recursive: true, force: true });
        release();
      }
    })();
    return closing;
  };

  let seededFrom: string | null = null;
  try {
    seededFrom = seedNewCluster(pgdata, opts);
    if (seededFrom === null && !inMemory && isEmptyCluster(pgdata)) {
      // No template: PGlite runs initdb in a second instance whose memory (~130 MB of WebAssembly)
      // stays with the thread. Made by a thread of its own that then ends, so the serving one starts small.
      await stopWorker(await startWorker(data));
    }
    try {
      worker = await startWorker(data);
    } catch (err) {
      if (seededFrom === null) throw err;
      // A template that unpacked but does not start: made anew by initdb.
      opts.onNotice(`Embedded database template ${seededFrom} did not start (${(err as Error).message}); running initdb instead`);
      seededFrom = null;
      fs.rmSync(pgdata, { recursive: true, force: true });
      worker = await startWorker(data);
    }
    supervise(worker);
  } catch (err) {
    await shutdown();
    throw err;
  }
  return {
    connection: { host: socketDir, port: 5432 },
    seededFrom,
    shutdown,
    async crash() {
      await worker?.terminate();
    },
  };
}
