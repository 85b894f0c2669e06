// The preview without a browser, on a small fixture project: what it reads from the project
// (LWC targets, FlexiPages and their assignment, labels), the Apex bridge (as the signed-in
// user, class access, cacheable wires, AuraHandledException, rollback), the compiled bundle
// and its build errors, and the HTTP handler (sign-in, pages, the Apex endpoint).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Org } from '../data/org.ts';
import { createInterpreterInvoker, type AuraInvoker } from './aura.ts';
import { buildBundle, PreviewBuildError } from './bundle.ts';
import { createPreviewHandler, SESSION_COOKIE, type PreviewHandler } from './index.ts';
import { homePageLayout, recordPageLayout } from './layout.ts';
import { scanProject } from './project.ts';

const FIXTURE = join(dirname(fileURLToPath(import.meta.url)), '__fixtures__', 'project');
const cacheDir = mkdtempSync(join(tmpdir(), 'local-org-preview-cache-'));

function ok<T extends { success: boolean; errors: unknown[]; id: string | null }>(
  rs: T[]
): string[] {
  return rs.map((r) => {
    assert.ok(r.success, JSON.stringify(r.errors));
    return r.id!;
  });
}

function makeUser(org: Org, profile: string, last: string, permissionSets: string[] = []): string {
  const [id] = ok(
    org.insert('User', [
      {
        Username: `${last.toLowerCase()}@preview.invalid`,
        LastName: last,
        Email: `${last.toLowerCase()}@example.com`,
        Alias: last.slice(0, 8),
        ProfileId: org.profileIds[profile],
        TimeZoneSidKey: 'Europe/Paris',
        LocaleSidKey: 'fr_FR',
        LanguageLocaleKey: 'en_US',
        EmailEncodingKey: 'UTF-8'
      }
    ])
  );
  for (const name of permissionSets) {
    const ps = org.query('SELECT Id FROM PermissionSet WHERE Name = :n', { n: name }).records[0];
    assert.ok(ps, `permission set ${name}`);
    ok(org.insert('PermissionSetAssignment', [{ AssigneeId: id, PermissionSetId: ps.Id }]));
  }
  return id!;
}

after(() => rmSync(cacheDir, { recursive: true, force: true }));

describe('project scan and layouts', () => {
  const scan = scanProject(FIXTURE);

  test('reads bundles, targets, objects and property defaults from js-meta.xml', () => {
    const badge = scan.bundles.find((b) => b.name === 'accountBadge')!;
    assert.equal(badge.tag, 'c-account-badge');
    assert.equal(badge.isExposed, true);
    assert.deepEqual(badge.targets, ['lightning__RecordPage']);
    assert.deepEqual(badge.targetConfigs[0]!.objects, ['Account', 'Contact']);
    assert.equal(scan.bundles.find((b) => b.name === 'badgeFormat')!.isExposed, false);
    assert.equal(scan.labels.get('Greeting'), 'Hello');
    assert.equal(scan.recordPageAssignments.get('account'), 'Account_Record_Page');
  });

  test('an object with an assigned FlexiPage is laid out by it, with its property values', () => {
    const layout = recordPageLayout(scan, 'Account');
    assert.equal(layout.source, 'FlexiPage Account_Record_Page');
    const main = layout.regions.find((r) => r.name === 'main')!;
    assert.equal(main.width, 'MEDIUM');
    const [badge, other] = main.items;
    assert.equal(badge!.kind, 'lwc');
    assert.deepEqual(badge!.kind === 'lwc' && badge!.properties, {
      heading: 'From the FlexiPage',
      size: 2
    });
    assert.deepEqual(other, {
      kind: 'unsupported',
      componentName: 'runtime_sales_activities:activityPanel'
    });
    assert.deepEqual(
      layout.regions.map((r) => [r.name, r.items.map((i) => i.kind)]),
      [
        ['header', ['highlights']],
        ['main', ['lwc', 'unsupported']],
        ['sidebar', ['details', 'lwc']]
      ]
    );
  });

  test('without a FlexiPage: the default page holds the components that target the object', () => {
    const contact = recordPageLayout(scan, 'Contact');
    assert.equal(contact.source, 'default record page');
    const main = contact.regions.find((r) => r.name === 'main')!;
    assert.deepEqual(
      main.items.map((i) => (i.kind === 'lwc' ? i.bundle.tag : i.kind)),
      ['c-account-badge', 'relatedLists']
    );
    const lead = recordPageLayout(scan, 'Lead').regions.find((r) => r.name === 'main')!;
    assert.deepEqual(
      lead.items.map((i) => i.kind),
      ['relatedLists']
    );
    const home = homePageLayout(scan).regions[0]!;
    assert.deepEqual(
      home.items.map((i) => (i.kind === 'lwc' ? i.bundle.tag : i.kind)),
      ['c-home-greeting']
    );
  });
});

describe('Apex for components (createInterpreterInvoker)', () => {
  let org: Org;
  let apex: AuraInvoker;
  let accountId: string;
  let reader: string;
  let outsider: string;

  before(async () => {
    org = await Org.load(FIXTURE);
    [accountId] = ok(org.insert('Account', [{ Name: 'Acme' }]));
    reader = makeUser(org, 'Minimum Access - Salesforce', 'Reader', ['Widget_User']);
    outsider = makeUser(org, 'Minimum Access - Salesforce', 'Outsider');
    apex = createInterpreterInvoker({ org, sourceDir: FIXTURE });
  });

  test('runs a cacheable method as the calling user, parameters by name', async () => {
    const r = await apex({
      className: 'WidgetController',
      methodName: 'describeRecord',
      params: { recordId: accountId! },
      cacheable: true,
      userId: reader
    });
    assert.deepEqual(r, { ok: true, returnValue: `Acme seen by ${reader}` });
  });

  test('only @AuraEnabled members of a returned object reach the component', async () => {
    const r = await apex({
      className: 'WidgetController',
      methodName: 'summary',
      params: { name: 'top' },
      cacheable: true,
      userId: org.adminUserId
    });
    assert.deepEqual(r, {
      ok: true,
      returnValue: {
        name: 'top',
        parts: [{ name: 'child', parts: null, upper: 'CHILD' }],
        upper: 'TOP'
      }
    });
  });

  test('a user without access to the class gets the platform’s message', async () => {
    const r = await apex({
      className: 'WidgetController',
      methodName: 'describeRecord',
      params: { recordId: accountId! },
      cacheable: true,
      userId: outsider
    });
    assert.equal(r.ok, false);
    assert.match(
      !r.ok ? r.error.message : '',
      /^You do not have access to the Apex class named 'WidgetController'\.$/
    );
  });

  test('methods that are not @AuraEnabled are not reachable', async () => {
    const r = await apex({
      className: 'WidgetController',
      methodName: 'notExposed',
      params: {},
      cacheable: false,
      userId: org.adminUserId
    });
    assert.equal(r.ok, false);
  });

  test('a @wire needs cacheable=true', async () => {
    const r = await apex({
      className: 'WidgetController',
      methodName: 'rename',
      params: { recordId: accountId!, name: 'X' },
      cacheable: true,
      userId: org.adminUserId
    });
    assert.equal(r.ok, false);
    assert.match(!r.ok ? r.error.message : '', /cacheable=true/);
    assert.equal(org.getRecord(accountId!)!.Name, 'Acme');
  });

  test('imperative calls can write; the user’s permissions apply', async () => {
    const denied = await apex({
      className: 'WidgetController',
      methodName: 'rename',
      params: { recordId: accountId!, name: 'Renamed' },
      cacheable: false,
      userId: reader
    });
    assert.equal(denied.ok, false, 'the reader may not edit accounts');
    assert.equal(org.getRecord(accountId!)!.Name, 'Acme');
    const done = await apex({
      className: 'WidgetController',
      methodName: 'rename',
      params: { recordId: accountId!, name: 'Renamed' },
      cacheable: false,
      userId: org.adminUserId
    });
    assert.deepEqual(done, { ok: true, returnValue: 7 });
    assert.equal(org.getRecord(accountId!)!.Name, 'Renamed');
  });

  test('AuraHandledException reaches the component as its message', async () => {
    const r = await apex({
      className: 'WidgetController',
      methodName: 'fail',
      params: { why: 'Ask your admin.' },
      cacheable: false,
      userId: org.adminUserId
    });
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.error.message, 'Ask your admin.');
    assert.equal(!r.ok && r.status, 500);
  });
});

describe('bundle', () => {
  test('compiles the exposed components with the LWC compiler and caches the result', async () => {
    const scan = scanProject(FIXTURE);
    const first = await buildBundle({
      projectDir: FIXTURE,
      bundles: scan.bundles,
      labels: scan.labels,
      cacheDir
    });
    assert.equal(first.fromCache, false);
    assert.deepEqual(first.components, {
      'c-account-badge': 'c/accountBadge',
      'c-home-greeting': 'c/homeGreeting',
      'c-record-name': 'c/recordName'
    });
    const app = first.files['app.js']!;
    // The compiled template and the platform modules are in the bundle.
    assert.match(app, /badge-heading/);
    assert.match(app, /apexMethod\("WidgetController", "describeRecord"\)/);
    assert.match(app, /"Hello"/);
    const second = await buildBundle({
      projectDir: FIXTURE,
      bundles: scan.bundles,
      labels: scan.labels,
      cacheDir
    });
    assert.equal(second.fromCache, true);
    assert.equal(second.hash, first.hash);
  });

  test('a name a platform module does not provide is a build error too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'local-org-preview-unsupported-'));
    try {
      cpSync(FIXTURE, dir, { recursive: true });
      writeFileSync(
        join(dir, 'force-app/main/default/lwc/homeGreeting/homeGreeting.js'),
        "import { LightningElement } from 'lwc';\nimport { updateRecord } from 'lightning/uiRecordApi';\nexport default class HomeGreeting extends LightningElement {\n  save() { return updateRecord({ fields: {} }); }\n}\n"
      );
      const scan = scanProject(dir);
      await assert.rejects(
        buildBundle({ projectDir: dir, bundles: scan.bundles, labels: scan.labels, cacheDir }),
        /unsupported in local-org: 'updateRecord' from 'lightning\/uiRecordApi' \(force-app\/main\/default\/lwc\/homeGreeting\/homeGreeting\.js\)/
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a platform import the preview does not provide is a build error naming it and the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'local-org-preview-unsupported-'));
    try {
      cpSync(FIXTURE, dir, { recursive: true });
      writeFileSync(
        join(dir, 'force-app/main/default/lwc/homeGreeting/homeGreeting.js'),
        "import { LightningElement, wire } from 'lwc';\nimport { getObjectInfo } from 'lightning/uiObjectInfoApi';\nexport default class HomeGreeting extends LightningElement {\n  @wire(getObjectInfo, { objectApiName: 'Account' }) info;\n}\n"
      );
      const scan = scanProject(dir);
      await assert.rejects(
        buildBundle({ projectDir: dir, bundles: scan.bundles, labels: scan.labels, cacheDir }),
        (err: Error) => {
          assert.ok(err instanceof PreviewBuildError);
          assert.match(
            err.message,
            /unsupported in local-org: import 'lightning\/uiObjectInfoApi'/
          );
          assert.match(err.message, /homeGreeting\.js/);
          return true;
        }
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

test('when the components do not compile, pages say why', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'local-org-preview-broken-'));
  try {
    cpSync(FIXTURE, dir, { recursive: true });
    writeFileSync(
      join(dir, 'force-app/main/default/lwc/homeGreeting/homeGreeting.js'),
      "import { LightningElement } from 'lwc';\nimport TOAST from 'lightning/platformShowToastEvent';\nexport default class HomeGreeting extends LightningElement { t = TOAST; }\n"
    );
    const org = await Org.load(dir);
    const lines: string[] = [];
    const handler = createPreviewHandler({
      projectDir: dir,
      org,
      apex: createInterpreterInvoker({ org, sourceDir: dir }),
      defaultUserId: org.adminUserId,
      cacheDir,
      log: (l) => lines.push(l)
    });
    await assert.rejects(handler.ready, PreviewBuildError);
    assert.ok(
      lines.some((l) =>
        l.includes("unsupported in local-org: import 'lightning/platformShowToastEvent'")
      )
    );
    const server = createServer((req, res) => void handler(req, res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const addr = server.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      const res = await fetch(`http://127.0.0.1:${port}/lightning/page/home`);
      assert.equal(res.status, 500);
      const html = await res.text();
      assert.match(html, /The components could not be compiled/);
      assert.match(
        html,
        /unsupported in local-org: import &#39;lightning\/platformShowToastEvent&#39;/
      );
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

describe('HTTP handler', () => {
  let org: Org;
  let server: Server;
  let base: string;
  let handler: PreviewHandler;
  let accountId: string;
  let reader: string;
  const tokens = new Map<string, string>();

  before(async () => {
    org = await Org.load(FIXTURE);
    [accountId] = ok(org.insert('Account', [{ Name: 'Globex', Phone: '555-0100', Rating: 'Hot' }]));
    reader = makeUser(org, 'Minimum Access - Salesforce', 'Viewer', ['Widget_User']);
    tokens.set('admin-token', org.adminUserId);
    tokens.set('reader-token', reader);
    handler = createPreviewHandler({
      projectDir: FIXTURE,
      org: () => org,
      apex: createInterpreterInvoker({ org, sourceDir: FIXTURE }),
      authenticate: (t) => tokens.get(t),
      cacheDir,
      log: () => undefined
    });
    await handler.ready;
    server = createServer((req, res) => {
      if (!handler(req, res)) {
        res.writeHead(418);
        res.end();
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const addr = server.address();
    base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  const cookie = (token: string) => ({ cookie: `${SESSION_COOKIE}=${token}` });

  test('leaves other paths to the host', async () => {
    assert.equal((await fetch(`${base}/services/data`)).status, 418);
  });

  test('pages need a session; ?token= signs in with a cookie and drops the token from the URL', async () => {
    const anonymous = await fetch(`${base}/lightning/page/home`);
    assert.equal(anonymous.status, 401);
    assert.equal((await fetch(`${base}/lightning/page/home?token=nope`)).status, 401);
    const signIn = await fetch(`${base}/lightning/page/home?token=admin-token&x=1`, {
      redirect: 'manual'
    });
    assert.equal(signIn.status, 302);
    assert.equal(signIn.headers.get('location'), '/lightning/page/home?x=1');
    assert.match(
      signIn.headers.get('set-cookie') ?? '',
      new RegExp(`^${SESSION_COOKIE}=admin-token; Path=/; HttpOnly; SameSite=Strict`)
    );
  });

  test('the home page places the home components and carries the user’s settings', async () => {
    const res = await fetch(`${base}/lightning/page/home`, { headers: cookie('reader-token') });
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /data-lwc="c-home-greeting"/);
    assert.match(html, new RegExp(`"userId":"${reader}"`));
    assert.match(html, /"timeZone":"Europe\/Paris"/);
    assert.match(html, /"locale":"fr-FR"/);
    const script = /import "(\/preview\/[0-9a-f]+\/app\.js)"/.exec(html)?.[1];
    assert.ok(script, 'the page loads the bundle');
    const js = await fetch(`${base}${script}`);
    assert.equal(js.status, 200);
    assert.match(js.headers.get('content-type') ?? '', /javascript/);
  });

  test('the record page follows the FlexiPage: highlights, the component with its properties, details', async () => {
    const res = await fetch(`${base}/lightning/r/Account/${accountId}/view`, {
      headers: cookie('admin-token')
    });
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(
      html,
      /class="slds-page-header__title slds-truncate lo-record-name" title="Globex"/
    );
    assert.match(html, /data-layout-source="FlexiPage Account_Record_Page"/);
    // Highlights: the assigned compact layout's fields after the name.
    assert.deepEqual(
      [
        ...html.matchAll(/class="slds-truncate lo-key-field" data-field="([^"]+)" title="([^"]*)"/g)
      ].map((m) => [m[1], m[2]]),
      [
        ['Rating', 'Hot'],
        ['Phone', '555-0100']
      ]
    );
    const props = /data-lwc="c-account-badge" data-props="([^"]+)"/.exec(html)?.[1];
    assert.ok(props);
    assert.deepEqual(JSON.parse(props.replace(/&quot;/g, '"')), {
      heading: 'From the FlexiPage',
      size: 2,
      flexipageRegionWidth: 'MEDIUM',
      recordId: accountId,
      objectApiName: 'Account'
    });
    assert.match(
      html,
      /unsupported in local-org: component <code>runtime_sales_activities:activityPanel<\/code>/
    );
    assert.match(html, /class="slds-card lo-details"/);
  });

  test('a record id alone redirects to its object; unknown records are a 404', async () => {
    const r = await fetch(`${base}/lightning/r/${accountId}/view`, {
      headers: cookie('admin-token'),
      redirect: 'manual'
    });
    assert.equal(r.status, 302);
    assert.equal(r.headers.get('location'), `/lightning/r/Account/${accountId}/view`);
    const missing = await fetch(`${base}/lightning/r/Account/001000000000000AAA/view`, {
      headers: cookie('admin-token')
    });
    assert.equal(missing.status, 404);
  });

  test('the list page lists the records the user can see, linked to their pages', async () => {
    const res = await fetch(`${base}/lightning/o/Account/list`, {
      headers: cookie('reader-token')
    });
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, new RegExp(`<a href="/lightning/r/Account/${accountId}/view">Globex</a>`));
  });

  test('the Apex endpoint runs as the session’s user and refuses requests without the preview header', async () => {
    const body = JSON.stringify({
      className: 'WidgetController',
      methodName: 'describeRecord',
      params: { recordId: accountId },
      cacheable: true
    });
    const forged = await fetch(`${base}/preview/apex`, {
      method: 'POST',
      headers: { ...cookie('reader-token'), 'content-type': 'application/json' },
      body
    });
    assert.equal(forged.status, 403);
    const res = await fetch(`${base}/preview/apex`, {
      method: 'POST',
      headers: {
        ...cookie('reader-token'),
        'content-type': 'application/json',
        'x-local-org-preview': '1'
      },
      body
    });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { returnValue: `Globex seen by ${reader}` });
    const anonymous = await fetch(`${base}/preview/apex`, {
      method: 'POST',
      headers: { 'x-local-org-preview': '1' },
      body
    });
    assert.equal(anonymous.status, 401);
  });

  test('getRecord (lightning/uiRecordApi) answers in the UI API shape, in the user’s mode', async () => {
    const post = (token: string, payload: unknown) =>
      fetch(`${base}/preview/ui-api/record`, {
        method: 'POST',
        headers: {
          ...cookie(token),
          'content-type': 'application/json',
          'x-local-org-preview': '1'
        },
        body: JSON.stringify(payload)
      });
    const res = await post('admin-token', {
      recordId: accountId,
      fields: ['Account.Name'],
      optionalFields: ['Account.Rating', 'Account.Owner.Name', 'Account.NoSuchField__c']
    });
    assert.equal(res.status, 200);
    const { returnValue } = (await res.json()) as { returnValue: Record<string, unknown> };
    const adminName = org.query('SELECT Name FROM User WHERE Id = :id', { id: org.adminUserId })
      .records[0]!.Name as string;
    assert.ok(adminName, 'the admin user has a name');
    assert.deepEqual(returnValue, {
      apiName: 'Account',
      id: accountId,
      fields: {
        Name: { value: 'Globex', displayValue: null },
        Rating: { value: 'Hot', displayValue: 'Hot' },
        Owner: {
          value: {
            apiName: 'User',
            id: org.adminUserId,
            fields: { Name: { value: adminName, displayValue: null } }
          },
          displayValue: adminName
        }
      }
    });
    const bad = await post('admin-token', {
      recordId: accountId,
      fields: ['Account.NoSuchField__c']
    });
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { errorCode: string }).errorCode, 'INVALID_FIELD');
    const missing = await post('admin-token', {
      recordId: '001000000000000AAA',
      fields: ['Account.Name']
    });
    assert.equal(missing.status, 404);
  });

  test('SLDS assets are served locally, and nothing outside them', async () => {
    const css = await fetch(`${base}/assets/styles/salesforce-lightning-design-system.min.css`);
    assert.equal(css.status, 200);
    assert.match(css.headers.get('content-type') ?? '', /text\/css/);
    const sprite = await fetch(`${base}/assets/icons/utility-sprite/svg/symbols.svg`);
    assert.equal(sprite.status, 200);
    assert.equal((await fetch(`${base}/assets/..%2f..%2fpackage.json`)).status, 404);
  });
});
