/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * `npm run bench:apex` — figures for docs/local-org.md (not a timed test):
 *   1. the package's whole Apex test suite (wall and CPU time)
 *   2. interpreter throughput on a CPU-bound loop
 *   3. SOQL over 10,000 records
 *   4. peak memory
 */
import path from 'node:path';
import { loadProject, runAnonymous } from './project.js';
import { runTests } from './runner.js';
import { soqlParseCacheStats } from '../data/index.js';

function cpuMs(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start);
  return Math.round((d.user + d.system) / 1000);
}

async function main(): Promise<void> {
  const project = path.resolve(process.argv[2] ?? process.cwd());
  const out: Record<string, any> = {
    node: process.version,
    cpus: (await import('node:os')).cpus().length
  };

  // 1. whole package test suite (load + parse + run)
  {
    const t0 = Date.now();
    const c0 = process.cpuUsage();
    const I = await loadProject(project);
    const loadMs = Date.now() - t0;
    const res = runTests(I);
    out.suite = {
      tests: res.tests.length,
      passed: res.passed,
      failed: res.failed,
      orgWideCoverage: res.orgWide.percent,
      loadMs,
      wallMs: Date.now() - t0,
      cpuMs: cpuMs(c0),
      soqlParseCache: soqlParseCacheStats(),
      failures: res.tests
        .filter((t) => t.outcome === 'Fail')
        .map((t) => `${t.className}.${t.methodName}: ${t.message}`)
    };
  }

  // 2. CPU-bound loop: 1,000,000 iterations of integer arithmetic and a method-free body
  {
    const I = await loadProject(project, { data: false });
    const n = 1_000_000;
    const src = `Integer acc = 0;\nfor (Integer i = 0; i < ${n}; i++) {\n    acc = acc + (i * 7) / 3 - (i - 1);\n}\nSystem.debug(acc);`;
    const t0 = Date.now();
    const r = runAnonymous(I, src);
    const ms = Date.now() - t0;
    if (!r.ok) throw new Error(r.lines.join('\n'));
    out.loop = { iterations: n, ms, iterationsPerSecond: Math.round((n / ms) * 1000) };
    const calls = 200_000;
    const src2 = `class F { Integer inc(Integer x) { return x + 1; } }\nF f = new F();\nInteger v = 0;\nfor (Integer i = 0; i < ${calls}; i++) { v = f.inc(v); }\nSystem.debug(v);`;
    const t1 = Date.now();
    const r2 = runAnonymous(I, src2);
    const ms2 = Date.now() - t1;
    if (!r2.ok) throw new Error(r2.lines.join('\n'));
    out.methodCalls = { calls, ms: ms2, callsPerSecond: Math.round((calls / ms2) * 1000) };
  }

  // 3. SOQL over 10,000 records
  {
    const I = await loadProject(project);
    const seed = `List<Account> rows = new List<Account>();\nfor (Integer i = 0; i < 10000; i++) {\n    rows.add(new Account(Name = 'Bench ' + i, NumberOfEmployees = Math.mod(i, 500), Industry = Math.mod(i, 2) == 0 ? 'Banking' : 'Retail'));\n}\ninsert rows;`;
    const t0 = Date.now();
    const s = runAnonymous(I, seed);
    if (!s.ok) throw new Error(s.lines.join('\n'));
    const insertMs = Date.now() - t0;
    const q = `Integer big = [SELECT COUNT() FROM Account WHERE NumberOfEmployees > 250];\nList<Account> top = [SELECT Id, Name FROM Account WHERE Industry = 'Banking' AND NumberOfEmployees >= 100 ORDER BY NumberOfEmployees DESC, Name LIMIT 50];\nList<AggregateResult> g = [SELECT Industry, COUNT(Id) n FROM Account GROUP BY Industry];\nSystem.debug(big + ' ' + top.size() + ' ' + g.size());`;
    I.limits.queries = 0;
    I.limits.queryRows = 0;
    const t1 = Date.now();
    const r = runAnonymous(I, q);
    const queryMs = Date.now() - t1;
    if (!r.ok) throw new Error(r.lines.join('\n'));
    out.soql = { records: 10000, insertMs, threeQueriesMs: queryMs, result: r.lines[0] };
  }

  const mem = process.memoryUsage();
  out.memory = {
    rssMB: Math.round(mem.rss / 1048576),
    heapUsedMB: Math.round(mem.heapUsed / 1048576),
    maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024)
  };
  console.log(JSON.stringify(out, null, 2));
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
