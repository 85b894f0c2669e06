/**
 * Stage 2 of check:apex: apex-ls `CheckForIssues` over the whole sfdx project, in one JVM run.
 *
 * apex-ls loads the platform's types (standard-types / sobject-types jars) and the project's own
 * metadata (objects, fields, labels, other classes), so it reports what the compiler would:
 * unknown types, fields and methods, missing meta files, duplicate declarations, syntax errors.
 * Categories from its JSON output: Syntax, Error, Missing (unknown symbol) → errors;
 * Warning → warnings. `-n` turns off its on-disk cache so every run sees the tree as it is.
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { makeStageResult, oneLine, type Finding, type StageResult } from './apex-findings.ts';
import { toRelative, type ApexProject } from './apex-project.ts';
import { codeAnalyzerJavaLib, runJava, type JavaRuntime } from './java.ts';

export const APEX_LS_MAIN = 'io.github.apexdevtools.apexls.CheckForIssues';

interface ApexLsPosition {
  line?: number;
  offset?: number;
}

interface ApexLsOutput {
  files?: {
    path?: string;
    messages?: { start?: ApexLsPosition; category?: string; message?: string }[];
  }[];
}

/** Turns apex-ls `-f json` output into findings with paths relative to the project root. */
export function parseApexLsJson(stdout: string, projectRoot: string): Finding[] {
  const start = stdout.indexOf('{');
  if (start < 0) throw new Error('apex-ls printed no JSON report');
  const report = JSON.parse(stdout.slice(start)) as ApexLsOutput;
  const findings: Finding[] = [];
  for (const file of report.files ?? []) {
    const absolute = path.resolve(projectRoot, file.path ?? '');
    for (const message of file.messages ?? []) {
      const category = message.category ?? 'Error';
      const line = message.start?.line ?? 0;
      findings.push({
        stage: 'semantic',
        severity: category === 'Warning' || category === 'Unused' ? 'warning' : 'error',
        file: toRelative(projectRoot, absolute),
        line,
        // apex-ls offsets are 0-based columns; a 1:0 position means "whole file".
        column: line > 0 ? (message.start?.offset ?? 0) + 1 : 0,
        rule: category,
        message: oneLine(message.message ?? '(no message)')
      });
    }
  }
  return findings;
}

export async function runSemanticStage(
  project: ApexProject,
  java: JavaRuntime
): Promise<StageResult> {
  const started = performance.now();
  if (project.sources.length === 0) {
    return makeStageResult('semantic', 0, [], performance.now() - started);
  }
  const lib = codeAnalyzerJavaLib();
  const result = await runJava(
    java,
    [path.join(lib, '*')],
    APEX_LS_MAIN,
    ['-w', project.root, '-n', '-f', 'json', '-d', 'warnings'],
    { cwd: project.root }
  );
  // Exit codes: 0 = no issues, 4 = issues reported; anything else means apex-ls itself failed.
  if (result.exitCode !== 0 && result.exitCode !== 4) {
    throw new Error(
      `apex-ls CheckForIssues failed (exit ${result.exitCode}): ${oneLine(result.stderr || result.stdout, 600)}`
    );
  }
  let findings: Finding[];
  try {
    findings = parseApexLsJson(result.stdout, project.root);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `Could not read apex-ls output (${reason}): ${oneLine(result.stdout + result.stderr, 600)}`
    );
  }
  if (result.exitCode === 4 && findings.length === 0) {
    throw new Error('apex-ls reported issues (exit 4) but its JSON report lists none');
  }
  return makeStageResult('semantic', project.sources.length, findings, performance.now() - started);
}
