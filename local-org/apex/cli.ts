/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * local-org Apex CLI.
 *   tsx local-org/apex/cli.ts run <file.apex>      anonymous Apex against a fresh org
 *   tsx local-org/apex/cli.ts test [--class X] [--json out.json] [--min-class 90] [--min-org 75]
 */
import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { loadProject, runAnonymous } from './project.js';
import { runTests, formatReport } from './runner.js';

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
  .option('--person-accounts', 'run against an org with Person Accounts enabled')
  .action(async (opts: any) => {
    const t0 = Date.now();
    const I = await loadProject(path.resolve(opts.project), {
      personAccounts: !!opts.personAccounts
    });
    const res = runTests(I, { classes: opts.class ? String(opts.class).split(',') : undefined });
    res.durationMs = Date.now() - t0;
    const minClass = Number(opts.minClass);
    const minOrg = Number(opts.minOrg);
    const { text, ok } = formatReport(res, { minClass, minOrg, partial: !!opts.class });
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
