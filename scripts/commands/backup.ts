/**
 * `backup`: retrieve everything the next deploy or embed would touch into backups/<orgId>/<timestamp>/.
 */
import type { Command } from 'commander';
import { relative } from 'node:path';
import { sortMembers, type Member } from '../lib/backup-plan.ts';
import { takeBackup, type Backup } from '../lib/backup.ts';
import { discover } from '../lib/embed.ts';
import { planEmbed, planScope, RECORD_OBJECTS } from '../lib/embed-plan.ts';
import { openTargetOrg, readOrgFacts, type TargetOrg } from '../lib/org.ts';
import { runCommand, type Output } from '../lib/output.ts';
import {
  loadProject,
  packageComponents,
  packageHash,
  backupMembers,
  type Project
} from '../lib/project.ts';
import { collect, withCommonOptions, type CommonOptions } from './common.ts';

interface BackupOptions extends CommonOptions {
  scope: 'all' | 'deploy' | 'embed';
  object?: string[];
}

/** Members embed/unembed could change for these objects (assigned pages, org-default activations). */
export async function embedMembers(
  target: TargetOrg,
  objects: readonly string[]
): Promise<Member[]> {
  const { meta } = await discover(target.connection, target.api, objects);
  return planScope(planEmbed(objects, meta));
}

export async function backupFor(
  out: Output,
  project: Project,
  target: TargetOrg,
  scope: BackupOptions['scope'],
  objects: readonly string[]
): Promise<Backup> {
  const org = await readOrgFacts(target.api);
  const members: Member[] = [];
  let hash: string | undefined;
  if (scope !== 'embed') {
    members.push(...backupMembers(packageComponents(project)));
    hash = await packageHash(project);
  }
  if (scope !== 'deploy')
    members.push(
      ...(await out.step('Finding the record pages the embed would change', () =>
        embedMembers(target, objects)
      ))
    );
  return out.step(
    `Retrieving ${sortMembers(members).length} component(s) into backups/${org.id}/`,
    () =>
      takeBackup({
        connection: target.connection,
        org,
        projectDir: project.dir,
        members,
        purpose: scope === 'all' ? 'deploy and embed' : scope,
        packageHash: hash
      })
  );
}

export function describeBackup(backup: Backup, projectDir: string): string {
  const { manifest } = backup;
  const dir = relative(projectDir, backup.dir) || backup.dir;
  return [
    `Backup of ${manifest.orgName ?? manifest.orgId} saved in ${dir}`,
    `  ${manifest.existed.length} component(s) existed and were retrieved (metadata/), ${manifest.absent.length} did not exist yet (listed in manifest.json).`,
    `  To put the org back to this state: npm run restore -- --target-org <alias> --from ${dir}`
  ].join('\n');
}

export function register(program: Command): void {
  withCommonOptions(
    program
      .command('backup')
      .description(
        'retrieve what the next deploy and embed would touch into backups/<org id>/<timestamp>/'
      )
      .option(
        '--scope <scope>',
        'all | deploy (package components) | embed (record pages and activations)',
        'all'
      )
      .option(
        '--object <name>',
        'record page object for the embed part (repeatable; default Lead, Contact, Account, Opportunity)',
        collect
      )
  ).action(async (options: BackupOptions) => {
    process.exitCode = await runCommand(Boolean(options.json), async (out) => {
      const project = loadProject();
      const target = await out.step('Connecting to the org', () =>
        openTargetOrg(options.targetOrg)
      );
      const backup = await backupFor(
        out,
        project,
        target,
        options.scope,
        options.object ?? RECORD_OBJECTS
      );
      return {
        result: { dir: backup.dir, manifest: backup.manifest },
        human: describeBackup(backup, project.dir)
      };
    });
  });
}
