import type { FastifyRequest } from 'fastify';

/** A credential as presented, before any verification. */
export interface PresentedCredential {
  readonly source: 'query' | 'header';
  /** The raw value; `null` when the location was used but holds no usable string. */
  readonly value: string | null;
}

/**
 * Finds the access key in a request: `Authorization: Bearer …` first, then the
 * `accesskey` query parameter. Returns `null` when neither is present.
 */
export function extractCredential(request: FastifyRequest): PresentedCredential | null {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer[ ]+([^\s]+)\s*$/i.exec(header);
    return { source: 'header', value: match ? match[1] : null };
  }
  const query = request.query as Record<string, unknown> | undefined;
  if (query && Object.prototype.hasOwnProperty.call(query, 'accesskey')) {
    const value = query.accesskey;
    return { source: 'query', value: typeof value === 'string' && value !== '' ? value : null };
  }
  return null;
}
