import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Pool, PoolClient } from 'pg';
import { runAuditCommand } from '../src/cli/audit.commands';
import { bearer, buildTestApp, createTenant, gql } from './helpers/app';
import type { TestApp, Tenant } from './helpers/app';
import { usingPostgres } from './helpers/database';

// An audited change in one round trip (issue 20 §3): a key's rename is one statement (the change, the
// chain's head advanced with the event's hash computed in SQL, the event, the webhook outbox), and what
// it writes verifies with the same code as every other event, in the database and in an export file.

const dir = mkdtempSync(path.join(tmpdir(), 'audit-one-statement-'));
let t: TestApp;

beforeAll(async () => {
  // Ten connections on PostgreSQL, so ten renames are in the database at once.
  t = await buildTestApp({ database: { poolMax: 10 } });
});
afterAll(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

const ds = () => t.database.dataSource;
const put = (tenant: Tenant, id: string, payload: unknown) =>
  t.app.inject({ method: 'PUT', url: `/v1.0/accesskeys/${id}`, headers: { ...bearer(tenant.token), 'user-agent': 'one-statement/1.0' }, payload: payload as never });
const newKey = async (tenant: Tenant, name: string) => {
  const made = await t.services.accesskeys.createForCustomer(tenant.customerId, { name, expire: 30 * 86400 });
  t.clock.tick();
  return made.accesskey.id;
};
const verdictOf = async (customerId: string) => (await t.services.audit.verify(customerId))[0];
interface StoredEvent {
  seq: number;
  action: string;
  before: Record<string, string | boolean | null> | null;
  after: Record<string, string | boolean | null> | null;
}
const chainOf = (customerId: string): Promise<StoredEvent[]> =>
  ds().query('SELECT seq::int AS seq, action, before, after FROM audit_events WHERE chain = $1 ORDER BY seq', [customerId]);

/**
 * Every statement the server sends to the database while `work` runs: each connection the pg pool
 * hands out (to `pool.query` or to a transaction) has its `query` watched from its checkout on.
 */
const watched = new WeakSet<PoolClient>();
let recording: string[] | null = null;
async function statementsDuring(work: () => Promise<unknown>): Promise<string[]> {
  const pool = (ds().driver as unknown as { master: Pool }).master;
  const watch = (client: PoolClient) => {
    if (watched.has(client)) return;
    watched.add(client);
    const query = client.query;
    client.query = ((config: unknown, ...rest: unknown[]) => {
      recording?.push(typeof config === 'string' ? config : (config as { text: string }).text);
      return (query as (...args: unknown[]) => unknown).call(client, config, ...rest);
    }) as PoolClient['query'];
  };
  pool.on('acquire', watch);
  recording = [];
  try {
    await work();
    return recording;
  } finally {
    recording = null;
    pool.off('acquire', watch);
  }
}

describe('a rename is one round trip', () => {
  let tenant: Tenant;
  let id: string;

  beforeAll(async () => {
    tenant = await createTenant(t, 'round-trips');
    id = await newKey(tenant, 'k');
    // Warm: the caller's credential is then authenticated from memory, with no statement of its own.
    expect((await t.app.inject({ method: 'GET', url: `/v1.0/accesskeys/${id}`, headers: bearer(tenant.token) })).statusCode).toBe(200);
  });

  it('REST PUT /v1.0/accesskeys/{id}: one statement, no transaction around it, and the event is on the chain', async () => {
    let status = 0;
    const seen = await statementsDuring(async () => {
      status = (await put(tenant, id, { name: 'rest', detail: 'd' })).statusCode;
    });
    expect(status).toBe(200);
    // No BEGIN, no COMMIT, no lookups: the one statement is the whole audited change.
    expect(seen).toEqual([expect.stringMatching(/^WITH changed AS \(UPDATE accesskeys/)]);
    const last = (await chainOf(tenant.customerId)).at(-1)!;
    expect(last).toMatchObject({ action: 'accesskey.update', before: { name: 'k', detail: '' }, after: { name: 'rest', detail: 'd' } });
    expect(await verdictOf(tenant.customerId)).toMatchObject({ ok: true });
  });

  it('GraphQL updateAccesskey: one statement, no transaction', async () => {
    let data: unknown = null;
    const seen = await statementsDuring(async () => {
      data = (await gql(t, 'mutation ($id: ID!) { updateAccesskey(id: $id, input: { name: "gql" }) { name } }', { id }, bearer(tenant.token))).body.data;
    });
    expect(data).toEqual({ updateAccesskey: { name: 'gql' } });
    expect(seen).toEqual([expect.stringMatching(/^WITH changed AS \(UPDATE accesskeys/)]);
    expect(await verdictOf(tenant.customerId)).toMatchObject({ ok: true });
  });

  it('disable, enable and delete (GraphQL and REST): one statement each, and the chain verifies', async () => {
    const other = await newKey(tenant, 'other');
    const as = bearer(tenant.token);
    const one = [expect.stringMatching(/^WITH changed AS \(UPDATE accesskeys/)];
    expect(await statementsDuring(() => gql(t, 'mutation ($id: ID!) { disableAccesskey(id: $id) { id } }', { id: other }, as))).toEqual(one);
    expect(await statementsDuring(() => gql(t, 'mutation ($id: ID!) { enableAccesskey(id: $id) { id } }', { id: other }, as))).toEqual(one);
    let status = 0;
    expect(
      await statementsDuring(async () => {
        status = (await t.app.inject({ method: 'DELETE', url: `/v1.0/accesskeys/${other}`, headers: as })).statusCode;
      }),
    ).toEqual(one);
    expect(status).toBe(200);
    const actions = (await chainOf(tenant.customerId)).slice(-3).map((e) => [e.action, e.before, e.after]);
    expect(actions).toEqual([
      ['accesskey.disable', { tm_disable: null }, { tm_disable: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/) }],
      ['accesskey.enable', { disabled: true }, { tm_disable: null }],
      ['accesskey.delete', { tm_delete: null }, { tm_delete: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/) }],
    ]);
    expect(await verdictOf(tenant.customerId)).toMatchObject({ ok: true });
  });

  it('a rename of an unknown key writes nothing, and is answered 404 as before', async () => {
    const before = await chainOf(tenant.customerId);
    const res = await put(tenant, '00000000-0000-4000-8000-000000000000', { name: 'x' });
    expect(res.statusCode).toBe(404);
    expect(await chainOf(tenant.customerId)).toEqual(before);
  });
});

describe('events hashed in SQL verify with the same code as every other', () => {
  // Text whose JSON needs escaping: the old name comes back into the event's `before` from the database
  // (rendered by PostgreSQL's to_json), the new one from the request (rendered by JSON.stringify).
  const AWKWARD = ['quote " and back\\slash', 'tab\tnew\nline\rcr\bbs\fff', 'ctl \u0001\u001f del \u007f', 'é ü ß 中文 😀', 'sep \u2028 \u2029 end', '{"seq":1}', ''];

  it('renames through awkward text: every stored event verifies, and `before` holds the old name exactly', async () => {
    const tenant = await createTenant(t, 'awkward');
    const id = await newKey(tenant, 'start');
    let was = 'start';
    for (const name of AWKWARD) {
      const res = await put(tenant, id, { name, detail: `${name}!` });
      expect(res.statusCode).toBe(200);
      const last = (await chainOf(tenant.customerId)).at(-1)!;
      expect(last.before).toEqual({ name: was, detail: was === 'start' ? '' : `${was}!` });
      was = name;
    }
    expect(await verdictOf(tenant.customerId)).toEqual({ chain: tenant.customerId, ok: true, events: 2 + AWKWARD.length });
  });

  it('a chain mixing events of several statements (create, disable, enable) and one-statement renames verifies, also as an export file', async () => {
    const tenant = await createTenant(t, 'mixed');
    const a = await newKey(tenant, 'a');
    await put(tenant, a, { name: 'a2' });
    await t.services.accesskeys.disableForCustomer(tenant.customerId, a);
    await put(tenant, a, { name: 'a3' });
    await t.services.accesskeys.enableForCustomer(tenant.customerId, a);
    await newKey(tenant, 'b');
    await put(tenant, a, { name: 'a4' });
    const actions = (await chainOf(tenant.customerId)).map((e) => e.action);
    expect(actions).toEqual([
      'accesskey.create', 'accesskey.create', 'accesskey.update', 'accesskey.disable', 'accesskey.update', 'accesskey.enable', 'accesskey.create', 'accesskey.update',
    ]);
    expect(await verdictOf(tenant.customerId)).toEqual({ chain: tenant.customerId, ok: true, events: 8 });

    const cli = async (word: string, flags: Record<string, string>) => {
      let out = '';
      const code = await runAuditCommand(word, {
        flags: new Map(Object.entries(flags)),
        openAudit: async () => t.services.audit,
        retentionDays: null,
        write: (text) => {
          out += text;
        },
      });
      return { code, out };
    };
    const exported = await cli('export', { customer: tenant.customerId });
    const file = path.join(dir, 'mixed.jsonl');
    writeFileSync(file, exported.out);
    expect(await cli('verify', { file })).toMatchObject({ code: 0 });
    // The export of a one-statement event is checked too: change its name and the file no longer verifies.
    writeFileSync(file, exported.out.replace('"name":"a3"', '"name":"forged"'));
    const forged = await cli('verify', { file });
    expect(forged.code).toBe(1);
    expect(JSON.parse(forged.out).chains[0]).toMatchObject({ ok: false, broken: { seq: 5 } });
  });

  it('tampering with the old name the statement wrote into `before` is found', async () => {
    const tenant = await createTenant(t, 'tampered');
    const id = await newKey(tenant, 'honest');
    await put(tenant, id, { name: 'next' });
    await ds().query('ALTER TABLE audit_events DISABLE TRIGGER tr_audit_events_append_only');
    try {
      await ds().query(`UPDATE audit_events SET before = jsonb_set(before, '{name}', '"forged"') WHERE chain = $1 AND seq = 3`, [tenant.customerId]);
    } finally {
      await ds().query('ALTER TABLE audit_events ENABLE TRIGGER tr_audit_events_append_only');
    }
    expect(await verdictOf(tenant.customerId)).toMatchObject({ ok: false, broken: { seq: 3 }, brokenCount: 1 });
  });

  it('a customer with no chain yet (keys from before the audit trail) gets one at its genesis from the rename', async () => {
    const tenant = await createTenant(t, 'pre-audit');
    // The trail's append-only trigger lets this through only with retention pruning's setting, borrowed here.
    await ds().transaction(async (m) => {
      await m.query("SELECT set_config('akd.audit_prune', 'on', true)");
      await m.query('DELETE FROM audit_events WHERE chain = $1', [tenant.customerId]);
      await m.query('DELETE FROM audit_chains WHERE chain = $1', [tenant.customerId]);
    });
    expect((await put(tenant, tenant.keyId, { name: 'first' })).statusCode).toBe(200);
    expect((await chainOf(tenant.customerId)).map((e) => [e.seq, e.action])).toEqual([[1, 'accesskey.update']]);
    expect(await verdictOf(tenant.customerId)).toEqual({ chain: tenant.customerId, ok: true, events: 1 });
  });

  it("a chain whose head has no recorded prev_hash (written before the column) continues from its head", async () => {
    const tenant = await createTenant(t, 'old-head');
    await ds().query('UPDATE audit_chains SET prev_hash = NULL WHERE chain = $1', [tenant.customerId]);
    expect((await put(tenant, tenant.keyId, { name: 'after-migration' })).statusCode).toBe(200);
    expect(await verdictOf(tenant.customerId)).toEqual({ chain: tenant.customerId, ok: true, events: 2 });
  });
});

describe('concurrent renames of one customer', () => {
  it(`${usingPostgres ? 'ten connections' : 'the embedded database'}: ten keys renamed at once leave a gap-free chain that verifies`, async () => {
    const tenant = await createTenant(t, 'busy');
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) ids.push(await newKey(tenant, `k${i}`));
    for (let round = 0; round < 3; round++) {
      const answers = await Promise.all(ids.map((id, i) => put(tenant, id, { name: `r${round}-${i}` })));
      expect(answers.map((r) => r.statusCode)).toEqual(ids.map(() => 200));
    }
    const events = await chainOf(tenant.customerId);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.filter((e) => e.action === 'accesskey.update')).toHaveLength(30);
    // Each key's renames are recorded in order, each `before` the name the previous one set.
    for (const [i] of ids.entries()) {
      const mine = events.filter((e) => String(e.after?.name).endsWith(`-${i}`)).map((e) => [e.before?.name, e.after?.name]);
      expect(mine).toEqual([[`k${i}`, `r0-${i}`], [`r0-${i}`, `r1-${i}`], [`r1-${i}`, `r2-${i}`]]);
    }
    expect(await verdictOf(tenant.customerId)).toEqual({ chain: tenant.customerId, ok: true, events: 41 });
    const [head] = await ds().query('SELECT seq::int AS seq FROM audit_chains WHERE chain = $1', [tenant.customerId]);
    expect(head.seq).toBe(41);
  });
});
