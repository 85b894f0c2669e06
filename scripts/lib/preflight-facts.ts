/**
 * Gathering preflight facts from an org: SOQL on Organization, User, Profile and
 * PermissionSetAssignment → PermissionSet permissions; Tooling ApexOrgWideCoverage; describe of
 * Account (Person Accounts) and of the objects the package adds fields to; listMetadata for
 * components that already exist.
 */
import type { Member } from './backup-plan.ts';
import { readOrgFacts, soqlString, type OrgApi } from './org.ts';
import { errorMessage } from './output.ts';
import type { ComponentFact, Permission, PreflightFacts, UserFacts } from './preflight-rules.ts';

const PERMISSIONS: Permission[] = [
  'ApiEnabled',
  'ModifyMetadata',
  'CustomizeApplication',
  'ModifyAllData',
  'AuthorApex'
];

type Row = Record<string, unknown>;

/** Runs a query with all permission fields; if the org rejects one, asks for each field alone. */
async function permissionRows(
  api: OrgApi,
  build: (fields: string[]) => string,
  prefix: string
): Promise<{ rows: Row[]; readable: Permission[] }> {
  const fields = PERMISSIONS.map((p) => `${prefix}Permissions${p}`);
  try {
    return { rows: await api.query<Row>(build(fields)), readable: PERMISSIONS };
  } catch {
    const merged: Row[] = [];
    const readable: Permission[] = [];
    for (const [index, field] of fields.entries()) {
      try {
        const rows = await api.query<Row>(build([field]));
        readable.push(PERMISSIONS[index]);
        rows.forEach((row, i) => (merged[i] = { ...(merged[i] ?? {}), ...row }));
      } catch {
        // This permission field is not readable here; it stays unknown.
      }
    }
    return { rows: merged, readable };
  }
}

function flag(row: Row, path: string): boolean {
  let value: unknown = row;
  for (const part of path.split('.')) value = (value as Row | null | undefined)?.[part];
  return value === true || value === 'true';
}

interface UserRow {
  Id: string;
  Username: string;
  IsActive: boolean;
  ProfileId: string;
  Profile?: { Name?: string } | null;
}

export async function readUserFacts(api: OrgApi, username: string): Promise<UserFacts> {
  const [user] = await api.query<UserRow>(
    `SELECT Id, Username, IsActive, ProfileId, Profile.Name FROM User WHERE Username = ${soqlString(username)}`
  );
  if (!user) return { username, found: false, permissions: {} };
  const permissions: Partial<Record<Permission, boolean>> = {};
  const profile = await permissionRows(
    api,
    (fields) => `SELECT ${fields.join(', ')} FROM Profile WHERE Id = ${soqlString(user.ProfileId)}`,
    ''
  );
  const assigned = await permissionRows(
    api,
    (fields) =>
      `SELECT PermissionSet.Name, PermissionSet.IsOwnedByProfile, ${fields.join(', ')} FROM PermissionSetAssignment WHERE AssigneeId = ${soqlString(user.Id)}`,
    'PermissionSet.'
  );
  for (const permission of PERMISSIONS) {
    const known = profile.readable.includes(permission) || assigned.readable.includes(permission);
    if (!known) continue;
    permissions[permission] =
      profile.rows.some((r) => flag(r, `Permissions${permission}`)) ||
      assigned.rows.some((r) => flag(r, `PermissionSet.Permissions${permission}`));
  }
  const permissionSets = assigned.rows
    .filter((r) => !flag(r, 'PermissionSet.IsOwnedByProfile'))
    .map((r) => String((r.PermissionSet as Row | undefined)?.Name ?? ''))
    .filter((n) => n !== '');
  return {
    username: user.Username,
    found: true,
    isActive: user.IsActive !== false,
    profileName: user.Profile?.Name ?? undefined,
    permissions,
    permissionSets
  };
}

/** Maps Metadata API field types to the describe types they come out as. */
const DESCRIBE_TYPES: Record<string, string[]> = {
  Text: ['string'],
  TextArea: ['textarea'],
  LongTextArea: ['textarea'],
  Html: ['textarea'],
  Email: ['email'],
  Phone: ['phone'],
  Url: ['url'],
  Number: ['double', 'int'],
  Currency: ['currency'],
  Percent: ['percent'],
  Checkbox: ['boolean'],
  Date: ['date'],
  DateTime: ['datetime'],
  Time: ['time'],
  Picklist: ['picklist'],
  MultiselectPicklist: ['multipicklist'],
  Lookup: ['reference'],
  MasterDetail: ['reference'],
  AutoNumber: ['string'],
  Summary: ['double', 'int', 'currency', 'datetime', 'date', 'percent']
};

const MANAGED_STATES = new Set([
  'installed',
  'installedEditable',
  'released',
  'beta',
  'deprecated',
  'deprecatedEditable'
]);

/**
 * For every package component: does it exist, is it owned by an installed package, and — for
 * fields — does the existing field have a compatible type.
 */
export async function readComponentFacts(
  api: OrgApi,
  members: Member[],
  fieldTypes: Map<string, string>
): Promise<ComponentFact[]> {
  const types = [...new Set(members.map((m) => m.type))].sort();
  const existing = new Map(
    (await api.listMetadata(types)).map((p) => [`${p.type}:${p.fullName}`, p])
  );
  const describes = new Map<string, Map<string, string> | null>();
  async function fieldType(object: string, field: string): Promise<string | undefined> {
    if (!describes.has(object)) {
      const fields = await api.describeFields(object);
      describes.set(
        object,
        fields ? new Map(fields.map((f) => [f.name.toLowerCase(), f.type])) : null
      );
    }
    return describes.get(object)?.get(field.toLowerCase());
  }
  const facts: ComponentFact[] = [];
  for (const member of members) {
    const found = existing.get(`${member.type}:${member.fullName}`);
    if (!found) {
      facts.push({ ...member, state: 'absent' });
      continue;
    }
    if (
      found.namespacePrefix ||
      (found.manageableState && MANAGED_STATES.has(found.manageableState))
    ) {
      facts.push({
        ...member,
        state: 'managed',
        detail: `belongs to installed package ${found.namespacePrefix ?? found.manageableState}`
      });
      continue;
    }
    facts.push({ ...member, state: 'present' });
  }
  // Fields (incl. those inside the package's objects) whose existing type differs.
  for (const [fullName, sourceType] of fieldTypes) {
    const [object, field] = fullName.split('.');
    const orgType = await fieldType(object, field);
    if (orgType === undefined) continue;
    const compatible = DESCRIBE_TYPES[sourceType];
    if (compatible && !compatible.includes(orgType)) {
      const fact: ComponentFact = {
        type: 'CustomField',
        fullName,
        state: 'mismatch',
        detail: `exists as ${orgType}, the package defines ${sourceType}`
      };
      const index = facts.findIndex((f) => f.type === 'CustomField' && f.fullName === fullName);
      if (index >= 0) facts[index] = fact;
      else facts.push(fact);
    }
  }
  return facts;
}

export interface GatherOptions {
  integrationUsername?: string;
  members: Member[];
  fieldTypes: Map<string, string>;
  unmatchedClientAction?: string;
}

export async function gatherPreflightFacts(
  api: OrgApi,
  options: GatherOptions
): Promise<PreflightFacts> {
  const unknown: { what: string; why: string }[] = [];
  const org = await readOrgFacts(api);
  const runningUser = await readUserFacts(api, api.username);
  const integrationUser = options.integrationUsername
    ? await readUserFacts(api, options.integrationUsername)
    : undefined;

  let components: ComponentFact[] = [];
  try {
    components = await readComponentFacts(api, options.members, options.fieldTypes);
  } catch (err) {
    unknown.push({
      what: 'existing components',
      why: `listMetadata/describe failed: ${errorMessage(err)}`
    });
  }

  let orgCoverage: number | null = null;
  try {
    const [row] = await api.toolingQuery<{ PercentCovered: number | null }>(
      'SELECT PercentCovered FROM ApexOrgWideCoverage'
    );
    // With no test run yet the org reports 0%; that means "no data", not "nothing covered".
    const measured =
      (await api.toolingQuery<{ Id: string }>('SELECT Id FROM ApexCodeCoverageAggregate LIMIT 1'))
        .length > 0;
    orgCoverage =
      measured && row && row.PercentCovered !== null && row.PercentCovered !== undefined
        ? Number(row.PercentCovered)
        : null;
  } catch (err) {
    unknown.push({
      what: 'org-wide Apex coverage',
      why: `Tooling query on ApexOrgWideCoverage failed: ${errorMessage(err)}`
    });
  }

  let personAccounts = false;
  const account = await api.describeFields('Account');
  if (account) personAccounts = account.some((f) => f.name === 'IsPersonAccount');
  else unknown.push({ what: 'Person Accounts', why: 'Account could not be described.' });

  return {
    org,
    runningUser,
    integrationUser,
    components,
    orgCoverage,
    personAccounts,
    unmatchedClientAction: options.unmatchedClientAction,
    unknown
  };
}
