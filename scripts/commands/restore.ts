/**
 * `restore --from <backup>`: redeploy what existed, delete what was added since; shows the plan and asks first.
 */
import type { Command } from 'commander';
import { formatRestorePlan } from '../lib/backup-plan.ts';
import { executeRestore, planRestoreFor, readBackup } from '../lib/backup.ts';
import { failureLines } from '../lib/deploy-result.ts';
import { openTargetOrg, readOrgFacts } from '../lib/org.ts';
import { CliError, runCommand } from '../lib/output.ts';
import { confirm, withCommonOptions, type CommonOptions } from './common.ts';

interface RestoreOptions extends CommonOptions {
  from: string;
  yes?: boolean;
}

export function register(program: Command): void {
  withCommonOptions(
    program
      .command('restore')
      .description(
        'put the org back to a backup: redeploy what existed, remove what was added since'
      )
      .requiredOption('--from <backupDir>', 'backup folder (backups/<org id>/<timestamp>)')
      .option('-y, --yes', 'do not ask for confirmation')
  ).action(async (options: RestoreOptions) => {
    process.exitCode = await runCommand(Boolean(options.json), async (out) => {
      const target = await out.step('Connecting to the org', () =>
        openTargetOrg(options.targetOrg)
      );
      const org = await readOrgFacts(target.api);
      const backup = await readBackup(options.from, org.id);
      const plan = await out.step('Comparing the backup with the org', () =>
        planRestoreFor(target.connection, backup)
      );
      const text = formatRestorePlan(plan, backup.manifest);
      if (plan.redeploy.length === 0 && plan.delete.length === 0) {
        return { result: { plan, restored: false }, human: `${text}\n\nNothing to restore.` };
      }
      out.info(text + '\n');
      if (!(await confirm(`Restore ${org.name} (${org.kind}) to this backup?`, options))) {
        return {
          result: { plan, restored: false },
          human: 'Restore cancelled; the org was not changed.',
          exitCode: 1
        };
      }
      const outcome = await out.step(
        `Deploying the restore (${plan.redeploy.length} to redeploy, ${plan.delete.length} to delete)`,
        () =>
          executeRestore(target.connection, backup, plan, { production: org.kind === 'production' })
      );
      if (outcome && !outcome.success) {
        throw new CliError(
          'RestoreFailed',
          `The restore deploy ${outcome.id} failed and changed nothing:\n  ${failureLines(outcome.status).join('\n  ')}`,
          {
            action:
              'Fix what the errors name (e.g. a component still referencing one being deleted) and rerun restore.',
            data: { plan, deployId: outcome.id }
          }
        );
      }
      return {
        result: { plan, restored: true, deployId: outcome?.id },
        human: `${text}\n\nRestored ${org.name} to the backup of ${backup.manifest.createdAt} (deploy ${outcome?.id}).`
      };
    });
  });
}
