/**
 * Reading a Metadata API deploy result (as SDR returns it): component errors, test failures and
 * the coverage gate (org-wide ≥ 75%, and every class and trigger of the package ≥ the project's bar).
 */
import type { MetadataApiDeployStatus } from '@salesforce/source-deploy-retrieve';

export const ORG_WIDE_MINIMUM = 75;
/** The project's own bar for each of its classes and triggers (see docs/admin-guide.md). */
export const PACKAGE_CLASS_MINIMUM = 90;

const list = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

export interface ClassCoverage {
  name: string;
  type: string;
  lines: number;
  covered: number;
  percent: number;
}

export interface CoverageGate {
  passed: boolean;
  orgWide: number | null;
  classes: ClassCoverage[];
  /** One line per reason the gate failed. */
  problems: string[];
}

export interface TestFailure {
  name: string;
  methodName: string;
  message: string;
  stackTrace?: string;
}

export interface ComponentError {
  type: string;
  fullName: string;
  problem: string;
  fileName?: string;
  line?: string;
}

export function percent(covered: number, lines: number): number {
  return lines === 0 ? 100 : Math.floor((covered / lines) * 10000) / 100;
}

export function classCoverage(status: Pick<MetadataApiDeployStatus, 'details'>): ClassCoverage[] {
  return list(status.details?.runTestResult?.codeCoverage).map((c) => {
    const lines = Number(c.numLocations);
    const covered = lines - Number(c.numLocationsNotCovered);
    return { name: c.name, type: c.type, lines, covered, percent: percent(covered, lines) };
  });
}

/**
 * The coverage gate over a validation (check-only deploy with RunLocalTests) result.
 * `packageApex` lists the package's non-test classes and triggers; each must be covered to
 * `classMinimum`, and the whole org (every class in the result) to `orgMinimum`.
 */
export function coverageGate(
  status: Pick<MetadataApiDeployStatus, 'details'>,
  packageApex: string[],
  { orgMinimum = ORG_WIDE_MINIMUM, classMinimum = PACKAGE_CLASS_MINIMUM } = {}
): CoverageGate {
  const classes = classCoverage(status);
  const problems: string[] = [];
  const totalLines = classes.reduce((n, c) => n + c.lines, 0);
  const totalCovered = classes.reduce((n, c) => n + c.covered, 0);
  const orgWide = classes.length > 0 ? percent(totalCovered, totalLines) : null;
  if (packageApex.length > 0 && orgWide === null) {
    problems.push(
      'The deploy result has no coverage data: the tests did not run (validate with RunLocalTests).'
    );
  } else if (orgWide !== null && orgWide < orgMinimum) {
    problems.push(`Org-wide coverage ${orgWide}% is under ${orgMinimum}%.`);
  }
  for (const warning of list(status.details?.runTestResult?.codeCoverageWarnings)) {
    if (warning.message) problems.push(`Salesforce: ${warning.message}`);
  }
  const byName = new Map(classes.map((c) => [c.name, c]));
  for (const name of packageApex) {
    const coverage = byName.get(name);
    if (!coverage) {
      if (orgWide !== null) problems.push(`${name} has no coverage: no test executes it.`);
    } else if (coverage.percent < classMinimum) {
      problems.push(
        `${name} is covered ${coverage.percent}% (${coverage.covered}/${coverage.lines} lines), under the package's ${classMinimum}%.`
      );
    }
  }
  return { passed: problems.length === 0, orgWide, classes, problems };
}

export function testFailures(status: Pick<MetadataApiDeployStatus, 'details'>): TestFailure[] {
  return list(status.details?.runTestResult?.failures).map((f) => ({
    name: f.name,
    methodName: f.methodName,
    message: f.message,
    stackTrace: f.stackTrace || undefined
  }));
}

export function componentErrors(
  status: Pick<MetadataApiDeployStatus, 'details'>
): ComponentError[] {
  return list(status.details?.componentFailures).map((f) => ({
    type: String(f.componentType ?? ''),
    fullName: String(f.fullName ?? ''),
    problem: String(f.problem ?? ''),
    fileName: f.fileName ? String(f.fileName) : undefined,
    line: f.lineNumber ? String(f.lineNumber) : undefined
  }));
}

export function testCounts(
  status: Pick<MetadataApiDeployStatus, 'details' | 'numberTestsCompleted' | 'numberTestErrors'>
): {
  run: number;
  failed: number;
} {
  const run = status.details?.runTestResult?.numTestsRun;
  const failed = status.details?.runTestResult?.numFailures;
  return {
    run:
      run !== undefined
        ? Number(run)
        : Number(status.numberTestsCompleted ?? 0) + Number(status.numberTestErrors ?? 0),
    failed: failed !== undefined ? Number(failed) : Number(status.numberTestErrors ?? 0)
  };
}

/** Readable lines explaining why a deploy or validation failed. */
export function failureLines(status: MetadataApiDeployStatus): string[] {
  const lines: string[] = [];
  for (const e of componentErrors(status)) {
    lines.push(`${e.type} ${e.fullName}${e.line ? ` line ${e.line}` : ''}: ${e.problem}`);
  }
  for (const f of testFailures(status)) {
    lines.push(`test ${f.name}.${f.methodName} failed: ${f.message}`);
  }
  if (lines.length === 0 && status.errorMessage) lines.push(status.errorMessage);
  return lines;
}
