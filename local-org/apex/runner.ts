/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * Apex test runner: every @IsTest class, each test method isolated (org snapshot
 * restored, static state reset), @TestSetup data created once per class and
 * restored before each method; line coverage per class and trigger.
 */
import path from 'node:path';
import type { MethodDecl } from './ast.js';
import { ApexThrow, Interp, newLimits } from './interp.js';
import type { ClassInfo } from './types.js';
import { drainAsync } from './sobject.js';
import { fmt } from './format.js';

export interface TestOutcome {
  className: string;
  methodName: string;
  outcome: 'Pass' | 'Fail';
  message: string | null;
  stackTrace: string | null;
  timeMs: number;
}

export interface CoverageEntry {
  name: string;
  kind: 'class' | 'trigger';
  file: string;
  covered: number;
  total: number;
  percent: number;
  uncoveredLines: number[];
}

export interface TestRunResult {
  tests: TestOutcome[];
  coverage: CoverageEntry[];
  orgWide: { covered: number; total: number; percent: number };
  passed: number;
  failed: number;
  durationMs: number;
}

function isTestMethod(m: MethodDecl): boolean {
  return m.mods.has('testmethod') || m.annos.some((a) => a.name === 'istest');
}

function resetStatics(I: Interp): void {
  const reset = (c: ClassInfo) => {
    c.initState = 0;
    c.statics = Object.create(null);
    for (const i of c.inners.values()) reset(i);
  };
  for (const c of I.classes.values()) reset(c);
  for (const t of I.triggers) reset(t);
}

function freshTransaction(I: Interp): void {
  resetStatics(I);
  I.limits = newLimits();
  I.asyncQueue = [];
  I.mocks = {};
  I.testStarted = false;
  (I as any).testStopped = false;
  (I as any).restRequest = null;
  (I as any).restResponse = null;
  I.userId = null;
  I.stack = [];
  I.triggerCtx = [];
  I.depth = 0;
  if (I.data) I.userTz = I.data.userTimeZone(I.data.adminUserId);
}

function describeError(I: Interp, e: any): { message: string; stack: string } {
  if (e instanceof ApexThrow) {
    const x = e.exc;
    const tn = x.cls.systemName ?? x.cls.name;
    const msg = x.f.__message ?? (x.f.__cause ? fmt(I, x.f.__cause) : '');
    return { message: `${tn}: ${msg}`, stack: x.f.__stack ?? '' };
  }
  if (e?.__apex instanceof ApexThrow) return describeError(I, e.__apex);
  if (e instanceof RangeError && /call stack/i.test(e.message))
    return { message: 'System.LimitException: Maximum stack depth reached: 1001', stack: '' };
  return { message: `${e?.name ?? 'Error'}: ${e?.message ?? String(e)}`, stack: I.stackTrace() };
}

function runMethod(I: Interp, ci: ClassInfo, m: MethodDecl): void {
  I.stack = [];
  if (m.isStatic) I.callStaticUser(ci, m.lname, []);
  else {
    const o = I.instantiate(ci, [], null);
    I.invoke(ci, m, o, []);
  }
}

export function runTests(I: Interp, opts: { classes?: string[] } = {}): TestRunResult {
  const t0 = Date.now();
  const wanted = opts.classes?.map((c) => c.toLowerCase());
  const testClasses = [...I.classes.values()].filter(
    (c) => c.isTest && c.decl && (!wanted || wanted.includes(c.lname))
  );
  if (wanted)
    for (const w of wanted)
      if (!testClasses.some((c) => c.lname === w)) throw new Error(`No @IsTest class named ${w}`);
  testClasses.sort((a, b) => a.name.localeCompare(b.name));
  const tests: TestOutcome[] = [];
  I.inTestContext = true;
  I.cov.clear();
  const baseline = I.data ? I.data.snapshot() : null;
  for (const ci of testClasses) {
    const methods = [...ci.methods.values()].flat();
    const setup = methods.filter((m) => m.annos.some((a) => a.name === 'testsetup'));
    const testMs = methods.filter(isTestMethod).sort((a, b) => a.line - b.line);
    if (testMs.length === 0) continue;
    if (I.data) I.data.restore(baseline);
    let setupError: { message: string; stack: string } | null = null;
    for (const s of setup) {
      freshTransaction(I);
      try {
        runMethod(I, ci, s);
        drainAsync(I);
      } catch (e) {
        setupError = describeError(I, e);
        if (
          !(e instanceof ApexThrow) &&
          !(e as any)?.__apex &&
          (e as any)?.name !== 'UnsupportedError'
        )
          setupError.stack += '\n' + ((e as any)?.stack ?? '');
      }
    }
    const afterSetup = I.data ? I.data.snapshot() : null;
    for (const m of testMs) {
      const start = Date.now();
      if (setupError) {
        tests.push({
          className: ci.name,
          methodName: m.name,
          outcome: 'Fail',
          message: setupError.message,
          stackTrace: setupError.stack,
          timeMs: 0
        });
        continue;
      }
      if (I.data) I.data.restore(afterSetup);
      freshTransaction(I);
      try {
        runMethod(I, ci, m);
        if ((I as any).testStopped === false && I.testStarted) drainAsync(I);
        tests.push({
          className: ci.name,
          methodName: m.name,
          outcome: 'Pass',
          message: null,
          stackTrace: null,
          timeMs: Date.now() - start
        });
      } catch (e) {
        const d = describeError(I, e);
        const internal =
          !(e instanceof ApexThrow) &&
          !(e as any)?.__apex &&
          (e as any)?.name !== 'UnsupportedError';
        tests.push({
          className: ci.name,
          methodName: m.name,
          outcome: 'Fail',
          message: d.message,
          stackTrace: internal ? `${d.stack}\n${(e as any)?.stack ?? ''}` : d.stack,
          timeMs: Date.now() - start
        });
      }
    }
  }
  if (I.data) I.data.restore(baseline);
  I.inTestContext = false;
  const coverage = computeCoverage(I);
  const covered = coverage.reduce((s, c) => s + c.covered, 0);
  const total = coverage.reduce((s, c) => s + c.total, 0);
  return {
    tests,
    coverage,
    orgWide: { covered, total, percent: total ? Math.floor((covered / total) * 1000) / 10 : 100 },
    passed: tests.filter((t) => t.outcome === 'Pass').length,
    failed: tests.filter((t) => t.outcome === 'Fail').length,
    durationMs: Date.now() - t0
  };
}

export function computeCoverage(I: Interp): CoverageEntry[] {
  const out: CoverageEntry[] = [];
  const testFiles = new Set([...I.classes.values()].filter((c) => c.isTest).map((c) => c.file));
  for (const [file, pf] of I.files) {
    if (testFiles.has(file)) continue;
    const td = pf.types[0];
    if (!td) continue;
    if (td.kind === 'interface') continue;
    const lines = pf.lines;
    if (lines.length === 0) continue;
    const hits = I.cov.get(file) ?? new Set<number>();
    const uncovered = lines.filter((l) => !hits.has(l));
    const covered = lines.length - uncovered.length;
    out.push({
      name: td.name,
      kind: td.kind === 'trigger' ? 'trigger' : 'class',
      file: path.relative(process.cwd(), file),
      covered,
      total: lines.length,
      percent: Math.floor((covered / lines.length) * 1000) / 10,
      uncoveredLines: uncovered
    });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

export function formatReport(
  res: TestRunResult,
  o: { minClass: number; minOrg: number; partial?: boolean }
): { text: string; ok: boolean } {
  const L: string[] = [];
  const w = Math.max(20, ...res.tests.map((t) => t.className.length + t.methodName.length + 1));
  L.push('Apex tests (local-org)');
  L.push('');
  for (const t of res.tests) {
    L.push(
      `${t.outcome === 'Pass' ? 'PASS' : 'FAIL'}  ${(t.className + '.' + t.methodName).padEnd(w)}  ${String(t.timeMs).padStart(5)} ms`
    );
    if (t.outcome === 'Fail') {
      L.push(`      ${t.message}`);
      for (const s of (t.stackTrace ?? '').split('\n').filter(Boolean).slice(0, 12))
        L.push(`        ${s}`);
    }
  }
  L.push('');
  L.push('Coverage (executable lines covered / executable lines)');
  const label = (c: CoverageEntry) => c.name + (c.kind === 'trigger' ? ' (trigger)' : '');
  const nw = Math.max(13, ...res.coverage.map((c) => label(c).length));
  L.push(`  ${'Class/Trigger'.padEnd(nw)}  ${'Lines'.padStart(9)}  ${'%'.padStart(6)}`);
  const low: CoverageEntry[] = [];
  for (const c of res.coverage) {
    const flag = c.percent < o.minClass ? '  < ' + o.minClass + '%' : '';
    if (c.percent < o.minClass) low.push(c);
    L.push(
      `  ${label(c).padEnd(nw)}  ${`${c.covered}/${c.total}`.padStart(9)}  ${c.percent.toFixed(1).padStart(6)}${flag}`
    );
  }
  L.push(
    `  ${'Org-wide'.padEnd(nw)}  ${`${res.orgWide.covered}/${res.orgWide.total}`.padStart(9)}  ${res.orgWide.percent.toFixed(1).padStart(6)}`
  );
  L.push('');
  L.push(
    `Tests: ${res.passed} passed, ${res.failed} failed, ${res.tests.length} total  (${(res.durationMs / 1000).toFixed(2)} s)`
  );
  let ok = res.failed === 0;
  if (!o.partial) {
    if (res.orgWide.percent < o.minOrg) {
      ok = false;
      L.push(`Org-wide coverage ${res.orgWide.percent}% is below ${o.minOrg}%.`);
    }
    if (low.length) {
      ok = false;
      L.push(
        `Below ${o.minClass}% coverage: ${low.map((c) => `${c.name} (${c.percent}%)`).join(', ')}`
      );
    }
  }
  return { text: L.join('\n'), ok };
}

/** One test run per org shape (e.g. with and without Person Accounts), merged:
 * a test fails when it fails in any shape; coverage is the union of covered lines. */
export function mergeRuns(runs: { label: string; I: Interp; res: TestRunResult }[]): TestRunResult {
  if (runs.length === 1) return runs[0].res;
  const byKey = new Map<string, TestOutcome>();
  for (const { label, res } of runs) {
    for (const t of res.tests) {
      const k = `${t.className}.${t.methodName}`;
      const prev = byKey.get(k);
      const tagged: TestOutcome =
        t.outcome === 'Fail' ? { ...t, message: `[${label}] ${t.message}` } : t;
      if (!prev) byKey.set(k, tagged);
      else if (t.outcome === 'Fail')
        byKey.set(
          k,
          prev.outcome === 'Fail'
            ? { ...prev, message: `${prev.message}\n      ${tagged.message}` }
            : tagged
        );
      else if (prev.outcome === 'Pass') prev.timeMs += t.timeMs;
    }
  }
  // union of hits per file
  const merged = runs[0].I;
  const union = new Map<string, Set<number>>();
  for (const { I } of runs)
    for (const [file, hits] of I.cov) {
      const s = union.get(file) ?? new Set<number>();
      for (const l of hits) s.add(l);
      union.set(file, s);
    }
  const saved = merged.cov;
  merged.cov = union;
  const coverage = computeCoverage(merged);
  merged.cov = saved;
  const tests = [...byKey.values()];
  const covered = coverage.reduce((s, c) => s + c.covered, 0);
  const total = coverage.reduce((s, c) => s + c.total, 0);
  return {
    tests,
    coverage,
    orgWide: { covered, total, percent: total ? Math.floor((covered / total) * 1000) / 10 : 100 },
    passed: tests.filter((t) => t.outcome === 'Pass').length,
    failed: tests.filter((t) => t.outcome === 'Fail').length,
    durationMs: runs.reduce((s, r) => s + r.res.durationMs, 0)
  };
}
