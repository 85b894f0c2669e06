/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * The tree-walking Apex interpreter: class registry, type resolution,
 * statements, expressions, method dispatch, exceptions.
 */
import type { Expr, MethodDecl, ParsedFile, Stmt, TypeDecl, TypeRef, FieldDecl } from './ast.js';
import {
  ClassInfo,
  PRIMS,
  T,
  listOf,
  mapOf,
  nativeType,
  setOf,
  sobjType,
  type RType
} from './types.js';
import {
  ABlob,
  ADate,
  ADatetime,
  AEnum,
  AList,
  AMap,
  AObj,
  ASet,
  ATime,
  D,
  Dbl,
  Dec,
  NativeObj,
  SObj,
  numToJs,
  to18,
  toDec,
  toLong,
  wrapLong,
  isValidId
} from './values.js';
import { Unsupported, shortFile } from './errors.js';
import { fmt } from './format.js';
import * as B from './builtins.js';

export const BRK = 1;
export const CNT = 2;
export const RET = 3;

export class ApexThrow {
  constructor(public exc: AObj) {}
}

/** Thrown by System.runAs misuse etc.; also used for uncatchable limit exceptions marker. */
export interface Frame {
  cls: ClassInfo;
  self: AObj | null;
  scope: any;
  where: string; // stack label, e.g. Class.Foo.bar
  line: number;
  col: number;
  ret: any;
  accessor: string | null;
  sharing: string | null;
}

interface Box {
  v: any;
  t: RType;
}

export class TypeMarker {
  constructor(
    public t: RType,
    public ns: string | null = null
  ) {}
}

const SYS_EXCEPTIONS = [
  'AssertException',
  'AsyncException',
  'CalloutException',
  'DmlException',
  'EmailException',
  'FinalException',
  'HandledException',
  'IllegalArgumentException',
  'InvalidParameterValueException',
  'JSONException',
  'LimitException',
  'ListException',
  'MathException',
  'NoAccessException',
  'NoDataFoundException',
  'NoSuchElementException',
  'NullPointerException',
  'QueryException',
  'RequiredFeatureMissingException',
  'SearchException',
  'SecurityException',
  'SerializationException',
  'SObjectException',
  'StringException',
  'TypeException',
  'UnexpectedException',
  'XmlException',
  'CanvasException',
  'InvalidHeaderException',
  'DuplicateMessageException',
  'AuraHandledException'
];

export interface Limits {
  queries: number;
  queryRows: number;
  dml: number;
  dmlRows: number;
  callouts: number;
  futureCalls: number;
  queueable: number;
  /** EventBus.publish calls for PublishImmediately events (not DML statements). */
  publishImmediate: number;
  cpuStart: number;
}

export function newLimits(): Limits {
  return {
    queries: 0,
    queryRows: 0,
    dml: 0,
    dmlRows: 0,
    callouts: 0,
    futureCalls: 0,
    queueable: 0,
    publishImmediate: 0,
    cpuStart: Date.now()
  };
}

export class Interp {
  classes = new Map<string, ClassInfo>();
  triggers: ClassInfo[] = [];
  files = new Map<string, ParsedFile>();
  stack: Frame[] = [];
  out: (line: number, msg: string, level?: string) => void = () => {};
  /** the data layer's Org (local-org/data) */
  data: any = null;
  limits: Limits = newLimits();
  inTestContext = false;
  testStarted = false;
  asyncQueue: (() => void)[] = [];
  /** coverage: file → Set of covered lines */
  cov = new Map<string, Set<number>>();
  covOn = true;
  userId: string | null = null;
  userTz = 'America/Los_Angeles';
  userLocale = 'en_US';
  triggerCtx: any[] = [];
  depth = 0;
  mocks: Record<string, any> = {};
  /** custom labels: lower-case name → value */
  labels = new Map<string, string>();
  exClasses = new Map<string, ClassInfo>();
  /** cached describe lookups */
  sobjNames = new Map<string, string>();
  constructor() {
    this.initSystemClasses();
  }

  // ---------------- loading ----------------
  initSystemClasses(): void {
    const exc = new ClassInfo(null, null, 'Exception');
    exc.isException = true;
    exc.systemName = 'Exception';
    this.exClasses.set('exception', exc);
    for (const n of SYS_EXCEPTIONS) {
      const c = new ClassInfo(null, null, n);
      c.superclass = exc;
      c.isException = true;
      c.systemName = 'System.' + n;
      c.type = { k: 'class', name: 'System.' + n, cls: c };
      this.exClasses.set(n.toLowerCase(), c);
    }
  }

  load(files: ParsedFile[]): void {
    for (const pf of files) {
      this.files.set(pf.file, pf);
      for (const td of pf.types) {
        if (td.kind === 'trigger') {
          const ci = this.declare(td, null);
          this.triggers.push(ci);
        } else {
          const ci = this.declare(td, null);
          this.classes.set(ci.lname, ci);
        }
      }
    }
    for (const c of this.classes.values()) this.link(c);
    for (const c of this.triggers) this.link(c);
  }

  declare(td: TypeDecl, outer: ClassInfo | null): ClassInfo {
    const ci = new ClassInfo(td, outer, td.name);
    ci.isTest = td.annos.some((a) => a.name === 'istest');
    for (const m of td.mods) {
      if (m === 'with sharing') ci.sharing = 'with';
      else if (m === 'without sharing') ci.sharing = 'without';
      else if (m === 'inherited sharing') ci.sharing = 'inherited';
    }
    for (const m of td.methods) {
      const l = m.lname;
      if (!ci.methods.has(l)) ci.methods.set(l, []);
      ci.methods.get(l)!.push(m);
    }
    ci.ctors = td.ctors;
    for (const f of td.fields) {
      if (f.isStatic) ci.staticDecl.set(f.name.toLowerCase(), f);
      else ci.fields.set(f.name.toLowerCase(), f);
    }
    for (const inner of td.inners) ci.inners.set(inner.name.toLowerCase(), this.declare(inner, ci));
    if (td.kind === 'enum') {
      td.enumValues.forEach((n, i) => {
        const ev = new AEnum(ci, n.toUpperCase() === n ? n : n, i);
        ci.enumValues.push(ev);
        ci.enumByName.set(n.toLowerCase(), ev);
      });
    }
    return ci;
  }

  link(ci: ClassInfo): void {
    const td = ci.decl!;
    if (td.ext) {
      if (td.kind === 'interface') ci.interfaces.push(this.resolveClassRef(td.ext, ci));
      else {
        const sup = this.resolveType(td.ext, ci.outer ?? ci);
        if (sup.k !== 'class' || !sup.cls)
          throw new Unsupported(`extending ${sup.name}`, td.file, td.line);
        ci.superclass = sup.cls;
        if (sup.cls.isException) ci.isException = true;
      }
    }
    for (const i of td.impls) {
      const r = this.resolveType(i, ci.outer ?? ci);
      if (r.k === 'class' && r.cls) ci.interfaces.push(r.cls);
      // system interfaces (Queueable, Database.Batchable, Comparable, …) are recorded by name
      else (ci as any).sysIfaces = [...((ci as any).sysIfaces ?? []), r.name.toLowerCase()];
    }
    for (const inner of ci.inners.values()) this.link(inner);
  }

  resolveClassRef(tr: TypeRef, ctx: ClassInfo): ClassInfo {
    const r = this.resolveType(tr, ctx);
    if (r.k !== 'class' || !r.cls) throw new Unsupported(`type ${tr.parts.join('.')}`, ctx.file, 0);
    return r.cls;
  }

  // ---------------- types ----------------
  typeCache = new WeakMap<TypeRef, Map<ClassInfo | null, RType>>();

  resolveType(tr: TypeRef, ctx: ClassInfo | null): RType {
    const tra = tr as any;
    if (tra._I === this && tra._ctx === ctx) return tra._rt;
    const r = this.resolveTypeSlow(tr, ctx);
    tra._I = this;
    tra._ctx = ctx;
    tra._rt = r;
    return r;
  }

  resolveTypeSlow(tr: TypeRef, ctx: ClassInfo | null): RType {
    let m = this.typeCache.get(tr);
    if (m) {
      const hit = m.get(ctx);
      if (hit) return hit;
    } else {
      m = new Map();
      this.typeCache.set(tr, m);
    }
    const r = this.resolveTypeUncached(tr, ctx);
    if (!r)
      throw this.stack.length
        ? this.unsupported(`unknown type ${tr.parts.join('.')}`)
        : new Unsupported(`unknown type ${tr.parts.join('.')}`, ctx?.file ?? '', 0);
    m.set(ctx, r);
    return r;
  }

  resolveTypeUncached(tr: TypeRef, ctx: ClassInfo | null): RType | null {
    const ln = tr.lname;
    const args = tr.args.map((a) => this.resolveType(a, ctx));
    if (ln === 'list' || ln === 'system.list') return listOf(args[0] ?? T.object);
    if (ln === 'set' || ln === 'system.set') return setOf(args[0] ?? T.object);
    if (ln === 'map' || ln === 'system.map') return mapOf(args[0] ?? T.object, args[1] ?? T.object);
    return this.resolveName(tr.parts, ctx);
  }

  /** Resolve a (possibly qualified) type name. */
  resolveName(parts: string[], ctx: ClassInfo | null): RType | null {
    const lparts = parts.map((p) => p.toLowerCase());
    // user classes: inner of ctx chain, then top-level
    const first = lparts[0];
    let ci: ClassInfo | null = null;
    for (let c = ctx; c && !ci; c = c.outer) {
      if (c.lname.endsWith(first) && c.name.split('.').pop()!.toLowerCase() === first) ci = c;
      else ci = c.inners.get(first) ?? null;
      // inherited inner classes
      for (let s = c.superclass; s && !ci; s = s.superclass) ci = s.inners.get(first) ?? null;
    }
    if (!ci) ci = this.classes.get(first) ?? null;
    if (ci) {
      for (let i = 1; i < lparts.length; i++) {
        const n: ClassInfo | undefined = ci!.inners.get(lparts[i]);
        if (!n) return null;
        ci = n;
      }
      return ci!.type;
    }
    const full = lparts.join('.');
    const stripped =
      lparts[0] === 'system' || lparts[0] === 'schema' ? lparts.slice(1).join('.') : full;
    if (PRIMS[stripped]) return PRIMS[stripped];
    const ex = this.exClasses.get(stripped);
    if (ex) return ex.type;
    if (stripped === 'list') return listOf(T.object);
    if (stripped === 'aggregateresult') return sobjType('AggregateResult');
    const nat = B.nativeTypeName(full) ?? (stripped !== full ? B.nativeTypeName(stripped) : null);
    if (nat) return nativeType(nat);
    // SObject types (Account, Schema.Account, Coconut_Appointment__c)
    if (lparts.length === 1 || (lparts.length === 2 && lparts[0] === 'schema')) {
      const sn = this.sobjectName(lparts[lparts.length - 1]);
      if (sn) return sobjType(sn);
    }
    return null;
  }

  sobjectName(lname: string): string | null {
    if (this.sobjNames.has(lname)) return this.sobjNames.get(lname)!;
    let n: string | null = null;
    if (this.data) n = this.data.schema.findObject(lname)?.name ?? null;
    this.sobjNames.set(lname, n as any);
    return n;
  }

  // ---------------- exceptions ----------------
  exClass(name: string): ClassInfo {
    const c = this.exClasses.get(name.toLowerCase());
    if (!c) throw new Error('no exception class ' + name);
    return c;
  }

  makeException(cls: ClassInfo, msg: string | null, cause: AObj | null = null): AObj {
    const o = new AObj(cls);
    o.f.__message = msg;
    o.f.__cause = cause;
    o.f.__stack = this.stackTrace();
    o.f.__line = this.stack.length ? this.stack[this.stack.length - 1].line : 0;
    o.f.__col = this.stack.length ? this.stack[this.stack.length - 1].col : 0;
    return o;
  }

  /** Throw a system exception: throw I.ex('NullPointerException', 'Attempt to …') */
  ex(name: string, msg: string | null, extra?: Record<string, any>): ApexThrow {
    const o = this.makeException(this.exClass(name), msg);
    if (extra) Object.assign(o.f, extra);
    return new ApexThrow(o);
  }

  npe(): ApexThrow {
    return this.ex('NullPointerException', 'Attempt to de-reference a null object');
  }

  stackTrace(): string {
    const lines: string[] = [];
    for (let i = this.stack.length - 1; i >= 0; i--) {
      const f = this.stack[i];
      lines.push(`${f.where}: line ${f.line}, column ${f.col}`);
    }
    return lines.join('\n');
  }

  unsupported(what: string): Unsupported {
    const f = this.stack[this.stack.length - 1];
    return new Unsupported(what, f ? this.fileOf(f) : undefined, f?.line);
  }
  fileOf(f: Frame): string {
    return f.cls.file || f.cls.decl?.file || '';
  }

  // ---------------- class init ----------------
  ensureInit(ci: ClassInfo): void {
    if (ci.initState !== 0) return;
    ci.initState = 1;
    if (ci.superclass) this.ensureInit(ci.superclass);
    if (ci.outer) this.ensureInit(ci.outer);
    const td = ci.decl;
    if (!td) {
      ci.initState = 2;
      return;
    }
    for (const f of ci.staticDecl.values())
      ci.statics[f.name.toLowerCase()] = this.defaultValue(this.resolveType(f.type, ci));
    const fr = this.newFrame(ci, null, `Class.${ci.name}.<clinit>`, td.line);
    this.stack.push(fr);
    try {
      for (const im of td.staticInit) {
        if (im.kind === 'field') {
          if (im.decl.init) {
            fr.line = im.decl.line;
            this.hit(ci, im.decl.line);
            const t = this.resolveType(im.decl.type, ci);
            ci.statics[im.decl.name.toLowerCase()] = this.coerce(this.ev(im.decl.init, fr), t);
          }
        } else this.execBlockSig(im.body, fr);
      }
    } finally {
      this.stack.pop();
    }
    ci.initState = 2;
  }

  defaultValue(_t: RType): any {
    return null;
  }

  newFrame(cls: ClassInfo, self: AObj | null, where: string, line: number): Frame {
    return {
      cls,
      self,
      scope: Object.create(null),
      where,
      line,
      col: 1,
      ret: undefined,
      accessor: null,
      sharing: cls.sharing
    };
  }

  hit(ci: ClassInfo, line: number): void {
    if (!this.covOn) return;
    const file = ci.file || ci.decl?.file;
    if (!file) return;
    let s = this.cov.get(file);
    if (!s) this.cov.set(file, (s = new Set()));
    s.add(line);
  }

  // ---------------- object construction ----------------
  instantiate(ci: ClassInfo, args: any[], node: Expr | null): AObj {
    if (ci.kind === 'interface' || ci.decl?.mods.has('abstract'))
      throw this.unsupported(`instantiating abstract type ${ci.name}`);
    this.ensureInit(ci);
    const o = new AObj(ci);
    if (ci.isException) {
      o.f.__message = null;
      o.f.__cause = null;
      o.f.__stack = this.stackTrace();
      o.f.__line = node?.line ?? 0;
      o.f.__col = node?.col ?? 0;
    }
    this.construct(ci, o, args);
    return o;
  }

  initInstanceFields(ci: ClassInfo, o: AObj): void {
    const td = ci.decl;
    if (!td) return;
    const fr = this.newFrame(ci, o, `Class.${ci.name}.<init>`, td.line);
    this.stack.push(fr);
    try {
      for (const im of td.instanceInit) {
        if (im.kind === 'field') {
          const ln = im.decl.name.toLowerCase();
          if (im.decl.init) {
            fr.line = im.decl.line;
            this.hit(ci, im.decl.line);
            o.f[ln] = this.coerce(this.ev(im.decl.init, fr), this.resolveType(im.decl.type, ci));
          } else if (!(ln in o.f)) o.f[ln] = null;
        } else this.execBlockSig(im.body, fr);
      }
    } finally {
      this.stack.pop();
    }
  }

  construct(ci: ClassInfo, o: AObj, args: any[]): void {
    if (!ci.decl) {
      // system Exception constructors
      if (ci.isException) {
        if (args.length === 1) {
          if (args[0] instanceof AObj && args[0].cls.isException) o.f.__cause = args[0];
          else o.f.__message = args[0] == null ? null : B.str(this, args[0]);
        } else if (args.length === 2) {
          o.f.__message = args[0];
          o.f.__cause = args[1];
        }
        return;
      }
      return;
    }
    const ctor = this.pickOverload(ci.ctors, args, ci);
    if (!ctor) {
      if (ci.ctors.length > 0 || (args.length > 0 && !ci.isException))
        throw this.unsupported(`no constructor ${ci.name}(${args.length} args)`);
      if (ci.superclass) this.construct(ci.superclass, o, args);
      this.initInstanceFields(ci, o);
      return;
    }
    const fr = this.newFrame(ci, o, `Class.${ci.name}.<init>`, ctor.line);
    this.bindParams(ctor, args, fr, ci);
    const body = ctor.body!.body as Stmt[];
    let startIdx = 0;
    this.stack.push(fr);
    try {
      const firstSt = body[0];
      if (
        firstSt &&
        firstSt.k === 'expr' &&
        (firstSt.e.k === 'thiscall' || firstSt.e.k === 'supercall')
      ) {
        startIdx = 1;
        fr.line = firstSt.line;
        this.hit(ci, firstSt.line);
        const a = firstSt.e.args.map((x: Expr) => this.ev(x, fr));
        if (firstSt.e.k === 'thiscall') this.construct(ci, o, a);
        else {
          if (ci.superclass) this.construct(ci.superclass, o, a);
          this.initInstanceFields(ci, o);
        }
      } else {
        if (ci.superclass) this.construct(ci.superclass, o, []);
        this.initInstanceFields(ci, o);
      }
      for (let i = startIdx; i < body.length; i++) {
        const s = this.exec(body[i], fr);
        if (s === RET) break;
      }
    } finally {
      this.stack.pop();
    }
  }

  bindParams(m: MethodDecl, args: any[], fr: Frame, ci: ClassInfo): void {
    for (let i = 0; i < m.params.length; i++) {
      const p = m.params[i];
      const t = this.resolveType(p.type, ci);
      fr.scope[p.name.toLowerCase()] = { v: this.coerce(args[i], t), t } as Box;
    }
  }

  // ---------------- method lookup ----------------
  pickOverload(cands: MethodDecl[] | undefined, args: any[], ci: ClassInfo): MethodDecl | null {
    if (!cands || cands.length === 0) return null;
    const byArity = cands.filter((m) => m.params.length === args.length);
    if (byArity.length <= 1) return byArity[0] ?? null;
    // choose by runtime argument types (exact first, then assignable)
    let best: MethodDecl | null = null;
    let bestScore = -1;
    for (const m of byArity) {
      let score = 0;
      let ok = true;
      for (let i = 0; i < args.length; i++) {
        const t = this.resolveType(m.params[i].type, m.isCtor ? ci : this.declaringClass(m, ci));
        const s = this.matchScore(args[i], t);
        if (s < 0) {
          ok = false;
          break;
        }
        score += s;
      }
      if (ok && score > bestScore) {
        best = m;
        bestScore = score;
      }
    }
    return best ?? byArity[0];
  }

  declaringClass(m: MethodDecl, ci: ClassInfo): ClassInfo {
    for (let c: ClassInfo | null = ci; c; c = c.superclass)
      if (c.methods.get(m.lname)?.includes(m)) return c;
    return ci;
  }

  matchScore(v: any, t: RType): number {
    if (v === null || v === undefined) return 1;
    const exact = B.runtimeType(this, v);
    if (exact.name.toLowerCase() === t.name.toLowerCase()) return 3;
    if (t.k === 'object') return 1;
    if (this.isInstance(v, t)) return 2;
    // numeric widening
    if (typeof v === 'number' && (t.k === 'long' || t.k === 'double' || t.k === 'decimal'))
      return 1;
    if (typeof v === 'string' && t.k === 'id' && isValidId(v)) return 2;
    return -1;
  }

  findMethod(ci: ClassInfo, lname: string, args: any[]): { m: MethodDecl; cls: ClassInfo } | null {
    // a name/arity with a single candidate resolves the same way every time: cache it
    const key = lname + '/' + args.length;
    const cache = (ci as any)._found as Map<string, { m: MethodDecl; cls: ClassInfo }> | undefined;
    const hit = cache?.get(key);
    if (hit) return hit;
    for (let c: ClassInfo | null = ci; c; c = c.superclass) {
      const cands = c.methods.get(lname);
      if (cands) {
        const concrete = cands.filter((m) => m.body || !m.mods.has('abstract'));
        const pool = concrete.length ? concrete : cands;
        const m = this.pickOverload(pool, args, c);
        if (m) {
          const found = { m, cls: c };
          if (
            pool.filter((x) => x.params.length === args.length).length === 1 &&
            !this.hasOtherArity(ci, c, lname, args.length)
          ) {
            if (!cache) (ci as any)._found = new Map([[key, found]]);
            else cache.set(key, found);
          }
          return found;
        }
      }
    }
    return null;
  }

  /** true when a class between ci and the declaring class declares lname with this arity (would shadow). */
  private hasOtherArity(ci: ClassInfo, decl: ClassInfo, lname: string, n: number): boolean {
    for (let c: ClassInfo | null = ci; c && c !== decl; c = c.superclass) {
      if (c.methods.get(lname)?.some((m) => m.params.length === n)) return true;
    }
    return false;
  }

  invoke(cls: ClassInfo, m: MethodDecl, self: AObj | null, args: any[]): any {
    if (!m.body) {
      if (self) {
        const impl = this.findMethod(self.cls, m.lname, args);
        if (impl && impl.m.body) return this.invoke(impl.cls, impl.m, self, args);
      }
      throw this.unsupported(`abstract method ${cls.name}.${m.name} has no implementation`);
    }
    if (this.depth > 1000) throw this.ex('LimitException', 'Maximum stack depth reached: 1001');
    if ((this as any).futureBody === m) (this as any).futureBody = null;
    else if (m.isStatic && m.annos.length && m.annos.some((a) => a.name === 'future')) {
      const kind = (this as any).inAsync ? (this as any).asyncKind : null;
      // Apex Developer Guide › Future Methods: a future method cannot be called from a future
      // or batch method (System.AsyncException; its exact message is not modelled).
      if (kind === 'future' || kind === 'batch')
        throw this.unsupported(
          `@future method ${cls.name}.${m.name} called from a ${kind} context (Salesforce throws System.AsyncException)`
        );
      this.limits.futureCalls++;
      if (this.limits.futureCalls > 50)
        throw this.ex('LimitException', 'Too many future calls: 51');
      const copy = args.slice();
      this.asyncQueue.push(() =>
        B.runAsyncFn(this, 'future', () => {
          // the queued call runs the body (it is not queued again)
          (this as any).futureBody = m;
          this.invoke(cls, m, null, copy);
        })
      );
      return null;
    }
    const where = cls.kind === 'trigger' ? `Trigger.${cls.name}` : `Class.${cls.name}.${m.name}`;
    const fr = this.newFrame(cls, self, where, m.line);
    this.bindParams(m, args, fr, cls);
    this.stack.push(fr);
    this.depth++;
    try {
      const sig = this.execBlockSig(m.body, fr);
      if (sig === RET && m.ret) return this.coerce(fr.ret, this.resolveType(m.ret, cls));
      return null;
    } finally {
      this.depth--;
      this.stack.pop();
    }
  }

  /** Test.createStub: every instance method call goes to StubProvider.handleMethodCall. */
  callStub(o: AObj, cls: ClassInfo, m: MethodDecl, args: any[]): any {
    const provider: AObj = o.f.__stub;
    const typeOf = (tr: TypeRef | null) => B.typeValue(tr ? this.resolveType(tr, cls) : T.void);
    const ret = this.callUserMethod(provider, 'handlemethodcall', [
      o,
      m.name,
      typeOf(m.ret),
      new AList(
        nativeType('Type'),
        m.params.map((p) => typeOf(p.type))
      ),
      new AList(
        T.string,
        m.params.map((p) => p.name)
      ),
      new AList(T.object, args.slice())
    ]);
    return m.ret ? this.coerce(ret, this.resolveType(m.ret, cls)) : null;
  }

  /** An instance for JSON.deserialize: the no-arg constructor when there is one, else field initialisers only. */
  instantiateForJson(ci: ClassInfo): AObj {
    if (ci.ctors.length === 0 || ci.ctors.some((c) => c.params.length === 0))
      return this.instantiate(ci, [], null);
    this.ensureInit(ci);
    const o = new AObj(ci);
    const chain: ClassInfo[] = [];
    for (let c: ClassInfo | null = ci; c; c = c.superclass) chain.unshift(c);
    for (const c of chain) this.initInstanceFields(c, o);
    return o;
  }

  /** Call a method on a user-class instance by name (used by system code: Comparable, Queueable, …). */
  callUserMethod(o: AObj, lname: string, args: any[]): any {
    const f = this.findMethod(o.cls, lname, args);
    if (!f) throw this.unsupported(`method ${o.cls.name}.${lname}`);
    return this.invoke(f.cls, f.m, o, args);
  }

  callStaticUser(ci: ClassInfo, lname: string, args: any[]): any {
    this.ensureInit(ci);
    const f = this.findMethod(ci, lname, args);
    if (!f) throw this.unsupported(`method ${ci.name}.${lname}`);
    return this.invoke(f.cls, f.m, null, args);
  }

  // ---------------- statements ----------------
  execBlockSig(b: Stmt, fr: Frame): number {
    if (b.k !== 'block') return this.exec(b, fr);
    if (b.hasDecl === false) {
      const body = b.body as Stmt[];
      for (let i = 0; i < body.length; i++) {
        const s = this.exec(body[i], fr);
        if (s) return s;
      }
      return 0;
    }
    const saved = fr.scope;
    fr.scope = Object.create(saved);
    try {
      const body = b.body as Stmt[];
      for (let i = 0; i < body.length; i++) {
        const s = this.exec(body[i], fr);
        if (s) return s;
      }
      return 0;
    } finally {
      fr.scope = saved;
    }
  }

  exec(s: Stmt, fr: Frame): number {
    if (s.k !== 'block') {
      fr.line = s.line;
      fr.col = s.col;
      if (this.covOn) this.hit(fr.cls, s.line);
    }
    switch (s.k) {
      case 'block':
        return this.execBlockSig(s, fr);
      case 'expr':
        this.ev(s.e, fr);
        return 0;
      case 'local': {
        const t = this.resolveType(s.type, fr.cls);
        for (const d of s.decls) {
          const v = d.init ? this.coerceAssign(this.ev(d.init, fr), t, d.init) : null;
          fr.scope[d.name] = { v, t } as Box;
        }
        return 0;
      }
      case 'if': {
        const c = this.ev(s.cond, fr);
        if (c === null) throw this.npe();
        if (c) return this.exec(s.then, fr);
        if (s.else) return this.exec(s.else, fr);
        return 0;
      }
      case 'while': {
        for (;;) {
          fr.line = s.line;
          const c = this.ev(s.cond, fr);
          if (c === null) throw this.npe();
          if (!c) return 0;
          const r = this.exec(s.body, fr);
          if (r === BRK) return 0;
          if (r === RET) return r;
        }
      }
      case 'do': {
        for (;;) {
          const r = this.exec(s.body, fr);
          if (r === BRK) return 0;
          if (r === RET) return r;
          fr.line = s.line;
          const c = this.ev(s.cond, fr);
          if (c === null) throw this.npe();
          if (!c) return 0;
        }
      }
      case 'for': {
        const saved = fr.scope;
        fr.scope = Object.create(saved);
        try {
          if (s.init) {
            if (s.init.k === 'local') this.exec(s.init, fr);
            else for (const e of s.init.es) this.ev(e, fr);
          }
          for (;;) {
            if (s.cond) {
              const c = this.ev(s.cond, fr);
              if (c === null) throw this.npe();
              if (!c) return 0;
            }
            const r = this.exec(s.body, fr);
            if (r === BRK) return 0;
            if (r === RET) return r;
            for (const u of s.update) this.ev(u, fr);
          }
        } finally {
          fr.scope = saved;
        }
      }
      case 'foreach':
        return this.execForeach(s, fr);
      case 'return':
        fr.ret = s.e ? this.ev(s.e, fr) : null;
        return RET;
      case 'break':
        return BRK;
      case 'continue':
        return CNT;
      case 'throw': {
        const e = this.ev(s.e, fr);
        if (e === null) throw this.npe();
        if (!(e instanceof AObj) || !e.cls.isException)
          throw this.unsupported('throwing a non-exception');
        throw new ApexThrow(e);
      }
      case 'try':
        return this.execTry(s, fr);
      case 'switch':
        return this.execSwitch(s, fr);
      case 'dml':
        B.dmlStatement(this, s, fr);
        return 0;
      case 'runas':
        return B.runAs(this, s, fr);
      default:
        throw this.unsupported('statement ' + s.k);
    }
  }

  execForeach(s: Stmt, fr: Frame): number {
    const t = this.resolveType(s.type, fr.cls);
    let items: any[];
    if (s.iter.k === 'soql') {
      const rows = this.ev(s.iter, fr).a;
      if (t.k === 'list') {
        items = [];
        for (let i = 0; i < rows.length; i += 200)
          items.push(new AList(t.args![0], rows.slice(i, i + 200)));
      } else items = rows;
    } else {
      const coll = this.ev(s.iter, fr);
      if (coll === null) throw this.npe();
      if (coll instanceof AList) items = coll.a.slice();
      else if (coll instanceof ASet) items = [...coll.m.values()];
      else if (coll instanceof NativeObj && coll.type === 'Iterator') items = coll.p.items;
      else if (coll instanceof AObj) items = B.iterateUser(this, coll);
      else throw this.unsupported('for-each over ' + B.runtimeType(this, coll).name);
      if (coll instanceof AList) {
        // Apex throws when the list is modified while iterating
        const src = coll;
        const len = src.a.length;
        const saved = fr.scope;
        const box = { v: null, t } as Box;
        fr.scope = Object.create(saved);
        fr.scope[s.name] = box;
        try {
          for (let i = 0; i < items.length; i++) {
            box.v = items[i];
            const r = this.exec(s.body, fr);
            if (r === BRK) return 0;
            if (r === RET) return r;
            if (src.a.length !== len)
              throw this.ex(
                'FinalException',
                'Cannot modify a collection while it is being iterated.'
              );
          }
        } finally {
          fr.scope = saved;
        }
        return 0;
      }
    }
    const saved = fr.scope;
    const box = { v: null, t } as Box;
    fr.scope = Object.create(saved);
    fr.scope[s.name] = box;
    try {
      for (let i = 0; i < items.length; i++) {
        box.v = items[i];
        const r = this.exec(s.body, fr);
        if (r === BRK) return 0;
        if (r === RET) return r;
      }
    } finally {
      fr.scope = saved;
    }
    return 0;
  }

  execTry(s: Stmt, fr: Frame): number {
    let sig = 0;
    try {
      sig = this.execBlockSig(s.body, fr);
    } catch (e) {
      const exc = this.toApexThrow(e);
      if (!exc) throw e;
      const ex = exc.exc;
      let handled = false;
      for (const c of s.catches) {
        const ct = this.resolveType(c.type, fr.cls);
        if (ct.k === 'class' && ct.cls && ex.cls.isSubclassOf(ct.cls)) {
          // LimitException cannot be caught
          if (ex.cls.systemName === 'System.LimitException') break;
          handled = true;
          const saved = fr.scope;
          fr.scope = Object.create(saved);
          fr.scope[c.name] = { v: ex, t: ct } as Box;
          try {
            sig = this.execBlockSig(c.body, fr);
          } finally {
            fr.scope = saved;
            if (s.fin) {
              const fs = this.execBlockSig(s.fin, fr);
              if (fs) sig = fs;
            }
          }
          break;
        }
      }
      if (!handled) {
        if (s.fin) this.execBlockSig(s.fin, fr);
        throw e;
      }
      return sig;
    }
    if (s.fin) {
      const fs = this.execBlockSig(s.fin, fr);
      if (fs) return fs;
    }
    return sig;
  }

  toApexThrow(e: any): ApexThrow | null {
    if (e instanceof ApexThrow) return e;
    if (e instanceof RangeError && /call stack/i.test(e.message))
      return this.ex('LimitException', 'Maximum stack depth reached: 1001');
    return null;
  }

  execSwitch(s: Stmt, fr: Frame): number {
    const v = this.ev(s.e, fr);
    for (const w of s.whens) {
      let match = false;
      if (w.kind === 'else') match = true;
      else if (w.kind === 'type') {
        const t = this.resolveType(w.type, fr.cls);
        if (v !== null && this.isInstance(v, t)) {
          match = true;
          const saved = fr.scope;
          fr.scope = Object.create(saved);
          fr.scope[w.name] = { v, t } as Box;
          try {
            return this.execBlockSig(w.body, fr);
          } finally {
            fr.scope = saved;
          }
        }
      } else {
        for (const lit of w.values) {
          if ('enumName' in lit) {
            if (v instanceof AEnum && v.name.toLowerCase() === lit.enumName) match = true;
            else if (v instanceof NativeObj && String(v.p.__str).toLowerCase() === lit.enumName)
              match = true;
          } else if (lit.value === null) {
            if (v === null) match = true;
          } else if (v !== null) {
            if (typeof v === 'string' && typeof lit.value === 'string') match = v === lit.value;
            else if (typeof lit.value === 'bigint') match = toLong(v) === lit.value;
            else match = typeof v === 'number' ? v === lit.value : numToJs(v) === lit.value;
          }
          if (match) break;
        }
      }
      if (match) return this.execBlockSig(w.body, fr);
    }
    return 0;
  }

  // ---------------- expressions ----------------
  ev(e: Expr, fr: Frame): any {
    switch (e.k) {
      case 'lit':
        if (e.numLit === 'decimal') return (e.cached ??= Dec.lit(e.raw));
        if (e.numLit === 'double') return new Dbl(e.v);
        if (e.numLit === 'int' && (e.v > 2147483647 || e.v < -2147483648))
          throw this.unsupported(`Integer literal out of range ${e.raw}`);
        return e.v;
      case 'id':
        return this.evId(e, fr);
      case 'this':
        return fr.self;
      case 'dot':
        return this.evDot(e, fr);
      case 'call':
        return this.evCall(e, fr);
      case 'bin': {
        const l = this.ev(e.l, fr);
        const r = this.ev(e.r, fr);
        if (
          e.op === '+' &&
          (l === null || r === null) &&
          (this.isStringTyped(e.l, fr) || this.isStringTyped(e.r, fr))
        )
          return B.concatStr(this, l) + B.concatStr(this, r);
        return this.binop(e.op, l, r, e);
      }
      case 'and': {
        const l = this.ev(e.l, fr);
        if (l === null) throw this.npe();
        if (!l) return false;
        const r = this.ev(e.r, fr);
        if (r === null) throw this.npe();
        return r;
      }
      case 'or': {
        const l = this.ev(e.l, fr);
        if (l === null) throw this.npe();
        if (l) return true;
        const r = this.ev(e.r, fr);
        if (r === null) throw this.npe();
        return r;
      }
      case 'coal': {
        const l = this.ev(e.l, fr);
        return l !== null ? l : this.ev(e.r, fr);
      }
      case 'cond': {
        const c = this.ev(e.cond, fr);
        if (c === null) throw this.npe();
        return c ? this.ev(e.a, fr) : this.ev(e.b, fr);
      }
      case 'unary': {
        const v = this.ev(e.e, fr);
        if (v === null) throw this.npe();
        switch (e.op) {
          case '!':
            return !v;
          case '-':
            return this.binop('-', 0, v, e, true);
          case '+':
            return v;
          case '~':
            if (typeof v === 'bigint') return ~v;
            return ~v;
        }
        throw this.unsupported('unary ' + e.op);
      }
      case 'assign':
        return this.evAssign(e, fr);
      case 'incdec': {
        const old = this.ev(e.target, fr);
        if (old === null) throw this.npe();
        const nv = this.binop('+', old, e.delta, e);
        this.store(e.target, nv, fr);
        return e.pre ? nv : old;
      }
      case 'index': {
        const o = this.ev(e.obj, fr);
        const i = this.ev(e.idx, fr);
        if (o === null) throw this.npe();
        if (o instanceof AList) {
          if (i === null) throw this.npe();
          if (i < 0 || i >= o.a.length)
            throw this.ex('ListException', `List index out of bounds: ${i}`);
          return o.a[i];
        }
        throw this.unsupported('indexing ' + B.runtimeType(this, o).name);
      }
      case 'new':
        return this.evNew(e, fr);
      case 'newsobj': {
        const t = this.resolveType(e.type, fr.cls);
        if (t.k !== 'sobj') {
          // a user class constructor called with assignment expressions as args
          return this.evNew({ ...e, k: 'new', args: e.pairs.map((p: any) => p.e) }, fr);
        }
        const so = B.newSObject(this, t.name);
        for (const p of e.pairs) B.sobjPut(this, so, p.name, this.ev(p.e, fr));
        return so;
      }
      case 'newcoll': {
        const t = this.resolveType(e.type, fr.cls);
        if (t.k === 'list') {
          const l = new AList(t.args![0], []);
          for (const it of e.items) l.a.push(this.coerce(this.ev(it, fr), t.args![0]));
          if (e.items.length === 1 && (e.items[0].k !== 'lit' || true)) {
            // new List<T>(otherList) is parsed as class creator, not here
          }
          return l;
        }
        if (t.k === 'set') {
          const st = new ASet(t.args![0]);
          for (const it of e.items) B.setAdd(this, st, this.coerce(this.ev(it, fr), t.args![0]));
          return st;
        }
        if (t.k === 'map') return new AMap(t.args![0], t.args![1]);
        if (t.k === 'sobj') return B.newSObject(this, t.name);
        if (t.k === 'class' && t.cls) return this.instantiate(t.cls, [], e);
        throw this.unsupported('new ' + t.name + '{}');
      }
      case 'newmap': {
        const t = this.resolveType(e.type, fr.cls);
        const m = new AMap(t.args![0], t.args![1]);
        for (const [k, v] of e.pairs)
          B.mapPut(this, m, this.coerce(this.ev(k, fr), m.kt), this.coerce(this.ev(v, fr), m.vt));
        return m;
      }
      case 'newarr': {
        const t = this.resolveType(e.type, fr.cls);
        const n = this.ev(e.size, fr);
        if (n === null) throw this.npe();
        return new AList(t.args![0], new Array(n).fill(null));
      }
      case 'cast':
        return this.evCast(e, fr);
      case 'instanceof': {
        const v = this.ev(e.e, fr);
        if (v === null) return false;
        return this.isInstance(v, this.resolveType(e.type, fr.cls));
      }
      case 'typelit':
        return B.typeValue(this.resolveType(e.type, fr.cls));
      case 'soql':
        return B.inlineSoql(this, e, fr);
      case 'super':
        return fr.self;
      case 'thiscall':
      case 'supercall':
        throw this.unsupported('this()/super() outside the first statement of a constructor');
      default:
        throw this.unsupported('expression ' + e.k);
    }
  }

  /** Static type check used where Apex semantics depend on the declared type (null String + x concatenates). */
  isStringTyped(e: Expr, fr: Frame): boolean {
    if (e.k === 'lit') return typeof e.v === 'string';
    if (e.k === 'bin' && e.op === '+')
      return this.isStringTyped(e.l, fr) || this.isStringTyped(e.r, fr);
    if (e.k === 'id') {
      const box = fr.scope[e.name] as Box | undefined;
      if (box) return box.t.k === 'string';
      const fd = fr.self ? this.instanceField(fr.self.cls, e.name) : null;
      const sf = fd ? null : this.findStatic(fr.cls, e.name);
      const decl = fd ?? sf?.fd;
      if (decl)
        return (
          this.resolveType(decl.type, fd ? this.ownerOf(fr.self!.cls, fd) : sf!.cls).k === 'string'
        );
    }
    if (e.k === 'cast') return e.type.lname === 'string';
    return false;
  }

  evId(e: Expr, fr: Frame): any {
    const n = e.name;
    // resolution is lexical, so what a name meant once at this node it always means
    switch (e._I === this ? e._res : 0) {
      case 2: {
        const fd: FieldDecl = e._fd;
        if (fd.prop && fd.prop.getter?.body && fr.accessor !== n)
          return this.callGetter(fr.self, fd, fr.self!.cls);
        return fr.self!.f[n];
      }
      case 3:
        return this.readStatic(e._cls, e._fd, fr);
      case 4:
        return e._tm;
    }
    const box = fr.scope[n] as Box | undefined;
    if (box !== undefined) return box.v;
    // instance field / property
    if (fr.self) {
      const ci = fr.self.cls as ClassInfo;
      const fd = this.instanceField(ci, n);
      if (fd) {
        if (fr.cls === ci || !fr.cls.superclass) {
          e._res = 2;
          e._fd = fd;
          e._I = this;
        }
        if (fd.prop && fd.prop.getter?.body && fr.accessor !== n)
          return this.callGetter(fr.self, fd, ci);
        return fr.self.f[n];
      }
    }
    // static field of this class chain / outer classes
    const sf = this.findStatic(fr.cls, n);
    if (sf) {
      e._res = 3;
      e._I = this;
      e._cls = sf.cls;
      e._fd = sf.fd;
      return this.readStatic(sf.cls, sf.fd, fr);
    }
    // a type or namespace
    const t = this.resolveName([e.oname], fr.cls);
    if (t) {
      e._res = 4;
      e._I = this;
      e._tm = new TypeMarker(t);
      return e._tm;
    }
    const ns = B.namespaceMarker(n);
    if (ns) {
      e._res = 4;
      e._I = this;
      e._tm = ns;
      return ns;
    }
    throw this.unsupported(`unknown variable ${e.oname}`);
  }

  instanceField(ci: ClassInfo, n: string): FieldDecl | null {
    for (let c: ClassInfo | null = ci; c; c = c.superclass) {
      const f = c.fields.get(n);
      if (f) return f;
    }
    return null;
  }

  findStatic(ci: ClassInfo | null, n: string): { cls: ClassInfo; fd: FieldDecl } | null {
    for (let c = ci; c; c = c.outer) {
      for (let s: ClassInfo | null = c; s; s = s.superclass) {
        const fd = s.staticDecl.get(n);
        if (fd) return { cls: s, fd };
      }
    }
    return null;
  }

  readStatic(ci: ClassInfo, fd: FieldDecl, fr: Frame | null): any {
    this.ensureInit(ci);
    const n = fd.name.toLowerCase();
    if (fd.prop && fd.prop.getter?.body && fr?.accessor !== n) return this.callGetter(null, fd, ci);
    return ci.statics[n];
  }

  writeStatic(ci: ClassInfo, fd: FieldDecl, v: any, fr: Frame | null): void {
    this.ensureInit(ci);
    const n = fd.name.toLowerCase();
    const t = this.resolveType(fd.type, ci);
    v = this.coerceAssign(v, t, null);
    if (fd.prop && fd.prop.setter?.body && fr?.accessor !== n) {
      this.callSetter(null, fd, ci, v);
      return;
    }
    ci.statics[n] = v;
  }

  callGetter(self: AObj | null, fd: FieldDecl, ci: ClassInfo): any {
    const owner = self ? this.ownerOf(self.cls, fd) : ci;
    const fr = this.newFrame(owner, self, `Class.${owner.name}.${fd.name}`, fd.prop!.getter!.line);
    fr.accessor = fd.name.toLowerCase();
    this.stack.push(fr);
    try {
      const sig = this.execBlockSig(fd.prop!.getter!.body!, fr);
      return sig === RET ? this.coerce(fr.ret, this.resolveType(fd.type, owner)) : null;
    } finally {
      this.stack.pop();
    }
  }

  callSetter(self: AObj | null, fd: FieldDecl, ci: ClassInfo, v: any): void {
    const owner = self ? this.ownerOf(self.cls, fd) : ci;
    const fr = this.newFrame(owner, self, `Class.${owner.name}.${fd.name}`, fd.prop!.setter!.line);
    fr.accessor = fd.name.toLowerCase();
    fr.scope.value = { v, t: this.resolveType(fd.type, owner) } as Box;
    this.stack.push(fr);
    try {
      this.execBlockSig(fd.prop!.setter!.body!, fr);
    } finally {
      this.stack.pop();
    }
  }

  ownerOf(ci: ClassInfo, fd: FieldDecl): ClassInfo {
    for (let c: ClassInfo | null = ci; c; c = c.superclass)
      if (c.fields.get(fd.name.toLowerCase()) === fd) return c;
    return ci;
  }

  readField(o: AObj, n: string, fr: Frame | null): any {
    const fd = this.instanceField(o.cls, n);
    if (fd) {
      if (fd.prop && fd.prop.getter?.body && !(fr && fr.self === o && fr.accessor === n))
        return this.callGetter(o, fd, o.cls);
      return o.f[n];
    }
    const sf = this.findStatic(o.cls, n);
    if (sf) return this.readStatic(sf.cls, sf.fd, fr);
    if (o.cls.isException) return B.exceptionProp(this, o, n);
    throw this.unsupported(`unknown field ${o.cls.name}.${n}`);
  }

  writeField(o: AObj, n: string, v: any, fr: Frame | null): void {
    const fd = this.instanceField(o.cls, n);
    if (!fd) {
      const sf = this.findStatic(o.cls, n);
      if (sf) return this.writeStatic(sf.cls, sf.fd, v, fr);
      throw this.unsupported(`unknown field ${o.cls.name}.${n}`);
    }
    const owner = this.ownerOf(o.cls, fd);
    v = this.coerceAssign(v, this.resolveType(fd.type, owner), null);
    if (fd.prop && fd.prop.setter?.body && !(fr && fr.self === o && fr.accessor === n)) {
      this.callSetter(o, fd, owner, v);
      return;
    }
    o.f[n] = v;
  }

  evDot(e: Expr, fr: Frame): any {
    const o = this.ev(e.obj, fr);
    if (o === null) {
      if (e.safe) return null;
      throw this.npe();
    }
    return this.getMember(o, e.name, e.oname, fr);
  }

  getMember(o: any, n: string, oname: string, fr: Frame | null): any {
    if (o instanceof AObj) return this.readField(o, n, fr);
    if (o instanceof AList && (o as any).soql) {
      // [SELECT … LIMIT 1].Field: the query must return exactly one row
      if (o.a.length === 0)
        throw this.ex('QueryException', 'List has no rows for assignment to SObject');
      if (o.a.length > 1)
        throw this.ex('QueryException', 'List has more than 1 row for assignment to SObject');
      return B.sobjGet(this, o.a[0], n, true);
    }
    if (o instanceof SObj) return B.sobjGet(this, o, n, true);
    if (o instanceof TypeMarker) return this.staticMember(o, n, oname, fr);
    return B.getProp(this, o, n);
  }

  staticMember(tm: TypeMarker, n: string, oname: string, fr: Frame | null): any {
    const t = tm.t;
    if (t.k === 'class' && t.cls && t.cls.decl) {
      const ci = t.cls;
      if (ci.kind === 'enum') {
        const ev = ci.enumByName.get(n);
        if (ev) return ev;
      }
      const sf = this.findStatic(ci, n);
      if (sf) return this.readStatic(sf.cls, sf.fd, fr);
      const inner = ci.inners.get(n);
      if (inner) return new TypeMarker(inner.type);
      throw this.unsupported(`unknown static member ${ci.name}.${oname}`);
    }
    if (tm.ns) {
      const r = this.resolveName([tm.ns, oname], fr?.cls ?? null);
      if (r) return new TypeMarker(r);
      const sub = B.namespaceMarker(tm.ns + '.' + n);
      if (sub) return sub;
    }
    return B.staticProp(this, t, n, oname);
  }

  evCall(e: Expr, fr: Frame): any {
    const args: any[] = [];
    if (e.obj === null) {
      for (const a of e.args) args.push(this.ev(a, fr));
      return this.callUnqualified(e, args, fr);
    }
    if (e.obj.k === 'super') {
      for (const a of e.args) args.push(this.ev(a, fr));
      const sup = fr.cls.superclass;
      if (!sup) throw this.unsupported('super call without superclass');
      if (!sup.decl) return B.callMethod(this, fr.self, e.name, args, e);
      const f = this.findMethod(sup, e.name, args);
      if (!f) return B.callObjectMethod(this, fr.self!, e.name, args, e, true);
      return this.invoke(f.cls, f.m, fr.self, args);
    }
    const o = this.ev(e.obj, fr);
    if (o === null) {
      if (e.safe) return null;
      throw this.npe();
    }
    for (const a of e.args) args.push(this.ev(a, fr));
    if (o instanceof AObj && o.cls.decl) {
      const f = this.findMethod(o.cls, e.name, args);
      if (f && o.f.__stub) return this.callStub(o, f.cls, f.m, args);
      if (f) return this.invoke(f.cls, f.m, o, args);
      // a field holding something callable? no — fall back to Object/Exception methods
      return B.callMethod(this, o, e.name, args, e);
    }
    if (o instanceof TypeMarker) {
      const t = o.t;
      if (t.k === 'class' && t.cls && t.cls.decl) {
        const ci = t.cls;
        this.ensureInit(ci);
        const f = this.findMethod(ci, e.name, args);
        if (f) return this.invoke(f.cls, f.m, null, args);
        if (ci.kind === 'enum') return B.enumStatic(this, ci, e.name, args);
        throw this.unsupported(`unknown method ${ci.name}.${e.oname}`);
      }
      return B.callStatic(this, o, e.name, args, e);
    }
    return B.callMethod(this, o, e.name, args, e);
  }

  callUnqualified(e: Expr, args: any[], fr: Frame): any {
    const n = e.name;
    // instance methods (virtual dispatch from the object's class)
    if (fr.self) {
      const f = this.findMethod(fr.self.cls, n, args);
      if (f) return this.invoke(f.cls, f.m, f.m.isStatic ? null : fr.self, args);
    }
    for (let c: ClassInfo | null = fr.cls; c; c = c.outer) {
      const f = this.findMethod(c, n, args);
      if (f) {
        if (!f.m.isStatic && !fr.self)
          throw this.unsupported(`instance method ${c.name}.${e.oname} called from static context`);
        return this.invoke(f.cls, f.m, f.m.isStatic ? null : fr.self, args);
      }
    }
    if (fr.self && fr.self.cls.isException) return B.callMethod(this, fr.self, n, args, e);
    throw this.unsupported(`unknown method ${e.oname}`);
  }

  evNew(e: Expr, fr: Frame): any {
    const t = this.resolveType(e.type, fr.cls);
    const args = e.args.map((a: Expr) => this.ev(a, fr));
    if (t.k === 'class' && t.cls) return this.instantiate(t.cls, args, e);
    return B.newBuiltin(this, t, args, e);
  }

  evCast(e: Expr, fr: Frame): any {
    const t = this.resolveType(e.type, fr.cls);
    const v = this.ev(e.e, fr);
    return this.cast(v, t);
  }

  cast(v: any, t: RType): any {
    if (v === null) return null;
    switch (t.k) {
      case 'object':
        return v;
      case 'integer':
        if (typeof v === 'number') return v;
        break;
      case 'long':
        if (typeof v === 'bigint') return v;
        if (typeof v === 'number') return BigInt(v);
        break;
      case 'double':
        if (v instanceof Dbl) return v;
        if (typeof v === 'number' || typeof v === 'bigint') return new Dbl(Number(v));
        if (v instanceof Dec) return new Dbl(v.d.toNumber());
        break;
      case 'decimal':
        if (v instanceof Dec) return v;
        if (typeof v === 'number' || typeof v === 'bigint') return toDec(v);
        if (v instanceof Dbl) return toDec(v);
        break;
      case 'id':
        if (typeof v === 'string') {
          if (!isValidId(v)) throw this.ex('StringException', `Invalid id: ${v}`);
          return to18(v);
        }
        break;
      default:
        if (this.isInstance(v, t)) return v;
    }
    if (this.isInstance(v, t)) return this.coerce(v, t);
    const rt = B.runtimeType(this, v);
    throw this.ex('TypeException', `Invalid conversion from runtime type ${rt.name} to ${t.name}`);
  }

  isInstance(v: any, t: RType): boolean {
    if (v === null || v === undefined) return false;
    switch (t.k) {
      case 'object':
        return true;
      case 'integer':
        return typeof v === 'number';
      case 'long':
        return typeof v === 'bigint';
      case 'double':
        return v instanceof Dbl;
      case 'decimal':
        return v instanceof Dec;
      case 'string':
        return typeof v === 'string';
      case 'id':
        return typeof v === 'string' && isValidId(v);
      case 'boolean':
        return typeof v === 'boolean';
      case 'date':
        return v instanceof ADate;
      case 'datetime':
        return v instanceof ADatetime;
      case 'time':
        return v instanceof ATime;
      case 'blob':
        return v instanceof ABlob;
      case 'sobject':
        return v instanceof SObj;
      case 'sobj':
        return v instanceof SObj && v.type.toLowerCase() === t.name.toLowerCase();
      case 'list':
        return v instanceof AList && this.elemCompatible(v.et, t.args![0]);
      case 'set':
        return v instanceof ASet && this.elemCompatible(v.et, t.args![0]);
      case 'map':
        return (
          v instanceof AMap &&
          this.elemCompatible(v.kt, t.args![0]) &&
          this.elemCompatible(v.vt, t.args![1])
        );
      case 'class':
        if (v instanceof AObj) return v.cls.isSubclassOf(t.cls!);
        if (v instanceof AEnum) return v.type === t.cls;
        return false;
      case 'native':
        return B.nativeInstanceOf(this, v, t);
      default:
        return false;
    }
  }

  elemCompatible(have: RType, want: RType): boolean {
    if (want.k === 'object') return true;
    if (have.name.toLowerCase() === want.name.toLowerCase()) return true;
    if (want.k === 'sobject' && (have.k === 'sobj' || have.k === 'sobject')) return true;
    if (have.k === 'class' && want.k === 'class') return have.cls!.isSubclassOf(want.cls!);
    if (have.k === 'sobject' && want.k === 'sobj') return true; // List<SObject> cast to List<Account> is checked per element in Apex
    return false;
  }

  /** Convert a value for storage in a slot of type t (numeric widening, Id normalisation). */
  coerce(v: any, t: RType): any {
    if (v === null || v === undefined) return null;
    switch (t.k) {
      case 'long':
        return typeof v === 'number' ? BigInt(v) : v;
      case 'double':
        if (typeof v === 'number' || typeof v === 'bigint') return new Dbl(Number(v));
        if (v instanceof Dec) return new Dbl(v.d.toNumber());
        return v;
      case 'decimal':
        if (typeof v === 'number' || typeof v === 'bigint' || v instanceof Dbl) return toDec(v);
        return v;
      case 'id':
        if (typeof v === 'string') {
          if (!isValidId(v)) throw this.ex('StringException', `Invalid id: ${v}`);
          return to18(v);
        }
        return v;
      default:
        return v;
    }
  }

  /** Key conversion for lookups (never throws). */
  coerceKey(v: any, t: RType): any {
    if (t.k === 'id' && typeof v === 'string' && v.length === 15 && isValidId(v)) return to18(v);
    return v;
  }

  /** Assignment conversion with the runtime check Apex performs for narrowing from Object. */
  coerceAssign(v: any, t: RType, _src: Expr | null): any {
    if (v === null || v === undefined) return null;
    switch (t.k) {
      case 'integer':
        if (typeof v !== 'number') {
          if (v instanceof Dbl || v instanceof Dec || typeof v === 'bigint')
            throw this.ex(
              'TypeException',
              `Invalid conversion from runtime type ${B.runtimeType(this, v).name} to Integer`
            );
        }
        return v;
      case 'string':
        if (typeof v !== 'string')
          throw this.ex(
            'TypeException',
            `Invalid conversion from runtime type ${B.runtimeType(this, v).name} to String`
          );
        return v;
      case 'boolean':
        if (typeof v !== 'boolean')
          throw this.ex(
            'TypeException',
            `Invalid conversion from runtime type ${B.runtimeType(this, v).name} to Boolean`
          );
        return v;
      case 'sobj':
      case 'sobject':
        if (v instanceof AList && (v as any).soql) {
          if (v.a.length === 0)
            throw this.ex('QueryException', 'List has no rows for assignment to SObject');
          if (v.a.length > 1)
            throw this.ex('QueryException', 'List has more than 1 row for assignment to SObject');
          return v.a[0];
        }
        if (!(v instanceof SObj))
          throw this.ex(
            'TypeException',
            `Invalid conversion from runtime type ${B.runtimeType(this, v).name} to ${t.name}`
          );
        if (t.k === 'sobj' && v.type.toLowerCase() !== t.name.toLowerCase())
          throw this.ex(
            'TypeException',
            `Invalid conversion from runtime type ${v.type} to ${t.name}`
          );
        return v;
      case 'list':
        if (
          v instanceof AList &&
          t.args![0].k === 'sobj' &&
          v.et.k !== 'sobj' &&
          v.et.k !== 'object'
        ) {
          // List<SObject> assigned to List<Account>: element check
          for (const x of v.a)
            if (x !== null && !this.isInstance(x, t.args![0]))
              throw this.ex(
                'TypeException',
                `Invalid conversion from runtime type ${B.runtimeType(this, v).name} to ${t.name}`
              );
        }
        return v;
      default:
        return this.coerce(v, t);
    }
  }

  evAssign(e: Expr, fr: Frame): any {
    let v: any;
    if (e.op === '=') v = this.ev(e.value, fr);
    else {
      const cur = this.ev(e.target, fr);
      const rhs = this.ev(e.value, fr);
      if (cur === null && !(e.op === '+=' && typeof rhs === 'string')) throw this.npe();
      v = this.binop(e.op.slice(0, -1), cur, rhs, e);
    }
    return this.store(e.target, v, fr);
  }

  store(target: Expr, v: any, fr: Frame): any {
    switch (target.k) {
      case 'id': {
        const n = target.name;
        const box = fr.scope[n] as Box | undefined;
        if (box !== undefined) {
          box.v = this.coerceAssign(v, box.t, null);
          return box.v;
        }
        if (fr.self && this.instanceField(fr.self.cls, n)) {
          this.writeField(fr.self, n, v, fr);
          return v;
        }
        const sf = this.findStatic(fr.cls, n);
        if (sf) {
          this.writeStatic(sf.cls, sf.fd, v, fr);
          return v;
        }
        throw this.unsupported(`unknown variable ${target.oname}`);
      }
      case 'dot': {
        const o = this.ev(target.obj, fr);
        if (o === null) throw this.npe();
        if (o instanceof AObj) this.writeField(o, target.name, v, fr);
        else if (o instanceof SObj) B.sobjPut(this, o, target.oname, v);
        else if (o instanceof TypeMarker && o.t.cls) {
          const sf = this.findStatic(o.t.cls, target.name);
          if (!sf) throw this.unsupported(`unknown static ${o.t.name}.${target.oname}`);
          this.writeStatic(sf.cls, sf.fd, v, fr);
        } else B.setProp(this, o, target.name, v);
        return v;
      }
      case 'index': {
        const o = this.ev(target.obj, fr);
        const i = this.ev(target.idx, fr);
        if (o === null || i === null) throw this.npe();
        if (!(o instanceof AList)) throw this.unsupported('index assignment');
        if (i < 0 || i >= o.a.length)
          throw this.ex('ListException', `List index out of bounds: ${i}`);
        o.a[i] = this.coerce(v, o.et);
        return v;
      }
      default:
        throw this.unsupported('assignment target ' + target.k);
    }
  }

  // ---------------- operators ----------------
  binop(op: string, l: any, r: any, e: Expr, neg = false): any {
    switch (op) {
      case '==':
        return this.equals(l, r);
      case '!=':
      case '<>':
        return !this.equals(l, r);
      case '===':
        return this.same(l, r);
      case '!==':
        return !this.same(l, r);
    }
    if (op === '+' && (typeof l === 'string' || typeof r === 'string')) {
      return B.concatStr(this, l) + B.concatStr(this, r);
    }
    if (op === '<' || op === '>' || op === '<=' || op === '>=') {
      if (l === null || r === null) {
        // Expression Operators: null compared with a number/date is false, but a non-null
        // String or Id is always greater than null
        if (typeof l !== 'string' && typeof r !== 'string') return false;
        const c = l === null ? -1 : 1;
        return op === '<' || op === '<=' ? c < 0 : c > 0;
      }
      const c = this.compare(l, r);
      switch (op) {
        case '<':
          return c < 0;
        case '>':
          return c > 0;
        case '<=':
          return c <= 0;
        default:
          return c >= 0;
      }
    }
    if (l === null || r === null) throw this.npe();
    if (typeof l === 'number' && typeof r === 'number') {
      switch (op) {
        case '+':
          return (l + r) | 0;
        case '-':
          return neg ? -r | 0 : (l - r) | 0;
        case '*':
          return Math.imul(l, r);
        case '/':
          if (r === 0) throw this.ex('MathException', 'Divide by 0');
          return (l / r) | 0;
        case '&':
          return l & r;
        case '|':
          return l | r;
        case '^':
          return l ^ r;
        case '<<':
          return l << r;
        case '>>':
          return l >> r;
        case '>>>':
          return (l >>> r) | 0;
      }
    }
    if (typeof l === 'boolean' && typeof r === 'boolean') {
      switch (op) {
        case '&':
          return l && r;
        case '|':
          return l || r;
        case '^':
          return l !== r;
      }
    }
    if (l instanceof ADate || l instanceof ADatetime || l instanceof ATime)
      return B.dateArith(this, op, l, r);
    const rank = Math.max(numRank(l), numRank(r));
    if (rank < 0)
      throw this.unsupported(
        `operator ${op} on ${B.runtimeType(this, l).name} and ${B.runtimeType(this, r).name}`
      );
    if (rank === 1) {
      const a = toLong(l);
      const b = toLong(r);
      switch (op) {
        case '+':
          return wrapLong(a + b);
        case '-':
          return wrapLong(a - b);
        case '*':
          return wrapLong(a * b);
        case '/':
          if (b === 0n) throw this.ex('MathException', 'Divide by 0');
          return wrapLong(a / b);
        case '&':
          return a & b;
        case '|':
          return a | b;
        case '^':
          return a ^ b;
        case '<<':
          return wrapLong(a << b);
        case '>>':
          return a >> b;
        case '>>>':
          return BigInt.asIntN(64, BigInt.asUintN(64, a) >> b);
      }
    }
    if (rank === 2) {
      const a = numToJs(l);
      const b = numToJs(r);
      switch (op) {
        case '+':
          return new Dbl(a + b);
        case '-':
          return new Dbl(a - b);
        case '*':
          return new Dbl(a * b);
        case '/':
          if (b === 0) throw this.ex('MathException', 'Divide by 0');
          return new Dbl(a / b);
      }
    }
    if (rank === 3) {
      const a = toDec(l);
      const b = toDec(r);
      switch (op) {
        case '+':
          return new Dec(a.d.plus(b.d), Math.max(a.scale, b.scale));
        case '-':
          return new Dec(a.d.minus(b.d), Math.max(a.scale, b.scale));
        case '*':
          return new Dec(a.d.times(b.d), a.scale + b.scale);
        case '/':
          return B.decDivide(this, a, b);
      }
    }
    throw this.unsupported(`operator ${op}`);
  }

  equals(l: any, r: any): boolean {
    if (l === r) return true;
    if (l === null || r === null || l === undefined || r === undefined) return false;
    if (typeof l === 'string' && typeof r === 'string') {
      if (l.length === r.length) return l.toLowerCase() === r.toLowerCase();
      if ((l.length === 15 && r.length === 18) || (l.length === 18 && r.length === 15))
        return isValidId(l) && isValidId(r) && to18(l) === to18(r);
      return false;
    }
    if (typeof l === 'number' && typeof r === 'number') return l === r;
    const rl = numRank(l);
    const rr = numRank(r);
    if (rl >= 0 && rr >= 0) return this.compare(l, r) === 0;
    return B.deepEquals(this, l, r);
  }

  same(l: any, r: any): boolean {
    if (l === r) return true;
    if (typeof l !== 'object' || typeof r !== 'object') return this.equals(l, r);
    if (l instanceof Dec || l instanceof Dbl || l instanceof ADate || l instanceof ADatetime)
      return this.equals(l, r);
    return false;
  }

  compare(l: any, r: any): number {
    if (typeof l === 'number' && typeof r === 'number') return l < r ? -1 : l > r ? 1 : 0;
    if (typeof l === 'string' && typeof r === 'string') {
      const a = l.toLowerCase();
      const b = r.toLowerCase();
      return a < b ? -1 : a > b ? 1 : 0;
    }
    const rl = numRank(l);
    const rr = numRank(r);
    if (rl >= 0 && rr >= 0) {
      const rank = Math.max(rl, rr);
      if (rank <= 1) {
        const a = toLong(l);
        const b = toLong(r);
        return a < b ? -1 : a > b ? 1 : 0;
      }
      if (rank === 2) {
        const a = numToJs(l);
        const b = numToJs(r);
        return a < b ? -1 : a > b ? 1 : 0;
      }
      return toDec(l).d.comparedTo(toDec(r).d);
    }
    if (l instanceof ADate && r instanceof ADate) return Math.sign(l.toEpochDay() - r.toEpochDay());
    if (l instanceof ADatetime && r instanceof ADatetime) return Math.sign(l.ms - r.ms);
    if (l instanceof ATime && r instanceof ATime) return Math.sign(l.ms - r.ms);
    if (typeof l === 'boolean' && typeof r === 'boolean') return (l ? 1 : 0) - (r ? 1 : 0);
    throw this.unsupported(
      `comparing ${B.runtimeType(this, l).name} with ${B.runtimeType(this, r).name}`
    );
  }

  fmt(v: any): string {
    return fmt(this, v);
  }
}

/** -1 not numeric, 0 Integer, 1 Long, 2 Double, 3 Decimal */
export function numRank(v: any): number {
  if (typeof v === 'number') return 0;
  if (typeof v === 'bigint') return 1;
  if (v instanceof Dbl) return 2;
  if (v instanceof Dec) return 3;
  return -1;
}

export { D, shortFile };
