/* eslint-disable @typescript-eslint/no-explicit-any */
/** System.JSON: serialize / serializePretty / deserialize / deserializeUntyped / generator / parser. */
import type { Interp } from './interp.js';
import { T, type RType } from './types.js';
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
  javaDouble,
  to18
} from './values.js';
import { timeStr } from './format.js';
import * as S from './sobject.js';
import { mapPut, setAdd, keyOf } from './builtins.js';

// ---------------- tree ----------------
type JNode =
  { t: 'obj'; e: [string, JNode][] } | { t: 'arr'; e: JNode[] } | { t: 'raw'; s: string };

const raw = (s: string): JNode => ({ t: 'raw', s });
const q = (s: string): string =>
  JSON.stringify(s).replace(/[\u2028\u2029]/g, (c) => '\\u' + c.charCodeAt(0).toString(16));

export function isoDatetime(ms: number): string {
  return new Date(ms).toISOString();
}

function toNode(I: Interp, v: any, suppressNulls: boolean, depth = 0): JNode {
  if (depth > 100) throw I.ex('JSONException', 'Maximum stack depth reached');
  if (v === null || v === undefined) return raw('null');
  switch (typeof v) {
    case 'string':
      return raw(q(v));
    case 'number':
      return raw(String(v));
    case 'bigint':
      return raw(v.toString());
    case 'boolean':
      return raw(String(v));
  }
  if (v instanceof Dec) return raw(v.toString());
  if (v instanceof Dbl) return raw(javaDouble(v.v));
  if (v instanceof ADate) return raw(q(v.iso()));
  if (v instanceof ADatetime) return raw(q(isoDatetime(v.ms)));
  if (v instanceof ATime) return raw(q(timeStr(v)));
  if (v instanceof ABlob) return raw(q(v.b.toString('base64')));
  if (v instanceof AEnum) return raw(q(v.name));
  if (v instanceof AList)
    return { t: 'arr', e: v.a.map((x) => toNode(I, x, suppressNulls, depth + 1)) };
  if (v instanceof ASet)
    return { t: 'arr', e: [...v.m.values()].map((x) => toNode(I, x, suppressNulls, depth + 1)) };
  if (v instanceof AMap) {
    const e: [string, JNode][] = [];
    for (const [k, x] of v.m.values()) {
      if (suppressNulls && x === null) continue;
      e.push([
        k === null ? 'null' : typeof k === 'string' ? k : I.fmt(k),
        toNode(I, x, suppressNulls, depth + 1)
      ]);
    }
    return { t: 'obj', e };
  }
  if (v instanceof SObj) {
    const e: [string, JNode][] = [];
    const attrs: [string, JNode][] = [['type', raw(q(v.type))]];
    const id = v.v['id'];
    if (id) attrs.push(['url', raw(q(`/services/data/v62.0/sobjects/${v.type}/${id}`))]);
    e.push(['attributes', { t: 'obj', e: attrs }]);
    for (const l in v.n) {
      const fv = v.v[l];
      if (fv instanceof AList) {
        e.push([
          v.n[l],
          {
            t: 'obj',
            e: [
              ['totalSize', raw(String(fv.a.length))],
              ['done', raw('true')],
              ['records', toNode(I, fv, suppressNulls, depth + 1)]
            ]
          }
        ]);
        continue;
      }
      e.push([v.n[l], toNode(I, fv, suppressNulls, depth + 1)]);
    }
    return { t: 'obj', e };
  }
  if (v instanceof AObj) {
    if (v.cls.isException) throw I.unsupported('JSON.serialize of an exception');
    const e: [string, JNode][] = [];
    const chain: any[] = [];
    for (let c = v.cls; c; c = c.superclass) chain.unshift(c);
    for (const c of chain) {
      if (!c.decl) continue;
      for (const f of c.decl.fields) {
        if (f.isStatic || f.mods.has('transient')) continue;
        const ln = f.name.toLowerCase();
        const fv = f.prop && f.prop.getter?.body ? I.readField(v, ln, null) : v.f[ln];
        if (suppressNulls && (fv === null || fv === undefined)) continue;
        e.push([f.name, toNode(I, fv, suppressNulls, depth + 1)]);
      }
    }
    return { t: 'obj', e };
  }
  if (v instanceof NativeObj) {
    if (v.p.__json) return toNode(I, v.p.__json(I), suppressNulls, depth + 1);
    if (v.p.__str !== undefined) return raw(q(String(v.p.__str)));
    const e: [string, JNode][] = [];
    for (const [k, x] of Object.entries(v.p))
      if (!k.startsWith('__')) e.push([k, toNode(I, x, suppressNulls, depth + 1)]);
    return { t: 'obj', e };
  }
  throw I.unsupported('JSON.serialize of ' + String(v?.constructor?.name));
}

function render(n: JNode, pretty: boolean, ind = ''): string {
  if (n.t === 'raw') return n.s;
  if (n.t === 'arr') {
    if (!pretty) return '[' + n.e.map((x) => render(x, false)).join(',') + ']';
    if (n.e.length === 0) return '[ ]';
    return '[ ' + n.e.map((x) => render(x, true, ind)).join(', ') + ' ]';
  }
  if (!pretty) return '{' + n.e.map(([k, x]) => q(k) + ':' + render(x, false)).join(',') + '}';
  if (n.e.length === 0) return '{ }';
  const ni = ind + '  ';
  return (
    '{\n' +
    n.e.map(([k, x]) => ni + q(k) + ' : ' + render(x, true, ni)).join(',\n') +
    '\n' +
    ind +
    '}'
  );
}

export function serialize(I: Interp, v: any, pretty: boolean, suppressNulls = false): string {
  return render(toNode(I, v, suppressNulls), pretty);
}

// ---------------- parsing (keeps number text) ----------------
type PV = null | boolean | string | { num: string } | PV[] | { obj: [string, PV][] };

const numRe = /-?\d+(\.\d+)?([eE][+-]?\d+)?/y;

function parseJson(I: Interp, s: string): PV {
  let i = 0;
  const err = (msg?: string): never => {
    throw I.ex(
      'JSONException',
      msg ??
        `Unexpected character ('${s[i] ?? 'EOF'}' (code ${s.charCodeAt(i) || -1})): was expecting a value at [line:1, column:${i + 1}]`
    );
  };
  const ws = () => {
    for (
      let c = s.charCodeAt(i);
      c === 32 || c === 10 || c === 13 || c === 9;
      c = s.charCodeAt(++i)
    );
  };
  const val = (): PV => {
    ws();
    const c = s[i];
    if (c === '{') {
      i++;
      const obj: [string, PV][] = [];
      ws();
      if (s[i] === '}') {
        i++;
        return { obj };
      }
      for (;;) {
        ws();
        if (s[i] !== '"') err();
        const k = strv();
        ws();
        if (s[i] !== ':') err();
        i++;
        obj.push([k, val()]);
        ws();
        if (s[i] === ',') {
          i++;
          continue;
        }
        if (s[i] === '}') {
          i++;
          return { obj };
        }
        err();
      }
    }
    if (c === '[') {
      i++;
      const arr: PV[] = [];
      ws();
      if (s[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(val());
        ws();
        if (s[i] === ',') {
          i++;
          continue;
        }
        if (s[i] === ']') {
          i++;
          return arr;
        }
        err();
      }
    }
    if (c === '"') return strv();
    if (s.startsWith('true', i)) {
      i += 4;
      return true;
    }
    if (s.startsWith('false', i)) {
      i += 5;
      return false;
    }
    if (s.startsWith('null', i)) {
      i += 4;
      return null;
    }
    numRe.lastIndex = i;
    const m = numRe.exec(s);
    if (m) {
      i += m[0].length;
      return { num: m[0] };
    }
    return err();
  };
  const strv = (): string => {
    const st = i;
    i++;
    while (i < s.length && s[i] !== '"') {
      if (s[i] === '\\') i++;
      i++;
    }
    if (i >= s.length) err('Unexpected end-of-input in string');
    i++;
    return JSON.parse(s.slice(st, i));
  };
  const v = val();
  ws();
  if (i < s.length) err();
  return v;
}

function untyped(v: PV): any {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  if (Array.isArray(v)) return new AList(T.object, v.map(untyped));
  if ('num' in v) return numFrom(v.num);
  const m = new AMap(T.string, T.object);
  for (const [k, x] of v.obj) m.m.set(k, [k, untyped(x)]);
  return m;
}

function numFrom(s: string): any {
  if (/^-?\d+$/.test(s)) {
    const b = BigInt(s);
    if (b >= -2147483648n && b <= 2147483647n) return Number(b);
    // Beyond a Long the number is a Decimal (an Apex Long never holds more than 64 bits).
    if (b >= -9223372036854775808n && b <= 9223372036854775807n) return b;
    return Dec.lit(s);
  }
  return Dec.lit(s.includes('e') || s.includes('E') ? new D(s).toString() : s);
}

function parseIsoDatetime(I: Interp, s: string): ADatetime {
  const m =
    /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/.exec(
      s.trim()
    );
  if (!m)
    throw I.ex(
      'JSONException',
      `Cannot deserialize instance of datetime from VALUE_STRING value ${s} or request may be missing a required field`
    );
  let ms = Date.UTC(
    +m[1],
    +m[2] - 1,
    +m[3],
    +(m[4] ?? 0),
    +(m[5] ?? 0),
    +(m[6] ?? 0),
    +(m[7] ?? '0').padEnd(3, '0')
  );
  if (m[8] && m[8] !== 'Z') {
    const sign = m[8][0] === '-' ? -1 : 1;
    const digits = m[8].slice(1).replace(':', '');
    ms -= sign * (+digits.slice(0, 2) * 60 + +digits.slice(2)) * 60000;
  }
  return new ADatetime(ms);
}

function typeName(v: PV): string {
  if (v === null) return 'VALUE_NULL';
  if (typeof v === 'string') return 'VALUE_STRING';
  if (typeof v === 'boolean') return v ? 'VALUE_TRUE' : 'VALUE_FALSE';
  if (Array.isArray(v)) return 'START_ARRAY';
  if ('num' in v) return /^-?\d+$/.test(v.num) ? 'VALUE_NUMBER_INT' : 'VALUE_NUMBER_FLOAT';
  return 'START_OBJECT';
}

function typed(I: Interp, v: PV, t: RType, strict: boolean): any {
  if (v === null) return null;
  const bad = (): never => {
    throw I.ex(
      'JSONException',
      `Cannot deserialize instance of ${t.name.toLowerCase()} from ${typeName(v)} value ${Array.isArray(v) ? '[' : typeof v === 'object' && 'obj' in v ? '{' : typeof v === 'object' ? (v as any).num : String(v)} or request may be missing a required field`
    );
  };
  switch (t.k) {
    case 'object':
      return untyped(v);
    case 'string':
      if (typeof v === 'string') return v;
      if (typeof v === 'object' && !Array.isArray(v) && 'num' in v) return v.num;
      if (typeof v === 'boolean') return String(v);
      return bad();
    case 'id':
      if (typeof v === 'string') return I.coerce(v, T.id);
      return bad();
    case 'integer':
      if (typeof v === 'object' && !Array.isArray(v) && 'num' in v)
        return Number(BigInt.asIntN(32, BigInt(new D(v.num).trunc().toFixed(0))));
      if (typeof v === 'string' && /^-?\d+$/.test(v)) return Number(v);
      return bad();
    case 'long':
      if (typeof v === 'object' && !Array.isArray(v) && 'num' in v)
        return BigInt(new D(v.num).trunc().toFixed(0));
      if (typeof v === 'string' && /^-?\d+$/.test(v)) return BigInt(v);
      return bad();
    case 'double':
      if (typeof v === 'object' && !Array.isArray(v) && 'num' in v) return new Dbl(Number(v.num));
      if (typeof v === 'string' && !isNaN(Number(v))) return new Dbl(Number(v));
      return bad();
    case 'decimal':
      if (typeof v === 'object' && !Array.isArray(v) && 'num' in v) return Dec.lit(v.num);
      if (typeof v === 'string' && !isNaN(Number(v))) return Dec.lit(v);
      return bad();
    case 'boolean':
      if (typeof v === 'boolean') return v;
      if (typeof v === 'string') return v.toLowerCase() === 'true';
      return bad();
    case 'date':
      if (typeof v === 'string') {
        const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(v);
        if (!m) return bad();
        return new ADate(+m[1], +m[2], +m[3]);
      }
      return bad();
    case 'datetime':
      if (typeof v === 'string') return parseIsoDatetime(I, v);
      if (typeof v === 'object' && !Array.isArray(v) && 'num' in v)
        return new ADatetime(Number(v.num));
      return bad();
    case 'time':
      if (typeof v === 'string') {
        const m = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?/.exec(v);
        if (!m) return bad();
        return new ATime(
          ((+m[1] * 60 + +m[2]) * 60 + +(m[3] ?? 0)) * 1000 + +(m[4] ?? '0').padEnd(3, '0')
        );
      }
      return bad();
    case 'blob':
      if (typeof v === 'string') return new ABlob(Buffer.from(v, 'base64'));
      return bad();
    case 'list':
      if (!Array.isArray(v)) return bad();
      return new AList(
        t.args![0],
        v.map((x) => typed(I, x, t.args![0], strict))
      );
    case 'set': {
      if (!Array.isArray(v)) return bad();
      const s = new ASet(t.args![0]);
      for (const x of v) setAdd(I, s, typed(I, x, t.args![0], strict));
      return s;
    }
    case 'map': {
      if (Array.isArray(v) || typeof v !== 'object' || !('obj' in v)) return bad();
      const m = new AMap(t.args![0], t.args![1]);
      for (const [k, x] of v.obj)
        mapPut(I, m, typed(I, k, t.args![0], strict), typed(I, x, t.args![1], strict));
      return m;
    }
    case 'sobj':
    case 'sobject': {
      if (Array.isArray(v) || typeof v !== 'object' || !('obj' in v)) return bad();
      let type = t.k === 'sobj' ? t.name : null;
      const attrs = v.obj.find(([k]) => k === 'attributes');
      if (attrs && attrs[1] && typeof attrs[1] === 'object' && 'obj' in (attrs[1] as any)) {
        const tt = (attrs[1] as any).obj.find(([k]: any) => k === 'type');
        if (tt && typeof tt[1] === 'string') type = tt[1];
      }
      if (!type) throw I.ex('JSONException', 'Apex type not found for SObject');
      const so = S.newSObject(I, type);
      const desc = S.describeOf(I, type);
      for (const [k, x] of v.obj) {
        if (k === 'attributes') continue;
        const f = desc?.fields.get(k.toLowerCase());
        if (!f) {
          const rel = desc?.childRelationships.find(
            (r: any) => r.relationshipName?.toLowerCase() === k.toLowerCase()
          );
          if (rel && x && typeof x === 'object' && 'obj' in (x as any)) {
            const recs = (x as any).obj.find(([kk]: any) => kk === 'records');
            so.put(
              rel.relationshipName!,
              typed(
                I,
                recs ? recs[1] : [],
                { k: 'list', name: '', args: [{ k: 'sobj', name: rel.childSObject }] },
                strict
              )
            );
            continue;
          }
          const parentRel = desc?.fieldList.find(
            (ff: any) => ff.relationshipName?.toLowerCase() === k.toLowerCase()
          );
          if (parentRel && x && typeof x === 'object' && 'obj' in (x as any)) {
            so.put(
              parentRel.relationshipName!,
              typed(I, x, { k: 'sobject', name: 'SObject' }, strict)
            );
            continue;
          }
          if (strict || desc)
            throw I.ex('JSONException', `No such column '${k}' on sobject of type ${type}`);
          continue;
        }
        so.put(f.name, typed(I, x, S.apexTypeOfField(f), strict));
      }
      return so;
    }
    case 'class': {
      const ci = t.cls!;
      if (ci.kind === 'enum') {
        if (typeof v !== 'string') return bad();
        return ci.enumValues.find((e: AEnum) => e.name.toLowerCase() === v.toLowerCase()) ?? null;
      }
      if (Array.isArray(v) || typeof v !== 'object' || !('obj' in v)) return bad();
      const o = I.instantiateForJson(ci);
      for (const [k, x] of v.obj) {
        const fd = I.instanceField(ci, k.toLowerCase());
        if (!fd || fd.mods.has('transient')) {
          if (strict)
            throw I.ex('JSONException', `No such column '${k}' on object of type ${ci.name}`);
          continue;
        }
        const owner = I.ownerOf(ci, fd);
        o.f[fd.name.toLowerCase()] = typed(I, x, I.resolveType(fd.type, owner), strict);
      }
      return o;
    }
  }
  throw I.unsupported('JSON.deserialize into ' + t.name);
}

export function jsonStatic(I: Interp, n: string, a: any[]): any {
  switch (n) {
    case 'serialize':
      return serialize(I, a[0], false, a[1] === true);
    case 'serializepretty':
      return serialize(I, a[0], true, a[1] === true);
    case 'deserializeuntyped':
      if (a[0] === null) throw I.npe();
      return untyped(parseJson(I, a[0]));
    case 'deserialize':
    case 'deserializestrict': {
      if (a[0] === null) throw I.npe();
      const t: RType = a[1]?.p?.__t;
      if (!t) throw I.npe();
      return typed(I, parseJson(I, a[0]), t, n === 'deserializestrict');
    }
    case 'creategenerator':
      return new NativeObj('JSONGenerator', {
        pretty: !!a[0],
        stack: [],
        root: null,
        pendingName: null,
        __str: ''
      });
    case 'createparser':
      return makeParser(I, a[0]);
  }
  throw I.unsupported(`JSON.${n}`);
}

// ---------------- JSONGenerator ----------------
export function generatorMethod(I: Interp, o: NativeObj, n: string, a: any[]): any {
  const p = o.p;
  const add = (node: JNode) => {
    const top = p.stack[p.stack.length - 1];
    if (!top) {
      p.root = node;
      return;
    }
    if (top.t === 'arr') top.e.push(node);
    else {
      if (p.pendingName === null)
        throw I.ex('JSONException', 'Can not write a field value, expecting a field name');
      top.e.push([p.pendingName, node]);
      p.pendingName = null;
    }
  };
  const open = (node: JNode) => {
    add(node);
    p.stack.push(node);
  };
  switch (n) {
    case 'writestartobject':
      open({ t: 'obj', e: [] });
      return null;
    case 'writestartarray':
      open({ t: 'arr', e: [] });
      return null;
    case 'writeendobject':
    case 'writeendarray':
      p.stack.pop();
      return null;
    case 'writefieldname':
      p.pendingName = a[0];
      return null;
    case 'writestring':
      add(a[0] === null ? raw('null') : raw(q(a[0])));
      return null;
    case 'writenumber':
    case 'writeboolean':
    case 'writedate':
    case 'writedatetime':
    case 'writetime':
    case 'writeblob':
    case 'writeobject':
    case 'writeid':
      add(toNode(I, a[0], false));
      return null;
    case 'writenull':
      add(raw('null'));
      return null;
    case 'writestringfield':
    case 'writenumberfield':
    case 'writebooleanfield':
    case 'writedatefield':
    case 'writedatetimefield':
    case 'writetimefield':
    case 'writeobjectfield':
    case 'writeblobfield':
    case 'writeidfield':
      p.pendingName = a[0];
      add(toNode(I, a[1], false));
      return null;
    case 'writenullfield':
      p.pendingName = a[0];
      add(raw('null'));
      return null;
    case 'getasstring':
      return p.root ? render(p.root, p.pretty) : '';
    case 'close':
      return null;
    case 'isclosed':
      return p.stack.length === 0;
  }
  throw I.unsupported(`JSONGenerator.${n}`);
}

// ---------------- JSONParser (token stream) ----------------
function makeParser(I: Interp, s: string): NativeObj {
  const root = parseJson(I, s);
  const toks: { tok: string; name: string | null; v: PV | undefined }[] = [];
  const walk = (v: PV, name: string | null) => {
    if (Array.isArray(v)) {
      toks.push({ tok: 'START_ARRAY', name, v });
      for (const x of v) walk(x, null);
      toks.push({ tok: 'END_ARRAY', name, v: undefined });
    } else if (v !== null && typeof v === 'object' && 'obj' in v) {
      toks.push({ tok: 'START_OBJECT', name, v });
      for (const [k, x] of v.obj) {
        toks.push({ tok: 'FIELD_NAME', name: k, v: k });
        walk(x, k);
      }
      toks.push({ tok: 'END_OBJECT', name, v: undefined });
    } else toks.push({ tok: typeName(v), name, v });
  };
  walk(root, null);
  return new NativeObj('JSONParser', { toks, i: -1 });
}

export function parserMethod(I: Interp, o: NativeObj, n: string, a: any[]): any {
  const p = o.p;
  const cur = () => p.toks[p.i];
  const tokEnum = (t: string | undefined) =>
    t ? new NativeObj('JSONToken', { __str: t, name: t }) : null;
  switch (n) {
    case 'nexttoken':
      p.i++;
      return tokEnum(cur()?.tok);
    case 'getcurrenttoken':
      return tokEnum(cur()?.tok);
    case 'hascurrenttoken':
      return !!cur();
    case 'getcurrentname':
      return cur()?.name ?? null;
    case 'gettext': {
      const c = cur();
      if (!c) return null;
      if (c.tok === 'FIELD_NAME') return c.name;
      if (c.v === null) return 'null';
      if (typeof c.v === 'string') return c.v;
      if (typeof c.v === 'boolean') return String(c.v);
      if (c.v && typeof c.v === 'object' && 'num' in c.v) return c.v.num;
      return c.tok === 'START_OBJECT'
        ? '{'
        : c.tok === 'END_OBJECT'
          ? '}'
          : c.tok === 'START_ARRAY'
            ? '['
            : ']';
    }
    case 'getintegervalue':
      return Number((cur()?.v as any).num);
    case 'getlongvalue':
      return BigInt((cur()?.v as any).num);
    case 'getdecimalvalue':
      return Dec.lit((cur()?.v as any).num);
    case 'getdoublevalue':
      return new Dbl(Number((cur()?.v as any).num));
    case 'getbooleanvalue':
      return cur()?.v === true;
    case 'getdatetimevalue':
      return parseIsoDatetime(I, cur()?.v as string);
    case 'getdatevalue': {
      const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(cur()?.v as string);
      return m ? new ADate(+m[1], +m[2], +m[3]) : null;
    }
    case 'getidvalue':
      return to18(cur()?.v as string);
    case 'skipchildren': {
      const c = cur();
      if (!c || (c.tok !== 'START_OBJECT' && c.tok !== 'START_ARRAY')) return null;
      let depth = 0;
      do {
        const t = p.toks[p.i].tok;
        if (t === 'START_OBJECT' || t === 'START_ARRAY') depth++;
        if (t === 'END_OBJECT' || t === 'END_ARRAY') depth--;
        if (depth > 0) p.i++;
      } while (depth > 0);
      return null;
    }
    case 'readvalueas':
    case 'readvalueasstrict': {
      const c = cur();
      const t: RType = a[0].p.__t;
      const v = typed(I, c.v as PV, t, n === 'readvalueasstrict');
      // skip the value's tokens
      if (c.tok === 'START_OBJECT' || c.tok === 'START_ARRAY')
        parserMethod(I, o, 'skipchildren', []);
      return v;
    }
    case 'clearcurrenttoken':
      return null;
  }
  throw I.unsupported(`JSONParser.${n}`);
}

export { keyOf };
