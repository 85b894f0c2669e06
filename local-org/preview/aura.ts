/* eslint-disable @typescript-eslint/no-explicit-any -- the interpreter's values are untyped by design */
// Runs an @AuraEnabled static method the way Lightning does for a component's
// `@salesforce/apex/<Class>.<method>` import: as the signed-in user, one transaction,
// parameters deserialized by name into the declared types, the return value serialized to
// JSON, Apex exceptions turned into the error body components receive.
import type { Org } from '../data/org.ts';
import { typeValue } from '../apex/builtins.ts';
import { ApexThrow, Interp, newLimits } from '../apex/interp.ts';
import { jsonStatic, serialize } from '../apex/json.ts';
import { fmt } from '../apex/format.ts';
import { parseProject } from '../apex/project.ts';
import { drainAsync, installTriggerHook } from '../apex/sobject.ts';
import type { ClassInfo } from '../apex/types.ts';
import type { FieldDecl, MethodDecl } from '../apex/ast.ts';
import { AList, AObj } from '../apex/values.ts';

export interface AuraCall {
  className: string;
  methodName: string;
  params: Record<string, unknown>;
  /** The caller is a @wire: the method must be cacheable. */
  cacheable: boolean;
  userId: string;
}

export interface AuraErrorBody {
  message: string;
  exceptionType?: string;
  isUserDefinedException?: boolean;
  stackTrace?: string;
}

export type AuraResult =
  { ok: true; returnValue: unknown } | { ok: false; status: number; error: AuraErrorBody };

/** What the preview needs to run Apex for components. */
export type AuraInvoker = (call: AuraCall) => AuraResult | Promise<AuraResult>;

function resetStatics(I: Interp): void {
  const reset = (c: ClassInfo) => {
    c.initState = 0;
    c.statics = Object.create(null);
    for (const i of c.inners.values()) reset(i);
  };
  for (const c of I.classes.values()) reset(c);
  for (const t of I.triggers) reset(t);
}

function beginTransaction(I: Interp, org: Org, userId: string): void {
  resetStatics(I);
  const X = I as any;
  I.limits = newLimits();
  I.asyncQueue = [];
  X.mocks = {};
  X.testStarted = false;
  X.testStopped = false;
  X.restRequest = null;
  X.restResponse = null;
  X.inTestContext = false;
  I.userId = userId;
  I.stack = [];
  X.triggerCtx = [];
  X.depth = 0;
  I.userTz = org.userTimeZone(userId);
}

function describeThrow(I: Interp, e: unknown): AuraErrorBody {
  if (e instanceof ApexThrow) {
    const x = e.exc as any;
    const type: string = x.cls.systemName ?? x.cls.name;
    const message: string = x.f.__message ?? (x.f.__cause ? fmt(I, x.f.__cause) : '');
    const userDefined = !type.startsWith('System.');
    return {
      message,
      exceptionType: type,
      isUserDefinedException: userDefined,
      stackTrace: x.f.__stack ?? ''
    };
  }
  const err = e as any;
  if (err?.__apex instanceof ApexThrow) return describeThrow(I, err.__apex);
  const unsupported = err?.name === 'UnsupportedError' || err?.name === 'Unsupported';
  return {
    message: `${unsupported ? '' : 'Internal error: '}${err?.message ?? String(e)}`,
    exceptionType: unsupported ? 'UnsupportedError' : 'Error'
  };
}

const isAura = (f: FieldDecl) => f.annos.some((a) => a.name === 'auraenabled');

/**
 * Lightning serializes only the @AuraEnabled members of an Apex object. The interpreter's JSON
 * serializer writes every member (as JSON.serialize does), so the value is first copied to
 * objects whose classes declare just those members (getters evaluated on the original).
 */
function auraView(I: Interp, v: any, seen: Map<AObj, AObj>, classes: WeakMap<object, any>): any {
  if (v instanceof AList)
    return new AList(
      v.et,
      v.a.map((x) => auraView(I, x, seen, classes))
    );
  if (!(v instanceof AObj) || v.cls.isException || !v.cls.decl) return v;
  const done = seen.get(v);
  if (done) return done;
  const copy = new AObj(auraClass(v.cls, classes));
  seen.set(v, copy);
  for (let c = v.cls; c; c = c.superclass) {
    for (const f of (c.decl?.fields ?? []) as FieldDecl[]) {
      if (f.isStatic || !isAura(f)) continue;
      const ln = f.name.toLowerCase();
      const fv = f.prop && f.prop.getter?.body ? I.readField(v, ln, null) : v.f[ln];
      copy.f[ln] = auraView(I, fv, seen, classes);
    }
  }
  return copy;
}

function auraClass(cls: any, classes: WeakMap<object, any>): any {
  if (!cls) return cls;
  const hit = classes.get(cls);
  if (hit) return hit;
  const view = {
    ...cls,
    decl: cls.decl && {
      ...cls.decl,
      fields: (cls.decl.fields as FieldDecl[])
        .filter((f) => !f.isStatic && isAura(f))
        .map((f) => ({ ...f, prop: undefined }))
    },
    superclass: null
  };
  classes.set(cls, view);
  view.superclass = auraClass(cls.superclass, classes);
  return view;
}

function auraEnabled(m: MethodDecl): { enabled: boolean; cacheable: boolean } {
  const a = m.annos.find((x) => x.name === 'auraenabled');
  if (!a) return { enabled: false, cacheable: false };
  const c = a.params.cacheable;
  return { enabled: true, cacheable: c === true || String(c).toLowerCase() === 'true' };
}

/** AuraHandledException's message is what the component sees; its type is not exposed. */
function isAuraHandled(body: AuraErrorBody): boolean {
  return (
    body.exceptionType === 'System.AuraHandledException' ||
    body.exceptionType === 'AuraHandledException'
  );
}

export interface InterpreterInvokerOptions {
  /** The org to run against (a function when the server swaps orgs after a deploy). */
  org: Org | (() => Org);
  /** Directory holding the Apex sources (the project, or the server's metadata store). */
  sourceDir: string | (() => string);
  /** Reuse an interpreter the host already keeps for this org (keeps one trigger hook). */
  interpreter?: (org: Org) => Interp | undefined;
}

/** An AuraInvoker over local-org/apex's interpreter. */
export function createInterpreterInvoker(opts: InterpreterInvokerOptions): AuraInvoker {
  const cache = new WeakMap<Org, { I: Interp; dir: string }>();
  const orgOf = () => (typeof opts.org === 'function' ? opts.org() : opts.org);
  const dirOf = () => (typeof opts.sourceDir === 'function' ? opts.sourceDir() : opts.sourceDir);

  const load = (org: Org): Interp => {
    const shared = opts.interpreter?.(org);
    if (shared) return shared;
    const dir = dirOf();
    const hit = cache.get(org);
    if (hit && hit.dir === dir) return hit.I;
    const I = new Interp();
    I.data = org as any;
    // DML from the method must fire triggers; keep the host's hook if it installed one.
    if (!(org as any).triggerHook) installTriggerHook(I);
    I.userTz = org.userTimeZone(org.adminUserId);
    I.load(parseProject(dir));
    cache.set(org, { I, dir });
    return I;
  };

  return (call: AuraCall): AuraResult => {
    const org = orgOf();
    const I = load(org);
    const ci = I.classes.get(call.className.toLowerCase());
    const noAccess = (): AuraResult => ({
      ok: false,
      status: 400,
      error: {
        message: `You do not have access to the Apex class named '${call.className}'.`,
        exceptionType: 'System.NoAccessException'
      }
    });
    if (!ci || !ci.decl || ci.outer) return noAccess();
    const methods = [...ci.methods.values()]
      .flat()
      .filter((m) => m.lname === call.methodName.toLowerCase() && m.isStatic);
    const method = methods.find((m) => auraEnabled(m).enabled);
    if (!method) return noAccess();
    if (!org.permissions.classAccess(call.userId, ci.name)) return noAccess();
    if (call.cacheable && !auraEnabled(method).cacheable) {
      return {
        ok: false,
        status: 400,
        error: {
          message: `Apex methods used with @wire must be annotated with @AuraEnabled(cacheable=true): ${ci.name}.${method.name}`,
          exceptionType: 'System.AuraHandledException'
        }
      };
    }

    beginTransaction(I, org, call.userId);
    let args: unknown[];
    try {
      args = method.params.map((p) => {
        const key = Object.keys(call.params).find((k) => k.toLowerCase() === p.name.toLowerCase());
        const value = key === undefined ? null : call.params[key];
        if (value === null || value === undefined) return null;
        const type = I.resolveType(p.type, ci);
        return jsonStatic(I, 'deserialize', [JSON.stringify(value), typeValue(type)]);
      });
    } catch (err) {
      const body = describeThrow(I, err);
      return {
        ok: false,
        status: 400,
        error: {
          message: `Invalid parameter value: ${body.message}`,
          exceptionType: body.exceptionType
        }
      };
    }

    const savepoint = org.setSavepoint();
    try {
      I.stack = [];
      const returned = I.invoke(ci, method, null, args);
      drainAsync(I);
      const text =
        method.ret && method.ret.lname !== 'void'
          ? serialize(I, auraView(I, returned, new Map(), new WeakMap()), false)
          : 'null';
      return { ok: true, returnValue: JSON.parse(text) };
    } catch (err) {
      // An unhandled exception rolls the transaction back, as on the platform.
      org.rollback(savepoint);
      const body = describeThrow(I, err);
      if (isAuraHandled(body)) {
        return {
          ok: false,
          status: 500,
          error: {
            message: body.message,
            exceptionType: body.exceptionType,
            isUserDefinedException: false,
            stackTrace: ''
          }
        };
      }
      return { ok: false, status: 500, error: body };
    } finally {
      I.userId = null;
    }
  };
}
