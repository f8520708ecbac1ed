import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { admin, embeddedEnv } from '../helpers/process';

// `npm run admin -- audit …` as an operator runs it, on an embedded data directory.
let dataDir: string;
beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'akd-audit-'));
});
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

it('verifies the chains, exports a customer\'s chain, and checks the export offline; a changed line is found', async () => {
  const env = embeddedEnv(dataDir);
  const created = JSON.parse((await admin(['customer', 'create', '--name', 'acme'], env)).stdout);
  const customerId = created.customer.id as string;
  expect((await admin(['accesskey', 'disable', '--id', created.accesskey.id], env)).code).toBe(0);

  const verified = await admin(['audit', 'verify', '--customer', customerId], env);
  expect(verified.code).toBe(0);
  expect(JSON.parse(verified.stdout)).toEqual({ ok: true, chains: [{ chain: customerId, ok: true, events: 2 }] });

  const exported = await admin(['audit', 'export', '--customer', customerId], env);
  expect(exported.code).toBe(0);
  const lines = exported.stdout.trim().split('\n').map((l) => JSON.parse(l));
  expect(lines[0]).toMatchObject({ type: 'chain', chain: customerId, checkpoint_seq: 0, head_seq: 2 });
  expect(lines.slice(1).map((l) => [l.seq, l.action, l.actor.kind])).toEqual([[1, 'accesskey.create', 'cli'], [2, 'accesskey.disable', 'cli']]);
  expect(exported.stdout).not.toContain(created.accesskey.token);

  const file = path.join(dataDir, 'acme.jsonl');
  fs.writeFileSync(file, exported.stdout);
  const offline = await admin(['audit', 'verify', '--file', file], { ...env, DATA_DIR: path.join(dataDir, 'unused') });
  expect(offline.code).toBe(0);
  expect(JSON.parse(offline.stdout).ok).toBe(true);
  // Offline means offline: no database was opened (or created) for it.
  expect(fs.existsSync(path.join(dataDir, 'unused'))).toBe(false);

  fs.writeFileSync(file, exported.stdout.replace('"name":"default"', '"name":"innocent"'));
  const tampered = await admin(['audit', 'verify', '--file', file], env);
  expect(tampered.code).toBe(1);
  expect(JSON.parse(tampered.stdout).chains[0]).toMatchObject({ ok: false, broken: { seq: 1 } });
});

// Each command is a process that opens the embedded database: a slow machine needs minutes for the lot.
it('ids typed in upper case name the same rows and the same chain; a file with two changed lines names both', async () => {
  const env = embeddedEnv(dataDir);
  const created = JSON.parse((await admin(['customer', 'create', '--name', 'upper'], env)).stdout);
  const customer = (created.customer.id as string).toUpperCase();
  const keyId = (created.accesskey.id as string).toUpperCase();
  expect((await admin(['accesskey', 'disable', '--id', keyId], env)).code).toBe(0);
  // A disabled key cannot be rotated; the operator's create takes the customer in upper case too.
  expect((await admin(['accesskey', 'create', '--customer', customer, '--expire', '86400'], env)).code).toBe(0);

  const verified = await admin(['audit', 'verify', '--customer', customer], env);
  expect(JSON.parse(verified.stdout)).toEqual({ ok: true, chains: [{ chain: created.customer.id, ok: true, events: 3 }] });

  const exported = await admin(['audit', 'export', '--customer', customer], env);
  const lines = exported.stdout.trim().split('\n');
  expect(lines).toHaveLength(4);
  const file = path.join(dataDir, 'upper.jsonl');
  lines[1] = lines[1].replace('"actor":{"kind":"cli"', '"actor":{"kind":"system"');
  lines[3] = lines[3].replace('"expire":', '"expire_":').replace(/"name":"[^"]*"/, '"name":"forged"');
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  const tampered = await admin(['audit', 'verify', '--file', file], env);
  expect(tampered.code).toBe(1);
  const [chain] = JSON.parse(tampered.stdout).chains;
  expect(chain).toMatchObject({ ok: false, broken: { seq: 1 }, brokenCount: 2 });
  expect(chain.brokenLinks.map((b: { seq: number }) => b.seq)).toEqual([1, 3]);
}, 900_000);
