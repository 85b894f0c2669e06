// Org shape (edition, sandbox, trial expiration), "API Enabled" enforcement and the
// CustomObject definitions of standard objects through the Metadata API.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Connection } from 'jsforce';
import JSZip from 'jszip';
import { loadConfig, normaliseOrgShape } from './runtime.ts';
import { standardObjectXml } from './standard-objects.ts';
import { FIXTURE_PROJECT, REPO_ROOT, startTestOrg, type TestOrg } from './test-helpers.ts';

async function call(
  org: TestOrg,
  path: string,
  token: string,
  init: { method?: string; body?: string; contentType?: string } = {}
): Promise<{ status: number; text: string }> {
  const res = await fetch(`${org.info.instanceUrl}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      Authorization: `Bearer ${token}`,
      ...(init.contentType ? { 'Content-Type': init.contentType } : {})
    },
    body: init.body
  });
  return { status: res.status, text: await res.text() };
}

const ORG_QUERY = encodeURIComponent(
  'SELECT Id, OrganizationType, IsSandbox, TrialExpirationDate FROM Organization'
);

describe('org shape: edition, sandbox, trial expiration', () => {
  it('serve options set the Organization record and the ready info', async () => {
    const org = await startTestOrg({
      org: {
        edition: 'Enterprise Edition',
        isSandbox: true,
        trialExpirationDate: '2027-01-31T00:00:00.000Z'
      }
    });
    try {
      assert.deepEqual(
        { ...org.info.org, id: undefined },
        {
          id: undefined,
          edition: 'Enterprise Edition',
          isSandbox: true,
          trialExpirationDate: '2027-01-31T00:00:00.000Z'
        }
      );
      const res = await call(org, `/services/data/v62.0/query?q=${ORG_QUERY}`, org.token('admin'));
      assert.equal(res.status, 200, res.text);
      const row = (JSON.parse(res.text) as { records: Record<string, unknown>[] }).records[0]!;
      assert.equal(row.Id, org.info.org.id);
      assert.equal(row.OrganizationType, 'Enterprise Edition');
      assert.equal(row.IsSandbox, true);
      assert.equal(row.TrialExpirationDate, '2027-01-31T00:00:00.000Z');
    } finally {
      await org.stop();
    }
  });

  it('defaults to a Developer Edition production org; the config file `org` key is read', async () => {
    const plain = await startTestOrg();
    try {
      assert.equal(plain.info.org.edition, 'Developer Edition');
      assert.equal(plain.info.org.isSandbox, false);
      assert.equal(plain.info.org.trialExpirationDate, null);
    } finally {
      await plain.stop();
    }
    const configured = await startTestOrg({
      copyProject: true,
      prepare: (dir) => {
        const file = join(dir, 'local-org.config.json');
        const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
        json.org = { edition: 'Professional Edition', isSandbox: true };
        writeFileSync(file, JSON.stringify(json));
      },
      // A command-line option wins over the config file.
      org: { isSandbox: false }
    });
    try {
      const res = await call(
        configured,
        `/services/data/v62.0/query?q=${ORG_QUERY}`,
        configured.token('admin')
      );
      const row = (JSON.parse(res.text) as { records: Record<string, unknown>[] }).records[0]!;
      assert.equal(row.OrganizationType, 'Professional Edition');
      assert.equal(row.IsSandbox, false);
      assert.equal(row.TrialExpirationDate, null);
    } finally {
      await configured.stop();
    }
  });

  it('rejects an unknown edition, a non-boolean sandbox flag and a bad date', () => {
    assert.throws(
      () => normaliseOrgShape({ edition: 'Platinum Edition' }, 'serve'),
      /edition "Platinum Edition" is not one of/
    );
    assert.throws(() => normaliseOrgShape({ isSandbox: 'yes' }, 'x'), /isSandbox must be true/);
    assert.throws(
      () => normaliseOrgShape({ trialExpirationDate: 'next week' }, 'x'),
      /is not a date/
    );
    assert.throws(() => normaliseOrgShape({ editon: 'x' }, 'x'), /unknown org option "editon"/);
    assert.deepEqual(normaliseOrgShape({ trialExpirationDate: '2027-02-01' }, 'x'), {
      trialExpirationDate: '2027-02-01T00:00:00.000Z'
    });
    assert.deepEqual(loadConfig(FIXTURE_PROJECT).org, {});
  });

  it('`serve --edition … --sandbox --trial-expires <bad date>` stops with exit code 2', () => {
    const run = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        join(REPO_ROOT, 'local-org', 'server', 'cli.ts'),
        'serve',
        '--edition',
        'Unlimited Edition',
        '--sandbox',
        '--trial-expires',
        'not-a-date',
        '--project',
        FIXTURE_PROJECT,
        '--port',
        '0'
      ],
      { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 }
    );
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.stderr, /trialExpirationDate "not-a-date" is not a date/);
  });
});

describe('API Enabled', () => {
  let org: TestOrg;
  before(async () => {
    org = await startTestOrg({
      copyProject: true,
      prepare: (dir) => {
        const file = join(dir, 'local-org.config.json');
        const json = JSON.parse(readFileSync(file, 'utf8')) as { users: unknown[] };
        // Minimum Access has no "API Enabled" and no permission set grants it.
        json.users.push({
          alias: 'noapi',
          username: 'noapi@widgets.local',
          profile: 'Minimum Access - Salesforce',
          permissionSets: []
        });
        writeFileSync(file, JSON.stringify(json));
      }
    });
  });
  after(async () => org?.stop());

  it('refuses REST, Tooling and Apex REST calls with 403 API_CURRENTLY_DISABLED', async () => {
    const token = org.token('noapi');
    for (const path of [
      '/services/data/v62.0/query?q=SELECT+Id+FROM+User',
      '/services/data/v62.0/sobjects',
      '/services/data/v62.0/tooling/query?q=SELECT+Id+FROM+ApexClass',
      '/services/apexrest/widgets'
    ]) {
      const res = await call(org, path, token);
      assert.equal(res.status, 403, `${path}: ${res.text}`);
      assert.deepEqual(JSON.parse(res.text), [
        { message: 'API is disabled for this User', errorCode: 'API_CURRENTLY_DISABLED' }
      ]);
    }
  });

  it('refuses the SOAP APIs (Metadata, Apex) with an API_CURRENTLY_DISABLED fault', async () => {
    for (const [path, op] of [
      ['/services/Soap/m/62.0', '<listMetadata xmlns="http://soap.sforce.com/2006/04/metadata"/>'],
      [
        '/services/Soap/s/62.0',
        '<executeAnonymous xmlns="http://soap.sforce.com/2006/08/apex"><String>System.debug(1);</String></executeAnonymous>'
      ]
    ] as const) {
      const envelope = `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Header><SessionHeader><sessionId>${org.token('noapi')}</sessionId></SessionHeader></soapenv:Header><soapenv:Body>${op}</soapenv:Body></soapenv:Envelope>`;
      const res = await fetch(`${org.info.instanceUrl}${path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'text/xml', SOAPAction: '""' },
        body: envelope
      });
      const text = await res.text();
      assert.equal(res.status, 500, text);
      assert.match(text, /<faultcode>sf:API_CURRENTLY_DISABLED<\/faultcode>/);
      assert.match(text, /API is disabled for this User/);
    }
  });

  it('the OAuth identity still answers; a permission set with ApiEnabled lets the user in', async () => {
    const token = org.token('noapi');
    const info = await call(org, '/services/oauth2/userinfo', token);
    assert.equal(info.status, 200, info.text);
    const noapiId = org.info.users.find((u) => u.alias === 'noapi')!.userId;
    const psId = String(
      org.runtime.org.query(
        "SELECT Id FROM PermissionSet WHERE Name = 'Widget_Integration'",
        {},
        { mode: 'system' }
      ).records[0]!.Id
    );
    const assign = await call(
      org,
      '/services/data/v62.0/sobjects/PermissionSetAssignment',
      org.token('admin'),
      {
        method: 'POST',
        body: JSON.stringify({ AssigneeId: noapiId, PermissionSetId: psId }),
        contentType: 'application/json'
      }
    );
    assert.equal(assign.status, 201, assign.text);
    const res = await call(org, '/services/data/v62.0/query?q=SELECT+Id+FROM+Widget__c', token);
    assert.equal(res.status, 200, res.text);
    // And the PermissionSet record reports it, as preflight reads it.
    const perm = org.runtime.org.query(
      "SELECT PermissionsApiEnabled FROM PermissionSet WHERE Name = 'Widget_Integration'",
      {},
      { mode: 'system' }
    ).records[0]!;
    assert.equal(perm.PermissionsApiEnabled, true);
  });
});

describe('CustomObject definitions of standard objects', () => {
  let org: TestOrg;
  let conn: Connection;
  before(async () => {
    org = await startTestOrg({
      copyProject: true,
      prepare: (dir) => {
        // A custom field on Lead, as a package that extends a standard object has.
        const fields = join(dir, 'force-app', 'main', 'default', 'objects', 'Lead', 'fields');
        spawnSync('mkdir', ['-p', fields]);
        writeFileSync(
          join(fields, 'Widget_Code__c.field-meta.xml'),
          '<?xml version="1.0" encoding="UTF-8"?>\n<CustomField xmlns="http://soap.sforce.com/2006/04/metadata">\n    <fullName>Widget_Code__c</fullName>\n    <label>Widget Code</label>\n    <length>20</length>\n    <type>Text</type>\n</CustomField>\n'
        );
      }
    });
    conn = new Connection({
      instanceUrl: org.info.instanceUrl,
      accessToken: org.token('admin'),
      version: '62.0'
    });
  });
  after(async () => org?.stop());

  async function retrieve(names: string[]): Promise<{
    files: Record<string, string>;
    messages: unknown;
  }> {
    const result = await conn.metadata
      .retrieve({
        singlePackage: true,
        // jsforce's Package type wants every optional field; the SOAP call needs only these.
        unpackaged: {
          types: [{ name: 'CustomObject', members: names }],
          version: '62.0'
        } as never
      })
      .complete();
    const zip = await JSZip.loadAsync(Buffer.from(result.zipFile, 'base64'));
    const files: Record<string, string> = {};
    for (const name of Object.keys(zip.files).filter((f) => !f.endsWith('/'))) {
      files[name] = await zip.file(name)!.async('string');
    }
    return { files, messages: result.messages };
  }

  it('retrieves Lead, Contact, Account and Opportunity with their record page overrides and custom fields', async () => {
    const { files, messages } = await retrieve(['Lead', 'Contact', 'Account', 'Opportunity']);
    assert.deepEqual([messages ?? []].flat(), [], 'nothing is missing');
    assert.deepEqual(Object.keys(files).sort(), [
      'objects/Account.object',
      'objects/Contact.object',
      'objects/Lead.object',
      'objects/Opportunity.object',
      'package.xml'
    ]);
    assert.equal(
      files['objects/Contact.object'],
      standardObjectXml({ name: 'Contact', sharingModel: 'ControlledByParent' })
    );
    assert.match(
      files['objects/Contact.object']!,
      /<externalSharingModel>ControlledByParent<\/externalSharingModel>/
    );
    const lead = files['objects/Lead.object']!;
    assert.match(
      lead,
      /<actionOverrides>\n {8}<actionName>View<\/actionName>\n {8}<formFactor>Large<\/formFactor>\n {8}<type>Default<\/type>\n {4}<\/actionOverrides>/
    );
    assert.match(lead, /<sharingModel>ReadWriteTransfer<\/sharingModel>/);
    assert.match(lead, /<fields>\n {8}<fullName>Widget_Code__c<\/fullName>/, 'custom fields too');
    const listed = await conn.metadata.list([{ type: 'CustomObject' }]);
    for (const name of ['Account', 'Contact', 'Lead', 'Opportunity', 'Widget__c']) {
      assert.ok(
        listed.some((p) => p.fullName === name),
        `listMetadata lists ${name}`
      );
    }
  });

  it('a deployed actionOverride updates the object; retrieve returns the deployed bytes; fields survive', async () => {
    const before = (await retrieve(['Lead'])).files['objects/Lead.object']!;
    const edited = before.replace(
      '        <formFactor>Large</formFactor>\n        <type>Default</type>',
      '        <content>Widget_Record_Page</content>\n        <formFactor>Large</formFactor>\n        <skipRecordTypeSelect>false</skipRecordTypeSelect>\n        <type>Flexipage</type>'
    );
    assert.notEqual(edited, before);
    const zip = new JSZip();
    zip.file('objects/Lead.object', edited);
    const manifest =
      '<?xml version="1.0" encoding="UTF-8"?>\n<Package xmlns="http://soap.sforce.com/2006/04/metadata">\n    <types>\n        <members>Lead</members>\n        <name>CustomObject</name>\n    </types>\n    <version>62.0</version>\n</Package>\n';
    zip.file('package.xml', manifest);
    const result = await conn.metadata
      .deploy(await zip.generateAsync({ type: 'nodebuffer' }), { singlePackage: true })
      .complete(true);
    assert.equal(result.success, true, JSON.stringify(result.details));
    const after = (await retrieve(['Lead'])).files['objects/Lead.object'];
    assert.equal(after, edited, 'byte for byte');
    // The data layer still has the Lead and its custom field.
    const describe = await call(
      org,
      '/services/data/v62.0/sobjects/Lead/describe',
      org.token('admin')
    );
    assert.equal(describe.status, 200);
    assert.ok(
      (JSON.parse(describe.text) as { fields: { name: string }[] }).fields.some(
        (f) => f.name === 'Widget_Code__c'
      )
    );
    // Deploying the original back restores the original bytes.
    const back = new JSZip();
    back.file('objects/Lead.object', before);
    back.file('package.xml', manifest);
    const undo = await conn.metadata
      .deploy(await back.generateAsync({ type: 'nodebuffer' }), { singlePackage: true })
      .complete(true);
    assert.equal(undo.success, true, JSON.stringify(undo.details));
    assert.equal((await retrieve(['Lead'])).files['objects/Lead.object'], before);
  });
  it('an object file in Salesforce order comes back byte for byte; a later partial deploy recomposes it', async () => {
    const current = (await retrieve(['Lead'])).files['objects/Lead.object']!;
    const fields = /\n {4}<fields>[\s\S]*<\/fields>/.exec(current)![0];
    // Salesforce writes elements in alphabetical order: fields before sharingModel.
    const ordered = current
      .replace(fields, '')
      .replace('\n    <sharingModel>', `${fields}\n    <sharingModel>`);
    assert.notEqual(ordered, current);
    const deploy = async (files: Record<string, string>) => {
      const zip = new JSZip();
      for (const [name, content] of Object.entries(files)) zip.file(name, content);
      zip.file(
        'package.xml',
        '<?xml version="1.0" encoding="UTF-8"?>\n<Package xmlns="http://soap.sforce.com/2006/04/metadata">\n    <types>\n        <members>Lead</members>\n        <name>CustomObject</name>\n    </types>\n    <version>62.0</version>\n</Package>\n'
      );
      const result = await conn.metadata
        .deploy(await zip.generateAsync({ type: 'nodebuffer' }), { singlePackage: true })
        .complete(true);
      assert.equal(result.success, true, JSON.stringify(result.details));
    };
    await deploy({ 'objects/Lead.object': ordered });
    assert.equal((await retrieve(['Lead'])).files['objects/Lead.object'], ordered);

    await deploy({
      'objects/Lead.object':
        '<?xml version="1.0" encoding="UTF-8"?>\n<CustomObject xmlns="http://soap.sforce.com/2006/04/metadata">\n    <fields>\n        <fullName>Widget_Size__c</fullName>\n        <label>Widget Size</label>\n        <precision>6</precision>\n        <scale>0</scale>\n        <type>Number</type>\n    </fields>\n</CustomObject>\n'
    });
    const merged = (await retrieve(['Lead'])).files['objects/Lead.object']!;
    assert.notEqual(merged, ordered, 'the deployed bytes no longer describe the object');
    assert.match(merged, /<fullName>Widget_Code__c<\/fullName>/);
    assert.match(merged, /<fullName>Widget_Size__c<\/fullName>/);
    assert.match(merged, /<formFactor>Small<\/formFactor>/, 'the settings stay');
    assert.match(merged, /<sharingModel>ReadWriteTransfer<\/sharingModel>/);
  });
});
