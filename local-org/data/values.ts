/** Canonical field values (see INTERFACES.md) and comparisons shared by DML and SOQL. */
import { DateTime } from 'luxon';
import { to18 } from './ids.js';
import type { FieldDescribe } from './schema-types.js';

export const STRING_TYPES = new Set([
  'string',
  'textarea',
  'email',
  'phone',
  'url',
  'picklist',
  'multipicklist',
  'combobox',
  'encryptedstring'
]);
export const NUMBER_TYPES = new Set(['double', 'integer', 'long', 'currency', 'percent']);

export interface Coerced {
  value: unknown;
  error?: { statusCode: string; message: string };
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** Converts a caller value into the canonical value for `f`. */
export function coerceValue(f: FieldDescribe, v: unknown): Coerced {
  if (v === undefined || v === null) return { value: f.type === 'boolean' ? false : null };
  switch (f.type) {
    case 'id':
    case 'reference': {
      const s = String(v);
      if (s === '') return { value: null };
      const id = to18(s);
      if (!id)
        return {
          value: s,
          error: {
            statusCode: 'MALFORMED_ID',
            message: `${f.label}: id value of incorrect type: ${s}`
          }
        };
      return { value: id };
    }
    case 'boolean':
      if (typeof v === 'boolean') return { value: v };
      if (v === 'true' || v === 'false') return { value: v === 'true' };
      return {
        value: v,
        error: {
          statusCode: 'INVALID_TYPE_ON_FIELD_IN_RECORD',
          message: `${f.label}: value not of required type: ${String(v)}`
        }
      };
    case 'double':
    case 'integer':
    case 'long':
    case 'currency':
    case 'percent': {
      const n =
        typeof v === 'number'
          ? v
          : typeof v === 'string' && v.trim() !== ''
            ? Number(v)
            : typeof v === 'object' && v !== null && 'toNumber' in v
              ? (v as { toNumber(): number }).toNumber()
              : NaN;
      if (!Number.isFinite(n))
        return {
          value: v,
          error: {
            statusCode: 'INVALID_TYPE_ON_FIELD_IN_RECORD',
            message: `${f.label}: value not of required type: ${String(v)}`
          }
        };
      return { value: n };
    }
    case 'date': {
      if (v instanceof Date) return { value: v.toISOString().slice(0, 10) };
      const s = String(v);
      if (DATE_RE.test(s)) return { value: s };
      if (/^\d{4}-\d{2}-\d{2}T/.test(s)) return { value: s.slice(0, 10) };
      return {
        value: v,
        error: {
          statusCode: 'INVALID_TYPE_ON_FIELD_IN_RECORD',
          message: `${f.label}: value not of required type: ${s}`
        }
      };
    }
    case 'datetime': {
      const d = v instanceof Date ? v : new Date(String(v));
      if (Number.isNaN(d.getTime()))
        return {
          value: v,
          error: {
            statusCode: 'INVALID_TYPE_ON_FIELD_IN_RECORD',
            message: `${f.label}: value not of required type: ${String(v)}`
          }
        };
      return { value: d.toISOString() };
    }
    case 'time': {
      const s = String(v);
      const m = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?Z?$/.exec(s);
      if (!m)
        return {
          value: v,
          error: {
            statusCode: 'INVALID_TYPE_ON_FIELD_IN_RECORD',
            message: `${f.label}: value not of required type: ${s}`
          }
        };
      return { value: `${m[1]}:${m[2]}:${m[3] ?? '00'}.${(m[4] ?? '000').padEnd(3, '0')}Z` };
    }
    default: {
      // The platform stores an empty text value as null.
      const s = typeof v === 'string' ? v : String(v);
      return { value: s === '' ? null : s };
    }
  }
}

/** Salesforce-style email check: local part, @, a domain with at least one dot. */
export function isValidEmail(s: string): boolean {
  return (
    /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/.test(
      s
    ) && !s.includes('..')
  );
}

/** Rounds half-up to `scale` decimals (how the platform stores numbers with a scale). */
export function roundToScale(n: number, scale: number): number {
  const p = 10 ** scale;
  const r = (Math.sign(n) * Math.round(Math.abs(n) * p + 1e-9)) / p;
  return Object.is(r, -0) ? 0 : r;
}

/**
 * Compares two non-null canonical values of the same field type. Text compares
 * case-insensitively (SOQL and unique checks of non-case-sensitive fields).
 */
export function compareValues(type: string, a: unknown, b: unknown): number {
  if (NUMBER_TYPES.has(type)) return (a as number) - (b as number);
  if (type === 'boolean') return (a ? 1 : 0) - (b ? 1 : 0);
  if (type === 'id' || type === 'reference') {
    const x = to18(String(a)) ?? String(a);
    const y = to18(String(b)) ?? String(b);
    return cmpStr(x.toLowerCase(), y.toLowerCase());
  }
  if (type === 'datetime') return Date.parse(String(a)) - Date.parse(String(b));
  if (type === 'date' || type === 'time') return cmpStr(String(a), String(b));
  return cmpStr(String(a).toLowerCase(), String(b).toLowerCase());
}

function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Date (YYYY-MM-DD) of an instant in an IANA zone. */
export function dateInZone(iso: string, zone: string): string {
  return DateTime.fromISO(iso, { zone: 'utc' }).setZone(zone).toISODate()!;
}

/** Formats an Auto Number display format like `ATT-{000000}` or `{YYYY}-{0}`. */
export function formatAutoNumber(format: string, n: number, now: Date): string {
  return format.replace(/\{(0+|YYYY|YY|MM|DD)\}/g, (_m, tok: string) => {
    if (tok === 'YYYY') return String(now.getUTCFullYear());
    if (tok === 'YY') return String(now.getUTCFullYear()).slice(2);
    if (tok === 'MM') return String(now.getUTCMonth() + 1).padStart(2, '0');
    if (tok === 'DD') return String(now.getUTCDate()).padStart(2, '0');
    return String(n).padStart(tok.length, '0');
  });
}
