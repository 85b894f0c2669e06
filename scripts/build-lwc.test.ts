import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import ts from 'typescript';
import { checkBuild } from './build-lwc.ts';

const SOURCE = `export function twice(value: number): number {\n  return value * 2;\n}\n`;

describe('build-lwc checkBuild', () => {
  let dir: string;
  let project: string;
  let jsFile: string;

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'build-lwc-'));
    mkdirSync(path.join(dir, 'lwc', 'twice'), { recursive: true });
    writeFileSync(path.join(dir, 'lwc', 'twice', 'twice.ts'), SOURCE);
    project = path.join(dir, 'tsconfig.json');
    writeFileSync(
      project,
      JSON.stringify({
        compilerOptions: {
          target: 'ESNext',
          module: 'ESNext',
          strict: true,
          newLine: 'lf',
          types: [],
          // The smallest lib keeps each in-memory compile quick.
          lib: ['ES2020']
        },
        include: ['lwc/**/*.ts']
      })
    );
    jsFile = path.join(dir, 'lwc', 'twice', 'twice.js');
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reports a missing .js', () => {
    const result = checkBuild(project);
    assert.equal(result.ok, false, 'not ok without the compiled file');
    assert.deepEqual(result.missing, [path.join('lwc', 'twice', 'twice.js')]);
  });

  it('passes when the .js equals a fresh compile', () => {
    const compiled = ts.transpileModule(SOURCE, {
      compilerOptions: {
        target: ts.ScriptTarget.ESNext,
        module: ts.ModuleKind.ESNext,
        newLine: ts.NewLineKind.LineFeed
      }
    }).outputText;
    writeFileSync(jsFile, compiled);
    const result = checkBuild(project);
    assert.deepEqual(result.stale, [], 'nothing stale');
    assert.equal(result.ok, true, 'in step');
    assert.deepEqual(result.compiled, [path.join('lwc', 'twice', 'twice.js')]);
  });

  it('reports a hand-edited .js as stale', () => {
    writeFileSync(jsFile, 'export function twice(value) { return value * 3; }\n');
    const result = checkBuild(project);
    assert.equal(result.ok, false, 'not ok');
    assert.deepEqual(result.stale, [path.join('lwc', 'twice', 'twice.js')]);
  });

  it('reports type errors', () => {
    writeFileSync(
      path.join(dir, 'lwc', 'twice', 'twice.ts'),
      `export const broken: number = 'text';\n`
    );
    const result = checkBuild(project);
    assert.equal(result.ok, false, 'not ok');
    assert.equal(result.diagnostics.length, 1, 'one diagnostic');
    assert.match(result.diagnostics[0], /TS2322/);
  });
});
