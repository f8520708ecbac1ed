import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { buildTestApp, createTenant } from '../helpers/app';
import type { TestApp, Tenant } from '../helpers/app';

/** Debian's Chromium (`apt-get install -y chromium`); a browser is never downloaded. */
const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = path.join(__dirname, '..', '..', 'test-artifacts', 'playground.png');

const haveChromium = fs.existsSync(CHROMIUM);
if (!haveChromium) {
  console.warn(`SKIPPED test/slow/playground.browser.test.ts: ${CHROMIUM} not found (install it with: apt-get install -y chromium).`);
}

(haveChromium ? describe : describe.skip)('the GraphiQL playground in Chromium', () => {
  let t: TestApp;
  let tenant: Tenant;
  let browser: Browser;
  let page: Page;
  let base: string;
  const requests: string[] = [];
  const problems: string[] = [];
  const authorizations: string[] = [];

  beforeAll(async () => {
    t = await buildTestApp();
    tenant = await createTenant(t);
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    // Context-wide, so requests from any frame or worker are recorded too.
    context.on('request', (request) => {
      requests.push(request.url());
      if (request.method() === 'POST') authorizations.push(request.headers()['authorization'] ?? '');
    });
    page = await context.newPage();
    page.on('websocket', (ws) => requests.push(ws.url()));
    // CSP violations and script failures surface here.
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`console.${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('loads GraphiQL at /graphql', async () => {
    const response = await page.goto(`${base}/graphql`);
    expect(response?.status()).toBe(200);
    expect(await response?.headerValue('content-security-policy')).toContain("default-src 'none'");
    await page.locator('.graphiql-container').waitFor();
    // The headers tab is open, pre-filled with a placeholder.
    await page.locator('.graphiql-editor-tool .graphiql-editor:not(.hidden)', { hasText: 'Bearer vb_' }).waitFor();
  });

  it('shows the schema in the Docs explorer: Query → accesskeys → AccesskeyConnection → nodes → Accesskey', async () => {
    await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
    const explorer = page.locator('.graphiql-doc-explorer');
    const follow = (selector: string, name: string) => explorer.locator(selector, { hasText: new RegExp(`^${name}$`) }).first().click();
    await follow('.graphiql-doc-explorer-type-name', 'Query');
    await follow('.graphiql-doc-explorer-field-name', 'accesskeys');
    await follow('.graphiql-doc-explorer-type-name', 'AccesskeyConnection');
    await follow('.graphiql-doc-explorer-field-name', 'nodes');
    await follow('.graphiql-doc-explorer-type-name', 'Accesskey');
    await explorer.locator('.graphiql-doc-explorer-title', { hasText: /^Accesskey$/ }).waitFor();
    expect(await explorer.innerText()).toContain('An API access key. The token itself is never shown here.');
  });

  it("runs a query with the access key typed into the headers editor and shows the tenant's key", async () => {
    // insertText, not type(): CodeMirror would auto-close the typed brackets and quotes.
    await page.locator('.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText(`{"Authorization": "Bearer ${tenant.token}"}`);
    await page.keyboard.press('Home'); // scrolls the line back into view for the screenshot

    await page.locator('.graphiql-query-editor .CodeMirror').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText('{ accesskeys { nodes { id name } } }');

    await page.locator('.graphiql-execute-button').click();
    const result = page.locator('.result-window', { hasText: tenant.keyId });
    await result.waitFor();
    expect(await result.innerText()).toContain('"name": "bootstrap"');
    expect(authorizations.at(-1)).toBe(`Bearer ${tenant.token}`);
    // The query is in GraphiQL's history, the access key is not.
    const stored = await page.evaluate<string>('JSON.stringify({ ...localStorage })');
    expect(stored).toContain('accesskeys { nodes { id name } }');
    expect(stored).not.toContain(tenant.token);

    fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });
  });

  it('made no request beyond this server, and no errors', () => {
    expect(requests.length).toBeGreaterThanOrEqual(8);
    const offsite = requests.filter((url) => {
      const { protocol, hostname } = new URL(url);
      return protocol !== 'data:' && !(hostname === '127.0.0.1' || hostname === 'localhost');
    });
    expect(offsite).toEqual([]);
    expect(problems).toEqual([]);
  });
});
