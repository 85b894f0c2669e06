/** SOQL date literals (TODAY, LAST_N_DAYS:n, THIS_WEEK, …) as ranges in a user's time zone. */
import { DateTime } from 'luxon';
import { QueryError } from './errors.js';

export interface DateRange {
  /** Inclusive start date (YYYY-MM-DD) and exclusive end date. */
  startDate: string;
  endDate: string;
  /** The same range as instants (ISO UTC) for DateTime fields. */
  startInstant: string;
  endInstant: string;
}

/**
 * Range of a date literal. Weeks start on Sunday (en_US locale); fiscal years are taken to
 * equal calendar years (the default fiscal year setting of a new org).
 */
export function dateLiteralRange(literal: string, now: Date, zone: string): DateRange {
  const m = /^([A-Z_0-9]+?)(?::(\d+))?$/i.exec(literal.trim());
  if (!m) throw new QueryError(`unexpected token: '${literal}'`);
  const name = m[1]!.toUpperCase();
  const n = m[2] !== undefined ? Number(m[2]) : undefined;
  const today = DateTime.fromJSDate(now, { zone }).startOf('day');
  const weekStart = (d: DateTime) => d.minus({ days: d.weekday % 7 }); // Sunday
  const quarterStart = (d: DateTime) =>
    d.set({ month: Math.floor((d.month - 1) / 3) * 3 + 1, day: 1 });
  let start: DateTime;
  let end: DateTime;
  const need = () => {
    if (n === undefined) throw new QueryError(`unexpected token: '${literal}'`);
    return n;
  };
  switch (name) {
    case 'YESTERDAY':
      start = today.minus({ days: 1 });
      end = today;
      break;
    case 'TODAY':
      start = today;
      end = today.plus({ days: 1 });
      break;
    case 'TOMORROW':
      start = today.plus({ days: 1 });
      end = today.plus({ days: 2 });
      break;
    case 'LAST_WEEK':
      start = weekStart(today).minus({ weeks: 1 });
      end = weekStart(today);
      break;
    case 'THIS_WEEK':
      start = weekStart(today);
      end = start.plus({ weeks: 1 });
      break;
    case 'NEXT_WEEK':
      start = weekStart(today).plus({ weeks: 1 });
      end = start.plus({ weeks: 1 });
      break;
    case 'LAST_MONTH':
      start = today.startOf('month').minus({ months: 1 });
      end = today.startOf('month');
      break;
    case 'THIS_MONTH':
      start = today.startOf('month');
      end = start.plus({ months: 1 });
      break;
    case 'NEXT_MONTH':
      start = today.startOf('month').plus({ months: 1 });
      end = start.plus({ months: 1 });
      break;
    case 'LAST_90_DAYS':
      start = today.minus({ days: 90 });
      end = today.plus({ days: 1 });
      break;
    case 'NEXT_90_DAYS':
      start = today.plus({ days: 1 });
      end = today.plus({ days: 91 });
      break;
    case 'THIS_QUARTER':
    case 'THIS_FISCAL_QUARTER':
      start = quarterStart(today);
      end = start.plus({ months: 3 });
      break;
    case 'LAST_QUARTER':
    case 'LAST_FISCAL_QUARTER':
      start = quarterStart(today).minus({ months: 3 });
      end = quarterStart(today);
      break;
    case 'NEXT_QUARTER':
    case 'NEXT_FISCAL_QUARTER':
      start = quarterStart(today).plus({ months: 3 });
      end = start.plus({ months: 3 });
      break;
    case 'THIS_YEAR':
    case 'THIS_FISCAL_YEAR':
      start = today.startOf('year');
      end = start.plus({ years: 1 });
      break;
    case 'LAST_YEAR':
    case 'LAST_FISCAL_YEAR':
      start = today.startOf('year').minus({ years: 1 });
      end = today.startOf('year');
      break;
    case 'NEXT_YEAR':
    case 'NEXT_FISCAL_YEAR':
      start = today.startOf('year').plus({ years: 1 });
      end = start.plus({ years: 1 });
      break;
    // LAST_N_DAYS:n covers today and the n-1 days before it... Salesforce: "starts 00:00:00 of the
    // current day and continues for the past n days" → includes today and n days back.
    case 'LAST_N_DAYS':
      start = today.minus({ days: need() });
      end = today.plus({ days: 1 });
      break;
    case 'NEXT_N_DAYS':
      start = today.plus({ days: 1 });
      end = today.plus({ days: need() + 1 });
      break;
    case 'N_DAYS_AGO':
      start = today.minus({ days: need() });
      end = start.plus({ days: 1 });
      break;
    case 'LAST_N_WEEKS':
      start = weekStart(today).minus({ weeks: need() });
      end = weekStart(today);
      break;
    case 'NEXT_N_WEEKS':
      start = weekStart(today).plus({ weeks: 1 });
      end = start.plus({ weeks: need() });
      break;
    case 'N_WEEKS_AGO':
      start = weekStart(today).minus({ weeks: need() });
      end = start.plus({ weeks: 1 });
      break;
    case 'LAST_N_MONTHS':
      start = today.startOf('month').minus({ months: need() });
      end = today.startOf('month');
      break;
    case 'NEXT_N_MONTHS':
      start = today.startOf('month').plus({ months: 1 });
      end = start.plus({ months: need() });
      break;
    case 'N_MONTHS_AGO':
      start = today.startOf('month').minus({ months: need() });
      end = start.plus({ months: 1 });
      break;
    case 'LAST_N_QUARTERS':
    case 'LAST_N_FISCAL_QUARTERS':
      start = quarterStart(today).minus({ months: 3 * need() });
      end = quarterStart(today);
      break;
    case 'NEXT_N_QUARTERS':
    case 'NEXT_N_FISCAL_QUARTERS':
      start = quarterStart(today).plus({ months: 3 });
      end = start.plus({ months: 3 * need() });
      break;
    case 'N_QUARTERS_AGO':
    case 'N_FISCAL_QUARTERS_AGO':
      start = quarterStart(today).minus({ months: 3 * need() });
      end = start.plus({ months: 3 });
      break;
    case 'LAST_N_YEARS':
    case 'LAST_N_FISCAL_YEARS':
      start = today.startOf('year').minus({ years: need() });
      end = today.startOf('year');
      break;
    case 'NEXT_N_YEARS':
    case 'NEXT_N_FISCAL_YEARS':
      start = today.startOf('year').plus({ years: 1 });
      end = start.plus({ years: need() });
      break;
    case 'N_YEARS_AGO':
    case 'N_FISCAL_YEARS_AGO':
      start = today.startOf('year').minus({ years: need() });
      end = start.plus({ years: 1 });
      break;
    default:
      throw new QueryError(`unexpected token: '${literal}'`);
  }
  return {
    startDate: start.toISODate()!,
    endDate: end.toISODate()!,
    startInstant: start
      .toUTC()
      .toISO()!
      .replace(/\+00:00$/, 'Z'),
    endInstant: end
      .toUTC()
      .toISO()!
      .replace(/\+00:00$/, 'Z')
  };
}

/** Date functions (CALENDAR_YEAR, DAY_ONLY, …) of a canonical Date/DateTime value, in `zone`. */
export function dateFunction(
  fn: string,
  value: string,
  isDateTime: boolean,
  zone: string
): number | string {
  const d = isDateTime
    ? DateTime.fromISO(value, { zone: 'utc' }).setZone(zone)
    : DateTime.fromISO(value, { zone: 'utc' });
  switch (fn.toUpperCase()) {
    case 'CALENDAR_YEAR':
    case 'FISCAL_YEAR':
      return d.year;
    case 'CALENDAR_MONTH':
    case 'FISCAL_MONTH':
      return d.month;
    case 'CALENDAR_QUARTER':
    case 'FISCAL_QUARTER':
      return Math.floor((d.month - 1) / 3) + 1;
    case 'DAY_IN_MONTH':
      return d.day;
    case 'DAY_IN_WEEK':
      return (d.weekday % 7) + 1; // 1 = Sunday
    case 'DAY_IN_YEAR':
      return d.ordinal;
    case 'WEEK_IN_YEAR':
      return Math.floor((d.ordinal - 1) / 7) + 1;
    case 'WEEK_IN_MONTH':
      return Math.floor((d.day - 1) / 7) + 1;
    case 'HOUR_IN_DAY':
      return d.hour;
    case 'DAY_ONLY':
      return d.toISODate()!;
    default:
      throw new QueryError(`unexpected token: '${fn}'`);
  }
}
