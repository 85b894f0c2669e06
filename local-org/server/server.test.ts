// HTTP-level tests of the local-org server: OAuth, sessions, the REST data API and its
// error bodies, persistence across restarts.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { api, FIXTURE_PROJECT, startTestOrg, type TestOrg } from './test-helpers.ts';
import { startLocalOrg } from './local-org.ts';

const INVALID_SESSION = [
  { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }
];

describe('local-org server: OAuth and sessions', () => {
  let org: TestOrg;
  before(async () => {
    org = await startTestOrg({ sessionTimeoutMs: 60_000 });
  });
  after(async () => {
    await org.stop();
  });

  it('binds to loopback and prints a Salesforce-shaped token per configured user', () => {
    assert.match(org.info.instanceUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.deepEqual(
      org.info.users.map((u) => u.username),
      ['admin@widgets.local', 'integration@widgets.local', 'nobody@widgets.local']
    );
    for (const u of org.info.users)
      assert.match(u.accessToken, /^00D[A-Za-z0-9]{12}![A-Za-z0-9]{96}$/);
    assert.deepEqual(org.info.users[1]!.permissionSets, ['Widget_Integration']);
    assert.equal(org.info.oauth.clientCredentialsUser, 'integration@widgets.local');
  });

  it('rejects requests without a valid bearer token with 401 INVALID_SESSION_ID', async () => {
    for (const token of [undefined, 'garbage', `${org.token('admin').slice(0, -1)}x`]) {
      const res = await api(org, token, 'GET', '/services/data/v62.0/sobjects');
      assert.equal(res.status, 401);
      assert.deepEqual(res.body, INVALID_SESSION);
    }
  });

  it('issues a token for the integration user with client_credentials, and userinfo names that user', async () => {
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: org.info.oauth.clientId,
      client_secret: org.info.oauth.clientSecret
    });
    const res = await api(org, undefined, 'POST', '/services/oauth2/token', form.toString(), {
      'content-type': 'application/x-www-form-urlencoded'
    });
    assert.equal(res.status, 200);
    const body = res.body as Record<string, string>;
    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.instance_url, org.info.instanceUrl);
    assert.match(body.access_token!, /^00D[A-Za-z0-9]{12}!/);
    const who = await api(org, body.access_token, 'GET', '/services/oauth2/userinfo');
    assert.equal(who.status, 200);
    assert.equal(
      (who.body as Record<string, string>).preferred_username,
      'integration@widgets.local'
    );
  });

  it('refuses a wrong client secret and an unknown grant type the way Salesforce does', async () => {
    const post = (form: Record<string, string>) =>
      api(org, undefined, 'POST', '/services/oauth2/token', new URLSearchParams(form).toString(), {
        'content-type': 'application/x-www-form-urlencoded'
      });
    const bad = await post({
      grant_type: 'client_credentials',
      client_id: org.info.oauth.clientId,
      client_secret: 'nope'
    });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body, {
      error: 'invalid_client',
      error_description: 'invalid client credentials'
    });
    const badId = await post({
      grant_type: 'client_credentials',
      client_id: 'nope',
      client_secret: 'nope'
    });
    assert.deepEqual(badId.body, {
      error: 'invalid_client_id',
      error_description: 'client identifier invalid'
    });
    const grant = await post({ grant_type: 'magic' });
    assert.deepEqual(grant.body, {
      error: 'unsupported_grant_type',
      error_description: 'grant type not supported'
    });
  });

  it('supports the password grant for a user with a configured password', async () => {
    const post = (password: string) =>
      api(
        org,
        undefined,
        'POST',
        '/services/oauth2/token',
        new URLSearchParams({
          grant_type: 'password',
          client_id: org.info.oauth.clientId,
          client_secret: org.info.oauth.clientSecret,
          username: 'nobody@widgets.local',
          password
        }).toString(),
        { 'content-type': 'application/x-www-form-urlencoded' }
      );
    const ok = await post('fixture-password-1');
    assert.equal(ok.status, 200, ok.text);
    const who = await api(
      org,
      (ok.body as { access_token: string }).access_token,
      'GET',
      '/services/oauth2/userinfo'
    );
    assert.equal(
      (who.body as { preferred_username: string }).preferred_username,
      'nobody@widgets.local'
    );
    const bad = await post('wrong');
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body, {
      error: 'invalid_grant',
      error_description: 'authentication failure'
    });
  });

  it('refreshes with a refresh token and revokes: a revoked token gets 401', async () => {
    const admin = org.info.users[0]!;
    const refreshed = await api(
      org,
      undefined,
      'POST',
      '/services/oauth2/token',
      new URLSearchParams({
        grant_type: 'refresh_token',
        client_id: 'PlatformCLI',
        refresh_token: admin.refreshToken
      }).toString(),
      { 'content-type': 'application/x-www-form-urlencoded' }
    );
    assert.equal(refreshed.status, 200);
    const token = (refreshed.body as Record<string, string>).access_token!;
    assert.equal((await api(org, token, 'GET', '/services/data/v62.0/limits')).status, 200);
    const revoke = await api(
      org,
      undefined,
      'POST',
      '/services/oauth2/revoke',
      new URLSearchParams({ token }).toString(),
      {
        'content-type': 'application/x-www-form-urlencoded'
      }
    );
    assert.equal(revoke.status, 200);
    const after = await api(org, token, 'GET', '/services/data/v62.0/limits');
    assert.equal(after.status, 401);
    assert.deepEqual(after.body, INVALID_SESSION);
  });

  it('expires a session after the inactivity timeout', async () => {
    const admin = org.info.users[0]!;
    const fresh = org.auth.issueSession(admin.userId);
    assert.equal((await api(org, fresh.token, 'GET', '/services/data/v62.0/limits')).status, 200);
    fresh.lastUsedAt -= 61_000;
    const res = await api(org, fresh.token, 'GET', '/services/data/v62.0/limits');
    assert.equal(res.status, 401);
    assert.deepEqual(res.body, INVALID_SESSION);
  });
});

describe('local-org server: REST data API', () => {
  let org: TestOrg;
  let admin: string;
  before(async () => {
    org = await startTestOrg();
    admin = org.token('admin');
  });
  after(async () => {
    await org.stop();
  });

  it('lists versions and resources', async () => {
    const versions = await api(org, undefined, 'GET', '/services/data');
    assert.equal(versions.status, 200);
    const list = versions.body as { version: string; url: string }[];
    assert.ok(list.some((v) => v.version === '62.0' && v.url === '/services/data/v62.0'));
    const resources = await api(org, admin, 'GET', '/services/data/v62.0');
    assert.equal((resources.body as Record<string, string>).query, '/services/data/v62.0/query');
  });

  it('describes the project objects and creates, reads, updates and deletes a record', async () => {
    const global = await api(org, admin, 'GET', '/services/data/v62.0/sobjects');
    const names = (global.body as { sobjects: { name: string }[] }).sobjects.map((s) => s.name);
    assert.ok(names.includes('Widget__c') && names.includes('Account'));
    const describe = await api(
      org,
      admin,
      'GET',
      '/services/data/v62.0/sobjects/Widget__c/describe'
    );
    const fields = (
      describe.body as { fields: { name: string; type: string; externalId: boolean }[] }
    ).fields;
    assert.deepEqual(
      fields
        .filter((f) => f.name.endsWith('__c'))
        .map((f) => [f.name, f.type, f.externalId])
        .sort(),
      [
        ['Code__c', 'string', true],
        ['Size__c', 'double', false]
      ]
    );

    const created = await api(org, admin, 'POST', '/services/data/v62.0/sobjects/Widget__c', {
      Name: 'one',
      Size__c: 2.5,
      Code__c: 'C-1'
    });
    assert.equal(created.status, 201);
    const id = (created.body as { id: string }).id;
    assert.deepEqual(created.body, { id, success: true, errors: [] });

    const read = await api(
      org,
      admin,
      'GET',
      `/services/data/v62.0/sobjects/Widget__c/${id}?fields=Name,Size__c`
    );
    assert.equal(read.status, 200);
    const rec = read.body as Record<string, unknown>;
    assert.equal(rec.Name, 'one');
    assert.equal(rec.Size__c, 2.5);
    assert.deepEqual(rec.attributes, {
      type: 'Widget__c',
      url: `/services/data/v62.0/sobjects/Widget__c/${id}`
    });

    assert.equal(
      (
        await api(org, admin, 'PATCH', `/services/data/v62.0/sobjects/Widget__c/${id}`, {
          Size__c: 7
        })
      ).status,
      204
    );
    const q = await api(
      org,
      admin,
      'GET',
      `/services/data/v62.0/query?q=${encodeURIComponent(`SELECT Size__c FROM Widget__c WHERE Id = '${id}'`)}`
    );
    assert.equal((q.body as { records: { Size__c: number }[] }).records[0]!.Size__c, 7);

    assert.equal(
      (await api(org, admin, 'DELETE', `/services/data/v62.0/sobjects/Widget__c/${id}`)).status,
      204
    );
    const all = await api(
      org,
      admin,
      'GET',
      `/services/data/v62.0/queryAll?q=${encodeURIComponent(`SELECT IsDeleted FROM Widget__c WHERE Id = '${id}'`)}`
    );
    assert.deepEqual(
      (all.body as { records: { IsDeleted: boolean }[] }).records.map((r) => r.IsDeleted),
      [true]
    );
    const gone = await api(org, admin, 'GET', `/services/data/v62.0/sobjects/Widget__c/${id}`);
    assert.equal(gone.status, 404);
    assert.deepEqual(gone.body, [
      { errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }
    ]);
  });

  it('upserts by external id: 201 created, then 200 updated, same id', async () => {
    const first = await api(
      org,
      admin,
      'PATCH',
      '/services/data/v62.0/sobjects/Widget__c/Code__c/EXT-9',
      { Name: 'nine' }
    );
    assert.equal(first.status, 201);
    const { id, created } = first.body as { id: string; created: boolean };
    assert.equal(created, true);
    const second = await api(
      org,
      admin,
      'PATCH',
      '/services/data/v62.0/sobjects/Widget__c/Code__c/EXT-9',
      { Name: 'nine again' }
    );
    assert.equal(second.status, 200);
    assert.deepEqual(second.body, { id, success: true, errors: [], created: false });
    const byExt = await api(
      org,
      admin,
      'GET',
      '/services/data/v62.0/sobjects/Widget__c/Code__c/EXT-9'
    );
    assert.equal((byExt.body as { Name: string }).Name, 'nine again');
    const notExt = await api(
      org,
      admin,
      'PATCH',
      '/services/data/v62.0/sobjects/Widget__c/Size__c/3',
      { Name: 'x' }
    );
    assert.equal(notExt.status, 404);
  });

  it('pages query results with nextRecordsUrl and reports columns', async () => {
    const records = Array.from({ length: 250 }, (_, i) => ({
      attributes: { type: 'Widget__c' },
      Name: `w${i}`,
      Code__c: `P-${i}`
    }));
    const res = await api(org, admin, 'POST', '/services/data/v62.0/composite/sobjects', {
      allOrNone: true,
      records: records.slice(0, 200)
    });
    assert.equal(res.status, 200);
    assert.ok((res.body as { success: boolean }[]).every((r) => r.success));
    await api(org, admin, 'POST', '/services/data/v62.0/composite/sobjects', {
      allOrNone: true,
      records: records.slice(200)
    });
    const q = encodeURIComponent("SELECT Id, Name FROM Widget__c WHERE Code__c LIKE 'P-%'");
    const page1 = await api(org, admin, 'GET', `/services/data/v62.0/query?q=${q}`, undefined, {
      'Sforce-Query-Options': 'batchSize=200'
    });
    const b1 = page1.body as {
      totalSize: number;
      done: boolean;
      nextRecordsUrl: string;
      records: unknown[];
    };
    assert.equal(b1.totalSize, 250);
    assert.equal(b1.done, false);
    assert.equal(b1.records.length, 200);
    const page2 = await api(org, admin, 'GET', b1.nextRecordsUrl);
    const b2 = page2.body as { done: boolean; records: unknown[] };
    assert.equal(b2.done, true);
    assert.equal(b2.records.length, 50);

    const cols = await api(
      org,
      admin,
      'GET',
      `/services/data/v62.0/query?columns=true&q=${encodeURIComponent('SELECT Name, Size__c FROM Widget__c')}`
    );
    const meta = cols.body as {
      entityName: string;
      columnMetadata: { columnName: string; numberType: boolean }[];
    };
    assert.equal(meta.entityName, 'Widget__c');
    assert.deepEqual(
      meta.columnMetadata.map((c) => [c.columnName, c.numberType]),
      [
        ['Name', false],
        ['Size__c', true]
      ]
    );
  });

  it('answers bad input with Salesforce error bodies', async () => {
    const badField = await api(
      org,
      admin,
      'GET',
      `/services/data/v62.0/query?q=${encodeURIComponent('SELECT Nope__c FROM Widget__c')}`
    );
    assert.equal(badField.status, 400);
    assert.equal((badField.body as { errorCode: string }[])[0]!.errorCode, 'INVALID_FIELD');
    const malformed = await api(
      org,
      admin,
      'GET',
      `/services/data/v62.0/query?q=${encodeURIComponent('SELEC Name FROM')}`
    );
    assert.equal(malformed.status, 400);
    assert.equal((malformed.body as { errorCode: string }[])[0]!.errorCode, 'MALFORMED_QUERY');
    const badJson = await api(
      org,
      admin,
      'POST',
      '/services/data/v62.0/sobjects/Widget__c',
      '{"Name": ',
      { 'content-type': 'application/json' }
    );
    assert.equal(badJson.status, 400);
    assert.equal((badJson.body as { errorCode: string }[])[0]!.errorCode, 'JSON_PARSER_ERROR');
    const unknown = await api(org, admin, 'GET', '/services/data/v62.0/nothing/here');
    assert.equal(unknown.status, 404);
    assert.deepEqual(unknown.body, [
      { errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }
    ]);
    const method = await api(org, admin, 'PUT', '/services/data/v62.0/sobjects/Widget__c');
    assert.equal(method.status, 405);
    assert.equal((method.body as { errorCode: string }[])[0]!.errorCode, 'METHOD_NOT_ALLOWED');
    const tooLong = await api(org, admin, 'POST', '/services/data/v62.0/sobjects/Widget__c', {
      Name: 'x',
      Code__c: 'y'.repeat(30)
    });
    assert.equal(tooLong.status, 400);
    assert.equal(
      (tooLong.body as { errorCode: string; fields: string[] }[])[0]!.errorCode,
      'STRING_TOO_LONG'
    );
  });

  it('runs REST calls in user mode: an object the user cannot read does not exist for them', async () => {
    const nobody = org.token('nobody');
    const create = await api(org, nobody, 'POST', '/services/data/v62.0/sobjects/Widget__c', {
      Name: 'sneaky'
    });
    assert.equal(create.status, 404);
    assert.deepEqual(create.body, [
      { errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }
    ]);
    const describe = await api(
      org,
      nobody,
      'GET',
      '/services/data/v62.0/sobjects/Widget__c/describe'
    );
    assert.equal(describe.status, 404);
    const global = await api(org, nobody, 'GET', '/services/data/v62.0/sobjects');
    const names = (global.body as { sobjects: { name: string }[] }).sobjects.map((o) => o.name);
    assert.ok(!names.includes('Widget__c') && names.includes('Account'));
    const q = await api(
      org,
      nobody,
      'GET',
      `/services/data/v62.0/query?q=${encodeURIComponent('SELECT Id FROM Widget__c')}`
    );
    assert.equal(q.status, 400);
    assert.equal((q.body as { errorCode: string }[])[0]!.errorCode, 'INVALID_TYPE');
    // The integration user's permission set grants create but not delete.
    const integration = org.token('integration');
    const made = await api(org, integration, 'POST', '/services/data/v62.0/sobjects/Widget__c', {
      Name: 'int',
      Code__c: 'INT-1'
    });
    assert.equal(made.status, 201, made.text);
    const id = (made.body as { id: string }).id;
    const del = await api(
      org,
      integration,
      'DELETE',
      `/services/data/v62.0/sobjects/Widget__c/${id}`
    );
    assert.equal(del.status, 400);
    assert.equal(
      (del.body as { errorCode: string }[])[0]!.errorCode,
      'INSUFFICIENT_ACCESS_OR_READONLY'
    );
  });

  it('answers malformed SOAP with a SOAP fault and describes metadata', async () => {
    const bad = await api(
      org,
      undefined,
      'POST',
      '/services/Soap/m/62.0',
      '<soapenv:Envelope><broken>',
      { 'content-type': 'text/xml' }
    );
    assert.equal(bad.status, 500);
    assert.match(bad.text, /<faultcode>sf:INVALID_XML<\/faultcode>/);
    const envelope = (op: string, session: string) =>
      `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Header><SessionHeader xmlns="http://soap.sforce.com/2006/04/metadata"><sessionId>${session}</sessionId></SessionHeader></soapenv:Header><soapenv:Body><${op} xmlns="http://soap.sforce.com/2006/04/metadata"><asOfVersion>62.0</asOfVersion></${op}></soapenv:Body></soapenv:Envelope>`;
    const noSession = await api(
      org,
      undefined,
      'POST',
      '/services/Soap/m/62.0',
      envelope('describeMetadata', 'nope'),
      { 'content-type': 'text/xml' }
    );
    assert.equal(noSession.status, 500);
    assert.match(noSession.text, /sf:INVALID_SESSION_ID/);
    const described = await api(
      org,
      undefined,
      'POST',
      '/services/Soap/m/62.0',
      envelope('describeMetadata', admin),
      { 'content-type': 'text/xml' }
    );
    assert.equal(described.status, 200);
    assert.match(described.text, /<xmlName>ApexClass<\/xmlName>/);
    const notAdmin = await api(
      org,
      undefined,
      'POST',
      '/services/Soap/m/62.0',
      envelope('describeMetadata', org.token('integration')),
      { 'content-type': 'text/xml' }
    );
    assert.equal(notAdmin.status, 500);
    assert.match(notAdmin.text, /INSUFFICIENT_ACCESS/);
  });

  it('composite: allOrNone rolls back every subrequest when one fails', async () => {
    const res = await api(org, admin, 'POST', '/services/data/v62.0/composite', {
      allOrNone: true,
      compositeRequest: [
        {
          method: 'POST',
          url: '/services/data/v62.0/sobjects/Widget__c',
          referenceId: 'a',
          body: { Name: 'rollback-me', Code__c: 'RB-1' }
        },
        { method: 'GET', url: '/services/data/v62.0/sobjects/Widget__c/@{a.id}', referenceId: 'b' },
        {
          method: 'POST',
          url: '/services/data/v62.0/sobjects/Widget__c',
          referenceId: 'c',
          body: { Name: 'bad', Nope__c: 1 }
        }
      ]
    });
    assert.equal(res.status, 200);
    const items = (
      res.body as { compositeResponse: { httpStatusCode: number; referenceId: string }[] }
    ).compositeResponse;
    assert.deepEqual(
      items.map((i) => i.httpStatusCode),
      [400, 400, 400]
    );
    const q = await api(
      org,
      admin,
      'GET',
      `/services/data/v62.0/query?q=${encodeURIComponent("SELECT Id FROM Widget__c WHERE Code__c = 'RB-1'")}`
    );
    assert.equal((q.body as { totalSize: number }).totalSize, 0);
  });
});

describe('local-org server: state survives a restart', () => {
  it('keeps records and tokens unless --fresh', async () => {
    const org = await startTestOrg();
    const admin = org.token('admin');
    const created = await api(org, admin, 'POST', '/services/data/v62.0/sobjects/Widget__c', {
      Name: 'persisted',
      Code__c: 'KEEP'
    });
    assert.equal(created.status, 201);
    await org.close();
    const again = await startLocalOrg({
      projectDir: org.projectDir,
      dataDir: org.dataDir,
      port: 0,
      log: () => {}
    });
    try {
      const q = await api(
        again,
        admin,
        'GET',
        `/services/data/v62.0/query?q=${encodeURIComponent("SELECT Name FROM Widget__c WHERE Code__c = 'KEEP'")}`
      );
      assert.equal(q.status, 200, q.text);
      assert.equal((q.body as { totalSize: number }).totalSize, 1);
    } finally {
      await again.close();
    }
    const fresh = await startLocalOrg({
      projectDir: org.projectDir,
      dataDir: org.dataDir,
      port: 0,
      fresh: true,
      log: () => {}
    });
    try {
      const token = fresh.info.users[0]!.accessToken;
      const q = await api(
        fresh,
        token,
        'GET',
        `/services/data/v62.0/query?q=${encodeURIComponent("SELECT Name FROM Widget__c WHERE Code__c = 'KEEP'")}`
      );
      assert.equal((q.body as { totalSize: number }).totalSize, 0);
      assert.equal((await api(fresh, admin, 'GET', '/services/data/v62.0/limits')).status, 401);
    } finally {
      await fresh.close();
      await org.stop();
    }
  });
});

describe('local-org server: Tooling API', () => {
  let org: TestOrg;
  let admin: string;
  before(async () => {
    org = await startTestOrg();
    admin = org.token('admin');
  });
  after(async () => {
    await org.stop();
  });

  it('runs a test class synchronously with coverage', async () => {
    const res = await api(org, admin, 'POST', '/services/data/v62.0/tooling/runTestsSynchronous', {
      tests: [{ className: 'WidgetServiceTest' }]
    });
    assert.equal(res.status, 200, res.text);
    const body = res.body as {
      numTestsRun: number;
      numFailures: number;
      successes: { methodName: string }[];
      codeCoverage: { name: string; numLocations: number; numLocationsNotCovered: number }[];
    };
    assert.equal(body.numTestsRun, 2);
    assert.equal(body.numFailures, 0);
    assert.deepEqual(body.successes.map((s) => s.methodName).sort(), [
      'createInsertsWidget',
      'describeSizeSaysLarge'
    ]);
    const service = body.codeCoverage.find((c) => c.name === 'WidgetService')!;
    assert.equal(service.numLocationsNotCovered, 2);
    assert.ok(service.numLocations > service.numLocationsNotCovered);
  });

  it('answers tooling queries over test results and classes, and refuses unknown tooling objects', async () => {
    const classes = await api(
      org,
      admin,
      'GET',
      `/services/data/v62.0/tooling/query?q=${encodeURIComponent("SELECT Id, Name FROM ApexClass WHERE Name = 'WidgetService'")}`
    );
    const rows = (classes.body as { records: { Id: string; Name: string }[] }).records;
    assert.equal(rows.length, 1);
    assert.match(rows[0]!.Id, /^01p[A-Za-z0-9]{15}$/);
    const unknown = await api(
      org,
      admin,
      'GET',
      `/services/data/v62.0/tooling/query?q=${encodeURIComponent('SELECT Id FROM NoSuchThing')}`
    );
    assert.equal(unknown.status, 400);
    assert.equal((unknown.body as { errorCode: string }[])[0]!.errorCode, 'INVALID_TYPE');
  });

  it('executes anonymous Apex over Tooling REST; a runtime exception rolls back its DML', async () => {
    const ok = await api(
      org,
      admin,
      'GET',
      `/services/data/v62.0/tooling/executeAnonymous?anonymousBody=${encodeURIComponent("insert new Widget__c(Name='anon-ok', Code__c='AX-1');")}`
    );
    assert.deepEqual(ok.body, {
      line: -1,
      column: -1,
      compiled: true,
      success: true,
      compileProblem: null,
      exceptionStackTrace: null,
      exceptionMessage: null
    });
    const boom = await api(
      org,
      admin,
      'GET',
      `/services/data/v62.0/tooling/executeAnonymous?anonymousBody=${encodeURIComponent("insert new Widget__c(Name='anon-bad', Code__c='AX-2');\nInteger x = 1 / 0;")}`
    );
    const body = boom.body as { success: boolean; compiled: boolean; exceptionMessage: string };
    assert.equal(body.compiled, true);
    assert.equal(body.success, false);
    assert.match(body.exceptionMessage, /MathException/);
    assert.equal((boom.body as { line: number }).line, 2);
    const q = await api(
      org,
      admin,
      'GET',
      `/services/data/v62.0/query?q=${encodeURIComponent("SELECT Code__c FROM Widget__c WHERE Code__c LIKE 'AX-%'")}`
    );
    assert.deepEqual(
      (q.body as { records: { Code__c: string }[] }).records.map((r) => r.Code__c),
      ['AX-1']
    );
  });

  it('refuses Apex execution to a user without Author Apex', async () => {
    const res = await api(
      org,
      org.token('nobody'),
      'GET',
      `/services/data/v62.0/tooling/executeAnonymous?anonymousBody=${encodeURIComponent('System.debug(1);')}`
    );
    assert.equal(res.status, 403);
  });
});

describe('local-org server: the CLI and crash safety', () => {
  it('serve --json prints one ready line; after kill -9 mid-write the state still loads', async () => {
    const root = mkdtempSync(join(tmpdir(), 'local-org-crash-'));
    const dataDir = join(root, 'data');
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(import.meta.dirname, 'cli.ts'),
        'serve',
        '--port',
        '0',
        '--json',
        '--fresh',
        '--data-dir',
        dataDir,
        '--project',
        FIXTURE_PROJECT
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] }
    );
    try {
      const line = await new Promise<string>((resolvePromise, reject) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString('utf8');
          if (out.includes('\n')) resolvePromise(out.split('\n')[0]!);
        });
        child.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
      });
      const info = JSON.parse(line) as {
        instanceUrl: string;
        users: { username: string; accessToken: string; permissionSets: string[] }[];
        oauth: { clientId: string; clientSecret: string };
      };
      assert.match(info.instanceUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.ok(info.oauth.clientId && info.oauth.clientSecret);
      const token = info.users[0]!.accessToken;
      const target = { info };
      for (let i = 0; i < 20; i++) {
        const res = await api(target, token, 'POST', '/services/data/v62.0/sobjects/Widget__c', {
          Name: `c${i}`,
          Code__c: `CR-${i}`
        });
        assert.equal(res.status, 201);
      }
      await new Promise((r) => setTimeout(r, 600)); // past the write delay: these 20 are on disk
      const inFlight = Array.from({ length: 20 }, (_, i) =>
        api(target, token, 'POST', '/services/data/v62.0/sobjects/Widget__c', {
          Name: `late${i}`,
          Code__c: `LATE-${i}`
        }).catch(() => undefined)
      );
      await new Promise((r) => setTimeout(r, 30));
      child.kill('SIGKILL');
      await Promise.all(inFlight);
      const again = await startLocalOrg({
        projectDir: FIXTURE_PROJECT,
        dataDir,
        port: 0,
        log: () => {}
      });
      try {
        const count = again.runtime.org.query(
          "SELECT COUNT() FROM Widget__c WHERE Code__c LIKE 'CR-%'",
          {},
          { mode: 'system' }
        ).totalSize;
        assert.equal(count, 20);
      } finally {
        await again.close();
      }
    } finally {
      child.kill('SIGKILL');
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('local-org server: Apex REST', () => {
  let org: TestOrg;
  before(async () => {
    org = await startTestOrg();
  });
  after(async () => {
    await org.stop();
  });

  it('routes by urlMapping, fills RestContext and runs as the calling user', async () => {
    const integration = org.token('integration');
    const post = await api(org, integration, 'POST', '/services/apexrest/widgets', {
      widgets: [{ name: 'r1', code: 'AR-1', size: 2 }]
    });
    assert.equal(post.status, 201, post.text);
    assert.deepEqual(post.body, { count: 1 });
    const get = await api(org, integration, 'GET', '/services/apexrest/widgets/AR-1?verbose=1');
    assert.deepEqual([get.status, get.body], [200, { name: 'r1', size: 2 }]);
    const created = org.runtime.org.query(
      "SELECT CreatedById FROM Widget__c WHERE Code__c = 'AR-1'",
      {},
      { mode: 'system' }
    ).records[0]!;
    assert.equal(
      created.CreatedById,
      org.info.users.find((u) => u.alias === 'integration')!.userId
    );
  });

  it('answers a verb the class does not handle with 405, an unhandled exception with 500 and rolls back', async () => {
    const admin = org.token('admin');
    const put = await api(org, admin, 'PUT', '/services/apexrest/widgets/AR-1', {});
    assert.equal(put.status, 405);
    assert.deepEqual(put.body, [
      {
        errorCode: 'METHOD_NOT_ALLOWED',
        message: "HTTP Method 'PUT' not allowed. Allowed are GET,POST"
      }
    ]);
    // No "widgets" list: the resource dereferences null → 500 APEX_ERROR with the stack.
    const fails = await api(org, admin, 'POST', '/services/apexrest/widgets', { nope: true });
    assert.equal(fails.status, 500, fails.text);
    const err = (fails.body as { errorCode: string; message: string }[])[0]!;
    assert.equal(err.errorCode, 'APEX_ERROR');
    assert.match(err.message, /^System\.NullPointerException/);
    assert.match(err.message, /Class\.WidgetResource\.create: line \d+, column \d+/);
    // HalfDoneResource inserts a widget, then divides by zero: the request is one
    // transaction, so the insert is rolled back with it.
    const half = await api(org, admin, 'POST', '/services/apexrest/half-done', {});
    assert.equal(half.status, 500, half.text);
    assert.match(
      (half.body as { message: string }[])[0]!.message,
      /^System\.MathException: Divide by 0/
    );
    const count = org.runtime.org.query(
      "SELECT COUNT() FROM Widget__c WHERE Code__c = 'HALF-1'",
      {},
      { mode: 'system' }
    ).totalSize;
    assert.equal(count, 0, 'a failed request leaves nothing behind');
  });

  it('refuses a user without access to the class', async () => {
    const res = await api(org, org.token('nobody'), 'GET', '/services/apexrest/widgets/AR-1');
    assert.equal(res.status, 403);
    assert.deepEqual(res.body, [
      {
        errorCode: 'FORBIDDEN',
        message: 'You do not have access to the Apex class named: WidgetResource'
      }
    ]);
  });
});
