/**
 * Time helpers shared by the generator and the reconciler. Local wall-clock times are converted
 * with the same rules the package documents (docs/api, CoconutTimeZones):
 * - a time in a spring-forward gap moves forward by the length of the gap
 *   (02:30 on 2026-03-08 in America/Toronto → 03:30 EDT = 07:30Z);
 * - a time in a fall-back overlap takes the earlier instant
 *   (01:30 on 2026-11-01 in America/Toronto → 01:30 EDT = 05:30Z).
 * Luxon on its own picks the later instant in an overlap, hence the explicit resolution here.
 */
import { DateTime, IANAZone } from 'luxon';

export const LOCAL_FORMAT = 'yyyy-MM-dd HH:mm:ss';
const LOCAL_PATTERN = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/;
const HOUR = 3_600_000;

/** UTC epoch milliseconds of a local wall-clock time (`YYYY-MM-DD HH:MM[:SS]`) in an IANA zone. */
export function localToUtcMillis(local: string, zoneName: string): number {
  const m = LOCAL_PATTERN.exec(local.trim());
  if (!m) {
    // ISO-8601 with an offset or Z: the zone is not needed.
    const ms = parseInstant(local);
    if (Number.isNaN(ms)) throw new RangeError(`not a date-time: ${local}`);
    return ms;
  }
  const zone = IANAZone.create(zoneName);
  if (!zone.isValid) throw new RangeError(`unknown time zone: ${zoneName}`);
  const wall = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, m[6] ? +m[6] : 0);
  // Offsets (minutes) in force a day either side cover any single transition.
  const before = zone.offset(wall - 24 * HOUR);
  const after = zone.offset(wall + 24 * HOUR);
  const candidates = [...new Set([before, after])]
    .map((offset) => wall - offset * 60_000)
    .filter((instant) => wall - zone.offset(instant) * 60_000 === instant)
    .sort((a, b) => a - b);
  if (candidates.length > 0) return candidates[0]!;
  // In a gap: keep the offset from before the transition (moves the time forward).
  return wall - before * 60_000;
}

/** ISO-8601 UTC (`2026-03-10T19:00:00.000Z`) of a local wall-clock time in a zone. */
export function localToUtcIso(local: string, zoneName: string): string {
  return new Date(localToUtcMillis(local, zoneName)).toISOString();
}

/**
 * Epoch milliseconds of an instant as Salesforce or Coconut write it: `2026-03-10T19:00:00Z`,
 * `…000+0000` (Salesforce REST), `…-05:00`. NaN when unreadable.
 */
export function parseInstant(text: string): number {
  const normalized = text.trim().replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i.test(normalized)) {
    return Number.NaN;
  }
  return Date.parse(normalized);
}

/** `2026-03-01T18:22:05Z` (seconds precision, as Coconut sends updated_at). */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** Local wall-clock text of an instant in a zone. */
export function formatLocal(ms: number, zoneName: string): string {
  return DateTime.fromMillis(ms, { zone: zoneName }).toFormat(LOCAL_FORMAT);
}

/**
 * Daylight-saving transitions (UTC ms) of a zone between two instants, found by scanning offsets
 * day by day (zones change at most a few times a year) and narrowing to the millisecond.
 */
export function transitionsBetween(zoneName: string, fromMs: number, toMs: number): number[] {
  const zone = IANAZone.create(zoneName);
  const found: number[] = [];
  const step = 24 * HOUR;
  let prev = zone.offset(fromMs);
  for (let t = fromMs + step; t <= toMs + step; t += step) {
    const off = zone.offset(t);
    if (off !== prev) {
      let lo = t - step;
      let hi = t;
      while (hi - lo > 1) {
        const mid = lo + Math.floor((hi - lo) / 2);
        if (zone.offset(mid) === prev) lo = mid;
        else hi = mid;
      }
      if (hi >= fromMs && hi <= toMs) found.push(hi);
      prev = off;
    }
  }
  return found;
}

/** UTC offset (minutes) of a zone at an instant. */
export function offsetMinutes(zoneName: string, ms: number): number {
  return IANAZone.create(zoneName).offset(ms);
}
