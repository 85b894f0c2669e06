/**
 * Conformance suite: every conformance/<name>.apex runs as anonymous Apex against the
 * fixture project in conformance/project; its System.debug messages (and a final
 * FATAL_ERROR line, if any) must equal conformance/<name>.expected.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { anonymousRunner } from './project.js';

export const CONFORMANCE_DIR = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  'conformance'
);

export interface ConformanceCase {
  name: string;
  rule: string;
  file: string;
  expected: string;
}

export function listCases(dir = CONFORMANCE_DIR): ConformanceCase[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.apex'))
    .sort()
    .map((f) => {
      const file = path.join(dir, f);
      const src = fs.readFileSync(file, 'utf8');
      const rule = /^\/\/\s*Rule:\s*(.*)$/m.exec(src)?.[1] ?? '';
      return {
        name: f.replace(/\.apex$/, ''),
        rule,
        file,
        expected: fs.readFileSync(file.replace(/\.apex$/, '.expected'), 'utf8').replace(/\s+$/, '')
      };
    });
}

/** The observable output of a run: debug messages, then FATAL_ERROR|… when the run failed. */
export function observed(lines: string[]): string {
  return lines
    .map((l) => (l.startsWith('USER_DEBUG|') ? l.replace(/^USER_DEBUG\|\[\d+\]\|[A-Z]+\|/, '') : l))
    .join('\n')
    .replace(/\s+$/, '');
}

export async function runConformance(
  dir = CONFORMANCE_DIR
): Promise<{ c: ConformanceCase; actual: string; ok: boolean }[]> {
  const run = await anonymousRunner(path.join(dir, 'project'));
  return listCases(dir).map((c) => {
    const res = run(fs.readFileSync(c.file, 'utf8'), path.basename(c.file));
    const actual = observed(res.lines);
    return { c, actual, ok: actual === c.expected };
  });
}
