import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ApolloServerPlugin } from '@apollo/server';
import type { FastifyInstance } from 'fastify';
import { COMPRESSION_THRESHOLD_BYTES } from '../http/compression';
import { CONTENT_CODINGS, PrecompressedBody, negotiateEncoding } from '../http/precompressed';
import type { ContentCoding } from '../http/precompressed';

/**
 * An offline GraphiQL playground at `GET /graphql` (for browsers, i.e. `Accept: text/html`).
 *
 * Every asset is served by this server from `/graphql/assets/`: the React UMD builds, GraphiQL's UMD
 * bundle and stylesheet (its fonts and icons are inlined as data: URIs), and a small bootstrap
 * script and stylesheet of our own. Nothing is loaded from the internet, and the page's
 * Content-Security-Policy would refuse it anyway.
 */

const ENDPOINT = '/graphql';
export const PLAYGROUND_ASSET_PREFIX = `${ENDPOINT}/assets/`;

const DEFAULT_HEADERS = JSON.stringify({ Authorization: 'Bearer vb_YOUR_ACCESS_KEY' }, null, 2);

const DEFAULT_QUERY = `# 1. Put your access key in the Headers tab below.
# 2. Press the run button (or Ctrl-Enter).
# The book icon (top left) opens the schema docs.
{
  accesskeys(first: 10) {
    nodes { id name tokenPrefix tmExpire }
    pageInfo { hasNextPage endCursor }
  }
}
`;

// Kept out of the HTML so that the CSP needs no inline script or style.
const BOOTSTRAP_JS = `'use strict';
(function () {
  // GraphiQL's history saves each operation's headers (access keys!) in localStorage even with
  // shouldPersistHeaders off, so history entries are stored without them.
  function withoutHeaders(key, value) {
    if (key !== 'graphiql:queries' && key !== 'graphiql:favorites') return value;
    var saved = JSON.parse(value);
    Object.keys(saved).forEach(function (list) {
      saved[list].forEach(function (entry) { delete entry.headers; });
    });
    return JSON.stringify(saved);
  }
  var storage = {
    getItem: function (key) { return localStorage.getItem(key); },
    setItem: function (key, value) { localStorage.setItem(key, withoutHeaders(key, value)); },
    removeItem: function (key) { localStorage.removeItem(key); },
    get length() { return localStorage.length; },
    clear: function () {
      Object.keys(localStorage).forEach(function (key) {
        if (key.indexOf('graphiql:') === 0) localStorage.removeItem(key);
      });
    },
  };

  ReactDOM.createRoot(document.getElementById('graphiql')).render(React.createElement(GraphiQL, {
    // POSTs application/json, which Apollo's CSRF prevention requires.
    fetcher: GraphiQL.createFetcher({ url: ${JSON.stringify(ENDPOINT)} }),
    storage: storage,
    defaultQuery: ${JSON.stringify(DEFAULT_QUERY)},
    defaultHeaders: ${JSON.stringify(DEFAULT_HEADERS)},
    defaultEditorToolsVisibility: 'headers',
    // Keeps the headers editor (and its access key) out of localStorage.
    shouldPersistHeaders: false,
  }));
})();
`;

const PAGE_CSS = `html, body { height: 100%; margin: 0; overflow: hidden; }
#graphiql { height: 100vh; }
`;

const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "font-src 'self' data:",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';

interface Asset {
  readonly contentType: string;
  readonly body: PrecompressedBody;
}

interface Assets {
  /** URL file name (under the prefix) → asset. The names carry a hash of the content, hence the long cache. */
  readonly byName: ReadonlyMap<string, Asset>;
  readonly css: readonly string[];
  readonly scripts: readonly string[];
}

/** A package's directory, found through its package.json: React's `exports` map hides `umd/` from `require.resolve`. */
function packageDir(name: string): string {
  return path.dirname(require.resolve(`${name}/package.json`));
}

const shortHash = (body: Buffer) => createHash('sha256').update(body).digest('hex').slice(0, 12);

/** `graphiql.min.js` → `graphiql.min.<hash>.js`: a changed file gets a new URL, so caches never serve a stale one. */
function hashedName(base: string, body: Buffer): string {
  const dot = base.lastIndexOf('.');
  return `${base.slice(0, dot)}.${shortHash(body)}${base.slice(dot)}`;
}

let assetTable: Assets | undefined;

/**
 * The fixed set of files the page needs; nothing else under the prefix exists. Read once, when the
 * playground is first set up (about 4 MB), because the names need the content's hash. Each file is
 * compressed once per coding, when first asked for in it (see {@link PrecompressedBody}), and the
 * table is shared by every app in the process, so a second app does not compress again.
 */
function assets(): Assets {
  if (assetTable) return assetTable;
  const react = packageDir('react');
  const reactDom = packageDir('react-dom');
  const graphiql = packageDir('graphiql');
  const sources: [string, Buffer, string][] = [
    ['graphiql.min.css', readFileSync(path.join(graphiql, 'graphiql.min.css')), CSS],
    ['playground.css', Buffer.from(PAGE_CSS), CSS],
    // Script order matters: GraphiQL's UMD bundle expects window.React and window.ReactDOM.
    ['react.production.min.js', readFileSync(path.join(react, 'umd', 'react.production.min.js')), JS],
    ['react-dom.production.min.js', readFileSync(path.join(reactDom, 'umd', 'react-dom.production.min.js')), JS],
    ['graphiql.min.js', readFileSync(path.join(graphiql, 'graphiql.min.js')), JS],
    ['playground.js', Buffer.from(BOOTSTRAP_JS), JS],
  ];
  const entries = sources.map(([base, body, contentType]): [string, Asset] => [
    hashedName(base, body),
    { contentType, body: new PrecompressedBody(body, body.length >= COMPRESSION_THRESHOLD_BYTES ? CONTENT_CODINGS : []) },
  ]);
  const names = entries.map(([name]) => name);
  assetTable = {
    byName: new Map(entries),
    css: names.filter((name) => name.endsWith('.css')),
    scripts: names.filter((name) => name.endsWith('.js')),
  };
  return assetTable;
}

function pageHtml(): string {
  const { css, scripts } = assets();
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>GraphQL playground · vb-accesskey-server</title>
<link rel="icon" href="data:,">
${css.map((name) => `<link rel="stylesheet" href="${PLAYGROUND_ASSET_PREFIX}${name}">`).join('\n')}
${scripts.map((name) => `<script defer src="${PLAYGROUND_ASSET_PREFIX}${name}"></script>`).join('\n')}
</head>
<body>
<div id="graphiql">Loading the GraphQL playground…</div>
<noscript>The GraphQL playground needs JavaScript. The API itself is at POST ${ENDPOINT}.</noscript>
</body>
</html>
`;
}

/** Apollo's landing-page hook: what `GET /graphql` answers a browser. */
export function playgroundLandingPage(): ApolloServerPlugin {
  return {
    async serverWillStart() {
      const html = pageHtml();
      return {
        async renderLandingPage() {
          return { html };
        },
      };
    },
  };
}

/**
 * Serves the playground's assets and adds security headers to the playground page.
 *
 * Call it directly on the instance that will carry `/graphql` (not through `app.register`), before
 * the Apollo routes are registered: the `onSend` hook must reach Apollo's route, which encapsulation
 * would otherwise prevent.
 */
export async function playgroundAssets(app: FastifyInstance): Promise<void> {
  const { byName } = assets();

  // Compressed here, once per coding (not by @fastify/compress on every request: brotli on the
  // 3.5 MB bundle is a tenth of a second or more of CPU, and these routes need no credentials).
  app.get<{ Params: { name: string } }>(`${PLAYGROUND_ASSET_PREFIX}:name`, { compress: false }, async (request, reply) => {
    // A fixed lookup table: no file-system path is ever built from the URL.
    const asset = byName.get(request.params.name);
    if (!asset) {
      reply.callNotFound();
      return reply;
    }
    const { body, codings } = asset.body;
    const coding = negotiateEncoding(request.headers['accept-encoding'], codings);
    const payload = coding === 'identity' ? body : await asset.body.encoded(coding);
    reply
      .type(asset.contentType)
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('content-length', payload.length);
    if (codings.length > 0) reply.header('vary', 'accept-encoding');
    if (coding !== 'identity') reply.header('content-encoding', coding);
    return reply.send(payload);
  });

  // Apollo sets only the content type of the landing page; the page is the one HTML response here.
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.routeOptions.url === ENDPOINT && String(reply.getHeader('content-type') ?? '').startsWith('text/html')) {
      reply
        .header('content-security-policy', CSP)
        .header('referrer-policy', 'no-referrer')
        // The page names content-hashed assets: revalidate it so an upgrade is picked up.
        .header('cache-control', 'no-cache');
    }
    return payload;
  });
}

/**
 * How many times each playground asset has been compressed in each coding, by URL file name
 * (tests use it to prove that it happens once, not per request).
 */
export function playgroundAssetCompressions(): ReadonlyMap<string, Readonly<Record<ContentCoding, number>>> {
  return new Map([...assets().byName].map(([name, asset]) => [name, asset.body.compressions()]));
}
