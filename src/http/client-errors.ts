import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors';
import { errorEnvelope, httpStatusFor } from './errors';

export const DEADLINE_EXCEEDED = new AppError('DEADLINE_EXCEEDED', 'DEADLINE_EXCEEDED', 'The request did not arrive in time.');

/** A whole answer written straight to the socket: Node raises these errors where no reply object can answer. */
function rawAnswer(status: number, body: string, headers: Record<string, string> = {}): string {
  const lines = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'X-Content-Type-Options: nosniff',
    'Connection: close',
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

/**
 * Answers the errors Node's HTTP server raises about a connection rather than
 * a request (Fastify's `clientErrorHandler`). A client that has not sent its
 * whole request within `REQUEST_TIMEOUT_MS` gets 408 `DEADLINE_EXCEEDED` in the
 * platform's envelope, under the id of the request it was sending (or a new
 * id when not even its headers arrived); malformed HTTP keeps Node's own 400
 * or 431. The client's doing either way: logged at debug, the connection closed.
 */
export class ClientErrors {
  /** The request whose body is still arriving, by connection. */
  private readonly receiving = new WeakMap<Socket, string>();

  /** Remembers which request each connection is sending, so a timeout can name it. */
  track(app: FastifyInstance): void {
    app.addHook('onRequest', async (request) => {
      this.receiving.set(request.raw.socket, request.id);
    });
    // Once the body has arrived the request is ours; a later timeout on the connection concerns a next request.
    app.addHook('preValidation', async (request) => {
      this.receiving.delete(request.raw.socket);
    });
  }

  /** For Fastify's `clientErrorHandler` option (called with the instance as `this`). */
  handler(): (this: FastifyInstance, err: NodeJS.ErrnoException, socket: Socket) => void {
    const receiving = this.receiving;
    return function (this: FastifyInstance, err, socket) {
      // A connection the client reset: nobody to answer.
      if (err.code === 'ECONNRESET' || socket.destroyed) return;
      let answer: string;
      if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
        const requestId = receiving.get(socket) ?? randomUUID();
        this.log.debug({ reqId: requestId }, 'the client did not send its whole request within REQUEST_TIMEOUT_MS: answered 408');
        answer = rawAnswer(httpStatusFor(DEADLINE_EXCEEDED.code), JSON.stringify(errorEnvelope(DEADLINE_EXCEEDED, requestId)), { 'X-Request-Id': requestId });
      } else {
        const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
        this.log.debug({ error: err.code }, 'malformed HTTP from a client');
        answer = rawAnswer(status, JSON.stringify({ error: STATUS_CODES[status], message: 'Client Error', statusCode: status }));
      }
      if (socket.writable) socket.write(answer);
      socket.destroy(err);
    };
  }
}
