/**
 * Stage 2 of check:apex: apex-ls `CheckForIssues` over the whole sfdx project, in one JVM run.
 *
 * apex-ls loads the platform's types (standard-types / sobject-types jars) and the project's own
 * metadata (objects, fields, labels, other classes), so it reports what the compiler would:
 * unknown types, fields and methods, missing meta files, duplicate declarations, syntax errors.
 * Categories from its JSON output: Syntax, Error, Missing (unknown symbol) → errors;
 * Warning → warnings. `-n` turns off its on-disk cache so every run sees the tree as it is.
 *
 * apex-ls does not resolve the fields inside static SOQL, so the run also carries a generated
 * probe class that reads each queried field path (see apex-soql-probes.ts). apex-ls runs on a
 * temporary copy of the package directories, never on the working tree itself.
 */
import { cp, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { makeStageResult, oneLine, type Finding, type StageResult } from './apex-findings.ts';
import { toRelative, type ApexProject } from './apex-project.ts';
import {
  customFieldGaps,
  probeClassSource,
  readExtendedStandardObjects,
  type SoqlFieldProbe
} from './apex-soql-probes.ts';
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

const PROBE_CLASS = 'CheckApexSoqlProbes';
const PROBE_FOLDER = 'check-apex-soql-probes';
/** Folders apex-ls does not need; left out of the temporary copy to keep it small. */
const NOT_COPIED = new Set(['lwc', 'aura', 'staticresources', '__tests__', 'node_modules']);

/**
 * Copies the project's Apex-relevant metadata into a temporary workspace so the SOQL probe class
 * can sit beside it without touching the real tree. Returns the probe class path (relative).
 */
async function prepareWorkspace(
  project: ApexProject,
  work: string,
  probes: SoqlFieldProbe[]
): Promise<{ probeFile?: string; lineOf: number[] }> {
  for (const name of ['sfdx-project.json', '.forceignore']) {
    try {
      await cp(path.join(project.root, name), path.join(work, name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  for (const dir of project.packageDirectories) {
    const from = path.resolve(project.root, dir);
    try {
      await cp(from, path.join(work, dir), {
        recursive: true,
        filter: (src) => !NOT_COPIED.has(path.basename(src))
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  const firstDir = project.packageDirectories[0];
  if (probes.length === 0 || firstDir === undefined) return { lineOf: [] };

  const probeDir = path.join(firstDir, PROBE_FOLDER, 'classes');
  await mkdir(path.join(work, probeDir), { recursive: true });
  const { text, lineOf } = probeClassSource(PROBE_CLASS, probes);
  const probeFile = toRelative(work, path.join(work, probeDir, `${PROBE_CLASS}.cls`));
  await writeFile(path.join(work, probeFile), text, 'utf8');
  await writeFile(
    path.join(work, `${probeFile}-meta.xml`),
    `<?xml version="1.0" encoding="UTF-8"?>
<ApexClass xmlns="http://soap.sforce.com/2006/04/metadata">
    <apiVersion>${project.sourceApiVersion ?? '62.0'}</apiVersion>
    <status>Active</status>
</ApexClass>
`,
    'utf8'
  );
  return { probeFile, lineOf };
}

/** Moves findings on probe lines back to the field in the original query. */
function mapProbeFindings(
  findings: Finding[],
  probeFile: string | undefined,
  lineOf: number[],
  probes: SoqlFieldProbe[]
): Finding[] {
  if (!probeFile) return findings;
  const probeAtLine = new Map(lineOf.map((line, i) => [line, probes[i]] as const));
  const mapped: Finding[] = [];
  for (const finding of findings) {
    if (finding.file !== probeFile) {
      mapped.push(finding);
      continue;
    }
    const probe = probeAtLine.get(finding.line);
    if (!probe) {
      // Not expected: a problem with the generated class itself. Show it, but do not fail on it.
      mapped.push({
        ...finding,
        severity: 'warning',
        message: `check:apex SOQL probe: ${finding.message}`
      });
      continue;
    }
    // An unknown FROM object is already reported by apex-ls on the query itself.
    if (/^No type declaration found for 'Schema\./.test(finding.message)) continue;
    mapped.push({
      ...finding,
      file: probe.file,
      line: probe.line,
      column: probe.column,
      message: `SOQL field ${probe.field}: ${finding.message}`
    });
  }
  return mapped;
}

/** What apex-ls leaves out: custom fields queried on the standard objects the project extends. */
async function customFieldFindings(
  project: ApexProject,
  probes: SoqlFieldProbe[]
): Promise<Finding[]> {
  if (probes.length === 0) return [];
  const listDir = async (dir: string): Promise<{ name: string; isDirectory: boolean }[]> => {
    try {
      const entries = await readdir(dir, { withFileTypes: true });
      return entries.map((e) => ({ name: e.name, isDirectory: e.isDirectory() }));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  };
  const extended = await readExtendedStandardObjects(
    project.packageDirectories.map((dir) => path.resolve(project.root, dir)),
    listDir
  );
  return customFieldGaps(probes, extended).map((probe) => ({
    stage: 'semantic',
    severity: 'error',
    file: probe.file,
    line: probe.line,
    column: probe.column,
    rule: 'Missing',
    message: `SOQL field ${probe.field}: no custom field ${probe.field.split('.')[0]?.replace(/__r$/i, '__c')} on ${probe.object} in the project's metadata (objects/${probe.object}/fields)`
  }));
}

export async function runSemanticStage(
  project: ApexProject,
  java: JavaRuntime,
  probes: SoqlFieldProbe[] = []
): Promise<StageResult> {
  const started = performance.now();
  if (project.sources.length === 0) {
    return makeStageResult('semantic', 0, [], performance.now() - started);
  }
  const work = await mkdtemp(path.join(os.tmpdir(), 'check-apex-ls-'));
  try {
    const { probeFile, lineOf } = await prepareWorkspace(project, work, probes);
    const lib = codeAnalyzerJavaLib();
    const result = await runJava(
      java,
      [path.join(lib, '*')],
      APEX_LS_MAIN,
      ['-w', work, '-n', '-f', 'json', '-d', 'warnings'],
      { cwd: work }
    );
    // Exit codes: 0 = no issues, 4 = issues reported; anything else means apex-ls itself failed.
    if (result.exitCode !== 0 && result.exitCode !== 4) {
      throw new Error(
        `apex-ls CheckForIssues failed (exit ${result.exitCode}): ${oneLine(result.stderr || result.stdout, 600)}`
      );
    }
    let findings: Finding[];
    try {
      findings = parseApexLsJson(result.stdout, work);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(
        `Could not read apex-ls output (${reason}): ${oneLine(result.stdout + result.stderr, 600)}`
      );
    }
    if (result.exitCode === 4 && findings.length === 0) {
      throw new Error('apex-ls reported issues (exit 4) but its JSON report lists none');
    }
    // Messages may quote paths inside the temporary copy; point them at the real project.
    findings = findings.map((f) => ({ ...f, message: f.message.split(work).join(project.root) }));
    findings = mapProbeFindings(findings, probeFile, lineOf, probes);
    findings.push(...(await customFieldFindings(project, probes)));
    return makeStageResult(
      'semantic',
      project.sources.length,
      findings,
      performance.now() - started
    );
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
