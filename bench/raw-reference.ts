import { createHash } from 'node:crypto';
import http from 'node:http';
import { Pool } from 'pg';

/**
 * The reference line of `npm run bench`: the least a server of this design can
 * do for `GET /v1.0/accesskeys/{id}` — `node:http`, authentication from an
 * in-memory map (sha256 of the bearer token → customer), one named query, and
 * `JSON.stringify` of the documented shape. No framework, no logging, no
 * metrics, no validation beyond what the answer needs. The bench prints the
 * real server's throughput as a share of this one's.
 *
 * Run by bench/server.ts as a child process: `node dist/bench/raw-reference.js`
 * with DATABASE_URL and PORT; it prints `listening` when ready.
 */

const NOT_YET = '9999-01-01T00:00:00.000000Z';

async function main(): Promise<void> {
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DB_POOL_SIZE ?? 10) });
  const callers = new Map<string, string>();
  const { rows } = await pool.query<{ token_hash: string; customer_id: string }>(
    'SELECT token_hash, customer_id FROM accesskeys WHERE tm_delete IS NULL AND tm_expire > now()',
  );
  for (const row of rows) callers.set(row.token_hash, row.customer_id);

  const iso = (d: Date | null) => (d ? d.toISOString() : NOT_YET);
  const reply = (res: http.ServerResponse, status: number, body: string) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };
  const server = http.createServer((req, res) => {
    const auth = req.headers.authorization;
    const customer = auth?.startsWith('Bearer ') ? callers.get(createHash('sha256').update(auth.slice(7), 'utf8').digest('hex')) : undefined;
    if (!customer) return reply(res, 401, '{"error":"UNAUTHENTICATED"}');
    const match = /^\/v1\.0\/accesskeys\/([0-9a-f-]{36})$/.exec(req.url ?? '');
    if (req.method !== 'GET' || !match) return reply(res, 404, '{"error":"NOT_FOUND"}');
    pool
      .query({
        name: 'raw-get-key',
        text: `SELECT id, customer_id, name, detail, token_prefix, tm_expire, tm_create, tm_update, tm_delete
                 FROM accesskeys WHERE id = $1 AND customer_id = $2 AND tm_delete IS NULL`,
        values: [match[1], customer],
      })
      .then(({ rows: found }) => {
        const key = found[0];
        if (!key) return reply(res, 404, '{"error":"NOT_FOUND"}');
        reply(
          res,
          200,
          JSON.stringify({
            id: key.id,
            customer_id: key.customer_id,
            name: key.name,
            detail: key.detail,
            token_prefix: key.token_prefix,
            tm_expire: iso(key.tm_expire),
            tm_create: iso(key.tm_create),
            tm_update: iso(key.tm_update),
            tm_delete: iso(key.tm_delete),
          }),
        );
      })
      .catch(() => reply(res, 503, '{"error":"UNAVAILABLE"}'));
  });
  server.keepAliveTimeout = 65_000;
  server.listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write('listening\n'));
  process.once('SIGTERM', () => {
    server.close();
    server.closeAllConnections();
    void pool.end();
  });
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
