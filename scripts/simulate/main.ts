/**
 * `npm run simulate -- [options]` (entry: `tsx scripts/simulate/main.ts`): a simulated Coconut
 * sending realistic appointment activity to an org's Apex REST endpoint, then reconciling.
 * `simulateCommand()` gives the same command to a parent commander program (scripts/cli.ts).
 * Exit codes: 0 all as expected; 1 differences, unexpected answers or failed requests;
 * 2 the run could not start (bad options, no credentials, authentication refused).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command, InvalidArgumentError, Option } from 'commander';
import { CliError, runCommand, type Output } from '../lib/output.ts';
import { anchorMillis, generate, type KnownClient } from './generator.ts';
import { readKnownClientsFile } from './known-clients.ts';
import { DEFAULT_BATCH_SIZE, MAX_BATCH_SIZE, planBatches } from './plan.ts';
import { formatSummary, runSimulation, type Progress, type RunSummary } from './run.ts';
import {
  AuthError,
  ClientCredentials,
  OrgClient,
  SfAlias,
  StaticToken,
  type TokenSource
} from './transport.ts';

export const LOCAL_ORG_DEFAULT_URL = 'http://127.0.0.1:6109';

export interface SimulateCliOptions {
  targetOrg?: string;
  instanceUrl?: string;
  clientId?: string;
  clientSecret?: string;
  accessToken?: string;
  localDataDir?: string;
  apiVersion?: string;
  clients: number;
  days: number;
  seed: string;
  anchor?: string;
  rate: number;
  batchSize: number;
  knownClients: string;
  includeBad?: boolean;
  dryRun?: boolean;
  json?: boolean;
}

const wholeNumber =
  (name: string, min: number, max: number) =>
  (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}.`);
    return n;
  };

const anchorOption = (value: string): string => {
  try {
    anchorMillis(value);
  } catch {
    throw new InvalidArgumentError('use YYYY-MM-DD or an ISO-8601 instant.');
  }
  return value;
};

const positiveNumber = (value: string): number => {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0)
    throw new InvalidArgumentError('must be a number ≥ 0 (0 = unlimited).');
  return n;
};

export function simulateCommand(): Command {
  return new Command('simulate')
    .description(
      'Send simulated Coconut appointment activity to an org (bookings, reschedules, cancellations, no-shows, walk-ins, ' +
        'group appointments, DST dates; with deliberate resends and late deliveries), then reconcile the org against it.'
    )
    .option(
      '--target-org <alias>',
      '"local" for the local org (default), or an sf CLI alias/username'
    )
    .option(
      '--instance-url <url>',
      'org URL for the client-credentials flow (env COCONUT_INSTANCE_URL)'
    )
    .option('--client-id <id>', 'connected app consumer key (env COCONUT_CLIENT_ID)')
    .option('--client-secret <secret>', 'connected app consumer secret (env COCONUT_CLIENT_SECRET)')
    .addOption(
      new Option(
        '--access-token <token>',
        'use this access token with --instance-url (env COCONUT_ACCESS_TOKEN)'
      ).hideHelp()
    )
    .option(
      '--local-data-dir <dir>',
      'the local org data directory holding auth.json',
      '.local-org'
    )
    .option(
      '--api-version <v>',
      "REST API version for queries (default: the org alias's, else sfdx-project.json)"
    )
    .option('--clients <n>', 'number of clients', wholeNumber('--clients', 1, 10_000), 40)
    .option(
      '--days <n>',
      'days of activity before the anchor (bookings reach up to three weeks after it)',
      wholeNumber('--days', 1, 366),
      14
    )
    .option('--seed <s>', 'seed: the same seed and anchor give the same activity', 'coconut')
    .option(
      '--anchor <date>',
      '"now" of the simulation, YYYY-MM-DD (17:00 UTC) or an ISO instant (default: the date of the last 17:00 UTC)',
      anchorOption
    )
    .option('--rate <r>', 'requests per second (0 = unlimited)', positiveNumber, 5)
    .option(
      '--batch-size <n>',
      `appointments per request (max ${MAX_BATCH_SIZE})`,
      wholeNumber('--batch-size', 1, MAX_BATCH_SIZE),
      DEFAULT_BATCH_SIZE
    )
    .option(
      '--known-clients <source>',
      '"org" (match some clients to the org\'s Leads/Contacts), "none", or a JSON file',
      'org'
    )
    .option('--include-bad', 'also send a few invalid items (expected as per-item errors)')
    .option('--dry-run', 'generate and plan only; print the requests (with --json) or their counts')
    .option('--json', 'print one JSON document on stdout')
    .action(async (opts: SimulateCliOptions) => {
      process.exitCode = await simulate(opts);
    });
}

/**
 * The default anchor: the date of the most recent 17:00 UTC. Reruns within a day get the same
 * activity (and ids), and nothing is ever dated after the real clock.
 */
export function defaultAnchor(nowMs = Date.now()): string {
  const today = new Date(nowMs).toISOString().slice(0, 10);
  if (anchorMillis(today) <= nowMs) return today;
  return new Date(nowMs - 86_400_000).toISOString().slice(0, 10);
}

function projectApiVersion(): string {
  try {
    const project = JSON.parse(readFileSync('sfdx-project.json', 'utf8')) as {
      sourceApiVersion?: string;
    };
    if (project.sourceApiVersion) return project.sourceApiVersion;
  } catch {
    // No project file here: fall back to the version the package is written for.
  }
  return '62.0';
}

interface Target {
  tokens: TokenSource;
  apiVersion: string;
}

/** Works out how to reach the org from the options and environment. */
export async function resolveTarget(
  opts: SimulateCliOptions,
  env: NodeJS.ProcessEnv = process.env
): Promise<Target> {
  const instanceUrl = opts.instanceUrl ?? env.COCONUT_INSTANCE_URL;
  const clientId = opts.clientId ?? env.COCONUT_CLIENT_ID;
  const clientSecret = opts.clientSecret ?? env.COCONUT_CLIENT_SECRET;
  const accessToken = opts.accessToken ?? env.COCONUT_ACCESS_TOKEN;
  const target = opts.targetOrg ?? 'local';

  if (clientId || clientSecret) {
    if (!clientId || !clientSecret) {
      throw usage(
        'Both --client-id and --client-secret are needed for the client-credentials flow.'
      );
    }
    const url =
      instanceUrl ??
      (target === 'local' ? (env.LOCAL_ORG_URL ?? LOCAL_ORG_DEFAULT_URL) : undefined);
    if (!url)
      throw usage(
        "--instance-url is needed with --client-id/--client-secret (the org's My Domain URL)."
      );
    return {
      tokens: new ClientCredentials({ loginUrl: url, clientId, clientSecret }),
      apiVersion: opts.apiVersion ?? projectApiVersion()
    };
  }
  if (accessToken) {
    if (!instanceUrl) throw usage('--instance-url is needed with --access-token.');
    return {
      tokens: new StaticToken({ accessToken, instanceUrl }),
      apiVersion: opts.apiVersion ?? projectApiVersion()
    };
  }
  if (target === 'local') {
    const authFile = join(resolve(opts.localDataDir ?? '.local-org'), 'auth.json');
    if (!existsSync(authFile)) {
      throw new CliError('LocalOrgNotFound', `No local org credentials at ${authFile}.`, {
        action:
          'Start the local org first (`npm run local-org -- serve`), or pass --target-org <alias> or --instance-url/--client-id/--client-secret.',
        exitCode: 2
      });
    }
    const state = JSON.parse(readFileSync(authFile, 'utf8')) as {
      oauth?: { clientId?: string; clientSecret?: string };
    };
    if (!state.oauth?.clientId || !state.oauth.clientSecret) {
      throw new CliError('LocalOrgNotFound', `${authFile} holds no connected app credentials.`, {
        action: 'Restart the local org.',
        exitCode: 2
      });
    }
    const url = instanceUrl ?? env.LOCAL_ORG_URL ?? LOCAL_ORG_DEFAULT_URL;
    return {
      tokens: new ClientCredentials({
        loginUrl: url,
        clientId: state.oauth.clientId,
        clientSecret: state.oauth.clientSecret
      }),
      apiVersion: opts.apiVersion ?? projectApiVersion()
    };
  }
  const alias = new SfAlias(target);
  return { tokens: alias, apiVersion: opts.apiVersion ?? (await alias.apiVersion()) };
}

function usage(message: string): CliError {
  return new CliError('InvalidOptions', message, {
    action: 'See `npm run simulate -- --help`.',
    exitCode: 2
  });
}

function knownClientsOption(value: string): 'org' | 'none' | KnownClient[] {
  if (value === 'org' || value === 'none') return value;
  try {
    return readKnownClientsFile(value);
  } catch (err) {
    throw usage(`--known-clients: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function progressPrinter(out: Output): (p: Progress) => void {
  let lastLine = 0;
  return (p) => {
    if (p.phase === 'known-clients')
      out.info('Reading Leads and Contacts to match some clients to…');
    else if (p.phase === 'before') out.info('Reading what the org holds for these appointments…');
    else if (p.phase === 'reconcile') out.info('Reconciling the org against what was sent…');
    else if (p.phase === 'send' && p.counts) {
      const now = Date.now();
      if (p.batch === p.batches || now - lastLine > 1000) {
        lastLine = now;
        const c = p.counts;
        out.info(
          `  request ${p.batch}/${p.batches}: ${p.items} items — ${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged, ${c.stale} stale, ${c.error} error`
        );
      }
    }
  };
}

/** Runs the command; returns the exit code. */
export async function simulate(opts: SimulateCliOptions): Promise<number> {
  const json = opts.json === true;
  return runCommand(json, async (out) => {
    const anchor = opts.anchor ?? defaultAnchor();
    if (opts.dryRun) {
      const known =
        opts.knownClients === 'org' || opts.knownClients === 'none'
          ? []
          : knownClientsOption(opts.knownClients);
      const sim = generate({
        seed: opts.seed,
        anchor,
        clients: opts.clients,
        days: opts.days,
        knownClients: known as KnownClient[],
        includeBad: opts.includeBad
      });
      const batches = planBatches(sim, { batchSize: opts.batchSize });
      const items = batches.reduce((n, b) => n + b.length, 0);
      return {
        result: {
          seed: sim.seed,
          anchor,
          idBase: sim.idBase,
          requests: batches.map((b) => ({ appointments: b.map((i) => i.item) })),
          plan: batches.map((b) => b.map((i) => ({ coconutId: i.coconutId, kind: i.kind })))
        },
        human: `Dry run: ${sim.clients.length} clients, ${sim.appointments.length} appointments, ${items} items in ${batches.length} requests (nothing sent). Use --json to print the requests.`
      };
    }
    const known = knownClientsOption(opts.knownClients);
    const target = await resolveTarget(opts);
    const client = new OrgClient(target.tokens, {
      rate: opts.rate,
      onRetry: ({ attempt, delayMs, reason, path }) =>
        out.warn(
          `${reason} on ${path.split('?')[0]}; retry ${attempt} in ${(delayMs / 1000).toFixed(1)}s`
        )
    });
    let summary: RunSummary;
    try {
      await out.step(`Signing in (${target.tokens.description})`, () => client.session());
      summary = await runSimulation({
        client,
        apiVersion: target.apiVersion,
        seed: opts.seed,
        anchor,
        clients: opts.clients,
        days: opts.days,
        batchSize: opts.batchSize,
        includeBad: opts.includeBad,
        knownClients: known,
        onProgress: progressPrinter(out),
        onWarning: (m) => out.warn(m)
      });
    } catch (err) {
      if (err instanceof AuthError) {
        throw new CliError('AuthenticationFailed', err.message, {
          action:
            'Check the connected app (client credentials flow enabled, run-as user set) or log in again with `sf org login web`.',
          exitCode: 2
        });
      }
      throw err;
    }
    return { result: summary, human: formatSummary(summary), exitCode: summary.ok ? 0 : 1 };
  });
}

// Standalone entry: `tsx scripts/simulate/main.ts …`.
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  // Option errors exit 2 like the other "could not start" cases; --help exits 0.
  await simulateCommand()
    .name('npm run simulate --')
    .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2))
    .parseAsync(process.argv);
}
