// End-to-end: the Coconut flow against the project's own package — client-credentials token,
// POST a batch of appointments to the Apex REST endpoint, the records are there by SOQL;
// plus the faults a caller can hit (no permission set, oversized or malformed body,
// unknown path, revoked token) and concurrent duplicate batches.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { api, REPO_ROOT, startTestOrg, type TestOrg } from '../../local-org/server/test-helpers.ts';

const EXAMPLE = readFileSync(
  new URL('../../docs/api/examples/appointments.json', import.meta.url),
  'utf8'
);
const ENDPOINT = '/services/apexrest/coconut/v1/appointments';

async function clientCredentialsToken(org: TestOrg): Promise<string> {
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: org.info.oauth.clientId,
    client_secret: org.info.oauth.clientSecret
  });
  const res = await api(org, undefined, 'POST', '/services/oauth2/token', form.toString(), {
    'content-type': 'application/x-www-form-urlencoded'
  });
  assert.equal(res.status, 200, res.text);
  return (res.body as { access_token: string }).access_token;
}

function soql(org: TestOrg, query: string): Record<string, unknown>[] {
  return org.runtime.org.query(query, {}, { mode: 'system' }).records;
}

describe('Coconut flow against local-org', () => {
  let org: TestOrg;
  let token: string;

  before(async () => {
    org = await startTestOrg({ projectDir: REPO_ROOT });
    token = await clientCredentialsToken(org);
  });
  after(async () => {
    await org.stop();
  });

  it('client-credentials token → POST appointments → the records are there by SOQL', async () => {
    const res = await api(org, token, 'POST', ENDPOINT, EXAMPLE, {
      'content-type': 'application/json'
    });
    assert.equal(res.status, 200, res.text);
    const body = res.body as { results: { status: string; coconutId: string }[] };
    assert.deepEqual(
      body.results.map((r) => [r.coconutId, r.status]),
      [['48213', 'created']]
    );

    const admin = org.token('admin');
    const q = await api(
      org,
      admin,
      'GET',
      `/services/data/v62.0/query?q=${encodeURIComponent("SELECT Name, Status__c, Start__c, (SELECT Email__c FROM Attendees__r) FROM Coconut_Appointment__c WHERE Coconut_Id__c = '48213'")}`
    );
    assert.equal(q.status, 200, q.text);
    const rec = (q.body as { records: Record<string, unknown>[] }).records[0]!;
    assert.equal(rec.Name, 'A9B8C7D6E5F4G3H2');
    assert.equal(rec.Status__c, 'Confirmed');
    assert.equal(rec.Start__c, '2026-03-10T18:00:00.000Z');
    assert.deepEqual(
      (rec.Attendees__r as { records: { Email__c: string }[] }).records.map((a) => a.Email__c),
      ['jane.doe@example.com']
    );
  });

  it('serialises concurrent identical batches: no duplicate appointment', async () => {
    const batch = JSON.parse(EXAMPLE) as { appointments: Record<string, unknown>[] };
    const item = {
      ...batch.appointments[0]!,
      id: 77001,
      code: 'CONCURRENT000001',
      updated_at: '2026-03-02T10:00:00Z'
    };
    const body = JSON.stringify({ appointments: [item] });
    const replies = await Promise.all(
      Array.from({ length: 4 }, () =>
        api(org, token, 'POST', ENDPOINT, body, { 'content-type': 'application/json' })
      )
    );
    for (const r of replies) assert.equal(r.status, 200, r.text);
    const statuses = replies
      .map((r) => (r.body as { results: { status: string }[] }).results[0]!.status)
      .sort();
    assert.deepEqual(statuses, ['created', 'unchanged', 'unchanged', 'unchanged']);
    assert.equal(
      soql(org, "SELECT Id FROM Coconut_Appointment__c WHERE Coconut_Id__c = '77001'").length,
      1
    );
  });

  it('refuses a user without the integration permission set (403, nothing written)', async () => {
    const before = soql(org, 'SELECT Id FROM Coconut_Appointment__c').length;
    const advisor = org.token('advisor');
    const res = await api(org, advisor, 'POST', ENDPOINT, EXAMPLE, {
      'content-type': 'application/json'
    });
    assert.equal(res.status, 403);
    assert.deepEqual(res.body, [
      {
        errorCode: 'FORBIDDEN',
        message: 'You do not have access to the Apex class named: CoconutAppointmentsResource'
      }
    ]);
    assert.equal(soql(org, 'SELECT Id FROM Coconut_Appointment__c').length, before);
  });

  it('answers bad requests the way Salesforce does', async () => {
    const before = soql(org, 'SELECT Id FROM Coconut_Appointment__c').length;
    const huge = JSON.stringify({ appointments: [], padding: 'x'.repeat(6 * 1024 * 1024 + 10) });
    const tooBig = await api(org, token, 'POST', ENDPOINT, huge, {
      'content-type': 'application/json'
    });
    assert.equal(tooBig.status, 413);
    assert.equal(
      (tooBig.body as { errorCode: string }[])[0]!.errorCode,
      'REQUEST_ENTITY_TOO_LARGE'
    );

    const malformed = await api(org, token, 'POST', ENDPOINT, '{"appointments": [', {
      'content-type': 'application/json'
    });
    assert.equal(malformed.status, 400, malformed.text);

    const unknown = await api(org, token, 'POST', '/services/apexrest/coconut/v9/nothing', '{}', {
      'content-type': 'application/json'
    });
    assert.equal(unknown.status, 404);
    assert.deepEqual(unknown.body, [
      { errorCode: 'NOT_FOUND', message: 'Could not find a match for URL' }
    ]);

    const noToken = await api(org, undefined, 'POST', ENDPOINT, EXAMPLE, {
      'content-type': 'application/json'
    });
    assert.equal(noToken.status, 401);
    assert.deepEqual(noToken.body, [
      { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }
    ]);
    assert.equal(soql(org, 'SELECT Id FROM Coconut_Appointment__c').length, before);
  });

  it('a revoked token is refused', async () => {
    const own = await clientCredentialsToken(org);
    const revoke = await api(
      org,
      undefined,
      'POST',
      '/services/oauth2/revoke',
      new URLSearchParams({ token: own }).toString(),
      {
        'content-type': 'application/x-www-form-urlencoded'
      }
    );
    assert.equal(revoke.status, 200);
    const res = await api(org, own, 'POST', ENDPOINT, EXAMPLE, {
      'content-type': 'application/json'
    });
    assert.equal(res.status, 401);
  });
});
