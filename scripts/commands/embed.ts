/**
 * `embed` / `unembed`: put the appointments component on (take it off) the record pages of Lead,
 * Contact, Account and Opportunity that users actually see. `--dry-run` prints the diff only.
 */
import type { Command } from 'commander';
import { describeBackup } from './backup.ts';
import { takeBackup } from '../lib/backup.ts';
import { failureLines } from '../lib/deploy-result.ts';
import { applyPlan, componentDeployed, discover } from '../lib/embed.ts';
import {
  formatPlan,
  hasChanges,
  planDiff,
  planEmbed,
  planMembers,
  planUnembed,
  RECORD_OBJECTS,
  type EmbedPlan
} from '../lib/embed-plan.ts';
import { COMPONENT_NAME } from '../lib/flexipage.ts';
import { openTargetOrg, readOrgFacts } from '../lib/org.ts';
import { CliError, runCommand } from '../lib/output.ts';
import { componentDefaults, componentObjects, loadProject } from '../lib/project.ts';
import { collect, collectEach, withCommonOptions, type CommonOptions } from './common.ts';

interface EmbedOptions extends CommonOptions {
  object?: string[];
  region?: string;
  position?: 'top' | 'bottom';
  property?: string[];
  dryRun?: boolean;
}

function properties(
  list: string[] | undefined,
  defaults: Record<string, string>
): Record<string, string> {
  const result = { ...defaults };
  for (const item of list ?? []) {
    const eq = item.indexOf('=');
    if (eq <= 0)
      throw new CliError('BadProperty', `--property ${item} is not name=value.`, { exitCode: 2 });
    result[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return result;
}

async function runEmbed(mode: 'embed' | 'unembed', options: EmbedOptions): Promise<number> {
  return runCommand(Boolean(options.json), async (out) => {
    const project = loadProject();
    const objects = options.object ?? [...RECORD_OBJECTS];
    const allowed = componentObjects(project);
    const refused = mode === 'embed' && allowed ? objects.filter((o) => !allowed.includes(o)) : [];
    if (refused.length > 0) {
      throw new CliError(
        'ObjectNotSupported',
        `${COMPONENT_NAME} can only be placed on record pages of ${allowed?.join(', ')}; not on ${refused.join(', ')}.`,
        { action: `Choose --object among ${allowed?.join(', ')}.`, exitCode: 2 }
      );
    }
    const target = await out.step('Connecting to the org', () => openTargetOrg(options.targetOrg));
    const org = await readOrgFacts(target.api);
    const { meta, warnings } = await out.step(
      `Finding the record pages assigned for ${objects.join(', ')}`,
      () => discover(target.connection, target.api, objects)
    );
    warnings.forEach((w) => out.warn(w));
    const plan: EmbedPlan =
      mode === 'embed'
        ? planEmbed(objects, meta, {
            region: options.region,
            position: options.position,
            properties: properties(options.property, componentDefaults(project))
          })
        : planUnembed(objects, meta);
    const diff = planDiff(plan);
    const summary = formatPlan(plan) || 'No record pages assigned for these objects.';
    const result = {
      org: { id: org.id, name: org.name, kind: org.kind },
      plan: plan.pages.map(({ before: _b, after: _a, ...rest }) => rest),
      diff
    };
    const skipped = plan.pages.filter((p) => p.action === 'skip');
    if (!hasChanges(plan)) {
      if (skipped.length > 0) {
        return {
          result: { ...result, deployed: false },
          human: `${summary}\n\nNothing was changed: ${skipped.length} page(s) were skipped for the reasons above.`,
          exitCode: 1
        };
      }
      return {
        result: { ...result, deployed: false },
        human: `${summary}\n\nNothing to change: ${mode === 'embed' ? 'the component is already on every assigned page' : 'the component is on none of the assigned pages'}.`
      };
    }
    if (skipped.length > 0)
      out.warn(
        `${skipped.length} page(s) skipped: ${skipped.map((p) => p.page).join(', ')} (see the plan).`
      );
    if (options.dryRun) {
      return {
        result: { ...result, deployed: false },
        human: `${summary}\n\n${diff}\nDry run: nothing was deployed. Run again without --dry-run to apply (a backup is taken first).`
      };
    }
    if (mode === 'embed' && (await componentDeployed(target.api, COMPONENT_NAME)) === false) {
      throw new CliError(
        'ComponentMissing',
        `The ${COMPONENT_NAME} component is not in ${org.name} yet, so pages that use it cannot be deployed.`,
        {
          action: 'Deploy the package first: npm run deploy -- --target-org <alias>'
        }
      );
    }
    const backup = await out.step('Backing up the pages and objects about to change', () =>
      takeBackup({
        connection: target.connection,
        org,
        projectDir: project.dir,
        members: planMembers(plan),
        purpose: mode
      })
    );
    const outcome = await out.step('Deploying the page changes', () =>
      applyPlan(target.connection, plan)
    );
    if (!outcome.success) {
      throw new CliError(
        'EmbedDeployFailed',
        `Deploying the page changes failed (deploy ${outcome.id}); the org was not changed:\n  ${failureLines(outcome.status).join('\n  ')}`,
        {
          action: 'Fix what the errors name, or choose another --region, and rerun.',
          data: { ...result, backup: backup.dir }
        }
      );
    }
    return {
      result: { ...result, deployed: true, deployId: outcome.id, backup: backup.dir },
      human: `${summary}\n\nDeployed (deploy ${outcome.id}). Users see the change on their next page load.\n${describeBackup(backup, project.dir)}`
    };
  });
}

export function register(program: Command): void {
  withCommonOptions(
    program
      .command('embed')
      .description(
        `add ${COMPONENT_NAME} to the record pages users see (assigned pages; creates and activates one where there is none)`
      )
      .option(
        '--object <name>',
        'object whose record pages to change (repeatable; default Lead, Contact, Account, Opportunity)',
        collect
      )
      .option(
        '--region <name>',
        'region, facet or tab title to place the component in (default: the sidebar)'
      )
      .option('--position <where>', 'top | bottom of the region', 'bottom')
      .option(
        '--property <name=value>',
        'component property (repeatable; defaults come from the component metadata)',
        collectEach
      )
      .option('--dry-run', 'print the unified diff of what would change; deploy nothing')
  ).action(async (options: EmbedOptions) => {
    process.exitCode = await runEmbed('embed', options);
  });
  withCommonOptions(
    program
      .command('unembed')
      .description(`remove ${COMPONENT_NAME} from the assigned record pages`)
      .option('--object <name>', 'object whose record pages to change (repeatable)', collect)
      .option('--dry-run', 'print the unified diff of what would change; deploy nothing')
  ).action(async (options: EmbedOptions) => {
    process.exitCode = await runEmbed('unembed', options);
  });
}
