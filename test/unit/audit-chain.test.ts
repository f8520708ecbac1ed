import { ChainVerifier, canonicalJson, chainHash, eventBody } from '../../src/audit/chain';
import { GENESIS_HASH } from '../../src/audit/audit.types';
import type { AuditEvent } from '../../src/audit/audit.types';
import { Instant } from '../../src/time';

// The hash chain as pure logic: what is hashed, and what verification refuses.

function chain(n: number): AuditEvent[] {
  const events: AuditEvent[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const body = {
      id: `00000000-0000-4000-8000-00000000000${seq}`, chain: 'c', seq, time: Instant.parse('2026-12-01T00:00:00.000001Z')!.plusSeconds(seq),
      customerId: null, actor: { kind: 'cli' as const, id: null, name: 'ops', tokenHash: null }, action: 'accesskey.update', targetId: null,
      origin: { requestId: null, clientAddress: null, userAgent: null }, before: { name: 'a', detail: 'x' }, after: { name: `b${seq}` }, detail: null,
    };
    const hash = chainHash(prev, eventBody(body));
    events.push({ ...body, prevHash: prev, hash });
    prev = hash;
  }
  return events;
}

it('encodes objects with sorted keys at every depth, so stored JSON (which reorders keys) hashes alike', () => {
  expect(canonicalJson({ b: 1, a: { d: [2, { z: null, y: 'é' }], c: true } })).toBe('{"a":{"c":true,"d":[2,{"y":"é","z":null}]},"b":1}');
  expect(canonicalJson({ x: 1, y: 2 })).toBe(canonicalJson({ y: 2, x: 1 }));
});

it('links each hash to the previous one: the same event after another hash has another hash', () => {
  const [first] = chain(1);
  const { prevHash: _p, hash, ...body } = first;
  expect(hash).toMatch(/^[0-9a-f]{64}$/);
  expect(chainHash('f'.repeat(64), eventBody(body))).not.toBe(hash);
});

it('accepts an intact chain up to its head, and names the first broken link otherwise', () => {
  const events = chain(3);
  const head = { seq: 3, hash: events[2].hash };
  const ok = new ChainVerifier('c');
  events.forEach((e) => ok.push(e));
  expect(ok.finish(head)).toEqual({ ok: true, events: 3 });

  const reordered = new ChainVerifier('c');
  [events[0], events[2], events[1]].forEach((e) => reordered.push(e));
  expect(reordered.finish(head)).toMatchObject({ ok: false, broken: { seq: 2, reason: expect.stringMatching(/missing/) } });

  const foreign = new ChainVerifier('other');
  foreign.push(events[0]);
  expect(foreign.finish(head)).toMatchObject({ ok: false, broken: { seq: 1, reason: expect.stringMatching(/chain c/) } });

  const relinked = new ChainVerifier('c');
  relinked.push(events[0]);
  relinked.push({ ...events[1], prevHash: GENESIS_HASH });
  expect(relinked.finish(head)).toMatchObject({ ok: false, broken: { seq: 2, reason: expect.stringMatching(/prev_hash/) } });

  // Starting from a checkpoint (after retention): the rest verifies from there.
  const fromCheckpoint = new ChainVerifier('c', { seq: 1, hash: events[0].hash });
  events.slice(1).forEach((e) => fromCheckpoint.push(e));
  expect(fromCheckpoint.finish(head)).toEqual({ ok: true, events: 2 });
});
