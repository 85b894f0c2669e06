/**
 * Permission set assignment: idempotent (an existing assignment is reported, not duplicated).
 */
import { soqlString, type OrgApi } from './org.ts';
import { errorMessage } from './output.ts';

export interface AssignmentResult {
  permissionSet: string;
  username: string;
  status: 'assigned' | 'already assigned' | 'no such permission set' | 'no such user' | 'failed';
  message?: string;
}

export async function assignPermissionSets(
  api: OrgApi,
  username: string,
  names: string[]
): Promise<AssignmentResult[]> {
  if (names.length === 0) return [];
  const [user] = await api.query<{ Id: string }>(
    `SELECT Id FROM User WHERE Username = ${soqlString(username)}`
  );
  if (!user)
    return names.map((permissionSet) => ({ permissionSet, username, status: 'no such user' }));
  const sets = await api.query<{ Id: string; Name: string }>(
    `SELECT Id, Name FROM PermissionSet WHERE Name IN (${names.map(soqlString).join(', ')})`
  );
  const existing = await api.query<{ PermissionSetId: string }>(
    `SELECT PermissionSetId FROM PermissionSetAssignment WHERE AssigneeId = ${soqlString(user.Id)}`
  );
  const assigned = new Set(existing.map((r) => r.PermissionSetId));
  const results: AssignmentResult[] = [];
  for (const name of names) {
    const set = sets.find((s) => s.Name === name);
    if (!set) {
      results.push({ permissionSet: name, username, status: 'no such permission set' });
    } else if (assigned.has(set.Id)) {
      results.push({ permissionSet: name, username, status: 'already assigned' });
    } else {
      try {
        await api.create('PermissionSetAssignment', {
          AssigneeId: user.Id,
          PermissionSetId: set.Id
        });
        results.push({ permissionSet: name, username, status: 'assigned' });
      } catch (err) {
        results.push({
          permissionSet: name,
          username,
          status: 'failed',
          message: errorMessage(err)
        });
      }
    }
  }
  return results;
}
