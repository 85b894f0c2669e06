/**
 * Runs every node:test file (`*.test.ts`) under the given folders with node's
 * test runner. Node 20's `--test` does not expand glob patterns (that came in
 * Node 21), so the files are listed here and passed explicitly.
 *
 * Usage: tsx scripts/test-node.ts [folder …] [-- extra node --test flags]
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const SKIP = new Set(['node_modules', '__fixtures__', 'coverage', '.git', 'test-results']);

function findTests(dir: string, out: string[]): void {
  for (const name of readdirSync(dir)) {
    if (SKIP.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) findTests(path, out);
    else if (name.endsWith('.test.ts')) out.push(path);
  }
}

const args = process.argv.slice(2);
const split = args.indexOf('--');
const folders = split === -1 ? args : args.slice(0, split);
const extra = split === -1 ? [] : args.slice(split + 1);
const files: string[] = [];
for (const folder of folders.length ? folders : ['scripts', 'local-org']) findTests(folder, files);
files.sort();
if (files.length === 0) {
  console.error(`No *.test.ts files under ${folders.join(', ')}.`);
  process.exit(1);
}
console.log(`Running ${files.length} test files: ${files.map((f) => relative('.', f)).join(', ')}`);
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', ...extra, ...files],
  { stdio: 'inherit' }
);
process.exit(result.status ?? 1);
