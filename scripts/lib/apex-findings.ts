/** Shared shapes and formatting for the check:apex stages. */

export type StageName = 'syntax' | 'semantic' | 'pmd';
export const STAGES: readonly StageName[] = ['syntax', 'semantic', 'pmd'];

export type Severity = 'error' | 'warning';

export interface Finding {
  stage: StageName;
  severity: Severity;
  /** Path relative to the project root. */
  file: string;
  /** 1-based line; 0 when the tool gives no position. */
  line: number;
  /** 1-based column; 0 when the tool gives no position. */
  column: number;
  /** Tool-specific rule or category, e.g. `ApexSOQLInjection`, `Missing`, `syntax`. */
  rule: string;
  message: string;
  /** Extra context, e.g. the PMD category and priority. */
  detail?: string;
}

export interface StageResult {
  stage: StageName;
  /** Number of .cls/.trigger files the stage looked at. */
  files: number;
  errors: number;
  warnings: number;
  durationMs: number;
  findings: Finding[];
}

export function makeStageResult(
  stage: StageName,
  files: number,
  findings: Finding[],
  durationMs: number
): StageResult {
  const sorted = [...findings].sort(compareFindings);
  return {
    stage,
    files,
    errors: sorted.filter((f) => f.severity === 'error').length,
    warnings: sorted.filter((f) => f.severity === 'warning').length,
    durationMs,
    findings: sorted
  };
}

export function compareFindings(a: Finding, b: Finding): number {
  return (
    a.file.localeCompare(b.file) ||
    a.line - b.line ||
    a.column - b.column ||
    a.rule.localeCompare(b.rule)
  );
}

/** One finding as `file:line:col  severity  message  [rule]` — clickable in terminals and editors. */
export function formatFinding(f: Finding): string {
  const position = f.line > 0 ? `${f.file}:${f.line}${f.column > 0 ? `:${f.column}` : ''}` : f.file;
  const detail = f.detail ? ` (${f.detail})` : '';
  return `${position}  ${f.severity}  ${f.message}  [${f.rule}${detail}]`;
}

/** Keeps tool messages to one readable line (ANTLR "expecting {…}" lists run to thousands of characters). */
export function oneLine(message: string, max = 240): string {
  const flat = message.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
