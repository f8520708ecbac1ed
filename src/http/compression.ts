import fastifyCompress from '@fastify/compress';
import type { FastifyInstance } from 'fastify';

/** Responses smaller than this are sent as they are: compressing them saves little and costs a round of zlib. */
export const COMPRESSION_THRESHOLD_BYTES = 1024;

/**
 * Routes whose responses may carry a secret (a new access key's token, a session token) next to
 * input the client chose: they are never compressed, so the length of a compressed answer cannot
 * leak the secret (BREACH). `/graphql` is among them as a whole: `createAccesskey` answers with a
 * token, and every GraphQL answer can echo the client's operation.
 */
const UNCOMPRESSED_ROUTES: ReadonlyArray<{ readonly method: string; readonly url: string }> = [
  { method: 'POST', url: '/v1.0/accesskeys' },
  { method: 'POST', url: '/auth/login' },
  { method: '*', url: '/graphql' },
];

/**
 * Big static files that need no credentials: compressing them on every request would let anyone
 * spend a tenth of a second of CPU per request (Swagger UI's bundle is 1.7 MB). Sent as they are;
 * the playground's own assets are compressed once and kept (graphql/playground.ts).
 */
const UNCOMPRESSED_PREFIXES = ['/v1.0/docs/static/'];

function isUncompressed(methods: string | string[], url: string): boolean {
  const list = Array.isArray(methods) ? methods : [methods];
  if (UNCOMPRESSED_PREFIXES.some((prefix) => url.startsWith(prefix))) return true;
  return UNCOMPRESSED_ROUTES.some((route) => route.url === url && (route.method === '*' || list.includes(route.method)));
}

/**
 * gzip and brotli for every other response of at least `threshold` bytes whose type is
 * compressible (JSON, JavaScript, CSS, HTML), negotiated by `Accept-Encoding`. Register before any route.
 * Request bodies are not decompressed: the body limit keeps meaning bytes on the wire.
 */
export async function registerCompression(app: FastifyInstance, threshold = COMPRESSION_THRESHOLD_BYTES): Promise<void> {
  // Runs before the plugin's own onRoute hook (registered next), which honours `compress: false`.
  app.addHook('onRoute', (route) => {
    if (isUncompressed(route.method, route.url ?? '')) route.compress = false;
  });
  await app.register(fastifyCompress, {
    globalCompression: true,
    threshold,
    encodings: ['br', 'gzip'],
    globalDecompression: false,
  });
}
