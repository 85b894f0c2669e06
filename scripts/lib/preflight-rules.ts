/**
 * Preflight rules: pure functions from facts about an org to a pass/warn/fail report.
 * Fact gathering (SOQL, Tooling, describe) lives in ./preflight-facts.ts.
 */

export const SUPPORTED_EDITIONS = [
  'Enterprise Edition',
  'Unlimited Edition',
  'Performance Edition',
  'Developer Edition'
] as const;

export const ORG_COVERAGE_MINIMUM = 75;

export type Permission =
  | 'ApiEnabled'
  | 'ModifyMetadata'
  | 'CustomizeApplication'
  | 'ModifyAllData'
  | 'AuthorApex'
  | 'ViewSetup';

export interface UserFacts {
  username: string;
  found: boolean;
  isActive?: boolean;
  profileName?: string;
  /** Effective permissions (profile ∪ permission sets); a permission missing from the map is unknown. */
  permissions: Partial<Record<Permission, boolean>>;
  permissionSets?: string[];
}

export interface ComponentFact {
  type: string;
  fullName: string;
  /** absent: new; present: same name exists (an earlier install of ours); managed: owned by an installed package; mismatch: same name, incompatible definition */
  state: 'absent' | 'present' | 'managed' | 'mismatch';
  detail?: string;
}

export interface OrgFacts {
  id: string;
  name: string;
  organizationType: string;
  isSandbox: boolean;
  trialExpirationDate: string | null;
  instanceName?: string;
}

export interface PreflightFacts {
  org: OrgFacts;
  runningUser: UserFacts;
  /** Undefined when no integration user was named. */
  integrationUser?: UserFacts;
  components: ComponentFact[];
  /** Org-wide Apex coverage in percent; null when the org has no coverage data yet. */
  orgCoverage: number | null;
  /** Whether Person Accounts are enabled (Account has IsPersonAccount). */
  personAccounts: boolean;
  /** From the package's default settings: what an unmatched client becomes. */
  unmatchedClientAction?: string;
  /** Facts that could not be read, with why (each becomes a warning). */
  unknown?: { what: string; why: string }[];
}

export type CheckStatus = 'pass' | 'warn' | 'fail' | 'info';

export interface Check {
  id: string;
  title: string;
  status: CheckStatus;
  /** What was found and what it means. */
  message: string;
  /** What to do about it (for warn/fail). */
  action?: string;
}

export interface PreflightReport {
  org: { id: string; name: string; edition: string; kind: OrgKind };
  checks: Check[];
  blockers: number;
  warnings: number;
  ok: boolean;
}

export type OrgKind = 'production' | 'sandbox' | 'scratch';

/** Production = not a sandbox and not a scratch/trial org (those carry a TrialExpirationDate). */
export function orgKind(org: Pick<OrgFacts, 'isSandbox' | 'trialExpirationDate'>): OrgKind {
  if (org.trialExpirationDate) return 'scratch';
  return org.isSandbox ? 'sandbox' : 'production';
}

export function checkEdition(org: OrgFacts): Check {
  const supported = (SUPPORTED_EDITIONS as readonly string[]).includes(org.organizationType);
  return supported
    ? {
        id: 'edition',
        title: 'Salesforce edition',
        status: 'pass',
        message: `${org.organizationType} supports the integration (Apex REST and the Metadata API).`
      }
    : {
        id: 'edition',
        title: 'Salesforce edition',
        status: 'fail',
        message: `${org.organizationType || 'An unknown edition'} is not supported: the integration needs Enterprise, Unlimited, Performance or Developer Edition (API access and Apex).`,
        action: 'Upgrade the org to a supported edition, or install into a supported org.'
      };
}

function userLabel(role: string, user: UserFacts): string {
  return `${role} ${user.username}${user.profileName ? ` (profile ${user.profileName})` : ''}`;
}

export function checkApiEnabled(role: 'running user' | 'integration user', user: UserFacts): Check {
  const id = role === 'running user' ? 'running-user-api' : 'integration-user-api';
  const title = `API Enabled for the ${role}`;
  if (!user.found) {
    return {
      id,
      title,
      status: 'fail',
      message: `The ${role} ${user.username} does not exist in this org.`,
      action:
        role === 'integration user'
          ? 'Create the integration user (see "Integration user" in docs/admin-guide.md) or pass the right --integration-user.'
          : 'Log in again with `sf org login web` and pass its alias with --target-org.'
    };
  }
  if (user.isActive === false) {
    return {
      id,
      title,
      status: 'fail',
      message: `The ${userLabel(role, user)} is inactive.`,
      action: 'Activate the user in Setup → Users.'
    };
  }
  const api = user.permissions.ApiEnabled;
  if (api === true)
    return { id, title, status: 'pass', message: `The ${userLabel(role, user)} has API Enabled.` };
  if (api === undefined) {
    return {
      id,
      title,
      status: 'warn',
      message: `Could not read whether the ${userLabel(role, user)} has API Enabled.`,
      action:
        'Check in Setup → Users → the user → Profile / Permission Sets → System Permissions → API Enabled.'
    };
  }
  return {
    id,
    title,
    status: 'fail',
    message: `The ${userLabel(role, user)} does not have API Enabled, so ${
      role === 'running user'
        ? 'this tool cannot deploy or query'
        : 'Coconut cannot call the Salesforce API as this user'
    }.`,
    action: `Grant "API Enabled" to the user's profile or through a permission set${
      role === 'integration user'
        ? ' (the Coconut_Integration permission set does not grant system permissions)'
        : ''
    }.`
  };
}

export function checkDeployer(user: UserFacts): Check {
  const p = user.permissions;
  const title = 'Running user can deploy metadata';
  if (!user.found) {
    return {
      id: 'deployer',
      title,
      status: 'fail',
      message: `User ${user.username} not found.`,
      action: 'Log in again.'
    };
  }
  if (p.ModifyMetadata || p.CustomizeApplication || p.ModifyAllData) {
    const via = p.ModifyAllData
      ? 'Modify All Data'
      : p.ModifyMetadata
        ? 'Modify Metadata Through Metadata API Functions'
        : 'Customize Application';
    const apex = p.AuthorApex === false && !p.ModifyAllData;
    return apex
      ? {
          id: 'deployer',
          title,
          status: 'warn',
          message: `${userLabel('Running user', user)} can deploy metadata (${via}) but lacks Author Apex; deploying Apex classes and triggers may be refused.`,
          action: 'Deploy as a System Administrator, or add Author Apex through a permission set.'
        }
      : {
          id: 'deployer',
          title,
          status: 'pass',
          message: `${userLabel('Running user', user)} can deploy metadata (${via}).`
        };
  }
  if (p.ModifyMetadata === undefined && p.CustomizeApplication === undefined) {
    return {
      id: 'deployer',
      title,
      status: 'warn',
      message: `Could not read the deploy permissions of ${user.username}.`,
      action:
        'Make sure the user has Modify Metadata Through Metadata API Functions or Customize Application.'
    };
  }
  return {
    id: 'deployer',
    title,
    status: 'fail',
    message: `${userLabel('Running user', user)} has neither Modify Metadata Through Metadata API Functions nor Customize Application, so the Metadata API will refuse the deploy.`,
    action:
      'Run the install as a System Administrator, or grant one of these permissions through a permission set.'
  };
}

export function checkComponents(components: ComponentFact[]): Check {
  const title = 'No conflicting components';
  const managed = components.filter((c) => c.state === 'managed');
  const mismatch = components.filter((c) => c.state === 'mismatch');
  const present = components.filter((c) => c.state === 'present');
  const list = (items: ComponentFact[]) =>
    items.map((c) => `${c.type} ${c.fullName}${c.detail ? ` (${c.detail})` : ''}`).join('; ');
  if (managed.length + mismatch.length > 0) {
    return {
      id: 'conflicts',
      title,
      status: 'fail',
      message: `Components with the package's names exist and cannot be replaced: ${list([...managed, ...mismatch])}.`,
      action:
        'Rename or delete these components (a managed package must be uninstalled), then run preflight again. A field whose type differs must be deleted before deploying.'
    };
  }
  if (present.length > 0) {
    return {
      id: 'conflicts',
      title,
      status: 'info',
      message: `${present.length} of ${components.length} package components already exist (an earlier install); the deploy will update them. Run \`npm run backup\` first (deploy does it for you).`
    };
  }
  return {
    id: 'conflicts',
    title,
    status: 'pass',
    message: `None of the ${components.length} package components exist yet.`
  };
}

export function checkCoverage(orgCoverage: number | null, kind: OrgKind): Check {
  const title = 'Org-wide Apex coverage';
  if (orgCoverage === null) {
    return {
      id: 'coverage',
      title,
      status: 'info',
      message: 'The org has no coverage data yet (no Apex tests have run).'
    };
  }
  if (orgCoverage >= ORG_COVERAGE_MINIMUM) {
    return {
      id: 'coverage',
      title,
      status: 'pass',
      message: `Org-wide coverage is ${orgCoverage}% (production deploys need ${ORG_COVERAGE_MINIMUM}%).`
    };
  }
  return {
    id: 'coverage',
    title,
    status: kind === 'production' ? 'fail' : 'warn',
    message: `Org-wide coverage is ${orgCoverage}%, under the ${ORG_COVERAGE_MINIMUM}% Salesforce requires for production deploys; the package's own tests may not lift it enough.`,
    action:
      "Raise the coverage of the org's existing Apex (or remove unused classes) before deploying to production."
  };
}

export function checkPersonAccounts(
  personAccounts: boolean,
  unmatchedClientAction?: string
): Check {
  const title = 'Person Accounts';
  if (!personAccounts && unmatchedClientAction === 'PersonAccount') {
    return {
      id: 'person-accounts',
      title,
      status: 'fail',
      message:
        'Person Accounts are off, but the package settings create unmatched clients as Person Accounts.',
      action:
        'Set Coconut_Settings__mdt.Default Unmatched_Client_Action__c to Lead or Contact, or enable Person Accounts.'
    };
  }
  return {
    id: 'person-accounts',
    title,
    status: 'info',
    message: personAccounts
      ? 'Person Accounts are on: appointments show on person accounts too, and unmatched clients can become Person Accounts.'
      : 'Person Accounts are off: appointments link to Leads, Contacts, Accounts and Opportunities.'
  };
}

export const INTEGRATION_PERMISSION_SET = 'Coconut_Integration';

/**
 * Once the package is in the org, the integration user needs its permission set; before that
 * there is nothing to assign yet.
 */
export function checkIntegrationAccess(
  user: UserFacts | undefined,
  components: ComponentFact[]
): Check | undefined {
  if (!user?.found) return undefined;
  const installed = components.some(
    (c) =>
      c.type === 'PermissionSet' &&
      c.fullName === INTEGRATION_PERMISSION_SET &&
      c.state === 'present'
  );
  if (!installed) return undefined;
  const has = user.permissionSets?.includes(INTEGRATION_PERMISSION_SET) ?? false;
  return has
    ? {
        id: 'integration-user-access',
        title: 'Integration user has Coconut_Integration',
        status: 'pass',
        message: `${user.username} has the ${INTEGRATION_PERMISSION_SET} permission set.`
      }
    : {
        id: 'integration-user-access',
        title: 'Integration user has Coconut_Integration',
        status: 'warn',
        message: `${user.username} does not have the ${INTEGRATION_PERMISSION_SET} permission set, so Coconut's calls will be refused.`,
        action: `Assign it: npm run deploy -- --target-org <alias> --integration-user ${user.username}, or Setup → Permission Sets.`
      };
}

export function evaluatePreflight(facts: PreflightFacts): PreflightReport {
  const kind = orgKind(facts.org);
  const checks: Check[] = [
    checkEdition(facts.org),
    checkApiEnabled('running user', facts.runningUser),
    facts.integrationUser
      ? checkApiEnabled('integration user', facts.integrationUser)
      : {
          id: 'integration-user-api',
          title: 'API Enabled for the integration user',
          status: 'warn',
          message: 'No integration user named, so it was not checked.',
          action: 'Pass --integration-user <username> (the user Coconut logs in as).'
        },
    ...[checkIntegrationAccess(facts.integrationUser, facts.components)].filter(
      (c): c is Check => c !== undefined
    ),
    checkDeployer(facts.runningUser),
    checkComponents(facts.components),
    checkCoverage(facts.orgCoverage, kind),
    checkPersonAccounts(facts.personAccounts, facts.unmatchedClientAction),
    ...(facts.unknown ?? []).map((u): Check => ({
      id: 'unknown',
      title: `Could not check: ${u.what}`,
      status: 'warn',
      message: u.why,
      action: 'Check it by hand in Setup, or rerun with a user that can read it.'
    }))
  ];
  const blockers = checks.filter((c) => c.status === 'fail').length;
  const warnings = checks.filter((c) => c.status === 'warn').length;
  return {
    org: { id: facts.org.id, name: facts.org.name, edition: facts.org.organizationType, kind },
    checks,
    blockers,
    warnings,
    ok: blockers === 0
  };
}

const MARK: Record<CheckStatus, string> = {
  pass: 'PASS',
  warn: 'WARN',
  fail: 'FAIL',
  info: 'INFO'
};

export function formatPreflight(report: PreflightReport): string {
  const lines = [
    `Preflight for ${report.org.name} (${report.org.id}) — ${report.org.edition}, ${report.org.kind}`,
    ''
  ];
  for (const check of report.checks) {
    lines.push(`${MARK[check.status]}  ${check.title}`);
    lines.push(`      ${check.message}`);
    if (check.action && (check.status === 'fail' || check.status === 'warn'))
      lines.push(`      → ${check.action}`);
  }
  lines.push('');
  lines.push(
    report.ok
      ? `Ready: no blockers${report.warnings ? `, ${report.warnings} warning(s) to review` : ''}. Next: npm run deploy -- --target-org <alias>`
      : `Not ready: ${report.blockers} blocker(s). Fix the FAIL items above and run preflight again.`
  );
  return lines.join('\n');
}
