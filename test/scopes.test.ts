import { randomUUID } from 'node:crypto';
import { generateToken, hashToken } from '../src/keys/token';
import { LEVELS, bearer, createAgent, gql, json, login } from './helpers/app';
import type { TestApp, Tenant } from './helpers/app';
import { accesskeyOperations } from './helpers/operations';
import { appWithTenants } from './helpers/tenants';

let t: TestApp;
let acme: Tenant;

const READ = 'accesskeys:read';
const WRITE = 'accesskeys:write';
const VERIFY = 'accesskeys:verify';

beforeAll(async () => { [t, acme] = await appWithTenants({}, 'acme'); });
afterAll(() => t.close());

async function keyWith(scopes: string[]) {
  return t.services.accesskeys.createForCustomer(acme.customerId, { expire: 86400 }, undefined, scopes as never);
}

const freshId = async () => (await keyWith([READ, WRITE])).accesskey.id;

const { reads, writes } = accesskeyOperations(() => t);

const refused = (name: string) => (name.startsWith('GraphQL') ? { status: 200, code: 'FORBIDDEN' } : { status: 403, code: 'PERMISSION_DENIED' });

describe('a read-only key', () => {
  let token: string;
  beforeAll(async () => {
    token = (await keyWith([READ])).token;
  });

  it.each(Object.keys(reads))('may %s', async (name) => {
    expect(await reads[name](token, await freshId())).toEqual({ status: 200, code: undefined });
  });

  it.each(Object.keys(writes))('is refused %s, and nothing changes', async (name) => {
    const id = await freshId();
    if (name.includes('enable')) await t.services.accesskeys.disableForCustomer(acme.customerId, id);
    const before = await t.services.accesskeys.list({ requestId: 't', caller: { kind: 'accesskey', customerId: acme.customerId, accesskeyId: acme.keyId, credentialHash: '0'.repeat(64), tokenPrefix: 'vb_test', scopes: [READ] } }, { size: 100, after: null });
    expect(await writes[name](token, id)).toEqual(refused(name));
    const after = await t.services.accesskeys.list({ requestId: 't', caller: { kind: 'accesskey', customerId: acme.customerId, accesskeyId: acme.keyId, credentialHash: '0'.repeat(64), tokenPrefix: 'vb_test', scopes: [READ] } }, { size: 100, after: null });
    expect(after.items).toEqual(before.items);
  });
});

describe('a write-only key', () => {
  // A new key gets read and write by default; granting read would be escalation.
  it.each(['REST create', 'GraphQL createAccesskey'])('is refused %s without scopes (the default would escalate)', async (name) => {
    expect(await writes[name](token, '')).toEqual(refused(name));
  });

  let token: string;
  beforeAll(async () => {
    token = (await keyWith([WRITE])).token;
  });

  it.each(Object.keys(reads))('is refused %s', async (name) => {
    expect(await reads[name](token, await freshId())).toEqual(refused(name));
  });

  it.each(Object.keys(writes).filter((name) => !name.includes('reate')))('may %s', async (name) => {
    // A rotation hands over the key's scopes, so a write-only key may rotate only what it could have made: a write-only key.
    const id = name.includes('rotate') ? (await keyWith([WRITE])).accesskey.id : await freshId();
    if (name.includes('enable')) await t.services.accesskeys.disableForCustomer(acme.customerId, id);
    expect(await writes[name](token, id)).toEqual({ status: 200, code: undefined });
  });

  it('is refused rotating a read+write key (it would receive read), and nothing changes', async () => {
    const id = await freshId();
    expect(await writes['GraphQL rotateAccesskey'](token, id)).toEqual(refused('GraphQL rotateAccesskey'));
    expect(await t.database.dataSource.query('SELECT id FROM accesskeys WHERE rotated_from_id = $1', [id])).toEqual([]);
  });
});

const CREATE = 'mutation ($scopes: [String!]) { createAccesskey(input: { expire: 86400, scopes: $scopes }) { token accesskey { id scopes } } }';

async function scopesOfToken(token: string): Promise<string[]> {
  const key = await t.database.dataSource.query('SELECT scopes FROM accesskeys WHERE token_hash = $1', [hashToken(token)]);
  return key[0].scopes;
}

describe('defaults', () => {
  it('gives a key created over REST read and write, and answers no scopes field on REST', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1.0/accesskeys', headers: bearer(acme.token), payload: { expire: 86400, scopes: [READ] } });
    expect(res.statusCode).toBe(200);
    expect(json(res)).not.toHaveProperty('scopes');
    expect(await scopesOfToken(json(res).token)).toEqual([READ, WRITE]);
  });

  it('gives a key created over GraphQL without scopes read and write', async () => {
    const { body } = await gql(t, CREATE, {}, bearer(acme.token));
    expect(body.data.createAccesskey.accesskey.scopes).toEqual([READ, WRITE]);
  });

  it('gives a key that existed before scopes (column omitted) read and write', async () => {
    const id = randomUUID();
    const token = generateToken();
    await t.database.dataSource.query(
      `INSERT INTO accesskeys (id, customer_id, name, detail, token_hash, token_prefix, tm_expire, tm_create, tm_update)
       VALUES ($1, $2, '', '', $3, 'vb_x', now() + interval '1 day', now(), now())`,
      [id, acme.customerId, hashToken(token)],
    );
    const { body } = await gql(t, 'query ($id: ID!) { accesskey(id: $id) { scopes } }', { id }, bearer(acme.token));
    expect(body.data.accesskey.scopes).toEqual([READ, WRITE]);
  });

  it('refuses a scope outside the closed set in the database itself', async () => {
    await expect(t.database.dataSource.query("UPDATE accesskeys SET scopes = '{accesskeys:admin}' WHERE id = $1", [acme.keyId])).rejects.toThrow();
  });
});

describe('createAccesskey scopes', () => {
  it('grants a subset of what the caller holds, in canonical order', async () => {
    const { body } = await gql(t, CREATE, { scopes: [WRITE, READ] }, bearer(acme.token));
    expect(body.data.createAccesskey.accesskey.scopes).toEqual([READ, WRITE]);
    const readOnly = await gql(t, CREATE, { scopes: [READ] }, bearer(acme.token));
    expect(readOnly.body.data.createAccesskey.accesskey.scopes).toEqual([READ]);
    expect(await scopesOfToken(readOnly.body.data.createAccesskey.token)).toEqual([READ]);
  });

  it.each([[['accesskeys:admin']], [[]], [[READ, READ]]])('refuses %j naming scopes', async (scopes) => {
    const { body } = await gql(t, CREATE, { scopes }, bearer(acme.token));
    expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(body.errors[0].message).toContain('scopes');
  });

  it('refuses escalation: a write-only key cannot grant read', async () => {
    const { token } = await keyWith([WRITE]);
    const { body } = await gql(t, CREATE, { scopes: [READ] }, bearer(token));
    expect(body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await gql(t, CREATE, { scopes: [WRITE] }, bearer(token))).body.data.createAccesskey.accesskey.scopes).toEqual([WRITE]);
  });

  it('refuses verify to a key, even one that holds verify', async () => {
    const { token } = await keyWith([READ, WRITE, VERIFY]);
    expect((await gql(t, CREATE, { scopes: [VERIFY] }, bearer(token))).body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await gql(t, CREATE, { scopes: [VERIFY] }, bearer(acme.token))).body.errors[0].extensions.code).toBe('FORBIDDEN');
  });

  it('refuses verify to an admin agent and grants it to a super admin agent', async () => {
    const admin = await createAgent(t, acme, LEVELS.admin);
    const superAdmin = await createAgent(t, acme, LEVELS['super-admin']);
    const adminSession = (await login(t, admin.username, admin.password)).token;
    const superSession = (await login(t, superAdmin.username, superAdmin.password)).token;
    expect((await gql(t, CREATE, { scopes: [VERIFY] }, bearer(adminSession))).body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await gql(t, CREATE, { scopes: [READ, WRITE] }, bearer(adminSession))).body.data.createAccesskey.accesskey.scopes).toEqual([READ, WRITE]);
    const granted = await gql(t, CREATE, { scopes: [VERIFY, READ] }, bearer(superSession));
    expect(granted.body.data.createAccesskey.accesskey.scopes).toEqual([READ, VERIFY]);
  });
});

it('keeps the scopes on rotation', async () => {
  const { accesskey } = await keyWith([READ]);
  const { body } = await gql(t, 'mutation ($id: ID!) { rotateAccesskey(id: $id) { token accesskey { scopes } } }', { id: accesskey.id }, bearer(acme.token));
  expect(body.data.rotateAccesskey.accesskey.scopes).toEqual([READ]);
  const rotatedToken = body.data.rotateAccesskey.token;
  expect(await scopesOfToken(rotatedToken)).toEqual([READ]);
  expect((await writes['REST create'](rotatedToken, '')).status).toBe(403);
});
