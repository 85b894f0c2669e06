/**
 * Salesforce formula language (subset) for validation rules and formula fields: literals, field
 * references with relationship paths, $User / $Profile, operators, and the common functions.
 * Anything else throws `unsupported in local-org: formula …` — never a silent guess.
 */
import { DateTime } from 'luxon';
import { QueryError, UnsupportedError } from './errors.js';
import { roundToScale } from './values.js';

type Node =
  | { k: 'num'; v: number }
  | { k: 'str'; v: string }
  | { k: 'bool'; v: boolean }
  | { k: 'null' }
  | { k: 'ref'; path: string }
  | { k: 'call'; name: string; args: Node[] }
  | { k: 'un'; op: string; e: Node }
  | { k: 'bin'; op: string; l: Node; r: Node };

type Tok = { t: 'num' | 'str' | 'id' | 'op' | '(' | ')' | ',' | 'eof'; v: string };

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2);
      i = end < 0 ? src.length : end + 2;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = /^[0-9]*\.?[0-9]+/.exec(src.slice(i))!;
      out.push({ t: 'num', v: m[0] });
      i += m[0].length;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      let s = '';
      while (j < src.length && src[j] !== c) {
        if (src[j] === '\\' && j + 1 < src.length) {
          const n = src[j + 1]!;
          s += n === 'n' ? '\n' : n === 't' ? '\t' : n;
          j += 2;
        } else s += src[j++];
      }
      out.push({ t: 'str', v: s });
      i = j + 1;
      continue;
    }
    if (/[A-Za-z_$]/.test(c)) {
      const m = /^[A-Za-z_$][A-Za-z0-9_$.]*/.exec(src.slice(i))!;
      out.push({ t: 'id', v: m[0] });
      i += m[0].length;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (['==', '!=', '<>', '<=', '>=', '&&', '||'].includes(two)) {
      out.push({ t: 'op', v: two });
      i += 2;
      continue;
    }
    if ('+-*/^&=<>!'.includes(c)) {
      out.push({ t: 'op', v: c });
      i++;
      continue;
    }
    if (c === '(' || c === ')' || c === ',') {
      out.push({ t: c, v: c });
      i++;
      continue;
    }
    throw new UnsupportedError(`formula syntax at '${src.slice(i, i + 10)}'`);
  }
  out.push({ t: 'eof', v: '' });
  return out;
}

const BIN_PREC: Record<string, number> = {
  '||': 1,
  '&&': 2,
  '=': 3,
  '==': 3,
  '!=': 3,
  '<>': 3,
  '<': 4,
  '>': 4,
  '<=': 4,
  '>=': 4,
  '+': 5,
  '-': 5,
  '&': 5,
  '*': 6,
  '/': 6,
  '^': 7
};

const CACHE = new Map<string, Node>();

export function parseFormula(src: string): Node {
  const hit = CACHE.get(src);
  if (hit) return hit;
  const toks = tokenize(src);
  let i = 0;
  const peek = () => toks[i]!;
  const expect = (t: Tok['t']) => {
    if (peek().t !== t)
      throw new UnsupportedError(`formula syntax: expected ${t} near '${peek().v}'`);
    return toks[i++]!;
  };
  const primary = (): Node => {
    const tk = toks[i++]!;
    switch (tk.t) {
      case 'num':
        return { k: 'num', v: Number(tk.v) };
      case 'str':
        return { k: 'str', v: tk.v };
      case '(': {
        const e = expr(0);
        expect(')');
        return e;
      }
      case 'op':
        if (tk.v === '-' || tk.v === '!' || tk.v === '+') return { k: 'un', op: tk.v, e: expr(8) };
        break;
      case 'id': {
        const u = tk.v.toUpperCase();
        if (peek().t === '(') {
          i++;
          const args: Node[] = [];
          if (peek().t !== ')') {
            args.push(expr(0));
            while (peek().t === ',') {
              i++;
              args.push(expr(0));
            }
          }
          expect(')');
          return { k: 'call', name: u, args };
        }
        if (u === 'TRUE' || u === 'FALSE') return { k: 'bool', v: u === 'TRUE' };
        if (u === 'NULL') return { k: 'null' };
        return { k: 'ref', path: tk.v };
      }
    }
    throw new UnsupportedError(`formula syntax near '${tk.v}'`);
  };
  const expr = (min: number): Node => {
    let left = primary();
    for (;;) {
      const tk = peek();
      if (tk.t !== 'op') break;
      const prec = BIN_PREC[tk.v];
      if (prec === undefined || prec < min) break;
      i++;
      // '^' is right-associative; the others associate to the left.
      const right = expr(tk.v === '^' ? prec : prec + 1);
      left = { k: 'bin', op: tk.v, l: left, r: right };
    }
    return left;
  };
  const node = expr(0);
  if (peek().t !== 'eof') throw new UnsupportedError(`formula syntax near '${peek().v}'`);
  CACHE.set(src, node);
  return node;
}

/** What a formula can see while it is evaluated. */
export interface FormulaContext {
  /** Value of a field reference (`Amount__c`, `Account.Name`, `$User.Id`); undefined = unknown. */
  get(path: string): unknown;
  /** Validation rules: the record before the change (null on insert). */
  prior?: (field: string) => unknown;
  isNew?: boolean;
  /** Field type of a reference, to interpret its value (date / datetime / number / text). */
  typeOf?(path: string): string | undefined;
  now: Date;
  zone: string;
  /** BlankAsZero: blank numbers count as 0. */
  blankAsZero?: boolean;
}

type V = unknown;

const isBlank = (v: V) => v === null || v === undefined || v === '';
const num = (v: V, ctx: FormulaContext): number | null => {
  if (isBlank(v)) return ctx.blankAsZero ? 0 : null;
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  const n = Number(v);
  if (Number.isNaN(n)) throw new UnsupportedError(`formula: '${String(v)}' is not a number`);
  return n;
};
const str = (v: V): string => (isBlank(v) ? '' : typeof v === 'number' ? String(v) : String(v));
const isDate = (v: V) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v);
const isDateTime = (v: V) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v);

function addDays(date: string, days: number): string {
  return DateTime.fromISO(date, { zone: 'utc' })
    .plus({ days: Math.trunc(days) })
    .toISODate()!;
}

function equal(a: V, b: V): boolean | null {
  if (isBlank(a) && isBlank(b)) return true;
  if (isBlank(a) || isBlank(b)) return false;
  if (typeof a === 'number' || typeof b === 'number') return Number(a) === Number(b);
  if (typeof a === 'boolean' || typeof b === 'boolean') return a === b;
  if (isDateTime(a) && isDateTime(b)) return Date.parse(a as string) === Date.parse(b as string);
  return String(a) === String(b);
}

function compare(a: V, b: V): number | null {
  if (isBlank(a) || isBlank(b)) return null;
  if (typeof a === 'number' || typeof b === 'number') return Number(a) - Number(b);
  if (isDateTime(a) && isDateTime(b)) return Date.parse(a as string) - Date.parse(b as string);
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function evaluate(node: Node, ctx: FormulaContext): V {
  const ev = (n: Node) => evaluate(n, ctx);
  switch (node.k) {
    case 'num':
      return node.v;
    case 'str':
      return node.v;
    case 'bool':
      return node.v;
    case 'null':
      return null;
    case 'ref': {
      const v = ctx.get(node.path);
      if (v === undefined)
        throw new QueryError(`Field ${node.path} does not exist. Check spelling.`);
      return v;
    }
    case 'un': {
      const v = ev(node.e);
      if (node.op === '!') return v === null ? null : !v;
      const n = num(v, ctx);
      return n === null ? null : node.op === '-' ? -n : n;
    }
    case 'bin':
      return binary(node.op, ev(node.l), ev(node.r), ctx);
    case 'call':
      return call(node.name, node.args, ctx);
  }
}

function binary(op: string, a: V, b: V, ctx: FormulaContext): V {
  switch (op) {
    case '&&':
      return a === true && b === true;
    case '||':
      return a === true || b === true;
    case '=':
    case '==':
      return equal(a, b);
    case '!=':
    case '<>': {
      const e = equal(a, b);
      return e === null ? null : !e;
    }
    case '<':
    case '>':
    case '<=':
    case '>=': {
      const d = compare(a, b);
      if (d === null) return false;
      return op === '<' ? d < 0 : op === '>' ? d > 0 : op === '<=' ? d <= 0 : d >= 0;
    }
    case '&':
      return str(a) + str(b);
    case '+':
      if (typeof a === 'string' && !isDate(a) && !isDateTime(a)) return str(a) + str(b);
      if (isDate(a)) return b == null ? null : addDays(a as string, num(b, ctx)!);
      if (isDateTime(a))
        return b == null
          ? null
          : new Date(Date.parse(a as string) + num(b, ctx)! * 86400000).toISOString();
      return arith(a, b, ctx, (x, y) => x + y);
    case '-':
      if (isDate(a) && isDate(b))
        return (Date.parse(a as string) - Date.parse(b as string)) / 86400000;
      if (isDateTime(a) && isDateTime(b))
        return (Date.parse(a as string) - Date.parse(b as string)) / 86400000;
      if (isDate(a)) return b == null ? null : addDays(a as string, -num(b, ctx)!);
      if (isDateTime(a))
        return b == null
          ? null
          : new Date(Date.parse(a as string) - num(b, ctx)! * 86400000).toISOString();
      return arith(a, b, ctx, (x, y) => x - y);
    case '*':
      return arith(a, b, ctx, (x, y) => x * y);
    case '/':
      return arith(a, b, ctx, (x, y) => {
        if (y === 0) throw new UnsupportedError('formula division by zero (#Error!)');
        return x / y;
      });
    case '^':
      return arith(a, b, ctx, (x, y) => x ** y);
  }
  throw new UnsupportedError(`formula operator ${op}`);
}

function arith(a: V, b: V, ctx: FormulaContext, f: (x: number, y: number) => number): V {
  const x = num(a, ctx);
  const y = num(b, ctx);
  return x === null || y === null ? null : f(x, y);
}

function call(name: string, args: Node[], ctx: FormulaContext): V {
  const ev = (i: number) => evaluate(args[i]!, ctx);
  const need = (n: number) => {
    if (args.length < n)
      throw new UnsupportedError(`formula function ${name} with ${args.length} arguments`);
  };
  switch (name) {
    case 'IF':
      need(3);
      return ev(0) === true ? ev(1) : ev(2);
    case 'AND':
      return args.every((_, i) => ev(i) === true);
    case 'OR':
      return args.some((_, i) => ev(i) === true);
    case 'NOT': {
      const v = ev(0);
      return v === null ? null : !v;
    }
    case 'CASE': {
      need(2);
      const v = ev(0);
      for (let i = 1; i + 1 < args.length; i += 2) if (equal(v, ev(i)) === true) return ev(i + 1);
      return args.length % 2 === 0 ? ev(args.length - 1) : null;
    }
    case 'ISBLANK':
    case 'ISNULL':
      return isBlank(ev(0));
    case 'BLANKVALUE':
    case 'NULLVALUE': {
      const v = ev(0);
      return isBlank(v) ? ev(1) : v;
    }
    case 'ISPICKVAL':
      return str(ev(0)) === str(ev(1));
    case 'TEXT': {
      const v = ev(0);
      if (typeof v === 'number') return String(v);
      if (typeof v === 'boolean') return v ? 'true' : 'false';
      if (isDateTime(v)) return (v as string).replace(/\.\d{3}Z$/, 'Z').replace('T', ' ');
      return str(v);
    }
    case 'VALUE': {
      const v = ev(0);
      return isBlank(v) ? null : num(String(v).trim(), ctx);
    }
    case 'LEN':
      return str(ev(0)).length;
    case 'LEFT':
      return str(ev(0)).slice(0, Math.max(0, num(ev(1), ctx) ?? 0));
    case 'RIGHT': {
      const s = str(ev(0));
      const n = Math.max(0, num(ev(1), ctx) ?? 0);
      return n === 0 ? '' : s.slice(-n);
    }
    case 'MID':
      return str(ev(0)).substr(
        Math.max(0, (num(ev(1), ctx) ?? 1) - 1),
        Math.max(0, num(ev(2), ctx) ?? 0)
      );
    case 'UPPER':
      return str(ev(0)).toUpperCase();
    case 'LOWER':
      return str(ev(0)).toLowerCase();
    case 'TRIM':
      return str(ev(0)).trim();
    case 'CONTAINS':
      return str(ev(0)).includes(str(ev(1)));
    case 'BEGINS':
      return str(ev(0)).startsWith(str(ev(1)));
    case 'FIND': {
      const at = str(ev(1)).indexOf(
        str(ev(0)),
        Math.max(0, (args.length > 2 ? (num(ev(2), ctx) ?? 1) : 1) - 1)
      );
      return at + 1;
    }
    case 'SUBSTITUTE':
      return str(ev(0))
        .split(str(ev(1)))
        .join(str(ev(2)));
    case 'REGEX':
      return new RegExp(`^(?:${str(ev(1))})$`, 's').test(str(ev(0)));
    case 'INCLUDES':
      return str(ev(0))
        .split(';')
        .includes(str(ev(1)));
    case 'ROUND': {
      const n = num(ev(0), ctx);
      return n === null ? null : roundToScale(n, num(ev(1), ctx) ?? 0);
    }
    case 'ABS': {
      const n = num(ev(0), ctx);
      return n === null ? null : Math.abs(n);
    }
    case 'FLOOR': {
      const n = num(ev(0), ctx);
      return n === null ? null : Math.floor(n);
    }
    case 'CEILING': {
      const n = num(ev(0), ctx);
      return n === null ? null : Math.ceil(n);
    }
    case 'MOD': {
      const x = num(ev(0), ctx);
      const y = num(ev(1), ctx);
      return x === null || y === null ? null : x % y;
    }
    case 'MAX':
    case 'MIN': {
      const ns = args.map((_, i) => num(ev(i), ctx));
      if (ns.some((n) => n === null)) return null;
      return name === 'MAX' ? Math.max(...(ns as number[])) : Math.min(...(ns as number[]));
    }
    case 'TODAY':
      return DateTime.fromJSDate(ctx.now, { zone: ctx.zone }).toISODate();
    case 'NOW':
      return ctx.now.toISOString();
    case 'DATE': {
      const [y, m, d] = [num(ev(0), ctx), num(ev(1), ctx), num(ev(2), ctx)];
      if (y === null || m === null || d === null) return null;
      const dt = DateTime.utc(y, m, d);
      if (!dt.isValid) throw new UnsupportedError('formula DATE() with an invalid date (#Error!)');
      return dt.toISODate();
    }
    case 'DATEVALUE': {
      const v = ev(0);
      if (isBlank(v)) return null;
      if (isDateTime(v)) return DateTime.fromISO(v as string, { zone: 'utc' }).toISODate();
      return String(v).slice(0, 10);
    }
    case 'YEAR':
    case 'MONTH':
    case 'DAY': {
      const v = ev(0);
      if (isBlank(v)) return null;
      const d = DateTime.fromISO(String(v).slice(0, 10), { zone: 'utc' });
      return name === 'YEAR' ? d.year : name === 'MONTH' ? d.month : d.day;
    }
    case 'ISNEW':
      if (ctx.isNew === undefined)
        throw new UnsupportedError('formula ISNEW() outside a validation rule');
      return ctx.isNew;
    case 'ISCHANGED': {
      if (!ctx.prior) throw new UnsupportedError('formula ISCHANGED() outside a validation rule');
      const ref = args[0];
      if (!ref || ref.k !== 'ref')
        throw new UnsupportedError('formula ISCHANGED() of an expression');
      if (ctx.isNew) return false;
      return equal(ctx.get(ref.path), ctx.prior(ref.path)) !== true;
    }
    case 'PRIORVALUE': {
      if (!ctx.prior) throw new UnsupportedError('formula PRIORVALUE() outside a validation rule');
      const ref = args[0];
      if (!ref || ref.k !== 'ref')
        throw new UnsupportedError('formula PRIORVALUE() of an expression');
      return ctx.isNew ? null : ctx.prior(ref.path);
    }
    default:
      throw new UnsupportedError(`formula function ${name}()`);
  }
}
