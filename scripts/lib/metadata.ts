/**
 * Metadata API operations through @salesforce/source-deploy-retrieve: retrieve members in
 * Metadata API format (bytes as the org returns them), deploy a Metadata-format folder (with
 * destructive changes), validate the package source check-only, and quick-deploy a validation.
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Connection } from '@salesforce/core';
import {
  ComponentSet,
  MetadataApiDeploy,
  type MetadataApiDeployStatus,
  RequestStatus
} from '@salesforce/source-deploy-retrieve';
import type { Member } from './backup-plan.ts';
import { CliError } from './output.ts';

/** Poll every half second (SDR keeps its default 60-minute timeout). */
const POLL_MS = 500;

export type TestLevel = 'NoTestRun' | 'RunLocalTests' | 'RunSpecifiedTests' | 'RunAllTestsInOrg';

/**
 * Retrieves `members` into `<outDir>/metadata/` (Metadata API format with its package.xml) and
 * returns the members the org actually had. Missing members are not an error: Salesforce answers
 * with a warning and leaves them out, which is how a backup learns what did not exist.
 */
export async function retrieveMembers(
  connection: Connection,
  members: Member[],
  outDir: string
): Promise<Member[]> {
  await mkdir(outDir, { recursive: true });
  if (members.length === 0) {
    await mkdir(join(outDir, 'metadata'), { recursive: true });
    return [];
  }
  const set = new ComponentSet(members.map((m) => ({ fullName: m.fullName, type: m.type })));
  set.apiVersion = connection.getApiVersion();
  const retrieve = await set.retrieve({
    usernameOrConnection: connection,
    output: outDir,
    format: 'metadata',
    unzip: true,
    zipFileName: 'metadata.zip',
    singlePackage: true
  });
  const result = await retrieve.pollStatus(POLL_MS);
  const status = result.response;
  if (status.status !== RequestStatus.Succeeded) {
    throw new CliError(
      'RetrieveFailed',
      `Retrieving ${members.length} component(s) failed (status ${status.status}).`,
      {
        action:
          'Check the running user can read metadata (Modify Metadata or Customize Application) and retry.'
      }
    );
  }
  await rm(join(outDir, 'metadata.zip'), { force: true });
  const props = Array.isArray(status.fileProperties)
    ? status.fileProperties
    : status.fileProperties
      ? [status.fileProperties]
      : [];
  return props
    .filter((p) => p.type !== 'Package')
    .map((p) => ({ type: p.type, fullName: p.fullName }));
}

export interface DeployOutcome {
  id: string;
  success: boolean;
  status: MetadataApiDeployStatus;
}

async function finish(
  deploy: MetadataApiDeploy,
  onUpdate?: (s: MetadataApiDeployStatus) => void
): Promise<DeployOutcome> {
  if (onUpdate) deploy.onUpdate(onUpdate);
  const result = await deploy.pollStatus(POLL_MS);
  return {
    id: result.response.id,
    success: result.response.success === true || String(result.response.success) === 'true',
    status: result.response
  };
}

/** Deploys a Metadata API format folder (package.xml, optional destructiveChanges*.xml). */
export async function deployFolder(
  connection: Connection,
  mdapiPath: string,
  options: {
    testLevel?: TestLevel;
    checkOnly?: boolean;
    onUpdate?: (s: MetadataApiDeployStatus) => void;
  } = {}
): Promise<DeployOutcome> {
  const deploy = new MetadataApiDeploy({
    usernameOrConnection: connection,
    mdapiPath,
    apiOptions: {
      checkOnly: options.checkOnly ?? false,
      rollbackOnError: true,
      ...(options.testLevel ? { testLevel: options.testLevel } : {})
    }
  });
  await deploy.start();
  return finish(deploy, options.onUpdate);
}

/** Validates (check-only) or deploys the package source. */
export async function deploySource(
  connection: Connection,
  components: ComponentSet,
  options: {
    checkOnly: boolean;
    testLevel: TestLevel;
    onUpdate?: (s: MetadataApiDeployStatus) => void;
  }
): Promise<DeployOutcome> {
  const deploy = await components.deploy({
    usernameOrConnection: connection,
    apiOptions: {
      checkOnly: options.checkOnly,
      testLevel: options.testLevel,
      rollbackOnError: true
    }
  });
  return finish(deploy, options.onUpdate);
}

/** Quick deploy: deploys a successful check-only validation without running tests again. */
export async function quickDeploy(
  connection: Connection,
  validationId: string,
  onUpdate?: (s: MetadataApiDeployStatus) => void
): Promise<DeployOutcome> {
  const validated = new MetadataApiDeploy({ usernameOrConnection: connection, id: validationId });
  const id = await validated.deployRecentValidation(false);
  return finish(new MetadataApiDeploy({ usernameOrConnection: connection, id }), onUpdate);
}
