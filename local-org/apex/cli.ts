/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * local-org Apex CLI.
 *   tsx local-org/apex/cli.ts run <file.apex>      anonymous Apex against a fresh org
 *   tsx local-org/apex/cli.ts test [--class X] [--json out.json] [--min-class 90] [--min-org 75]
 */
import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { loadProject, parseProject, runAnonymous } from './project.js';
import { runTests, formatReport, mergeRuns, type TestRunResult } from './runner.js';
import { Worker } from 'node:worker_threads';
import { Interp } from './interp.js';

/** Org shapes to test against, from the project's scratch-org definitions (config/*.json). */
function orgShapes(project: string): string[] {
  const dir = path.join(project, 'config');
  const shapes = new Set<string>();
  if (fs.existsSync(dir)) {
    for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.json'))) {
      try {
        const def = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
        if (!def.edition && !def.features) continue;
        const features: string[] = (def.features ?? []).map((x: string) => String(x).toLowerCase());
        shapes.add(features.includes('personaccounts') ? 'person-accounts' : 'standard');
      } catch {
        /* not a scratch definition */
      }
    }
  }
  if (shapes.size === 0) shapes.add('standard');
  return [...shapes].sort((a, b) => (a === 'standard' ? -1 : b === 'standard' ? 1 : 0));
}

const program = new Command();
program.name('local-org-apex').description('Run Apex offline against a local org');

program
  .command('run')
  .argument('<file>', 'anonymous Apex file')
  .option('--project <dir>', 'Salesforce DX project directory', process.cwd())
  .option('--no-data', 'do not load the data layer')
  .option('--person-accounts', 'org with Person Accounts enabled')
  .action(async (file: string, opts: any) => {
    const I = await loadProject(path.resolve(opts.project), {
      data: opts.data,
      personAccounts: !!opts.personAccounts
    });
    const res = runAnonymous(I, fs.readFileSync(file, 'utf8'), file);
    for (const l of res.lines) console.log(l);
    process.exitCode = res.ok ? 0 : 1;
  });

program
  .command('test')
  .option('--project <dir>', 'Salesforce DX project directory', process.cwd())
  .option('--class <names>', 'run only these test classes (comma-separated)')
  .option('--json <file>', 'write results as JSON')
  .option('--min-class <pct>', 'per-class/trigger coverage threshold', '90')
  .option('--min-org <pct>', 'org-wide coverage threshold', '75')
  .option(
    '--org <shape>',
    "org shape: 'auto' (one run per scratch-org definition shape in config/: with and/or without Person Accounts), 'standard' or 'person-accounts'",
    'auto'
  )
  .option('--person-accounts', 'same as --org person-accounts')
  .action(async (opts: any) => {
    const t0 = Date.now();
    const project = path.resolve(opts.project);
    const shape = opts.personAccounts ? 'person-accounts' : String(opts.org);
    const shapes = shape === 'auto' ? orgShapes(project) : [shape];
    const classes = opts.class ? String(opts.class).split(',') : undefined;
    const label = (sh: string) =>
      sh === 'person-accounts' ? 'Person Accounts org' : 'standard org';
    const runs: { label: string; I: Interp; res: TestRunResult }[] = [];
    if (shapes.length === 1) {
      const I = await loadProject(project, { personAccounts: shapes[0] === 'person-accounts' });
      runs.push({ label: label(shapes[0]), I, res: runTests(I, { classes }) });
    } else {
      // one worker thread per org shape; coverage is merged here over the parsed sources
      const outs = await Promise.all(
        shapes.map(
          (shape) =>
            new Promise<any>((resolve, reject) => {
              // tsx's loader must be registered inside the worker before it imports TypeScript
              const entry = new URL('./test-worker.ts', import.meta.url).href;
              const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
              // a deep stack so Apex recursion reaches the platform's 1,000-frame limit before V8's
              const w = new Worker(boot, {
                eval: true,
                workerData: { project, shape, classes },
                resourceLimits: { stackSizeMb: 32 }
              });
              w.once('message', resolve);
              w.once('error', reject);
            })
        )
      );
      outs.forEach((o, i) => {
        const I = new Interp();
        I.load(parseProject(project));
        I.cov = new Map(o.cov.map(([f, lines]: [string, number[]]) => [f, new Set(lines)]));
        runs.push({ label: label(shapes[i]), I, res: o.res });
      });
    }
    const res = mergeRuns(runs);
    res.durationMs = Date.now() - t0;
    const minClass = Number(opts.minClass);
    const minOrg = Number(opts.minOrg);
    const { text, ok } = formatReport(res, { minClass, minOrg, partial: !!opts.class });
    console.log(
      `Org shapes: ${runs.map((r) => r.label).join(', ')} (coverage is the union of the runs)`
    );
    console.log(text);
    if (opts.json) fs.writeFileSync(opts.json, JSON.stringify(res, null, 2));
    process.exitCode = ok ? 0 : 1;
  });

program
  .command('conformance')
  .description('run the conformance suite (local-org/apex/conformance)')
  .option('--only <names>', 'comma-separated case names')
  .action(async (opts: any) => {
    const { runConformance } = await import('./conformance.js');
    const only = opts.only ? new Set(String(opts.only).split(',')) : null;
    const res = (await runConformance()).filter((r) => !only || only.has(r.c.name));
    let failed = 0;
    for (const r of res) {
      if (r.ok) continue;
      failed++;
      console.log(
        `FAIL ${r.c.name}\n  expected: ${JSON.stringify(r.c.expected)}\n  actual:   ${JSON.stringify(r.actual)}`
      );
    }
    console.log(`${res.length - failed}/${res.length} conformance programs pass`);
    process.exitCode = failed ? 1 : 0;
  });

program.parseAsync(process.argv);
