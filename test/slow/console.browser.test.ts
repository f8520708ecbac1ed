import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { loadConfig } from '../../src/config';
import { noOrigin } from '../../src/context';
import { LEVELS, buildTestApp, createAgent, createTenant } from '../helpers/app';
import type { TestApp, Tenant } from '../helpers/app';

/**
 * The console in Debian's Chromium (`apt-get install -y chromium`; a browser is never downloaded),
 * against the real server on a real port and database (PGlite, or PostgreSQL with DATABASE_URL):
 * sign in, create a key and use its token, disable, enable, rotate, delete, the audit page, an
 * expired session, sign out, a second customer; axe-core on every page, 320 px and dark mode.
 */
// What the callbacks handed to page.evaluate see: the browser's globals (this program has no DOM types).
declare const document: any, navigator: any, getComputedStyle: any;

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = path.join(__dirname, '..', '..', 'docs', 'console.png');
const AXE_SOURCE = path.join(__dirname, '..', '..', 'node_modules', 'axe-core', 'axe.min.js');
const SESSION_TTL = 3600;

const haveChromium = fs.existsSync(CHROMIUM);
if (!haveChromium) {
  console.warn(`SKIPPED test/slow/console.browser.test.ts: ${CHROMIUM} not found (install it with: apt-get install -y chromium).`);
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core's serious and critical findings on the page as it is now (its source injected through the DevTools protocol, which the page's CSP does not govern). */
async function axeProblems(page: Page): Promise<string[]> {
  if (!(await page.evaluate('typeof window.axe !== "undefined"'))) await page.evaluate(fs.readFileSync(AXE_SOURCE, 'utf8'));
  const { violations, passes } = await page.evaluate<{ violations: AxeViolation[]; passes: number }>(
    'window.axe.run(document).then((r) => ({ violations: r.violations, passes: r.passes.length }))',
  );
  // It really looked at something: a page axe found nothing to check on would pass vacuously.
  if (passes === 0) return ['axe-core checked nothing'];
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

(haveChromium ? describe : describe.skip)('the console in Chromium', () => {
  let t: TestApp;
  let acme: Tenant;
  let other: Tenant;
  let admin: { username: string; password: string };
  let otherAdmin: { username: string; password: string };
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  const problems: string[] = [];
  const made = new Map<string, { accesskey: { id: string }; token: string }>();

  const watch = (p: Page) => {
    p.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`console.${message.type()}: ${message.text()}`);
    });
    p.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  };

  const api = (token: string) => fetch(`${base}/v1.0/accesskeys`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);

  async function signIn(p: Page, who: { username: string; password: string }) {
    await p.getByLabel('Username').fill(who.username);
    await p.getByLabel('Password').fill(who.password);
    await p.getByRole('button', { name: 'Sign in' }).click();
  }

  const keysTable = (p: Page) => p.getByRole('table');
  const row = (p: Page, name: string) => keysTable(p).getByRole('row').filter({ has: p.getByRole('link', { name, exact: true }) });

  beforeAll(async () => {
    t = await buildTestApp({ auth: { ...defaultAuth(), sessionTtlSeconds: SESSION_TTL } });
    acme = await createTenant(t, 'acme');
    other = await createTenant(t, 'other');
    admin = await createAgent(t, acme, LEVELS.admin, 'alice');
    otherAdmin = await createAgent(t, other, LEVELS.admin, 'bob');
    for (const name of ['billing-service', 'ci-deploy', 'partner-webhooks']) {
      made.set(name, await t.services.accesskeys.createForCustomer(acme.customerId, { name, detail: `The ${name} key`, expire: 90 * 86400 }));
      t.clock.tick();
    }
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    context = await browser.newContext({ viewport: { width: 1200, height: 760 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    context.setDefaultTimeout(10000);
    page = await context.newPage();
    watch(page);
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('sends a deep link to sign in, and back to it after signing in', async () => {
    await page.goto(`${base}/console/audit`);
    await page.waitForURL(`${base}/console/sign-in?next=%2Fconsole%2Faudit`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await axeProblems(page)).toEqual([]);
    // A wrong password is an error message, not a blank page.
    await signIn(page, { username: admin.username, password: 'wrong-password' });
    await page.getByRole('alert').waitFor();
    // The API's message, with its code and the request id to quote.
    expect(await page.getByRole('alert').innerText()).toMatch(/request id \S+/);
    await signIn(page, admin);
    await page.waitForURL(`${base}/console/audit`);
    await page.getByRole('heading', { name: 'Audit' }).waitFor();
  });

  it('shows the keys table, filters by state and name, and measures navigation to the table', async () => {
    const started = Date.now();
    await page.goto(`${base}/console`);
    await row(page, 'billing-service').waitFor();
    const elapsed = Date.now() - started;
    process.stdout.write(`console: navigation to the keys table took ${elapsed} ms on localhost\n`);
    const headers = await keysTable(page).getByRole('columnheader').allInnerTexts();
    expect(headers).toEqual(['Name', 'Prefix', 'Scopes', 'Status', 'Last used', 'Expires']);
    expect(await row(page, 'billing-service').getByRole('cell').allInnerTexts()).toEqual([
      'billing-service',
      expect.stringMatching(/^vb_[0-9A-Za-z]{8}$/),
      'accesskeys:read, accesskeys:write',
      'Live',
      '—',
      expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/),
    ]);
    expect(await axeProblems(page)).toEqual([]);
    await page.screenshot({ path: SCREENSHOT });

    await page.getByLabel('Search by name').fill('ci-');
    await expect_rows(page, ['ci-deploy']);
    await page.getByLabel('Search by name').fill('');
    await page.getByLabel('State').selectOption('DELETED');
    await page.getByText('No keys match.').waitFor();
    await page.getByLabel('State').selectOption('');
    await row(page, 'billing-service').waitFor();
  });

  let token = '';
  let prefix = '';

  it('creates a key in a dialog that keeps the focus, shows its token once with Copy, and forgets it on close', async () => {
    const opener = page.getByRole('button', { name: 'Create key' });
    await opener.click();
    const dialog = page.getByRole('dialog', { name: 'Create key' });
    await dialog.waitFor();
    expect(await axeProblems(page)).toEqual([]);
    // Only the scopes an admin may grant are offered.
    expect(await dialog.getByRole('checkbox').evaluateAll((boxes) => boxes.map((b) => b.parentElement!.textContent!.trim()))).toEqual([
      'accesskeys:read',
      'accesskeys:write',
      'Canary (never authorizes anything; every use is recorded)',
    ]);
    await dialog.getByLabel('Name').fill('console-made');
    await dialog.getByLabel('Detail').fill('made in the browser');
    await dialog.getByLabel('30 days').check();
    // Tab goes round inside the modal dialog, never to the page behind it.
    for (let i = 0; i < 15; i++) {
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => Boolean(document.activeElement?.closest('dialog')))).toBe(true);
    }
    await dialog.getByRole('button', { name: 'Create', exact: true }).click();
    const shown = dialog.getByLabel('Token of the new key');
    await shown.waitFor();
    token = await shown.inputValue();
    expect(token).toMatch(/^vb_[0-9A-Za-z]{32}$/);
    prefix = token.slice(0, 11);
    expect(await dialog.innerText()).toContain('It will not be shown again');
    await dialog.getByRole('button', { name: 'Copy' }).click();
    await dialog.getByText('Copied to the clipboard.').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);
    expect(await api(token)).toBe(200);

    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await opener.evaluate((button) => button === document.activeElement)).toBe(true);
    expect(await page.content()).not.toContain(token);
    await row(page, 'console-made').waitFor();
    expect(await row(page, 'console-made').getByRole('cell').nth(1).innerText()).toBe(prefix);
  });

  it('disables and enables the key from its page, and the API follows', async () => {
    await row(page, 'console-made').getByRole('link').click();
    await page.getByRole('heading', { name: 'console-made' }).waitFor();
    expect(await page.locator('.fields').getByText('made in the browser').count()).toBe(1);
    expect(await axeProblems(page)).toEqual([]);
    await page.getByRole('button', { name: 'Disable' }).click();
    await page.getByRole('button', { name: 'Enable' }).waitFor();
    expect(await page.locator('.fields .badge').innerText()).toBe('Disabled');
    expect(await api(token)).toBe(401);
    await page.getByRole('button', { name: 'Enable' }).click();
    await page.getByRole('button', { name: 'Disable' }).waitFor();
    expect(await api(token)).toBe(200);
    // The key's page lists its own events, newest first.
    const events = page.getByRole('list', { name: 'Audit events' });
    await events.getByText('accesskey.enable').waitFor();
    expect(await events.locator('summary .mono').allInnerTexts()).toEqual(['accesskey.enable', 'accesskey.disable', 'accesskey.create']);
  });

  let rotated = '';

  it('rotates with a grace period of 0: the new token is shown once and the old one is refused', async () => {
    await page.getByRole('button', { name: 'Rotate' }).click();
    const dialog = page.getByRole('dialog', { name: 'Rotate key' });
    await dialog.getByLabel(/Grace period/).fill('0');
    await dialog.getByRole('button', { name: 'Rotate key' }).click();
    rotated = await dialog.getByLabel('Token of the new key').inputValue();
    expect(rotated).toMatch(/^vb_[0-9A-Za-z]{32}$/);
    expect(rotated).not.toBe(token);
    expect(await api(token)).toBe(401);
    expect(await api(rotated)).toBe(200);
    await dialog.getByRole('button', { name: 'Done' }).click();
    await dialog.waitFor({ state: 'detached' });
    // The page now shows the new key, which names the one it replaced.
    await page.locator('.fields').getByText(rotated.slice(0, 11), { exact: true }).waitFor();
    await page.getByRole('term').filter({ hasText: 'Rotated from' }).waitFor();
  });

  it('deletes the key after a confirmation that names it', async () => {
    await page.getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete key “console-made”?' });
    await dialog.waitFor();
    expect(await axeProblems(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Delete key' }).click();
    // Back on the keys page, which says so; the key is among the deleted ones.
    await page.getByRole('status').filter({ hasText: 'Deleted the key “console-made”.' }).waitFor();
    expect(await api(rotated)).toBe(401);
    await page.getByLabel('State').selectOption('DELETED');
    await row(page, 'console-made').getByText('Deleted').waitFor();
    await page.getByLabel('State').selectOption('');
  });

  it('finds the events on the audit page, newest first, filtered by action, each expandable', async () => {
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Audit' }).click();
    await page.getByRole('heading', { name: 'Audit' }).waitFor();
    const list = page.getByRole('list', { name: 'Audit events' });
    await list.getByText('accesskey.delete').waitFor();
    const actions = await list.locator('summary .mono').allInnerTexts();
    expect(actions.slice(0, 6)).toEqual(['accesskey.delete', 'accesskey.rotate', 'accesskey.enable', 'accesskey.disable', 'accesskey.create', 'auth.login']);
    expect(await axeProblems(page)).toEqual([]);
    await page.getByLabel('Action').selectOption('accesskey.disable');
    await list.locator('summary').first().waitFor();
    await page.waitForFunction(() => [...document.querySelectorAll('.audit summary .mono')].every((e) => e.textContent === 'accesskey.disable'));
    await list.locator('summary').first().click();
    await list.getByText('Before').waitFor();
    expect(JSON.parse(await list.locator('pre').first().innerText())).toEqual({ tm_disable: null });
    await page.getByRole('button', { name: 'Verify the chain' }).click();
    await page.getByText(/^The chain verifies: \d+ events/).waitFor();
    expect(await axeProblems(page)).toEqual([]);
  });

  it("shows a leaked key's report on its page", async () => {
    const leaked = made.get('ci-deploy')!;
    const url = 'https://github.com/acme/app/blob/main/.env';
    // A report as a secret scanner's signed request brings it (the default policy disables the key).
    await t.services.leaks.report([{ token: leaked.token, type: 'vb_access_key', url, source: 'commit' }], { digest: 'c'.repeat(64), origin: noOrigin() });
    await page.goto(`${base}/console/keys/${leaked.accesskey.id}`);
    const report = page.getByRole('region', { name: 'Leak report' });
    await report.getByText(url).waitFor();
    expect(await report.innerText()).toContain('(commit)');
    expect(await page.locator('.fields .badge').innerText()).toBe('Disabled');
    expect(await axeProblems(page)).toEqual([]);
  });

  it('sends an expired session to sign in and back to the same page', async () => {
    await page.goto(`${base}/console/keys/${acme.keyId}`);
    await page.getByRole('heading', { name: 'bootstrap' }).waitFor();
    t.clock.advanceSeconds(SESSION_TTL + 1);
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Audit' }).click();
    await page.waitForURL(`${base}/console/sign-in?next=%2Fconsole%2Faudit`);
    await signIn(page, admin);
    await page.waitForURL(`${base}/console/audit`);
    await page.getByRole('heading', { name: 'Audit' }).waitFor();
  });

  it('signs out: the session ends, and the console asks to sign in again', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect((await context.cookies()).filter((c) => c.name === 'token')).toEqual([]);
    await page.goto(`${base}/console`);
    await page.waitForURL(/\/console\/sign-in\?next=/);
  });

  it("shows a second customer's admin none of the first customer's keys", async () => {
    const second = await browser.newContext();
    const p = await second.newPage();
    watch(p);
    try {
      await p.goto(`${base}/console`);
      await signIn(p, otherAdmin);
      await row(p, 'bootstrap').waitFor();
      const names = await keysTable(p).getByRole('link').allInnerTexts();
      expect(names).toEqual(['bootstrap']);
      await p.goto(`${base}/console/keys/${acme.keyId}`);
      await p.getByRole('heading', { name: 'Key not found' }).waitFor();
    } finally {
      await second.close();
    }
  });

  it('reads at 320 px wide in dark mode, with no serious or critical axe finding', async () => {
    const narrow = await browser.newContext({ viewport: { width: 320, height: 640 }, colorScheme: 'dark' });
    const p = await narrow.newPage();
    watch(p);
    try {
      await p.goto(`${base}/console`);
      await signIn(p, admin);
      await row(p, 'billing-service').waitFor();
      expect(await p.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(13, 17, 23)');
      // The page itself never scrolls sideways; the table scrolls in its own focusable region.
      expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
      expect(await axeProblems(p)).toEqual([]);
      await p.getByRole('button', { name: 'Create key' }).click();
      await p.getByRole('dialog', { name: 'Create key' }).waitFor();
      expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
      expect(await axeProblems(p)).toEqual([]);
      await p.keyboard.press('Escape');
      await p.goto(`${base}/console/audit`);
      await p.getByRole('list', { name: 'Audit events' }).waitFor();
      expect(await axeProblems(p)).toEqual([]);
    } finally {
      await narrow.close();
    }
  });

  it('logged no script error and no CSP violation', () => {
    // The failed sign-in and the expired session are answered 400 and seen as such, not as errors.
    expect(problems.filter((p) => !/status of 40[01]/.test(p))).toEqual([]);
  });
});

function defaultAuth() {
  return loadConfig({}).auth;
}

async function expect_rows(page: Page, names: string[]) {
  await page.waitForFunction(
    (want) => JSON.stringify([...document.querySelectorAll('tbody tr td:first-child a')].map((a) => a.textContent)) === JSON.stringify(want),
    names,
  );
}
