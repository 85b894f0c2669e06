/**
 * npm run check:apex — static checks over every Apex class and trigger in the package
 * directories of sfdx-project.json. Three stages, each one pass over the whole project:
 *
 *   1. syntax    @apexdevtools/apex-parser parses each .cls/.trigger; any lexer or parser error fails.
 *   2. semantic  apex-ls CheckForIssues (one JVM run) resolves every type, field and method against
 *                the platform's types and the project's own metadata (objects, fields, labels,
 *                classes). Unknown symbols, missing meta files and other compile errors fail;
 *                apex-ls warnings are reported. apex-ls does not check the fields named inside
 *                static SOQL, so the same run resolves a generated probe for each of them
 *                (scripts/lib/apex-soql-probes.ts); dynamic SOQL strings are not checked.
 *   3. pmd       PMD 7 Apex rules (one JVM run), categories security, errorprone, performance and
 *                bestpractices. Policy: every security finding fails; in the other categories,
 *                priority 1-2 findings fail, and so do the rules STYLE.md makes team rules
 *                (see PROMOTED_RULES in scripts/lib/apex-pmd.ts: SOQL/DML in loops, logic in
 *                triggers, empty catch blocks, hard-coded ids, tests without asserts or assertion
 *                messages, SeeAllData=true). Everything else is reported as a warning.
 *
 * All selected stages run even when stage 1 finds errors, so one broken file does not hide the
 * rest of the report; for a file stage 1 flagged as unparsable, apex-ls findings (the same
 * syntax error plus follow-on noise) and PMD's processing error are dropped.
 * Stages 2 and 3 need Java 17+ on PATH (the jars come with @salesforce/code-analyzer-pmd-engine).
 *
 * Usage: tsx scripts/check-apex.ts [--stage syntax|semantic|pmd]... [--json] [--project <dir>]
 * Exit codes: 0 no errors (warnings allowed), 1 errors found, 2 could not run (no/old Java,
 * unreadable project, tool failure).
 * Details and rationale: docs/checks.md.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command } from 'commander';
import {
  STAGES,
  formatFinding,
  makeStageResult,
  type StageName,
  type StageResult
} from './lib/apex-findings.ts';
import { loadApexProject, type ApexProject } from './lib/apex-project.ts';
import { runPmdStage } from './lib/apex-pmd.ts';
import { runSemanticStage } from './lib/apex-semantic.ts';
import { soqlFieldProbes, type SoqlFieldProbe } from './lib/apex-soql-probes.ts';
import { parseSources, syntaxStageResult, type ParsedSource } from './lib/apex-syntax.ts';
import { JavaUnavailableError, detectJava, type JavaRuntime } from './lib/java.ts';

export interface CheckApexOptions {
  project: string;
  stages: StageName[];
}

export interface CheckApexReport {
  ok: boolean;
  project: string;
  classes: number;
  triggers: number;
  java?: string;
  stages: StageResult[];
}

const STAGE_TITLES: Record<StageName, string> = {
  syntax: 'apex-parser syntax check',
  semantic: 'apex-ls CheckForIssues',
  pmd: 'PMD 7 (security, errorprone, performance, bestpractices)'
};

/**
 * apex-ls and PMD also trip over a file that does not parse: apex-ls reports the syntax error again
 * plus follow-on "unknown symbol" noise from its error recovery, PMD a processing error. Once stage 1
 * has flagged the file, drop those so each problem is reported once; other files keep every finding.
 */
function withoutRepeatedSyntaxErrors(result: StageResult, unparsable: Set<string>): StageResult {
  if (unparsable.size === 0) return result;
  const kept = result.findings.filter(
    (f) => !unparsable.has(f.file) || (result.stage === 'pmd' && f.rule !== 'ProcessingError')
  );
  return makeStageResult(result.stage, result.files, kept, result.durationMs);
}

/** Runs the selected stages in order. Throws JavaUnavailableError when a JVM stage cannot run. */
export async function checkApex(
  options: CheckApexOptions,
  onStage: (result: StageResult) => void = () => {}
): Promise<CheckApexReport> {
  const project: ApexProject = await loadApexProject(options.project);
  const selected = STAGES.filter((s) => options.stages.includes(s));
  const needsJava = selected.some((s) => s !== 'syntax');
  const java: JavaRuntime | undefined = needsJava ? detectJava() : undefined;

  const stages: StageResult[] = [];
  const unparsable = new Set<string>();
  // The stages run side by side: PMD's JVM starts at once; the parse (stage 1) runs in this
  // process, and apex-ls starts as soon as it is done, because its SOQL field probes come from
  // the parse trees. Results are reported in stage order.
  // PMD's JVM is started first, before the CPU-bound parse occupies this thread.
  const pmd = selected.includes('pmd') ? runPmdStage(project, java as JavaRuntime) : undefined;
  const parsing =
    selected.includes('syntax') || selected.includes('semantic')
      ? parseSources(project.sources)
      : undefined;
  const probesOf = (parsed: ParsedSource[]): SoqlFieldProbe[] =>
    parsed
      .filter((p) => p.errors.length === 0)
      .flatMap((p) => soqlFieldProbes(p.tree, p.source.relative));
  const start = async (stage: StageName): Promise<StageResult> => {
    if (stage === 'pmd') return pmd as Promise<StageResult>;
    const { parsed, durationMs } = await (parsing as ReturnType<typeof parseSources>);
    if (stage === 'syntax') return syntaxStageResult(parsed, durationMs);
    return runSemanticStage(project, java as JavaRuntime, probesOf(parsed));
  };
  const running = new Map(selected.map((stage) => [stage, start(stage)] as const));
  for (const pending of running.values()) pending.catch(() => {}); // awaited below, in order
  for (const stage of selected) {
    let result = await (running.get(stage) as Promise<StageResult>);
    if (stage === 'syntax') {
      for (const finding of result.findings) unparsable.add(finding.file);
    } else {
      result = withoutRepeatedSyntaxErrors(result, unparsable);
    }
    stages.push(result);
    onStage(result);
  }

  return {
    ok: stages.every((s) => s.errors === 0),
    project: project.root,
    classes: project.sources.filter((s) => s.kind === 'class').length,
    triggers: project.sources.filter((s) => s.kind === 'trigger').length,
    java: java?.version,
    stages
  };
}

function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export function formatStage(result: StageResult): string[] {
  const title = `[${result.stage}] ${STAGE_TITLES[result.stage]}`;
  return [
    `${title}: ${plural(result.files, 'file')}, ${plural(result.errors, 'error')}, ` +
      `${plural(result.warnings, 'warning')} (${seconds(result.durationMs)})`,
    ...result.findings.map((f) => `  ${formatFinding(f)}`)
  ];
}

export function formatSummary(report: CheckApexReport): string {
  const errors = report.stages.reduce((n, s) => n + s.errors, 0);
  const warnings = report.stages.reduce((n, s) => n + s.warnings, 0);
  const counted = `${plural(report.classes, 'class', 'classes')}, ${plural(report.triggers, 'trigger')}`;
  if (report.ok) {
    return `check:apex passed: ${counted}, ${plural(warnings, 'warning')}.`;
  }
  const perStage = report.stages
    .filter((s) => s.errors > 0)
    .map((s) => `${s.stage} ${s.errors}`)
    .join(', ');
  return `check:apex failed: ${counted}, ${plural(errors, 'error')} (${perStage}), ${plural(warnings, 'warning')}.`;
}

function parseStages(values: string[] | undefined): StageName[] {
  if (!values || values.length === 0) return [...STAGES];
  const names = values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
  for (const name of names) {
    if (!STAGES.includes(name as StageName)) {
      throw new Error(`Unknown stage "${name}": use one of ${STAGES.join(', ')}.`);
    }
  }
  return names as StageName[];
}

export async function main(argv: string[] = process.argv): Promise<number> {
  const program = new Command()
    .name('check-apex')
    .description(
      'Static checks for the Apex in the sfdx package directories: syntax, apex-ls semantics, PMD rules.'
    )
    .option(
      '--stage <name...>',
      'run only these stages: syntax, semantic, pmd (repeat or comma-separate)'
    )
    .option('--json', 'print one JSON report on stdout instead of text', false)
    .option('--project <dir>', 'sfdx project root (folder with sfdx-project.json)', process.cwd())
    .showHelpAfterError()
    .exitOverride();

  let opts: { stage?: string[]; json: boolean; project: string };
  try {
    program.parse(argv);
    opts = program.opts();
  } catch (error) {
    const code = (error as { exitCode?: number }).exitCode;
    return code === 0 ? 0 : 2;
  }

  let stages: StageName[];
  try {
    stages = parseStages(opts.stage);
  } catch (error) {
    console.error((error as Error).message);
    return 2;
  }

  const print = (result: StageResult): void => {
    if (!opts.json) for (const line of formatStage(result)) console.log(line);
  };

  try {
    const report = await checkApex({ project: opts.project, stages }, print);
    if (opts.json) console.log(JSON.stringify(report, null, 2));
    else console.log(formatSummary(report));
    return report.ok ? 0 : 1;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const line =
      error instanceof JavaUnavailableError
        ? `check:apex: ${message}`
        : `check:apex could not run: ${message}`;
    console.error(line);
    if (opts.json) console.log(JSON.stringify({ ok: false, error: message }));
    return 2;
  }
}

const invokedDirectly =
  process.argv[1] !== undefined &&
  import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (invokedDirectly) {
  process.exitCode = await main();
}
