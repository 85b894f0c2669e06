// End to end: the simulator against the local org running this repository's package (the real
// Apex REST endpoint, client matching, triggers), with a fixed seed: zero differences expected.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startLocalOrg, type LocalOrg } from '../../local-org/server/local-org.ts';
import { sfCli } from '../../local-org/server/test-helpers.ts';
import { runSimulation, type RunSummary } from './run.ts';
import { ClientCredentials, OrgClient } from './transport.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

// Clients the org knows already: open leads (matched by email, phone or Salesforce Id) and a
// converted lead (carried by its Lead Id; the package resolves it to the Contact).
const SEED_DATA = `
List<Lead> leads = new List<Lead>();
for (Integer i = 1; i <= 6; i++) {
    leads.add(new Lead(FirstName = 'Known' + i, LastName = 'Member' + i, Company = 'Household ' + i,
        Email = 'known' + i + '@members.example', Phone = '+1 416 555 01' + i + i));
}
insert leads;
Database.LeadConvert lc = new Database.LeadConvert();
lc.setLeadId(leads[5].Id);
lc.setConvertedStatus('Closed - Converted');
lc.setDoNotCreateOpportunity(true);
Database.convertLead(lc);
`;

describe('simulator against the local org', () => {
  let org: LocalOrg;
  let root: string;

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'simulate-e2e-'));
    org = await startLocalOrg({
      projectDir: repoRoot,
      dataDir: join(root, 'data'),
      port: 0,
      fresh: true,
      assign: ['integration=Coconut_Integration']
    });
    const admin = org.info.users.find((u) => u.alias === 'admin') ?? org.info.users[0]!;
    const res = await fetch(
      `${org.info.instanceUrl}/services/data/v62.0/tooling/executeAnonymous/?anonymousBody=${encodeURIComponent(SEED_DATA)}`,
      { headers: { Authorization: `Bearer ${admin.accessToken}` } }
    );
    const body = (await res.json()) as {
      success: boolean;
      exceptionMessage: string | null;
      compileProblem: string | null;
    };
    assert.equal(body.success, true, `seed data: ${body.compileProblem ?? body.exceptionMessage}`);
  });

  after(async () => {
    await org?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('a fixed seed reconciles with zero differences through the real endpoint', async () => {
    const client = new OrgClient(
      new ClientCredentials({
        loginUrl: org.info.instanceUrl,
        clientId: org.info.oauth.clientId,
        clientSecret: org.info.oauth.clientSecret
      }),
      { rate: 0 }
    );
    const s = await runSimulation({
      client,
      apiVersion: '62.0',
      seed: 'e2e-fixed',
      anchor: '2026-03-01',
      clients: 24,
      days: 10,
      batchSize: 40,
      includeBad: true,
      knownClients: 'org'
    });
    assert.deepEqual(s.batchFailures, []);
    assert.deepEqual(s.expectationMismatches, []);
    assert.deepEqual(s.reconciliation.differences, []);
    assert.equal(s.ok, true);
    assert.equal(s.reconciliation.matching, s.generated.appointments);
    // Five open leads, the converted lead and the Contact it became.
    assert.equal(s.generated.knownClients, 7);
    // Attendees carrying a lead's Id, or a converted lead's Id, are checked to be linked to that
    // Lead or to the Contact it became.
    assert.ok(
      s.generated.clientKinds['salesforce-id']! >= 1 &&
        s.generated.clientKinds['converted-lead']! >= 1
    );
    assert.equal(s.results.created, s.generated.appointments);
    assert.equal(s.results.error, s.generated.badItems);
    assert.ok((s.sent.byKind.resend?.byStatus.unchanged ?? 0) > 0, 'a resend answered unchanged');
    assert.ok((s.sent.byKind.late?.byStatus.stale ?? 0) > 0, 'a late snapshot answered stale');
  });

  it('works unchanged through an sf CLI alias (@salesforce/core access token)', async () => {
    const sf = sfCli();
    try {
      const integration = org.info.users.find((u) => u.alias === 'integration')!;
      const login = await sf.run(
        [
          'org',
          'login',
          'access-token',
          '--instance-url',
          org.info.instanceUrl,
          '--no-prompt',
          '--alias',
          'sim-local',
          '--json'
        ],
        { env: { SF_ACCESS_TOKEN: integration.accessToken } }
      );
      assert.equal(login.code, 0, login.stderr || login.stdout);
      const env = {
        PATH: process.env.PATH ?? '',
        HOME: sf.home,
        XDG_CONFIG_HOME: join(sf.home, '.config'),
        XDG_CACHE_HOME: join(sf.home, '.cache'),
        XDG_DATA_HOME: join(sf.home, '.local', 'share'),
        SF_DISABLE_TELEMETRY: 'true',
        SF_USE_GENERIC_UNIX_KEYCHAIN: 'true',
        SF_DISABLE_DNS_CHECK: 'true'
      };
      const { code, stdout } = await new Promise<{ code: number; stdout: string }>((done) => {
        execFile(
          process.execPath,
          [
            '--import',
            'tsx',
            join(repoRoot, 'scripts/simulate/main.ts'),
            '--target-org',
            'sim-local',
            '--seed',
            'alias-e2e',
            '--anchor',
            '2026-10-25',
            '--clients',
            '8',
            '--days',
            '5',
            '--rate',
            '0',
            '--known-clients',
            'none',
            '--json'
          ],
          { cwd: repoRoot, env, timeout: 120_000 },
          (err, out) =>
            done({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout: out })
        );
      });
      const json = JSON.parse(stdout) as { status: number; result: RunSummary };
      assert.equal(code, 0, stdout);
      assert.equal(json.result.ok, true);
      assert.equal(json.result.auth, 'sf org sim-local');
      assert.deepEqual(json.result.reconciliation.differences, []);
    } finally {
      sf.cleanup();
    }
  });
});
