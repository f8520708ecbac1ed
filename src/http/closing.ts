import type { Socket } from 'node:net';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { unavailable } from '../errors';

/** What a stop left undone. */
export interface StopOutcome {
  /** Requests whose handler had started but whose answer had not gone out when the grace period ran out. */
  readonly cut: number;
}

export interface GracefulCloseOptions {
  /**
   * Answer requests that arrive on an open connection while closing with 503
   * `UNAVAILABLE` in the platform's envelope (the API app; default true).
   */
  readonly refuseLate?: boolean;
}

/**
 * The shutdown behaviour of an app. A stop stops listening, and closes at once
 * every connection that carries no request being handled: idle keep-alive
 * connections, silent ones, and those still sending a request's headers or
 * body (a half-sent request is no work of ours yet). Only requests that have
 * fully arrived may use the grace period; when it runs out, whatever is left
 * is cut.
 *
 * With `refuseLate`, requests that still arrive on those connections are
 * refused with 503 `UNAVAILABLE` (nothing of them is applied). While closing,
 * every answer carries `Connection: close`. Requests whose handler has started
 * are counted, so a stop can tell whether the grace period cut any of them.
 */
export class GracefulClose {
  private closing = false;
  /** Every open connection, with the requests received on it and not yet answered. */
  private readonly connections = new Map<Socket, Set<FastifyRequest>>();
  private readonly handling = new Set<FastifyRequest>();

  constructor(
    private readonly app: FastifyInstance,
    { refuseLate = true }: GracefulCloseOptions = {},
  ) {
    app.server.on('connection', (socket: Socket) => {
      // Accepted between the start of the stop and the listener's close: nothing of ours to finish.
      if (this.closing) {
        socket.destroy();
        return;
      }
      this.connections.set(socket, new Set());
      socket.once('close', () => this.connections.delete(socket));
    });
    app.addHook('preClose', async () => {
      this.closing = true;
      this.closeQuiet();
    });
    // Registered first, so a closing server does no work (authentication, database) for a new request.
    app.addHook('onRequest', async (request) => {
      if (this.closing && refuseLate) throw unavailable('SHUTTING_DOWN', 'The server is shutting down.');
      this.connections.get(request.raw.socket)?.add(request);
    });
    app.addHook('preHandler', async (request) => {
      this.handling.add(request);
    });
    app.addHook('onResponse', async (request) => this.finished(request));
    app.addHook('onRequestAbort', async (request) => this.finished(request));
    app.addHook('onSend', async (_request, reply) => {
      if (this.closing) reply.header('Connection', 'close');
    });
  }

  /** Stops the app within `graceMs` (see `closeWithin`). */
  close(graceMs: number): Promise<StopOutcome> {
    return closeWithin(this.app, graceMs, () => this.handling.size);
  }

  private finished(request: FastifyRequest): void {
    this.handling.delete(request);
    const socket = request.raw.socket;
    const requests = this.connections.get(socket);
    requests?.delete(request);
    // An answer already on its way when the stop began went out without `Connection: close`.
    if (this.closing && requests?.size === 0) socket.destroySoon();
  }

  /**
   * Closes every connection without a request that has fully arrived. A
   * request still receiving its body is cut with its connection: its client is
   * the one keeping it waiting.
   */
  private closeQuiet(): void {
    for (const [socket, requests] of this.connections) {
      if (![...requests].some((request) => request.raw.complete)) socket.destroy();
    }
  }
}

/**
 * Closes `app` within `graceMs`: it stops listening at once, lets requests in
 * flight finish, and when the grace period runs out destroys whatever
 * connections are left (slow handlers) so they cannot hold the stop.
 */
export async function closeWithin(app: FastifyInstance, graceMs: number, unanswered: () => number = () => 0): Promise<StopOutcome> {
  let cut = 0;
  const timer = setTimeout(() => {
    cut = unanswered();
    app.server.closeAllConnections();
  }, graceMs);
  try {
    await app.close();
  } finally {
    clearTimeout(timer);
  }
  return { cut };
}
