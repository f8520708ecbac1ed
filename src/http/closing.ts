import type { FastifyInstance, FastifyRequest } from 'fastify';
import { unavailable } from '../errors';

/** What a stop left undone. */
export interface StopOutcome {
  /** Requests whose handler had started but whose answer had not gone out when the grace period ran out. */
  readonly cut: number;
}

/**
 * Closes `app` within `graceMs`: it stops listening at once, closes idle
 * keep-alive connections (Fastify's default), lets requests in flight finish,
 * and when the grace period runs out destroys whatever connections are left
 * (silent ones, half-sent requests, slow handlers) so they cannot hold the stop.
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

/**
 * The shutdown behaviour of the API app. While it closes, requests that still
 * arrive on open connections are refused with 503 `UNAVAILABLE` (nothing of
 * them is applied) and every answer carries `Connection: close`, so that a
 * keep-alive connection busy when closing began does not stay open afterwards.
 * Requests whose handler has started are tracked, so a stop can tell whether
 * the grace period cut any of them.
 */
export class GracefulClose {
  private closing = false;
  private readonly handling = new Set<FastifyRequest>();

  constructor(private readonly app: FastifyInstance) {
    app.addHook('preClose', async () => {
      this.closing = true;
    });
    // Registered first, so a closing server does no work (authentication, database) for a new request.
    app.addHook('onRequest', async () => {
      if (this.closing) throw unavailable('SHUTTING_DOWN', 'The server is shutting down.');
    });
    app.addHook('preHandler', async (request) => {
      this.handling.add(request);
    });
    app.addHook('onResponse', async (request) => {
      this.handling.delete(request);
    });
    app.addHook('onRequestAbort', async (request) => {
      this.handling.delete(request);
    });
    app.addHook('onSend', async (_request, reply) => {
      if (this.closing) reply.header('Connection', 'close');
    });
  }

  /** Stops the app within `graceMs` (see `closeWithin`). */
  close(graceMs: number): Promise<StopOutcome> {
    return closeWithin(this.app, graceMs, () => this.handling.size);
  }
}
