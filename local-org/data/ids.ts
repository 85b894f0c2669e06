/**
 * Salesforce record ids: 15-character case-sensitive ids and their 18-character
 * case-insensitive form (15 chars + a 3-char checksum suffix that encodes which
 * of the 15 characters are upper case).
 */

const SUFFIX_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const ID_CHARS = /^[a-zA-Z0-9]+$/;

/** The 3-character checksum suffix of a 15-character id. */
export function idSuffix(id15: string): string {
  let out = '';
  for (let block = 0; block < 3; block++) {
    let flags = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charCodeAt(block * 5 + i);
      if (c >= 65 && c <= 90) flags |= 1 << i;
    }
    out += SUFFIX_CHARS[flags];
  }
  return out;
}

/**
 * Normalises an id to its 18-character form. Returns null when `value` is not a
 * well-formed id (wrong length, bad characters, or an 18-char id whose suffix does
 * not match its first 15 characters once case is restored).
 */
export function to18(value: string): string | null {
  if (typeof value !== 'string' || !ID_CHARS.test(value)) return null;
  if (value.length === 15) return value + idSuffix(value);
  if (value.length !== 18) return null;
  // Fast path: an id already in canonical form (the common case for stored ids).
  if (idSuffix(value) === value.slice(15)) return value;
  // An 18-char id may arrive in any case: rebuild the case of the first 15 from the suffix.
  const suffix = value.slice(15).toUpperCase();
  let id15 = '';
  for (let block = 0; block < 3; block++) {
    const flags = SUFFIX_CHARS.indexOf(suffix[block]!);
    if (flags < 0) return null;
    for (let i = 0; i < 5; i++) {
      const ch = value[block * 5 + i]!;
      id15 += flags & (1 << i) ? ch.toUpperCase() : /[A-Z]/.test(ch) ? ch.toLowerCase() : ch;
    }
  }
  // Letters flagged upper must be letters; digits flagged upper would be invalid.
  for (let block = 0; block < 3; block++) {
    const flags = SUFFIX_CHARS.indexOf(suffix[block]!);
    for (let i = 0; i < 5; i++) {
      if (flags & (1 << i) && !/[A-Za-z]/.test(value[block * 5 + i]!)) return null;
    }
  }
  return id15 + suffix;
}

/** True when `value` is a syntactically valid 15- or 18-character id. */
export function isValidId(value: unknown): value is string {
  return typeof value === 'string' && to18(value) !== null;
}

/** Ids are equal when their 18-character forms are equal (15 vs 18 chars compare equal). */
export function idEquals(a: string | null | undefined, b: string | null | undefined): boolean {
  if (a == null || b == null) return false;
  const x = to18(a);
  const y = to18(b);
  return x !== null && x === y;
}

export function keyPrefixOf(id: string): string {
  return id.slice(0, 3);
}

/** Encodes n in base 62 left-padded to `width` characters. */
export function base62(n: number, width: number): string {
  let s = '';
  let v = Math.floor(n);
  do {
    s = BASE62[v % 62] + s;
    v = Math.floor(v / 62);
  } while (v > 0);
  if (s.length > width) throw new RangeError(`id counter overflow (${n})`);
  return s.padStart(width, '0');
}

/**
 * Builds an 18-char id: 3-char key prefix, 2-char pod "5g" (as a modern instance
 * would), 4 reserved zeros, a 6-char base-62 counter, then the checksum suffix.
 */
export function makeId(keyPrefix: string, counter: number): string {
  const id15 = keyPrefix + '5g' + '0000' + base62(counter, 6);
  return id15 + idSuffix(id15);
}

/** Deterministic 32-bit FNV-1a hash of a string (used to derive custom key prefixes). */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export { BASE62 };
