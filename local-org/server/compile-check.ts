// Compile problems of the Apex in a metadata store, reported as Metadata API
// componentFailures (file, line, column, problem). Syntax comes from apex-parser; the
// semantic layer (unknown types, fields, methods) comes from the interpreter's loader when
// it reports one (see apex-engine.ts).
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { ApexErrorListener, ApexParserFactory } from '@apexdevtools/apex-parser';

export interface CompileProblem {
  componentType: 'ApexClass' | 'ApexTrigger';
  fullName: string;
  /** Metadata-format file name (`classes/Foo.cls`). */
  fileName: string;
  line: number;
  column: number;
  problem: string;
}

class Collector extends ApexErrorListener {
  readonly errors: { line: number; column: number; message: string }[] = [];
  apexSyntaxError(line: number, column: number, message: string): void {
    this.errors.push({ line, column: column + 1, message });
  }
}

export function syntaxProblems(file: string): CompileProblem[] {
  const source = readFileSync(file, 'utf8');
  const isTrigger = file.endsWith('.trigger');
  const collector = new Collector();
  const { parser } = ApexParserFactory.createLexerAndParser(source, collector);
  if (isTrigger) parser.triggerUnit();
  else parser.compilationUnit();
  const name = basename(file).replace(/\.(cls|trigger)$/, '');
  return collector.errors.slice(0, 1).map((e) => ({
    componentType: isTrigger ? 'ApexTrigger' : 'ApexClass',
    fullName: name,
    fileName: `${isTrigger ? 'triggers' : 'classes'}/${basename(file)}`,
    line: e.line,
    column: e.column,
    problem: e.message
  }));
}
