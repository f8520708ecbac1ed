import type { FastifyServerOptions } from 'fastify';
import type { LogLevel } from '../config';

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
  return {
    level,
    ...(stream ? { stream } : {}),
    redact: { paths: ['req.headers', 'headers.authorization', 'password', 'token'], censor: '[REDACTED]' },
    serializers: {
      req(request: LoggedRequest) {
        return { method: request.method, url: redactUrl(request.url), route: request.routeOptions?.url, remoteAddress: request.ip };
      },
    },
  };
}
