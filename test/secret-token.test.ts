import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bearer, json } from './helpers/app';
import type { TestApp, Tenant } from './helpers/app';
import { appWithTenants } from './helpers/tenants';
import { embeddedEnv, run } from './helpers/process';

// RFC 8959: `secret-token:vb_…` is accepted wherever a token is; `token check` says offline whether a string is a token.
let t: TestApp;
let tenant: Tenant;

beforeAll(async () => { [t, tenant] = await appWithTenants({}, 'rfc8959'); });
afterAll(() => t.close());

it('authenticates `Authorization: Bearer secret-token:vb_…` and `?accesskey=secret-token:vb_…`', async () => {
  const header = await t.app.inject({ method: 'GET', url: `/v1.0/accesskeys/${tenant.keyId}`, headers: bearer(`secret-token:${tenant.token}`) });
  expect(header.statusCode).toBe(200);
  expect(json(header).id).toBe(tenant.keyId);
  const query = await t.app.inject({ method: 'GET', url: `/v1.0/accesskeys?accesskey=secret-token:${tenant.token}` });
  expect(query.statusCode).toBe(200);
  // The scheme around a wrong token (its last character changed: to 'x', unless it is one) is still refused.
  const wrong = `${tenant.token.slice(0, -1)}${tenant.token.endsWith('x') ? 'y' : 'x'}`;
  expect((await t.app.inject({ method: 'GET', url: '/v1.0/accesskeys', headers: bearer(`secret-token:${wrong}`) })).statusCode).toBe(401);
});

it('verifies a token sent in the RFC 8959 form', async () => {
  const verifier = await t.services.accesskeys.createForCustomer(tenant.customerId, { expire: 86400 }, undefined, ['accesskeys:verify']);
  const res = await t.app.inject({
    method: 'POST',
    url: '/v1.0/accesskeys/verify',
    headers: bearer(verifier.token),
    payload: { token: `secret-token:${tenant.token}` },
  });
  expect(json(res)).toMatchObject({ valid: true, code: 'VALID', accesskey_id: tenant.keyId });
});

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
