/**
 * `connect`: the admin steps of the integration in one guided command — log in to the sandbox or
 * production instance, run preflight, print what Coconut needs (integration user, OAuth client),
 * and check the health endpoint answers as the integration user.
 */
import type { Command } from 'commander';
import { openTargetOrg } from '../lib/org.ts';
import { CliError, errorMessage, runCommand } from '../lib/output.ts';
import { formatPreflight } from '../lib/preflight-rules.ts';
import { loadProject } from '../lib/project.ts';
import { run, sfBinary, withCommonOptions, type CommonOptions } from './common.ts';
import { preflightReport } from './preflight.ts';

export const HEALTH_PATH = '/coconut/v1/health';
export const LOGIN_URLS = {
  sandbox: 'https://test.salesforce.com',
  production: 'https://login.salesforce.com'
} as const;

interface ConnectOptions extends CommonOptions {
  sandbox?: boolean;
  production?: boolean;
  instanceUrl?: string;
  alias?: string;
  login: boolean;
  integrationUser?: string;
  integrationOrg?: string;
}

export function loginUrl(
  options: Pick<ConnectOptions, 'sandbox' | 'production' | 'instanceUrl'>
): string {
  if (options.instanceUrl) return options.instanceUrl;
  if (options.sandbox && options.production) {
    throw new CliError('BadOptions', 'Choose one of --sandbox and --production.', { exitCode: 2 });
  }
  if (options.sandbox) return LOGIN_URLS.sandbox;
  if (options.production) return LOGIN_URLS.production;
  throw new CliError(
    'BadOptions',
    'Say which org to connect: --sandbox (test.salesforce.com), --production (login.salesforce.com) or --instance-url <My Domain URL>.',
    {
      action:
        'Start with a sandbox: npm run connect -- --sandbox --alias coconut-uat --integration-user <username>',
      exitCode: 2
    }
  );
}

export function integrationSetup(instanceUrl: string, integrationUser: string | undefined): string {
  const user = integrationUser ?? '<integration username>';
  return [
    'Integration user (the user Coconut logs in as):',
    '  1. Setup → Users → New User: license "Salesforce Integration" (profile "Minimum Access - API Only Integrations"),',
    `     or "Salesforce" with a minimum-access profile. Username: ${user}`,
    '  2. Give it API Enabled (profile or permission set) and assign the Coconut_Integration permission set:',
    `     npm run deploy -- --target-org <alias> --integration-user ${user}   (assigns it), or Setup → Permission Sets.`,
    '  3. Do not give it Modify All Data or View All Data: Coconut_Integration grants exactly what the sync needs.',
    '',
    'OAuth client for Coconut (Setup → External Client App Manager → New External Client App):',
    '  - Enable OAuth; scopes: "Manage user data via APIs (api)" and "Perform requests at any time (refresh_token, offline_access)".',
    "  - Flow: JWT bearer (upload Coconut's certificate) or client credentials with Run As = the integration user.",
    '  - Policies: Permitted Users "Admin approved users are pre-authorized"; add the integration user\'s profile or permission set.',
    '',
    'Give Coconut:',
    `  Instance URL:     ${instanceUrl}`,
    `  Token endpoint:   ${instanceUrl}/services/oauth2/token`,
    '  Consumer key (and certificate / secret) of the External Client App',
    `  Integration user: ${user}`,
    `  Endpoint base:    ${instanceUrl}/services/apexrest/coconut/v1/   (appointments, health)`
  ].join('\n');
}

export function register(program: Command): void {
  withCommonOptions(
    program
      .command('connect')
      .description(
        'guided setup: log in (sandbox or production), preflight, integration user and OAuth details, health check'
      )
      .option('--sandbox', 'log in at test.salesforce.com')
      .option('--production', 'log in at login.salesforce.com')
      .option('--instance-url <url>', 'log in at this My Domain URL instead')
      .option('-a, --alias <alias>', 'alias for the org after login', 'coconut')
      .option('--no-login', 'use --target-org as already authenticated; do not open a browser')
      .option('--integration-user <username>', 'the user Coconut logs in as (checked by preflight)')
      .option(
        '--integration-org <aliasOrUsername>',
        'an sf login AS the integration user, used for the health check'
      )
  ).action(async (options: ConnectOptions) => {
    process.exitCode = await runCommand(Boolean(options.json), async (out) => {
      const project = loadProject();
      let targetOrg = options.targetOrg;
      if (options.login) {
        const url = loginUrl(options);
        out.info(
          `Step 1/4: log in to ${url} in the browser window that opens (alias ${options.alias}).`
        );
        await out.step(`Logging in (${url})`, () =>
          run(
            sfBinary(project.dir),
            [
              'org',
              'login',
              'web',
              '--instance-url',
              url,
              '--alias',
              String(options.alias),
              '--set-default'
            ],
            project.dir,
            { quiet: out.json }
          )
        );
        targetOrg = options.alias;
      } else if (!targetOrg) {
        throw new CliError(
          'BadOptions',
          '--no-login needs --target-org <alias> of an org the sf CLI is logged in to.',
          { exitCode: 2 }
        );
      }
      const target = await out.step('Connecting to the org', () => openTargetOrg(targetOrg));
      out.info('Step 2/4: preflight');
      const report = await preflightReport(
        { targetOrg, integrationUser: options.integrationUser },
        out.step
      );
      out.info(formatPreflight(report) + '\n');
      const setup = integrationSetup(target.api.instanceUrl, options.integrationUser);
      out.info('Step 3/4: what Coconut needs\n' + setup + '\n');

      let health: {
        checkedAs: string;
        ok: boolean;
        response?: unknown;
        error?: string;
        asIntegrationUser: boolean;
      };
      const healthOrg = options.integrationOrg
        ? await openTargetOrg(options.integrationOrg)
        : target;
      const asIntegrationUser =
        Boolean(options.integrationOrg) &&
        (!options.integrationUser || healthOrg.api.username === options.integrationUser);
      try {
        const response = await out.step(
          `Step 4/4: calling ${HEALTH_PATH} as ${healthOrg.api.username}`,
          () => healthOrg.api.apexRest('GET', HEALTH_PATH)
        );
        health = { checkedAs: healthOrg.api.username, ok: true, response, asIntegrationUser };
      } catch (err) {
        health = {
          checkedAs: healthOrg.api.username,
          ok: false,
          error: errorMessage(err),
          asIntegrationUser
        };
      }
      const healthLine = health.ok
        ? `Health endpoint answered as ${health.checkedAs}: ${JSON.stringify(health.response)}`
        : `Health endpoint failed as ${health.checkedAs}: ${health.error}. Is the package deployed (npm run deploy) and does this user have Coconut_Integration?`;
      const note = asIntegrationUser
        ? ''
        : `\nThis checked the endpoint as ${health.checkedAs}, not as the integration user. To check as Coconut will call it: npx sf org login web --alias coconut-integration --instance-url ${target.api.instanceUrl} (log in as the integration user), then rerun with --integration-org coconut-integration.`;
      const ok = report.ok && health.ok;
      return {
        result: {
          preflight: report,
          instanceUrl: target.api.instanceUrl,
          integrationSetup: setup,
          health,
          ok
        },
        human: `${healthLine}${note}\n\n${ok ? 'Connected: give Coconut the details above.' : 'Not ready yet: fix the items above and run connect again (add --no-login --target-org <alias> to skip the login).'}`,
        exitCode: ok ? 0 : 1
      };
    });
  });
}
