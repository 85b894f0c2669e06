/**
 * `deploy`: build → backup → validate (check-only, RunLocalTests) → coverage gate → quick deploy
 * of the validated job → assign permission sets → summary. Production needs a sandbox validation
 * of the same build (or --skip-sandbox-check --reason, logged).
 */
import type { Command } from 'commander';
import { backupFor, describeBackup } from './backup.ts';
import {
  componentErrors,
  coverageGate,
  failureLines,
  PACKAGE_CLASS_MINIMUM,
  testCounts,
  testFailures,
  type CoverageGate
} from '../lib/deploy-result.ts';
import { deploySource, quickDeploy } from '../lib/metadata.ts';
import { openTargetOrg, readOrgFacts } from '../lib/org.ts';
import { CliError, errorMessage, runCommand } from '../lib/output.ts';
import { assignPermissionSets, type AssignmentResult } from '../lib/permsets.ts';
import {
  apexUnderTest,
  loadProject,
  packageComponents,
  packageHash,
  permissionSets
} from '../lib/project.ts';
import {
  type GuardDecision,
  listValidations,
  productionGuard,
  recordOverride,
  recordValidation
} from '../lib/validations.ts';
import { buildPackage, collect, withCommonOptions, type CommonOptions } from './common.ts';

interface DeployOptions extends CommonOptions {
  build: boolean;
  skipSandboxCheck?: boolean;
  reason?: string;
  validateOnly?: boolean;
  integrationUser?: string;
  permissionSet?: string[];
  classCoverage: string;
}

function formatGate(gate: CoverageGate, apex: string[]): string[] {
  const lines = [`Org-wide coverage: ${gate.orgWide ?? 'n/a'}%`];
  for (const name of apex) {
    const c = gate.classes.find((x) => x.name === name);
    lines.push(`  ${name}: ${c ? `${c.percent}% (${c.covered}/${c.lines})` : 'not covered'}`);
  }
  return lines;
}

export function register(program: Command): void {
  withCommonOptions(
    program
      .command('deploy')
      .description(
        'build, back up, validate with tests, gate on coverage, quick-deploy and assign permission sets'
      )
      .option('--no-build', 'skip `npm run build` (the LWC are already compiled)')
      .option(
        '--validate-only',
        'stop after the validation and coverage gate (records a sandbox validation)'
      )
      .option(
        '--skip-sandbox-check',
        'production only: deploy a build that was not validated in a sandbox (needs --reason)'
      )
      .option('--reason <text>', 'why the sandbox check is skipped (logged in .coconut/)')
      .option('--integration-user <username>', 'also assign Coconut_Integration to this user')
      .option(
        '--permission-set <name>',
        'permission set(s) for the deploying user (default: Coconut_Admin)',
        collect
      )
      .option(
        '--class-coverage <percent>',
        'minimum coverage of each package class and trigger',
        String(PACKAGE_CLASS_MINIMUM)
      )
  ).action(async (options: DeployOptions) => {
    process.exitCode = await runCommand(Boolean(options.json), async (out) => {
      const classMinimum = Number(options.classCoverage);
      if (!Number.isFinite(classMinimum) || classMinimum < 0 || classMinimum > 100) {
        throw new CliError(
          'BadOptions',
          `--class-coverage ${options.classCoverage} is not a percentage.`,
          {
            action: 'Pass a number from 0 to 100, e.g. --class-coverage 90.',
            exitCode: 2
          }
        );
      }
      const project = loadProject();
      if (options.build)
        await out.step('Building the package (npm run build)', () =>
          buildPackage(project.dir, out.json)
        );
      const components = packageComponents(project);
      const hash = await packageHash(project);
      const target = await out.step('Connecting to the org', () =>
        openTargetOrg(options.targetOrg)
      );
      const org = await readOrgFacts(target.api);
      const build = hash.slice(0, 12);

      // A check-only validation changes nothing: the sandbox-first rule guards real deploys.
      const guard: GuardDecision = options.validateOnly
        ? {
            allowed: true,
            message: `Validation only: ${org.name} (${org.kind}) will not be changed.`
          }
        : productionGuard({
            kind: org.kind,
            hash,
            validations: await listValidations(project.dir),
            skipSandboxCheck: options.skipSandboxCheck,
            reason: options.reason
          });
      if (!guard.allowed) {
        throw new CliError('ProductionNotValidated', guard.message, {
          action: guard.action,
          exitCode: 3,
          data: { org, hash }
        });
      }
      out.info(guard.message);
      if (guard.override) {
        await recordOverride(project.dir, {
          hash,
          orgId: org.id,
          username: target.api.username,
          reason: String(options.reason),
          at: new Date().toISOString()
        });
      }

      const backup = await backupFor(out, project, target, 'deploy', []);
      out.info(describeBackup(backup, project.dir));

      const validation = await out.step(
        `Validating build ${build} in ${org.name} (check-only, RunLocalTests)`,
        () =>
          deploySource(target.connection, components, {
            checkOnly: true,
            testLevel: 'RunLocalTests'
          })
      );
      const tests = testCounts(validation.status);
      if (!validation.success) {
        const errors = componentErrors(validation.status).length;
        const counts = [
          tests.failed ? `${tests.failed} of ${tests.run} test(s) failed` : '',
          errors ? `${errors} component error(s)` : ''
        ].filter((c) => c !== '');
        throw new CliError(
          'ValidationFailed',
          `Validation ${validation.id} failed, so nothing was deployed${counts.length ? ` (${counts.join(', ')})` : ''}:\n  ${failureLines(validation.status).join('\n  ')}`,
          {
            action:
              'Fix the failing tests or components, then run deploy again. The org is unchanged.',
            data: {
              validationId: validation.id,
              failures: testFailures(validation.status),
              componentErrors: componentErrors(validation.status),
              backup: backup.dir
            }
          }
        );
      }
      const apex = apexUnderTest(components);
      const gate = coverageGate(validation.status, apex, {
        classMinimum
      });
      if (!gate.passed) {
        throw new CliError(
          'CoverageGateFailed',
          `Validation ${validation.id} passed its tests but the coverage gate failed, so nothing was deployed:\n  ${gate.problems.join('\n  ')}`,
          {
            action:
              'Add tests for the classes named above, then run deploy again. The org is unchanged.',
            data: { validationId: validation.id, gate }
          }
        );
      }
      await recordValidation(project.dir, {
        hash,
        orgId: org.id,
        orgName: org.name,
        username: target.api.username,
        instanceUrl: target.api.instanceUrl,
        kind: org.kind,
        deployId: validation.id,
        validatedAt: new Date().toISOString(),
        testsRun: tests.run,
        orgWideCoverage: gate.orgWide
      });
      const summary = [
        `Build ${build} validated in ${org.name} (${org.kind}): ${tests.run} test(s) passed, validation ${validation.id}.`,
        ...formatGate(gate, apex)
      ];
      if (options.validateOnly) {
        return {
          result: {
            org,
            hash,
            validationId: validation.id,
            gate,
            deployed: false,
            backup: backup.dir
          },
          human: [
            ...summary,
            '',
            org.kind === 'sandbox'
              ? 'Recorded as a sandbox validation: this build may now go to production.'
              : 'Validation only: nothing was deployed.'
          ].join('\n')
        };
      }

      const deployed = await out.step(`Quick-deploying validation ${validation.id}`, () =>
        quickDeploy(target.connection, validation.id).catch((err: unknown) => {
          throw new CliError(
            'QuickDeployFailed',
            `Quick deploy of validation ${validation.id} was refused: ${errorMessage(err)}`,
            {
              action:
                'Nothing was deployed. Run deploy again to validate afresh (a validation can be quick-deployed for 10 days, if nothing changed in the org since).',
              data: { validationId: validation.id }
            }
          );
        })
      );
      if (!deployed.success) {
        throw new CliError(
          'QuickDeployFailed',
          `Quick deploy ${deployed.id} failed:\n  ${failureLines(deployed.status).join('\n  ')}`,
          {
            action:
              'A validation can be quick-deployed for 10 days and only if nothing changed in the org since; run deploy again to validate afresh.',
            data: { validationId: validation.id, deployId: deployed.id }
          }
        );
      }

      const packageSets = permissionSets(components);
      const forMe = options.permissionSet ?? packageSets.filter((p) => p === 'Coconut_Admin');
      const assignments: AssignmentResult[] = await out.step(
        'Assigning permission sets',
        async () => [
          ...(await assignPermissionSets(target.api, target.api.username, forMe)),
          ...(options.integrationUser
            ? await assignPermissionSets(
                target.api,
                options.integrationUser,
                packageSets.filter((p) => p === 'Coconut_Integration')
              )
            : [])
        ]
      );
      const failedAssignments = assignments.filter(
        (a) => a.status !== 'assigned' && a.status !== 'already assigned'
      );
      return {
        result: {
          org,
          hash,
          validationId: validation.id,
          deployId: deployed.id,
          gate,
          assignments,
          deployed: true,
          backup: backup.dir
        },
        human: [
          ...summary,
          `Deployed to ${org.name} (deploy ${deployed.id}).`,
          ...assignments.map(
            (a) =>
              `  ${a.permissionSet} → ${a.username}: ${a.status}${a.message ? ` (${a.message})` : ''}`
          ),
          '',
          failedAssignments.length
            ? 'Some permission sets were not assigned: assign them in Setup → Permission Sets.'
            : '',
          'Next: npm run embed -- --target-org <alias> --dry-run   (then without --dry-run) to put the appointments on record pages.',
          `To undo: npm run restore -- --target-org <alias> --from ${backup.dir}`
        ]
          .filter((l, i, all) => l !== '' || all[i - 1] !== '')
          .join('\n')
      };
    });
  });
}
