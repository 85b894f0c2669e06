/**
 * Stage 1 of check:apex: parse every class and trigger with @apexdevtools/apex-parser
 * (the ANTLR grammar apex-ls and the local org use) and collect lexer and parser errors.
 */
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { ApexErrorListener, ApexParserFactory } from '@apexdevtools/apex-parser';
import { makeStageResult, oneLine, type Finding, type StageResult } from './apex-findings.ts';
import type { ApexSource } from './apex-project.ts';

class CollectingListener extends ApexErrorListener {
  readonly errors: { line: number; column: number; message: string }[] = [];

  apexSyntaxError(line: number, column: number, msg: string): void {
    this.errors.push({ line, column, message: msg });
  }
}

/** Syntax errors of one Apex source text; columns are 1-based. */
export function parseApexSource(
  source: string,
  kind: ApexSource['kind']
): { line: number; column: number; message: string }[] {
  const listener = new CollectingListener();
  const { parser } = ApexParserFactory.createLexerAndParser(source, listener);
  if (kind === 'trigger') parser.triggerUnit();
  else parser.compilationUnit();
  return listener.errors.map((e) => ({ ...e, column: e.column + 1 }));
}

export async function runSyntaxStage(sources: ApexSource[]): Promise<StageResult> {
  const started = performance.now();
  const findings: Finding[] = [];
  for (const source of sources) {
    const text = await readFile(source.file, 'utf8');
    for (const error of parseApexSource(text, source.kind)) {
      findings.push({
        stage: 'syntax',
        severity: 'error',
        file: source.relative,
        line: error.line,
        column: error.column,
        rule: 'syntax',
        message: oneLine(error.message)
      });
    }
  }
  return makeStageResult('syntax', sources.length, findings, performance.now() - started);
}
