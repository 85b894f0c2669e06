/**
 * Stage 1 of check:apex: parse every class and trigger with @apexdevtools/apex-parser
 * (the ANTLR grammar apex-ls and the local org use) and collect lexer and parser errors.
 * The parse trees are kept for stage 2, which reads the static SOQL out of them.
 */
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import {
  ApexErrorListener,
  ApexParserFactory,
  type ApexParserRuleContext
} from '@apexdevtools/apex-parser';
import { makeStageResult, oneLine, type Finding, type StageResult } from './apex-findings.ts';
import type { ApexSource } from './apex-project.ts';

export interface SyntaxError {
  line: number;
  /** 1-based. */
  column: number;
  message: string;
}

export interface ParsedSource {
  source: ApexSource;
  tree: ApexParserRuleContext;
  errors: SyntaxError[];
}

class CollectingListener extends ApexErrorListener {
  readonly errors: SyntaxError[] = [];

  apexSyntaxError(line: number, column: number, msg: string): void {
    this.errors.push({ line, column: column + 1, message: msg });
  }
}

/** Parses one Apex source text as a class or a trigger. */
export function parseApex(
  text: string,
  kind: ApexSource['kind']
): { tree: ApexParserRuleContext; errors: SyntaxError[] } {
  const listener = new CollectingListener();
  const { parser } = ApexParserFactory.createLexerAndParser(text, listener);
  const tree = kind === 'trigger' ? parser.triggerUnit() : parser.compilationUnit();
  return { tree, errors: listener.errors };
}

/** Syntax errors of one Apex source text. */
export function parseApexSource(text: string, kind: ApexSource['kind']): SyntaxError[] {
  return parseApex(text, kind).errors;
}

export async function parseSources(
  sources: ApexSource[]
): Promise<{ parsed: ParsedSource[]; durationMs: number }> {
  const started = performance.now();
  const parsed: ParsedSource[] = [];
  for (const source of sources) {
    const { tree, errors } = parseApex(await readFile(source.file, 'utf8'), source.kind);
    parsed.push({ source, tree, errors });
  }
  return { parsed, durationMs: performance.now() - started };
}

export function syntaxStageResult(parsed: ParsedSource[], durationMs: number): StageResult {
  const findings: Finding[] = parsed.flatMap(({ source, errors }) =>
    errors.map((error) => ({
      stage: 'syntax' as const,
      severity: 'error' as const,
      file: source.relative,
      line: error.line,
      column: error.column,
      rule: 'syntax',
      message: oneLine(error.message)
    }))
  );
  return makeStageResult('syntax', parsed.length, findings, durationMs);
}

export async function runSyntaxStage(sources: ApexSource[]): Promise<StageResult> {
  const { parsed, durationMs } = await parseSources(sources);
  return syntaxStageResult(parsed, durationMs);
}
