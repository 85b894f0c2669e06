/**
 * Options and helpers every command shares.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { CliError } from '../lib/output.ts';

export interface CommonOptions {
  targetOrg?: string;
  json?: boolean;
}

export function withCommonOptions(command: Command): Command {
  return command
    .option(
      '-o, --target-org <aliasOrUsername>',
      'org alias or username known to the sf CLI (default: the sf default target org)'
    )
    .option('--json', 'print one JSON document (for scripts) instead of the readable report');
}

/** Collects a repeatable option into a list, each value kept whole. */
export function collectEach(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Collects a repeatable, comma-separable option into a list. */
export function collect(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((v) => v.trim())
      .filter((v) => v !== '')
  ];
}

/**
 * Asks a yes/no question on the terminal. `--yes` answers for the user; without a terminal (or
 * in --json mode) the command refuses rather than act unasked.
 */
export async function confirm(
  question: string,
  options: { yes?: boolean; json?: boolean }
): Promise<boolean> {
  if (options.yes) return true;
  if (options.json || !process.stdin.isTTY) {
    throw new CliError(
      'ConfirmationRequired',
      'This changes the org and needs confirmation, but there is no terminal to ask.',
      {
        action: 'Review the plan (run without --json in a terminal), then rerun with --yes.',
        exitCode: 2
      }
    );
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${question} [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

/** Runs a child process; its output goes to stderr so stdout stays clean for --json. */
export async function run(
  command: string,
  args: string[],
  cwd: string,
  options: { quiet?: boolean } = {}
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      stdio: ['inherit', 'pipe', 'pipe'],
      env: process.env
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (!options.quiet) process.stderr.write(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (!options.quiet) process.stderr.write(chunk);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(output);
      else
        reject(
          new CliError(
            'CommandFailed',
            `\`${command} ${args.join(' ')}\` exited with ${code}.\n${output.slice(-2000)}`
          )
        );
    });
  });
}

/** `npm run build` (compiles the LWC TypeScript) when the project defines it. */
export async function buildPackage(projectDir: string, json: boolean): Promise<boolean> {
  const file = join(projectDir, 'package.json');
  if (!existsSync(file)) return false;
  const pkg = JSON.parse(readFileSync(file, 'utf8')) as {
    scripts?: Record<string, string>;
  };
  if (!pkg.scripts?.build) return false;
  await run('npm', ['run', '--silent', 'build'], projectDir, { quiet: json });
  return true;
}

/** The pinned sf CLI from node_modules (falls back to `sf` on PATH). */
export function sfBinary(projectDir: string): string {
  const local = join(projectDir, 'node_modules', '.bin', 'sf');
  return existsSync(local) ? local : 'sf';
}
