import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { negotiateEncoding } from '../http/precompressed';
import type { ContentCoding } from '../http/precompressed';

/**
 * The console (console/, built by Vite into dist/console/ at `npm run build`), served at `/console`.
 * The build wrote a `.br` and a `.gz` beside each file; they are read once, here, and sent as they
 * are (never compressed per request). Asset names carry a hash of their content, hence the year-long
 * immutable cache; the page itself is revalidated on every load so an upgrade is picked up.
 */

export const CONSOLE_PATH = '/console';
const ASSET_PREFIX = `${CONSOLE_PATH}/assets/`;

/**
 * The page's policy: scripts and styles from this server only (Vite's build has no inline script),
 * requests to this server only, no framing, no forms posted elsewhere.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

interface StaticFile {
  readonly contentType: string;
  readonly variants: ReadonlyMap<ContentCoding | 'identity', Buffer>;
  readonly codings: readonly ContentCoding[];
}

/** Where the build put the console: dist/console/, from src/console/ (tests) or dist/src/console/ (the built server). */
export function defaultConsoleDir(): string {
  const root = path.resolve(__dirname, '..', '..');
  return path.basename(root) === 'dist' ? path.join(root, 'console') : path.join(root, 'dist', 'console');
}

function readStatic(file: string): StaticFile {
  const variants = new Map<ContentCoding | 'identity', Buffer>([['identity', readFileSync(file)]]);
  const codings: ContentCoding[] = [];
  for (const [coding, suffix] of [['br', '.br'], ['gzip', '.gz']] as const) {
    if (existsSync(file + suffix)) {
      variants.set(coding, readFileSync(file + suffix));
      codings.push(coding);
    }
  }
  return { contentType: TYPES[path.extname(file)] ?? 'application/octet-stream', variants, codings };
}

function send(request: FastifyRequest, reply: FastifyReply, file: StaticFile): FastifyReply {
  const coding = negotiateEncoding(request.headers['accept-encoding'], file.codings);
  const body = file.variants.get(coding) ?? file.variants.get('identity')!;
  reply.type(file.contentType).header('content-length', body.length);
  if (file.codings.length > 0) reply.header('vary', 'accept-encoding');
  if (coding !== 'identity') reply.header('content-encoding', coding);
  return reply.send(body);
}

export interface ConsoleOptions {
  /** The built console; {@link defaultConsoleDir} when absent. */
  readonly dir?: string;
}

/** `GET /console`, every page under it (the same index.html: the console routes in the browser) and its assets. */
export function registerConsole(app: FastifyInstance, options: ConsoleOptions = {}): void {
  const dir = options.dir ?? defaultConsoleDir();
  const indexFile = path.join(dir, 'index.html');
  const built = existsSync(indexFile);
  const index = built ? readStatic(indexFile) : null;
  // A fixed table read at start: no file-system path is ever built from a URL.
  const assets = new Map<string, StaticFile>();
  const assetDir = path.join(dir, 'assets');
  if (built && existsSync(assetDir)) {
    for (const name of readdirSync(assetDir)) {
      if (!/\.(br|gz)$/.test(name)) assets.set(name, readStatic(path.join(assetDir, name)));
    }
  }

  const page = async (request: FastifyRequest, reply: FastifyReply) => {
    reply
      .header('content-security-policy', CONSOLE_CSP)
      .header('referrer-policy', 'no-referrer')
      .header('cache-control', 'no-cache');
    if (!index) {
      return reply
        .code(404)
        .type('text/plain; charset=utf-8')
        .send('The console is not built: run `npm run build` (it writes dist/console/).\n');
    }
    return send(request, reply, index);
  };
  app.get(CONSOLE_PATH, { compress: false, schema: { hide: true } }, page);
  app.get(`${CONSOLE_PATH}/*`, { compress: false, schema: { hide: true } }, page);

  app.get<{ Params: { name: string } }>(`${ASSET_PREFIX}:name`, { compress: false, schema: { hide: true } }, async (request, reply) => {
    const asset = assets.get(request.params.name);
    if (!asset) {
      reply.callNotFound();
      return reply;
    }
    reply.header('cache-control', 'public, max-age=31536000, immutable');
    return send(request, reply, asset);
  });
}
