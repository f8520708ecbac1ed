import { createHash } from 'node:crypto';
import { buildApp } from '../src/app/app';
import { LEVELS, bearer, createAgent, createTenant, gql, json, login } from './helpers/app';
import type { TestApp, Tenant } from './helpers/app';
import { agentSession, appWithTenants } from './helpers/tenants';

// The audit trail (issue 10 §1): an event per change, in the change's transaction, hash-chained per customer.

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const EVENTS = `query ($first: Int, $after: String, $filter: AuditEventFilter) {
  auditEvents(first: $first, after: $after, filter: $filter) {
    nodes { id seq time action targetId actor { kind id name tokenHash } requestId clientAddress userAgent before after detail hash prevHash }
    pageInfo { hasNextPage endCursor }
  } }`;

interface Row {
  seq: string;
  action: string;
  actor_kind: string;
  actor_id: string | null;
  actor_name: string | null;
  actor_token_hash: string | null;
  target_id: string | null;
  request_id: string | null;
  client_address: string | null;
  user_agent: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  detail: Record<string, unknown> | null;
}

describe('audit trail', () => {
  let t: TestApp;
  let acme: Tenant;
  let other: Tenant;
  let admin: { username: string; password: string; token: string; agentId: string };

  const rows = async (customerId: string | null): Promise<Row[]> =>
    t.database.dataSource.query(
      customerId === null ? "SELECT * FROM audit_events WHERE chain = 'system' ORDER BY seq" : 'SELECT * FROM audit_events WHERE customer_id = $1 ORDER BY seq',
      customerId === null ? [] : [customerId],
    );
  const last = async (customerId: string | null) => (await rows(customerId)).at(-1)!;

  beforeAll(async () => {
    [t, acme, other] = await appWithTenants({ auth: { ...(await import('../src/config')).loadConfig({}).auth, loginMaxFailures: 3 } }, 'acme', 'other');
    const a = await agentSession(t, acme, LEVELS.admin);
    admin = { username: a.username, password: a.password, token: a.token, agentId: a.agent.id };
  });
  afterAll(() => t.close());

  const rest = (method: 'POST' | 'PUT' | 'DELETE', url: string, token: string, payload?: unknown) =>
    t.app.inject({ method, url, headers: { ...bearer(token), 'user-agent': 'audit-test/1.0' }, payload: payload as never, remoteAddress: '198.51.100.7' });

  it('records every key change with who did it, from where, and what changed; never a token', async () => {
    const created = await rest('POST', '/v1.0/accesskeys', acme.token, { name: 'ci', detail: 'deploys', expire: 86400 });
    expect(created.statusCode).toBe(200);
    const key = json(created);
    let event = await last(acme.customerId);
    expect(event).toMatchObject({
      action: 'accesskey.create',
      target_id: key.id,
      actor_kind: 'accesskey',
      actor_id: acme.keyId,
      actor_token_hash: sha256(acme.token),
      actor_name: acme.token.slice(0, 11),
      request_id: created.headers['x-request-id'],
      client_address: '198.51.100.7',
      user_agent: 'audit-test/1.0',
      before: null,
    });
    expect(event.after).toMatchObject({ name: 'ci', detail: 'deploys', token_prefix: key.token_prefix, scopes: ['accesskeys:read', 'accesskeys:write'] });

    await rest('PUT', `/v1.0/accesskeys/${key.id}`, acme.token, { name: 'ci2', detail: 'builds' });
    event = await last(acme.customerId);
    expect(event).toMatchObject({ action: 'accesskey.update', target_id: key.id, before: { name: 'ci', detail: 'deploys' }, after: { name: 'ci2', detail: 'builds' } });

    // The same through GraphQL, by a logged-in agent: the actor is the agent, named by its session's hash.
    const disabled = await gql(t, 'mutation ($id: ID!) { disableAccesskey(id: $id) { tmDisable } }', { id: key.id }, bearer(admin.token));
    event = await last(acme.customerId);
    expect(event).toMatchObject({
      action: 'accesskey.disable', actor_kind: 'agent', actor_id: admin.agentId, actor_name: admin.username, actor_token_hash: sha256(admin.token),
      before: { tm_disable: null }, after: { tm_disable: disabled.body.data.disableAccesskey.tmDisable },
    });
    // Disabling a disabled key changes nothing, so records nothing.
    const count = (await rows(acme.customerId)).length;
    await gql(t, 'mutation ($id: ID!) { disableAccesskey(id: $id) { id } }', { id: key.id }, bearer(admin.token));
    expect(await rows(acme.customerId)).toHaveLength(count);

    await gql(t, 'mutation ($id: ID!) { enableAccesskey(id: $id) { id } }', { id: key.id }, bearer(admin.token));
    expect(await last(acme.customerId)).toMatchObject({ action: 'accesskey.enable', target_id: key.id, after: { tm_disable: null } });

    const rotated = await gql(t, 'mutation ($id: ID!) { rotateAccesskey(id: $id, gracePeriod: 60) { token accesskey { id } previous { tmExpire } } }', { id: key.id }, bearer(admin.token));
    const { token: newToken, accesskey: newKey, previous } = rotated.body.data.rotateAccesskey;
    event = await last(acme.customerId);
    expect(event).toMatchObject({ action: 'accesskey.rotate', target_id: key.id, after: { tm_expire: previous.tmExpire } });
    expect(event.detail).toMatchObject({ grace_period: 60, new_accesskey: { id: newKey.id, name: 'ci2' } });

    await rest('DELETE', `/v1.0/accesskeys/${newKey.id}`, acme.token);
    event = await last(acme.customerId);
    expect(event).toMatchObject({ action: 'accesskey.delete', target_id: newKey.id, before: { tm_delete: null } });
    expect(event.after!.tm_delete).toMatch(/^\d{4}-.*Z$/);

    const everything = JSON.stringify(await t.database.dataSource.query('SELECT * FROM audit_events'));
    for (const secret of [acme.token, newToken, admin.token, admin.password]) expect(everything).not.toContain(secret);
    expect(everything).not.toMatch(/vb_[0-9A-Za-z]{32}/);
  });

  it('records agent changes and logins; a failed login is recorded only while the login limiter lets it through', async () => {
    const { agent, username, password } = await createAgent(t, acme, LEVELS.manager);
    expect(await last(acme.customerId)).toMatchObject({ action: 'agent.create', target_id: agent.id, actor_kind: 'cli', after: { username, permission: LEVELS.manager } });

    const ok = await t.app.inject({ method: 'POST', url: '/auth/login', payload: { username, password }, remoteAddress: '203.0.113.9', headers: { 'user-agent': 'browser/2' } });
    const session = json(ok).token as string;
    expect(await last(acme.customerId)).toMatchObject({
      action: 'auth.login', target_id: agent.id, actor_kind: 'agent', actor_id: agent.id, actor_token_hash: sha256(session),
      client_address: '203.0.113.9', user_agent: 'browser/2', request_id: ok.headers['x-request-id'],
    });

    await t.app.inject({ method: 'POST', url: '/auth/logout', headers: bearer(session) });
    expect(await last(acme.customerId)).toMatchObject({ action: 'auth.logout', target_id: agent.id, actor_token_hash: sha256(session) });

    await t.services.agents.setPassword(username, 'an entirely new password');
    const pw = await last(acme.customerId);
    expect(pw).toMatchObject({ action: 'agent.password_set', target_id: agent.id });
    expect(JSON.stringify(pw)).not.toContain('an entirely new password');

    // Wrong password for a known agent: its customer's chain. The limiter allows 3 failures per username.
    for (let i = 0; i < 5; i++) {
      await t.app.inject({ method: 'POST', url: '/auth/login', payload: { username, password: `wrong${i}` }, remoteAddress: `203.0.113.${20 + i}` });
    }
    const failures = (await rows(acme.customerId)).filter((r) => r.action === 'auth.login_failed');
    expect(failures).toHaveLength(3);
    expect(failures[0]).toMatchObject({ target_id: agent.id, detail: { reason: 'wrong_password' }, client_address: '203.0.113.20' });
    expect(JSON.stringify(failures)).not.toContain('wrong0');

    // An unknown username: the system chain, and the name as typed is not kept.
    await login(t, 'no-such-person', 'hunter2hunter2', '203.0.113.99');
    const unknown = await last(null);
    expect(unknown).toMatchObject({ action: 'auth.login_failed', customer_id: null, target_id: null, client_address: '203.0.113.99', detail: { reason: 'unknown_username' } });
    expect(JSON.stringify(unknown)).not.toContain('no-such-person');

    await t.services.agents.delete(username);
    expect(await last(acme.customerId)).toMatchObject({ action: 'agent.delete', target_id: agent.id });
    expect((await t.services.audit.verify()).every((v) => v.ok)).toBe(true);
  });

  it('writes the event in the change\'s transaction: when the event cannot be written, the change is undone', async () => {
    const key = json(await rest('POST', '/v1.0/accesskeys', acme.token, { name: 'keep', expire: 86400 }));
    const before = await rows(acme.customerId);
    await t.database.dataSource.query(`
      CREATE FUNCTION audit_test_fail() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.action IN ('accesskey.disable', 'accesskey.create', 'agent.delete') THEN RAISE EXCEPTION 'forced failure'; END IF; RETURN NEW; END $$`);
    await t.database.dataSource.query('CREATE TRIGGER tr_audit_test_fail BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_test_fail()');
    try {
      const disabled = await gql(t, 'mutation ($id: ID!) { disableAccesskey(id: $id) { id } }', { id: key.id }, bearer(admin.token));
      expect(disabled.body.errors[0].extensions.code).toBe('INTERNAL_SERVER_ERROR');
      const created = await rest('POST', '/v1.0/accesskeys', acme.token, { name: 'never', expire: 86400 });
      expect(created.statusCode).toBe(500);
      await expect(t.services.agents.delete(admin.username)).rejects.toThrow();
    } finally {
      await t.database.dataSource.query('DROP TRIGGER tr_audit_test_fail ON audit_events');
      await t.database.dataSource.query('DROP FUNCTION audit_test_fail()');
    }
    const [stored] = await t.database.dataSource.query('SELECT tm_disable FROM accesskeys WHERE id = $1', [key.id]);
    expect(stored.tm_disable).toBeNull();
    expect(await t.database.dataSource.query("SELECT 1 FROM accesskeys WHERE name = 'never'")).toHaveLength(0);
    expect(await t.services.agents.findLiveByUsername(admin.username)).not.toBeNull();
    expect(await rows(acme.customerId)).toHaveLength(before.length);
    // And the chain stays whole: the rolled-back events took no place in it.
    await rest('PUT', `/v1.0/accesskeys/${key.id}`, acme.token, { name: 'kept' });
    expect((await t.services.audit.verify(acme.customerId))[0]).toMatchObject({ ok: true });
  });

  it('concurrent changes of one customer take turns: the chain neither forks nor skips', async () => {
    const fresh = await createTenant(t, 'busy');
    const created = await Promise.all(
      Array.from({ length: 12 }, (_, i) => rest('POST', '/v1.0/accesskeys', fresh.token, { name: `k${i}`, expire: 86400 })),
    );
    expect(created.map((r) => r.statusCode)).toEqual(Array(12).fill(200));
    await Promise.all(created.map((r, i) => rest('PUT', `/v1.0/accesskeys/${json(r).id}`, fresh.token, { name: `renamed${i}` })));
    const chain = await rows(fresh.customerId);
    expect(chain.map((r) => Number(r.seq))).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    const [verdict] = await t.services.audit.verify(fresh.customerId);
    expect(verdict).toEqual({ chain: fresh.customerId, ok: true, events: 25 });
  });

  it('refuses updates, deletes and truncation of events', async () => {
    const ds = t.database.dataSource;
    await expect(ds.query("UPDATE audit_events SET action = 'x' WHERE customer_id = $1", [acme.customerId])).rejects.toThrow(/append-only/);
    await expect(ds.query('DELETE FROM audit_events WHERE customer_id = $1', [acme.customerId])).rejects.toThrow(/append-only/);
    await expect(ds.query('TRUNCATE audit_events')).rejects.toThrow(/append-only/);
  });

  describe('tampering by hand in SQL is found by verification', () => {
    let victim: Tenant;
    const ds = () => t.database.dataSource;
    /** Runs `sql` with the append-only trigger off, as someone with the table's ownership could. */
    async function tamper(sql: string, values: unknown[]) {
      await ds().query('ALTER TABLE audit_events DISABLE TRIGGER tr_audit_events_append_only');
      try {
        await ds().query(sql, values);
      } finally {
        await ds().query('ALTER TABLE audit_events ENABLE TRIGGER tr_audit_events_append_only');
      }
    }

    beforeEach(async () => {
      victim = await createTenant(t, 'victim');
      for (let i = 0; i < 4; i++) await rest('POST', '/v1.0/accesskeys', victim.token, { name: `v${i}`, expire: 86400 });
      expect((await t.services.audit.verify(victim.customerId))[0]).toMatchObject({ ok: true, events: 5 });
    });

    it('a changed field', async () => {
      await tamper("UPDATE audit_events SET after = jsonb_set(after, '{name}', '\"innocent\"') WHERE customer_id = $1 AND seq = 3", [victim.customerId]);
      const [verdict] = await t.services.audit.verify(victim.customerId);
      expect(verdict).toMatchObject({ ok: false, broken: { seq: 3, reason: expect.stringMatching(/does not match its hash/) } });
    });

    it('a deleted event in the middle', async () => {
      await tamper('DELETE FROM audit_events WHERE customer_id = $1 AND seq = 2', [victim.customerId]);
      const [verdict] = await t.services.audit.verify(victim.customerId);
      expect(verdict).toMatchObject({ ok: false, broken: { seq: 2, reason: expect.stringMatching(/event 2 is missing/) } });
    });

    it('the newest event cut off the end', async () => {
      await tamper('DELETE FROM audit_events WHERE customer_id = $1 AND seq = 5', [victim.customerId]);
      const [verdict] = await t.services.audit.verify(victim.customerId);
      expect(verdict).toMatchObject({ ok: false, broken: { seq: 5, reason: expect.stringMatching(/missing/) } });
    });

    it('a recomputed hash that no longer links', async () => {
      await tamper("UPDATE audit_events SET hash = repeat('a', 64) WHERE customer_id = $1 AND seq = 4", [victim.customerId]);
      const [verdict] = await t.services.audit.verify(victim.customerId);
      expect(verdict).toMatchObject({ ok: false, broken: { seq: 4 } });
    });
  });

  describe('auditEvents (GraphQL)', () => {
    it('shows a customer admin their own customer\'s events, newest first, and nothing of another customer', async () => {
      await rest('POST', '/v1.0/accesskeys', other.token, { name: 'other-secret-name', expire: 86400 });
      const { body } = await gql(t, EVENTS, { first: 100 }, bearer(admin.token));
      const nodes = body.data.auditEvents.nodes as Array<Record<string, any>>;
      expect(nodes.length).toBeGreaterThan(5);
      expect(nodes.map((n) => n.seq)).toEqual([...nodes.map((n) => n.seq)].sort((a, b) => b - a));
      expect(JSON.stringify(nodes)).not.toContain('other-secret-name');
      expect(nodes.every((n) => /^[0-9a-f]{64}$/.test(n.hash))).toBe(true);
    });

    it('filters by action, target, actor token hash and time, and pages with cursors', async () => {
      const key = json(await rest('POST', '/v1.0/accesskeys', acme.token, { name: 'tracked', expire: 86400 }));
      t.clock.advanceSeconds(60);
      const mark = t.clock.now().toISOString();
      await rest('PUT', `/v1.0/accesskeys/${key.id}`, acme.token, { name: 'tracked2' });
      await gql(t, 'mutation ($id: ID!) { disableAccesskey(id: $id) { id } }', { id: key.id }, bearer(admin.token));

      const byTarget = await gql(t, EVENTS, { filter: { targetId: key.id } }, bearer(admin.token));
      expect(byTarget.body.data.auditEvents.nodes.map((n: any) => n.action)).toEqual(['accesskey.disable', 'accesskey.update', 'accesskey.create']);

      const byAction = await gql(t, EVENTS, { filter: { action: 'accesskey.disable', targetId: key.id } }, bearer(admin.token));
      expect(byAction.body.data.auditEvents.nodes).toHaveLength(1);

      // Everything one credential did: the leaked-key question.
      const byToken = await gql(t, EVENTS, { filter: { actorTokenHash: sha256(acme.token).toUpperCase() } }, bearer(admin.token));
      const mine = byToken.body.data.auditEvents.nodes as Array<Record<string, any>>;
      expect(mine.length).toBeGreaterThan(2);
      expect(mine.every((n) => n.actor.tokenHash === sha256(acme.token) && n.actor.kind === 'accesskey')).toBe(true);

      const since = await gql(t, EVENTS, { filter: { targetId: key.id, since: mark } }, bearer(admin.token));
      expect(since.body.data.auditEvents.nodes.map((n: any) => n.action)).toEqual(['accesskey.disable', 'accesskey.update']);
      const until = await gql(t, EVENTS, { filter: { targetId: key.id, until: mark } }, bearer(admin.token));
      expect(until.body.data.auditEvents.nodes.map((n: any) => n.action)).toEqual(['accesskey.create']);

      const first = await gql(t, EVENTS, { first: 2, filter: { targetId: key.id } }, bearer(admin.token));
      expect(first.body.data.auditEvents.pageInfo.hasNextPage).toBe(true);
      const next = await gql(t, EVENTS, { first: 2, after: first.body.data.auditEvents.pageInfo.endCursor, filter: { targetId: key.id } }, bearer(admin.token));
      expect(next.body.data.auditEvents.nodes.map((n: any) => n.action)).toEqual(['accesskey.create']);
      expect(next.body.data.auditEvents.pageInfo).toEqual({ hasNextPage: false, endCursor: expect.any(String) });
    });

    it('is refused to access keys and to agents without the admin permission', async () => {
      const byKey = await gql(t, EVENTS, {}, bearer(acme.token));
      expect(byKey.body.errors[0].extensions.code).toBe('FORBIDDEN');
      const agent = await createAgent(t, acme, LEVELS.agent);
      const { token } = await login(t, agent.username, agent.password);
      expect((await gql(t, EVENTS, {}, bearer(token))).body.errors[0].extensions.code).toBe('FORBIDDEN');
      expect((await gql(t, EVENTS, {})).body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    });

    it.each([
      [{ filter: { action: 'accesskey.explode' } }, 'filter.action'],
      [{ filter: { targetId: 'nope' } }, 'filter.targetId'],
      [{ filter: { actorTokenHash: 'abc' } }, 'filter.actorTokenHash'],
      [{ filter: { since: '2026-12-02T00:00:00Z', until: '2026-12-01T00:00:00Z' } }, 'filter.until'],
      [{ after: 'garbage!' }, 'after'],
      [{ first: -1 }, 'first'],
    ])('refuses bad arguments, naming the field: %j', async (variables, field) => {
      const { body } = await gql(t, EVENTS, variables, bearer(admin.token));
      expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      expect(body.errors[0].message).toContain(field);
    });
  });

  describe('retention', () => {
    it('prunes events past AUDIT_RETENTION_DAYS and each chain still verifies from its checkpoint', async () => {
      const old = await createTenant(t, 'old');
      await rest('POST', '/v1.0/accesskeys', old.token, { name: 'old1', expire: 86400 * 30 });
      t.clock.advanceSeconds(10 * 86400);
      await rest('POST', '/v1.0/accesskeys', old.token, { name: 'recent', expire: 86400 * 30 });
      const deleted = await t.services.audit.prune(5);
      expect(deleted).toBeGreaterThanOrEqual(2);
      const left = await rows(old.customerId);
      expect(left.map((r) => Number(r.seq))).toEqual([3]);
      const [record] = await t.services.audit.chains(old.customerId);
      expect(record.checkpoint.seq).toBe(2);
      expect((await t.services.audit.verify(old.customerId))[0]).toEqual({ chain: old.customerId, ok: true, events: 1 });
      // Appending goes on from the head.
      await rest('POST', '/v1.0/accesskeys', old.token, { name: 'later', expire: 86400 * 30 });
      expect((await t.services.audit.verify(old.customerId))[0]).toEqual({ chain: old.customerId, ok: true, events: 2 });
      // Nothing else may delete: the permission lasted only for the pruning transaction.
      await expect(t.database.dataSource.query('DELETE FROM audit_events WHERE customer_id = $1', [old.customerId])).rejects.toThrow(/append-only/);
    });

    it('a server started with a retention prunes when it becomes ready', async () => {
      const aged = await createTenant(t, 'aged');
      t.clock.advanceSeconds(40 * 86400);
      const second = await buildApp({ database: t.database, clock: t.clock, auditRetentionDays: 30 });
      try {
        expect(await rows(aged.customerId)).toHaveLength(1);
        await second.app.ready();
        expect(await rows(aged.customerId)).toHaveLength(0);
        expect((await t.services.audit.verify(aged.customerId))[0]).toEqual({ chain: aged.customerId, ok: true, events: 0 });
      } finally {
        await second.app.close();
      }
    });
  });
});
