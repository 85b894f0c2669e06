/**
 * `preflight`: is this org ready for the package? Exit 0 when there is no blocker, 1 otherwise.
 */
import type { Command } from 'commander';
import { openTargetOrg } from '../lib/org.ts';
import { runCommand } from '../lib/output.ts';
import { gatherPreflightFacts } from '../lib/preflight-facts.ts';
import {
  evaluatePreflight,
  formatPreflight,
  type PreflightReport
} from '../lib/preflight-rules.ts';
import {
  loadProject,
  packageComponents,
  packageFieldTypes,
  packageMembers,
  unmatchedClientAction
} from '../lib/project.ts';
import { withCommonOptions, type CommonOptions } from './common.ts';

export interface PreflightOptions extends CommonOptions {
  integrationUser?: string;
}

export async function preflightReport(
  options: PreflightOptions,
  step: <T>(t: string, f: () => Promise<T>) => Promise<T>
): Promise<PreflightReport> {
  const project = loadProject();
  const components = await step('Reading the package', async () => packageComponents(project));
  const { api } = await step('Connecting to the org', () => openTargetOrg(options.targetOrg));
  const facts = await step('Checking edition, users, permissions, components and coverage', () =>
    gatherPreflightFacts(api, {
      integrationUsername: options.integrationUser,
      members: packageMembers(components),
      fieldTypes: packageFieldTypes(components),
      unmatchedClientAction: unmatchedClientAction(project)
    })
  );
  return evaluatePreflight(facts);
}

export function register(program: Command): void {
  withCommonOptions(
    program
      .command('preflight')
      .description(
        'check the org can take the package: edition, API Enabled users, deploy rights, conflicts, coverage, Person Accounts'
      )
      .option(
        '--integration-user <username>',
        'the user Coconut logs in as (checked for API Enabled)'
      )
  ).action(async (options: PreflightOptions) => {
    process.exitCode = await runCommand(Boolean(options.json), async (out) => {
      const report = await preflightReport(options, out.step);
      return { result: report, human: formatPreflight(report), exitCode: report.ok ? 0 : 1 };
    });
  });
}
