import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { embeddedEnv, run } from '../helpers/process';

// `npm run admin -- accesskey create … --rate-limit … --credits … --refill … --allow … --meta …` and `accesskey policy`.

describe('the operator CLI and a key\'s usage policy', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'akd-policy-cli-'));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const url = process.env.DATABASE_URL;
  const env = url ? embeddedEnv(dataDir, { DATABASE_URL: url }) : embeddedEnv(dataDir);
  const admin = (args: string[]) => run(process.execPath, ['dist/src/cli/admin.js', ...args], env, undefined, 120000);

  it('creates a key with each policy, changes and clears parts, and refuses bad flags naming them', async () => {
    const customer = JSON.parse((await admin(['customer', 'create', '--name', 'cli-policy'])).stdout).customer.id as string;
    const made = await admin([
      'accesskey', 'create', '--customer', customer, '--expire', '86400',
      '--rate-limit', '100/60', '--credits', '1000', '--refill', '1000/daily', '--allow', '10.0.0.0/8,2001:db8::/32', '--meta', '{"plan":"pro"}',
    ]);
    expect(made.code).toBe(0);
    const key = JSON.parse(made.stdout);
    expect(key.policy).toEqual({
      rate_limit: { limit: 100, window_seconds: 60 },
      credits: { remaining: 1000, refill: { amount: 1000, interval: 'daily' }, tm_last_refill: null },
      allowed_cidrs: ['10.0.0.0/8', '2001:db8::/32'],
      meta: { plan: 'pro' },
    });

    const changed = await admin(['accesskey', 'policy', '--id', key.id, '--rate-limit', 'none', '--credits', '5']);
    expect(changed.code).toBe(0);
    expect(JSON.parse(changed.stdout).policy).toMatchObject({ rate_limit: null, credits: { remaining: 5, refill: null }, allowed_cidrs: ['10.0.0.0/8', '2001:db8::/32'], meta: { plan: 'pro' } });

    const badCidr = await admin(['accesskey', 'policy', '--id', key.id, '--allow', '10.0.0.0/99']);
    expect(badCidr.code).toBe(1);
    expect(badCidr.stderr).toMatch(/allowedCidrs\[0\]/);
    const badRate = await admin(['accesskey', 'policy', '--id', key.id, '--rate-limit', 'fast']);
    expect(badRate.code).toBe(2);
    expect(badRate.stderr).toMatch(/--rate-limit/);
  }, 600000);
});
