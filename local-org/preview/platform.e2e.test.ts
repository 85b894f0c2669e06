// Browser check of the platform modules on the fixture project: @wire Apex as the signed-in
// user, lightning/uiRecordApi getRecord + getFieldValue/getFieldDisplayValue with
// @salesforce/schema imports, @salesforce/user/Id, @salesforce/i18n/timeZone, custom labels,
// and FlexiPage property values reaching the component — in the npm-shipped Chromium (./browser.ts).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { launchBrowserContext } from './browser.ts';
import { Org } from '../data/org.ts';
import { createInterpreterInvoker } from './aura.ts';
import { createPreviewHandler } from './index.ts';

const FIXTURE = join(dirname(fileURLToPath(import.meta.url)), '__fixtures__', 'project');

let org: Org;
let server: Server;
let base: string;
let context: BrowserContext;
let page: Page;
let userDataDir: string;
let accountId: string;
const cacheDir = mkdtempSync(join(tmpdir(), 'local-org-preview-cache-'));

before(
  async () => {
    org = await Org.load(FIXTURE);
    org.update('User', [{ Id: org.adminUserId, TimeZoneSidKey: 'Asia/Kolkata' }], {
      userId: org.adminUserId,
      mode: 'system'
    });
    const [r] = org.insert('Account', [{ Name: 'Initech', Rating: 'Warm' }], {
      userId: org.adminUserId,
      mode: 'system'
    });
    accountId = r!.id!;
    const handler = createPreviewHandler({
      projectDir: FIXTURE,
      org,
      apex: createInterpreterInvoker({ org, sourceDir: FIXTURE }),
      authenticate: (t) => (t === 'admin-token' ? org.adminUserId : undefined),
      cacheDir,
      log: () => undefined
    });
    await handler.ready;
    server = createServer((req, res) => {
      if (!handler(req, res)) {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const addr = server.address();
    base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    userDataDir = mkdtempSync(join(tmpdir(), 'local-org-preview-chromium-'));
    context = await launchBrowserContext(userDataDir);
    page = context.pages()[0] ?? (await context.newPage());
  },
  { timeout: 90_000 }
);

after(async () => {
  await context?.close();
  server?.closeAllConnections();
  await new Promise((ok) => (server ? server.close(ok) : ok(undefined)));
  rmSync(cacheDir, { recursive: true, force: true });
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
});

test(
  'signing in with ?token= then the home page shows user, time zone and label',
  { timeout: 30_000 },
  async () => {
    await page.goto(`${base}/lightning/page/home?token=admin-token`);
    assert.equal(new URL(page.url()).search, '', 'the token is dropped from the address');
    const greeting = page.locator('c-home-greeting .greeting');
    await greeting.waitFor({ timeout: 10_000 });
    assert.equal(await greeting.innerText(), `Hello ${org.adminUserId} Asia/Kolkata`);
  }
);

test(
  'NavigationMixin: URLs, navigation inside the preview, web pages in a new window',
  { timeout: 30_000 },
  async () => {
    await page.goto(`${base}/lightning/page/home`);
    const home = page.locator('c-home-greeting');
    await home.locator('.greeting').waitFor({ timeout: 10_000 });
    assert.equal(await home.locator('.page-name').innerText(), 'home');
    assert.equal(
      await home.locator('.list-link').getAttribute('href'),
      '/lightning/o/Account/list'
    );
    await context.route('https://help.example.com/**', (route) =>
      route.fulfill({ status: 200, contentType: 'text/html', body: '<h1>Help</h1>' })
    );
    const [popup] = await Promise.all([
      context.waitForEvent('page'),
      home.locator('.open-help').click()
    ]);
    await popup.waitForLoadState('domcontentloaded');
    assert.equal(popup.url(), 'https://help.example.com/widgets?from=home');
    await popup.close();
    await home.locator('.open-accounts').click();
    await page.waitForURL(`${base}/lightning/o/Account/list`);
    await page.getByRole('link', { name: 'Initech' }).waitFor();
  }
);

test(
  'a FlexiPage record page: wired Apex, getRecord fields and the instance’s properties',
  { timeout: 30_000 },
  async () => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${base}/lightning/r/Account/${accountId}/view`);
    const badge = page.locator('c-account-badge');
    await badge.locator('.badge-text', { hasText: 'Initech' }).waitFor({ timeout: 10_000 });
    assert.equal(await badge.locator('.badge-heading').innerText(), 'From the FlexiPage');
    assert.equal(await badge.locator('.badge-width').innerText(), 'MEDIUM');
    assert.equal(
      await badge.locator('.badge-text').innerText(),
      `Initech seen by ${org.adminUserId}!`
    );
    const name = page.locator('c-record-name');
    await name.locator('.record-name', { hasText: 'Initech' }).waitFor({ timeout: 10_000 });
    const ownerName = org.query('SELECT Name FROM User WHERE Id = :id', { id: org.adminUserId })
      .records[0]!.Name as string;
    assert.equal(await name.locator('.record-owner').innerText(), ownerName);
    assert.deepEqual(errors, []);
  }
);
