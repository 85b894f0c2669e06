/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * Runtime values with Apex semantics.
 *
 * Representation:
 *   null            → null
 *   Boolean         → boolean
 *   Integer         → number (always int32)
 *   Long            → bigint
 *   Double          → Dbl
 *   Decimal         → Dec (decimal.js value + scale)
 *   String / Id     → string (Id-typed values are normalised to 18 chars)
 *   Date/Datetime/Time → ADate / ADatetime / ATime
 *   Blob            → ABlob
 *   List/Set/Map    → AList / ASet / AMap
 *   SObject         → SObj
 *   class instance  → AObj (incl. exceptions)
 *   enum value      → AEnum
 *   everything else → NativeObj (system class instances: SaveResult, Type, …)
 */
import { Decimal } from 'decimal.js';

export const D = Decimal.clone({
  precision: 60,
  rounding: Decimal.ROUND_HALF_UP,
  toExpNeg: -100,
  toExpPos: 100
});
export type DecT = InstanceType<typeof D>;

export class Dbl {
  constructor(public v: number) {}
}

export class Dec {
  constructor(
    public d: DecT,
    public scale: number
  ) {}
  static of(s: string | number): Dec {
    const d = new D(s);
    return new Dec(d, Math.max(0, d.decimalPlaces()));
  }
  static lit(raw: string): Dec {
    const d = new D(raw);
    const m = /\.(\d+)/.exec(raw);
    return new Dec(d, m ? m[1].length : 0);
  }
  toString(): string {
    return this.d.toFixed(this.scale);
  }
}

export class ADate {
  constructor(
    public y: number,
    public m: number,
    public d: number
  ) {}
  iso(): string {
    return `${pad(this.y, 4)}-${pad(this.m, 2)}-${pad(this.d, 2)}`;
  }
  toEpochDay(): number {
    return Math.floor(Date.UTC(this.y, this.m - 1, this.d) / 86400000);
  }
  static fromEpochDay(n: number): ADate {
    const dt = new Date(n * 86400000);
    return new ADate(dt.getUTCFullYear(), dt.getUTCMonth() + 1, dt.getUTCDate());
  }
}

export class ADatetime {
  constructor(public ms: number) {}
}

export class ATime {
  constructor(public ms: number) {} // ms since midnight
}

export class ABlob {
  constructor(public b: Buffer) {}
}

export class AList {
  constructor(
    public et: any, // RType of elements
    public a: any[]
  ) {}
}

export class ASet {
  m = new Map<any, any>();
  constructor(public et: any) {}
}

export class AMap {
  m = new Map<any, [any, any]>();
  constructor(
    public kt: any,
    public vt: any
  ) {}
}

export class SObj {
  /** lower-case field name → value */
  v: Record<string, any> = Object.create(null);
  /** lower-case field name → canonical name, in insertion order */
  n: Record<string, string> = Object.create(null);
  errors: { msg: string; field?: string }[] | null = null;
  constructor(public type: string) {}
  get(l: string): any {
    return this.v[l];
  }
  put(name: string, value: any): void {
    const l = name.toLowerCase();
    if (!(l in this.n)) this.n[l] = name;
    this.v[l] = value;
  }
  has(l: string): boolean {
    return l in this.n;
  }
}

let objSeq = 0;
export class AObj {
  f: Record<string, any> = Object.create(null);
  oid = ++objSeq;
  constructor(public cls: any) {}
}

export class AEnum {
  constructor(
    public type: any,
    public name: string,
    public ordinal: number
  ) {}
}

export class NativeObj {
  constructor(
    public type: string, // display type name, e.g. 'Database.SaveResult'
    public p: Record<string, any> = {}
  ) {}
}

export function pad(n: number, w: number): string {
  const s = String(Math.abs(n));
  return (n < 0 ? '-' : '') + (s.length >= w ? s : '0'.repeat(w - s.length) + s);
}

/** Java's Double.toString, which Apex uses for Double. */
export function javaDouble(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  if (v === 0) return Object.is(v, -0) ? '-0.0' : '0.0';
  const a = Math.abs(v);
  if (a >= 1e-3 && a < 1e7) {
    const s = String(v);
    if (s.includes('e')) return Number(v).toFixed(20).replace(/0+$/, '');
    return s.includes('.') ? s : s + '.0';
  }
  // scientific: d.dddE±n
  const [mant, exp] = v.toExponential().split('e');
  const m = mant.includes('.') ? mant : mant + '.0';
  return `${m}E${Number(exp)}`;
}

export function isNumber(v: any): boolean {
  return typeof v === 'number' || typeof v === 'bigint' || v instanceof Dbl || v instanceof Dec;
}

export function numToJs(v: any): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Dbl) return v.v;
  if (v instanceof Dec) return v.d.toNumber();
  throw new Error('not a number');
}

export function toDec(v: any): Dec {
  if (v instanceof Dec) return v;
  if (typeof v === 'number') return new Dec(new D(v), 0);
  if (typeof v === 'bigint') return new Dec(new D(v.toString()), 0);
  if (v instanceof Dbl) return Dec.of(String(v.v));
  throw new Error('not a number');
}

export function toLong(v: any): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return BigInt(v);
  if (v instanceof Dbl) return BigInt(Math.trunc(v.v));
  if (v instanceof Dec) return BigInt(v.d.trunc().toFixed(0));
  throw new Error('not a number');
}

export function wrapLong(b: bigint): bigint {
  return BigInt.asIntN(64, b);
}

// ---------- Id ----------
const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
export function to18(id: string): string {
  if (id.length !== 15) return id;
  let suffix = '';
  for (let i = 0; i < 3; i++) {
    let flags = 0;
    for (let j = 0; j < 5; j++) {
      const c = id.charCodeAt(i * 5 + j);
      if (c >= 65 && c <= 90) flags += 1 << j;
    }
    suffix += ID_CHARS[flags];
  }
  return id + suffix;
}
export function isValidId(s: string): boolean {
  if (!/^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(s)) return false;
  if (s.length === 18)
    return to18(s.slice(0, 15)).toUpperCase() === s.toUpperCase() || to18(s.slice(0, 15)) === s;
  return true;
}
