import { Client } from 'pg';
import type { ServerProcess } from './process';

/**
 * A PostgreSQL database of the test file's own (next to DATABASE_URL's), for
 * real server processes: created before the file's tests, and dropped after
 * them once every server pushed onto `servers` has stopped.
 */
export function scratchPostgres(prefix: string): { readonly url: string; readonly servers: ServerProcess[] } {
  const base = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  const dbName = `${prefix}_${process.pid}`;
  const url = Object.assign(new URL(base.toString()), { pathname: `/${dbName}` }).toString();
  const servers: ServerProcess[] = [];
  let admin: Client;

  beforeAll(async () => {
    admin = new Client({ connectionString: base.toString() });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName}`);
    await admin.query(`CREATE DATABASE ${dbName}`);
  });
  afterAll(async () => {
    for (const s of servers) {
      s.child.kill('SIGTERM');
      await s.exited;
    }
    await admin.query(`DROP DATABASE IF EXISTS ${dbName}`);
    await admin.end();
  });
  return { url, servers };
}
