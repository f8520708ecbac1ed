import type { FastifyInstance } from 'fastify';
import { CONSOLE_PATH } from './console.routes';

const HOME_CSP = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export interface HomeOptions {
  /** The playground and Swagger UI are served (PLAYGROUND), so they are linked. */
  readonly playground: boolean;
}

/** `GET /`: a small page that says what this server is and links what a browser can open here. */
export function registerHome(app: FastifyInstance, { playground }: HomeOptions): void {
  const links = [
    [CONSOLE_PATH, 'Console', 'manage your access keys and read the audit trail (sign in as an agent)'],
    ...(playground
      ? [
          ['/graphql', 'GraphQL playground', 'GraphiQL, with the schema docs'],
          ['/v1.0/docs', 'REST API reference', 'Swagger UI for /v1.0'],
        ]
      : []),
    ['/v1.0/openapi.json', 'OpenAPI document', 'the /v1.0 REST contract'],
    ['/healthz', 'Health', 'liveness'],
  ];
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>vb-accesskey-server</title>
<link rel="icon" href="data:,">
</head>
<body>
<main>
<h1>vb-accesskey-server</h1>
<p>A self-hosted access-key server: GraphQL at <code>POST /graphql</code>, REST under <code>/v1.0</code>.</p>
<ul>
${links.map(([href, name, what]) => `<li><a href="${href}">${name}</a>: ${what}</li>`).join('\n')}
</ul>
<p>The documentation is in the <code>docs/</code> folder of the distribution, starting from its <code>README.md</code>.</p>
</main>
</body>
</html>
`;
  app.get('/', { schema: { hide: true } }, async (_request, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', HOME_CSP)
      .header('referrer-policy', 'no-referrer')
      .header('cache-control', 'no-cache')
      .send(html),
  );
}
