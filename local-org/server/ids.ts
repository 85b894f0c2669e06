// Salesforce-shaped identifiers for things the server itself mints (org id, users when the
// data layer does not, test runs, deploy ids, tokens).
import { randomBytes } from 'node:crypto';

const ALPHANUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const SUFFIX = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/** The 3-character case-safe suffix of an 18-character id. */
export function idSuffix(id15: string): string {
  let out = '';
  for (let block = 0; block < 3; block++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charAt(block * 5 + i);
      if (c >= 'A' && c <= 'Z') bits |= 1 << i;
    }
    out += SUFFIX.charAt(bits);
  }
  return out;
}

let counter = 0;

/** An 18-character id with the given 3-character key prefix (e.g. '00D', '707', '0Af'). */
export function newSfId(prefix: string): string {
  counter = (counter + 1) % 1_000_000;
  const time = Date.now().toString(36).toUpperCase().slice(-6).padStart(6, '0');
  const seq = counter.toString(36).toUpperCase().padStart(4, '0');
  const body = `${prefix}0${time}${seq}`.slice(0, 15).padEnd(15, '0');
  return body + idSuffix(body);
}

export function randomToken(length: number): string {
  const bytes = randomBytes(length);
  let s = '';
  for (let i = 0; i < length; i++) s += ALPHANUM.charAt(bytes[i]! % ALPHANUM.length);
  return s;
}

/** Salesforce access tokens look like `<15-char org id>!<opaque>`. */
export function newAccessToken(orgId: string): string {
  return `${orgId.slice(0, 15)}!${randomToken(96)}`;
}

export function to18(id: string): string {
  return id.length === 15 ? id + idSuffix(id) : id;
}

export function isSfId(value: string): boolean {
  return /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/.test(value);
}
