/* eslint-disable @typescript-eslint/no-explicit-any -- the interpreter's values are untyped by design */
// Maps the Apex interpreter (local-org/apex) onto the server's ApexEngine: one Interp per
// org instance (its trigger hook installed on that org), test runs per class (so the
// per-test-class coverage the Tooling API reports is real), anonymous Apex, Apex REST.
import { basename, resolve } from 'node:path';
import { ApexErrorListener, ApexParserFactory } from '@apexdevtools/apex-parser';
import type { Org } from '../data/org.ts';
import { typeValue, mapPut } from '../apex/builtins.ts';
import { ApexThrow, Interp, newLimits } from '../apex/interp.ts';
import { jsonStatic, serialize } from '../apex/json.ts';
import { parseProject, runAnonymous } from '../apex/project.ts';
import { runTests } from '../apex/runner.ts';
import {
  drainAsync,
  installTriggerHook,
  newRestRequest,
  newRestResponse
} from '../apex/sobject.ts';
import { fmt } from '../apex/format.ts';
import { ABlob } from '../apex/values.ts';
import type { ClassInfo } from '../apex/types.ts';
import {
  apexIdFor,
  type AnonResult,
  type ApexEngine,
  type ClassCoverage,
  type RestCall,
  type RestOutcome,
  type RestResourceInfo,
  type TestMethodOutcome,
  type TestRunOutput
} from './apex-engine.ts';
import type { CompileProblem } from './compile-check.ts';

interface Loaded {
  interp: Interp;
  storeDir: string;
}

class Collector extends ApexErrorListener {
  readonly errors: { line: number; column: number; message: string }[] = [];
  apexSyntaxError(line: number, column: number, message: string): void {
    this.errors.push({ line, column: column + 1, message });
  }
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

/** A new transaction: fresh statics and governor limits, running as `userId`. */
function beginTransaction(I: Interp, org: Org, userId: string): void {
  resetStatics(I);
  I.limits = newLimits();
  I.asyncQueue = [];
  I.mocks = {};
  I.testStarted = false;
  (I as any).testStopped = false;
  (I as any).restRequest = null;
  (I as any).restResponse = null;
  I.inTestContext = false;
  I.userId = userId;
  I.stack = [];
  I.triggerCtx = [];
  I.depth = 0;
  I.userTz = org.userTimeZone(userId);
}

function describeThrow(I: Interp, e: unknown): { message: string; stack: string } {
  if (e instanceof ApexThrow) {
    const x = e.exc as any;
    const tn = x.cls.systemName ?? x.cls.name;
    const msg = x.f.__message ?? (x.f.__cause ? fmt(I, x.f.__cause) : '');
    return { message: `${tn}: ${msg}`, stack: x.f.__stack ?? '' };
  }
  const err = e as any;
  if (err?.__apex instanceof ApexThrow) return describeThrow(I, err.__apex);
  return { message: `${err?.name ?? 'Error'}: ${err?.message ?? String(e)}`, stack: '' };
}

function classOf(file: string): string {
  return basename(file).replace(/\.(cls|trigger)$/, '');
}

const HTTP_ANNOTATIONS: Record<string, string> = {
  GET: 'httpget',
  POST: 'httppost',
  PUT: 'httpput',
  PATCH: 'httppatch',
  DELETE: 'httpdelete'
};

export function createApexEngine(): ApexEngine {
  const cache = new WeakMap<Org, Loaded>();

  const load = (org: Org, storeDir: string): Interp => {
    const hit = cache.get(org);
    if (hit && hit.storeDir === storeDir) return hit.interp;
    const I = new Interp();
    I.data = org as any;
    installTriggerHook(I);
    I.userTz = org.userTimeZone(org.adminUserId);
    I.load(parseProject(storeDir));
    cache.set(org, { interp: I, storeDir });
    return I;
  };

  const testClassNames = (org: Org, storeDir: string): string[] =>
    [...load(org, storeDir).classes.values()]
      .filter((c) => c.isTest && c.decl && !c.outer)
      .map((c) => c.name)
      .sort((a, b) => a.localeCompare(b));

  return {
    compileProblems(org: Org, storeDir: string): CompileProblem[] {
      try {
        cache.delete(org);
        load(org, storeDir);
        return [];
      } catch (err) {
        const e = err as Error & { file?: string; line?: number };
        const m = /^(.+?\.(?:cls|trigger)): (\d+):(\d+) (.*)$/s.exec(e.message);
        if (m) {
          const file = m[1]!;
          const trigger = file.endsWith('.trigger');
          return [
            {
              componentType: trigger ? 'ApexTrigger' : 'ApexClass',
              fullName: classOf(file),
              fileName: `${trigger ? 'triggers' : 'classes'}/${basename(file)}`,
              line: Number(m[2]),
              column: Number(m[3]) + 1,
              problem: m[4]!
            }
          ];
        }
        const where = /\(([^():]+\.(?:cls|trigger)):(\d+)\)/.exec(e.message);
        const file = where?.[1] ?? 'package.xml';
        const trigger = file.endsWith('.trigger');
        return [
          {
            componentType: where ? (trigger ? 'ApexTrigger' : 'ApexClass') : 'ApexClass',
            fullName: where ? classOf(file) : 'package.xml',
            fileName: where ? `${trigger ? 'triggers' : 'classes'}/${file}` : 'package.xml',
            line: where ? Number(where[2]) : 0,
            column: 0,
            problem: e.message
          }
        ];
      }
    },

    testClassNames,

    async runTests(
      org: Org,
      storeDir: string,
      which: string[] | 'local' | 'all'
    ): Promise<TestRunOutput> {
      // Tests do not see the org's data (SeeAllData=false): they run on a fresh org of the
      // same schema that holds only the setup records (users, profiles, permission sets…).
      const testOrg = await testOrgFor(org, storeDir);
      const I = load(testOrg, storeDir);
      const names =
        which === 'local' || which === 'all' ? testClassNames(testOrg, storeDir) : which;
      const started = Date.now();
      const methods: TestMethodOutcome[] = [];
      const union = new Map<
        string,
        { type: 'Class' | 'Trigger'; covered: Set<number>; all: Set<number> }
      >();
      for (const name of names) {
        // One class at a time so coverage can be attributed to the test class.
        const result = runTests(I, { classes: [name] });
        const perClass: ClassCoverage[] = [];
        for (const c of result.coverage) {
          const uncovered = c.uncoveredLines;
          // The runner names files relative to the working directory.
          const fileLines =
            [...I.files.entries()].find(([f]) => resolve(f) === resolve(c.file))?.[1].lines ?? [];
          const covered = fileLines.filter((l) => !uncovered.includes(l));
          const type = c.kind === 'trigger' ? 'Trigger' : 'Class';
          if (covered.length > 0)
            perClass.push({ name: c.name, type, coveredLines: covered, uncoveredLines: uncovered });
          let u = union.get(c.name);
          if (!u) union.set(c.name, (u = { type, covered: new Set(), all: new Set(fileLines) }));
          for (const l of covered) u.covered.add(l);
        }
        for (const t of result.tests) {
          methods.push({
            className: t.className,
            classId: apexIdFor(t.className),
            methodName: t.methodName,
            outcome: t.outcome,
            message: t.message ?? undefined,
            stackTrace: t.stackTrace ?? undefined,
            timeMs: t.timeMs,
            coverage: perClass
          });
        }
        // Let the event loop breathe between classes (the server keeps answering polls).
        await new Promise((r) => setImmediate(r));
      }
      const coverage: ClassCoverage[] = [...union.entries()].map(([name, u]) => ({
        name,
        type: u.type,
        coveredLines: [...u.covered].sort((a, b) => a - b),
        uncoveredLines: [...u.all].filter((l) => !u.covered.has(l)).sort((a, b) => a - b)
      }));
      coverage.sort((a, b) => a.name.localeCompare(b.name));
      return { methods, coverage, totalTimeMs: Date.now() - started };
    },

    executeAnonymous(org: Org, storeDir: string, code: string, userId: string): AnonResult {
      const collector = new Collector();
      const { parser } = ApexParserFactory.createLexerAndParser(code, collector);
      parser.anonymousUnit();
      const header = `62.0 APEX_CODE,DEBUG;APEX_PROFILING,INFO\nExecute Anonymous: ${code.split('\n').join('\nExecute Anonymous: ')}\n`;
      if (collector.errors.length > 0) {
        const e = collector.errors[0]!;
        return {
          compiled: false,
          success: false,
          line: e.line,
          column: e.column,
          compileProblem: e.message,
          exceptionMessage: null,
          exceptionStackTrace: null,
          log: header
        };
      }
      const I = load(org, storeDir);
      beginTransaction(I, org, userId);
      const savepoint = org.setSavepoint();
      // Keep the exception that escapes the anonymous block (the runner only reports its
      // message) for its stack trace: wrap the interpreter's block runner for this call.
      const original = I.execBlockSig;
      let depth = 0;
      let escaped: unknown;
      I.execBlockSig = function (this: Interp, ...args: Parameters<Interp['execBlockSig']>) {
        depth++;
        try {
          return original.apply(this, args);
        } catch (err) {
          if (depth === 1) escaped = err;
          throw err;
        } finally {
          depth--;
        }
      };
      let result;
      try {
        result = runAnonymous(I, code);
      } finally {
        I.execBlockSig = original;
        I.classes.delete('__anon__');
      }
      const stamp = new Date().toISOString().slice(11, 23);
      const log = header + result.lines.map((l) => `${stamp} (0)|${l}`).join('\n') + '\n';
      if (result.ok) {
        return {
          compiled: true,
          success: true,
          line: -1,
          column: -1,
          compileProblem: null,
          exceptionMessage: null,
          exceptionStackTrace: null,
          log
        };
      }
      // An uncaught exception rolls the transaction back, as on the platform.
      org.rollback(savepoint);
      const error = result.error ?? 'unknown error';
      const stack = escaped === undefined ? '' : describeThrow(I, escaped).stack;
      const position = /AnonymousBlock: line (\d+), column (\d+)/.exec(stack);
      return {
        compiled: true,
        success: false,
        line: position ? Number(position[1]) : -1,
        column: position ? Number(position[2]) : -1,
        compileProblem: null,
        exceptionMessage: error,
        exceptionStackTrace: stack || null,
        log
      };
    },

    restResources(org: Org, storeDir: string): RestResourceInfo[] {
      const I = load(org, storeDir);
      const out: RestResourceInfo[] = [];
      for (const c of I.classes.values()) {
        const anno = c.decl?.annos.find((a) => a.name === 'restresource');
        if (!anno || c.outer) continue;
        const mapping = anno.params.urlmapping;
        if (typeof mapping === 'string') out.push({ className: c.name, urlMapping: mapping });
      }
      return out;
    },

    invokeRest(
      org: Org,
      storeDir: string,
      resource: RestResourceInfo,
      call: RestCall
    ): RestOutcome {
      const I = load(org, storeDir);
      const ci = I.classes.get(resource.className.toLowerCase());
      if (!ci) return errorOutcome(404, 'NOT_FOUND', 'Could not find a match for URL');
      const anno = HTTP_ANNOTATIONS[call.httpMethod];
      const method = [...ci.methods.values()]
        .flat()
        .find((m) => m.annos.some((a) => a.name === anno));
      if (!method) {
        const allowed = Object.entries(HTTP_ANNOTATIONS)
          .filter(([, a]) =>
            [...ci.methods.values()].flat().some((m) => m.annos.some((x) => x.name === a))
          )
          .map(([verb]) => verb);
        return errorOutcome(
          405,
          'METHOD_NOT_ALLOWED',
          `HTTP Method '${call.httpMethod}' not allowed. Allowed are ${allowed.join(',')}`
        );
      }
      beginTransaction(I, org, call.userId);
      const req = newRestRequest(I);
      req.p.requestURI = call.requestURI;
      req.p.resourcePath = call.resourcePath;
      req.p.httpMethod = call.httpMethod;
      req.p.remoteAddress = call.remoteAddress;
      req.p.requestBody =
        call.httpMethod === 'GET' || call.httpMethod === 'DELETE' ? null : new ABlob(call.body);
      for (const [k, v] of Object.entries(call.params)) mapPut(I, req.p.params, k, v);
      for (const [k, v] of Object.entries(call.headers))
        mapPut(I, req.p.headers, canonicalHeader(k), v);
      const res = newRestResponse(I);
      (I as any).restRequest = req;
      (I as any).restResponse = res;

      let args: unknown[] = [];
      if (method.params.length > 0) {
        const text = call.body.toString('utf8');
        let parsed: Record<string, unknown>;
        try {
          parsed = text.trim() === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
        } catch (err) {
          return errorOutcome(
            400,
            'JSON_PARSER_ERROR',
            `Unexpected character: ${(err as Error).message}`
          );
        }
        if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
          return errorOutcome(
            400,
            'JSON_PARSER_ERROR',
            'Cannot deserialize instance of the request body: expected a JSON object'
          );
        }
        try {
          args = method.params.map((p) => {
            const key = Object.keys(parsed).find((k) => k.toLowerCase() === p.name.toLowerCase());
            const value = key === undefined ? null : parsed[key];
            if (value === null) return null;
            const type = I.resolveType(p.type, ci);
            return jsonStatic(I, 'deserialize', [JSON.stringify(value), typeValue(type)]);
          });
        } catch (err) {
          const d = describeThrow(I, err);
          return errorOutcome(400, 'JSON_PARSER_ERROR', d.message);
        }
      }

      let returned: unknown;
      try {
        I.stack = [];
        returned = I.invoke(ci, method, null, args);
        drainAsync(I);
      } catch (err) {
        const d = describeThrow(I, err);
        const unsupported = (err as Error)?.name === 'UnsupportedError';
        return {
          ...errorOutcome(
            500,
            unsupported ? 'NOT_IMPLEMENTED' : 'APEX_ERROR',
            d.stack ? `${d.message}\n\n${d.stack}` : d.message
          ),
          rollback: true
        };
      } finally {
        I.userId = null;
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of res.p.headers.m.values()) headers[String(k)] = String(v);
      let body: Buffer | undefined;
      if (method.ret && method.ret.lname !== 'void') {
        body = Buffer.from(serialize(I, returned, false), 'utf8');
        headers['Content-Type'] ??= 'application/json;charset=UTF-8';
      } else if (res.p.responseBody instanceof ABlob) {
        body = res.p.responseBody.b;
      }
      return { status: Number(res.p.statusCode ?? 200), headers, body };
    },

    attach(org: Org, storeDir: string): void {
      load(org, storeDir);
    },

    invalidate(): void {
      // Interps are keyed by org instance: a deploy creates a new Org, so nothing to drop.
    }
  };
}

/** Objects a test sees without SeeAllData (setup objects). */
const SETUP_OBJECTS = new Set([
  'user',
  'profile',
  'organization',
  'permissionset',
  'permissionsetassignment',
  'group',
  'groupmember',
  'userrole',
  'recordtype'
]);

async function testOrgFor(org: Org, storeDir: string): Promise<Org> {
  const { Org: OrgClass } = await import('../data/org.ts');
  const fresh = await OrgClass.load(storeDir, { personAccounts: org.options.personAccounts });
  // Start from everything a new org has (seeded standard records such as lead statuses,
  // custom metadata records), then take the live org's setup records (its users, their
  // profiles and permission set assignments) so tests can query and runAs them.
  const live = org.toJSON();
  const base = fresh.toJSON();
  const tables: typeof base.store.tables = { ...base.store.tables };
  for (const [name, rows] of Object.entries(live.store.tables)) {
    if (SETUP_OBJECTS.has(name.toLowerCase())) tables[name] = rows;
  }
  fresh.loadJSON({
    ...live,
    store: {
      ...base.store,
      idCounter: Math.max(base.store.idCounter, live.store.idCounter),
      tables,
      eventBus: []
    }
  });
  return fresh;
}

function canonicalHeader(k: string): string {
  return k.replace(/(^|-)([a-z])/g, (_, d: string, c: string) => d + c.toUpperCase());
}

function errorOutcome(status: number, errorCode: string, message: string): RestOutcome {
  return {
    status,
    headers: { 'Content-Type': 'application/json;charset=UTF-8' },
    body: Buffer.from(JSON.stringify([{ errorCode, message }]), 'utf8')
  };
}
