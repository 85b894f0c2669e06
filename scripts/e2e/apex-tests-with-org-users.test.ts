// End-to-end: the package's Apex tests must not depend on the org's own Users. Salesforce tests
// see the org's setup records (Users) even without SeeAllData, so an org whose advisors already
// carry Coconut staff ids must not make the tests collide (User.Coconut_Staff_Id__c is unique)
// or resolve "unmatched" staff to a real advisor. This loads the project into a local org, seeds
// the demo data of `npm start` (the simulator's advisors as Users with Coconut_Staff_Id__c
// 1, 2, … and their emails), and runs every local test class through the Tooling API's
// runTestsSynchronous on that org.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { api, REPO_ROOT, startTestOrg, type TestOrg } from '../../local-org/server/test-helpers.ts';
import { seedDemoData } from '../demo/seed.ts';
import { STAFF } from '../simulate/catalog.ts';

interface SyncRunResult {
  numTestsRun: number;
  numFailures: number;
  failures: { name: string; methodName: string; message: string }[];
}

describe('package Apex tests in an org whose Users carry Coconut staff ids', () => {
  let org: TestOrg;

  before(async () => {
    org = await startTestOrg({ projectDir: REPO_ROOT });
    seedDemoData(org.runtime.org);
    org.runtime.changed();
  });
  after(async () => {
    await org.stop();
  });

  it('the org has the advisors as active Users with their staff ids', () => {
    const rows = org.runtime.org.query(
      'SELECT Coconut_Staff_Id__c, Email FROM User WHERE Coconut_Staff_Id__c != null AND IsActive = true',
      {},
      { mode: 'system' }
    ).records;
    const ids = rows.map((r) => String(r.Coconut_Staff_Id__c)).sort();
    assert.deepEqual(ids, STAFF.map((s) => String(s.id)).sort());
    assert.ok(STAFF.length >= 10, `advisors seeded: ${STAFF.length}`);
  });

  it('every package test class passes (RunLocalTests via runTestsSynchronous)', async () => {
    const res = await api(
      org,
      org.token('admin'),
      'POST',
      '/services/data/v62.0/tooling/runTestsSynchronous',
      { testLevel: 'RunLocalTests', skipCodeCoverage: true }
    );
    assert.equal(res.status, 200, res.text);
    const body = res.body as SyncRunResult;
    const failed = body.failures.map((f) => `${f.name}.${f.methodName}: ${f.message}`);
    assert.deepEqual(failed, [], `${failed.length} of ${body.numTestsRun} tests failed`);
    assert.equal(body.numFailures, 0);
    // The package has well over a hundred test methods; a run that found none proves nothing.
    assert.ok(body.numTestsRun >= 150, `tests run: ${body.numTestsRun}`);
  });
});
