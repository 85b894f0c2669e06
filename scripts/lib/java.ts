/**
 * Finding and running the Java 17+ runtime that the Apex checks need.
 *
 * apex-ls and PMD ship as jars inside Salesforce Code Analyzer's PMD engine package
 * (@salesforce/code-analyzer-pmd-engine/dist/java-lib); both need Java 17 or newer.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

export const MIN_JAVA_MAJOR = 17;

const INSTALL_HINT = `install Java ${MIN_JAVA_MAJOR} or newer (on Debian: apt-get install openjdk-17-jre-headless) and make sure \`java\` is on PATH`;

/** The environment cannot run the Java-based checks (no java, or one that is too old). */
export class JavaUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JavaUnavailableError';
  }
}

export interface JavaRuntime {
  /** Command used to start the JVM (`java`, resolved through PATH). */
  command: string;
  /** Full version string, e.g. `17.0.15`. */
  version: string;
  /** Feature release, e.g. 17. */
  major: number;
}

/**
 * Parses the major version out of `java -version` output.
 * Handles both the modern scheme (`"17.0.15"`, `"21"`) and the legacy one (`"1.8.0_392"` → 8).
 */
export function parseJavaVersion(output: string): { version: string; major: number } | undefined {
  const match = /version "([^"]+)"/.exec(output);
  if (!match?.[1]) return undefined;
  const version = match[1];
  const parts = version.split(/[._+-]/).map((p) => Number.parseInt(p, 10));
  const first = parts[0];
  if (first === undefined || Number.isNaN(first)) return undefined;
  const major = first === 1 && parts[1] !== undefined && !Number.isNaN(parts[1]) ? parts[1] : first;
  return { version, major };
}

/**
 * Locates `java` on PATH and checks it is new enough.
 * @throws JavaUnavailableError with a one-line, actionable message.
 */
export function detectJava(env: NodeJS.ProcessEnv = process.env): JavaRuntime {
  const result = spawnSync('java', ['-version'], { env, encoding: 'utf8' });
  if (result.error) {
    const code = (result.error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new JavaUnavailableError(`Java not found on PATH: ${INSTALL_HINT}.`);
    }
    throw new JavaUnavailableError(
      `Could not run \`java -version\` (${result.error.message}): ${INSTALL_HINT}.`
    );
  }
  const parsed = parseJavaVersion(`${result.stderr}\n${result.stdout}`);
  if (!parsed) {
    throw new JavaUnavailableError(
      `Could not read the Java version from \`java -version\`: ${INSTALL_HINT}.`
    );
  }
  if (parsed.major < MIN_JAVA_MAJOR) {
    throw new JavaUnavailableError(`Java ${parsed.version} is too old: ${INSTALL_HINT}.`);
  }
  return { command: 'java', ...parsed };
}

/** Folder holding the apex-ls and PMD jars shipped by @salesforce/code-analyzer-pmd-engine. */
export function codeAnalyzerJavaLib(): string {
  const require = createRequire(import.meta.url);
  const entry = require.resolve('@salesforce/code-analyzer-pmd-engine');
  return path.join(path.dirname(entry), 'java-lib');
}

export interface JavaRunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * Short-lived analysis runs start faster with the serial collector and the C1 compiler only
 * (measured on the fixtures: apex-ls 1.4 s → 1.1 s, PMD 1.8 s → 1.4 s).
 */
const JVM_FLAGS = ['-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1'];

/** Runs `java -cp <classpath> <mainClass> <args…>` and collects its output. */
export function runJava(
  java: JavaRuntime,
  classpath: string[],
  mainClass: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}
): Promise<JavaRunResult> {
  const timeoutMs = options.timeoutMs ?? 5 * 60_000;
  return new Promise((resolve, reject) => {
    const child = spawn(
      java.command,
      [...JVM_FLAGS, '-cp', classpath.join(path.delimiter), mainClass, ...args],
      {
        cwd: options.cwd,
        env: options.env ?? process.env,
        stdio: ['ignore', 'pipe', 'pipe'],
        // A hung JVM must not hang CI: stop it and report a tool failure.
        timeout: timeoutMs,
        killSignal: 'SIGKILL'
      }
    );
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal === 'SIGKILL' && code === null) {
        reject(
          new Error(`${mainClass} did not finish within ${timeoutMs / 1000} s and was stopped`)
        );
        return;
      }
      resolve({
        exitCode: code ?? (signal ? 128 : 1),
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8')
      });
    });
  });
}
