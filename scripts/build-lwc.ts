/**
 * npm run build:check — proves the committed LWC JavaScript is exactly what the TypeScript sources
 * compile to. The platform deploys force-app/**\/lwc/<bundle>/<bundle>.js (the .ts files are
 * .forceignored), so a stale .js would deploy code nobody reviewed or tested.
 *
 * Compiles tsconfig.lwc.json in memory with the TypeScript compiler API (the same emitter as
 * `tsc -p tsconfig.lwc.json`, which `npm run build` runs), then compares every emitted file with the
 * file on disk. Fails (exit 1) on type errors, on a missing .js, or on any difference, naming the
 * files and the fix (`npm run build`, then commit the .js). Writes nothing.
 *
 * Usage: tsx scripts/build-lwc.ts [--project tsconfig.lwc.json] [--json]
 */
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';

export interface BuildCheckResult {
  ok: boolean;
  compiled: string[];
  missing: string[];
  stale: string[];
  diagnostics: string[];
}

function formatDiagnostics(diagnostics: readonly ts.Diagnostic[], cwd: string): string[] {
  return diagnostics.map((diagnostic) =>
    ts
      .formatDiagnostic(diagnostic, {
        getCanonicalFileName: (fileName) => fileName,
        getCurrentDirectory: () => cwd,
        getNewLine: () => '\n'
      })
      .trim()
  );
}

/**
 * Compiles the project in memory and compares the output with the files on disk.
 * @param projectFile path of the tsconfig (e.g. tsconfig.lwc.json)
 */
export function checkBuild(projectFile: string): BuildCheckResult {
  const cwd = path.dirname(path.resolve(projectFile));
  const config = ts.getParsedCommandLineOfConfigFile(
    path.resolve(projectFile),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(formatDiagnostics([diagnostic], cwd).join('\n'));
      }
    }
  );
  if (!config) {
    throw new Error(`could not read ${projectFile}`);
  }
  const program = ts.createProgram({
    rootNames: config.fileNames,
    options: { ...config.options, noEmit: false }
  });
  const emitted = new Map<string, string>();
  const emitResult = program.emit(undefined, (fileName, text) => {
    emitted.set(path.resolve(fileName), text);
  });
  const diagnostics = formatDiagnostics(
    [...ts.getPreEmitDiagnostics(program), ...emitResult.diagnostics],
    cwd
  );
  const result: BuildCheckResult = { ok: true, compiled: [], missing: [], stale: [], diagnostics };
  for (const [fileName, text] of [...emitted.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const relative = path.relative(cwd, fileName);
    result.compiled.push(relative);
    if (!existsSync(fileName)) {
      result.missing.push(relative);
    } else if (readFileSync(fileName, 'utf8') !== text) {
      result.stale.push(relative);
    }
  }
  result.ok = diagnostics.length === 0 && result.missing.length === 0 && result.stale.length === 0;
  return result;
}

function main(argv: string[]): number {
  const projectIndex = argv.indexOf('--project');
  const projectFile = projectIndex >= 0 ? argv[projectIndex + 1] : 'tsconfig.lwc.json';
  const json = argv.includes('--json');
  const result = checkBuild(projectFile);
  if (json) {
    console.log(JSON.stringify(result, null, 2));
    return result.ok ? 0 : 1;
  }
  for (const line of result.diagnostics) {
    console.error(line);
  }
  for (const file of result.missing) {
    console.error(`missing: ${file} (compiled from its .ts but not on disk)`);
  }
  for (const file of result.stale) {
    console.error(`stale:   ${file} (differs from a fresh compile of its .ts)`);
  }
  if (result.ok) {
    console.log(
      `LWC build check: ${result.compiled.length} compiled files match the committed .js.`
    );
    return 0;
  }
  console.error(
    'LWC build check failed: the deployable .js is not what the TypeScript compiles to. ' +
      'Run `npm run build` and commit the updated .js files' +
      (result.diagnostics.length > 0 ? ' after fixing the type errors above.' : '.')
  );
  return 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = main(process.argv.slice(2));
}
