import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  evaluatePreflight,
  formatPreflight,
  orgKind,
  type PreflightFacts,
  type UserFacts
} from './preflight-rules.ts';

const admin: UserFacts = {
  username: 'admin@bank.example',
  found: true,
  isActive: true,
  profileName: 'System Administrator',
  permissions: {
    ApiEnabled: true,
    ModifyMetadata: true,
    CustomizeApplication: true,
    ModifyAllData: true,
    AuthorApex: true
  }
};
const integration: UserFacts = {
  username: 'coconut@bank.example',
  found: true,
  isActive: true,
  profileName: 'Minimum Access - API Only Integrations',
  permissions: {
    ApiEnabled: true,
    ModifyMetadata: false,
    CustomizeApplication: false,
    ModifyAllData: false
  }
};

function facts(overrides: Partial<PreflightFacts> = {}): PreflightFacts {
  return {
    org: {
      id: '00D000000000001EAA',
      name: 'Bank',
      organizationType: 'Enterprise Edition',
      isSandbox: true,
      trialExpirationDate: null
    },
    runningUser: admin,
    integrationUser: integration,
    components: [
      { type: 'CustomObject', fullName: 'Coconut_Appointment__c', state: 'absent' },
      { type: 'ApexClass', fullName: 'CoconutSyncService', state: 'absent' }
    ],
    orgCoverage: 81,
    personAccounts: false,
    unmatchedClientAction: 'Lead',
    ...overrides
  };
}

const status = (report: ReturnType<typeof evaluatePreflight>, id: string) =>
  report.checks.find((c) => c.id === id)?.status;

describe('preflight rules', () => {
  it('passes a supported org with capable users', () => {
    const report = evaluatePreflight(facts());
    assert.equal(report.ok, true);
    assert.equal(report.blockers, 0);
    assert.equal(report.warnings, 0);
    assert.deepEqual(
      report.checks.map((c) => `${c.id}:${c.status}`),
      [
        'edition:pass',
        'running-user-api:pass',
        'integration-user-api:pass',
        'deployer:pass',
        'conflicts:pass',
        'coverage:pass',
        'person-accounts:info'
      ]
    );
  });

  for (const edition of [
    'Enterprise Edition',
    'Unlimited Edition',
    'Performance Edition',
    'Developer Edition'
  ]) {
    it(`accepts ${edition}`, () => {
      const report = evaluatePreflight(
        facts({ org: { ...facts().org, organizationType: edition } })
      );
      assert.equal(status(report, 'edition'), 'pass');
    });
  }

  for (const edition of [
    'Professional Edition',
    'Team Edition',
    'Personal Edition',
    'Contact Manager Edition',
    ''
  ]) {
    it(`blocks ${edition || 'an empty edition'}`, () => {
      const report = evaluatePreflight(
        facts({ org: { ...facts().org, organizationType: edition } })
      );
      assert.equal(report.ok, false);
      assert.equal(status(report, 'edition'), 'fail');
      assert.match(formatPreflight(report), /FAIL {2}Salesforce edition/);
    });
  }

  it('blocks an integration user without API Enabled and says what to do', () => {
    const report = evaluatePreflight(
      facts({ integrationUser: { ...integration, permissions: { ApiEnabled: false } } })
    );
    assert.equal(report.ok, false);
    const check = report.checks.find((c) => c.id === 'integration-user-api');
    assert.equal(check?.status, 'fail');
    assert.match(check?.message ?? '', /does not have API Enabled/);
    assert.match(check?.action ?? '', /Grant "API Enabled"/);
  });

  it('blocks a running user without API Enabled, a missing integration user and an inactive one', () => {
    assert.equal(
      status(
        evaluatePreflight(
          facts({
            runningUser: { ...admin, permissions: { ...admin.permissions, ApiEnabled: false } }
          })
        ),
        'running-user-api'
      ),
      'fail'
    );
    assert.equal(
      status(
        evaluatePreflight(
          facts({ integrationUser: { username: 'x@y', found: false, permissions: {} } })
        ),
        'integration-user-api'
      ),
      'fail'
    );
    assert.equal(
      status(
        evaluatePreflight(facts({ integrationUser: { ...integration, isActive: false } })),
        'integration-user-api'
      ),
      'fail'
    );
  });

  it('warns, not blocks, when no integration user is named', () => {
    const report = evaluatePreflight(facts({ integrationUser: undefined }));
    assert.equal(report.ok, true);
    assert.equal(status(report, 'integration-user-api'), 'warn');
  });

  it('blocks a running user that cannot deploy metadata; accepts Customize Application alone', () => {
    const noDeploy = {
      ...admin,
      permissions: {
        ApiEnabled: true,
        ModifyMetadata: false,
        CustomizeApplication: false,
        ModifyAllData: false
      }
    };
    assert.equal(status(evaluatePreflight(facts({ runningUser: noDeploy })), 'deployer'), 'fail');
    const customize = {
      ...admin,
      permissions: {
        ApiEnabled: true,
        ModifyMetadata: false,
        CustomizeApplication: true,
        ModifyAllData: false,
        AuthorApex: true
      }
    };
    assert.equal(status(evaluatePreflight(facts({ runningUser: customize })), 'deployer'), 'pass');
    const noApex = { ...customize, permissions: { ...customize.permissions, AuthorApex: false } };
    assert.equal(status(evaluatePreflight(facts({ runningUser: noApex })), 'deployer'), 'warn');
  });

  it('blocks managed or mismatched components and reports earlier installs as info', () => {
    const conflicting = evaluatePreflight(
      facts({
        components: [
          {
            type: 'CustomField',
            fullName: 'Lead.Coconut_Client_Id__c',
            state: 'mismatch',
            detail: 'exists as Number, package has Text'
          },
          { type: 'CustomObject', fullName: 'Coconut_Appointment__c', state: 'absent' }
        ]
      })
    );
    assert.equal(status(conflicting, 'conflicts'), 'fail');
    assert.match(
      conflicting.checks.find((c) => c.id === 'conflicts')?.message ?? '',
      /Lead\.Coconut_Client_Id__c \(exists as Number/
    );
    const reinstall = evaluatePreflight(
      facts({
        components: [{ type: 'ApexClass', fullName: 'CoconutSyncService', state: 'present' }]
      })
    );
    assert.equal(status(reinstall, 'conflicts'), 'info');
    assert.equal(reinstall.ok, true);
  });

  it('fails low coverage in production, warns in a sandbox, informs when unknown', () => {
    const prod = { ...facts().org, isSandbox: false };
    assert.equal(
      status(evaluatePreflight(facts({ org: prod, orgCoverage: 60 })), 'coverage'),
      'fail'
    );
    assert.equal(status(evaluatePreflight(facts({ orgCoverage: 60 })), 'coverage'), 'warn');
    assert.equal(status(evaluatePreflight(facts({ orgCoverage: null })), 'coverage'), 'info');
    assert.equal(
      status(evaluatePreflight(facts({ org: prod, orgCoverage: 75 })), 'coverage'),
      'pass'
    );
  });

  it('blocks Person Account settings in an org without Person Accounts', () => {
    assert.equal(
      status(
        evaluatePreflight(facts({ unmatchedClientAction: 'PersonAccount' })),
        'person-accounts'
      ),
      'fail'
    );
    assert.equal(
      status(
        evaluatePreflight(facts({ personAccounts: true, unmatchedClientAction: 'PersonAccount' })),
        'person-accounts'
      ),
      'info'
    );
  });

  it('turns unreadable facts into warnings', () => {
    const report = evaluatePreflight(
      facts({
        unknown: [{ what: 'org coverage', why: 'Tooling API query failed: INSUFFICIENT_ACCESS' }]
      })
    );
    assert.equal(report.warnings, 1);
    assert.match(formatPreflight(report), /WARN {2}Could not check: org coverage/);
  });
});

describe('integration user access', () => {
  const installed = [
    { type: 'PermissionSet', fullName: 'Coconut_Integration', state: 'present' as const }
  ];
  it('is not checked before the package is installed', () => {
    assert.equal(
      evaluatePreflight(facts()).checks.some((c) => c.id === 'integration-user-access'),
      false
    );
  });
  it('warns when the installed package permission set is not assigned, passes when it is', () => {
    const missing = evaluatePreflight(
      facts({ components: installed, integrationUser: { ...integration, permissionSets: [] } })
    );
    assert.equal(status(missing, 'integration-user-access'), 'warn');
    assert.equal(missing.ok, true);
    const assigned = evaluatePreflight(
      facts({
        components: installed,
        integrationUser: { ...integration, permissionSets: ['Coconut_Integration'] }
      })
    );
    assert.equal(status(assigned, 'integration-user-access'), 'pass');
  });
});

describe('orgKind', () => {
  it('tells production, sandbox and scratch orgs apart', () => {
    assert.equal(orgKind({ isSandbox: false, trialExpirationDate: null }), 'production');
    assert.equal(orgKind({ isSandbox: true, trialExpirationDate: null }), 'sandbox');
    assert.equal(
      orgKind({ isSandbox: true, trialExpirationDate: '2026-12-06T00:00:00.000+0000' }),
      'scratch'
    );
    assert.equal(
      orgKind({ isSandbox: false, trialExpirationDate: '2026-12-06T00:00:00.000+0000' }),
      'scratch'
    );
  });
});
