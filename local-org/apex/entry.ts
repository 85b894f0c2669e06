/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * Entry points other parts of local-org call into: Apex REST (@RestResource +
 * @HttpGet/@HttpPost/…) and @AuraEnabled methods (LWC imperative / wired Apex).
 * Each call is one transaction: fresh governor limits, queued async work runs at
 * the end, uncaught exceptions become the platform's error shapes.
 */
import type { MethodDecl } from './ast.js';
import { ApexThrow, Interp, newLimits } from './interp.js';
import type { ClassInfo, RType } from './types.js';
import { ABlob, AMap, AObj, NativeObj } from './values.js';
import { T } from './types.js';
import { mapPut } from './builtins.js';
import { serialize } from './json.js';
import { jsonStatic } from './json.js';
import { drainAsync, newRestRequest, newRestResponse } from './sobject.js';
import { typeValue } from './builtins.js';

export interface RestCall {
  method: string; // GET, POST, PUT, PATCH, DELETE
  /** path after /services/apexrest, e.g. /coconut/v1/appointments/123 */
  path: string;
  params?: Record<string, string>;
  headers?: Record<string, string>;
  body?: Buffer | string | null;
  remoteAddress?: string;
  userId?: string | null;
}

export interface RestReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

function urlMatches(mapping: string, path: string): boolean {
  // Salesforce: urlMapping is case-sensitive; a trailing * matches the rest of the path
  const m = mapping.startsWith('/') ? mapping : '/' + mapping;
  if (m.endsWith('/*')) return path === m.slice(0, -2) || path.startsWith(m.slice(0, -1));
  if (m.endsWith('*')) return path.startsWith(m.slice(0, -1));
  return path === m;
}

/** Finds the @RestResource class whose urlMapping matches (the most specific mapping wins). */
export function findRestResource(I: Interp, path: string): ClassInfo | null {
  let best: ClassInfo | null = null;
  let bestLen = -1;
  for (const c of I.classes.values()) {
    const a = c.decl?.annos.find((x) => x.name === 'restresource');
    if (!a) continue;
    const mapping = String(a.params['urlmapping'] ?? a.params['value'] ?? '');
    if (urlMatches(mapping, path) && mapping.length > bestLen) {
      best = c;
      bestLen = mapping.length;
    }
  }
  return best;
}

function freshTransaction(I: Interp, userId: string | null | undefined): void {
  I.limits = newLimits();
  I.asyncQueue = [];
  I.stack = [];
  I.triggerCtx = [];
  I.depth = 0;
  I.userId = userId ?? null;
  if (I.data) I.userTz = I.data.userTimeZone(userId ?? I.data.adminUserId);
}

function errorBody(errorCode: string, message: string): string {
  return JSON.stringify([{ errorCode, message }]);
}

/** Runs one Apex REST request. */
export function handleRest(I: Interp, call: RestCall): RestReply {
  const cls = findRestResource(I, call.path);
  if (!cls)
    return {
      status: 404,
      headers: { 'Content-Type': 'application/json' },
      body: errorBody('NOT_FOUND', `Could not find a match for URL ${call.path}`)
    };
  const anno = 'http' + call.method.toLowerCase();
  const m = [...cls.methods.values()]
    .flat()
    .find((x) => x.isStatic && x.annos.some((a) => a.name === anno));
  if (!m)
    return {
      status: 405,
      headers: { 'Content-Type': 'application/json' },
      body: errorBody('METHOD_NOT_ALLOWED', `HTTP ${call.method} not allowed`)
    };
  freshTransaction(I, call.userId);
  const req = newRestRequest(I);
  const body =
    call.body == null
      ? null
      : Buffer.isBuffer(call.body)
        ? call.body
        : Buffer.from(call.body, 'utf8');
  req.p.requestURI = call.path;
  req.p.resourcePath =
    '/services/apexrest' +
    String(cls.decl!.annos.find((x) => x.name === 'restresource')!.params['urlmapping'] ?? '');
  req.p.httpMethod = call.method.toUpperCase();
  req.p.requestBody = body ? new ABlob(body) : null;
  req.p.remoteAddress = call.remoteAddress ?? '127.0.0.1';
  for (const [k, v] of Object.entries(call.params ?? {})) mapPut(I, req.p.params, k, v);
  for (const [k, v] of Object.entries(call.headers ?? {})) mapPut(I, req.p.headers, k, v);
  const res = newRestResponse(I);
  (I as any).restRequest = req;
  (I as any).restResponse = res;
  const sp = I.data ? I.data.setSavepoint() : null;
  try {
    const args = m.params.length ? restArgs(I, cls, m, body) : [];
    const ret = I.invoke(cls, m, null, args);
    drainAsync(I);
    const headers: Record<string, string> = {};
    for (const [k, v] of (res.p.headers as AMap).m.values()) headers[String(k)] = String(v);
    let out = '';
    if (res.p.responseBody instanceof ABlob) out = res.p.responseBody.b.toString('utf8');
    else if (m.ret) out = serialize(I, ret, false);
    if (!headers['Content-Type'] && !headers['content-type'])
      headers['Content-Type'] = 'application/json';
    return { status: Number(res.p.statusCode ?? 200), headers, body: out };
  } catch (e) {
    if (sp) I.data.rollback(sp);
    const x = e instanceof ApexThrow ? e.exc : (e as any)?.__apex?.exc;
    if (x) {
      const type = x.cls.systemName ?? x.cls.name;
      return {
        status: 500,
        headers: { 'Content-Type': 'application/json' },
        body: errorBody('APEX_ERROR', `${type}: ${x.f.__message ?? ''}\n\n${x.f.__stack ?? ''}`)
      };
    }
    throw e;
  } finally {
    (I as any).restRequest = null;
    (I as any).restResponse = null;
  }
}

/** Apex REST with parameters: the JSON body's top-level keys map to parameter names. */
function restArgs(I: Interp, cls: ClassInfo, m: MethodDecl, body: Buffer | null): any[] {
  const obj = body ? (jsonStatic(I, 'deserializeuntyped', [body.toString('utf8')]) as AMap) : null;
  return m.params.map((p) => {
    const t: RType = I.resolveType(p.type, cls);
    const e =
      obj?.m.get(p.name) ??
      [...(obj?.m.values() ?? [])].find(([k]) => String(k).toLowerCase() === p.name.toLowerCase());
    if (!e) return null;
    return jsonStatic(I, 'deserialize', [serialize(I, e[1], false), typeValue(t)]);
  });
}

export interface AuraReply {
  ok: boolean;
  /** JSON of the return value (ok) */
  returnValue?: string;
  /** error shape as LDS reports it: { message, exceptionType, stackTrace } */
  error?: { message: string; exceptionType: string; stackTrace: string };
}

/** Calls an @AuraEnabled static method with named JSON parameters (as LWC does). */
export function callAura(
  I: Interp,
  className: string,
  methodName: string,
  params: Record<string, unknown>,
  userId?: string | null
): AuraReply {
  const cls = I.classes.get(className.toLowerCase());
  if (!cls) throw I.unsupported(`no Apex class ${className}`);
  const m = (cls.methods.get(methodName.toLowerCase()) ?? []).find(
    (x) => x.isStatic && x.annos.some((a) => a.name === 'auraenabled')
  );
  if (!m) throw I.unsupported(`no @AuraEnabled static method ${className}.${methodName}`);
  freshTransaction(I, userId);
  const sp = I.data ? I.data.setSavepoint() : null;
  try {
    const args = m.params.map((p) => {
      const key =
        Object.keys(params).find((k) => k === p.name) ??
        Object.keys(params).find((k) => k.toLowerCase() === p.name.toLowerCase());
      if (key === undefined || params[key] === null || params[key] === undefined) return null;
      return jsonStatic(I, 'deserialize', [
        JSON.stringify(params[key]),
        typeValue(I.resolveType(p.type, cls))
      ]);
    });
    const ret = I.invoke(cls, m, null, args);
    drainAsync(I);
    return { ok: true, returnValue: m.ret ? serialize(I, ret, false) : 'null' };
  } catch (e) {
    if (sp) I.data.rollback(sp);
    const x: AObj | undefined = e instanceof ApexThrow ? e.exc : (e as any)?.__apex?.exc;
    if (!x) throw e;
    const type = x.cls.systemName ?? x.cls.name;
    // AuraHandledException carries its message to the client; others are reported by type
    const message =
      type === 'System.AuraHandledException'
        ? String(x.f.__message ?? '')
        : `${x.f.__message ?? ''}`;
    return { ok: false, error: { message, exceptionType: type, stackTrace: x.f.__stack ?? '' } };
  }
}

export { T, NativeObj };
