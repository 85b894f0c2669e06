/* eslint-disable @typescript-eslint/no-explicit-any */
/** Loading a Salesforce DX project (classes, triggers, org) and running anonymous Apex. */
import fs from 'node:fs';
import { XMLParser } from 'fast-xml-parser';
import path from 'node:path';
import type { ParsedFile } from './ast.js';
import { ApexThrow, Interp } from './interp.js';
import { parseAnonymousSource, parseFileCached } from './parse.js';
import { fmt } from './format.js';
import { drainAsync, installTriggerHook } from './sobject.js';

export function packageDirs(projectDir: string): string[] {
  const p = path.join(projectDir, 'sfdx-project.json');
  if (!fs.existsSync(p)) return [];
  const j = JSON.parse(fs.readFileSync(p, 'utf8'));
  return (j.packageDirectories ?? []).map((d: any) => path.resolve(projectDir, d.path));
}

export function findSources(dir: string, out: string[] = []): string[] {
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const f = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
      findSources(f, out);
    } else if (e.name.endsWith('.cls') || e.name.endsWith('.trigger')) out.push(f);
  }
  return out.sort();
}

/** Custom labels (CustomLabels metadata) of the project: lower-case name → value. */
export function loadLabels(projectDir: string): Map<string, string> {
  const out = new Map<string, string>();
  const files: string[] = [];
  const walk = (d: string) => {
    if (!fs.existsSync(d)) return;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const f = path.join(d, e.name);
      if (e.isDirectory() && e.name !== 'node_modules' && !e.name.startsWith('.')) walk(f);
      else if (e.name.endsWith('.labels-meta.xml')) files.push(f);
    }
  };
  for (const d of packageDirs(projectDir)) walk(d);
  const parser = new XMLParser({
    ignoreAttributes: true,
    parseTagValue: false,
    isArray: (n) => n === 'labels'
  });
  for (const f of files) {
    const x = parser.parse(fs.readFileSync(f, 'utf8'));
    for (const l of x?.CustomLabels?.labels ?? [])
      if (l.fullName) out.set(String(l.fullName).toLowerCase(), String(l.value ?? ''));
  }
  return out;
}

export function parseProject(projectDir: string): ParsedFile[] {
  const files: string[] = [];
  for (const d of packageDirs(projectDir)) findSources(d, files);
  return files.map((f) => parseFileCached(f));
}

export interface LoadOptions {
  /** load the data layer (default true) */
  data?: boolean;
  personAccounts?: boolean;
}

/** Builds an interpreter with the project's Apex and (when available) a fresh org. */
export async function loadProject(projectDir: string, opts: LoadOptions = {}): Promise<Interp> {
  const I = new Interp();
  if (opts.data !== false) {
    const { Org } = await import('../data/index.js');
    I.data = (Org as any).loadSync(projectDir, { personAccounts: opts.personAccounts ?? false });
    installTriggerHook(I);
    I.userTz = I.data.userTimeZone(I.data.adminUserId);
  }
  I.load(parseProject(projectDir));
  I.labels = loadLabels(projectDir);
  return I;
}

export interface AnonResult {
  ok: boolean;
  lines: string[];
  error?: string;
}

/** Runs anonymous Apex; every System.debug is reported as USER_DEBUG|[line]|DEBUG|msg. */
export function runAnonymous(I: Interp, src: string, file = 'anonymous.apex'): AnonResult {
  const lines: string[] = [];
  I.out = (line, msg, level) => lines.push(`USER_DEBUG|[${line}]|${level ?? 'DEBUG'}|${msg}`);
  let ok = true;
  let error: string | undefined;
  try {
    const pf = parseAnonymousSource(file, src);
    const ci = I.declare(pf.anon!.decls, null);
    ci.file = file;
    I.classes.set('__anon__', ci);
    I.link(ci);
    // classes declared in anonymous Apex are named without a prefix
    const rename = (c: any, prefix: string) => {
      for (const inner of c.inners.values()) {
        inner.name = prefix + inner.decl.name;
        inner.lname = inner.name.toLowerCase();
        inner.type = { ...inner.type, name: inner.name };
        inner.file = file;
        rename(inner, inner.name + '.');
      }
    };
    rename(ci, '');
    const fr = I.newFrame(ci, null, 'AnonymousBlock', 1);
    I.stack.push(fr);
    try {
      I.ensureInit(ci);
      I.execBlockSig(pf.anon!.body, fr);
    } finally {
      I.stack.pop();
    }
    drainAsync(I);
  } catch (e) {
    ok = false;
    if (e instanceof ApexThrow) {
      const x = e.exc;
      error = `${x.cls.systemName ?? x.cls.name}: ${x.f.__message ?? ''}`;
      if (x.f.__message == null && x.f.__cause)
        error = `${x.cls.systemName ?? x.cls.name}: ${fmt(I, x.f.__cause)}`;
    } else {
      const err = e as any;
      if (err?.__apex instanceof ApexThrow) {
        const x = err.__apex.exc;
        error = `${x.cls.systemName ?? x.cls.name}: ${x.f.__message ?? ''}`;
      } else if (err instanceof RangeError && /call stack/i.test(err.message))
        error = 'System.LimitException: Maximum stack depth reached: 1001';
      else
        error = `${err?.name === 'UnsupportedError' ? 'UnsupportedError' : 'InternalError'}: ${err?.message ?? String(err)}`;
    }
    lines.push(`FATAL_ERROR|${error}`);
  }
  return { ok, lines, error };
}

/**
 * A reusable runner for many anonymous programs against one project: sources are
 * parsed once, the org is loaded once and restored to its initial snapshot before
 * each program, and each program gets a fresh interpreter (fresh static state).
 */
export async function anonymousRunner(
  projectDir: string
): Promise<(src: string, file?: string) => AnonResult> {
  const files = parseProject(projectDir);
  const { Org } = await import('../data/index.js');
  const org: any = (Org as any).loadSync(projectDir, {});
  const snap = org.snapshot();
  const labels = loadLabels(projectDir);
  return (src: string, file = 'anonymous.apex') => {
    org.restore(snap);
    const I = new Interp();
    I.data = org;
    installTriggerHook(I);
    I.userTz = org.userTimeZone(org.adminUserId);
    I.load(files);
    I.labels = labels;
    return runAnonymous(I, src, file);
  };
}
