import { generateKeyPairSync, createHash, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config';
import { cliAttribution } from '../src/audit/audit.types';
import { runAuditCommand } from '../src/cli/audit.commands';
import { LEVELS, bearer, buildTestApp, createAgent, createTenant, gql, json, login } from './helpers/app';
import type { TestApp, Tenant } from './helpers/app';

// The audit trail's integrity (issue 15 §5, §6): ids hashed as stored, every broken link named, every
// stored field of an event under the hash, and every write path that records an event undone with it.

const dir = mkdtempSync(path.join(tmpdir(), 'audit-integrity-'));
const partner = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const PEM = partner.publicKey.export({ type: 'spki', format: 'pem' }) as string;
const PARTNER_ID = createHash('sha256').update(PEM).digest('hex');
const KEYS_FILE = path.join(dir, 'secret-scanning.pem');
writeFileSync(KEYS_FILE, PEM);

let t: TestApp;
let admin: { token: string };
let acme: Tenant;

beforeAll(async () => {
  t = await buildTestApp({ leakReports: loadConfig({ LEAK_REPORT_KEYS: KEYS_FILE }).leakReports });
  acme = await createTenant(t, 'acme');
  const agent = await createAgent(t, acme, LEVELS.admin);
  admin = { token: (await login(t, agent.username, agent.password)).token };
});
afterAll(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

const ds = () => t.database.dataSource;
const rest = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, token: string, payload?: unknown) =>
  t.app.inject({ method, url, headers: { ...bearer(token), 'user-agent': 'integrity/1.0' }, payload: payload as never, remoteAddress: '198.51.100.9' });
const signed = (body: string, key: KeyObject = partner.privateKey) => ({
  'content-type': 'application/json',
  'github-public-key-identifier': PARTNER_ID,
  'github-public-key-signature': sign('sha256', Buffer.from(body), key).toString('base64'),
});
const leakReport = (body: string) => t.app.inject({ method: 'POST', url: '/v1.0/accesskeys/leaks', headers: signed(body), payload: body });
const newKey = async (tenant: Tenant, name = 'k') => {
  const made = await t.services.accesskeys.createForCustomer(tenant.customerId, { name, expire: 30 * 86400 });
  t.clock.tick();
  return made;
};
const verdictOf = async (customerId: string) => (await t.services.audit.verify(customerId))[0];

describe('ids in upper case (every transport and the CLI) leave the chain verifiable', () => {
  it('REST and GraphQL: every key mutation by an upper-case id records the id as stored, and the chain verifies', async () => {
    const tenant = await createTenant(t, 'upper');
    const a = (await newKey(tenant, 'a')).accesskey.id;
    const b = (await newKey(tenant, 'b')).accesskey.id;
    const A = a.toUpperCase();
    const B = b.toUpperCase();
    expect(json(await rest('GET', `/v1.0/accesskeys/${A}`, tenant.token)).id).toBe(a);
    expect(json(await rest('PUT', `/v1.0/accesskeys/${A}`, tenant.token, { name: 'renamed' })).id).toBe(a);
    const as = bearer(tenant.token);
    expect((await gql(t, 'mutation ($id: ID!) { updateAccesskey(id: $id, input: { name: "g" }) { id } }', { id: B }, as)).body.data.updateAccesskey.id).toBe(b);
    expect((await gql(t, 'mutation ($id: ID!) { disableAccesskey(id: $id) { id } }', { id: B }, as)).body.data.disableAccesskey.id).toBe(b);
    expect((await gql(t, 'mutation ($id: ID!) { enableAccesskey(id: $id) { id } }', { id: B }, as)).body.data.enableAccesskey.id).toBe(b);
    const rotated = (await gql(t, 'mutation ($id: ID!) { rotateAccesskey(id: $id) { accesskey { id rotatedFromId } previous { id } } }', { id: B }, as)).body.data.rotateAccesskey;
    expect(rotated.previous.id).toBe(b);
    expect(rotated.accesskey.rotatedFromId).toBe(b);
    expect((await gql(t, 'query ($id: ID!) { accesskey(id: $id) { id } }', { id: A }, as)).body.data.accesskey.id).toBe(a);
    expect((await gql(t, 'mutation ($id: ID!) { deleteAccesskey(id: $id) { id } }', { id: rotated.accesskey.id.toUpperCase() }, as)).body.data.deleteAccesskey.id).toBe(rotated.accesskey.id);
    expect(json(await rest('DELETE', `/v1.0/accesskeys/${A}`, tenant.token)).id).toBe(a);
    // The operator's calls (the CLI passes its flags through the same services).
    await t.services.accesskeys.disableForCustomer(tenant.customerId.toUpperCase(), B);
    await t.services.accesskeys.enableForCustomer(tenant.customerId, B);
    await t.services.accesskeys.createForCustomer(tenant.customerId.toUpperCase(), { name: 'op', expire: 86400 });

    const events = await ds().query('SELECT action, target_id, customer_id, chain FROM audit_events WHERE chain = $1 ORDER BY seq', [tenant.customerId]);
    expect(events.map((e: { action: string }) => e.action)).toEqual([
      'accesskey.create', 'accesskey.create', 'accesskey.create', 'accesskey.update', 'accesskey.update', 'accesskey.disable', 'accesskey.enable',
      'accesskey.rotate', 'accesskey.delete', 'accesskey.delete', 'accesskey.disable', 'accesskey.enable', 'accesskey.create',
    ]);
    // Every customer's events in its one chain (an upper-case customer id used to start a second chain).
    expect(await ds().query('SELECT chain FROM audit_chains WHERE lower(chain) = $1', [tenant.customerId])).toEqual([{ chain: tenant.customerId }]);
    expect(await verdictOf(tenant.customerId)).toEqual({ chain: tenant.customerId, ok: true, events: 13 });
  });

  it('an upper-case id in the audit filter finds the events', async () => {
    const key = (await newKey(acme, 'filtered')).accesskey.id;
    const { body } = await gql(t, 'query ($id: ID) { auditEvents(filter: { targetId: $id }) { nodes { action targetId } } }', { id: key.toUpperCase() }, bearer(admin.token));
    expect(body.data.auditEvents.nodes).toEqual([{ action: 'accesskey.create', targetId: key }]);
  });
});

describe('audit verify and export (the CLI commands, in process)', () => {
  const runCli = async (args: Record<string, string>) => {
    let out = '';
    const code = await runAuditCommand(args.word, {
      flags: new Map(Object.entries(args).filter(([k]) => k !== 'word')),
      openAudit: async () => t.services.audit,
      retentionDays: null,
      write: (text) => {
        out += text;
      },
    });
    return { code, out };
  };

  it('takes --customer in upper case, and names every changed line of an export', async () => {
    const tenant = await createTenant(t, 'cli');
    for (let i = 0; i < 3; i++) await newKey(tenant, `k${i}`);
    const verified = await runCli({ word: 'verify', customer: tenant.customerId.toUpperCase() });
    expect(verified.code).toBe(0);
    expect(JSON.parse(verified.out)).toEqual({ ok: true, chains: [{ chain: tenant.customerId, ok: true, events: 4 }] });
    const exported = await runCli({ word: 'export', customer: tenant.customerId.toUpperCase() });
    const lines = exported.out.trim().split('\n');
    expect(lines).toHaveLength(5);
    lines[2] = lines[2].replace('"name":"k0"', '"name":"forged"');
    lines[4] = lines[4].replace('"name":"k2"', '"name":"forged"');
    const file = path.join(dir, 'export.jsonl');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const checked = await runCli({ word: 'verify', file });
    expect(checked.code).toBe(1);
    const [chain] = JSON.parse(checked.out).chains;
    expect(chain).toMatchObject({ ok: false, broken: { seq: 2 }, brokenCount: 2 });
    expect(chain.brokenLinks.map((b: { seq: number }) => b.seq)).toEqual([2, 4]);
  });
});

/** Runs `sql` with the append-only trigger off, as someone owning the table could. */
async function tamper(sql: string, values: unknown[]) {
  await ds().query('ALTER TABLE audit_events DISABLE TRIGGER tr_audit_events_append_only');
  try {
    await ds().query(sql, values);
  } finally {
    await ds().query('ALTER TABLE audit_events ENABLE TRIGGER tr_audit_events_append_only');
  }
}

describe('tampering with any stored field of an event is named by verification', () => {
  let victim: Tenant;
  let eventId: string;

  beforeEach(async () => {
    victim = await createTenant(t, 'victim');
    const key = json(await rest('POST', '/v1.0/accesskeys', victim.token, { name: 'v', expire: 86400 }));
    // Event 3: an update by a key over REST, with actor, origin, before and after all set.
    await rest('PUT', `/v1.0/accesskeys/${key.id}`, victim.token, { name: 'w' });
    await gql(t, 'mutation ($id: ID!) { rotateAccesskey(id: $id) { token } }', { id: key.id }, bearer(victim.token));
    [{ id: eventId }] = await ds().query('SELECT id FROM audit_events WHERE chain = $1 AND seq = 3', [victim.customerId]);
    expect(await verdictOf(victim.customerId)).toMatchObject({ ok: true, events: 4 });
  });

  // Each stored column but the chain and seq (they place the event; changing them is found as a gap).
  it.each([
    ['id', 'id = gen_random_uuid()'],
    ['tm (by one microsecond)', "tm = tm + interval '1 microsecond'"],
    ['customer_id', 'customer_id = gen_random_uuid()'],
    ['actor_kind', "actor_kind = 'system'"],
    ['actor_id', 'actor_id = gen_random_uuid()'],
    ['actor_name', "actor_name = 'someone else'"],
    ['actor_token_hash', "actor_token_hash = repeat('b', 64)"],
    ['action', "action = 'accesskey.enable'"],
    ['target_id', 'target_id = gen_random_uuid()'],
    ['request_id', "request_id = 'req-forged'"],
    ['client_address', "client_address = '203.0.113.66'"],
    ['user_agent', "user_agent = 'forged/1.0'"],
    ['before', `before = '{"name": "x"}'::jsonb`],
    ['after', `after = jsonb_set(after, '{detail}', '"forged"')`],
    ['detail (set where there was none)', `detail = '{"note": "forged"}'::jsonb`],
    ['prev_hash', "prev_hash = repeat('c', 64)"],
    ['hash', "hash = repeat('d', 64)"],
  ])('%s', async (_field, assignment) => {
    await tamper(`UPDATE audit_events SET ${assignment} WHERE chain = $1 AND seq = 3`, [victim.customerId]);
    const verdict = await verdictOf(victim.customerId);
    expect(verdict.ok).toBe(false);
    if (verdict.ok) return;
    expect(verdict.broken.seq).toBe(3);
    expect(verdict.brokenLinks.map((b) => b.seq)).toContain(3);
  });

  it('a changed detail of an event that has one (the rotation, event 4)', async () => {
    await tamper(`UPDATE audit_events SET detail = jsonb_set(detail, '{grace_period}', '0') WHERE chain = $1 AND seq = 4`, [victim.customerId]);
    expect(await verdictOf(victim.customerId)).toMatchObject({ ok: false, broken: { seq: 4 } });
  });

  it('two changed events are both named, and an event deleted between them too', async () => {
    const more = json(await rest('POST', '/v1.0/accesskeys', victim.token, { name: 'x', expire: 86400 }));
    await rest('PUT', `/v1.0/accesskeys/${more.id}`, victim.token, { name: 'y' });
    await rest('PUT', `/v1.0/accesskeys/${more.id}`, victim.token, { name: 'z' });
    expect(await verdictOf(victim.customerId)).toMatchObject({ ok: true, events: 7 });
    await tamper("UPDATE audit_events SET after = jsonb_set(after, '{name}', '\"innocent\"') WHERE chain = $1 AND seq IN (2, 6)", [victim.customerId]);
    await tamper('DELETE FROM audit_events WHERE chain = $1 AND seq = 4', [victim.customerId]);
    const verdict = await verdictOf(victim.customerId);
    expect(verdict).toMatchObject({ ok: false, broken: { seq: 2 }, brokenCount: 3 });
    if (verdict.ok) return;
    expect(verdict.brokenLinks.map((b) => [b.seq, b.reason])).toEqual([
      [2, expect.stringMatching(/does not match its hash/)],
      [4, expect.stringMatching(/event 4 is missing/)],
      [6, expect.stringMatching(/does not match its hash/)],
    ]);
    expect(verdict.brokenLinks[0].id).toBe((await ds().query('SELECT id FROM audit_events WHERE chain = $1 AND seq = 2', [victim.customerId]))[0].id);
  });

  it('the tampered event is named by its id', async () => {
    await tamper("UPDATE audit_events SET user_agent = 'x' WHERE chain = $1 AND seq = 3", [victim.customerId]);
    expect(await verdictOf(victim.customerId)).toMatchObject({ ok: false, broken: { seq: 3, id: eventId } });
  });
});

describe('every write path that records an event is undone when its event cannot be written', () => {
  beforeAll(async () => {
    await ds().query('CREATE TABLE audit_test_fail (action text PRIMARY KEY)');
    await ds().query(`
      CREATE FUNCTION audit_test_fail() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF EXISTS (SELECT 1 FROM audit_test_fail WHERE action = NEW.action) THEN RAISE EXCEPTION 'forced failure'; END IF; RETURN NEW; END $$`);
    await ds().query('CREATE TRIGGER tr_audit_test_fail BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_test_fail()');
  });
  afterAll(async () => {
    await ds().query('DROP TRIGGER tr_audit_test_fail ON audit_events');
    await ds().query('DROP FUNCTION audit_test_fail()');
    await ds().query('DROP TABLE audit_test_fail');
  });

  /** Everything a write could have changed for this customer (last use aside: it is written in batches, apart). */
  async function snapshot(customerId: string) {
    return {
      keys: await ds().query(
        `SELECT id, name, detail, token_hash, tm_expire, tm_update, tm_delete, tm_disable, rotated_from_id, scopes, tm_leak_reported, leak_url, leak_source
           FROM accesskeys WHERE customer_id = $1 ORDER BY id`,
        [customerId],
      ),
      agents: await ds().query('SELECT * FROM agents WHERE customer_id = $1 ORDER BY id', [customerId]),
      receipts: await ds().query('SELECT r.* FROM leak_report_receipts r JOIN accesskeys k ON k.id = r.accesskey_id WHERE k.customer_id = $1', [customerId]),
      events: await ds().query('SELECT id FROM audit_events WHERE chain = $1 ORDER BY seq', [customerId]),
      chain: await ds().query('SELECT seq, head_hash FROM audit_chains WHERE chain = $1', [customerId]),
    };
  }

  type Failed = 'rest' | 'graphql' | 'service';
  interface Target {
    readonly id: string;
    readonly token: string;
    /** An agent of the customer, made beforehand for the agent cases. */
    username: string;
    session: string;
  }
  interface Case {
    readonly action: string;
    /** Puts the key (or agent) into the state the write changes; runs before the snapshot. */
    prepare?(tenant: Tenant, target: Target): Promise<void>;
    /** Runs the write; the answer it gives when its event fails. */
    act(tenant: Tenant, target: Target): Promise<{ failed: Failed; outcome: unknown }>;
  }
  const viaRest = async (p: ReturnType<typeof rest>) => ({ failed: 'rest' as const, outcome: (await p).statusCode });
  const viaGraphQL = async (query: string, variables: Record<string, unknown>, token: string) =>
    ({ failed: 'graphql' as const, outcome: (await gql(t, query, variables, bearer(token))).body.errors?.[0]?.extensions?.code });
  const viaService = async (p: Promise<unknown>) => ({ failed: 'service' as const, outcome: await p.then(() => 'resolved', () => 'rejected') });
  const disableIt = async (tenant: Tenant, target: Target) => {
    await t.services.accesskeys.disableForCustomer(tenant.customerId, target.id);
  };
  let agentSeq = 0;
  const PASSWORD = 'a long password';
  const newAgent = (tenant: Tenant, username: string) =>
    t.services.agents.create(tenant.customerId, { username, password: PASSWORD, permission: LEVELS.admin }, cliAttribution(null));
  const withAgent = async (tenant: Tenant, target: Target) => {
    target.username = `rollback${++agentSeq}`;
    await newAgent(tenant, target.username);
    target.session = (await login(t, target.username, PASSWORD)).token;
  };

  const cases: Record<string, Case> = {
    'REST create': { action: 'accesskey.create', act: (tn) => viaRest(rest('POST', '/v1.0/accesskeys', tn.token, { name: 'never', expire: 86400 })) },
    'GraphQL createAccesskey': { action: 'accesskey.create', act: (tn) => viaGraphQL('mutation { createAccesskey(input: { expire: 86400 }) { token } }', {}, tn.token) },
    'operator create': { action: 'accesskey.create', act: (tn) => viaService(t.services.accesskeys.createForCustomer(tn.customerId, { name: 'never', expire: 86400 })) },
    'REST update': { action: 'accesskey.update', act: (tn, k) => viaRest(rest('PUT', `/v1.0/accesskeys/${k.id}`, tn.token, { name: 'changed', detail: 'changed' })) },
    'GraphQL updateAccesskey': { action: 'accesskey.update', act: (tn, k) => viaGraphQL('mutation ($id: ID!) { updateAccesskey(id: $id, input: { name: "c" }) { id } }', { id: k.id }, tn.token) },
    'REST delete': { action: 'accesskey.delete', act: (tn, k) => viaRest(rest('DELETE', `/v1.0/accesskeys/${k.id}`, tn.token)) },
    'GraphQL deleteAccesskey': { action: 'accesskey.delete', act: (tn, k) => viaGraphQL('mutation ($id: ID!) { deleteAccesskey(id: $id) { id } }', { id: k.id }, tn.token) },
    'GraphQL rotateAccesskey': { action: 'accesskey.rotate', act: (tn, k) => viaGraphQL('mutation ($id: ID!) { rotateAccesskey(id: $id, gracePeriod: 0) { token } }', { id: k.id }, tn.token) },
    'operator rotate': { action: 'accesskey.rotate', act: (tn, k) => viaService(t.services.accesskeys.rotateForCustomer(tn.customerId, k.id, 0)) },
    'GraphQL disableAccesskey': { action: 'accesskey.disable', act: (tn, k) => viaGraphQL('mutation ($id: ID!) { disableAccesskey(id: $id) { id } }', { id: k.id }, tn.token) },
    'operator disable': { action: 'accesskey.disable', act: (tn, k) => viaService(t.services.accesskeys.disableForCustomer(tn.customerId, k.id)) },
    'GraphQL enableAccesskey': { action: 'accesskey.enable', prepare: disableIt, act: (tn, k) => viaGraphQL('mutation ($id: ID!) { enableAccesskey(id: $id) { id } }', { id: k.id }, tn.token) },
    'operator enable': { action: 'accesskey.enable', prepare: disableIt, act: (tn, k) => viaService(t.services.accesskeys.enableForCustomer(tn.customerId, k.id)) },
    'signed leak report': {
      action: 'accesskey.leak_reported',
      act: async (_tn, k) => viaRest(leakReport(JSON.stringify([{ token: k.token, type: 'vb_access_key', url: 'https://example.com/leak', source: 'content' }]))),
    },
    'agent create': { action: 'agent.create', act: (tn) => viaService(newAgent(tn, `rollback${++agentSeq}`)) },
    'agent delete': { action: 'agent.delete', prepare: withAgent, act: (_tn, k) => viaService(t.services.agents.delete(k.username)) },
    'agent set password': { action: 'agent.password_set', prepare: withAgent, act: (_tn, k) => viaService(t.services.agents.setPassword(k.username, 'another long password')) },
    // A login changes no row, but its event is its only trace: no event, no session.
    login: {
      action: 'auth.login',
      prepare: async (tn, k) => {
        k.username = `rollback${++agentSeq}`;
        await newAgent(tn, k.username);
      },
      act: async (_tn, k) => {
        const res = await t.app.inject({ method: 'POST', url: '/auth/login', payload: { username: k.username, password: PASSWORD } });
        expect(res.body).not.toMatch(/"token"/);
        return { failed: 'rest', outcome: res.statusCode };
      },
    },
    logout: {
      action: 'auth.logout',
      prepare: withAgent,
      act: (_tn, k) => viaRest(t.app.inject({ method: 'POST', url: '/auth/logout', headers: bearer(k.session) })),
    },
  };

  it.each(Object.keys(cases))('%s', async (name) => {
    const c = cases[name];
    const tenant = await createTenant(t, `rollback ${name}`);
    const made = await newKey(tenant, 'target');
    const target: Target = { id: made.accesskey.id, token: made.token, username: '', session: '' };
    await c.prepare?.(tenant, target);
    const before = await snapshot(tenant.customerId);
    await ds().query('INSERT INTO audit_test_fail (action) VALUES ($1)', [c.action]);
    let result: { failed: Failed; outcome: unknown };
    try {
      result = await c.act(tenant, target);
    } finally {
      await ds().query('DELETE FROM audit_test_fail WHERE action = $1', [c.action]);
    }
    expect(result.outcome).toBe({ rest: 500, graphql: 'INTERNAL_SERVER_ERROR', service: 'rejected' }[result.failed]);
    expect(await snapshot(tenant.customerId)).toEqual(before);
    // What the write would have stopped still works (the caches were not told of a change that never was).
    expect((await rest('GET', '/v1.0/accesskeys?page_size=1', target.token)).statusCode).toBe(name === 'GraphQL enableAccesskey' || name === 'operator enable' ? 401 : 200);
    if (target.session) expect((await rest('GET', '/v1.0/accesskeys?page_size=1', target.session)).statusCode).toBe(200);
    // The chain stays whole: the failed event took no place in it.
    expect(await verdictOf(tenant.customerId)).toMatchObject({ ok: true });
  });
});

describe('unpaired UTF-16 surrogates are refused naming the field, never a 500', () => {
  const LONE = ['\ud800', 'abc\udc00', '\udfff\ud800'];

  it.each(LONE.flatMap((text) => [['name', text], ['detail', text]]))('REST create and update, %s = %j: 400 naming the field', async (field, text) => {
    const created = await rest('POST', '/v1.0/accesskeys', acme.token, { name: 'ok', expire: 86400, [field]: text });
    expect(created.statusCode).toBe(400);
    expect(json(created).error).toMatchObject({ status: 'INVALID_ARGUMENT', message: expect.stringMatching(new RegExp(`^${field}: `)) });
    const key = (await newKey(acme, 'surrogate target')).accesskey.id;
    const updated = await rest('PUT', `/v1.0/accesskeys/${key}`, acme.token, { [field]: text });
    expect(updated.statusCode).toBe(400);
    expect(json(updated).error.message).toMatch(new RegExp(`^${field}: `));
  });

  it.each(LONE.flatMap((text) => [['name', text], ['detail', text]]))('GraphQL create and update, %s = %j: BAD_USER_INPUT naming the field', async (field, text) => {
    const create = await gql(t, 'mutation ($input: CreateAccesskeyInput!) { createAccesskey(input: $input) { token } }', { input: { expire: 86400, [field]: text } }, bearer(acme.token));
    expect(create.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    const key = (await newKey(acme, 'surrogate target')).accesskey.id;
    const update = await gql(t, 'mutation ($id: ID!, $input: UpdateAccesskeyInput!) { updateAccesskey(id: $id, input: $input) { id } }', { id: key, input: { [field]: text } }, bearer(acme.token));
    expect(update.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
  });

  it('a proper pair (an emoji) is text like any other, and the chain verifies', async () => {
    const created = await rest('POST', '/v1.0/accesskeys', acme.token, { name: 'rocket \ud83d\ude80', detail: '\ud83d\ude00', expire: 86400 });
    expect(created.statusCode).toBe(200);
    expect(json(created).name).toBe('rocket 🚀');
    expect(await verdictOf(acme.customerId)).toMatchObject({ ok: true });
  });

  it.each(['url', 'type', 'source'])('a signed leak report with one in %s: 400 naming it, every time; the key is untouched', async (field) => {
    const tenant = await createTenant(t, 'surrogate leak');
    const { accesskey, token } = await newKey(tenant, 'reported');
    const before = await ds().query('SELECT tm_disable, tm_leak_reported, tm_update FROM accesskeys WHERE id = $1', [accesskey.id]);
    const events = (await ds().query('SELECT count(*)::int AS n FROM audit_events WHERE chain = $1', [tenant.customerId]))[0].n;
    const body = JSON.stringify([{ token, type: 'vb_access_key', url: 'https://example.com/x', source: 'content', [field]: 'found \ud800 here' }]);
    // The partner retries: each attempt gets the same answer, never a 500.
    for (let attempt = 0; attempt < 3; attempt++) {
      const res = await leakReport(body);
      expect(res.statusCode).toBe(400);
      expect(json(res).error).toMatchObject({ status: 'INVALID_ARGUMENT', message: expect.stringMatching(new RegExp(`^body\\[0\\]\\.${field}: `)) });
    }
    expect(await ds().query('SELECT tm_disable, tm_leak_reported, tm_update FROM accesskeys WHERE id = $1', [accesskey.id])).toEqual(before);
    expect((await ds().query('SELECT count(*)::int AS n FROM audit_events WHERE chain = $1', [tenant.customerId]))[0].n).toBe(events);
    expect(await ds().query('SELECT 1 FROM leak_report_receipts WHERE accesskey_id = $1', [accesskey.id])).toEqual([]);
    // The same report with clean text is acted on.
    const clean = await leakReport(JSON.stringify([{ token, type: 'vb_access_key', url: 'https://example.com/x', source: 'content' }]));
    expect(clean.statusCode).toBe(200);
  });

  it('the audit writer stores an unpaired surrogate that reached it as U+FFFD and hashes exactly that', async () => {
    const tenant = await createTenant(t, 'writer');
    await t.services.audit.recordAlone({
      customerId: tenant.customerId.toUpperCase(), action: 'accesskey.update', targetId: tenant.keyId.toUpperCase(),
      by: { actor: { kind: 'cli', id: null, name: 'op\ud800', tokenHash: null }, origin: { requestId: 'r\udc00', clientAddress: null, userAgent: 'ua\ud800' } },
      before: { name: 'a\ud800' }, after: { ['k\udc00']: ['x\ud800'] }, detail: { n: 1 },
    });
    const [row] = await ds().query('SELECT customer_id, target_id, actor_name, request_id, user_agent, before, after FROM audit_events WHERE chain = $1 AND seq = 2', [tenant.customerId]);
    expect(row).toEqual({
      customer_id: tenant.customerId, target_id: tenant.keyId, actor_name: 'op\ufffd', request_id: 'r\ufffd', user_agent: 'ua\ufffd',
      before: { name: 'a\ufffd' }, after: { 'k\ufffd': ['x\ufffd'] },
    });
    expect(await verdictOf(tenant.customerId)).toMatchObject({ ok: true, events: 2 });
  });
});
