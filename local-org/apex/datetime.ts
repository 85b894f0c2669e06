/* eslint-disable @typescript-eslint/no-explicit-any */
/** Date, Datetime, Time and TimeZone with user / IANA time zones (luxon). */
import { DateTime, IANAZone } from 'luxon';
import type { Interp } from './interp.js';
import { ADate, ADatetime, ATime, Dbl, Dec, NativeObj, numToJs, pad, toLong } from './values.js';
import { gmtStamp } from './format.js';

export function nowMs(I: Interp): number {
  return (I as any).fixedNow ?? Date.now();
}

const validZones = new Map<string, boolean>();
export function isZone(z: string): boolean {
  let v = validZones.get(z);
  if (v === undefined) {
    v = IANAZone.isValidZone(z);
    validZones.set(z, v);
  }
  return v;
}

function zoneOf(I: Interp, tz?: string | null): string {
  const z = tz ?? I.userTz;
  if (!isZone(z)) return 'UTC';
  return z;
}

function lx(I: Interp, ms: number, tz?: string | null): DateTime {
  return DateTime.fromMillis(ms, { zone: zoneOf(I, tz) });
}

export function today(I: Interp): ADate {
  const d = lx(I, nowMs(I));
  return new ADate(d.year, d.month, d.day);
}

export function localStamp(I: Interp, v: ADatetime): string {
  return lx(I, v.ms).toFormat('yyyy-MM-dd HH:mm:ss');
}

export function gmtStampOf(v: ADatetime): string {
  return gmtStamp(v.ms);
}

function localMs(
  I: Interp,
  y: number,
  mo: number,
  d: number,
  h = 0,
  mi = 0,
  s = 0,
  ms = 0,
  tz?: string
): number {
  const dt = DateTime.fromObject(
    { year: y, month: mo, day: d, hour: 0, minute: 0, second: 0, millisecond: 0 },
    { zone: zoneOf(I, tz) }
  );
  // Java-style lenient overflow of time fields
  return dt.plus({ hours: h, minutes: mi, seconds: s, milliseconds: ms }).toMillis();
}

function addMonths(d: ADate, n: number): ADate {
  let m = d.m - 1 + n;
  const y = d.y + Math.floor(m / 12);
  m = ((m % 12) + 12) % 12;
  const dim = daysInMonth(y, m + 1);
  return new ADate(y, m + 1, Math.min(d.d, dim));
}

export function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function dateArith(I: Interp, op: string, l: any, r: any): any {
  if (r === null) throw I.npe();
  if (
    l instanceof ADate &&
    (op === '+' || op === '-') &&
    (typeof r === 'number' || typeof r === 'bigint')
  ) {
    const n = Number(r);
    return ADate.fromEpochDay(l.toEpochDay() + (op === '+' ? n : -n));
  }
  if (
    l instanceof ADatetime &&
    (op === '+' || op === '-') &&
    (typeof r === 'number' || typeof r === 'bigint' || r instanceof Dec || r instanceof Dbl)
  ) {
    const days = numToJs(r) * (op === '+' ? 1 : -1);
    const whole = Math.trunc(days);
    const frac = days - whole;
    const ms = lx(I, l.ms).plus({ days: whole }).toMillis() + Math.round(frac * 86400000);
    return new ADatetime(ms);
  }
  throw I.unsupported(`operator ${op} on ${l.constructor.name}`);
}

// ---------------- SimpleDateFormat ----------------
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December'
];

/**
 * Week of year and week year as Java's en_US calendar counts them (the user locale of the
 * local org): weeks start on Sunday and week 1 is the week that contains January 1.
 */
function usWeek(d: DateTime): { year: number; week: number } {
  const sunday = d.startOf('day').minus({ days: d.weekday % 7 });
  const saturday = sunday.plus({ days: 6 });
  if (saturday.year > d.year) return { year: d.year + 1, week: 1 };
  const jan1 = d.set({ month: 1, day: 1 });
  return { year: d.year, week: Math.floor((d.ordinal - 1 + (jan1.weekday % 7)) / 7) + 1 };
}

export function simpleDateFormat(d: DateTime, pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length;) {
    const c = pattern[i];
    if (c === "'") {
      const j = pattern.indexOf("'", i + 1);
      if (j === i + 1) {
        out += "'";
        i += 2;
        continue;
      }
      out += pattern.slice(i + 1, j < 0 ? undefined : j);
      i = j < 0 ? pattern.length : j + 1;
      continue;
    }
    if (!/[A-Za-z]/.test(c)) {
      out += c;
      i++;
      continue;
    }
    let n = 1;
    while (pattern[i + n] === c) n++;
    i += n;
    switch (c) {
      case 'y':
        out += n === 2 ? pad(d.year % 100, 2) : pad(d.year, n);
        break;
      case 'Y': {
        const wy = usWeek(d).year;
        out += n === 2 ? pad(wy % 100, 2) : pad(wy, n);
        break;
      }
      case 'M':
        out +=
          n >= 4
            ? MONTHS[d.month - 1]
            : n === 3
              ? MONTHS[d.month - 1].slice(0, 3)
              : pad(d.month, n);
        break;
      case 'd':
        out += pad(d.day, n);
        break;
      case 'D':
        out += pad(d.ordinal, n);
        break;
      case 'E':
        out += n >= 4 ? DAYS[d.weekday % 7] : DAYS[d.weekday % 7].slice(0, 3);
        break;
      case 'u':
        out += String(d.weekday);
        break;
      case 'H':
        out += pad(d.hour, n);
        break;
      case 'k':
        out += pad(d.hour === 0 ? 24 : d.hour, n);
        break;
      case 'K':
        out += pad(d.hour % 12, n);
        break;
      case 'h':
        out += pad(d.hour % 12 === 0 ? 12 : d.hour % 12, n);
        break;
      case 'm':
        out += pad(d.minute, n);
        break;
      case 's':
        out += pad(d.second, n);
        break;
      case 'S':
        out += pad(d.millisecond, n);
        break;
      case 'a':
        out += d.hour < 12 ? 'AM' : 'PM';
        break;
      case 'z': {
        if (d.zone.isUniversal && d.offset === 0) {
          out += n >= 4 ? 'Greenwich Mean Time' : 'GMT';
          break;
        }
        const name = n >= 4 ? d.offsetNameLong : d.offsetNameShort;
        // Java prints an abbreviation (CEST, IST, AEST) where the en-US Intl data has only
        // "GMT+2": those are not modelled rather than printed differently.
        if (!name || /^(GMT|UTC)([+-]|$)/.test(name))
          throw new Error(`date pattern letter z for time zone ${d.zoneName}`);
        out += name;
        break;
      }
      case 'Z': {
        const o = d.offset;
        out +=
          (o < 0 ? '-' : '+') + pad(Math.floor(Math.abs(o) / 60), 2) + pad(Math.abs(o) % 60, 2);
        break;
      }
      case 'X': {
        const o = d.offset;
        if (o === 0) out += 'Z';
        else {
          const hh = (o < 0 ? '-' : '+') + pad(Math.floor(Math.abs(o) / 60), 2);
          out +=
            n === 1
              ? hh
              : n === 2
                ? hh + pad(Math.abs(o) % 60, 2)
                : hh + ':' + pad(Math.abs(o) % 60, 2);
        }
        break;
      }
      case 'w':
        out += pad(usWeek(d).week, n);
        break;
      case 'G':
        out += 'AD';
        break;
      default:
        throw new Error(`unsupported date pattern letter ${c}`);
    }
  }
  return out;
}

function fmtPattern(I: Interp, ms: number, pattern: string, tz?: string | null): string {
  try {
    return simpleDateFormat(lx(I, ms, tz), pattern);
  } catch (e: any) {
    throw I.unsupported(e.message);
  }
}

// ---------------- methods ----------------
export function dateMethod(I: Interp, o: any, n: string, a: any[]): any {
  if (o instanceof ADate) {
    switch (n) {
      case 'adddays':
        return ADate.fromEpochDay(o.toEpochDay() + Number(a[0]));
      case 'addmonths':
        return addMonths(o, Number(a[0]));
      case 'addyears':
        return addMonths(o, 12 * Number(a[0]));
      case 'day':
        return o.d;
      case 'month':
        return o.m;
      case 'year':
        return o.y;
      case 'dayofyear':
        return Math.round((Date.UTC(o.y, o.m - 1, o.d) - Date.UTC(o.y, 0, 1)) / 86400000) + 1;
      case 'daysbetween':
        if (a[0] === null) throw I.npe();
        return a[0].toEpochDay() - o.toEpochDay();
      case 'monthsbetween':
        return (a[0].y - o.y) * 12 + (a[0].m - o.m);
      case 'issameday':
        return a[0] !== null && a[0].iso() === o.iso();
      case 'format':
        return `${o.m}/${o.d}/${o.y}`;
      case 'tostartofmonth':
        return new ADate(o.y, o.m, 1);
      case 'tostartofweek': {
        const dow = new Date(Date.UTC(o.y, o.m - 1, o.d)).getUTCDay(); // en_US weeks start on Sunday
        return ADate.fromEpochDay(o.toEpochDay() - dow);
      }
      case 'equals':
        return a[0] instanceof ADate && a[0].iso() === o.iso();
      case 'hashcode':
        return o.toEpochDay();
      case 'tostring':
        return o.iso();
    }
  }
  if (o instanceof ADatetime) {
    const L = () => lx(I, o.ms);
    const G = () => DateTime.fromMillis(o.ms, { zone: 'UTC' });
    switch (n) {
      case 'adddays':
        return new ADatetime(
          L()
            .plus({ days: Number(a[0]) })
            .toMillis()
        );
      case 'addmonths':
        return new ADatetime(
          L()
            .plus({ months: Number(a[0]) })
            .toMillis()
        );
      case 'addyears':
        return new ADatetime(
          L()
            .plus({ years: Number(a[0]) })
            .toMillis()
        );
      case 'addhours':
        return new ADatetime(o.ms + Number(a[0]) * 3600000);
      case 'addminutes':
        return new ADatetime(o.ms + Number(a[0]) * 60000);
      case 'addseconds':
        return new ADatetime(o.ms + Number(a[0]) * 1000);
      case 'date': {
        const d = L();
        return new ADate(d.year, d.month, d.day);
      }
      case 'dategmt': {
        const d = G();
        return new ADate(d.year, d.month, d.day);
      }
      case 'time': {
        const d = L();
        return new ATime(((d.hour * 60 + d.minute) * 60 + d.second) * 1000 + d.millisecond);
      }
      case 'timegmt':
        return new ATime(((o.ms % 86400000) + 86400000) % 86400000);
      case 'day':
        return L().day;
      case 'daygmt':
        return G().day;
      case 'month':
        return L().month;
      case 'monthgmt':
        return G().month;
      case 'year':
        return L().year;
      case 'yeargmt':
        return G().year;
      case 'hour':
        return L().hour;
      case 'hourgmt':
        return G().hour;
      case 'minute':
        return L().minute;
      case 'minutegmt':
        return G().minute;
      case 'second':
        return L().second;
      case 'secondgmt':
        return G().second;
      case 'millisecond':
        return L().millisecond;
      case 'millisecondgmt':
        return G().millisecond;
      case 'dayofyear':
        return L().ordinal;
      case 'dayofyeargmt':
        return G().ordinal;
      case 'gettime':
        return BigInt(o.ms);
      case 'format':
        if (a.length === 0) return fmtPattern(I, o.ms, 'M/d/yyyy, h:mm a');
        if (a[0] === null) throw I.npe();
        return fmtPattern(I, o.ms, a[0], a.length > 1 ? tzArg(I, a[1]) : null);
      case 'formatgmt':
        return fmtPattern(I, o.ms, a[0], 'UTC');
      case 'formatlong':
        return fmtPattern(I, o.ms, 'M/d/yyyy, h:mm:ss a z');
      case 'issameday':
        return a[0] !== null && L().hasSame(lx(I, a[0].ms), 'day');
      case 'equals':
        return a[0] instanceof ADatetime && a[0].ms === o.ms;
      case 'hashcode':
        return Number(BigInt.asIntN(32, BigInt(o.ms)));
      case 'tostring':
        return gmtStamp(o.ms);
    }
  }
  if (o instanceof ATime) {
    const day = 86400000;
    const add = (ms: number) => new ATime((((o.ms + ms) % day) + day) % day);
    switch (n) {
      case 'hour':
        return Math.floor(o.ms / 3600000);
      case 'minute':
        return Math.floor(o.ms / 60000) % 60;
      case 'second':
        return Math.floor(o.ms / 1000) % 60;
      case 'millisecond':
        return o.ms % 1000;
      case 'addhours':
        return add(a[0] * 3600000);
      case 'addminutes':
        return add(a[0] * 60000);
      case 'addseconds':
        return add(a[0] * 1000);
      case 'addmilliseconds':
        return add(a[0]);
      case 'equals':
        return a[0] instanceof ATime && a[0].ms === o.ms;
    }
  }
  throw I.unsupported(`${o.constructor.name.replace(/^A/, '')} method ${n}`);
}

function tzArg(I: Interp, v: any): string {
  if (v instanceof NativeObj) return v.p.id;
  if (!isZone(v)) return 'UTC'; // Salesforce falls back to GMT for unknown ids
  return v;
}

function parseLocalStamp(I: Interp, s: string, tz: string | null): number {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?/.exec(s.trim());
  if (!m) throw I.ex('TypeException', `Invalid date/time: ${s}`);
  return localMs(
    I,
    +m[1],
    +m[2],
    +m[3],
    +(m[4] ?? 0),
    +(m[5] ?? 0),
    +(m[6] ?? 0),
    0,
    tz ?? undefined
  );
}

export function dateStatic(I: Interp, t: string, n: string, a: any[]): any {
  if (t === 'date') {
    switch (n) {
      case 'today':
        return today(I);
      case 'newinstance':
        for (const x of a) if (x === null) throw I.npe();
        return ADate.fromEpochDay(Math.floor(Date.UTC(a[0], a[1] - 1, a[2]) / 86400000));
      case 'valueof': {
        const v = a[0];
        if (v === null) return null;
        if (v instanceof ADatetime) {
          const d = lx(I, v.ms);
          return new ADate(d.year, d.month, d.day);
        }
        if (v instanceof ADate) return v;
        const m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$/.exec(String(v).trim());
        if (!m) throw I.ex('TypeException', `Invalid date: ${v}`);
        return new ADate(+m[1], +m[2], +m[3]);
      }
      case 'parse': {
        const m = /^(\d{1,2})\/(\d{1,2})\/(\d{2,4})$/.exec(String(a[0]).trim());
        if (!m) throw I.ex('TypeException', `Invalid date: ${a[0]}`);
        return new ADate(+m[3] < 100 ? 2000 + +m[3] : +m[3], +m[1], +m[2]);
      }
      case 'isleapyear':
        return isLeap(a[0]);
      case 'daysinmonth':
        return daysInMonth(a[0], a[1]);
    }
  }
  if (t === 'datetime') {
    switch (n) {
      case 'now':
        return new ADatetime(nowMs(I));
      case 'newinstance':
        if (a.length === 1) return new ADatetime(Number(toLong(a[0])));
        if (a.length === 2) {
          const d: ADate = a[0];
          const tm: ATime = a[1];
          return new ADatetime(localMs(I, d.y, d.m, d.d, 0, 0, 0, tm.ms));
        }
        for (const x of a) if (x === null) throw I.npe();
        return new ADatetime(localMs(I, a[0], a[1], a[2], a[3] ?? 0, a[4] ?? 0, a[5] ?? 0));
      case 'newinstancegmt':
        if (a.length === 2) {
          const d: ADate = a[0];
          return new ADatetime(Date.UTC(d.y, d.m - 1, d.d) + a[1].ms);
        }
        for (const x of a) if (x === null) throw I.npe();
        return new ADatetime(Date.UTC(a[0], a[1] - 1, a[2], a[3] ?? 0, a[4] ?? 0, a[5] ?? 0));
      case 'valueof':
        if (a[0] === null) return null;
        if (a[0] instanceof ADatetime) return a[0];
        return new ADatetime(parseLocalStamp(I, a[0], null));
      case 'valueofgmt':
        if (a[0] === null) return null;
        return new ADatetime(parseLocalStamp(I, a[0], 'UTC'));
      case 'parse':
        throw I.unsupported('Datetime.parse (locale-dependent)');
    }
  }
  if (t === 'time') {
    if (n === 'newinstance') return new ATime(((a[0] * 60 + a[1]) * 60 + a[2]) * 1000 + a[3]);
  }
  if (t === 'timezone') {
    if (n === 'gettimezone') {
      const id = a[0] === null ? null : String(a[0]);
      if (id === null) return null;
      const valid = isZone(id);
      const canon = valid ? id : 'GMT';
      return new NativeObj('TimeZone', { id: canon, __str: canon });
    }
  }
  throw I.unsupported(`${t}.${n}`);
}

export function timeZoneMethod(I: Interp, o: NativeObj, n: string, a: any[]): any {
  const id = o.p.id;
  const zone = id === 'GMT' ? 'UTC' : id;
  switch (n) {
    case 'getid':
      return id;
    case 'getoffset': {
      const ms = a[0] === null ? nowMs(I) : a[0].ms;
      return DateTime.fromMillis(ms, { zone }).offset * 60000;
    }
    case 'getdisplayname': {
      const jan = DateTime.fromObject({ year: 2026, month: 1, day: 15 }, { zone });
      const jul = DateTime.fromObject({ year: 2026, month: 7, day: 15 }, { zone });
      const std = jan.offset <= jul.offset ? jan : jul;
      return std.offsetNameLong ?? id;
    }
    case 'tostring':
      return id;
  }
  throw I.unsupported(`TimeZone.${n}`);
}

export { toLong };
