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
