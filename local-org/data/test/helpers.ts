import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { Org, type OrgOptions } from '../index.ts';

export const FIXTURE = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '__fixtures__',
  'project'
);
export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** A fresh org over the fixture project with a fixed clock (2026-03-15T17:30:00Z, a Sunday). */
export function fixtureOrg(opts: OrgOptions = {}): Org {
  return Org.loadSync(FIXTURE, { now: () => new Date('2026-03-15T17:30:00.000Z'), ...opts });
}

export function ok<T extends { success: boolean; errors: unknown[] }>(results: T[]): T[] {
  for (const r of results)
    if (!r.success) throw new Error(`DML failed: ${JSON.stringify(r.errors)}`);
  return results;
}

/** Creates an active user with the given profile and returns its id. */
export function makeUser(org: Org, profile: string, last = 'Tester'): string {
  const [r] = ok(
    org.insert('User', [
      {
        Username: `${last.toLowerCase()}${Math.random().toString(36).slice(2, 8)}@example.com`,
        LastName: last,
        Email: `${last.toLowerCase()}@example.com`,
        Alias: last.slice(0, 8),
        ProfileId: org.profileIds[profile],
        TimeZoneSidKey: 'America/Los_Angeles',
        LocaleSidKey: 'en_US',
        LanguageLocaleKey: 'en_US',
        EmailEncodingKey: 'UTF-8'
      }
    ])
  );
  return r!.id!;
}

export function assignPermissionSet(org: Org, userId: string, name: string): void {
  const ps = org.query('SELECT Id FROM PermissionSet WHERE Name = :n', { n: name }).records[0];
  if (!ps) throw new Error(`no permission set ${name}`);
  ok(org.insert('PermissionSetAssignment', [{ AssigneeId: userId, PermissionSetId: ps.Id }]));
}
