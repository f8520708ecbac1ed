import type { FastifyInstance } from 'fastify';

/**
 * `X-Content-Type-Options: nosniff` on every response of `app`, errors and
 * unknown paths included: a browser must never guess a type (e.g. run a JSON
 * error that echoes input as a script). Set as the request arrives, so it
 * survives whatever answer follows.
 */
export function noSniff(app: FastifyInstance): void {
  app.addHook('onRequest', async (_request, reply) => {
    reply.header('X-Content-Type-Options', 'nosniff');
  });
}
