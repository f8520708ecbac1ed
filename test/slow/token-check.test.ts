import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestApp, Tenant } from '../helpers/app';
import { embeddedEnv, run } from '../helpers/process';
import { appWithTenants } from '../helpers/tenants';

// RFC 8959: `token check` says offline whether a string is a token, in the plain and the `secret-token:` form
// (moved from test/secret-token.test.ts, which keeps the transports).
let t: TestApp;
let tenant: Tenant;

beforeAll(async () => { [t, tenant] = await appWithTenants({}, 'rfc8959'); });
afterAll(() => t.close());

describe('npm run admin -- token check', () => {
  const dataDir = path.join(os.tmpdir(), `akd-token-check-${process.pid}`);
  const check = (args: string[], input?: string) => run(process.execPath, ['dist/src/cli/admin.js', 'token', 'check', ...args], embeddedEnv(dataDir), input);

  it('says offline whether a string is a well-formed token (exit 0 / 1), without opening any database', async () => {
    const good = await check([tenant.token]);
    expect(good.code).toBe(0);
    expect(JSON.parse(good.stdout)).toEqual({ well_formed: true, token_prefix: tenant.token.slice(0, 11) });
    const rfc = await check([`secret-token:${tenant.token}`]);
    expect(rfc.code).toBe(0);
    const badChecksum = tenant.token.slice(0, -1) + (tenant.token.endsWith('a') ? 'b' : 'a');
    const bad = await check([badChecksum]);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout)).toEqual({ well_formed: false, token_prefix: null });
    const fromStdin = await check([], `${tenant.token}\n`);
    expect(JSON.parse(fromStdin.stdout).well_formed).toBe(true);
    expect(fs.existsSync(dataDir)).toBe(false);
  });
});
