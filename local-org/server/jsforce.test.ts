// End-to-end: jsforce 3 (unchanged) against the local org — token login, query, Apex REST,
// Metadata API deploy and retrieve (byte for byte), SOAP faults.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Connection } from 'jsforce';
import JSZip from 'jszip';
import { startTestOrg, type TestOrg } from './test-helpers.ts';

const META = `<?xml version="1.0" encoding="UTF-8"?>
<ApexClass xmlns="http://soap.sforce.com/2006/04/metadata">
    <apiVersion>62.0</apiVersion>
    <status>Active</status>
</ApexClass>
`;

async function zipOf(files: Record<string, string>): Promise<Buffer> {
  const zip = new JSZip();
  for (const [name, text] of Object.entries(files)) zip.file(name, text);
  return zip.generateAsync({ type: 'nodebuffer' });
}

function packageXml(members: Record<string, string[]>): string {
  const types = Object.entries(members)
    .map(
      ([type, names]) =>
        `    <types>\n${names.map((n) => `        <members>${n}</members>\n`).join('')}        <name>${type}</name>\n    </types>\n`
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Package xmlns="http://soap.sforce.com/2006/04/metadata">\n${types}    <version>62.0</version>\n</Package>\n`;
}

describe('jsforce against local-org', () => {
  let org: TestOrg;
  let conn: Connection;

  before(async () => {
    org = await startTestOrg();
    conn = new Connection({
      instanceUrl: org.info.instanceUrl,
      accessToken: org.token('admin'),
      version: '62.0'
    });
  });
  after(async () => {
    await org.stop();
  });

  it('logs in with a token and queries', async () => {
    const identity = await conn.identity();
    assert.equal(identity.username, 'admin@widgets.local');
    await conn.sobject('Widget__c').create({ Name: 'jsforce', Code__c: 'JS-1', Size__c: 1.5 });
    const result = await conn.query<{ Name: string; Size__c: number }>(
      "SELECT Name, Size__c FROM Widget__c WHERE Code__c = 'JS-1'"
    );
    assert.equal(result.totalSize, 1);
    assert.equal(result.records[0]!.Name, 'jsforce');
    assert.equal(result.records[0]!.Size__c, 1.5);
  });

  it('calls Apex REST with apex.post and apex.get', async () => {
    const created = await conn.apex.post<{ count: number }>('/widgets', {
      widgets: [{ name: 'rest', code: 'JR-1', size: 3 }]
    });
    assert.deepEqual(created, { count: 1 });
    const found = await conn.apex.get<{ name: string }>('/widgets/JR-1');
    assert.deepEqual(found, { name: 'rest', size: 3 });
  });

  it('deploys a zip with the Metadata API and retrieves the same bytes', async () => {
    const source =
      "public with sharing class FromJsforce {\n    public static String hello() {\n        return 'hi';\n    }\n}\n";
    const zip = await zipOf({
      'package.xml': packageXml({ ApexClass: ['FromJsforce'] }),
      'classes/FromJsforce.cls': source,
      'classes/FromJsforce.cls-meta.xml': META
    });
    const result = await conn.metadata
      .deploy(zip, { rollbackOnError: true, singlePackage: true })
      .complete(true);
    assert.equal(result.success, true, JSON.stringify(result));
    assert.equal(result.status, 'Succeeded');
    const successes = [result.details?.componentSuccesses ?? []].flat();
    assert.ok(
      successes.some((s) => s.fullName === 'FromJsforce' && s.componentType === 'ApexClass')
    );

    const retrieved = await conn.metadata
      .retrieve({
        singlePackage: true,
        // jsforce's Package type wants every optional field; the SOAP call needs only these.
        unpackaged: {
          types: [{ name: 'ApexClass', members: ['FromJsforce'] }],
          version: '62.0'
        } as never
      })
      .complete();
    const out = await JSZip.loadAsync(Buffer.from(retrieved.zipFile, 'base64'));
    assert.equal(await out.file('classes/FromJsforce.cls')!.async('string'), source);
    assert.equal(await out.file('classes/FromJsforce.cls-meta.xml')!.async('string'), META);

    const listed = await conn.metadata.list([{ type: 'ApexClass' }]);
    assert.ok([listed].flat().some((p) => p.fullName === 'FromJsforce'));
  });

  it('deploys a new field: the schema changes, existing fields and records stay', async () => {
    const before = await conn.query<{ Id: string }>(
      "SELECT Id FROM Widget__c WHERE Code__c = 'JS-1'"
    );
    assert.equal(before.totalSize, 1);
    const object = `<?xml version="1.0" encoding="UTF-8"?>
<CustomObject xmlns="http://soap.sforce.com/2006/04/metadata">
    <fields>
        <fullName>Color__c</fullName>
        <label>Color</label>
        <length>30</length>
        <required>false</required>
        <type>Text</type>
    </fields>
</CustomObject>
`;
    const zip = await zipOf({
      'package.xml': packageXml({ CustomField: ['Widget__c.Color__c'] }),
      'objects/Widget__c.object': object
    });
    const result = await conn.metadata
      .deploy(zip, { rollbackOnError: true, singlePackage: true })
      .complete(true);
    assert.equal(result.success, true, JSON.stringify(result.details));
    const describe = await conn.sobject('Widget__c').describe();
    const custom = describe.fields
      .filter((f) => f.custom)
      .map((f) => f.name)
      .sort();
    assert.deepEqual(custom, ['Code__c', 'Color__c', 'Size__c']);
    await conn.sobject('Widget__c').update({ Id: before.records[0]!.Id, Color__c: 'teal' });
    const after = await conn.query<{ Color__c: string; Size__c: number }>(
      "SELECT Color__c, Size__c FROM Widget__c WHERE Code__c = 'JS-1'"
    );
    assert.deepEqual([after.records[0]!.Color__c, after.records[0]!.Size__c], ['teal', 1.5]);
    // The object comes back whole (recomposed), not as the one-field file that was deployed.
    const retrieved = await conn.metadata
      .retrieve({
        singlePackage: true,
        unpackaged: {
          types: [{ name: 'CustomObject', members: ['Widget__c'] }],
          version: '62.0'
        } as never
      })
      .complete();
    const out = await JSZip.loadAsync(Buffer.from(retrieved.zipFile, 'base64'));
    const xml = await out.file('objects/Widget__c.object')!.async('string');
    for (const field of ['Code__c', 'Color__c', 'Size__c'])
      assert.match(xml, new RegExp(`<fullName>${field}</fullName>`));
  });

  it('deletes a class with destructiveChanges.xml', async () => {
    const zip = await zipOf({
      'package.xml': packageXml({}),
      'destructiveChanges.xml': packageXml({ ApexClass: ['FromJsforce'] })
    });
    const result = await conn.metadata
      .deploy(zip, { rollbackOnError: true, singlePackage: true })
      .complete(true);
    assert.equal(result.success, true, JSON.stringify(result));
    const deleted = [result.details?.componentSuccesses ?? []]
      .flat()
      .find((c) => c.fullName === 'FromJsforce');
    assert.equal(String(deleted?.deleted), 'true');
    assert.ok(!org.runtime.store.components().some((c) => c.fullName === 'FromJsforce'));
    const listed = await conn.metadata.list([{ type: 'ApexClass' }]);
    assert.ok(![listed].flat().some((p) => p.fullName === 'FromJsforce'));
  });

  it('fails a deploy with a compile error and changes nothing', async () => {
    const zip = await zipOf({
      'package.xml': packageXml({ ApexClass: ['Half'] }),
      'classes/Half.cls': 'public class Half {\n    void x( {\n}\n',
      'classes/Half.cls-meta.xml': META
    });
    const result = await conn.metadata
      .deploy(zip, { rollbackOnError: true, singlePackage: true })
      .complete(true);
    assert.equal(result.success, false);
    assert.equal(result.status, 'Failed');
    const failure = [result.details?.componentFailures ?? []].flat()[0]!;
    assert.equal(failure.fullName, 'Half');
    assert.equal(failure.fileName, 'classes/Half.cls');
    assert.equal(String(failure.lineNumber), '2');
    assert.ok(!org.runtime.store.components().some((c) => c.fullName === 'Half'));
  });

  it('rejects a malformed zip and a SOAP call with a bad session', async () => {
    const bad = await conn.metadata
      .deploy(Buffer.from('not a zip at all'), { singlePackage: true })
      .complete(true);
    assert.equal(bad.success, false);
    assert.match(String(bad.errorMessage), /zip/i);

    const stranger = new Connection({
      instanceUrl: org.info.instanceUrl,
      accessToken: '00Dxx0000000000!bogus',
      version: '62.0'
    });
    await assert.rejects(
      () => stranger.metadata.list([{ type: 'ApexClass' }]),
      /INVALID_SESSION_ID/
    );
  });
});
