/**
 * How commands talk to people and to scripts.
 *
 * - Human mode: progress on stderr (a spinner on a terminal, plain lines otherwise), the report
 *   on stdout. Every message says what happened, what it means, and what to do next.
 * - `--json`: nothing but one JSON document on stdout, shaped like the sf CLI's:
 *   `{ "status": 0, "result": … }` or `{ "status": <exit code>, "name", "message", "action", "data" }`.
 */
import ora from 'ora';

export class CliError extends Error {
  readonly exitCode: number;
  readonly action?: string;
  readonly data?: unknown;
  override readonly name: string;

  /**
   * @param name stable error name for scripts (e.g. `ProductionNotValidated`)
   * @param message what happened and what it means
   * @param options action: what to do next; exitCode (default 1); data: details for --json
   */
  constructor(
    name: string,
    message: string,
    options: { action?: string; exitCode?: number; data?: unknown } = {}
  ) {
    super(message);
    this.name = name;
    this.action = options.action;
    this.exitCode = options.exitCode ?? 1;
    this.data = options.data;
  }
}

export interface Output {
  readonly json: boolean;
  /** Runs one step with progress; failures propagate after the step is marked failed. */
  step<T>(title: string, run: () => Promise<T>): Promise<T>;
  /** A line of information for people (stderr in JSON mode is silent). */
  info(message: string): void;
  warn(message: string): void;
}

export function createOutput(json: boolean, stream: NodeJS.WriteStream = process.stderr): Output {
  const interactive = !json && stream.isTTY === true && !process.env.CI;
  return {
    json,
    async step<T>(title: string, run: () => Promise<T>): Promise<T> {
      if (json) return run();
      const started = Date.now();
      const seconds = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
      if (interactive) {
        const spinner = ora({ text: title, stream }).start();
        try {
          const result = await run();
          spinner.succeed(`${title} (${seconds()})`);
          return result;
        } catch (err) {
          spinner.fail(`${title} — failed after ${seconds()}`);
          throw err;
        }
      }
      stream.write(`… ${title}\n`);
      try {
        const result = await run();
        stream.write(`✔ ${title} (${seconds()})\n`);
        return result;
      } catch (err) {
        stream.write(`✖ ${title} — failed after ${seconds()}\n`);
        throw err;
      }
    },
    info(message: string): void {
      if (!json) stream.write(`${message}\n`);
    },
    warn(message: string): void {
      if (!json) stream.write(`Warning: ${message}\n`);
    }
  };
}

export interface CommandOutcome<T> {
  result: T;
  /** The report for people, printed on stdout in human mode. */
  human: string;
  exitCode?: number;
}

/**
 * Runs a command body and prints its outcome in the chosen mode; returns the exit code.
 * Unexpected errors are reported like CliErrors with the underlying message.
 */
export async function runCommand(
  json: boolean,
  body: (out: Output) => Promise<CommandOutcome<unknown>>,
  stdout: NodeJS.WritableStream = process.stdout
): Promise<number> {
  const out = createOutput(json);
  try {
    const outcome = await body(out);
    const status = outcome.exitCode ?? 0;
    if (json) stdout.write(JSON.stringify({ status, result: outcome.result }, null, 2) + '\n');
    else stdout.write(outcome.human.endsWith('\n') ? outcome.human : outcome.human + '\n');
    return status;
  } catch (err) {
    const error =
      err instanceof CliError
        ? err
        : new CliError(errorName(err), errorMessage(err), {
            action:
              'If this persists, rerun with DEBUG=coconut and check the org is reachable (`sf org display --target-org <alias>`).'
          });
    if (json) {
      stdout.write(
        JSON.stringify(
          {
            status: error.exitCode,
            name: error.name,
            message: error.message,
            action: error.action,
            data: error.data
          },
          null,
          2
        ) + '\n'
      );
    } else {
      process.stderr.write(`\nError (${error.name}): ${error.message}\n`);
      if (error.action) process.stderr.write(`What to do: ${error.action}\n`);
      if (process.env.DEBUG?.includes('coconut') && err instanceof Error && err.stack)
        process.stderr.write(`${err.stack}\n`);
    }
    return error.exitCode;
  }
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

function errorName(err: unknown): string {
  if (err instanceof Error && err.name && err.name !== 'Error') return err.name;
  return 'UnexpectedError';
}
