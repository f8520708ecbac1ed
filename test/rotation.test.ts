import { OneSuccessorPerKey1766150000000 } from '../migrations/1766150000000-OneSuccessorPerKey';
import { AppError } from '../src/errors';
import type { Scope } from '../src/scopes';
import { LEVELS, bearer, buildTestApp, createAgent, createTenant, gql, json, login } from './helpers/app';
import type { TestApp, Tenant } from './helpers/app';

// Rotation's edges (issue 15 §3, §5): one successor per key, even when rotations race; the grant rule of
// creation; a successor's lifetime is the original key's, with and without MAX_KEY_LIFETIME_SECONDS.

const READ = 'accesskeys:read';
const WRITE = 'accesskeys:write';
const VERIFY = 'accesskeys:verify';

const ROTATE = `mutation ($id: ID!, $grace: Int) { rotateAccesskey(id: $id, gracePeriod: $grace) {
  token accesskey { id scopes tmCreate tmExpire rotatedFromId } previous { id tmExpire } } }`;

interface KeyRow {
  id: string;
  tm_expire: Date;
  tm_update: Date;
  rotated_from_id: string | null;
}

async function keyRow(t: TestApp, id: string): Promise<KeyRow> {
  const [row] = await t.database.dataSource.query('SELECT id, tm_expire, tm_update, rotated_from_id FROM accesskeys WHERE id = $1', [id]);
  return row;
}

const successorsOf = async (t: TestApp, id: string): Promise<string[]> =>
  (await t.database.dataSource.query('SELECT id FROM accesskeys WHERE rotated_from_id = $1', [id])).map((r: { id: string }) => r.id);

const eventCount = async (t: TestApp, customerId: string): Promise<number> =>
  Number((await t.database.dataSource.query('SELECT count(*)::int AS n FROM audit_events WHERE customer_id = $1', [customerId]))[0].n);

describe('one successor per key', () => {
  let t: TestApp;
  let acme: Tenant;

  beforeAll(async () => {
    t = await buildTestApp();
    acme = await createTenant(t, 'acme');
  });
  afterAll(() => t.close());

  const fresh = async (expire = 30 * 86400) => {
    const made = await t.services.accesskeys.createForCustomer(acme.customerId, { name: 'ci', expire });
    t.clock.tick();
    return made;
  };
  const rotate = (id: string, grace?: number, token = acme.token) => gql(t, ROTATE, grace === undefined ? { id } : { id, grace }, bearer(token));

  it('refuses a second rotation of a rotated key with FAILED_PRECONDITION naming the successor, and writes nothing', async () => {
    const { accesskey } = await fresh();
    const first = await rotate(accesskey.id, 60);
    const successor = first.body.data.rotateAccesskey.accesskey;
    expect(successor.rotatedFromId).toBe(accesskey.id);
    const stored = await keyRow(t, accesskey.id);
    const events = await eventCount(t, acme.customerId);
    t.clock.advanceSeconds(5);

    const again = await rotate(accesskey.id, 0);
    expect(again.body.data).toBeNull();
    expect(again.body.errors[0].extensions).toMatchObject({ code: 'FAILED_PRECONDITION', reason: 'ALREADY_ROTATED' });
    expect(again.body.errors[0].message).toContain(successor.id);
    // Nothing moved: no second successor, the old key's grace untouched, no event.
    expect(await successorsOf(t, accesskey.id)).toEqual([successor.id]);
    expect(await keyRow(t, accesskey.id)).toEqual(stored);
    expect(await eventCount(t, acme.customerId)).toBe(events);

    // The operator's command obeys the same rule; the successor itself may be rotated.
    await expect(t.services.accesskeys.rotateForCustomer(acme.customerId, accesskey.id, 0)).rejects.toMatchObject({ code: 'FAILED_PRECONDITION', message: expect.stringContaining(successor.id) });
    const next = await rotate(successor.id, 0);
    expect(next.body.data.rotateAccesskey.accesskey.rotatedFromId).toBe(successor.id);
  });

  it('of several concurrent rotations of one key exactly one succeeds; the others are FAILED_PRECONDITION naming its successor', async () => {
    const { accesskey } = await fresh();
    const events = await eventCount(t, acme.customerId);
    const answers = await Promise.all(Array.from({ length: 6 }, () => rotate(accesskey.id, 60)));
    const won = answers.filter((a) => a.body.data?.rotateAccesskey);
    const lost = answers.filter((a) => a.body.errors);
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(5);
    const successorId = won[0].body.data.rotateAccesskey.accesskey.id as string;
    for (const answer of lost) {
      expect(answer.body.errors[0].extensions.code).toBe('FAILED_PRECONDITION');
      expect(answer.body.errors[0].message).toContain(successorId);
    }
    expect(await successorsOf(t, accesskey.id)).toEqual([successorId]);
    expect(await eventCount(t, acme.customerId)).toBe(events + 1);
    // The one token handed out works; the chain holds.
    const probe = await t.app.inject({ method: 'GET', url: '/v1.0/accesskeys?page_size=1', headers: bearer(won[0].body.data.rotateAccesskey.token) });
    expect(probe.statusCode).toBe(200);
    expect((await t.services.audit.verify(acme.customerId))[0]).toMatchObject({ ok: true });
  });

  it('the database itself holds one successor per key, whatever the code above it does', async () => {
    const { accesskey } = await fresh();
    await rotate(accesskey.id, 60);
    const sneak = t.database.dataSource.query(
      `INSERT INTO accesskeys (id, customer_id, name, detail, token_hash, token_prefix, tm_expire, tm_create, tm_update, rotated_from_id, scopes)
       SELECT gen_random_uuid(), customer_id, name, detail, repeat('f', 64), 'vb_sneakyyy', tm_expire, tm_create, tm_update, id, scopes FROM accesskeys WHERE id = $1`,
      [accesskey.id],
    );
    await expect(sneak).rejects.toThrow(/ux_accesskeys_rotated_from/);
  });

  it('the migration keeps the first of the successors an older server made and unlinks the later ones', async () => {
    const { accesskey } = await fresh();
    const runner = t.database.dataSource.createQueryRunner();
    let first: { id: string };
    try {
      await runner.query('DROP INDEX ux_accesskeys_rotated_from');
      // Three successors, as concurrent rotations used to make them.
      for (let i = 0; i < 3; i++) {
        await runner.query(
          `INSERT INTO accesskeys (id, customer_id, name, detail, token_hash, token_prefix, tm_expire, tm_create, tm_update, rotated_from_id, scopes)
           SELECT gen_random_uuid(), customer_id, name, detail, md5(random()::text) || md5(random()::text), 'vb_dupdupdu', tm_expire,
                  tm_create + $2 * interval '1 second', tm_update, id, scopes FROM accesskeys WHERE id = $1`,
          [accesskey.id, i + 1],
        );
      }
      [first] = await runner.query('SELECT id FROM accesskeys WHERE rotated_from_id = $1 ORDER BY tm_create LIMIT 1', [accesskey.id]);
      await new OneSuccessorPerKey1766150000000().up(runner);
    } finally {
      // The embedded database serves one connection at a time: let go of this one before the app's.
      await runner.release();
    }
    expect(await successorsOf(t, accesskey.id)).toEqual([first.id]);
    expect((await rotate(accesskey.id, 0)).body.errors[0].message).toContain(first.id);
  });

  it("a successor's lifetime is the original key's, however often a rotation of the old key is retried", async () => {
    const { accesskey } = await fresh(10 * 86400);
    t.clock.advanceSeconds(3600);
    const first = (await rotate(accesskey.id, 0)).body.data.rotateAccesskey;
    expect(first.accesskey.tmExpire).toBe(t.clock.now().plusSeconds(10 * 86400).toISOString());
    // A retry (the client did not see the answer) used to make a key living 1.2 s, counted from the shortened row.
    t.clock.advanceSeconds(1);
    const retry = await rotate(accesskey.id, 0);
    expect(retry.body.errors[0].extensions.code).toBe('FAILED_PRECONDITION');
    // Rotating the successor later: again the original length.
    t.clock.advanceSeconds(86400);
    const second = (await rotate(first.accesskey.id, 0)).body.data.rotateAccesskey;
    expect(second.accesskey.tmExpire).toBe(t.clock.now().plusSeconds(10 * 86400).toISOString());
  });
});

describe('rotation grants only what the caller may grant (the rule of creation)', () => {
  let t: TestApp;
  let acme: Tenant;

  beforeAll(async () => {
    t = await buildTestApp();
    acme = await createTenant(t, 'acme');
  });
  afterAll(() => t.close());

  const keyWith = async (scopes: Scope[]) => {
    const made = await t.services.accesskeys.createForCustomer(acme.customerId, { name: scopes.join('+'), expire: 30 * 86400 }, undefined, scopes);
    t.clock.tick();
    return made;
  };
  const sessionOf = async (level: number) => {
    const agent = await createAgent(t, acme, level);
    return (await login(t, agent.username, agent.password)).token;
  };
  const verifies = async (verifier: string, token: string) =>
    json(await t.app.inject({ method: 'POST', url: '/v1.0/accesskeys/verify', headers: bearer(verifier), payload: { token } }));

  /** Rotates `target` as `caller` and expects a refusal that changed nothing at all. */
  async function expectRefused(callerToken: string, target: { accesskey: { id: string }; token: string }) {
    const before = await keyRow(t, target.accesskey.id);
    const events = await eventCount(t, acme.customerId);
    t.clock.advanceSeconds(5);
    const { body } = await gql(t, ROTATE, { id: target.accesskey.id, grace: 0 }, bearer(callerToken));
    expect(body.data).toBeNull();
    expect(body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect(JSON.stringify(body)).not.toMatch(/vb_[0-9A-Za-z]{32}/);
    expect(await keyRow(t, target.accesskey.id)).toEqual(before);
    expect(await successorsOf(t, target.accesskey.id)).toEqual([]);
    expect(await eventCount(t, acme.customerId)).toBe(events);
    // The old key still works as it did (grace 0 would have ended it at once).
    expect((await t.app.inject({ method: 'GET', url: '/v1.0/accesskeys?page_size=1', headers: bearer(target.token) })).statusCode).toBe(200);
  }

  it('a read+write key cannot rotate the verify key', async () => {
    const verifyKey = await keyWith([READ, WRITE, VERIFY]);
    await expectRefused(acme.token, verifyKey);
    // And so holds no working verify token: the verify key still verifies, nothing else was made to.
    expect((await verifies(verifyKey.token, acme.token)).valid).toBe(true);
  });

  it('a customer admin cannot rotate the verify key', async () => {
    const verifyKey = await keyWith([READ, WRITE, VERIFY]);
    await expectRefused(await sessionOf(LEVELS.admin), verifyKey);
  });

  it('a write-only key cannot rotate a read+write key', async () => {
    const writer = await keyWith([WRITE]);
    await expectRefused(writer.token, await keyWith([READ, WRITE]));
  });

  it('a write-only key may rotate a write-only key; a read+write key a read-only one; a super admin the verify key', async () => {
    const writer = await keyWith([WRITE]);
    const rotated = await gql(t, ROTATE, { id: (await keyWith([WRITE])).accesskey.id }, bearer(writer.token));
    expect(rotated.body.data.rotateAccesskey.accesskey.scopes).toEqual([WRITE]);
    const readOnly = await gql(t, ROTATE, { id: (await keyWith([READ])).accesskey.id }, bearer(acme.token));
    expect(readOnly.body.data.rotateAccesskey.accesskey.scopes).toEqual([READ]);
    const verifyKey = await keyWith([READ, WRITE, VERIFY]);
    const bySuper = await gql(t, ROTATE, { id: verifyKey.accesskey.id, grace: 0 }, bearer(await sessionOf(LEVELS['super-admin'])));
    expect(bySuper.body.data.rotateAccesskey.accesskey.scopes).toEqual([READ, WRITE, VERIFY]);
    expect((await verifies(bySuper.body.data.rotateAccesskey.token, acme.token)).valid).toBe(true);
  });

  it('the operator command rotates any key (it grants anything, as it creates anything)', async () => {
    const verifyKey = await keyWith([READ, WRITE, VERIFY]);
    const { accesskey } = await t.services.accesskeys.rotateForCustomer(acme.customerId, verifyKey.accesskey.id, 0);
    expect(accesskey.scopes).toEqual([READ, WRITE, VERIFY]);
  });

  it('a refusal is an AppError the edges map (never a 500)', async () => {
    const verifyKey = await keyWith([READ, WRITE, VERIFY]);
    const ctx = { requestId: 'r', caller: { kind: 'accesskey' as const, customerId: acme.customerId, accesskeyId: acme.keyId, credentialHash: '0'.repeat(64), tokenPrefix: 'vb_test', scopes: [READ, WRITE] as Scope[] } };
    await expect(t.services.accesskeys.rotate(ctx, verifyKey.accesskey.id)).rejects.toBeInstanceOf(AppError);
  });
});

describe('rotation under MAX_KEY_LIFETIME_SECONDS', () => {
  const NINETY_DAYS = 90 * 86400;
  let t: TestApp;
  let tenant: Tenant;

  beforeAll(async () => {
    t = await buildTestApp({ maxKeyLifetimeSeconds: NINETY_DAYS });
    const customer = await t.services.customers.create('policy');
    const { accesskey, token } = await t.services.accesskeys.createForCustomer(customer.id, { name: 'bootstrap', expire: NINETY_DAYS });
    tenant = { customerId: customer.id, token, keyId: accesskey.id };
    t.clock.tick();
  });
  afterAll(() => t.close());

  it('a retried rotation is refused instead of handing out a key that expires at once; the successor keeps the original lifetime', async () => {
    const key = (await t.services.accesskeys.createForCustomer(tenant.customerId, { name: 'p', expire: 30 * 86400 })).accesskey;
    t.clock.advanceSeconds(3600);
    const first = (await gql(t, ROTATE, { id: key.id, grace: 0 }, bearer(tenant.token))).body.data.rotateAccesskey;
    expect(first.accesskey.tmExpire).toBe(t.clock.now().plusSeconds(30 * 86400).toISOString());
    // Before: the retry made a successor with a lifetime of 0 s (computed from the row the first rotation had just ended).
    const retry = await gql(t, ROTATE, { id: key.id, grace: 0 }, bearer(tenant.token));
    expect(retry.body.errors[0].extensions.code).toBe('FAILED_PRECONDITION');
    expect(await successorsOf(t, key.id)).toEqual([first.accesskey.id]);
    t.clock.advanceSeconds(7 * 86400);
    const second = (await gql(t, ROTATE, { id: first.accesskey.id, grace: 0 }, bearer(tenant.token))).body.data.rotateAccesskey;
    expect(second.accesskey.tmExpire).toBe(t.clock.now().plusSeconds(30 * 86400).toISOString());
  });
});
