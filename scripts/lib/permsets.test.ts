import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OrgApi } from './org.ts';
import { assignPermissionSets } from './permsets.ts';

function fakeApi(
  existing: string[],
  refuse?: string
): OrgApi & { created: Record<string, unknown>[] } {
  const created: Record<string, unknown>[] = [];
  const sets = [
    { Id: '0PSADMIN', Name: 'Coconut_Admin' },
    { Id: '0PSUSER', Name: 'Coconut_User' }
  ];
  return {
    username: 'admin@bank.example',
    instanceUrl: 'https://bank.my.salesforce.com',
    apiVersion: '62.0',
    orgId: '00D',
    created,
    async query<T>(soql: string): Promise<T[]> {
      if (soql.startsWith('SELECT Id FROM User'))
        return (soql.includes("'admin@bank.example'") ? [{ Id: '005A' }] : []) as T[];
      if (soql.startsWith('SELECT Id, Name FROM PermissionSet'))
        return sets.filter((s) => soql.includes(`'${s.Name}'`)) as T[];
      if (soql.startsWith('SELECT PermissionSetId FROM PermissionSetAssignment'))
        return existing.map((id) => ({ PermissionSetId: id })) as T[];
      throw new Error(`unexpected ${soql}`);
    },
    async toolingQuery() {
      return [];
    },
    async describeFields() {
      return null;
    },
    async listMetadata() {
      return [];
    },
    async apexRest() {
      return null;
    },
    async create(sobject: string, record: Record<string, unknown>) {
      assert.equal(sobject, 'PermissionSetAssignment');
      if (record.PermissionSetId === refuse)
        throw new Error('LICENSE_LIMIT_EXCEEDED: no licenses left');
      created.push(record);
      return '0Pa000000000001';
    }
  };
}

describe('assignPermissionSets', () => {
  it('assigns what is missing, reports what is already there or does not exist', async () => {
    const api = fakeApi(['0PSUSER']);
    const results = await assignPermissionSets(api, 'admin@bank.example', [
      'Coconut_Admin',
      'Coconut_User',
      'Nope'
    ]);
    assert.deepEqual(
      results.map((r) => `${r.permissionSet}:${r.status}`),
      ['Coconut_Admin:assigned', 'Coconut_User:already assigned', 'Nope:no such permission set']
    );
    assert.deepEqual(api.created, [{ AssigneeId: '005A', PermissionSetId: '0PSADMIN' }]);
  });

  it('reports refusals with Salesforce message and unknown users', async () => {
    const refused = await assignPermissionSets(fakeApi([], '0PSADMIN'), 'admin@bank.example', [
      'Coconut_Admin'
    ]);
    assert.equal(refused[0].status, 'failed');
    assert.match(refused[0].message ?? '', /LICENSE_LIMIT_EXCEEDED/);
    const nobody = await assignPermissionSets(fakeApi([]), 'ghost@bank.example', ['Coconut_Admin']);
    assert.equal(nobody[0].status, 'no such user');
  });
});
