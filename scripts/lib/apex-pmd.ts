/**
 * Stage 3 of check:apex: PMD 7 Apex rules over every class and trigger, in one JVM run.
 *
 * PMD's own CLI (pmd-cli) is not among the jars Salesforce Code Analyzer ships, so the stage drives
 * Code Analyzer's PMD wrapper (`com.salesforce.sfca.pmdwrapper.PmdWrapper run <input.json> <out.json>`),
 * which runs pmd-core/pmd-apex 7.x with a ruleset we write and reports violations as JSON.
 * Rule categories and priorities come from the category XML inside the pmd-apex jar itself.
 *
 * Policy (also in docs/checks.md):
 *   - security (category/apex/security.xml): every finding is an error.
 *   - errorprone, performance, bestpractices: priority 1-2 findings are errors, and so are the
 *     rules in PROMOTED_RULES, which STYLE.md makes team rules; everything else is a warning.
 *   - A file PMD cannot parse is an error.
 *   - EXCLUDED_RULES are not run (each would flag code written the way STYLE.md asks).
 * Other categories (codestyle, design, documentation) are not run.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { XMLParser } from 'fast-xml-parser';
import JSZip from 'jszip';
import { makeStageResult, oneLine, type Finding, type StageResult } from './apex-findings.ts';
import { toRelative, type ApexProject } from './apex-project.ts';
import { codeAnalyzerJavaLib, runJava, type JavaRuntime } from './java.ts';

export const PMD_WRAPPER_MAIN = 'com.salesforce.sfca.pmdwrapper.PmdWrapper';

export const PMD_CATEGORIES = ['security', 'errorprone', 'performance', 'bestpractices'] as const;
export type PmdCategory = (typeof PMD_CATEGORIES)[number];

/** Below-priority-2 rules that fail the check anyway, with the STYLE.md rule they enforce. */
export const PROMOTED_RULES: Readonly<Record<string, string>> = {
  OperationWithLimitsInLoop: 'bulk-safe: no SOQL or DML inside loops',
  AvoidLogicInTrigger: 'the trigger itself is one line delegating to a handler',
  EmptyCatchBlock: 'catch specific exceptions and handle them; never swallow errors',
  AvoidHardcodingId: 'record ids differ between orgs; a hard-coded id breaks on install',
  ApexUnitTestClassShouldHaveAsserts: 'tests assert their outcome',
  ApexAssertionsShouldIncludeMessage: 'every assertion carries a message',
  ApexUnitTestShouldNotUseSeeAllDataTrue: 'tests build their own data (TestDataFactory)'
};

/** Rules not run at all, with their category and the reason; each would flag code that follows STYLE.md. */
export const EXCLUDED_RULES: Readonly<Record<string, { category: PmdCategory; reason: string }>> = {
  ApexUnitTestClassShouldHaveRunAs: {
    category: 'bestpractices',
    reason:
      'STYLE.md asks for System.runAs on security paths, not in every test method; PMD flags every test without it'
  }
};

export interface PmdRuleInfo {
  name: string;
  category: PmdCategory;
  /** PMD priority, 1 (highest) to 5; rules without one default to 5 as in PMD. */
  priority: number;
}

/** How a violation of `rule` counts under the policy above. */
export function severityFor(rule: PmdRuleInfo | undefined): 'error' | 'warning' {
  if (!rule) return 'error';
  if (rule.category === 'security') return 'error';
  if (rule.priority <= 2) return 'error';
  return rule.name in PROMOTED_RULES ? 'error' : 'warning';
}

let ruleCache: Promise<Map<string, PmdRuleInfo>> | undefined;

/** Reads rule names, categories and priorities from category/apex/*.xml inside the pmd-apex jar. */
export function loadPmdRules(lib = codeAnalyzerJavaLib()): Promise<Map<string, PmdRuleInfo>> {
  ruleCache ??= readRulesFromJar(lib);
  return ruleCache;
}

async function readRulesFromJar(lib: string): Promise<Map<string, PmdRuleInfo>> {
  const jarName = (await readdir(lib)).find((f) => /^pmd-apex-\d.*\.jar$/.test(f));
  if (!jarName) throw new Error(`pmd-apex jar not found in ${lib}`);
  const zip = await JSZip.loadAsync(await readFile(path.join(lib, jarName)));
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    isArray: (name) => name === 'rule'
  });
  const rules = new Map<string, PmdRuleInfo>();
  for (const category of PMD_CATEGORIES) {
    const entry = zip.file(`category/apex/${category}.xml`);
    if (!entry) throw new Error(`category/apex/${category}.xml missing from ${jarName}`);
    const xml = parser.parse(await entry.async('string')) as {
      ruleset?: { rule?: { name?: string; ref?: string; priority?: number | string }[] };
    };
    for (const rule of xml.ruleset?.rule ?? []) {
      if (!rule.name || rule.ref) continue; // `ref` entries are deprecated aliases of rules elsewhere
      const priority = Number(rule.priority ?? 5);
      rules.set(rule.name, {
        name: rule.name,
        category,
        priority: Number.isFinite(priority) ? priority : 5
      });
    }
  }
  return rules;
}

export function rulesetXml(categories: readonly PmdCategory[] = PMD_CATEGORIES): string {
  const refs = categories
    .map((c) => {
      const excluded = Object.entries(EXCLUDED_RULES)
        .filter(([, rule]) => rule.category === c)
        .map(([name]) => name);
      if (excluded.length === 0) return `  <rule ref="category/apex/${c}.xml" />`;
      const excludes = excluded.map((name) => `    <exclude name="${name}" />`).join('\n');
      return `  <rule ref="category/apex/${c}.xml">\n${excludes}\n  </rule>`;
    })
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<ruleset name="check-apex"
    xmlns="http://pmd.sourceforge.net/ruleset/2.0.0"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xsi:schemaLocation="http://pmd.sourceforge.net/ruleset/2.0.0 https://pmd.sourceforge.io/ruleset_2_0_0.xsd">
  <description>Apex rules run by npm run check:apex</description>
${refs}
</ruleset>
`;
}

interface PmdWrapperResults {
  violations?: {
    rule?: string;
    message?: string;
    codeLocation?: { file?: string; startLine?: number; startCol?: number };
  }[];
  processingErrors?: { file?: string; message?: string }[];
}

/** Turns the wrapper's results file into findings, applying the policy. */
export function pmdFindings(
  results: PmdWrapperResults,
  rules: Map<string, PmdRuleInfo>,
  projectRoot: string
): Finding[] {
  const findings: Finding[] = [];
  for (const v of results.violations ?? []) {
    const ruleName = v.rule ?? 'unknown';
    const info = rules.get(ruleName);
    findings.push({
      stage: 'pmd',
      severity: severityFor(info),
      file: toRelative(projectRoot, path.resolve(projectRoot, v.codeLocation?.file ?? '')),
      line: v.codeLocation?.startLine ?? 0,
      column: v.codeLocation?.startCol ?? 0,
      rule: ruleName,
      message: oneLine(v.message ?? '(no message)'),
      detail: info
        ? `${info.category}, priority ${info.priority}`
        : 'rule not in the configured categories'
    });
  }
  for (const e of results.processingErrors ?? []) {
    const location = /at (\d+):(\d+)/.exec(e.message ?? '');
    findings.push({
      stage: 'pmd',
      severity: 'error',
      file: toRelative(projectRoot, path.resolve(projectRoot, e.file ?? '')),
      line: location ? Number(location[1]) : 0,
      column: location ? Number(location[2]) : 0,
      rule: 'ProcessingError',
      message: oneLine(`PMD could not analyse this file: ${e.message ?? ''}`)
    });
  }
  return findings;
}

export async function runPmdStage(project: ApexProject, java: JavaRuntime): Promise<StageResult> {
  const started = performance.now();
  if (project.sources.length === 0) {
    return makeStageResult('pmd', 0, [], performance.now() - started);
  }
  const lib = codeAnalyzerJavaLib();
  const work = await mkdtemp(path.join(os.tmpdir(), 'check-apex-pmd-'));
  try {
    const rulesetFile = path.join(work, 'ruleset.xml');
    const inputFile = path.join(work, 'input.json');
    const outputFile = path.join(work, 'results.json');
    await writeFile(rulesetFile, rulesetXml(), 'utf8');
    const input = {
      ruleSetInputFile: rulesetFile,
      runDataPerLanguage: { apex: { filesToScan: project.sources.map((s) => s.file) } }
    };
    await writeFile(inputFile, JSON.stringify(input), 'utf8');
    const running = runJava(
      java,
      [path.join(lib, '*')],
      PMD_WRAPPER_MAIN,
      ['run', inputFile, outputFile],
      {
        cwd: project.root
      }
    );
    // Categories and priorities are only needed for the results: read them while PMD runs.
    const [result, rules] = await Promise.all([running, loadPmdRules(lib)]);
    if (result.exitCode !== 0) {
      throw new Error(
        `PMD failed (exit ${result.exitCode}): ${oneLine(result.stderr || result.stdout, 600)}`
      );
    }
    let results: PmdWrapperResults;
    try {
      results = JSON.parse(await readFile(outputFile, 'utf8')) as PmdWrapperResults;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(
        `Could not read PMD results (${reason}): ${oneLine(result.stdout + result.stderr, 600)}`
      );
    }
    const findings = pmdFindings(results, rules, project.root);
    return makeStageResult('pmd', project.sources.length, findings, performance.now() - started);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
