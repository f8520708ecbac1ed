import type { FastifyRequest } from 'fastify';
import { TOKEN_PREFIX, withoutSecretTokenScheme } from '../keys/token';

/** What a request presented, before any verification. */
export interface PresentedCredentials {
  /** A session token (JWT), from `Authorization: Bearer`, `?token=` or the `token` cookie. */
  readonly session?: string;
  /** An access key, from `Authorization: Bearer vb_…` or `?accesskey=`. */
  readonly accesskey?: string;
  /** Something was presented but is unusable (e.g. a non-Bearer `Authorization`, an empty or repeated parameter). */
  readonly malformed: boolean;
  /** A credential came in the query string (even an empty one). */
  readonly viaQuery: boolean;
}

function queryValue(query: Record<string, unknown> | undefined, name: string): { present: boolean; value?: string } {
  if (!query || !Object.prototype.hasOwnProperty.call(query, name)) return { present: false };
  const value = query[name];
  return { present: true, value: typeof value === 'string' && value !== '' ? value : undefined };
}

/**
 * Collects every credential in a request. A Bearer value that starts with
 * `vb_` is an access key; any other is a session token. The header comes
 * before the query string, the query string before the cookie.
 */
export function extractCredentials(request: FastifyRequest): PresentedCredentials {
  let session: string | undefined;
  let accesskey: string | undefined;
  let malformed = false;

  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer[ ]+([^\s]+)\s*$/i.exec(header);
    const value = match ? withoutSecretTokenScheme(match[1]) : '';
    if (!match) malformed = true;
    else if (value.startsWith(TOKEN_PREFIX)) accesskey = value;
    else session = value;
  }

  const query = request.query as Record<string, unknown> | undefined;
  const token = queryValue(query, 'token');
  const key = queryValue(query, 'accesskey');
  if (token.present && token.value === undefined) malformed = true;
  if (key.present && key.value === undefined) malformed = true;
  session ??= token.value;
  accesskey ??= key.value === undefined ? undefined : withoutSecretTokenScheme(key.value);

  const cookie = request.cookies?.token;
  if (typeof cookie === 'string' && cookie !== '') session ??= cookie;

  return { session, accesskey, malformed, viaQuery: token.present || key.present };
}
