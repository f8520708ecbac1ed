import { generateToken } from '../src/keys/token';
import type { LeakPolicy } from '../src/keys/leak-policy';
import { loadConfig } from '../src/config';
import { LEVELS, bearer, buildTestApp, createAgent, createTenant, gql, json, login } from './helpers/app';
import type { TestApp, Tenant } from './helpers/app';
import { appWithTenants } from './helpers/tenants';
import { URL_FOUND, leakPartner, sha256 } from './helpers/leak-reports';
import type { Match } from './helpers/leak-reports';

// POST /v1.0/accesskeys/leaks: secret-scanning partners report tokens they found in public.

const { KEYS_FILE, stranger, PARTNER_ID, STRANGER_ID, payload, signature, signedHeaders } = leakPartner();
const leakConfig = (policy?: LeakPolicy) => loadConfig({ LEAK_REPORT_KEYS: KEYS_FILE, ...(policy ? { LEAK_POLICY: policy } : {}) }).leakReports;

const post = (t: TestApp, body: string | Buffer, headers: Record<string, string> = signedHeaders(body)) =>
  t.app.inject({
    method: 'POST',
    url: '/v1.0/accesskeys/leaks',
    headers: { 'content-type': 'application/json', 'user-agent': 'GitHub-Secret-Scanning/1.0', ...headers },
    payload: body,
    remoteAddress: '192.0.2.7',
  });
const report = (t: TestApp, matches: Match[]) => post(t, payload(matches));

const newKey = async (t: TestApp, tenant: Tenant, name: string, expire = 31536000) => {
  const { accesskey, token } = await t.services.accesskeys.createForCustomer(tenant.customerId, { name, expire });
  t.clock.tick();
  return { id: accesskey.id, token };
};
const works = async (t: TestApp, token: string) => (await t.app.inject({ method: 'GET', url: '/v1.0/accesskeys?page_size=1', headers: bearer(token) })).statusCode;
const leakEvents = (t: TestApp, tenant: Tenant, targetId: string | null = null) =>
  t.services.audit.search(tenant.customerId, { action: 'accesskey.leak_reported', targetId, actorTokenHash: null, since: null, until: null, beforeSeq: null, limit: 100 });
const row = async (t: TestApp, id: string) =>
  (await t.database.sql.query<Record<string, any>>('t_leak_row', 'SELECT tm_disable, tm_delete, tm_update, tm_leak_reported, leak_url, leak_source FROM accesskeys WHERE id = $1', [id]))[0];
const KEY_QUERY = 'query($state: AccesskeyState) { accesskeys(filter: { state: $state }) { nodes { id tmDisable tmDelete leak { tmReported url source } } } }';
const viewed = async (t: TestApp, tenant: Tenant, id: string, state = 'ALL') => {
  const { body } = await gql(t, KEY_QUERY, { state }, bearer(tenant.token));
  expect(body.errors).toBeUndefined();
  return body.data.accesskeys.nodes.find((n: { id: string }) => n.id === id);
};

describe('leak reports (LEAK_POLICY=disable, the default)', () => {
  let t: TestApp;
  let tenant: Tenant;
  beforeAll(async () => { [t, tenant] = await appWithTenants({ leakReports: leakConfig() }, 'leaks'); });
  afterAll(() => t.close());

  it('disables a reported live key at once, records the report on the key and in the audit trail, and shows it to the owner', async () => {
    const key = await newKey(t, tenant, 'leaked');
    expect(await works(t, key.token)).toBe(200); // now cached as good
    const before = await row(t, key.id);
    const res = await report(t, [{ token: key.token, source: 'commit' }]);
    expect(res.statusCode).toBe(200);
    expect(json(res)).toEqual([{ token_hash: sha256(key.token), token_type: 'vb_access_key', label: 'true_positive' }]);
    expect(await works(t, key.token)).toBe(401);
    const now = t.clock.now().toISOString();
    expect(await viewed(t, tenant, key.id)).toEqual({ id: key.id, tmDisable: now, tmDelete: null, leak: { tmReported: now, url: URL_FOUND, source: 'commit' } });
    expect((await row(t, key.id)).tm_update).not.toEqual(before.tm_update);
    const events = await leakEvents(t, tenant, key.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: 'accesskey.leak_reported',
      customerId: tenant.customerId,
      targetId: key.id,
      actor: { kind: 'system', id: null, name: 'leak-report', tokenHash: null },
      origin: { requestId: res.headers['x-request-id'], clientAddress: '192.0.2.7', userAgent: 'GitHub-Secret-Scanning/1.0' },
      before: { tm_disable: null },
      after: { tm_disable: now },
      detail: { url: URL_FOUND, source: 'commit', type: 'vb_access_key', policy: 'disable', changed: true },
    });
    // Neither the token nor its hash is on record.
    expect(JSON.stringify(events)).not.toContain(key.token);
    expect(JSON.stringify(events)).not.toContain(sha256(key.token));
  });

  it('labels each match: only a well-formed token of a key of ours that is live, disabled or expired less than 30 days ago is a true positive', async () => {
    const longExpired = await newKey(t, tenant, 'long-expired', 86400);
    t.clock.advanceSeconds(20 * 86400);
    const recentlyExpired = await newKey(t, tenant, 'recently-expired', 86400);
    t.clock.advanceSeconds(11 * 86400 + 1); // the first expired 30 days and a second ago, the second 10 days ago
    const live = await newKey(t, tenant, 'live');
    const viaScheme = await newKey(t, tenant, 'secret-token');
    const disabled = await newKey(t, tenant, 'disabled');
    await t.services.accesskeys.disableForCustomer(tenant.customerId, disabled.id);
    const deleted = await newKey(t, tenant, 'deleted');
    await t.app.inject({ method: 'DELETE', url: `/v1.0/accesskeys/${deleted.id}`, headers: bearer(tenant.token) });
    const unknown = generateToken();
    const badChecksum = `${live.token.slice(0, -1)}${live.token.endsWith('A') ? 'B' : 'A'}`;
    const tokens = [
      live.token, recentlyExpired.token, longExpired.token, deleted.token, disabled.token, `secret-token:${viaScheme.token}`,
      unknown, badChecksum, 'vb_short', 'ghp_16C7e42F292c6912E7710c838347Ae178B4a', ` ${live.token}`,
    ];
    const res = await report(t, tokens.map((token) => ({ token, type: token.startsWith('ghp_') ? 'github_personal_access_token' : 'vb_access_key' })));
    expect(res.statusCode).toBe(200);
    const answers = json(res);
    expect(answers.map((a: { token_hash: string }) => a.token_hash)).toEqual(tokens.map(sha256));
    expect(answers.map((a: { label: string }) => a.label)).toEqual([
      'true_positive', 'true_positive', 'false_positive', 'false_positive', 'true_positive', 'true_positive',
      'false_positive', 'false_positive', 'false_positive', 'false_positive', 'false_positive',
    ]);
    expect(answers[9]).toEqual({ token_hash: sha256(tokens[9]), token_type: 'github_personal_access_token', label: 'false_positive' });
    // Only the true positives were touched (the live key also appears with a space before it: malformed).
    for (const k of [longExpired, deleted]) expect(await row(t, k.id)).toMatchObject({ tm_leak_reported: null, leak_url: null, leak_source: null });
    for (const k of [live, recentlyExpired, disabled, viaScheme]) expect((await row(t, k.id)).tm_leak_reported).not.toBeNull();
    for (const k of [live, recentlyExpired, disabled, viaScheme]) expect(await leakEvents(t, tenant, k.id)).toHaveLength(1);
    for (const k of [longExpired, deleted]) expect(await leakEvents(t, tenant, k.id)).toEqual([]);
    expect(await works(t, viaScheme.token)).toBe(401);
    // An already disabled key keeps its disable time; the event says nothing changed.
    const [disabledEvent] = await leakEvents(t, tenant, disabled.id);
    expect(disabledEvent).toMatchObject({ before: null, after: null, detail: { policy: 'disable', changed: false } });
  });

  it('acts once per key however often a report names it', async () => {
    const key = await newKey(t, tenant, 'twice');
    const res = await report(t, [{ token: key.token }, { token: key.token, url: 'https://example.com/other' }]);
    expect(json(res).map((a: { label: string }) => a.label)).toEqual(['true_positive', 'true_positive']);
    expect(await leakEvents(t, tenant, key.id)).toHaveLength(1);
  });

  it('answers 401 and changes nothing unless the exact body is signed by a configured key', async () => {
    const key = await newKey(t, tenant, 'guarded');
    const body = payload([{ token: key.token }]);
    const attempts: Array<[Record<string, string>, string]> = [
      [{}, 'SIGNATURE_REQUIRED'],
      [{ 'github-public-key-identifier': PARTNER_ID }, 'SIGNATURE_REQUIRED'],
      [{ 'github-public-key-signature': signature(body) }, 'SIGNATURE_REQUIRED'],
      [signedHeaders(body, STRANGER_ID, stranger.privateKey), 'SIGNATURE_INVALID'], // a key we do not know
      [signedHeaders(body, PARTNER_ID, stranger.privateKey), 'SIGNATURE_INVALID'], // the right name, the wrong key
      [signedHeaders(payload([{ token: key.token, url: 'https://example.com/elsewhere' }])), 'SIGNATURE_INVALID'], // other bytes
      [signedHeaders(`${body}\n`), 'SIGNATURE_INVALID'],
      [{ 'github-public-key-identifier': PARTNER_ID, 'github-public-key-signature': 'bm90IGEgc2lnbmF0dXJl' }, 'SIGNATURE_INVALID'],
    ];
    for (const [headers, reason] of attempts) {
      const res = await post(t, body, headers);
      expect({ status: res.statusCode, reason: json(res).error.reason }).toEqual({ status: 401, reason });
    }
    // An access key is no substitute for the signature.
    expect((await post(t, body, bearer(tenant.token))).statusCode).toBe(401);
    expect(await works(t, key.token)).toBe(200);
    expect(await row(t, key.id)).toMatchObject({ tm_disable: null, tm_leak_reported: null });
    expect(await leakEvents(t, tenant, key.id)).toEqual([]);
    // The same body, rightly signed, is accepted (whatever the content type).
    const res = await post(t, body, { ...signedHeaders(body), 'content-type': 'text/plain' });
    expect(json(res)[0].label).toBe('true_positive');
  });

  it('answers 400 naming the field for a signed body that is not a valid report, and changes nothing', async () => {
    const key = await newKey(t, tenant, 'valid-only');
    const good = { token: key.token, type: 'vb_access_key', url: URL_FOUND, source: 'content' };
    const cases: Array<[unknown, string]> = [
      [good, 'body: must be a JSON array'],
      [[good, 'text'], 'body[1]: must be an object'],
      [[good, null], 'body[1]: must be an object'],
      [[good, { ...good, token: undefined }], 'body[1].token: must be a string of 1 to 1024 characters'],
      [[good, { ...good, token: 7 }], 'body[1].token: must be a string of 1 to 1024 characters'],
      [[good, { ...good, token: '' }], 'body[1].token: must be a string of 1 to 1024 characters'],
      [[good, { ...good, token: 'x'.repeat(1025) }], 'body[1].token: must be a string of 1 to 1024 characters'],
      [[good, { ...good, type: null }], 'body[1].type: must be a string of 1 to 256 characters'],
      [[good, { ...good, url: ['a'] }], 'body[1].url: must be a string of 1 to 4096 characters'],
      [[good, { ...good, url: 'x'.repeat(4097) }], 'body[1].url: must be a string of 1 to 4096 characters'],
      [[good, { ...good, source: 5 }], 'body[1].source: must be a string of 1 to 256 characters'],
      [[good, { ...good, url: 'a\u0000b' }], 'body[1].url: must not contain NUL characters'],
      [Array.from({ length: 1001 }, () => good), 'body: must hold at most 1000 matches'],
    ];
    for (const [data, message] of cases) {
      const res = await post(t, JSON.stringify(data));
      expect({ status: res.statusCode, reason: json(res).error.reason, message: json(res).error.message }).toEqual({
        status: 400,
        reason: 'FIELD_INVALID',
        message: expect.stringContaining(message),
      });
    }
    const notJson = await post(t, `${JSON.stringify([good])},`);
    expect([notJson.statusCode, json(notJson).error.message]).toEqual([400, 'body: is not valid JSON']);
    // The body limit (1 MiB) applies before anything else.
    const huge = JSON.stringify([{ ...good, detail: 'x'.repeat(1024 * 1024) }]);
    const tooLarge = await post(t, huge);
    expect([tooLarge.statusCode, json(tooLarge).error.reason]).toEqual([400, 'BODY_TOO_LARGE']);
    expect(await works(t, key.token)).toBe(200);
    expect(await leakEvents(t, tenant, key.id)).toEqual([]);
    // At the bounds: 1000 matches, a source left out (older senders), is accepted.
    const many = JSON.stringify(Array.from({ length: 1000 }, (_, i) => (i === 0 ? { token: key.token, type: 't', url: 'u' } : { ...good, token: `other-${i}` })));
    const res = await post(t, many);
    expect(res.statusCode).toBe(200);
    expect(json(res)).toHaveLength(1000);
    expect((await viewed(t, tenant, key.id)).leak).toEqual({ tmReported: t.clock.now().toISOString(), url: 'u', source: null });
  });

  it('keeps a reported canary armed: the report is recorded and its alarm raised, the key is not disabled, and keys cannot tell', async () => {
    const { accesskey: canary, token } = await t.services.accesskeys.createForCustomer(tenant.customerId, { name: 'bait', expire: 31536000, canary: true });
    t.clock.advanceSeconds(2);
    const res = await report(t, [{ token, source: 'commit' }]);
    expect(json(res)).toEqual([{ token_hash: sha256(token), token_type: 'vb_access_key', label: 'true_positive' }]);
    const now = t.clock.now().toISOString();
    expect(await row(t, canary.id)).toMatchObject({ tm_disable: null, tm_delete: null, leak_url: URL_FOUND, leak_source: 'commit' });
    const [event] = await leakEvents(t, tenant, canary.id);
    expect(event).toMatchObject({ before: null, after: null, detail: { policy: 'disable', changed: false, canary: true } });
    await t.services.canaries.settled();
    const alarms = () => t.services.audit.search(tenant.customerId, { action: 'accesskey.canary_used', targetId: canary.id, actorTokenHash: null, since: null, until: null, beforeSeq: null, limit: 10 });
    expect((await alarms()).map((e) => [e.detail, e.origin.clientAddress])).toEqual([
      [{ via: 'leak_report', method: 'POST', route: '/v1.0/accesskeys/leaks', suppressed: 0 }, '192.0.2.7'],
    ]);
    // Still armed: a use of the token raises the alarm again.
    t.clock.advanceSeconds(2);
    expect(await works(t, token)).toBe(401);
    await t.services.canaries.settled();
    expect(await alarms()).toHaveLength(2);
    // Its customer's admin sees the report; a key sees no report on it (an enabled key with a report would stand out).
    const { username, password } = await createAgent(t, tenant, LEVELS.admin);
    const admin = (await login(t, username, password)).token;
    const asAdmin = (await gql(t, KEY_QUERY, { state: 'ALL' }, bearer(admin))).body.data.accesskeys.nodes.find((n: { id: string }) => n.id === canary.id);
    expect(asAdmin).toMatchObject({ tmDisable: null, leak: { tmReported: now, url: URL_FOUND, source: 'commit' } });
    expect(await viewed(t, tenant, canary.id)).toEqual({ id: canary.id, tmDisable: null, tmDelete: null, leak: null });
  });

  it('answers a report sent again as already processed, and acts on it only after a week: a key its owner enabled stays enabled', async () => {
    const key = await newKey(t, tenant, 'replayed');
    const body = payload([{ token: key.token }, { token: generateToken() }]);
    const headers = signedHeaders(body);
    const first = await post(t, body, headers);
    expect(await works(t, key.token)).toBe(401);
    const reported = await row(t, key.id);
    // The owner looks into it and enables the key again.
    t.clock.advanceSeconds(3600);
    const { body: enabled } = await gql(t, 'mutation ($id: ID!) { enableAccesskey(id: $id) { tmDisable } }', { id: key.id }, bearer(tenant.token));
    expect(enabled.data.enableAccesskey.tmDisable).toBeNull();
    // The captured request, as it was, and the same body signed anew (as a partner's retry would be).
    for (const again of [headers, signedHeaders(body)]) {
      t.clock.advanceSeconds(86400);
      const res = await post(t, body, again);
      expect([res.statusCode, res.body]).toEqual([200, first.body]);
      expect(await works(t, key.token)).toBe(200);
    }
    expect(await row(t, key.id)).toMatchObject({ tm_disable: null, tm_leak_reported: reported.tm_leak_reported });
    expect(await leakEvents(t, tenant, key.id)).toHaveLength(1);
    // Another report of the key is acted on at once.
    expect(json(await report(t, [{ token: key.token, url: 'https://example.com/new-place' }]))[0].label).toBe('true_positive');
    expect(await works(t, key.token)).toBe(401);
    await gql(t, 'mutation ($id: ID!) { enableAccesskey(id: $id) { id } }', { id: key.id }, bearer(tenant.token));
    // A week after it was first acted on, the same report is a new one again.
    t.clock.advanceSeconds(7 * 86400 - 2 * 86400 - 3600);
    expect(await works(t, key.token)).toBe(200);
    const late = await post(t, body, signedHeaders(body));
    expect(json(late)[0].label).toBe('true_positive');
    expect(await works(t, key.token)).toBe(401);
    expect(await leakEvents(t, tenant, key.id)).toHaveLength(3);
    const [{ n }] = await t.database.sql.query<{ n: number }>('t_receipts', 'SELECT count(*)::int AS n FROM leak_report_receipts WHERE accesskey_id = $1', [key.id]);
    expect(n).toBe(2);
  });
});

describe('leak report policies', () => {
  it('revoke: the reported key is deleted, and its owner still sees why among the deleted keys', async () => {
    const t = await buildTestApp({ leakReports: leakConfig('revoke') });
    try {
      const tenant = await createTenant(t, 'revoke');
      const key = await newKey(t, tenant, 'revoked');
      expect(await works(t, key.token)).toBe(200);
      expect(json(await report(t, [{ token: key.token }]))[0].label).toBe('true_positive');
      expect(await works(t, key.token)).toBe(401);
      const now = t.clock.now().toISOString();
      expect(await viewed(t, tenant, key.id, 'DELETED')).toMatchObject({ tmDelete: now, tmDisable: null, leak: { url: URL_FOUND, source: 'content' } });
      const [event] = await leakEvents(t, tenant, key.id);
      expect(event).toMatchObject({ before: { tm_delete: null }, after: { tm_delete: now }, detail: { policy: 'revoke', changed: true } });
      // Deleted now: a second report of it is a false positive and records nothing.
      expect(json(await report(t, [{ token: key.token }]))[0].label).toBe('false_positive');
      expect(await leakEvents(t, tenant, key.id)).toHaveLength(1);
      // A canary is not deleted: it stays armed.
      const canary = await t.services.accesskeys.createForCustomer(tenant.customerId, { expire: 86400, canary: true });
      expect(json(await report(t, [{ token: canary.token }]))[0].label).toBe('true_positive');
      expect(await row(t, canary.accesskey.id)).toMatchObject({ tm_delete: null, tm_disable: null, leak_url: URL_FOUND });
    } finally {
      await t.close();
    }
  });

  it('notify: the key keeps working; only the report and the event are recorded', async () => {
    const t = await buildTestApp({ leakReports: leakConfig('notify') });
    try {
      const tenant = await createTenant(t, 'notify');
      const key = await newKey(t, tenant, 'notified');
      const before = await row(t, key.id);
      expect(json(await report(t, [{ token: key.token, source: 'issue_comment' }]))[0].label).toBe('true_positive');
      expect(await works(t, key.token)).toBe(200);
      const after = await row(t, key.id);
      expect(after).toMatchObject({ tm_disable: null, tm_delete: null, leak_url: URL_FOUND, leak_source: 'issue_comment' });
      expect(after.tm_update).toEqual(before.tm_update);
      expect((await viewed(t, tenant, key.id)).leak).toEqual({ tmReported: t.clock.now().toISOString(), url: URL_FOUND, source: 'issue_comment' });
      const [event] = await leakEvents(t, tenant, key.id);
      expect(event).toMatchObject({ before: null, after: null, detail: { policy: 'notify', changed: false, source: 'issue_comment' } });
    } finally {
      await t.close();
    }
  });

  it('without LEAK_REPORT_KEYS every report is refused, however it is signed', async () => {
    const t = await buildTestApp();
    try {
      const tenant = await createTenant(t, 'off');
      const key = await newKey(t, tenant, 'kept');
      const res = await report(t, [{ token: key.token }]);
      expect([res.statusCode, json(res).error.reason]).toEqual([401, 'LEAK_REPORTS_DISABLED']);
      expect(await works(t, key.token)).toBe(200);
      expect(await leakEvents(t, tenant, key.id)).toEqual([]);
    } finally {
      await t.close();
    }
  });
});
