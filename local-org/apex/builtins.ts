/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * System classes and built-in methods: String, collections, numbers,
 * System/Assert/Math/Limits/UserInfo/Test/Type, exceptions, Object methods.
 * Date/time lives in datetime.ts, JSON in json.ts, records in sobject.ts.
 */
import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { Expr } from './ast.js';
import { ApexThrow, Interp, TypeMarker, numRank, type Frame } from './interp.js';
import { ClassInfo, T, listOf, mapOf, nativeType, setOf, type RType } from './types.js';
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
  isValidId,
  javaDouble,
  numToJs,
  to18,
  toDec,
  toLong
} from './values.js';
import { fmt } from './format.js';
import { NATIVE_METHODS, NOPE } from './registry.js';

export { NATIVE_METHODS, NOPE };
import * as DT from './datetime.js';
import * as J from './json.js';
import * as S from './sobject.js';

export {
  dmlStatement,
  inlineSoql,
  newSObject,
  sobjGet,
  sobjPut,
  runAs,
  runAsync as runAsyncFn
} from './sobject.js';
export { dateArith } from './datetime.js';

// ---------------------------------------------------------------- type names
const NATIVE: Record<string, string> = {};
for (const n of [
  'System',
  'Math',
  'JSON',
  'JSONGenerator',
  'JSONParser',
  'JSONToken',
  'Database',
  'Test',
  'Limits',
  'UserInfo',
  'Schema',
  'Security',
  'EncodingUtil',
  'Crypto',
  'Type',
  'TimeZone',
  'Trigger',
  'RestContext',
  'RestRequest',
  'RestResponse',
  'EventBus',
  'Http',
  'HttpRequest',
  'HttpResponse',
  'HttpCalloutMock',
  'Assert',
  'Savepoint',
  'RoundingMode',
  'Pattern',
  'Matcher',
  'Url',
  'Queueable',
  'QueueableContext',
  'Schedulable',
  'SchedulableContext',
  'Comparable',
  'Iterable',
  'Iterator',
  'Callable',
  'AccessLevel',
  'AccessType',
  'SObjectAccessDecision',
  'TriggerOperation',
  'StatusCode',
  'LoggingLevel',
  'Label',
  'Site',
  'Network',
  'Approval',
  'Messaging',
  'Cache',
  'Auth',
  'Continuation',
  'Version',
  'Request',
  'Quiddity',
  'DomainParser',
  'FeatureManagement',
  'Formula',
  'Comparator',
  'Exception',
  'DescribeSObjectResult',
  'DescribeFieldResult',
  'SObjectType',
  'SObjectField',
  'DisplayType',
  'PicklistEntry',
  'FieldSet',
  'ChildRelationship',
  'SaveResult',
  'UpsertResult',
  'DeleteResult',
  'UndeleteResult',
  'Error',
  'DMLOptions',
  'Batchable',
  'BatchableContext',
  'QueryLocator',
  'Stateful',
  'AllowsCallouts',
  'RaisesPlatformEvents',
  'LeadConvert',
  'LeadConvertResult',
  'InvocableMethod',
  'InvocableVariable',
  'Address',
  'Location',
  'SObjectAccessDecision',
  'AggregateResult',
  'SObjectDescribeOptions'
]) {
  NATIVE[n.toLowerCase()] = n;
}
NATIVE['recordtypeinfo'] = 'Schema.RecordTypeInfo';
const QUALIFIED: Record<string, string> = {
  'database.saveresult': 'Database.SaveResult',
  'database.upsertresult': 'Database.UpsertResult',
  'database.deleteresult': 'Database.DeleteResult',
  'database.undeleteresult': 'Database.UndeleteResult',
  'database.error': 'Database.Error',
  'database.dmloptions': 'Database.DMLOptions',
  'database.batchable': 'Database.Batchable',
  'database.batchablecontext': 'Database.BatchableContext',
  'database.querylocator': 'Database.QueryLocator',
  'database.stateful': 'Database.Stateful',
  'database.allowscallouts': 'Database.AllowsCallouts',
  'database.raisesplatformevents': 'Database.RaisesPlatformEvents',
  'database.leadconvert': 'Database.LeadConvert',
  'database.leadconvertresult': 'Database.LeadConvertResult',
  'schema.sobjecttype': 'Schema.SObjectType',
  'schema.sobjectfield': 'Schema.SObjectField',
  'schema.describesobjectresult': 'Schema.DescribeSObjectResult',
  'schema.describefieldresult': 'Schema.DescribeFieldResult',
  'schema.displaytype': 'Schema.DisplayType',
  'schema.picklistentry': 'Schema.PicklistEntry',
  'schema.childrelationship': 'Schema.ChildRelationship',
  'schema.recordtypeinfo': 'Schema.RecordTypeInfo',
  'schema.describesobjectresult[]': 'Schema.DescribeSObjectResult',
  'schema.fieldset': 'Schema.FieldSet',
  'system.accesslevel': 'AccessLevel',
  'system.accesstype': 'AccessType',
  'system.triggeroperation': 'TriggerOperation',
  'system.statuscode': 'StatusCode',
  'system.logginglevel': 'LoggingLevel',
  'system.type': 'Type',
  'system.queueable': 'Queueable',
  'system.schedulable': 'Schedulable',
  'system.comparable': 'Comparable',
  'system.iterable': 'Iterable',
  'system.iterator': 'Iterator',
  'system.callable': 'Callable',
  'system.restcontext': 'RestContext',
  'system.restrequest': 'RestRequest',
  'system.restresponse': 'RestResponse',
  'system.http': 'Http',
  'system.httprequest': 'HttpRequest',
  'system.httpresponse': 'HttpResponse',
  'system.savepoint': 'Savepoint',
  'system.timezone': 'TimeZone',
  'system.url': 'Url',
  'system.json': 'JSON',
  'system.jsongenerator': 'JSONGenerator',
  'system.jsonparser': 'JSONParser',
  'system.jsontoken': 'JSONToken',
  'system.pattern': 'Pattern',
  'system.matcher': 'Matcher',
  'system.queueablecontext': 'QueueableContext',
  'system.schedulablecontext': 'SchedulableContext',
  'system.finalizer': 'Finalizer',
  'system.finalizercontext': 'FinalizerContext',
  'system.security': 'Security',
  'system.sobjectaccessdecision': 'SObjectAccessDecision',
  'system.httpcalloutmock': 'HttpCalloutMock',
  'system.stubprovider': 'StubProvider',
  'system.test': 'Test',
  'system.assert': 'Assert',
  'system.math': 'Math',
  'system.limits': 'Limits',
  'system.userinfo': 'UserInfo',
  'system.encodingutil': 'EncodingUtil',
  'system.crypto': 'Crypto',
  'system.eventbus': 'EventBus',
  'system.database': 'Database',
  'system.trigger': 'Trigger',
  'system.system': 'System'
};

export function nativeTypeName(full: string): string | null {
  return QUALIFIED[full] ?? NATIVE[full] ?? null;
}

export function namespaceMarker(n: string): TypeMarker | null {
  if (n === 'system' || n === 'schema' || n === 'database')
    return new TypeMarker(nativeType(NATIVE[n]), n);
  return null;
}

// ---------------------------------------------------------------- runtime type
export function runtimeType(I: Interp, v: any): RType {
  if (v === null || v === undefined) return T.object;
  switch (typeof v) {
    case 'string':
      return T.string;
    case 'number':
      return T.integer;
    case 'bigint':
      return T.long;
    case 'boolean':
      return T.boolean;
  }
  if (v instanceof Dec) return T.decimal;
  if (v instanceof Dbl) return T.double;
  if (v instanceof ADate) return T.date;
  if (v instanceof ADatetime) return T.datetime;
  if (v instanceof ATime) return T.time;
  if (v instanceof ABlob) return T.blob;
  if (v instanceof AList) return listOf(v.et);
  if (v instanceof ASet) return setOf(v.et);
  if (v instanceof AMap) return mapOf(v.kt, v.vt);
  if (v instanceof SObj) return { k: 'sobj', name: v.type };
  if (v instanceof AObj) return v.cls.type;
  if (v instanceof AEnum) return v.type.type;
  if (v instanceof NativeObj) return nativeType(v.type);
  if (v instanceof TypeMarker) return nativeType('Type');
  return T.object;
}

export function nativeInstanceOf(I: Interp, v: any, t: RType): boolean {
  const n = t.name.toLowerCase();
  if (v instanceof NativeObj)
    return (
      v.type.toLowerCase() === n ||
      v.type.toLowerCase().endsWith('.' + n) ||
      n.endsWith('.' + v.type.toLowerCase())
    );
  if (v instanceof AObj) {
    const ifs: string[] = [];
    for (let c: ClassInfo | null = v.cls; c; c = c.superclass)
      ifs.push(...((c as any).sysIfaces ?? []));
    return ifs.some((i) => i === n || i.endsWith('.' + n) || n.endsWith('.' + i));
  }
  return false;
}

export function typeValue(t: RType): NativeObj {
  return new NativeObj('Type', { __t: t, __str: t.name });
}

// ---------------------------------------------------------------- strings
export function str(I: Interp, v: any): string {
  if (v === null || v === undefined) return 'null';
  if (v instanceof ADate) return v.iso();
  if (v instanceof ADatetime) return DT.localStamp(I, v);
  return fmt(I, v);
}

export function concatStr(I: Interp, v: any): string {
  return fmt(I, v);
}

function needStr(I: Interp, v: any): string {
  if (v === null || v === undefined) throw I.npe();
  return v;
}

function reEscape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Convert a Java regex to a JS RegExp (the common subset). */
export function javaRegex(I: Interp, p: string, flags = ''): RegExp {
  let src = p
    .replace(/\\p\{Alpha\}/g, '[A-Za-z]')
    .replace(/\\p\{Punct\}/g, '[!-\\/:-@\\[-`{-~]')
    .replace(/\\p\{L\}/g, '\\p{L}');
  src = src.replace(/\(\?<([a-zA-Z][a-zA-Z0-9]*)>/g, '(?<$1>');
  if (src.startsWith('(?i)')) {
    src = src.slice(4);
    flags += 'i';
  }
  try {
    return new RegExp(src, flags + (/\\p\{/.test(src) ? 'u' : ''));
  } catch {
    throw I.ex('StringException', `Invalid regex: ${p}`);
  }
}

function javaReplacement(r: string): string {
  // Java: $1 group refs, \$ literal dollar. JS: $1, $$ literal
  let out = '';
  for (let i = 0; i < r.length; i++) {
    const c = r[i];
    if (c === '\\' && i + 1 < r.length) {
      const n = r[++i];
      out += n === '$' ? '$$' : n;
    } else out += c;
  }
  return out;
}

function splitJava(I: Interp, s: string, re: string, limit?: number): string[] {
  if (s === '') return [''];
  const parts = s.split(javaRegex(I, re, 'g'));
  let out = parts;
  if (limit !== undefined && limit > 0 && parts.length > limit) {
    // re-split with a limit the Java way
    const rx = javaRegex(I, re, 'g');
    out = [];
    let last = 0;
    let m: RegExpExecArray | null;
    while ((m = rx.exec(s)) && out.length < limit - 1) {
      if (m[0] === '') {
        rx.lastIndex++;
        continue;
      }
      out.push(s.slice(last, m.index));
      last = m.index + m[0].length;
    }
    out.push(s.slice(last));
    return out;
  }
  if (limit === undefined || limit === 0)
    while (out.length > 0 && out[out.length - 1] === '') out.pop();
  // Java drops a leading empty string produced by a zero-width match at 0
  if (out.length > 0 && out[0] === '' && parts.length > 1 && javaRegex(I, re).exec(s)?.[0] === '')
    out.shift();
  return out;
}

function isWs(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v';
}

export function stringMethod(I: Interp, s: string, n: string, a: any[]): any {
  switch (n) {
    case 'length':
      return s.length;
    case 'substring': {
      const b = a[0];
      const e = a.length > 1 ? a[1] : s.length;
      if (b === null || e === null) throw I.npe();
      if (b < 0 || e > s.length || b > e)
        throw I.ex('StringException', `Ending position out of bounds: ${a.length > 1 ? e : b}`);
      return s.substring(b, e);
    }
    case 'indexof':
      return a.length > 1 ? s.indexOf(needStr(I, a[0]), a[1]) : s.indexOf(needStr(I, a[0]));
    case 'indexofignorecase':
      return s.toLowerCase().indexOf(needStr(I, a[0]).toLowerCase(), a[1] ?? 0);
    case 'lastindexof':
      return a.length > 1 ? s.lastIndexOf(needStr(I, a[0]), a[1]) : s.lastIndexOf(needStr(I, a[0]));
    case 'lastindexofignorecase':
      return s.toLowerCase().lastIndexOf(needStr(I, a[0]).toLowerCase());
    case 'indexofany': {
      let best = -1;
      for (const ch of needStr(I, a[0])) {
        const i = s.indexOf(ch);
        if (i >= 0 && (best < 0 || i < best)) best = i;
      }
      return best;
    }
    case 'indexofchar':
      return s.indexOf(String.fromCharCode(a[0]), a[1] ?? 0);
    case 'charat':
      if (a[0] < 0 || a[0] >= s.length)
        throw I.ex('StringException', `Index out of bounds: ${a[0]}`);
      return s.charCodeAt(a[0]);
    case 'codepointat':
      return s.codePointAt(a[0]) ?? null;
    case 'contains':
      return s.includes(needStr(I, a[0]));
    case 'containsignorecase':
      return s.toLowerCase().includes(needStr(I, a[0]).toLowerCase());
    case 'containsany':
      return [...needStr(I, a[0])].some((c) => s.includes(c));
    case 'containsnone':
      return a[0] === null ? true : ![...a[0]].some((c: string) => s.includes(c));
    case 'containsonly':
      return [...s].every((c) => needStr(I, a[0]).includes(c));
    case 'containswhitespace':
      return /\s/.test(s);
    case 'startswith':
      return s.startsWith(needStr(I, a[0]));
    case 'startswithignorecase':
      return s.toLowerCase().startsWith(needStr(I, a[0]).toLowerCase());
    case 'endswith':
      return s.endsWith(needStr(I, a[0]));
    case 'endswithignorecase':
      return s.toLowerCase().endsWith(needStr(I, a[0]).toLowerCase());
    case 'tolowercase':
      return s.toLowerCase();
    case 'touppercase':
      return s.toUpperCase();
    case 'trim': {
      let b = 0;
      let e = s.length;
      while (b < e && s.charCodeAt(b) <= 32) b++;
      while (e > b && s.charCodeAt(e - 1) <= 32) e--;
      return s.substring(b, e);
    }
    case 'strip':
      return s.trim();
    case 'split':
      return new AList(T.string, splitJava(I, s, needStr(I, a[0]), a[1]));
    case 'splitbycharactertype':
    case 'splitbycharactertypecamelcase':
      throw I.unsupported('String.' + n);
    case 'replace':
      return s.split(needStr(I, a[0])).join(needStr(I, a[1]));
    case 'replaceall':
      return s.replace(javaRegex(I, needStr(I, a[0]), 'g'), javaReplacement(needStr(I, a[1])));
    case 'replacefirst':
      return s.replace(javaRegex(I, needStr(I, a[0])), javaReplacement(needStr(I, a[1])));
    case 'equals':
      return typeof a[0] === 'string' && s === a[0];
    case 'equalsignorecase':
      return typeof a[0] === 'string' && s.toLowerCase() === a[0].toLowerCase();
    case 'compareto': {
      const o = needStr(I, a[0]);
      // Java compareTo: difference of first differing chars or of lengths
      const len = Math.min(s.length, o.length);
      for (let i = 0; i < len; i++)
        if (s.charCodeAt(i) !== o.charCodeAt(i)) return s.charCodeAt(i) - o.charCodeAt(i);
      return s.length - o.length;
    }
    case 'hashcode': {
      let h = 0;
      for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
      return h;
    }
    case 'isblank':
      return s.trim() === '';
    case 'isnotblank':
      return s.trim() !== '';
    case 'isempty':
      return s === '';
    case 'isnotempty':
      return s !== '';
    case 'left':
      return a[0] < 0 ? '' : s.substring(0, a[0]);
    case 'right':
      return a[0] < 0 ? '' : s.substring(Math.max(0, s.length - a[0]));
    case 'mid': {
      const st = Math.max(0, a[0]);
      return a[1] < 0 ? '' : s.substr(st, a[1]);
    }
    case 'abbreviate': {
      const max = a.length > 1 ? a[1] : a[0];
      if (max < 4) throw I.ex('StringException', 'Minimum abbreviation width is 4');
      if (s.length <= max) return s;
      return s.substring(0, max - 3) + '...';
    }
    case 'leftpad': {
      const pad = a.length > 1 ? (a[1] ?? ' ') : ' ';
      if (s.length >= a[0] || pad === '') return s;
      let p = '';
      while (p.length < a[0] - s.length) p += pad;
      return p.substring(0, a[0] - s.length) + s;
    }
    case 'rightpad': {
      const pad = a.length > 1 ? (a[1] ?? ' ') : ' ';
      if (s.length >= a[0] || pad === '') return s;
      let p = '';
      while (p.length < a[0] - s.length) p += pad;
      return s + p.substring(0, a[0] - s.length);
    }
    case 'center': {
      const size = a[0];
      const pad = a.length > 1 ? a[1] : ' ';
      if (s.length >= size) return s;
      const total = size - s.length;
      const left = Math.floor(total / 2);
      const mk = (k: number) => {
        let p = '';
        while (p.length < k) p += pad;
        return p.substring(0, k);
      };
      return mk(left) + s + mk(total - left);
    }
    case 'capitalize':
      return s === '' ? s : s[0].toUpperCase() + s.slice(1);
    case 'uncapitalize':
      return s === '' ? s : s[0].toLowerCase() + s.slice(1);
    case 'repeat': {
      if (a.length === 2) return Array(a[1]).fill(s).join(a[0]);
      return a[0] <= 0 ? '' : s.repeat(a[0]);
    }
    case 'reverse':
      return [...s].reverse().join('');
    case 'normalizespace': {
      return s.replace(/[\s]+/g, ' ').trim();
    }
    case 'deletewhitespace':
      return [...s].filter((c) => !isWs(c)).join('');
    case 'countmatches': {
      const sub = needStr(I, a[0]);
      if (sub === '') return 0;
      return s.split(sub).length - 1;
    }
    case 'remove':
      return a[0] === null || a[0] === '' ? s : s.split(a[0]).join('');
    case 'removeignorecase':
      return s.replace(new RegExp(reEscape(a[0]), 'gi'), '');
    case 'removestart':
      return a[0] && s.startsWith(a[0]) ? s.slice(a[0].length) : s;
    case 'removestartignorecase':
      return a[0] && s.toLowerCase().startsWith(a[0].toLowerCase()) ? s.slice(a[0].length) : s;
    case 'removeend':
      return a[0] && s.endsWith(a[0]) ? s.slice(0, s.length - a[0].length) : s;
    case 'removeendignorecase':
      return a[0] && s.toLowerCase().endsWith(a[0].toLowerCase())
        ? s.slice(0, s.length - a[0].length)
        : s;
    case 'substringbefore': {
      if (a[0] === null) return s;
      const i = s.indexOf(a[0]);
      return i < 0 ? s : s.substring(0, i);
    }
    case 'substringbeforelast': {
      if (a[0] === null || a[0] === '') return s;
      const i = s.lastIndexOf(a[0]);
      return i < 0 ? s : s.substring(0, i);
    }
    case 'substringafter': {
      if (a[0] === null) return '';
      const i = s.indexOf(a[0]);
      return i < 0 ? '' : s.substring(i + a[0].length);
    }
    case 'substringafterlast': {
      if (a[0] === null || a[0] === '') return '';
      const i = s.lastIndexOf(a[0]);
      return i < 0 || i === s.length - a[0].length ? '' : s.substring(i + a[0].length);
    }
    case 'substringbetween': {
      const open = a[0];
      const close = a.length > 1 ? a[1] : a[0];
      const i = s.indexOf(open);
      if (i < 0) return null;
      const j = s.indexOf(close, i + open.length);
      if (j < 0) return null;
      return s.substring(i + open.length, j);
    }
    case 'isnumeric':
      return s !== '' && /^[0-9]+$/.test(s);
    case 'isnumericspace':
      return /^[0-9 ]*$/.test(s);
    case 'isalpha':
      return s !== '' && /^[A-Za-z]+$/.test(s);
    case 'isalphaspace':
      return /^[A-Za-z ]*$/.test(s);
    case 'isalphanumeric':
      return s !== '' && /^[A-Za-z0-9]+$/.test(s);
    case 'isalphanumericspace':
      return /^[A-Za-z0-9 ]*$/.test(s);
    case 'isalluppercase':
      return s !== '' && /^[A-Z]+$/.test(s);
    case 'isalllowercase':
      return s !== '' && /^[a-z]+$/.test(s);
    case 'iswhitespace':
      return /^\s*$/.test(s);
    case 'escapesinglequotes':
      return s.replace(/'/g, "\\'");
    case 'escapejava':
      return JSON.stringify(s).slice(1, -1);
    case 'unescapejava':
      return JSON.parse('"' + s.replace(/"/g, '\\"') + '"');
    case 'escapehtml4':
    case 'escapexml':
      return s
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        .replace(/"/g, '&quot;')
        .replace(/'/g, n === 'escapexml' ? '&apos;' : "'");
    case 'unescapehtml4':
    case 'unescapexml':
      return s
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&apos;/g, "'")
        .replace(/&#39;/g, "'")
        .replace(/&amp;/g, '&');
    case 'escapeecmascript':
      return JSON.stringify(s).slice(1, -1).replace(/'/g, "\\'");
    case 'escapecsv':
      return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
    case 'format':
      return stringFormat(I, s, a[0]);
    case 'getchars':
      return new AList(
        T.integer,
        [...s].map((c) => c.charCodeAt(0))
      );
    case 'difference': {
      const o = a[0];
      let i = 0;
      while (i < s.length && i < o.length && s[i] === o[i]) i++;
      return o.substring(i);
    }
    case 'tostring':
      return s;
    case 'valueof':
      return s;
    case 'swapcase':
      return [...s]
        .map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase()))
        .join('');
    case 'striphtmltags':
      return s.replace(/<[^>]*>/g, '');
    case 'getlevenshteindistance': {
      const t = a[0];
      const dp = Array.from({ length: s.length + 1 }, (_, i) => [i, ...Array(t.length).fill(0)]);
      for (let j = 1; j <= t.length; j++) dp[0][j] = j;
      for (let i = 1; i <= s.length; i++)
        for (let j = 1; j <= t.length; j++)
          dp[i][j] = Math.min(
            dp[i - 1][j] + 1,
            dp[i][j - 1] + 1,
            dp[i - 1][j - 1] + (s[i - 1] === t[j - 1] ? 0 : 1)
          );
      return dp[s.length][t.length];
    }
    case 'matches':
      return javaRegex(I, '^(?:' + a[0] + ')$').test(s);
    case 'getsobjecttype': {
      // Id.getSObjectType()
      const obj = I.data?.schema.objectForId(to18(s));
      if (!obj) throw I.ex('SObjectException', `Invalid id: ${s}`);
      return S.sobjectTypeToken(I, obj.name);
    }
    case 'to15':
      return s.substring(0, 15);
  }
  throw I.unsupported(`String method ${n}`);
}

/** String.format('{0} {1}', args) — MessageFormat subset. */
export function stringFormat(I: Interp, pattern: string, args: AList | null): string {
  const list = args ? args.a : [];
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "'") {
      if (pattern[i + 1] === "'") {
        out += "'";
        i++;
        continue;
      }
      const j = pattern.indexOf("'", i + 1);
      if (j < 0) {
        out += pattern.slice(i + 1);
        break;
      }
      out += pattern.slice(i + 1, j);
      i = j;
      continue;
    }
    if (c === '{') {
      const j = pattern.indexOf('}', i);
      const idx = Number(pattern.slice(i + 1, j).split(',')[0]);
      const v = list[idx];
      out +=
        idx < list.length
          ? v === null
            ? 'null'
            : typeof v === 'string'
              ? v
              : fmt(I, v)
          : pattern.slice(i, j + 1);
      i = j;
      continue;
    }
    out += c;
  }
  return out;
}

// ---------------------------------------------------------------- hashing / equality
export function keyOf(I: Interp, v: any): any {
  if (v === null || v === undefined) return null;
  switch (typeof v) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'bigint':
      return v;
  }
  if (v instanceof Dec) return 'D\u0000' + v.d.toString();
  if (v instanceof Dbl) return 'F\u0000' + v.v;
  if (v instanceof ADate) return 'd\u0000' + v.iso();
  if (v instanceof ADatetime) return 't\u0000' + v.ms;
  if (v instanceof ATime) return 'T\u0000' + v.ms;
  if (v instanceof SObj) {
    const parts: string[] = [v.type.toLowerCase()];
    for (const l of Object.keys(v.v).sort()) parts.push(l + '=' + String(keyOf(I, v.v[l])));
    return 'S\u0000' + parts.join('\u0001');
  }
  if (v instanceof AList) return 'A\u0000' + v.a.map((x) => String(keyOf(I, x))).join('\u0001');
  if (v instanceof ASet) return 'E\u0000' + [...v.m.keys()].map(String).sort().join('\u0001');
  if (v instanceof AObj && v.cls.decl) {
    const h = I.findMethod(v.cls, 'hashcode', []);
    if (h) return 'H\u0000' + I.invoke(h.cls, h.m, v, []);
    return v;
  }
  if (v instanceof NativeObj && v.type === 'Schema.SObjectType') return 'O\u0000' + v.p.__str;
  if (v instanceof NativeObj && v.type === 'Schema.SObjectField')
    return 'Q\u0000' + v.p.__obj + '.' + v.p.__str;
  if (v instanceof NativeObj && v.type === 'Type') return 'Y\u0000' + v.p.__str.toLowerCase();
  return v;
}

export function deepEquals(I: Interp, l: any, r: any): boolean {
  if (l instanceof SObj && r instanceof SObj) {
    if (l.type.toLowerCase() !== r.type.toLowerCase()) return false;
    const lk = Object.keys(l.v);
    const rk = Object.keys(r.v);
    if (lk.length !== rk.length) return false;
    for (const k of lk) {
      if (!(k in r.v)) return false;
      const a = l.v[k];
      const b = r.v[k];
      if (typeof a === 'string' && typeof b === 'string' ? a !== b : !I.equals(a, b)) return false;
    }
    return true;
  }
  if (l instanceof AList && r instanceof AList) {
    if (l.a.length !== r.a.length) return false;
    for (let i = 0; i < l.a.length; i++) if (!I.equals(l.a[i], r.a[i])) return false;
    return true;
  }
  if (l instanceof ASet && r instanceof ASet) {
    if (l.m.size !== r.m.size) return false;
    for (const k of l.m.keys()) if (!r.m.has(k)) return false;
    return true;
  }
  if (l instanceof AMap && r instanceof AMap) {
    if (l.m.size !== r.m.size) return false;
    for (const [k, [, v]] of l.m) {
      const o = r.m.get(k);
      if (!o || !I.equals(v, o[1])) return false;
    }
    return true;
  }
  if (l instanceof ADate && r instanceof ADate) return l.iso() === r.iso();
  if (l instanceof ADatetime && r instanceof ADatetime) return l.ms === r.ms;
  if (l instanceof ATime && r instanceof ATime) return l.ms === r.ms;
  if (l instanceof ABlob && r instanceof ABlob) return l.b.equals(r.b);
  if (l instanceof AObj && r instanceof AObj && l.cls.decl) {
    const eq = I.findMethod(l.cls, 'equals', [r]);
    if (eq) return !!I.invoke(eq.cls, eq.m, l, [r]);
    return false;
  }
  if (l instanceof NativeObj && r instanceof NativeObj) {
    if (l.type !== r.type) return false;
    if (l.p.__str !== undefined && r.p.__str !== undefined)
      return l.p.__str === r.p.__str && l.p.__obj === r.p.__obj;
    return false;
  }
  return false;
}

export function setAdd(I: Interp, s: ASet, v: any): boolean {
  const k = keyOf(I, v);
  if (s.m.has(k)) return false;
  s.m.set(k, v);
  return true;
}

export function mapPut(I: Interp, m: AMap, k: any, v: any): any {
  const key = keyOf(I, k);
  const old = m.m.get(key);
  m.m.set(key, [old ? old[0] : k, v]);
  return old ? old[1] : null;
}

// ---------------------------------------------------------------- collections
function checkIndex(I: Interp, l: AList, i: any, allowEnd = false): void {
  if (i === null) throw I.npe();
  if (i < 0 || i > l.a.length || (!allowEnd && i === l.a.length))
    throw I.ex('ListException', `List index out of bounds: ${i}`);
}

function toItems(I: Interp, c: any): any[] {
  if (c === null) throw I.npe();
  if (c instanceof AList) return c.a;
  if (c instanceof ASet) return [...c.m.values()];
  throw I.unsupported('collection argument ' + runtimeType(I, c).name);
}

export function sortList(I: Interp, l: AList, comparator?: any): void {
  const cmp = (x: any, y: any): number => {
    if (comparator) return numToJs(I.callUserMethod(comparator, 'compare', [x, y]));
    if (x === null && y === null) return 0;
    if (x === null) return -1;
    if (y === null) return 1;
    if (x instanceof AObj) return numToJs(I.callUserMethod(x, 'compareto', [y]));
    if (x instanceof SObj) return S.compareSObjects(I, x, y);
    if (x instanceof AEnum) return x.ordinal - y.ordinal;
    if (typeof x === 'string' && typeof y === 'string') {
      // Apex sorts strings case-sensitively by UTF-16 code units
      return x < y ? -1 : x > y ? 1 : 0;
    }
    return I.compare(x, y);
  };
  // stable merge sort (Array.prototype.sort is stable in V8)
  l.a.sort(cmp);
}

export function listMethod(I: Interp, l: AList, n: string, a: any[]): any {
  switch (n) {
    case 'add':
      if (a.length === 2) {
        checkIndex(I, l, a[0], true);
        l.a.splice(a[0], 0, I.coerce(a[1], l.et));
      } else l.a.push(I.coerce(a[0], l.et));
      return null;
    case 'addall':
      for (const x of toItems(I, a[0])) l.a.push(I.coerce(x, l.et));
      return null;
    case 'get':
      checkIndex(I, l, a[0]);
      return l.a[a[0]];
    case 'set':
      checkIndex(I, l, a[0]);
      l.a[a[0]] = I.coerce(a[1], l.et);
      return null;
    case 'size':
      return l.a.length;
    case 'isempty':
      return l.a.length === 0;
    case 'clear':
      l.a.length = 0;
      return null;
    case 'remove': {
      checkIndex(I, l, a[0]);
      return l.a.splice(a[0], 1)[0];
    }
    case 'contains':
      return l.a.some((x) => I.equals(x, a[0]) && sameKind(x, a[0]));
    case 'indexof':
      return l.a.findIndex((x) => I.equals(x, a[0]) && sameKind(x, a[0]));
    case 'clone':
    case 'deepclone': {
      const c = new AList(l.et, l.a.slice());
      if (n === 'deepclone')
        c.a = c.a.map((x) => (x instanceof SObj ? S.cloneSObj(x, a[0] ?? false) : x));
      return c;
    }
    case 'sort':
      sortList(I, l, a[0]);
      return null;
    case 'equals':
      return deepEquals(I, l, a[0]);
    case 'hashcode':
      return 0;
    case 'iterator':
      return new NativeObj('Iterator', { items: l.a.slice(), pos: 0 });
    case 'tostring':
      return fmt(I, l);
    case 'getsobjecttype':
      return l.et.k === 'sobj' ? S.sobjectTypeToken(I, l.et.name) : null;
  }
  throw I.unsupported(`List method ${n}`);
}

function sameKind(x: any, y: any): boolean {
  // Strings in collections compare case-sensitively
  if (typeof x === 'string' && typeof y === 'string') return x === y;
  return true;
}

export function setMethod(I: Interp, s: ASet, n: string, a: any[]): any {
  switch (n) {
    case 'add':
      return setAdd(I, s, I.coerce(a[0], s.et));
    case 'addall': {
      let changed = false;
      for (const x of toItems(I, a[0])) changed = setAdd(I, s, I.coerce(x, s.et)) || changed;
      return changed;
    }
    case 'contains':
      return s.m.has(keyOf(I, I.coerce(a[0], s.et)));
    case 'containsall':
      return toItems(I, a[0]).every((x) => s.m.has(keyOf(I, x)));
    case 'remove':
      return s.m.delete(keyOf(I, a[0]));
    case 'removeall': {
      let ch = false;
      for (const x of toItems(I, a[0])) ch = s.m.delete(keyOf(I, x)) || ch;
      return ch;
    }
    case 'retainall': {
      const keep = new Set(toItems(I, a[0]).map((x) => keyOf(I, x)));
      let ch = false;
      for (const k of [...s.m.keys()])
        if (!keep.has(k)) {
          s.m.delete(k);
          ch = true;
        }
      return ch;
    }
    case 'size':
      return s.m.size;
    case 'isempty':
      return s.m.size === 0;
    case 'clear':
      s.m.clear();
      return null;
    case 'clone': {
      const c = new ASet(s.et);
      for (const [k, v] of s.m) c.m.set(k, v);
      return c;
    }
    case 'equals':
      return deepEquals(I, s, a[0]);
    case 'iterator':
      return new NativeObj('Iterator', { items: [...s.m.values()], pos: 0 });
    case 'tostring':
      return fmt(I, s);
    case 'hashcode':
      return s.m.size;
  }
  throw I.unsupported(`Set method ${n}`);
}

export function mapMethod(I: Interp, m: AMap, n: string, a: any[]): any {
  if ((m as any).ci && typeof a[0] === 'string' && n !== 'put')
    a = [a[0].toLowerCase(), ...a.slice(1)];
  switch (n) {
    case 'put':
      return mapPut(I, m, I.coerce(a[0], m.kt), I.coerce(a[1], m.vt));
    case 'get': {
      const e = m.m.get(keyOf(I, I.coerceKey(a[0], m.kt)));
      return e ? e[1] : null;
    }
    case 'containskey':
      return m.m.has(keyOf(I, I.coerceKey(a[0], m.kt)));
    case 'remove': {
      const k = keyOf(I, I.coerceKey(a[0], m.kt));
      const e = m.m.get(k);
      m.m.delete(k);
      return e ? e[1] : null;
    }
    case 'keyset': {
      const s = new ASet(m.kt);
      for (const [k, [ok]] of m.m) s.m.set(k, ok);
      return s;
    }
    case 'values':
      return new AList(
        m.vt,
        [...m.m.values()].map((e) => e[1])
      );
    case 'size':
      return m.m.size;
    case 'isempty':
      return m.m.size === 0;
    case 'clear':
      m.m.clear();
      return null;
    case 'putall': {
      const src = a[0];
      if (src === null) throw I.npe();
      if (src instanceof AMap) for (const [k, v] of src.m.values()) mapPut(I, m, k, v);
      else
        for (const r of toItems(I, src))
          mapPut(I, m, I.coerce(S.sobjGet(I, r, 'id', false), m.kt), r);
      return null;
    }
    case 'clone':
    case 'deepclone': {
      const c = new AMap(m.kt, m.vt);
      for (const [k, e] of m.m)
        c.m.set(k, [
          e[0],
          n === 'deepclone' && e[1] instanceof SObj ? S.cloneSObj(e[1], false) : e[1]
        ]);
      return c;
    }
    case 'equals':
      return deepEquals(I, m, a[0]);
    case 'tostring':
      return fmt(I, m);
    case 'hashcode':
      return m.m.size;
    case 'getsobjecttype':
      return m.vt.k === 'sobj' ? S.sobjectTypeToken(I, m.vt.name) : null;
  }
  throw I.unsupported(`Map method ${n}`);
}

// ---------------------------------------------------------------- numbers
export function decDivide(I: Interp, a: Dec, b: Dec, scale?: number, mode?: any): Dec {
  if (b.d.isZero()) throw I.ex('MathException', 'Divide by 0');
  const q = a.d.div(b.d);
  if (scale !== undefined) return new Dec(q.toDecimalPlaces(scale, mode ?? D.ROUND_HALF_UP), scale);
  // Exact quotient when it terminates, else 32 significant digits (documented divide precision is unspecified).
  const exact = q.toSignificantDigits(32);
  const dp = Math.max(exact.decimalPlaces(), Math.max(a.scale, b.scale));
  return new Dec(exact, dp);
}

const ROUNDING: Record<string, number> = {
  ceiling: D.ROUND_CEIL,
  down: D.ROUND_DOWN,
  floor: D.ROUND_FLOOR,
  half_down: D.ROUND_HALF_DOWN,
  half_even: D.ROUND_HALF_EVEN,
  half_up: D.ROUND_HALF_UP,
  up: D.ROUND_UP
};

function roundingMode(v: any): number {
  if (v instanceof AEnum) return ROUNDING[v.name.toLowerCase()];
  if (v instanceof NativeObj) return ROUNDING[String(v.p.__str).toLowerCase()];
  return D.ROUND_HALF_UP;
}

function formatNumber(I: Interp, v: any): string {
  // en_US grouping; Decimal keeps its scale (max 3 fraction digits for Double)
  if (typeof v === 'number' || typeof v === 'bigint') return BigInt(v).toLocaleString('en-US');
  if (v instanceof Dbl) return v.v.toLocaleString('en-US', { maximumFractionDigits: 3 });
  const d = v as Dec;
  const [ip, fp] = d.d.toFixed(d.scale).split('.');
  const grouped = BigInt(ip).toLocaleString('en-US');
  const sign = d.d.isNeg() && !grouped.startsWith('-') && !d.d.isZero() ? '-' : '';
  return sign + grouped + (fp ? '.' + fp : '');
}

export function numberMethod(I: Interp, v: any, n: string, a: any[]): any {
  switch (n) {
    case 'intvalue':
      if (typeof v === 'number') return v;
      if (typeof v === 'bigint') return Number(BigInt.asIntN(32, v));
      if (v instanceof Dbl) return Math.trunc(v.v) | 0;
      return Number(BigInt.asIntN(32, BigInt(v.d.trunc().toFixed(0))));
    case 'longvalue':
      return toLong(v);
    case 'doublevalue':
      return new Dbl(numToJs(v));
    case 'decimalvalue':
      return toDec(v);
    case 'format':
      return formatNumber(I, v);
    case 'tostring':
      return fmt(I, v);
    case 'equals':
      return I.equals(v, a[0]);
    case 'hashcode':
      return typeof v === 'number' ? v : 0;
  }
  if (v instanceof Dec || (v instanceof Dbl && ['round', 'abs'].includes(n))) {
    const d = toDec(v);
    switch (n) {
      case 'setscale': {
        if (a[0] === null) throw I.npe();
        return new Dec(
          d.d.toDecimalPlaces(a[0], a.length > 1 ? (roundingMode(a[1]) as any) : D.ROUND_HALF_UP),
          a[0]
        );
      }
      case 'scale':
        return d.scale;
      case 'precision':
        return d.d.isZero()
          ? 1
          : d.d.toFixed(d.scale).replace(/^-/, '').replace('.', '').replace(/^0+/, '').length || 1;
      case 'round':
        if (v instanceof Dbl) return BigInt(Math.round(v.v));
        if (a.length) return BigInt(d.d.toDecimalPlaces(0, roundingMode(a[0]) as any).toFixed(0));
        return BigInt(d.d.toDecimalPlaces(0, D.ROUND_HALF_EVEN).toFixed(0));
      case 'abs':
        return v instanceof Dbl ? new Dbl(Math.abs(v.v)) : new Dec(d.d.abs(), d.scale);
      case 'divide':
        return decDivide(I, d, toDec(a[0]), a[1], a.length > 2 ? roundingMode(a[2]) : undefined);
      case 'stripTrailingZeros':
      case 'striptrailingzeros': {
        const s = d.d.decimalPlaces();
        return new Dec(d.d, s);
      }
      case 'toplainstring':
        return d.toString();
      case 'pow':
        return new Dec(d.d.pow(a[0]), d.scale * a[0]);
      case 'negate':
        return new Dec(d.d.neg(), d.scale);
    }
  }
  throw I.unsupported(`${runtimeType(I, v).name} method ${n}`);
}

// ---------------------------------------------------------------- Object / exception / enum methods
export function exceptionProp(I: Interp, o: AObj, n: string): any {
  throw I.unsupported(`field ${o.cls.name}.${n}`);
}

export function exceptionMethod(I: Interp, o: AObj, n: string, a: any[]): any {
  switch (n) {
    case 'getmessage':
      // documented quirk: AuraHandledException hides its message unless setMessage() was called
      if (o.cls.systemName === 'System.AuraHandledException' && !o.f.__msgSet)
        return 'Script-thrown exception';
      if (o.f.__message == null && o.f.__cause) return fmt(I, o.f.__cause);
      return o.f.__message ?? null;
    case 'setmessage':
      o.f.__msgSet = true;
      o.f.__message = a[0];
      return null;
    case 'getcause':
      return o.f.__cause ?? null;
    case 'initcause':
      o.f.__cause = a[0];
      return null;
    case 'gettypename':
      return o.cls.systemName ?? o.cls.name;
    case 'getstacktracestring':
      return o.f.__stack ?? '';
    case 'getlinenumber':
      return o.f.__line ?? -1;
    case 'tostring':
      return fmt(I, o);
    case 'getnumdml':
      return (o.f.__dml ?? []).length;
    case 'getdmlmessage':
      return o.f.__dml?.[a[0]]?.message ?? null;
    case 'getdmlstatuscode':
      return o.f.__dml?.[a[0]]?.statusCode ?? null;
    case 'getdmltype':
      return o.f.__dml?.[a[0]] ? S.statusCodeEnum(o.f.__dml[a[0]].statusCode) : null;
    case 'getdmlfieldnames':
      return new AList(T.string, (o.f.__dml?.[a[0]]?.fields ?? []).slice());
    case 'getdmlfields':
      return new AList(
        nativeType('Schema.SObjectField'),
        (o.f.__dml?.[a[0]]?.fields ?? []).map((f: string) =>
          S.fieldToken(I, o.f.__dml[a[0]].object, f)
        )
      );
    case 'getdmlid':
      return o.f.__dml?.[a[0]]?.id ?? null;
    case 'getdmlindex':
      return o.f.__dml?.[a[0]]?.index ?? null;
    case 'equals':
      return o === a[0];
    case 'hashcode':
      return o.oid;
  }
  throw I.unsupported(`Exception method ${n}`);
}

export function callObjectMethod(
  I: Interp,
  o: AObj,
  n: string,
  a: any[],
  _e: Expr,
  _sup = false
): any {
  if (o.cls.isException) return exceptionMethod(I, o, n, a);
  switch (n) {
    case 'equals':
      return o === a[0];
    case 'hashcode':
      return o.oid;
    case 'tostring':
      return fmt(I, o);
  }
  throw I.unsupported(`method ${o.cls.name}.${n}`);
}

export function enumStatic(I: Interp, ci: ClassInfo, n: string, a: any[]): any {
  switch (n) {
    case 'values':
      return new AList(ci.type, ci.enumValues.slice());
    case 'valueof': {
      if (a[0] === null) return null;
      const ev = ci.enumValues.find((x) => x.name === a[0]);
      if (!ev) throw I.ex('NoSuchElementException', `No enum constant ${ci.name}.${a[0]}`);
      return ev;
    }
  }
  throw I.unsupported(`enum method ${ci.name}.${n}`);
}

export function iterateUser(I: Interp, o: AObj): any[] {
  const it = I.callUserMethod(o, 'iterator', []);
  const out: any[] = [];
  if (it instanceof NativeObj) return it.p.items.slice(it.p.pos);
  while (I.callUserMethod(it, 'hasnext', [])) out.push(I.callUserMethod(it, 'next', []));
  return out;
}

// ---------------------------------------------------------------- dispatch
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Blob.toString(): bytes that are not valid UTF-8 throw, as on the platform. */
export function blobToUtf8(I: Interp, b: Buffer): string {
  try {
    return STRICT_UTF8.decode(b);
  } catch {
    throw I.ex('StringException', 'BLOB is not a valid UTF-8 string');
  }
}

export function callMethod(I: Interp, o: any, n: string, a: any[], e: Expr): any {
  switch (typeof o) {
    case 'string':
      return stringMethod(I, o, n, a);
    case 'number':
    case 'bigint':
      return numberMethod(I, o, n, a);
    case 'boolean':
      if (n === 'equals') return o === a[0];
      if (n === 'tostring') return String(o);
      if (n === 'hashcode') return o ? 1231 : 1237;
      throw I.unsupported('Boolean method ' + n);
  }
  if (o instanceof AList) return listMethod(I, o, n, a);
  if (o instanceof AMap) return mapMethod(I, o, n, a);
  if (o instanceof ASet) return setMethod(I, o, n, a);
  if (o instanceof Dec || o instanceof Dbl) return numberMethod(I, o, n, a);
  if (o instanceof SObj) return S.sobjMethod(I, o, n, a);
  if (o instanceof ADate || o instanceof ADatetime || o instanceof ATime)
    return DT.dateMethod(I, o, n, a);
  if (o instanceof ABlob) {
    if (n === 'tostring') return blobToUtf8(I, o.b);
    if (n === 'size') return o.b.length;
    throw I.unsupported('Blob method ' + n);
  }
  if (o instanceof AObj) return callObjectMethod(I, o, n, a, e);
  if (o instanceof AEnum) {
    if (n === 'name') return o.name;
    if (n === 'ordinal') return o.ordinal;
    if (n === 'equals') return o === a[0];
    if (n === 'hashcode') return o.ordinal;
    if (n === 'tostring') return o.name;
    throw I.unsupported('enum method ' + n);
  }
  if (o instanceof NativeObj) return nativeMethod(I, o, n, a);
  if (o instanceof TypeMarker) return callStatic(I, o, n, a, e);
  throw I.unsupported(`method ${n} on ${runtimeType(I, o).name}`);
}

export function nativeMethod(I: Interp, o: NativeObj, n: string, a: any[]): any {
  const h = NATIVE_METHODS[o.type];
  if (h) {
    const r = h(I, o, n, a);
    if (r !== NOPE) return r;
  }
  // generic getters/setters over properties (getX / setX / X)
  if (n === 'tostring') return fmt(I, o);
  if (n === 'equals') return deepEquals(I, o, a[0]) || o === a[0];
  if (n === 'hashcode') return 0;
  if (n.startsWith('get') && a.length === 0) {
    const k = Object.keys(o.p).find((x) => x.toLowerCase() === n.slice(3));
    if (k) return o.p[k];
  }
  if (n.startsWith('is') && a.length === 0) {
    const k = Object.keys(o.p).find((x) => x.toLowerCase() === n.slice(2) || x.toLowerCase() === n);
    if (k) return o.p[k];
  }
  if (n.startsWith('set') && a.length === 1) {
    const k = Object.keys(o.p).find((x) => x.toLowerCase() === n.slice(3));
    if (k) {
      o.p[k] = a[0];
      return null;
    }
  }
  throw I.unsupported(`method ${o.type}.${n}`);
}

Object.assign(NATIVE_METHODS, {
  Iterator: (I, o, n) => {
    if (n === 'hasnext') return o.p.pos < o.p.items.length;
    if (n === 'next') {
      if (o.p.pos >= o.p.items.length)
        throw I.ex('NoSuchElementException', 'Iterator has no more elements.');
      return o.p.items[o.p.pos++];
    }
    return NOPE;
  },
  Type: (I, o, n, a) => {
    const t: RType = o.p.__t;
    if (n === 'getname') return t.name;
    if (n === 'newinstance') {
      if (t.k === 'class' && t.cls) return I.instantiate(t.cls, [], null);
      if (t.k === 'sobj') return S.newSObject(I, t.name);
      if (t.k === 'list') return new AList(t.args![0], []);
      if (t.k === 'set') return new ASet(t.args![0]);
      if (t.k === 'map') return new AMap(t.args![0], t.args![1]);
      throw I.unsupported('Type.newInstance for ' + t.name);
    }
    if (n === 'isassignablefrom') {
      const o2: RType = a[0].p.__t;
      if (t.k === 'class' && o2.k === 'class') return o2.cls!.isSubclassOf(t.cls!);
      return t.name.toLowerCase() === o2.name.toLowerCase() || t.k === 'object';
    }
    if (n === 'equals')
      return (
        a[0] instanceof NativeObj &&
        a[0].type === 'Type' &&
        a[0].p.__str.toLowerCase() === t.name.toLowerCase()
      );
    if (n === 'hashcode') return stringMethod(I, t.name.toLowerCase(), 'hashcode', []);
    if (n === 'tostring') return t.name;
    return NOPE;
  },
  Pattern: (I, o, n, a) => {
    if (n === 'matcher')
      return new NativeObj('Matcher', { re: o.p.re, src: o.p.src, s: a[0], m: null, pos: 0 });
    if (n === 'pattern') return o.p.src;
    if (n === 'split') return new AList(T.string, splitJava(I, a[0], o.p.src));
    return NOPE;
  },
  Matcher: (I, o, n, a) => {
    const p = o.p;
    switch (n) {
      case 'matches': {
        const re = javaRegex(I, '^(?:' + p.src + ')$');
        p.m = re.exec(p.s);
        return !!p.m;
      }
      case 'find': {
        const re = javaRegex(I, p.src, 'g');
        re.lastIndex = a.length ? a[0] : p.pos;
        p.m = re.exec(p.s);
        if (p.m) p.pos = p.m.index + Math.max(1, p.m[0].length);
        return !!p.m;
      }
      case 'lookingat': {
        const re = javaRegex(I, '^(?:' + p.src + ')');
        p.m = re.exec(p.s);
        return !!p.m;
      }
      case 'group':
        if (!p.m) throw I.ex('StringException', 'No match found');
        if (a.length && typeof a[0] === 'string') return p.m.groups?.[a[0]] ?? null;
        return p.m[a.length ? a[0] : 0] ?? null;
      case 'groupcount':
        return javaRegex(I, p.src + '|').exec('')!.length - 1;
      case 'start':
        if (!p.m) throw I.ex('StringException', 'No match found');
        return p.m.index;
      case 'end':
        if (!p.m) throw I.ex('StringException', 'No match found');
        return p.m.index + p.m[0].length;
      case 'replaceall':
        return p.s.replace(javaRegex(I, p.src, 'g'), javaReplacement(a[0]));
      case 'replacefirst':
        return p.s.replace(javaRegex(I, p.src), javaReplacement(a[0]));
      case 'reset':
        p.pos = 0;
        p.m = null;
        if (a.length) p.s = a[0];
        return o;
      case 'hitend':
        return p.pos >= p.s.length;
    }
    return NOPE;
  },
  TimeZone: (I, o, n, a) => DT.timeZoneMethod(I, o, n, a),
  JSONGenerator: (I, o, n, a) => J.generatorMethod(I, o, n, a),
  JSONParser: (I, o, n, a) => J.parserMethod(I, o, n, a),
  HttpRequest: (I, o, n, a) => httpMessageMethod(I, o, n, a),
  HttpResponse: (I, o, n, a) => httpMessageMethod(I, o, n, a),
  Http: (I, o, n, a) => {
    if (n === 'send') {
      const mock = I.mocks['httpcalloutmock'];
      if (!mock) {
        throw I.ex(
          'CalloutException',
          I.inTestContext
            ? 'Methods defined as TestMethod do not support Web service callouts'
            : 'unsupported in local-org: HTTP callouts without Test.setMock'
        );
      }
      I.limits.callouts++;
      return I.callUserMethod(mock, 'respond', [a[0]]);
    }
    return NOPE;
  },
  RestResponse: (I, o, n, a) => {
    if (n === 'addheader') {
      mapPut(I, o.p.headers, a[0], a[1]);
      return null;
    }
    return NOPE;
  },
  RestRequest: (I, o, n, a) => {
    if (n === 'addheader') {
      mapPut(I, o.p.headers, a[0], a[1]);
      return null;
    }
    if (n === 'addparameter') {
      mapPut(I, o.p.params, a[0], a[1]);
      return null;
    }
    return NOPE;
  }
} as Record<string, (I: Interp, o: NativeObj, n: string, a: any[]) => any>);

function httpMessageMethod(I: Interp, o: NativeObj, n: string, a: any[]): any {
  const p = o.p;
  switch (n) {
    case 'setendpoint':
      p.endpoint = a[0];
      return null;
    case 'getendpoint':
      return p.endpoint ?? null;
    case 'setmethod':
      p.method = a[0];
      return null;
    case 'getmethod':
      return p.method ?? null;
    case 'setbody':
      p.body = a[0];
      return null;
    case 'getbody':
      return p.body ?? (p.bodyBlob ? p.bodyBlob.b.toString('utf8') : '');
    case 'setbodyasblob':
      p.bodyBlob = a[0];
      return null;
    case 'getbodyasblob':
      return p.bodyBlob ?? new ABlob(Buffer.from(p.body ?? '', 'utf8'));
    case 'setheader':
      p.headers[String(a[0]).toLowerCase()] = [a[0], a[1]];
      return null;
    case 'getheader':
      return p.headers[String(a[0]).toLowerCase()]?.[1] ?? null;
    case 'getheaderkeys':
      return new AList(
        T.string,
        Object.values(p.headers).map((x: any) => x[0])
      );
    case 'settimeout':
      p.timeout = a[0];
      return null;
    case 'setstatuscode':
      p.statusCode = a[0];
      return null;
    case 'getstatuscode':
      return p.statusCode ?? 200;
    case 'setstatus':
      p.status = a[0];
      return null;
    case 'getstatus':
      return p.status ?? null;
    case 'tostring':
      return `System.${o.type}[Endpoint=${p.endpoint ?? null}, Method=${p.method ?? null}]`;
  }
  return NOPE;
}

export function getProp(I: Interp, o: any, n: string): any {
  if (o instanceof NativeObj) {
    if (o.p.__props) {
      const r = o.p.__props(I, n);
      if (r !== NOPE) return r;
    }
    for (const k of Object.keys(o.p)) if (k.toLowerCase() === n) return o.p[k];
    throw I.unsupported(`property ${o.type}.${n}`);
  }
  if (o instanceof AList && n === 'size') throw I.unsupported('List.size without ()');
  throw I.unsupported(`property ${n} of ${runtimeType(I, o).name}`);
}

export function setProp(I: Interp, o: any, n: string, v: any): void {
  if (o instanceof TypeMarker && o.t.name === 'RestContext') {
    if (n === 'request') (I as any).restRequest = v;
    else if (n === 'response') (I as any).restResponse = v;
    else throw I.unsupported(`RestContext.${n}`);
    return;
  }
  if (o instanceof NativeObj) {
    for (const k of Object.keys(o.p))
      if (k.toLowerCase() === n) {
        o.p[k] = v;
        return;
      }
    throw I.unsupported(`property ${o.type}.${n}`);
  }
  throw I.unsupported(`setting ${n} on ${runtimeType(I, o).name}`);
}

// ---------------------------------------------------------------- constructors of system types
/** System.Url over the WHATWG URL parser. */
export function makeUrl(I: Interp, spec: string): NativeObj {
  let u: URL;
  try {
    u = new URL(spec);
  } catch {
    throw I.ex('StringException', `Invalid URL: ${spec}`);
  }
  return new NativeObj('Url', { __str: u.href, __url: u });
}

NATIVE_METHODS['Url'] = (_I, o, n) => {
  const u: URL = o.p.__url;
  switch (n) {
    case 'toexternalform':
      return u.href;
    case 'gethost':
      return u.hostname;
    case 'getprotocol':
      return u.protocol.replace(/:$/, '');
    case 'getpath':
      return u.pathname;
    case 'getquery':
      return u.search ? u.search.slice(1) : null;
    case 'getport':
      return u.port ? Number(u.port) : -1;
    case 'getref':
      return u.hash ? u.hash.slice(1) : null;
    case 'getfile':
      return u.pathname + u.search;
    case 'getauthority':
      return u.host;
  }
  return NOPE;
};

export function newBuiltin(I: Interp, t: RType, a: any[], _e: Expr): any {
  switch (t.k) {
    case 'list': {
      const l = new AList(t.args![0], []);
      if (a.length === 1) {
        if (typeof a[0] === 'number') return l;
        for (const x of toItems(I, a[0])) l.a.push(I.coerce(x, l.et));
      }
      return l;
    }
    case 'set': {
      const s = new ASet(t.args![0]);
      if (a.length === 1) for (const x of toItems(I, a[0])) setAdd(I, s, I.coerce(x, s.et));
      return s;
    }
    case 'map': {
      const m = new AMap(t.args![0], t.args![1]);
      if (a.length === 1) {
        if (a[0] instanceof AMap) for (const [k, v] of a[0].m.values()) mapPut(I, m, k, v);
        else
          for (const r of toItems(I, a[0]))
            mapPut(I, m, I.coerce(S.sobjGet(I, r, 'id', false), m.kt), r);
      }
      return m;
    }
    case 'sobj': {
      return S.newSObject(I, t.name);
    }
    case 'native':
      switch (t.name) {
        case 'HttpRequest':
        case 'HttpResponse':
          return new NativeObj(t.name, { headers: {} });
        case 'Http':
          return new NativeObj('Http', {});
        case 'Url':
          if (a.length === 1) return makeUrl(I, String(a[0]));
          if (a.length === 2 && a[0] instanceof NativeObj)
            return makeUrl(I, new URL(String(a[1]), a[0].p.__url).href);
          if (a.length === 3) return makeUrl(I, `${a[0]}://${a[1]}${a[2]}`);
          break;
        case 'RestRequest':
          return S.newRestRequest(I);
        case 'RestResponse':
          return S.newRestResponse(I);
        case 'Database.LeadConvert':
          return new NativeObj('Database.LeadConvert', {
            leadId: null,
            convertedStatus: null,
            accountId: null,
            contactId: null,
            opportunityId: null,
            doNotCreateOpportunity: false,
            opportunityName: null,
            ownerId: null,
            sendNotificationEmail: false,
            overwriteLeadSource: false
          });
        case 'Database.DMLOptions':
          return new NativeObj('Database.DMLOptions', {
            optAllOrNone: null,
            allowFieldTruncation: false,
            DuplicateRuleHeader: null
          });
        case 'JSONGenerator':
          throw I.unsupported('new JSONGenerator (use JSON.createGenerator)');
      }
  }
  throw I.unsupported(`new ${t.name}()`);
}

// ---------------------------------------------------------------- static properties
export function staticProp(I: Interp, t: RType, n: string, oname: string): any {
  if (t.k === 'sobj') return S.sobjectStaticProp(I, t.name, n, oname);
  const tn = t.name.toLowerCase();
  switch (tn) {
    case 'trigger':
      return S.triggerProp(I, n);
    case 'restcontext':
      if (n === 'request') return (I as any).restRequest ?? null;
      if (n === 'response') return (I as any).restResponse ?? null;
      break;
    case 'schema':
      if (n === 'sobjecttype') return S.schemaSObjectTypeMap(I);
      break;
    case 'label': {
      const v = I.labels.get(n);
      if (v === undefined) throw I.unsupported(`unknown custom label ${oname}`);
      return v;
    }
    case 'math':
      if (n === 'pi') return new Dbl(Math.PI);
      if (n === 'e') return new Dbl(Math.E);
      break;
    case 'sobjectdescribeoptions':
    case 'accesslevel':
    case 'accesstype':
    case 'triggeroperation':
    case 'statuscode':
    case 'logginglevel':
    case 'roundingmode':
    case 'schema.displaytype':
    case 'displaytype':
    case 'jsontoken':
      return sysEnum(t.name, oname);
  }
  if (tn === 'system' && n === 'roundingmode') return new TypeMarker(nativeType('RoundingMode'));
  if (tn === 'system' || tn === 'schema' || tn === 'database') {
    const r = I.resolveName([t.name, oname], null);
    if (r) return new TypeMarker(r);
  }
  if (tn === 'roundingmode') return sysEnum('RoundingMode', oname);
  throw I.unsupported(`static property ${t.name}.${oname}`);
}

const enumCache = new Map<string, NativeObj>();
export function sysEnum(type: string, name: string): NativeObj {
  const k = type + '.' + name.toUpperCase();
  let v = enumCache.get(k);
  if (!v) {
    v = new NativeObj(type, { __str: name.toUpperCase(), name: name.toUpperCase() });
    enumCache.set(k, v);
  }
  return v;
}

// ---------------------------------------------------------------- static methods
function need(I: Interp, v: any): any {
  if (v === null || v === undefined) throw I.npe();
  return v;
}

function assertFail(I: Interp, msg: string): ApexThrow {
  return I.ex('AssertException', msg);
}

export function callStatic(I: Interp, tm: TypeMarker, n: string, a: any[], e: Expr): any {
  const t = tm.t;
  if (t.k === 'sobj') return S.sobjectStatic(I, t.name, n, a);
  const tn = t.k === 'native' ? t.name.toLowerCase() : t.k;
  switch (tn) {
    case 'system':
      return systemStatic(I, n, a, e);
    case 'assert':
      return assertStatic(I, n, a);
    case 'string':
      return stringStatic(I, n, a);
    case 'integer':
    case 'long':
    case 'double':
    case 'decimal':
      return numberStatic(I, tn, n, a);
    case 'boolean':
      if (n === 'valueof') {
        if (a[0] === null) return false;
        if (typeof a[0] === 'boolean') return a[0];
        return String(a[0]).toLowerCase() === 'true';
      }
      break;
    case 'id':
      if (n === 'valueof') {
        if (a[0] === null) return null;
        if (!isValidId(a[0])) throw I.ex('StringException', `Invalid id: ${a[0]}`);
        return to18(a[0]);
      }
      break;
    case 'date':
    case 'datetime':
    case 'time':
    case 'timezone':
      return DT.dateStatic(I, tn, n, a);
    case 'blob':
      if (n === 'valueof') return new ABlob(Buffer.from(need(I, a[0]), 'utf8'));
      if (n === 'topdf') throw I.unsupported('Blob.toPdf');
      break;
    case 'math':
      return mathStatic(I, n, a);
    case 'json':
      return J.jsonStatic(I, n, a);
    case 'type':
      if (n === 'forname') {
        const name = a.length === 2 ? (a[0] ? a[0] + '.' : '') + a[1] : a[0];
        if (name === null) return null;
        const r = I.resolveName(String(name).split('.'), null);
        return r ? typeValue(r) : null;
      }
      break;
    case 'limits':
      return limitsStatic(I, n);
    case 'userinfo':
      return S.userInfoStatic(I, n, a);
    case 'test':
      return S.testStatic(I, n, a);
    case 'database':
      return S.databaseStatic(I, n, a);
    case 'schema':
      return S.schemaStatic(I, n, a);
    case 'security':
      return S.securityStatic(I, n, a);
    case 'eventbus':
      return S.eventBusStatic(I, n, a);
    case 'encodingutil':
      return encodingStatic(I, n, a);
    case 'crypto':
      return cryptoStatic(I, n, a);
    case 'pattern':
      if (n === 'compile') return new NativeObj('Pattern', { src: need(I, a[0]) });
      if (n === 'matches') return javaRegex(I, '^(?:' + a[0] + ')$').test(need(I, a[1]));
      if (n === 'quote') return reEscape(a[0]);
      break;
    case 'url':
      if (n === 'getorgdomainurl' || n === 'getsalesforcebaseurl')
        return makeUrl(I, 'https://local-org.my.salesforce.com');
      break;
    case 'list':
    case 'set':
    case 'map':
      break;
    case 'object':
      break;
  }
  if (t.k === 'class' && t.cls && !t.cls.decl && n === 'class') return typeValue(t);
  throw I.unsupported(`static method ${t.name}.${n}`);
}

function systemStatic(I: Interp, n: string, a: any[], e: Expr): any {
  switch (n) {
    case 'debug': {
      const v = a.length === 2 ? a[1] : a[0];
      const level = a.length === 2 ? fmt(I, a[0]) : 'DEBUG';
      I.out(e.line, fmt(I, v), level);
      return null;
    }
    case 'assert':
      if (a[0] !== true)
        throw assertFail(
          I,
          a.length > 1 ? `Assertion Failed: ${fmt(I, a[1])}` : 'Assertion Failed'
        );
      return null;
    case 'assertequals':
      if (!I.equals(a[0], a[1]) || !strictStrEq(a[0], a[1]))
        throw assertFail(
          I,
          `Assertion Failed: ${a.length > 2 ? fmt(I, a[2]) + ': ' : ''}Expected: ${fmt(I, a[0])}, Actual: ${fmt(I, a[1])}`
        );
      return null;
    case 'assertnotequals':
      if (I.equals(a[0], a[1]) && strictStrEq(a[0], a[1]))
        throw assertFail(
          I,
          `Assertion Failed: ${a.length > 2 ? fmt(I, a[2]) + ': ' : ''}Same value: ${fmt(I, a[0])}`
        );
      return null;
    case 'now':
      return new ADatetime(DT.nowMs(I));
    case 'today':
      return DT.today(I);
    case 'currenttimemillis':
      return BigInt(DT.nowMs(I));
    case 'nanotime':
      return BigInt(Math.round(performance.now() * 1e6));
    case 'enqueuejob':
      return S.enqueueJob(I, a[0]);
    case 'schedule':
      return S.scheduleJob(I, a);
    case 'isbatch':
    case 'isfuture':
    case 'isqueueable':
    case 'isscheduled':
      return (I as any).asyncKind === n.slice(2);
    case 'runas':
      throw I.unsupported('System.runAs outside a statement');
    case 'requestversion':
      throw I.unsupported('System.requestVersion');
    case 'hashcode':
      return a[0] === null ? 0 : keyOf(I, a[0]);
    case 'equals':
      return I.equals(a[0], a[1]);
    case 'getapplicationreadwritemode':
      return sysEnum('ApplicationReadWriteMode', 'DEFAULT');
    case 'abortjob':
      return null;
    case 'purgeoldasyncjobs':
      return 0;
  }
  throw I.unsupported(`System.${n}`);
}

/** String comparison in assertEquals is case-sensitive (uses equals, not ==). */
function strictStrEq(x: any, y: any): boolean {
  if (typeof x === 'string' && typeof y === 'string') return x === y;
  return true;
}

function assertStatic(I: Interp, n: string, a: any[]): any {
  switch (n) {
    case 'areequal':
      if (!I.equals(a[0], a[1]) || !strictStrEq(a[0], a[1])) throw assertFail(I, areEqualMsg(I, a));
      return null;
    case 'arenotequal':
      if (I.equals(a[0], a[1]) && strictStrEq(a[0], a[1]))
        throw assertFail(
          I,
          a.length > 2 && a[2] !== null
            ? `Assertion Failed: ${fmt(I, a[2])}. Expected: ${fmt(I, a[0])}, Actual: ${fmt(I, a[1])}`
            : `Assertion Failed: Expected: ${fmt(I, a[0])}, Actual: ${fmt(I, a[1])}`
        );
      return null;
    case 'istrue':
      if (a[0] !== true)
        throw assertFail(
          I,
          a.length > 1 && a[1] !== null ? `Assertion Failed: ${fmt(I, a[1])}` : 'Assertion Failed'
        );
      return null;
    case 'isfalse':
      if (a[0] !== false)
        throw assertFail(
          I,
          a.length > 1 && a[1] !== null ? `Assertion Failed: ${fmt(I, a[1])}` : 'Assertion Failed'
        );
      return null;
    case 'isnull':
      if (a[0] !== null)
        throw assertFail(
          I,
          a.length > 1 && a[1] !== null ? `Assertion Failed: ${fmt(I, a[1])}` : 'Assertion Failed'
        );
      return null;
    case 'isnotnull':
      if (a[0] === null)
        throw assertFail(
          I,
          a.length > 1 && a[1] !== null ? `Assertion Failed: ${fmt(I, a[1])}` : 'Assertion Failed'
        );
      return null;
    case 'fail':
      throw assertFail(
        I,
        a.length > 0 && a[0] !== null ? `Assertion Failed: ${fmt(I, a[0])}` : 'Assertion Failed'
      );
    case 'isinstanceoftype':
    case 'isnotinstanceoftype': {
      const t: RType = a[1].p.__t;
      const ok = I.isInstance(a[0], t);
      if (ok !== (n === 'isinstanceoftype'))
        throw assertFail(
          I,
          a.length > 2 && a[2] !== null
            ? `Assertion Failed: ${fmt(I, a[2])}`
            : n === 'isinstanceoftype'
              ? `Assertion Failed: Expected instance of ${t.name}, Actual value: ${fmt(I, a[0])}`
              : `Assertion Failed: Expected not an instance of ${t.name}, Actual value: ${fmt(I, a[0])}`
        );
      return null;
    }
  }
  throw I.unsupported(`Assert.${n}`);
}

function areEqualMsg(I: Interp, a: any[]): string {
  if (a.length > 2 && a[2] !== null)
    return `Assertion Failed: ${fmt(I, a[2])}. Expected: ${fmt(I, a[0])}, Actual: ${fmt(I, a[1])}`;
  return `Assertion Failed: Expected: ${fmt(I, a[0])}, Actual: ${fmt(I, a[1])}`;
}

function stringStatic(I: Interp, n: string, a: any[]): any {
  switch (n) {
    case 'valueof':
      if (a[0] === null) return null;
      return str(I, a[0]);
    case 'isblank':
      return a[0] === null || a[0].trim() === '';
    case 'isnotblank':
      return a[0] !== null && a[0].trim() !== '';
    case 'isempty':
      return a[0] === null || a[0] === '';
    case 'isnotempty':
      return a[0] !== null && a[0] !== '';
    case 'join': {
      if (a[0] === null) throw I.npe();
      const items =
        a[0] instanceof AList || a[0] instanceof ASet ? toItems(I, a[0]) : iterateUser(I, a[0]);
      return items.map((x) => (x === null ? 'null' : fmt(I, x))).join(a[1] ?? '');
    }
    case 'format':
      return stringFormat(I, need(I, a[0]), a[1]);
    case 'escapesinglequotes':
      return need(I, a[0]).replace(/'/g, "\\'");
    case 'fromchararray':
      return String.fromCharCode(...need(I, a[0]).a);
    case 'valueofgmt':
      return DT.gmtStampOf(a[0]);
    case 'isnumeric':
      return a[0] !== null && /^[0-9]+$/.test(a[0]);
    case 'tostring':
      return str(I, a[0]);
  }
  throw I.unsupported(`String.${n}`);
}

function parseIntStrict(I: Interp, s: any, t: string): any {
  if (s === null) throw I.npe();
  if (typeof s !== 'string') {
    if (t === 'integer') return numberMethod(I, s, 'intvalue', []);
    if (t === 'long') return toLong(s);
    if (t === 'double') return new Dbl(numToJs(s));
    return toDec(s);
  }
  const v = s.trim();
  if (t === 'integer' || t === 'long') {
    if (!/^[+-]?\d+$/.test(s))
      throw I.ex('TypeException', `Invalid ${t === 'integer' ? 'integer' : 'long'}: ${s}`);
    const b = BigInt(s);
    if (t === 'integer') {
      if (b > 2147483647n || b < -2147483648n) throw I.ex('TypeException', `Invalid integer: ${s}`);
      return Number(b);
    }
    return b;
  }
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v))
    throw I.ex('TypeException', `Invalid ${t}: ${s}`);
  if (t === 'double') return new Dbl(Number(v));
  const d = new D(v);
  const m = /\.(\d+)(?:[eE]([+-]?\d+))?$/.exec(v) ?? /()(?:[eE]([+-]?\d+))$/.exec(v);
  let scale = m ? (m[1]?.length ?? 0) - Number(m[2] ?? 0) : 0;
  if (scale < 0) scale = 0;
  return new Dec(d, scale);
}

function numberStatic(I: Interp, t: string, n: string, a: any[]): any {
  switch (n) {
    case 'valueof':
      if (a[0] === null && t !== 'integer') return null;
      return parseIntStrict(I, a[0], t);
  }
  throw I.unsupported(`${t}.${n}`);
}

function mathStatic(I: Interp, n: string, a: any[]): any {
  for (const x of a) if (x === null) throw I.npe();
  const x = a[0];
  const allInt = a.every((v) => typeof v === 'number');
  const dbl = (f: (...v: number[]) => number) => new Dbl(f(...a.map(numToJs)));
  switch (n) {
    case 'abs':
      if (typeof x === 'number') return Math.abs(x) | 0;
      if (typeof x === 'bigint') return x < 0n ? -x : x;
      if (x instanceof Dec) return new Dec(x.d.abs(), x.scale);
      return new Dbl(Math.abs(x.v));
    case 'max':
    case 'min': {
      const c = I.compare(a[0], a[1]);
      const pick = n === 'max' ? (c >= 0 ? a[0] : a[1]) : c <= 0 ? a[0] : a[1];
      if (allInt) return pick;
      const rank = Math.max(numRank(a[0]), numRank(a[1]));
      return rank === 1 ? toLong(pick) : rank === 2 ? new Dbl(numToJs(pick)) : toDec(pick);
    }
    case 'mod':
      if (typeof a[0] === 'bigint' || typeof a[1] === 'bigint') {
        const d = toLong(a[1]);
        if (d === 0n) throw I.ex('MathException', 'Divide by 0');
        return toLong(a[0]) % d;
      }
      if (a[1] === 0) throw I.ex('MathException', 'Divide by 0');
      return (a[0] % a[1]) | 0;
    case 'floor':
      return x instanceof Dec ? new Dec(x.d.floor(), 0) : new Dbl(Math.floor(numToJs(x)));
    case 'ceil':
      return x instanceof Dec ? new Dec(x.d.ceil(), 0) : new Dbl(Math.ceil(numToJs(x)));
    case 'round':
      if (x instanceof Dec) return Number(x.d.toDecimalPlaces(0, D.ROUND_HALF_EVEN).toFixed(0));
      return Math.round(numToJs(x)) | 0;
    case 'roundtolong':
      if (x instanceof Dec) return BigInt(x.d.toDecimalPlaces(0, D.ROUND_HALF_EVEN).toFixed(0));
      return BigInt(Math.round(numToJs(x)));
    case 'sqrt':
      return dbl(Math.sqrt);
    case 'pow':
      return dbl(Math.pow);
    case 'exp':
      return dbl(Math.exp);
    case 'log':
      return dbl(Math.log);
    case 'log10':
      return dbl(Math.log10);
    case 'sin':
      return dbl(Math.sin);
    case 'cos':
      return dbl(Math.cos);
    case 'tan':
      return dbl(Math.tan);
    case 'atan':
      return dbl(Math.atan);
    case 'atan2':
      return dbl(Math.atan2);
    case 'cbrt':
      return dbl(Math.cbrt);
    case 'signum':
      return dbl(Math.sign);
    case 'random':
      return new Dbl(Math.random());
  }
  throw I.unsupported(`Math.${n}`);
}

function limitsStatic(I: Interp, n: string): any {
  const L = I.limits;
  switch (n) {
    case 'getqueries':
      return L.queries;
    case 'getlimitqueries':
      return S.soqlQueryLimit(I);
    case 'getdmlstatements':
      return L.dml;
    case 'getlimitdmlstatements':
      return 150;
    case 'getdmlrows':
      return L.dmlRows;
    case 'getlimitdmlrows':
      return 10000;
    case 'getqueryrows':
      return L.queryRows;
    case 'getlimitqueryrows':
      return 50000;
    case 'getcputime':
      return Date.now() - L.cpuStart;
    case 'getlimitcputime':
      return (I as any).inAsync ? 60000 : 10000;
    case 'getheapsize':
      return 0;
    case 'getlimitheapsize':
      return (I as any).inAsync ? 12000000 : 6000000;
    case 'getcallouts':
      return L.callouts;
    case 'getlimitcallouts':
      return 100;
    case 'getfuturecalls':
      return L.futureCalls;
    case 'getlimitfuturecalls':
      return 50;
    case 'getqueueablejobs':
      return L.queueable;
    case 'getlimitqueueablejobs':
      return 50;
    case 'getemailinvocations':
      return 0;
    case 'getlimitemailinvocations':
      return 10;
    case 'getpublishimmediatedml':
      return L.publishImmediate;
    case 'getlimitpublishimmediatedml':
      return 150;
    case 'getaggregatequeries':
      return 0;
    case 'getlimitaggregatequeries':
      return 300;
  }
  throw I.unsupported(`Limits.${n}`);
}

function encodingStatic(I: Interp, n: string, a: any[]): any {
  switch (n) {
    case 'base64encode':
      return need(I, a[0]).b.toString('base64');
    case 'base64decode':
      return new ABlob(Buffer.from(need(I, a[0]), 'base64'));
    case 'converttohex':
      return need(I, a[0]).b.toString('hex');
    case 'convertfromhex':
      return new ABlob(Buffer.from(need(I, a[0]), 'hex'));
    case 'urlencode':
      utf8Only(I, n, a[1]);
      return encodeURIComponent(need(I, a[0]))
        .replace(/%20/g, '+')
        .replace(/[!'()~]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
    case 'urldecode':
      utf8Only(I, n, a[1]);
      return urlDecode(I, need(I, a[0]));
  }
  throw I.unsupported(`EncodingUtil.${n}`);
}

function utf8Only(I: Interp, n: string, enc: unknown): void {
  if (typeof enc !== 'string' || !/^utf-?8$/i.test(enc))
    throw I.unsupported(`EncodingUtil.${n} with encoding ${String(enc)}`);
}

/**
 * java.net.URLDecoder (which EncodingUtil.urlDecode uses): '+' is a space, runs of %XY are
 * bytes decoded as UTF-8 with malformed sequences replaced by U+FFFD. A bad escape makes Java
 * throw IllegalArgumentException; the Apex exception it surfaces as is not modelled.
 */
function urlDecode(I: Interp, s: string): string {
  let out = '';
  for (let i = 0; i < s.length;) {
    const c = s[i]!;
    if (c === '+') {
      out += ' ';
      i++;
    } else if (c === '%') {
      const bytes: number[] = [];
      while (i < s.length && s[i] === '%') {
        const hex = s.slice(i + 1, i + 3);
        if (!/^[0-9a-fA-F]{2}$/.test(hex))
          throw I.unsupported(`EncodingUtil.urlDecode of a malformed escape '%${hex}'`);
        bytes.push(parseInt(hex, 16));
        i += 3;
      }
      out += Buffer.from(bytes).toString('utf8');
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

function cryptoStatic(I: Interp, n: string, a: any[]): any {
  const alg = (s: string) => {
    const m: Record<string, string> = {
      md5: 'md5',
      sha1: 'sha1',
      'sha-256': 'sha256',
      sha256: 'sha256',
      'sha-512': 'sha512',
      sha512: 'sha512',
      hmacsha256: 'sha256',
      hmacsha1: 'sha1',
      hmacsha512: 'sha512',
      hmacmd5: 'md5'
    };
    const r = m[String(s).toLowerCase()];
    if (!r) throw I.ex('InvalidParameterValueException', `Invalid algorithm: ${s}`);
    return r;
  };
  switch (n) {
    case 'generatedigest':
      return new ABlob(createHash(alg(a[0])).update(need(I, a[1]).b).digest());
    case 'generatemac':
      return new ABlob(createHmac(alg(a[0]), need(I, a[2]).b).update(need(I, a[1]).b).digest());
    case 'getrandominteger':
      return (Math.random() * 4294967296) | 0;
    case 'getrandomlong':
      return BigInt.asIntN(64, BigInt(Math.floor(Math.random() * 2 ** 53)) * 2048n);
    case 'generateaeskey': {
      const bits = Number(a[0]);
      if (![128, 192, 256].includes(bits))
        throw I.ex('InvalidParameterValueException', `Invalid key size: ${a[0]}`);
      return new ABlob(randomBytes(bits / 8));
    }
  }
  if (n === 'uuid') return randomUUID();
  throw I.unsupported(`Crypto.${n}`);
}

export { javaDouble, numToJs, ApexThrow };
export type { Frame };
