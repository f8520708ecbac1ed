import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { loadConfig } from '../../src/config';
import { noOrigin } from '../../src/context';
import { WEBHOOK_EVENT_TYPES } from '../../src/webhooks/webhook.events';
import { LEVELS, buildTestApp, createAgent, createTenant } from '../helpers/app';
import type { TestApp, Tenant } from '../helpers/app';
import { Receiver } from '../helpers/receiver';

/**
 * The console in Debian's Chromium (`apt-get install -y chromium`; a browser is never downloaded),
 * against the real server on a real port and database (PGlite, or PostgreSQL with DATABASE_URL):
 * sign in, create a key and use its token, disable, enable, rotate, delete, the audit page, an
 * expired session, sign out, a second customer; a key's usage policy and usage chart; the webhooks
 * page against a real receiver on loopback; axe-core on every page, 320 px and dark mode.
 *
 * Screenshots go to test-artifacts/ (the keys page, a key's page at 1200 and 320 px, an endpoint's
 * page); `CONSOLE_SCREENSHOT=1` also writes the README's docs/console.png (so a test run does not
 * rewrite a committed file).
 */
// What the callbacks handed to page.evaluate see: the browser's globals (this program has no DOM types).
declare const document: any, navigator: any, getComputedStyle: any;

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = path.join(__dirname, '..', '..', 'test-artifacts', 'console.png');
const DOCS_SCREENSHOT = path.join(__dirname, '..', '..', 'docs', 'console.png');
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
  let receiver: Receiver;
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

  /** The browser's clock shows the server's (test) clock, so "the last 7 days" and "expired" mean the same on both. */
  const syncClock = (c: BrowserContext = context) => c.clock.setFixedTime(t.clock.now().epochMs);

  /** Runs the webhook worker until nothing is due at the test clock's now. */
  async function deliverDue(): Promise<void> {
    const worker = t.services.webhooks.worker!;
    for (let round = 0; round < 50; round++) {
      const started = await worker.tick();
      await worker.idle();
      if (started === 0) return;
    }
  }

  beforeAll(async () => {
    receiver = await Receiver.start();
    // Webhooks as a developer runs them: http to loopback allowed (the receiver), the worker driven by the test.
    const { webhooks } = loadConfig({ WEBHOOK_ALLOW_HTTP: 'true', WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true', WEBHOOK_SECRET_KEY: randomBytes(32).toString('base64') });
    t = await buildTestApp({ auth: { ...defaultAuth(), sessionTtlSeconds: SESSION_TTL }, webhooks, webhookWorker: 'manual' });
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
    await syncClock();
    page = await context.newPage();
    watch(page);
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await receiver?.close();
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
    // A second time from a fresh browser profile with the same session: nothing cached, every asset fetched.
    const cold = await browser.newContext({ storageState: await context.storageState() });
    try {
      await syncClock(cold);
      const p = await cold.newPage();
      const coldStarted = Date.now();
      await p.goto(`${base}/console`);
      await row(p, 'billing-service').waitFor();
      const coldElapsed = Date.now() - coldStarted;
      process.stdout.write(`console: navigation to the keys table took ${elapsed} ms on localhost (assets cached), ${coldElapsed} ms with an empty cache\n`);
    } finally {
      await cold.close();
    }
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
    fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });
    if (process.env.CONSOLE_SCREENSHOT === '1') fs.copyFileSync(SCREENSHOT, DOCS_SCREENSHOT);

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
    expect(await dialog.getByRole('group', { name: 'Scopes' }).getByRole('checkbox').evaluateAll((boxes) => boxes.map((b) => b.parentElement!.textContent!.trim()))).toEqual([
      'accesskeys:read',
      'accesskeys:write',
    ]);
    await dialog.getByRole('checkbox', { name: 'Canary (never authorizes anything; every use is recorded)' }).waitFor();
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

  let limited = { id: '', token: '' };

  it('creates a key with a rate limit, credits and allowed IPs: wrong fields are named, a server refusal is shown, the policy is on its page', async () => {
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Keys' }).click();
    await page.getByRole('button', { name: 'Create key' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create key' });
    await dialog.getByLabel('Name').fill('limited');
    await dialog.getByLabel('Limit the request rate').check();
    await dialog.getByLabel('Requests allowed').fill('three');
    await dialog.getByLabel('Limit the number of uses').check();
    await dialog.getByLabel('Uses left').fill('100');
    await dialog.getByLabel('Allowed IPs').fill('127.0.0.1\nnot-an-ip');
    await dialog.getByRole('button', { name: 'Create', exact: true }).click();
    // Each field at fault says why beside it (its accessible description), and the first one has the focus.
    const requests = dialog.getByLabel('Requests allowed');
    await page.waitForFunction(() => document.activeElement?.id === 'policy-limit');
    expect(await describedBy(requests)).toBe('Enter the number of requests as a whole number.');
    expect(await requests.getAttribute('aria-invalid')).toBe('true');
    expect(await describedBy(dialog.getByLabel('Allowed IPs'))).toContain('Not an IP address or CIDR: not-an-ip.');
    expect(await axeProblems(page)).toEqual([]);

    // What only the server knows (a window over 30 days) comes back as its message, naming the field, with the request id.
    await requests.fill('3');
    await dialog.getByLabel('Per window of').fill('31');
    await dialog.getByLabel('Window unit').selectOption('day');
    await dialog.getByLabel('Allowed IPs').fill('127.0.0.1\n10.0.0.0/8');
    await dialog.getByRole('button', { name: 'Create', exact: true }).click();
    const refusal = dialog.getByRole('alert').filter({ hasText: 'rateLimit.windowSeconds' });
    await refusal.waitFor();
    expect(await refusal.innerText()).toMatch(/request id \S+/);
    expect(await requests.getAttribute('aria-invalid')).toBeNull();

    await dialog.getByLabel('Per window of').fill('1');
    await dialog.getByLabel('Window unit').selectOption('minute');
    await dialog.getByRole('button', { name: 'Create', exact: true }).click();
    limited.token = await dialog.getByLabel('Token of the new key').inputValue();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await row(page, 'limited').getByRole('link').click();
    await page.getByRole('heading', { name: 'limited' }).waitFor();
    limited = { ...limited, id: page.url().split('/').pop()! };
    const policy = page.getByRole('region', { name: 'Usage policy' });
    expect(await policy.locator('dd').allInnerTexts()).toEqual(['3 requests per minute', '100 uses left', '127.0.0.1/32, 10.0.0.0/8']);
  });

  it('charts the requests made with the key per hour and outcome, with the same numbers as a table', async () => {
    // Within the limit of 3 a minute, then two over it.
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push(await api(limited.token));
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    await t.services.policy.usageCounts.flush();
    await page.reload();
    const usage = page.getByRole('region', { name: 'Usage', exact: true });
    const chart = usage.getByRole('img');
    await chart.waitFor();
    const hour = `${new Date(t.clock.now().epochMs).toISOString().slice(0, 13).replace('T', ' ')}:00 UTC`;
    expect(await chart.getAttribute('aria-label')).toBe(`5 requests in the last 7 days (3 valid, 2 rate limited); the busiest hour, ${hour}, had 5.`);
    // One hour with two outcomes: two stacked bars.
    expect(await usage.locator('svg rect').count()).toBe(2);
    expect(await usage.getByRole('list', { name: 'Outcomes' }).innerText()).toContain('Rate limited: 2');
    await usage.getByText('Show as a table').click();
    const table = usage.getByRole('table');
    expect(await table.getByRole('columnheader').allInnerTexts()).toEqual(['Hour', 'Valid', 'Rate limited', 'Out of credits', 'IP not allowed', 'Disabled, expired or deleted', 'All']);
    expect(await table.locator('tbody tr').locator('th, td').allInnerTexts()).toEqual([hour, '3', '2', '0', '0', '0', '5']);
    expect(await table.locator('tfoot tr').locator('th, td').allInnerTexts()).toEqual(['Total', '3', '2', '0', '0', '0', '5']);
    expect(await axeProblems(page)).toEqual([]);
    await page.screenshot({ path: path.join(path.dirname(SCREENSHOT), 'console-key.png'), fullPage: true });
  });

  it('changes the policy from the key page, and the API follows', async () => {
    await page.getByRole('button', { name: 'Edit policy' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit usage policy' });
    // It starts from the key's policy.
    expect(await dialog.getByLabel('Requests allowed').inputValue()).toBe('3');
    expect(await dialog.getByLabel('Allowed IPs').inputValue()).toBe('127.0.0.1/32\n10.0.0.0/8');
    expect(await axeProblems(page)).toEqual([]);
    await dialog.getByLabel('Limit the request rate').uncheck();
    await dialog.getByLabel('Uses left').fill('7');
    await dialog.getByRole('button', { name: 'Save policy' }).click();
    await dialog.waitFor({ state: 'detached' });
    const policy = page.getByRole('region', { name: 'Usage policy' });
    await policy.getByText('7 uses left').waitFor();
    expect(await policy.locator('dd').allInnerTexts()).toEqual(['None', '7 uses left', '127.0.0.1/32, 10.0.0.0/8']);
    // The rate limit that refused two requests this minute is gone.
    expect(await api(limited.token)).toBe(200);
  });

  let secret = '';

  it('creates a webhook endpoint: its fields checked, the secret shown once with Copy and forgotten on close', async () => {
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Webhooks' }).click();
    await page.getByRole('heading', { name: 'Webhooks' }).waitFor();
    await page.getByText('No endpoints yet.').waitFor();
    expect(await axeProblems(page)).toEqual([]);
    const opener = page.getByRole('button', { name: 'Create endpoint' });
    await opener.click();
    const dialog = page.getByRole('dialog', { name: 'Create endpoint' });
    await dialog.waitFor();
    // The events offered are the API's own list.
    expect(await dialog.getByRole('checkbox').evaluateAll((boxes) => boxes.map((b) => b.parentElement!.textContent!.trim()))).toEqual([
      'All events, including those added later',
      ...WEBHOOK_EVENT_TYPES,
    ]);
    await dialog.getByRole('button', { name: 'Create endpoint' }).click();
    await dialog.getByText('Enter the URL that receives the events.').waitFor();
    await dialog.getByText('Choose at least one event, or all events.').waitFor();
    expect(await axeProblems(page)).toEqual([]);
    await dialog.getByLabel('URL').fill(receiver.url);
    await dialog.getByLabel('webhook.test', { exact: true }).check();
    await dialog.getByLabel('accesskey.leak_reported', { exact: true }).check();
    await dialog.getByLabel('Description').fill('ops alerts');
    await dialog.getByRole('button', { name: 'Create endpoint' }).click();
    secret = await dialog.getByLabel('Signing secret of the new endpoint').inputValue();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]+$/);
    expect(await dialog.innerText()).toContain('It will not be shown again');
    await dialog.getByRole('button', { name: 'Copy' }).click();
    await dialog.getByText('Copied to the clipboard.').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    expect(await axeProblems(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await opener.evaluate((button) => button === document.activeElement)).toBe(true);
    expect(await page.content()).not.toContain(secret);
    const endpoint = page.getByRole('row').filter({ has: page.getByRole('link', { name: receiver.url }) });
    expect(await endpoint.getByRole('cell').allInnerTexts()).toEqual([
      receiver.url,
      'accesskey.leak_reported, webhook.test',
      'ops alerts',
      'Enabled',
      expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/),
    ]);
  });

  it('sends a test event to a real receiver, shows the delivery with its status and attempts, and redelivers it with the same id', async () => {
    await page.getByRole('link', { name: receiver.url }).click();
    await page.getByRole('heading', { name: receiver.url }).waitFor();
    const deliveries = page.getByRole('region', { name: 'Deliveries' });
    await deliveries.getByText('No deliveries yet.').waitFor();
    expect(await axeProblems(page)).toEqual([]);
    const first = () => deliveries.locator('tbody tr').first().getByRole('cell').allInnerTexts();

    await page.getByRole('button', { name: 'Send test' }).click();
    await page.getByRole('status').filter({ hasText: 'Queued a webhook.test event.' }).waitFor();
    expect((await first()).slice(0, 4)).toEqual(['webhook.test', 'Pending', '0', '—']);
    await deliverDue();
    expect(receiver.received).toHaveLength(1);
    // Signed with the secret the dialog showed.
    expect(Receiver.verify(receiver.received[0], secret)).toMatchObject({ type: 'webhook.test' });
    await page.getByRole('button', { name: 'Refresh' }).click();
    await deliveries.getByRole('cell', { name: 'Delivered', exact: true }).waitFor();
    expect((await first()).slice(0, 4)).toEqual(['webhook.test', 'Delivered', '1', '200']);

    await deliveries.getByRole('button', { name: 'Redeliver' }).click();
    await page.getByRole('status').filter({ hasText: 'Queued the webhook.test delivery again.' }).waitFor();
    expect((await first()).slice(0, 3)).toEqual(['webhook.test', 'Pending', '0']);
    await deliverDue();
    expect(receiver.received.map((r) => r.id)).toEqual([receiver.received[0].id, receiver.received[0].id]);
    await page.getByRole('button', { name: 'Refresh' }).click();
    await deliveries.getByRole('cell', { name: 'Delivered', exact: true }).waitFor();
    expect((await first()).slice(0, 4)).toEqual(['webhook.test', 'Delivered', '1', '200']);
    expect(await deliveries.locator('tbody tr').count()).toBe(1);
    expect(await axeProblems(page)).toEqual([]);
    await page.screenshot({ path: path.join(path.dirname(SCREENSHOT), 'console-webhook.png'), fullPage: true });
  });

  it('deletes the endpoint after a confirmation that names it', async () => {
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete this endpoint?' });
    expect(await dialog.innerText()).toContain(receiver.url);
    expect(await axeProblems(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Delete endpoint' }).click();
    await page.getByRole('heading', { name: 'Webhooks' }).waitFor();
    await page.getByText('No endpoints yet.').waitFor();
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
    // The page's later reads (usage, then events) must be done before the session expires, or they, not the click, meet the expiry.
    await page.getByRole('list', { name: 'Outcomes' }).waitFor();
    await page.locator('section[aria-labelledby="events-title"]').locator('ol.audit, p.empty').waitFor();
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

  it('offers an agent without the admin permission none of the pages, webhooks included', async () => {
    const manager = await createAgent(t, acme, LEVELS.manager, 'mallory');
    const third = await browser.newContext();
    const p = await third.newPage();
    watch(p);
    try {
      await p.goto(`${base}/console/webhooks`);
      await signIn(p, manager);
      await p.getByText('Your account may not use this page.').waitFor();
      expect(await p.getByRole('navigation', { name: 'Console' }).getByRole('link').count()).toBe(0);
    } finally {
      await third.close();
    }
  });

  it('reads at 320 px wide in dark mode, with no serious or critical axe finding', async () => {
    const narrow = await browser.newContext({ viewport: { width: 320, height: 640 }, colorScheme: 'dark' });
    await syncClock(narrow);
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
      const dialog = p.getByRole('dialog', { name: 'Create key' });
      await dialog.waitFor();
      for (const box of ['Limit the request rate', 'Limit the number of uses', 'Refill the uses']) await dialog.getByLabel(box).check();
      expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
      expect(await axeProblems(p)).toEqual([]);
      await p.keyboard.press('Escape');
      // A key's page with its usage chart and the chart's table.
      await p.goto(`${base}/console/keys/${limited.id}`);
      await p.getByRole('region', { name: 'Usage', exact: true }).getByRole('img').waitFor();
      await p.getByText('Show as a table').click();
      expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
      expect(await axeProblems(p)).toEqual([]);
      await p.screenshot({ path: path.join(path.dirname(SCREENSHOT), 'console-key-320.png'), fullPage: true });
      await p.goto(`${base}/console/webhooks`);
      await p.getByText('No endpoints yet.').waitFor();
      await p.getByRole('button', { name: 'Create endpoint' }).click();
      await p.getByRole('dialog', { name: 'Create endpoint' }).waitFor();
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

/** The text of the elements an input's `aria-describedby` names (what a screen reader reads after its label). */
async function describedBy(input: ReturnType<Page['locator']>): Promise<string> {
  return input.evaluate((el) =>
    (el.getAttribute('aria-describedby') ?? '')
      .split(' ')
      .map((id: string) => document.getElementById(id)?.textContent ?? '')
      .join(' ')
      .trim(),
  );
}

async function expect_rows(page: Page, names: string[]) {
  await page.waitForFunction(
    (want) => JSON.stringify([...document.querySelectorAll('tbody tr td:first-child a')].map((a) => a.textContent)) === JSON.stringify(want),
    names,
  );
}
