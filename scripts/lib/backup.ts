/**
 * Taking a backup and restoring one, against an org (see ./backup-plan.ts for the plan itself).
 */
import { cp, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Connection } from '@salesforce/core';
import {
  backupFolderName,
  classifyRetrieved,
  packageXml,
  planRestore,
  sortMembers,
  type BackupManifest,
  type Member,
  type RestorePlan
} from './backup-plan.ts';
import { deployFolder, retrieveMembers, type DeployOutcome } from './metadata.ts';
import { CliError } from './output.ts';
import type { OrgFacts } from './preflight-rules.ts';

export interface BackupRequest {
  connection: Connection;
  org: Pick<OrgFacts, 'id' | 'name'>;
  projectDir: string;
  members: Member[];
  purpose: string;
  packageHash?: string;
  now?: Date;
}

export interface Backup {
  dir: string;
  manifest: BackupManifest;
}

export async function takeBackup(request: BackupRequest): Promise<Backup> {
  const now = request.now ?? new Date();
  const dir = join(request.projectDir, 'backups', request.org.id, backupFolderName(now));
  await mkdir(dir, { recursive: true });
  const requested = sortMembers(request.members);
  const retrieved = await retrieveMembers(request.connection, requested, dir);
  const { existed, absent } = classifyRetrieved(requested, retrieved);
  const manifest: BackupManifest = {
    formatVersion: 1,
    orgId: request.org.id,
    orgName: request.org.name,
    username: request.connection.getUsername(),
    instanceUrl: request.connection.instanceUrl,
    apiVersion: request.connection.getApiVersion(),
    createdAt: now.toISOString(),
    purpose: request.purpose,
    ...(request.packageHash ? { packageHash: request.packageHash } : {}),
    requested,
    existed,
    absent
  };
  await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  // What the backup holds, as a deployable manifest (metadata/package.xml is the retrieve request).
  await writeFile(join(dir, 'package.xml'), packageXml(existed, manifest.apiVersion));
  return { dir, manifest };
}

/** Reads a backup folder (or its manifest.json) and checks it belongs to the target org. */
export async function readBackup(path: string, orgId: string): Promise<Backup> {
  let dir = resolve(path);
  if (dir.endsWith('manifest.json')) dir = resolve(dir, '..');
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as BackupManifest;
  } catch {
    throw new CliError('BackupNotFound', `No backup manifest at ${join(dir, 'manifest.json')}.`, {
      action: 'Pass --from backups/<org id>/<timestamp> (list them with `ls backups/<org id>`).',
      exitCode: 2
    });
  }
  if (manifest.orgId !== orgId) {
    throw new CliError(
      'BackupOfAnotherOrg',
      `This backup was taken from org ${manifest.orgId}, not the target org ${orgId}.`,
      {
        action:
          'Choose a backup under backups/<target org id>/, or the --target-org the backup came from.',
        exitCode: 2
      }
    );
  }
  return { dir, manifest };
}

/** Plans a restore: asks the org which of the components absent at backup time exist now. */
export async function planRestoreFor(connection: Connection, backup: Backup): Promise<RestorePlan> {
  const scratch = await mkdtemp(join(tmpdir(), 'coconut-restore-check-'));
  try {
    const existsNow = await retrieveMembers(connection, backup.manifest.absent, scratch);
    return planRestore(backup.manifest, existsNow);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false
  );
}

/**
 * Carries out a restore plan: one deploy of the backed-up files (package.xml listing what existed)
 * with destructiveChangesPost.xml for what was added, so the org changes all at once or not at all.
 */
export async function executeRestore(
  connection: Connection,
  backup: Backup,
  plan: RestorePlan,
  options: { production: boolean }
): Promise<DeployOutcome | undefined> {
  if (plan.redeploy.length === 0 && plan.delete.length === 0) return undefined;
  const work = await mkdtemp(join(tmpdir(), 'coconut-restore-'));
  try {
    const source = join(backup.dir, 'metadata');
    if (await exists(source)) await cp(source, work, { recursive: true });
    await writeFile(
      join(work, 'package.xml'),
      packageXml(plan.redeploy, backup.manifest.apiVersion)
    );
    if (plan.delete.length > 0)
      await writeFile(join(work, 'destructiveChangesPost.xml'), packageXml(plan.delete));
    const touchesApex = [...plan.redeploy, ...plan.delete].some(
      (m) => m.type === 'ApexClass' || m.type === 'ApexTrigger'
    );
    return await deployFolder(connection, work, {
      testLevel: options.production && touchesApex ? 'RunLocalTests' : 'NoTestRun'
    });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
