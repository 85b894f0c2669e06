/**
 * The target org: resolved through the sf CLI's own auth store (@salesforce/core Org/AuthInfo, so
 * any alias or username `sf org login …` created works), and a small API surface the commands use.
 * Commands depend on `OrgApi`, not on jsforce directly, so their logic is testable with a fake.
 */
import { Org, type Connection } from '@salesforce/core';
import { CliError, errorMessage } from './output.ts';
import { orgKind, type OrgFacts, type OrgKind } from './preflight-rules.ts';

export interface FileProperty {
  type: string;
  fullName: string;
  namespacePrefix?: string;
  manageableState?: string;
}

export interface FieldDescribe {
  name: string;
  type: string;
}

export interface OrgApi {
  readonly username: string;
  readonly instanceUrl: string;
  readonly apiVersion: string;
  readonly orgId: string;
  query<T>(soql: string): Promise<T[]>;
  toolingQuery<T>(soql: string): Promise<T[]>;
  /** Field describes of an object, or null when the object does not exist in the org. */
  describeFields(sobject: string): Promise<FieldDescribe[] | null>;
  listMetadata(types: string[]): Promise<FileProperty[]>;
  /** Calls the org's Apex REST root (`/services/apexrest` + path) as the connected user. */
  apexRest(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown>;
  /** Inserts one record; throws with Salesforce's message when it is refused. */
  create(sobject: string, record: Record<string, unknown>): Promise<string>;
}

export interface TargetOrg {
  org: Org;
  connection: Connection;
  api: OrgApi;
}

/** SOQL string literal (single quotes and backslashes escaped). */
export function soqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

export function connectionApi(connection: Connection): OrgApi {
  const orgId = connection.getAuthInfoFields().orgId ?? '';
  // Stored instance URLs may end in '/', which would double the slash in every path built on them.
  const instanceUrl = connection.instanceUrl.replace(/\/+$/, '');
  return {
    username: connection.getUsername() ?? '',
    instanceUrl,
    apiVersion: connection.getApiVersion(),
    orgId,
    async query<T>(soql: string): Promise<T[]> {
      return (await connection.autoFetchQuery(soql)).records as T[];
    },
    async toolingQuery<T>(soql: string): Promise<T[]> {
      return (await connection.tooling.query(soql)).records as T[];
    },
    async describeFields(sobject: string): Promise<FieldDescribe[] | null> {
      try {
        const result = await connection.describe(sobject);
        return result.fields.map((f) => ({ name: f.name, type: f.type }));
      } catch (err) {
        if (/NOT_FOUND|INVALID_TYPE|does not exist|not supported/i.test(errorMessage(err)))
          return null;
        throw err;
      }
    },
    async listMetadata(types: string[]): Promise<FileProperty[]> {
      const found: FileProperty[] = [];
      for (let i = 0; i < types.length; i += 3) {
        const batch = types.slice(i, i + 3).map((type) => ({ type }));
        const result = await connection.metadata.list(batch, connection.getApiVersion());
        for (const p of Array.isArray(result) ? result : result ? [result] : []) {
          found.push({
            type: p.type,
            fullName: p.fullName,
            namespacePrefix: p.namespacePrefix || undefined,
            manageableState: p.manageableState || undefined
          });
        }
      }
      return found;
    },
    async apexRest(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
      return connection.request({
        method,
        url: `${instanceUrl}/services/apexrest${path}`,
        ...(body === undefined
          ? {}
          : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } })
      });
    },
    async create(sobject: string, record: Record<string, unknown>): Promise<string> {
      const result = await connection.sobject(sobject).create(record);
      if (!result.success) {
        const errors = (result as { errors?: { message?: string }[] }).errors ?? [];
        throw new Error(
          errors.map((e) => e.message ?? String(e)).join('; ') || `insert of ${sobject} failed`
        );
      }
      return String(result.id);
    }
  };
}

/**
 * Opens the org named by `--target-org` (alias or username), or the sf CLI's default target org.
 */
export async function openTargetOrg(targetOrg: string | undefined): Promise<TargetOrg> {
  let org: Org;
  try {
    org = await Org.create({ aliasOrUsername: targetOrg });
  } catch (err) {
    throw new CliError(
      'NoTargetOrg',
      targetOrg
        ? `No authenticated org "${targetOrg}" is known to the sf CLI (${errorMessage(err)}).`
        : `No target org given and no default set (${errorMessage(err)}).`,
      {
        action: targetOrg
          ? `Log in first: \`npx sf org login web --alias ${targetOrg} --instance-url https://test.salesforce.com\` (sandbox) or https://login.salesforce.com (production), then rerun.`
          : 'Pass --target-org <alias>, or set a default with `npx sf config set target-org <alias>`.',
        exitCode: 2
      }
    );
  }
  const connection = org.getConnection();
  return { org, connection, api: connectionApi(connection) };
}

interface OrganizationRow {
  Id: string;
  Name: string;
  OrganizationType: string;
  IsSandbox: boolean;
  TrialExpirationDate: string | null;
  InstanceName?: string;
}

export async function readOrgFacts(api: OrgApi): Promise<OrgFacts & { kind: OrgKind }> {
  const [row] = await api.query<OrganizationRow>(
    'SELECT Id, Name, OrganizationType, IsSandbox, TrialExpirationDate, InstanceName FROM Organization'
  );
  if (!row)
    throw new CliError('OrgUnreadable', 'The Organization record could not be read.', {
      exitCode: 2
    });
  const facts: OrgFacts = {
    id: row.Id,
    name: row.Name,
    organizationType: row.OrganizationType,
    isSandbox: row.IsSandbox === true,
    trialExpirationDate: row.TrialExpirationDate ?? null,
    instanceName: row.InstanceName
  };
  return { ...facts, kind: orgKind(facts) };
}
