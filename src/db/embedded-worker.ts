import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { restrictToOwner } from './owner-only';

/**
 * The embedded database's own thread: PGlite and the socket the pool talks
 * to (see `openEmbedded` in database.ts). Its CPU (parsing, planning,
 * executing in WebAssembly) no longer competes with HTTP, GraphQL and JSON on
 * the main thread. Statements still reach it over the private Unix socket as
 * before, from the main thread's one pooled connection.
 */
export interface EmbeddedWorkerData {
  /** The data directory, or `null` for a database in memory. */
  readonly dataDir: string | null;
  readonly pgdata: string | null;
  readonly socketPath: string;
  readonly postgresqlconf: string;
  /** At most this many connections to the socket at once. */
  readonly maxConnections: number;
}

/** What the worker tells the main thread. */
export type FromWorker = { readonly type: 'ready' } | { readonly type: 'failed'; readonly message: string } | { readonly type: 'closed' };
/** What the main thread tells the worker. */
export type ToWorker = { readonly type: 'close' };

async function main(port: NonNullable<typeof parentPort>, data: EmbeddedWorkerData): Promise<void> {
  const send = (message: FromWorker) => port.postMessage(message);
  let pglite: PGlite | undefined;
  let server: PGLiteSocketServer | undefined;
  const close = async () => {
    await server?.stop().catch(() => undefined);
    if (pglite && !pglite.closed) await pglite.close();
  };
  try {
    pglite = await PGlite.create(data.pgdata ?? 'memory://', { postgresqlconf: data.postgresqlconf });
    // PGlite unpacks a new cluster with mode 0666 whatever the umask, and an older version of this
    // server left directories as the umask made them: both become owner-only on every start. Done
    // here, on PGlite's own thread, so no file appears or vanishes during the walk.
    if (data.dataDir !== null) restrictToOwner(data.dataDir);
    server = new PGLiteSocketServer({ db: pglite, path: data.socketPath, maxConnections: data.maxConnections });
    await server.start();
  } catch (err) {
    await close().catch(() => undefined);
    send({ type: 'failed', message: (err as Error).message });
    port.close();
    return;
  }
  port.on('message', (message: ToWorker) => {
    if (message.type !== 'close') return;
    void close().then(
      () => {
        send({ type: 'closed' });
        port.close();
      },
      (err: unknown) => {
        send({ type: 'failed', message: `closing: ${(err as Error).message}` });
        port.close();
      },
    );
  });
  send({ type: 'ready' });
}

if (parentPort) void main(parentPort, workerData as EmbeddedWorkerData);
