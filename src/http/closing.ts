import type { FastifyInstance } from 'fastify';

/**
 * While the server closes, answers still in flight tell the client to close
 * the connection. Otherwise a keep-alive connection that was busy when closing
 * began stays open afterwards and holds shutdown until the grace period ends.
 */
export function closeConnectionsWhenClosing(app: FastifyInstance): void {
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('Connection', 'close');
  });
}
