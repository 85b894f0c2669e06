/**
 * The item rules of POST /coconut/v1/appointments, checked on the simulator's side: every
 * generated snapshot must pass, every `--include-bad` item must fail with its expected code.
 * Mirrors the documented contract (docs/api/, CoconutAppointmentParser): required fields, types,
 * lengths, enums, time formats and IANA zones.
 */
import { IANAZone } from 'luxon';
import type { ApiError } from './types.ts';
import { localToUtcMillis, parseInstant } from './time.ts';

const DIGITS = /^[0-9]{1,20}$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const LOCAL_OR_ISO =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;
const KNOWN_STATUS =
  /^(confirmed|booked|arrived|checked[\s_-]?in|in[\s_-]?progress|served|completed|cancell?ed|no[\s_-]?show)$/i;

type Obj = Record<string, unknown>;

class Checker {
  readonly errors: ApiError[] = [];

  fail(code: string, field: string, message: string): void {
    this.errors.push({ code, field, message });
  }

  string(o: Obj, key: string, path: string, max: number, required: boolean): string | null {
    const v = o[key];
    if (v === null || v === undefined || (typeof v === 'string' && v.trim() === '')) {
      if (required) this.fail('REQUIRED_FIELD_MISSING', `${path}.${key}`, `${key} is required.`);
      return null;
    }
    if (typeof v !== 'string') {
      this.fail('INVALID_TYPE', `${path}.${key}`, `${key} must be a string.`);
      return null;
    }
    if (v.trim().length > max) {
      this.fail('STRING_TOO_LONG', `${path}.${key}`, `${key} is longer than ${max} characters.`);
      return null;
    }
    return v.trim();
  }

  id(o: Obj, key: string, path: string, required: boolean): string | null {
    const v = o[key];
    if (v === null || v === undefined) {
      if (required) this.fail('REQUIRED_FIELD_MISSING', `${path}.${key}`, `${key} is required.`);
      return null;
    }
    const text =
      typeof v === 'number' && Number.isSafeInteger(v)
        ? String(v)
        : typeof v === 'string'
          ? v.trim()
          : '';
    if (!DIGITS.test(text)) {
      this.fail(
        'INVALID_TYPE',
        `${path}.${key}`,
        `${key} must be a positive whole number of at most 20 digits.`
      );
      return null;
    }
    return text;
  }

  email(o: Obj, key: string, path: string): void {
    const v = this.string(o, key, path, 80, false);
    if (v !== null && !EMAIL.test(v))
      this.fail('INVALID_FORMAT', `${path}.${key}`, `${key} is not a valid email address.`);
  }

  bool(o: Obj, key: string, path: string): void {
    const v = o[key];
    if (v !== null && v !== undefined && typeof v !== 'boolean')
      this.fail('INVALID_TYPE', `${path}.${key}`, `${key} must be true or false.`);
  }

  object(o: Obj, key: string, path: string): Obj | null {
    const v = o[key];
    if (v === null || v === undefined) return null;
    if (typeof v !== 'object' || Array.isArray(v)) {
      this.fail('INVALID_TYPE', `${path}.${key}`, `${key} must be an object.`);
      return null;
    }
    return v as Obj;
  }

  list(o: Obj, key: string, path: string): unknown[] | null {
    const v = o[key];
    if (v === null || v === undefined) return null;
    if (!Array.isArray(v)) {
      this.fail('INVALID_TYPE', `${path}.${key}`, `${key} must be an array.`);
      return null;
    }
    return v;
  }

  enumNumber(o: Obj, key: string, path: string, allowed: number[], openEnded: boolean): void {
    const v = o[key];
    if (v === null || v === undefined) return;
    if (typeof v !== 'number' || !Number.isInteger(v)) {
      this.fail('INVALID_TYPE', `${path}.${key}`, `${key} must be a whole number.`);
      return;
    }
    if (!allowed.includes(v) && !(openEnded && v >= 0)) {
      this.fail(
        'INVALID_ENUM',
        `${path}.${key}`,
        `${key} ${v} is not one of ${allowed.join(', ')}.`
      );
    }
  }
}

export interface ValidateOptions {
  /** Also require a status the package knows (the simulator never sends unknown ones). */
  knownStatusOnly?: boolean;
}

/** Problems with one item (empty when valid). */
export function validateItem(item: unknown, index = 0, options: ValidateOptions = {}): ApiError[] {
  const c = new Checker();
  const path = `appointments[${index}]`;
  if (item === null || typeof item !== 'object' || Array.isArray(item)) {
    c.fail('INVALID_TYPE', path, 'Each appointment must be an object.');
    return c.errors;
  }
  const m = item as Obj;
  c.id(m, 'id', path, true);
  c.string(m, 'code', path, 16, false);
  const status = c.string(m, 'status', path, 40, true);
  if (status !== null && options.knownStatusOnly && !KNOWN_STATUS.test(status)) {
    c.fail('UNKNOWN_STATUS', `${path}.status`, `status "${status}" is not one the package maps.`);
  }
  const zone = c.string(m, 'timezone', path, 64, false);
  let zoneOk = true;
  if (zone !== null && !IANAZone.isValidZone(zone)) {
    zoneOk = false;
    c.fail(
      'INVALID_TIMEZONE',
      `${path}.timezone`,
      'Unknown time zone; use an IANA id such as America/Toronto.'
    );
  }
  const when = (key: string, required: boolean): number | null => {
    const text = c.string(m, key, path, 40, required);
    if (text === null) return null;
    const parts = LOCAL_OR_ISO.exec(text);
    if (!parts) {
      c.fail(
        'INVALID_DATETIME',
        `${path}.${key}`,
        `${key} must be YYYY-MM-DD HH:MM:SS or ISO-8601.`
      );
      return null;
    }
    if (!parts[8] && (zone === null || !zoneOk)) {
      if (zone === null)
        c.fail('INVALID_TIMEZONE', `${path}.timezone`, 'timezone is required for local times.');
      return null;
    }
    return localToUtcMillis(text, zone ?? 'UTC');
  };
  const start = when('start', true);
  const end = when('end', false);
  if (start !== null && end !== null && end < start)
    c.fail('INVALID_DATETIME', `${path}.end`, 'end is before start.');
  c.enumNumber(m, 'meeting_method', path, [1, 2, 3, 4], false);
  c.enumNumber(m, 'booked_through', path, [0, 1, 2, 3, 4, 9], true);
  const link = c.string(m, 'meeting_link', path, 255, false);
  if (link !== null && !/^https?:\/\//i.test(link))
    c.fail('INVALID_FORMAT', `${path}.meeting_link`, 'meeting_link must be an http(s) URL.');
  c.bool(m, 'walk_in', path);
  c.string(m, 'locale', path, 10, false);
  c.string(m, 'notes', path, 32768, false);
  c.string(m, 'cancel_reason', path, 255, false);
  for (const [key, required] of [
    ['created_at', false],
    ['updated_at', true]
  ] as const) {
    const text = c.string(m, key, path, 40, required);
    if (text !== null && Number.isNaN(parseInstant(text)))
      c.fail(
        'INVALID_DATETIME',
        `${path}.${key}`,
        `${key} must be an ISO-8601 instant with Z or an offset.`
      );
  }
  const location = c.object(m, 'location', path);
  if (location) {
    const lp = `${path}.location`;
    c.id(location, 'id', lp, false);
    for (const key of ['name', 'address', 'city', 'region', 'postcode', 'country'])
      c.string(location, key, lp, 255, false);
    c.string(location, 'timezone', lp, 64, false);
    c.bool(location, 'virtual', lp);
  }
  (c.list(m, 'services', path) ?? []).forEach((s, i) => {
    const sp = `${path}.services[${i}]`;
    if (s === null || typeof s !== 'object')
      return c.fail('INVALID_TYPE', sp, 'Each service must be an object.');
    c.id(s as Obj, 'id', sp, false);
    c.string(s as Obj, 'name', sp, 255, false);
  });
  const staff = c.object(m, 'staff', path);
  if (staff) {
    c.id(staff, 'id', `${path}.staff`, false);
    c.string(staff, 'first_name', `${path}.staff`, 40, false);
    c.string(staff, 'last_name', `${path}.staff`, 80, false);
    c.email(staff, 'email', `${path}.staff`);
  }
  const attendees = c.list(m, 'attendees', path);
  if (m.attendees === undefined || m.attendees === null || (attendees && attendees.length === 0)) {
    c.fail('REQUIRED_FIELD_MISSING', `${path}.attendees`, 'At least one attendee is required.');
  }
  const seen = new Set<string>();
  (attendees ?? []).forEach((a, i) => {
    const ap = `${path}.attendees[${i}]`;
    if (a === null || typeof a !== 'object' || Array.isArray(a))
      return c.fail('INVALID_TYPE', ap, 'Each attendee must be an object.');
    const o = a as Obj;
    const aid = c.id(o, 'id', ap, true);
    if (aid !== null) {
      if (seen.has(aid)) c.fail('DUPLICATE_ATTENDEE', `${ap}.id`, `Attendee ${aid} appears twice.`);
      seen.add(aid);
    }
    const s = c.string(o, 'status', ap, 40, false);
    if (s !== null && options.knownStatusOnly && !KNOWN_STATUS.test(s))
      c.fail('UNKNOWN_STATUS', `${ap}.status`, `status "${s}" is not one the package maps.`);
    c.string(o, 'cancel_reason', ap, 255, false);
    c.string(o, 'external_id', ap, 255, false);
    c.id(o, 'client_id', ap, false);
    c.string(o, 'first_name', ap, 40, false);
    c.string(o, 'last_name', ap, 80, false);
    c.email(o, 'email', ap);
    c.string(o, 'phone', ap, 40, false);
    c.string(o, 'cell_phone', ap, 40, false);
    c.string(o, 'language', ap, 10, false);
    c.bool(o, 'receive_sms', ap);
    (c.list(o, 'answers', ap) ?? []).forEach((x, j) => {
      const xp = `${ap}.answers[${j}]`;
      if (x === null || typeof x !== 'object')
        return c.fail('INVALID_TYPE', xp, 'Each answer must be an object.');
      c.id(x as Obj, 'question_id', xp, true);
    });
  });
  return c.errors;
}
