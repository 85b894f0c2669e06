/**
 * `org:scratch`: a development org with the package in it — create a scratch org from config/
 * (or use --target-org), build, deploy, assign permission sets, load sample data, print the login URL.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { ConfigAggregator, Org, scratchOrgCreate } from '@salesforce/core';
import { Duration } from '@salesforce/kit';
import { failureLines } from '../lib/deploy-result.ts';
import { deploySource } from '../lib/metadata.ts';
import { openTargetOrg, readOrgFacts } from '../lib/org.ts';
import { CliError, errorMessage, runCommand } from '../lib/output.ts';
import { assignPermissionSets } from '../lib/permsets.ts';
import { loadProject, packageComponents, permissionSets } from '../lib/project.ts';
import { buildPackage, withCommonOptions, type CommonOptions } from './common.ts';

interface ScratchOptions extends CommonOptions {
  definitionFile: string;
  alias: string;
  devHub?: string;
  durationDays: string;
  build: boolean;
  sampleData: boolean;
}

export const SAMPLE_DATA = join(import.meta.dirname, '..', 'data', 'sample-appointments.json');

export function register(program: Command): void {
  withCommonOptions(
    program
      .command('org:scratch')
      .description(
        'create a scratch org (or use --target-org), deploy the package, assign permission sets, load sample data'
      )
      .option(
        '-f, --definition-file <file>',
        'scratch org definition',
        'config/project-scratch-def.json'
      )
      .option('-a, --alias <alias>', 'alias of the new scratch org', 'coconut-scratch')
      .option('-v, --dev-hub <aliasOrUsername>', 'Dev Hub (default: the sf target-dev-hub)')
      .option('-d, --duration-days <days>', 'days before the scratch org expires', '7')
      .option('--no-build', 'skip `npm run build`')
      .option('--no-sample-data', 'do not load the sample appointments')
  ).action(async (options: ScratchOptions) => {
    process.exitCode = await runCommand(Boolean(options.json), async (out) => {
      const project = loadProject();
      let targetOrg = options.targetOrg;
      if (!targetOrg) {
        const hubName =
          options.devHub ??
          ((await ConfigAggregator.create()).getPropertyValue('target-dev-hub') as
            string | undefined);
        if (!hubName) {
          throw new CliError('NoDevHub', 'No Dev Hub to create a scratch org with.', {
            action:
              'Log in to your Dev Hub (`npx sf org login web --set-default-dev-hub`), pass --dev-hub, or use an existing org with --target-org.',
            exitCode: 2
          });
        }
        const hubOrg = await Org.create({ aliasOrUsername: hubName });
        const created = await out.step(
          `Creating scratch org ${options.alias} from ${options.definitionFile}`,
          () =>
            scratchOrgCreate({
              hubOrg,
              definitionfile: join(project.dir, options.definitionFile),
              durationDays: Number(options.durationDays),
              alias: options.alias,
              setDefault: true,
              wait: Duration.minutes(15)
            })
        );
        targetOrg = created.username;
      }
      const target = await out.step('Connecting to the org', () => openTargetOrg(targetOrg));
      const org = await readOrgFacts(target.api);
      if (org.kind === 'production') {
        throw new CliError(
          'NotADevelopmentOrg',
          `${org.name} is a production org; org:scratch deploys without the sandbox-first checks.`,
          {
            action: 'Use npm run deploy for production orgs.',
            exitCode: 2
          }
        );
      }
      if (options.build)
        await out.step('Building the package (npm run build)', () =>
          buildPackage(project.dir, out.json)
        );
      const components = packageComponents(project);
      const deployed = await out.step(`Deploying the package to ${org.name}`, () =>
        deploySource(target.connection, components, { checkOnly: false, testLevel: 'NoTestRun' })
      );
      if (!deployed.success) {
        throw new CliError(
          'DeployFailed',
          `Deploy ${deployed.id} failed:\n  ${failureLines(deployed.status).join('\n  ')}`,
          {
            action: 'Fix the errors above and rerun with --target-org ' + targetOrg
          }
        );
      }
      const sets = permissionSets(components).filter(
        (p) => p === 'Coconut_Admin' || p === 'Coconut_User'
      );
      const assignments = await out.step('Assigning permission sets', () =>
        assignPermissionSets(target.api, target.api.username, sets)
      );
      let sampleData: { loaded: boolean; response?: unknown; error?: string } = { loaded: false };
      if (options.sampleData) {
        try {
          const body = JSON.parse(readFileSync(SAMPLE_DATA, 'utf8')) as unknown;
          const response = await out.step(
            'Loading sample appointments through /coconut/v1/appointments',
            () => target.api.apexRest('POST', '/coconut/v1/appointments', body)
          );
          sampleData = { loaded: true, response };
        } catch (err) {
          sampleData = { loaded: false, error: errorMessage(err) };
          out.warn(`Sample data not loaded: ${errorMessage(err)}`);
        }
      }
      const loginUrl = `${target.connection.instanceUrl}/secur/frontdoor.jsp?sid=${target.connection.accessToken ?? ''}`;
      return {
        result: {
          org,
          username: target.api.username,
          deployId: deployed.id,
          assignments,
          sampleData,
          loginUrl
        },
        human: [
          `Org ${org.name} (${target.api.username}) has the package (deploy ${deployed.id}).`,
          ...assignments.map((a) => `  ${a.permissionSet}: ${a.status}`),
          sampleData.loaded
            ? '  Sample appointments loaded.'
            : options.sampleData
              ? `  Sample appointments NOT loaded: ${sampleData.error}`
              : '',
          '',
          `Open it: ${loginUrl}`,
          'Next: npm run embed -- --target-org ' +
            (options.targetOrg ?? options.alias) +
            ' to show appointments on record pages.'
        ].join('\n')
      };
    });
  });
}
