/* eslint-disable @typescript-eslint/no-explicit-any */
/** String rendering of values exactly as System.debug / String.valueOf / concatenation print them. */
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
  Dbl,
  Dec,
  NativeObj,
  SObj,
  javaDouble,
  pad
} from './values.js';
import type { Interp } from './interp.js';
import { TypeMarker } from './interp.js';

export function gmtStamp(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)} ${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`;
}

export function timeStr(t: ATime): string {
  const ms = t.ms;
  return `${pad(Math.floor(ms / 3600000), 2)}:${pad(Math.floor(ms / 60000) % 60, 2)}:${pad(Math.floor(ms / 1000) % 60, 2)}.${pad(ms % 1000, 3)}Z`;
}

/** Debug / concatenation format. */
export function fmt(I: Interp, v: any, depth = 0): string {
  if (v === null || v === undefined) return 'null';
  switch (typeof v) {
    case 'string':
      return v;
    case 'number':
      return String(v);
    case 'bigint':
      return v.toString();
    case 'boolean':
      return v ? 'true' : 'false';
  }
  if (v instanceof Dec) return v.toString();
  if (v instanceof Dbl) return javaDouble(v.v);
  if (v instanceof ADate) return v.iso() + ' 00:00:00';
  if (v instanceof ADatetime) return gmtStamp(v.ms);
  if (v instanceof ATime) return timeStr(v);
  if (v instanceof ABlob) return `Blob[${v.b.length}]`;
  if (depth > 10) return '...';
  if (v instanceof AList) return '(' + v.a.map((x) => fmt(I, x, depth + 1)).join(', ') + ')';
  if (v instanceof ASet)
    return '{' + [...v.m.values()].map((x) => fmt(I, x, depth + 1)).join(', ') + '}';
  if (v instanceof AMap)
    return (
      '{' +
      [...v.m.values()]
        .map(([k, x]) => fmt(I, k, depth + 1) + '=' + fmt(I, x, depth + 1))
        .join(', ') +
      '}'
    );
  if (v instanceof SObj) {
    const parts: string[] = [];
    for (const l in v.n) {
      const fv = v.v[l];
      if (fv instanceof SObj || fv instanceof AList) continue;
      parts.push(`${v.n[l]}=${fmt(I, fv, depth + 1)}`);
    }
    return `${v.type}:{${parts.join(', ')}}`;
  }
  if (v instanceof AEnum) return v.name;
  if (v instanceof AObj) {
    if (v.cls.isException) {
      const msg = v.f.__message;
      const tn = v.cls.systemName ?? v.cls.name;
      return msg == null ? tn + ':' : `${tn}: ${msg}`;
    }
    if (v.cls.decl && I.findMethod(v.cls, 'tostring', []))
      return String(I.callUserMethod(v, 'tostring', []));
    const parts: string[] = [];
    for (const k in v.f) {
      const fd = I.instanceField(v.cls, k);
      parts.push(`${fd ? fd.name : k}=${fmt(I, v.f[k], depth + 1)}`);
    }
    return `${v.cls.name}:[${parts.join(', ')}]`;
  }
  if (v instanceof TypeMarker) return v.t.name;
  if (v instanceof NativeObj) {
    if (v.p.__str !== undefined) return typeof v.p.__str === 'function' ? v.p.__str() : v.p.__str;
    const parts = Object.entries(v.p)
      .filter(([k]) => !k.startsWith('__'))
      .map(([k, x]) => `${k}=${fmt(I, x, depth + 1)}`);
    return `${v.type}[${parts.join(';')}]`;
  }
  return String(v);
}
