import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { INVALIDATION_CHANNEL, decodeInvalidation, encodeInvalidation, invalidationPayloadSql, notifyInvalidationSql } from '../src/db/invalidation';
import type { Invalidation } from '../src/db/invalidation';
import type { Database } from '../src/db/database';
import { hashToken, generateToken } from '../src/keys/token';
import { openTestDatabase, usingPostgres } from './helpers/database';

// The invalidation payload has one codec: the statements that notify other replicas build their
// payload with the codec's SQL, so what PostgreSQL sends is what the listener decodes.

const key: Invalidation = { kind: 'key', tokenHash: hashToken(generateToken()) };
const agent: Invalidation = { kind: 'agent', id: randomUUID() };
const valueOf = (inv: Invalidation) => (inv.kind === 'key' ? inv.tokenHash : inv.id);

describe('invalidation payload', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(() => db.close());

  it.each([key, agent])('the SQL builds what encodeInvalidation builds, and it decodes back (%o)', async (inv) => {
    const [row] = await db.sql.query<{ payload: string }>(`payload_${inv.kind}`, `SELECT ${invalidationPayloadSql(inv.kind, inv.kind === 'agent' ? '$1::uuid' : '$1')} AS payload`, [valueOf(inv)]);
    expect(row.payload).toBe(encodeInvalidation(inv));
    expect(decodeInvalidation(row.payload)).toEqual(inv);
  });

  it('refuses payloads it did not build', () => {
    expect(decodeInvalidation(`k:${'x'.repeat(64)}`)).toBeNull();
    expect(decodeInvalidation(`a:${key.kind === 'key' ? key.tokenHash : ''}`)).toBeNull();
    expect(decodeInvalidation(`x:${agent.kind === 'agent' ? agent.id : ''}`)).toBeNull();
  });
});

(usingPostgres ? describe : describe.skip)('invalidation notification on PostgreSQL', () => {
  it('a statement using notifyInvalidationSql notifies the channel with the codec payload', async () => {
    const db = await openTestDatabase();
    const listener = new Client({ connectionString: process.env.DATABASE_URL });
    await listener.connect();
    try {
      const payloads: string[] = [];
      listener.on('notification', (m) => {
        if (m.channel === INVALIDATION_CHANNEL && m.payload) payloads.push(m.payload);
      });
      await listener.query(`LISTEN ${INVALIDATION_CHANNEL}`);
      await db.sql.query('t1', `SELECT ${notifyInvalidationSql('key', '$1')}`, [valueOf(key)]);
      await db.sql.query('t2', `SELECT ${notifyInvalidationSql('agent', '$1::uuid')}`, [valueOf(agent)]);
      for (let i = 0; i < 200 && payloads.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
      expect(payloads.map(decodeInvalidation)).toEqual([key, agent]);
    } finally {
      await listener.end();
      await db.close();
    }
  });
});
