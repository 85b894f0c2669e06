// `npm run local-org -- serve [--port N] [--data-dir DIR] [--fresh] [--json] [--assign user=ps,…]`
import { Command } from 'commander';
import { DEFAULT_PORT, startLocalOrg, type ReadyInfo } from './local-org.ts';
import { EDITIONS, normaliseOrgShape, type OrgShape } from './runtime.ts';

function printHuman(info: ReadyInfo, dataDir: string): void {
  const lines = [
    `local-org is running at ${info.instanceUrl}`,
    `  org:   ${info.org.id} — ${info.org.edition}${info.org.isSandbox ? ', sandbox' : ''}${
      info.org.trialExpirationDate
        ? `, trial expires ${info.org.trialExpirationDate.slice(0, 10)}`
        : ''
    }`,
    `  state: ${dataDir}`,
    '',
    'Users (access tokens stay valid while the server runs):'
  ];
  for (const u of info.users) {
    lines.push(
      `  ${u.username}  [${u.profile}${u.permissionSets.length ? `; ${u.permissionSets.join(', ')}` : ''}]`
    );
    lines.push(`    access token:  ${u.accessToken}`);
    lines.push(`    refresh token: ${u.refreshToken}`);
  }
  lines.push(
    '',
    'OAuth connected app (client-credentials runs as ' + info.oauth.clientCredentialsUser + '):',
    `  client id:     ${info.oauth.clientId}`,
    `  client secret: ${info.oauth.clientSecret}`,
    `  token URL:     ${info.instanceUrl}/services/oauth2/token`,
    '',
    'Point the sf CLI at it:',
    `  SF_ACCESS_TOKEN='${info.users[0]?.accessToken ?? ''}' sf org login access-token --instance-url ${info.instanceUrl} --no-prompt --alias local`,
    '',
    'Ctrl-C stops it (state is kept unless you start with --fresh).'
  );
  process.stdout.write(`${lines.join('\n')}\n`);
}

const program = new Command();
program.name('local-org').description('An offline Salesforce org for this Salesforce DX project');

program
  .command('serve')
  .description('Start the local org HTTP server (REST, Apex REST, Tooling and Metadata APIs)')
  .option('-p, --port <port>', `port on 127.0.0.1 (0 = any free port)`, String(DEFAULT_PORT))
  .option('-d, --data-dir <dir>', 'where the org keeps its state', '.local-org')
  .option('--project <dir>', 'Salesforce DX project to load', process.cwd())
  .option('--fresh', 'start from an empty org (drop records and deployed metadata)', false)
  .option(
    '--json',
    'print one JSON line with the instance URL, users, tokens and OAuth client when ready',
    false
  )
  .option('--edition <type>', `Organization.OrganizationType (${EDITIONS.join(', ')})`)
  .option('--sandbox', 'make the org a sandbox (Organization.IsSandbox = true)')
  .option('--no-sandbox', 'make the org a production org (Organization.IsSandbox = false)')
  .option(
    '--trial-expires <date>',
    'Organization.TrialExpirationDate (YYYY-MM-DD), as scratch and trial orgs have'
  )
  .option(
    '--assign <user=permsets...>',
    'assign permission sets to a configured user (alias or username)',
    (v: string, prev: string[]) => [...prev, v],
    [] as string[]
  )
  .action(
    async (opts: {
      port: string;
      dataDir: string;
      project: string;
      fresh: boolean;
      json: boolean;
      assign: string[];
      edition?: string;
      sandbox?: boolean;
      trialExpires?: string;
    }) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        process.stderr.write(`--port ${opts.port}: expected a port number between 0 and 65535\n`);
        process.exit(2);
      }
      let org;
      let shape: Partial<OrgShape>;
      try {
        const raw: Record<string, unknown> = {};
        if (opts.edition !== undefined) raw.edition = opts.edition;
        if (opts.sandbox !== undefined) raw.isSandbox = opts.sandbox;
        if (opts.trialExpires !== undefined) raw.trialExpirationDate = opts.trialExpires;
        shape = normaliseOrgShape(raw, 'serve');
      } catch (err) {
        process.stderr.write(`${(err as Error).message}\n`);
        process.exit(2);
      }
      try {
        org = await startLocalOrg({
          projectDir: opts.project,
          dataDir: opts.dataDir,
          port,
          fresh: opts.fresh,
          assign: opts.assign,
          org: shape
        });
      } catch (err) {
        process.stderr.write(`local-org could not start: ${(err as Error).message}\n`);
        process.exit(1);
      }
      if (opts.json) process.stdout.write(`${JSON.stringify(org.info)}\n`);
      else printHuman(org.info, opts.dataDir);
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        if (!opts.json) process.stderr.write(`\n${signal}: stopping local-org, saving state…\n`);
        org
          .close()
          .then(() => process.exit(0))
          .catch((err: unknown) => {
            process.stderr.write(`local-org: error while stopping: ${String(err)}\n`);
            process.exit(1);
          });
      };
      process.on('SIGINT', () => stop('SIGINT'));
      process.on('SIGTERM', () => stop('SIGTERM'));
    }
  );

await program.parseAsync(process.argv);
