import type { FastifyInstance, FastifyServerOptions } from 'fastify';

/** `LOG_LEVEL`'s values (read by src/config.ts). */
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

const SECRET_QUERY_PARAMS = new Set(['accesskey', 'token', 'password']);

/** The URL with credential query parameters replaced, fit for a log line. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q === -1) return url;
  const params = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const rawName = eq === -1 ? pair : pair.slice(0, eq);
      let name = rawName;
      try {
        name = decodeURIComponent(rawName.replace(/\+/g, ' '));
      } catch {
        // undecodable name: compare as sent
      }
      return SECRET_QUERY_PARAMS.has(name.toLowerCase()) ? `${rawName}=[REDACTED]` : pair;
    });
  return `${url.slice(0, q)}?${params.join('&')}`;
}

interface LoggedRequest {
  method: string;
  url: string;
  routeOptions?: { url?: string };
  ip?: string;
}

/**
 * pino options for Fastify: request lines carry no headers (so no
 * `Authorization`, no cookies) and a URL with credentials redacted.
 */
export function loggerOptions(level: LogLevel, stream?: NodeJS.WritableStream): FastifyServerOptions['logger'] {
  const pretty = !stream && process.stdout.isTTY;
  return {
    level,
    ...(stream ? { stream } : {}),
    ...(pretty ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } } : {}),
    // err.parameters: TypeORM's QueryFailedError carries the bound values (hashes, names) of the failed query.
    redact: { paths: ['req.headers', 'headers.authorization', 'password', 'token', 'err.parameters'], censor: '[REDACTED]' },
    serializers: {
      req(request: LoggedRequest) {
        return { method: request.method, url: redactUrl(request.url), route: request.routeOptions?.url, remoteAddress: request.ip };
      },
    },
  };
}

/**
 * One line per request, written when the answer has gone out: request id (from
 * the child logger), method, redacted URL, route template, status, duration.
 */
export function logRequests(app: FastifyInstance): void {
  // Hooks only where their lines would be written: otherwise they are per-request work for nothing.
  const level = app.log.level;
  if (level !== 'info' && level !== 'debug' && level !== 'trace') return;
  if (level !== 'info') {
    app.addHook('onRequest', async (request) => {
      request.log.debug({ method: request.method, url: redactUrl(request.url) }, 'request received');
    });
  }
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      {
        method: request.method,
        url: redactUrl(request.url),
        route: request.routeOptions.url ?? null,
        status: reply.statusCode,
        durationMs: Math.round(reply.elapsedTime * 1000) / 1000,
      },
      'request completed',
    );
  });
}
