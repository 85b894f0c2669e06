/**
 * Coconut for Salesforce — admin install tooling. One entry, one subcommand per task:
 *
 *   npm run org:scratch -- [--target-org <alias>]     development org with the package and sample data
 *   npm run preflight   -- --target-org <alias>       is the org ready?
 *   npm run backup      -- --target-org <alias>       retrieve what deploy/embed would touch
 *   npm run restore     -- --target-org <alias> --from backups/<org id>/<timestamp>
 *   npm run deploy      -- --target-org <alias>       validate, gate on coverage, quick-deploy
 *   npm run embed       -- --target-org <alias> [--dry-run]
 *   npm run unembed     -- --target-org <alias> [--dry-run]
 *   npm run connect     -- --sandbox | --production   guided integration setup
 *
 * Every command takes --target-org and --json; docs/admin-guide.md walks through them.
 */
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Command } from 'commander';
import { register as registerBackup } from './commands/backup.ts';
import { register as registerConnect } from './commands/connect.ts';
import { register as registerDeploy } from './commands/deploy.ts';
import { register as registerEmbed } from './commands/embed.ts';
import { register as registerScratch } from './commands/org-scratch.ts';
import { register as registerPreflight } from './commands/preflight.ts';
import { register as registerRestore } from './commands/restore.ts';

export function buildProgram(): Command {
  const program = new Command('coconut')
    .description(
      'Install Coconut for Salesforce safely: preflight, backup/restore, sandbox-first deploys, record-page embedding'
    )
    .showHelpAfterError()
    .exitOverride((err) => {
      // commander's own usage errors (unknown option, missing value) exit 2 like other CLIs.
      process.exit(err.exitCode === 0 ? 0 : 2);
    });
  registerScratch(program);
  registerPreflight(program);
  registerBackup(program);
  registerRestore(program);
  registerDeploy(program);
  registerEmbed(program);
  registerConnect(program);
  return program;
}

// Run when executed (tsx scripts/cli.ts …), not when a test imports buildProgram.
if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  await buildProgram().parseAsync(process.argv);
}
