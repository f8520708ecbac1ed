import os from 'node:os';
import path from 'node:path';
import { embeddedEnv, run } from '../helpers/process';

// Canary keys made with the operator CLI (moved from test/canary.test.ts, which keeps the transports).
describe('npm run admin -- accesskey create --canary', () => {
  it('makes a canary, and the lifecycle commands and list say so', async () => {
    const dataDir = path.join(os.tmpdir(), `akd-canary-cli-${process.pid}`);
    const url = process.env.DATABASE_URL;
    const env = url ? embeddedEnv(dataDir, { DATABASE_URL: url }) : embeddedEnv(dataDir);
    const admin = (args: string[]) => run(process.execPath, ['dist/src/cli/admin.js', ...args], env);
    const created = JSON.parse((await admin(['customer', 'create', '--name', 'cli-canary'])).stdout);
    const customer = created.customer.id as string;
    expect(created.accesskey).not.toHaveProperty('canary');
    const made = await admin(['accesskey', 'create', '--customer', customer, '--canary', '--expire', '86400']);
    expect(made.code).toBe(0);
    const key = JSON.parse(made.stdout);
    expect(key).toMatchObject({ customer_id: customer, canary: true });
    const listed = JSON.parse((await admin(['accesskey', 'list', '--customer', customer])).stdout).result as Array<{ id: string; canary: boolean }>;
    expect(Object.fromEntries(listed.map((k) => [k.id, k.canary]))).toMatchObject({ [key.id]: true, [created.accesskey.id]: false });
    const bad = await admin(['accesskey', 'create', '--customer', customer, '--canary=maybe', '--expire', '86400']);
    expect(bad.code).toBe(2);
  }, 120000);
});
