/**
 * npm start [-- --fresh] [--port <n>] [--data-dir <dir>] [--json]
 *
 * The whole integration on one machine: builds the LWCs, starts the local org with the package
 * deployed and the record pages on the same origin, seeds demo data and runs the Coconut
 * simulator on the first start, prints the URLs, tokens and a curl example, and stays up until
 * Ctrl-C (SIGINT/SIGTERM), which stops it cleanly (exit code 0). See README.md.
 */
import { Command } from 'commander';
import { formatReady } from './start/format.ts';
import { DEFAULT_PORT, startAll, type Started } from './start/start.ts';

interface CliOptions {
  fresh: boolean;
  port: string;
  dataDir: string;
  json: boolean;
}

const program = new Command()
  .name('npm start --')
  .description('Run the local org with the Coconut package, demo data and record pages')
  .option(
    '--fresh',
    'start over: forget the records and deployed metadata, seed and simulate again',
    false
  )
  .option('-p, --port <n>', 'port on 127.0.0.1 (0 = any free port)', String(DEFAULT_PORT))
  .option('-d, --data-dir <dir>', 'where the org keeps its state', '.local-org')
  .option('--json', 'print the ready information as one JSON line (progress goes to stderr)', false)
  .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2));

program.parse(process.argv);
const opts = program.opts<CliOptions>();
const port = Number(opts.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`--port ${opts.port}: expected a port number between 0 and 65535\n`);
  process.exit(2);
}

const say = (line: string): void => {
  (opts.json ? process.stderr : process.stdout).write(`${line}\n`);
};

let started: Started | undefined;
let stopping = false;
let pendingSignal = '';
const stop = (signal: string): void => {
  if (stopping) return;
  stopping = true;
  if (!started) {
    pendingSignal = signal;
    say(`\n${signal}: stopping as soon as the start finishes…`);
    return;
  }
  say(`\n${signal}: stopping the local org, saving its state…`);
  started
    .close()
    .then(() => {
      say('Stopped.');
      process.exit(0);
    })
    .catch((err: unknown) => {
      process.stderr.write(`npm start: error while stopping: ${String(err)}\n`);
      process.exit(1);
    });
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));

try {
  started = await startAll({
    projectDir: process.cwd(),
    dataDir: opts.dataDir,
    port,
    fresh: opts.fresh,
    progress: say,
    log: (line) => process.stderr.write(`${line}\n`)
  });
} catch (err) {
  const e = err as NodeJS.ErrnoException;
  const hint =
    e.code === 'EADDRINUSE'
      ? ` (port ${port} is taken: is another npm start or local-org running? Try --port 0)`
      : '';
  process.stderr.write(`npm start could not start: ${e.message}${hint}\n`);
  process.exit(1);
}
if (stopping) {
  // A signal arrived while starting: stop now.
  stopping = false;
  stop(pendingSignal);
} else if (opts.json) process.stdout.write(`${JSON.stringify(started.info)}\n`);
else process.stdout.write(`${formatReady(started.info)}\n`);
