import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FieldDescribe, FileProperty, OrgApi } from './org.ts';
import { gatherPreflightFacts, readComponentFacts, readUserFacts } from './preflight-facts.ts';
import { evaluatePreflight } from './preflight-rules.ts';

interface FakeOrg {
  organization: Record<string, unknown>;
  users: {
    Id: string;
    Username: string;
    IsActive: boolean;
    ProfileId: string;
    Profile: { Name: string };
  }[];
  profiles: Record<string, Record<string, boolean>>;
  assignments: Record<string, { PermissionSet: Record<string, unknown> }[]>;
  /** Permission fields the org rejects in SOQL (as an org without that permission would). */
  unknownFields?: string[];
  coverage?: number | null | Error;
  describes: Record<string, FieldDescribe[]>;
  metadata: FileProperty[];
}

function fakeApi(org: FakeOrg, username = 'admin@bank.example'): OrgApi & { queries: string[] } {
  const queries: string[] = [];
  const idIn = (soql: string) => /= '([^']+)'/.exec(soql)?.[1] ?? '';
  return {
    username,
    instanceUrl: 'https://bank.my.salesforce.com',
    apiVersion: '62.0',
    orgId: String(org.organization.Id),
    queries,
    async query<T>(soql: string): Promise<T[]> {
      queries.push(soql);
      for (const field of org.unknownFields ?? []) {
        if (soql.includes(field)) throw new Error(`INVALID_FIELD: No such column '${field}'`);
      }
      if (soql.includes('FROM Organization')) return [org.organization as T];
      if (soql.includes('FROM User '))
        return org.users.filter((u) => u.Username === idIn(soql)) as T[];
      if (soql.includes('FROM Profile ')) {
        const perms = org.profiles[idIn(soql)] ?? {};
        const row: Record<string, boolean> = {};
        for (const [k, v] of Object.entries(perms)) if (soql.includes(k)) row[k] = v;
        return [row as T];
      }
      if (soql.includes('FROM PermissionSetAssignment'))
        return (org.assignments[idIn(soql)] ?? []) as T[];
      throw new Error(`unexpected query ${soql}`);
    },
    async toolingQuery<T>(soql: string): Promise<T[]> {
      if (org.coverage instanceof Error) throw org.coverage;
      if (soql === 'SELECT Id FROM ApexCodeCoverageAggregate LIMIT 1') {
        return org.coverage === undefined || org.coverage === 0
          ? []
          : [{ Id: '715000000000001' } as T];
      }
      assert.equal(soql, 'SELECT PercentCovered FROM ApexOrgWideCoverage');
      return [{ PercentCovered: org.coverage ?? 0 } as T];
    },
    async describeFields(sobject: string) {
      return org.describes[sobject] ?? null;
    },
    async listMetadata(types: string[]) {
      return org.metadata.filter((p) => types.includes(p.type));
    },
    async apexRest() {
      throw new Error('not used');
    },
    async create() {
      throw new Error('not used');
    }
  };
}

function bank(overrides: Partial<FakeOrg> = {}): FakeOrg {
  return {
    organization: {
      Id: '00D5g000000BANK',
      Name: 'Bank UAT',
      OrganizationType: 'Enterprise Edition',
      IsSandbox: true,
      TrialExpirationDate: null
    },
    users: [
      {
        Id: '005ADMIN',
        Username: 'admin@bank.example',
        IsActive: true,
        ProfileId: '00eADMIN',
        Profile: { Name: 'System Administrator' }
      },
      {
        Id: '005INTEG',
        Username: 'coconut@bank.example',
        IsActive: true,
        ProfileId: '00eMIN',
        Profile: { Name: 'Minimum Access - Salesforce' }
      }
    ],
    profiles: {
      '00eADMIN': {
        PermissionsApiEnabled: true,
        PermissionsModifyMetadata: true,
        PermissionsCustomizeApplication: true,
        PermissionsModifyAllData: true,
        PermissionsAuthorApex: true
      },
      '00eMIN': {
        PermissionsApiEnabled: false,
        PermissionsModifyMetadata: false,
        PermissionsCustomizeApplication: false,
        PermissionsModifyAllData: false,
        PermissionsAuthorApex: false
      }
    },
    assignments: {
      '005INTEG': [
        {
          PermissionSet: { Name: 'X00eMIN', IsOwnedByProfile: true, PermissionsApiEnabled: false }
        },
        {
          PermissionSet: {
            Name: 'Coconut_Integration',
            IsOwnedByProfile: false,
            PermissionsApiEnabled: false
          }
        },
        {
          PermissionSet: {
            Name: 'Api_Access',
            IsOwnedByProfile: false,
            PermissionsApiEnabled: true
          }
        }
      ]
    },
    coverage: 88,
    describes: {
      Account: [
        { name: 'Id', type: 'id' },
        { name: 'Name', type: 'string' }
      ],
      Lead: [{ name: 'Widget_Code__c', type: 'string' }]
    },
    metadata: [
      { type: 'CustomField', fullName: 'Lead.Widget_Code__c' },
      { type: 'ApexClass', fullName: 'SomethingElse' }
    ],
    ...overrides
  };
}

const members = [
  { type: 'ApexClass', fullName: 'WidgetService' },
  { type: 'CustomField', fullName: 'Lead.Widget_Code__c' }
];
const fieldTypes = new Map([['Lead.Widget_Code__c', 'Text']]);

describe('readUserFacts', () => {
  it('combines profile and permission-set permissions', async () => {
    const user = await readUserFacts(fakeApi(bank()), 'coconut@bank.example');
    assert.equal(user.found, true);
    assert.equal(user.profileName, 'Minimum Access - Salesforce');
    assert.equal(user.permissions.ApiEnabled, true, 'granted by the Api_Access permission set');
    assert.equal(user.permissions.ModifyMetadata, false);
    assert.deepEqual(user.permissionSets, ['Coconut_Integration', 'Api_Access']);
  });

  it('reports a user that does not exist, and escapes the username in SOQL', async () => {
    const api = fakeApi(bank());
    const user = await readUserFacts(api, "o'brien@bank.example");
    assert.equal(user.found, false);
    assert.ok(api.queries[0].endsWith("WHERE Username = 'o\\'brien@bank.example'"));
  });

  it('leaves a permission unknown when the org cannot read that field, keeping the others', async () => {
    const user = await readUserFacts(
      fakeApi(bank({ unknownFields: ['PermissionsModifyMetadata'] })),
      'admin@bank.example'
    );
    assert.equal(user.permissions.ModifyMetadata, undefined);
    assert.equal(user.permissions.ApiEnabled, true);
    assert.equal(user.permissions.CustomizeApplication, true);
  });
});

describe('readComponentFacts', () => {
  it('marks existing, absent, managed and mismatched components', async () => {
    const org = bank({
      metadata: [
        { type: 'CustomField', fullName: 'Lead.Widget_Code__c' },
        {
          type: 'ApexClass',
          fullName: 'WidgetService',
          namespacePrefix: 'acme',
          manageableState: 'installed'
        }
      ],
      describes: { Lead: [{ name: 'Widget_Code__c', type: 'double' }] }
    });
    const facts = await readComponentFacts(fakeApi(org), members, fieldTypes);
    assert.deepEqual(facts, [
      {
        type: 'ApexClass',
        fullName: 'WidgetService',
        state: 'managed',
        detail: 'belongs to installed package acme'
      },
      {
        type: 'CustomField',
        fullName: 'Lead.Widget_Code__c',
        state: 'mismatch',
        detail: 'exists as double, the package defines Text'
      }
    ]);
  });
});

describe('gatherPreflightFacts → evaluatePreflight', () => {
  it('reads 0% without any coverage rows as "no data yet"', async () => {
    const facts = await gatherPreflightFacts(fakeApi(bank({ coverage: 0 })), {
      members,
      fieldTypes
    });
    assert.equal(facts.orgCoverage, null);
  });

  it('passes a healthy sandbox', async () => {
    const facts = await gatherPreflightFacts(fakeApi(bank()), {
      integrationUsername: 'coconut@bank.example',
      members,
      fieldTypes,
      unmatchedClientAction: 'Lead'
    });
    assert.equal(facts.org.organizationType, 'Enterprise Edition');
    assert.equal(facts.orgCoverage, 88);
    assert.equal(facts.personAccounts, false);
    assert.deepEqual(
      facts.components.map((c) => c.state),
      ['absent', 'present']
    );
    const report = evaluatePreflight(facts);
    assert.equal(report.ok, true, JSON.stringify(report.checks, null, 2));
  });

  it('catches an unsupported edition and an integration user without API Enabled', async () => {
    const org = bank({
      organization: { ...bank().organization, OrganizationType: 'Professional Edition' },
      assignments: {}
    });
    const report = evaluatePreflight(
      await gatherPreflightFacts(fakeApi(org), {
        integrationUsername: 'coconut@bank.example',
        members,
        fieldTypes
      })
    );
    assert.equal(report.ok, false);
    assert.deepEqual(
      report.checks.filter((c) => c.status === 'fail').map((c) => c.id),
      ['edition', 'integration-user-api']
    );
  });

  it('detects Person Accounts and reports unreadable coverage as a warning', async () => {
    const org = bank({
      coverage: new Error('INSUFFICIENT_ACCESS'),
      describes: { Account: [{ name: 'IsPersonAccount', type: 'boolean' }] }
    });
    const facts = await gatherPreflightFacts(fakeApi(org), {
      members,
      fieldTypes,
      unmatchedClientAction: 'PersonAccount'
    });
    assert.equal(facts.personAccounts, true);
    assert.equal(facts.orgCoverage, null);
    const report = evaluatePreflight(facts);
    assert.equal(report.checks.find((c) => c.id === 'person-accounts')?.status, 'info');
    assert.ok(
      report.checks.some((c) => c.status === 'warn' && /org-wide Apex coverage/.test(c.title))
    );
  });
});
