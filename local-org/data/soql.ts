/**
 * SOQL engine over the record store. Parsing by @jetstreamapp/soql-parser-js; the engine
 * resolves names against the schema (case-insensitive, canonical names in results) and
 * evaluates with SOQL semantics (see the header of each part).
 */
import { parseQuery, type Query } from '@jetstreamapp/soql-parser-js';
import { dateFunction, dateLiteralRange } from './dates.js';
import { evaluateFormulaField } from './formula-context.js';
import { QueryError, UnsupportedError } from './errors.js';
import { to18 } from './ids.js';
import type { Org } from './org.js';
import type { FieldDescribe, ObjectDescribe } from './schema-types.js';
import type { Rec } from './store.js';
import type { Ctx, QueryResult } from './types.js';
import { coerceValue, compareValues, NUMBER_TYPES, roundToScale, STRING_TYPES } from './values.js';

type FullCtx = Required<Pick<Ctx, 'userId' | 'mode'>> & Ctx;
type Row = Record<string, unknown>;

const NO_SUCH_COLUMN = (field: string, entity: string) =>
  `No such column '${field}' on entity '${entity}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`;
const BAD_RELATIONSHIP = (rel: string) =>
  `Didn't understand relationship '${rel}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`;
const BAD_CHILD_RELATIONSHIP = (rel: string) =>
  `Didn't understand relationship '${rel}' in FROM part of query call. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`;
const BAD_OBJECT = (name: string) =>
  `sObject type '${name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`;

/** Fields of the polymorphic "Name" entity reachable through Owner/Who/What. */
const NAME_ENTITY_FIELDS = [
  'Id',
  'Name',
  'Type',
  'FirstName',
  'LastName',
  'Email',
  'Phone',
  'Alias',
  'IsActive',
  'Title',
  'Username',
  'ProfileId',
  'UserRoleId',
  'RecordTypeId',
  'LastReferencedDate',
  'LastViewedDate',
  'NameOrAlias',
  'SmallPhotoUrl',
  'FirstName'
];

// ------------------------------------------------------------------ compiled paths

interface Step {
  field: FieldDescribe;
  /** Target when not polymorphic. */
  target: ObjectDescribe | null;
}

interface Path {
  raw: string;
  steps: Step[];
  /** Leaf field (null for a field of the polymorphic Name entity). */
  leaf: FieldDescribe | null;
  leafName: string;
  /** Object that holds the leaf (null when polymorphic). */
  leafObject: ObjectDescribe | null;
  /** Date function over a field (GROUP BY CALENDAR_YEAR(CreatedDate)…): computes the value. */
  compute?: (rec: Rec) => unknown;
}

const DATE_FUNCTIONS = new Set([
  'CALENDAR_YEAR',
  'CALENDAR_MONTH',
  'CALENDAR_QUARTER',
  'DAY_IN_MONTH',
  'DAY_IN_WEEK',
  'DAY_IN_YEAR',
  'DAY_ONLY',
  'FISCAL_MONTH',
  'FISCAL_QUARTER',
  'FISCAL_YEAR',
  'HOUR_IN_DAY',
  'WEEK_IN_MONTH',
  'WEEK_IN_YEAR'
]);

/** A date function of a field as a computed path (value in the running user's time zone). */
function dateFunctionPath(
  env: Env,
  obj: ObjectDescribe,
  fnName: string,
  param: string,
  aliases: string[]
): Path {
  const fn = fnName.toUpperCase();
  const inner = resolvePath(env, obj, param, aliases);
  const t = inner.leaf?.type;
  if (t !== 'date' && t !== 'datetime')
    throw new QueryError(`Invalid date function parameter: ${param}`);
  const resultType = fn === 'DAY_ONLY' ? 'date' : 'integer';
  return {
    raw: `${fn}(${param})`,
    steps: [],
    leaf: {
      ...inner.leaf!,
      name: `${fn}(${inner.leaf!.name})`,
      type: resultType,
      picklistValues: [],
      groupable: true
    },
    leafName: `${fn}(${param})`,
    leafObject: null,
    compute: (rec) => {
      const v = readPath(env, rec, inner);
      return v == null ? null : dateFunction(fn, String(v), t === 'datetime', env.zone);
    }
  };
}

interface Env {
  org: Org;
  ctx: FullCtx;
  binds: Record<string, unknown>;
  zone: string;
  now: Date;
  userMode: boolean;
  sharing: boolean;
  allRows: boolean;
  /** Fields referenced that the user cannot read (user mode), by object. */
  inaccessible: Map<string, Set<string>>;
  checkFls: boolean;
}

function resolvePath(env: Env, obj: ObjectDescribe, raw: string, aliases: string[] = []): Path {
  let parts = raw.split('.');
  if (parts.length > 1) {
    const first = parts[0]!.toLowerCase();
    const isRel = obj.fieldList.some((f) => f.relationshipName?.toLowerCase() === first);
    if (!isRel && (first === obj.name.toLowerCase() || aliases.includes(first)))
      parts = parts.slice(1);
  }
  const steps: Step[] = [];
  let cur: ObjectDescribe | null = obj;
  let polymorphic = false;
  for (const part of parts.slice(0, -1)) {
    if (polymorphic || !cur) throw new QueryError(BAD_RELATIONSHIP(part));
    const f: FieldDescribe | undefined = cur.fieldList.find(
      (x) => x.relationshipName?.toLowerCase() === part.toLowerCase()
    );
    if (!f) throw new QueryError(BAD_RELATIONSHIP(part));
    const targets: ObjectDescribe[] = f.referenceTo
      .map((t) => env.org.schema.findObject(t))
      .filter((t): t is ObjectDescribe => !!t);
    if (f.polymorphic || targets.length !== 1) {
      polymorphic = true;
      steps.push({ field: f, target: null });
      cur = null;
    } else {
      steps.push({ field: f, target: targets[0]! });
      cur = targets[0]!;
    }
    noteAccess(env, steps.length === 1 ? obj : steps[steps.length - 2]!.target!, f);
  }
  const leafName = parts[parts.length - 1]!;
  if (!cur) {
    const canon = NAME_ENTITY_FIELDS.find((n) => n.toLowerCase() === leafName.toLowerCase());
    if (!canon) throw new QueryError(NO_SUCH_COLUMN(leafName, 'Name'));
    return { raw, steps, leaf: null, leafName: canon, leafObject: null };
  }
  const leaf = cur.fields.get(leafName.toLowerCase());
  if (!leaf) throw new QueryError(NO_SUCH_COLUMN(leafName, cur.name));

  noteAccess(env, cur, leaf);
  return { raw, steps, leaf, leafName: leaf.name, leafObject: cur };
}

function noteAccess(env: Env, obj: ObjectDescribe, f: FieldDescribe): void {
  if (!env.checkFls) return;
  const fa = env.org.permissions.fieldAccess(env.ctx.userId, obj.name, f.name);
  if (!fa.readable) {
    const s = env.inaccessible.get(obj.name) ?? new Set<string>();
    s.add(f.name);
    env.inaccessible.set(obj.name, s);
  }
}

/** A stored field value, or a formula field computed for the record (as the running user). */
function leafValue(env: Env, rec: Rec, path: Path): unknown {
  const leaf = path.leaf!;
  if (leaf.calculatedFormula && !leaf.rollup) {
    const obj = path.leafObject ?? env.org.schema.objectForId(rec.Id as string);
    return obj ? evaluateFormulaField(env.org, obj, rec, leaf, env.ctx.userId) : null;
  }
  return rec[leaf.name] ?? null;
}

/** Reads a path from a base record; returns the leaf value (canonical) or null. */
function readPath(env: Env, rec: Rec, path: Path): unknown {
  if (path.compute) return path.compute(rec);
  let cur: Rec | undefined = rec;
  for (const s of path.steps) {
    const id = cur![s.field.name] as string | null;
    if (id == null) return null;
    cur = env.org.getRecord(id);
    if (!cur || (cur.IsDeleted && !env.allRows)) return null;
  }
  if (path.leaf) return leafValue(env, cur!, path);
  if (path.leafName === 'Type') return env.org.schema.objectForId(cur!.Id as string)?.name ?? null;
  return cur![path.leafName] ?? null;
}

/** Writes a path's value into a result row, nesting parent objects as the REST API does. */
function writePath(env: Env, out: Row, rec: Rec, path: Path): void {
  let row = out;
  let cur: Rec | undefined = rec;
  for (const s of path.steps) {
    const rel = s.field.relationshipName!;
    const id = cur?.[s.field.name] as string | null | undefined;
    const parent = id ? env.org.getRecord(id) : undefined;
    if (!parent || (parent.IsDeleted && !env.allRows)) {
      if (!(rel in row)) row[rel] = null;
      return;
    }
    let nested = row[rel] as Row | null | undefined;
    if (!nested) {
      const type = env.org.schema.objectForId(parent.Id as string)?.name ?? 'Name';
      nested = { attributes: { type }, Id: parent.Id };
      row[rel] = nested;
    }
    row = nested;
    cur = parent;
  }
  if (path.leaf) row[path.leaf.name] = leafValue(env, cur!, path);
  else
    row[path.leafName] =
      path.leafName === 'Type'
        ? (env.org.schema.objectForId(cur!.Id as string)?.name ?? null)
        : (cur![path.leafName] ?? null);
}

// ------------------------------------------------------------------ WHERE

type Pred = (rec: Rec) => boolean;

interface CondNode {
  field?: string;
  fn?: { functionName: string; parameters?: unknown[]; rawValue?: string };
  operator: string;
  literalType?: string | string[];
  value?: unknown;
  valueQuery?: Query;
  openParen?: number;
  closeParen?: number;
}

type Tok =
  { t: '(' } | { t: ')' } | { t: 'NOT' } | { t: 'AND' } | { t: 'OR' } | { t: 'COND'; c: CondNode };

/** Flattens the parser's right-leaning WHERE chain into tokens, then parses with SOQL precedence. */
function whereTokens(node: unknown): Tok[] {
  const toks: Tok[] = [];
  let n = node as
    | { left?: CondNode | { openParen?: number } | null; operator?: string; right?: unknown }
    | undefined;
  while (n) {
    const left = n.left as CondNode | null | undefined;
    const isCond = !!left && ('field' in left || 'fn' in left);
    if (n.operator === 'NOT' && !isCond) {
      for (let i = 0; i < (left?.openParen ?? 0); i++) toks.push({ t: '(' });
      toks.push({ t: 'NOT' });
      n = n.right as typeof n;
      continue;
    }
    if (!left) break;
    for (let i = 0; i < (left.openParen ?? 0); i++) toks.push({ t: '(' });
    toks.push({ t: 'COND', c: left });
    for (let i = 0; i < (left.closeParen ?? 0); i++) toks.push({ t: ')' });
    if (n.operator === 'AND' || n.operator === 'OR') toks.push({ t: n.operator });
    n = n.right as typeof n;
  }
  return toks;
}

function parseBool(toks: Tok[], compileCond: (c: CondNode) => Pred): Pred {
  let i = 0;
  const peek = () => toks[i];
  const expr = (): Pred => {
    const first = unary();
    const op = peek();
    if (!op || (op.t !== 'AND' && op.t !== 'OR')) return first;
    const kind = op.t;
    const parts = [first];
    while (peek()?.t === kind) {
      i++;
      parts.push(unary());
    }
    const nxt = peek();
    if (nxt && (nxt.t === 'AND' || nxt.t === 'OR'))
      throw new QueryError(`unexpected token: '${nxt.t}'`);
    return kind === 'AND' ? (r) => parts.every((p) => p(r)) : (r) => parts.some((p) => p(r));
  };
  const unary = (): Pred => {
    const tk = toks[i++];
    if (!tk) throw new QueryError(`unexpected token: '<EOF>'`);
    if (tk.t === 'NOT') {
      const inner = unary();
      return (r) => !inner(r);
    }
    if (tk.t === '(') {
      const e = expr();
      if (toks[i++]?.t !== ')') throw new QueryError(`unexpected token: '('`);
      return e;
    }
    if (tk.t === 'COND') return compileCond(tk.c);
    throw new QueryError(`unexpected token: '${tk.t}'`);
  };
  const p = expr();
  if (i < toks.length)
    throw new QueryError(`unexpected token: '${toks[i]!.t === 'COND' ? 'condition' : toks[i]!.t}'`);
  return p;
}

function unquote(s: string): string {
  const inner = s.startsWith("'") && s.endsWith("'") ? s.slice(1, -1) : s;
  return inner.replace(
    /\\(.)/g,
    (_m, c: string) => ({ n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' })[c] ?? c
  );
}

/** Unquoted but with LIKE escapes (\% \_) kept as escapes. */
function unquoteLike(s: string): string {
  const inner = s.startsWith("'") && s.endsWith("'") ? s.slice(1, -1) : s;
  return inner.replace(
    /\\([^%_])/g,
    (_m, c: string) =>
      ({ n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' })[c] ?? (c === '\\' ? '\\\\' : c)
  );
}

type Literal =
  | { kind: 'value'; v: unknown }
  | { kind: 'range'; start: string; end: string }
  | { kind: 'list'; vs: unknown[] }
  | { kind: 'null' };

function typeName(t: string): string {
  return (
    {
      double: 'double',
      integer: 'integer',
      currency: 'currency',
      percent: 'double',
      long: 'long',
      date: 'date',
      datetime: 'dateTime',
      boolean: 'boolean',
      time: 'time'
    }[t] ?? 'string'
  );
}

function literalFor(
  env: Env,
  type: string,
  fieldName: string,
  lt: string,
  raw: unknown,
  forLike = false
): Literal {
  const fieldType = type;
  switch (lt) {
    case 'NULL':
      return { kind: 'null' };
    case 'STRING': {
      if (
        NUMBER_TYPES.has(fieldType) ||
        fieldType === 'date' ||
        fieldType === 'datetime' ||
        fieldType === 'boolean'
      )
        throw new QueryError(
          `value of filter criterion for field '${fieldName}' must be of type ${typeName(fieldType)} and should not be enclosed in quotes`
        );
      const s = forLike ? unquoteLike(String(raw)) : unquote(String(raw));
      // Empty text is stored as null, so '' compares like null (except as a LIKE pattern).
      if (s === '' && !forLike) return { kind: 'null' };
      if (fieldType === 'id' || fieldType === 'reference') {
        const id = to18(s);
        if (!id) throw new QueryError(`invalid ID field: ${s}`);
        return { kind: 'value', v: id };
      }
      return { kind: 'value', v: s };
    }
    case 'INTEGER':
    case 'DECIMAL':
      if (!NUMBER_TYPES.has(fieldType))
        throw new QueryError(
          `value of filter criterion for field '${fieldName}' must be of type ${typeName(fieldType)} and should be enclosed in quotes`
        );
      return { kind: 'value', v: Number(raw) };
    case 'BOOLEAN':
      if (fieldType !== 'boolean')
        throw new QueryError(
          `value of filter criterion for field '${fieldName}' must be of type ${typeName(fieldType)} and should be enclosed in quotes`
        );
      return { kind: 'value', v: String(raw).toUpperCase() === 'TRUE' };
    case 'DATE':
      if (fieldType !== 'date')
        throw new QueryError(
          `value of filter criterion for field '${fieldName}' must be of type ${typeName(fieldType)} and should not be enclosed in quotes`
        );
      return { kind: 'value', v: String(raw) };
    case 'DATETIME': {
      if (fieldType !== 'datetime')
        throw new QueryError(
          `value of filter criterion for field '${fieldName}' must be of type ${typeName(fieldType)} and should not be enclosed in quotes`
        );
      return { kind: 'value', v: new Date(String(raw)).toISOString() };
    }
    case 'DATE_LITERAL':
    case 'DATE_N_LITERAL': {
      if (fieldType !== 'date' && fieldType !== 'datetime')
        throw new QueryError(
          `value of filter criterion for field '${fieldName}' must be of type ${typeName(fieldType)} and should be enclosed in quotes`
        );
      const r = dateLiteralRange(String(raw), env.now, env.zone);
      return fieldType === 'date'
        ? { kind: 'range', start: r.startDate, end: r.endDate }
        : { kind: 'range', start: r.startInstant, end: r.endInstant };
    }
    case 'APEX_BIND_VARIABLE':
      return bindLiteral(env, fieldType, String(raw));
    default:
      throw new UnsupportedError(`SOQL literal type ${lt}`);
  }
}

function bindValue(env: Env, name: string): unknown {
  if (name in env.binds) return env.binds[name];
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(env.binds)) if (k.toLowerCase() === lower) return v;
  throw new QueryError(`Variable does not exist: ${name}`);
}

function coerceBind(fieldType: string, v: unknown): unknown {
  if (v == null) return null;
  if (typeof v === 'object' && !(v instanceof Date) && v !== null && 'Id' in (v as object))
    v = (v as { Id: unknown }).Id;
  if (fieldType === 'datetime' && typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v))
    return `${v}T00:00:00.000Z`;
  if (
    (fieldType === 'id' || fieldType === 'reference') &&
    typeof v === 'string' &&
    v !== '' &&
    !to18(v)
  )
    throw new QueryError(`invalid ID field: ${v}`);
  const c = coerceValue({ type: fieldType, label: 'bind' } as FieldDescribe, v);
  if (c.error)
    throw new QueryError(
      `Invalid bind expression type of ${typeof v} for column of type ${typeName(fieldType)}`
    );
  return c.value;
}

function bindLiteral(env: Env, fieldType: string, name: string): Literal {
  const v = bindValue(env, name);
  if (v == null) return { kind: 'null' };
  if (Array.isArray(v) || v instanceof Set)
    return { kind: 'list', vs: [...v].map((x) => coerceBind(fieldType, x)) };
  if (v instanceof Map)
    return { kind: 'list', vs: [...v.keys()].map((x) => coerceBind(fieldType, x)) };
  return { kind: 'value', v: coerceBind(fieldType, v) };
}

function likeRegex(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) {
      re += pattern[++i]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    } else if (c === '%') re += '[\\s\\S]*';
    else if (c === '_') re += '[\\s\\S]';
    else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 'i');
}

function mpSet(v: unknown): Set<string> {
  return new Set(
    String(v)
      .split(';')
      .map((s) => s.trim().toLowerCase())
      .filter((s) => s)
  );
}

function compileCondition(env: Env, obj: ObjectDescribe, c: CondNode, aliases: string[]): Pred {
  if (c.fn) {
    const fnName = c.fn.functionName.toUpperCase();
    const param = String((c.fn.parameters ?? [])[0] ?? '');
    const path = resolvePath(env, obj, param, aliases);
    const t = path.leaf?.type ?? 'string';
    if (t !== 'date' && t !== 'datetime')
      throw new QueryError(`Invalid date function parameter: ${param}`);
    const lt = Array.isArray(c.literalType) ? c.literalType[0]! : (c.literalType ?? 'STRING');
    const resultType = fnName === 'DAY_ONLY' ? 'date' : 'integer';
    const lit = literalFor(env, resultType, `${fnName}(${param})`, lt, c.value);
    const getter = (rec: Rec) => {
      const v = readPath(env, rec, path);
      return v == null ? null : dateFunction(fnName, String(v), t === 'datetime', env.zone);
    };
    return comparison(c.operator, resultType, getter, lit, env, c, obj);
  }
  const path = resolvePath(env, obj, c.field!, aliases);
  if (path.leaf && !path.leaf.filterable)
    throw new QueryError(`field '${path.leafName}' can not be filtered in query call`);
  const type = path.leaf?.type ?? (path.leafName === 'Id' ? 'id' : 'string');
  const getter = (rec: Rec) => readPath(env, rec, path);
  const op = c.operator.toUpperCase();
  if (c.valueQuery) {
    if (op !== 'IN' && op !== 'NOT IN') throw new QueryError(`unexpected token: '('`);
    const sub = runParsed(env.org, c.valueQuery, env.binds, env.ctx, env.allRows, true);
    const selected = String(
      ((c.valueQuery.fields ?? [])[0] as { field?: string } | undefined)?.field ?? 'Id'
    ).toLowerCase();
    const vals = sub.records
      .map((r) => Object.entries(r).find(([k]) => k.toLowerCase() === selected)?.[1])
      .filter((v) => v != null);
    return comparison(op, type, getter, { kind: 'list', vs: vals }, env, c, obj);
  }
  const lts = c.literalType;
  if (Array.isArray(c.value)) {
    const vs = (c.value as unknown[]).map((raw, i) => {
      const lt = Array.isArray(lts) ? lts[i]! : (lts ?? 'STRING');
      const l = literalFor(env, type, path.leafName, lt, raw);
      return l.kind === 'value' ? l.v : null;
    });
    return comparison(op, type, getter, { kind: 'list', vs }, env, c, obj);
  }
  const lt = Array.isArray(lts) ? lts[0]! : (lts ?? 'STRING');
  const lit = literalFor(env, type, path.leafName, lt, c.value, op === 'LIKE');
  return comparison(op, type, getter, lit, env, c, obj);
}

function comparison(
  op: string,
  type: string,
  get: (r: Rec) => unknown,
  lit: Literal,
  _env: Env,
  c: CondNode,
  _obj: ObjectDescribe
): Pred {
  op = op.toUpperCase();
  if (op === '<>') op = '!=';
  const eq = (a: unknown, b: unknown) =>
    type === 'multipicklist' ? setEq(mpSet(a), mpSet(b)) : compareValues(type, a, b) === 0;
  if (lit.kind === 'null') {
    if (op === '=') return (r) => get(r) == null;
    if (op === '!=') return (r) => get(r) != null;
    if (op === 'IN') return (r) => get(r) == null;
    if (op === 'NOT IN') return (r) => get(r) != null;
    return () => false;
  }
  if (lit.kind === 'range') {
    const { start, end } = lit;
    const cmp = (a: unknown, b: string) => compareValues(type, a, b);
    switch (op) {
      case '=':
        return (r) => {
          const v = get(r);
          return v != null && cmp(v, start) >= 0 && cmp(v, end) < 0;
        };
      case '!=':
        return (r) => {
          const v = get(r);
          return v == null || cmp(v, start) < 0 || cmp(v, end) >= 0;
        };
      case '<':
        return (r) => {
          const v = get(r);
          return v != null && cmp(v, start) < 0;
        };
      case '<=':
        return (r) => {
          const v = get(r);
          return v != null && cmp(v, end) < 0;
        };
      case '>':
        return (r) => {
          const v = get(r);
          return v != null && cmp(v, end) >= 0;
        };
      case '>=':
        return (r) => {
          const v = get(r);
          return v != null && cmp(v, start) >= 0;
        };
      default:
        throw new UnsupportedError(`operator ${op} with a date literal`);
    }
  }
  if (op === 'IN' || op === 'NOT IN') {
    const vs = lit.kind === 'list' ? lit.vs : [lit.v];
    const hasNull = vs.some((v) => v == null);
    const nonNull = vs.filter((v) => v != null);
    let lookup: (v: unknown) => boolean;
    if (type !== 'multipicklist' && !NUMBER_TYPES.has(type) && type !== 'datetime') {
      const set = new Set(nonNull.map((v) => normKey(type, v)));
      lookup = (v) => set.has(normKey(type, v));
    } else lookup = (v) => nonNull.some((x) => eq(v, x));
    if (op === 'IN')
      return (r) => {
        const v = get(r);
        return v == null ? hasNull : lookup(v);
      };
    return (r) => {
      const v = get(r);
      return v == null ? !hasNull : !lookup(v);
    };
  }
  if (lit.kind === 'list') {
    if (op === 'INCLUDES' || op === 'EXCLUDES') {
      if (type !== 'multipicklist')
        throw new QueryError(`INCLUDES or EXCLUDES operator only valid on multipicklist field`);
      const terms = lit.vs.map((v) => mpSet(v));
      const inc = (v: unknown) => {
        const have = mpSet(v);
        return terms.some((t) => [...t].every((x) => have.has(x)));
      };
      return op === 'INCLUDES'
        ? (r) => get(r) != null && inc(get(r))
        : (r) => get(r) == null || !inc(get(r));
    }
    throw new QueryError(`unexpected token: '('`);
  }
  const val = lit.v;
  if (val == null) return comparison(op, type, get, { kind: 'null' }, _env, c, _obj);
  if ((op === '=' || op === '!=') && STRING_TYPES.has(type) && type !== 'multipicklist') {
    // Text equality is case-insensitive: lower-case the literal once.
    const lower = String(val).toLowerCase();
    return op === '='
      ? (r) => {
          const v = get(r);
          return v != null && String(v).toLowerCase() === lower;
        }
      : (r) => {
          const v = get(r);
          return v == null || String(v).toLowerCase() !== lower;
        };
  }
  switch (op) {
    case '=':
      return (r) => {
        const v = get(r);
        return v != null && eq(v, val);
      };
    case '!=':
      return (r) => {
        const v = get(r);
        return v == null || !eq(v, val);
      };
    case '<':
    case '>':
    case '<=':
    case '>=': {
      if (type === 'boolean' || type === 'multipicklist')
        throw new QueryError(`invalid operator on ${type} field`);
      return (r) => {
        const v = get(r);
        if (v == null) return false;
        const d = compareValues(type, v, val);
        return op === '<' ? d < 0 : op === '>' ? d > 0 : op === '<=' ? d <= 0 : d >= 0;
      };
    }
    case 'LIKE': {
      if (!STRING_TYPES.has(type) && type !== 'id' && type !== 'reference')
        throw new QueryError(`invalid operator on ${type} field: LIKE`);
      const re = likeRegex(String(val));
      return (r) => {
        const v = get(r);
        return v != null && re.test(String(v));
      };
    }
    case 'INCLUDES':
    case 'EXCLUDES':
      return comparison(op, type, get, { kind: 'list', vs: [val] }, _env, c, _obj);
    default:
      throw new UnsupportedError(`SOQL operator ${op}`);
  }
}

function setEq(a: Set<string>, b: Set<string>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}

function normKey(type: string, v: unknown): string {
  if (type === 'id' || type === 'reference') return (to18(String(v)) ?? String(v)).toLowerCase();
  if (type === 'boolean') return String(!!v);
  return String(v).toLowerCase();
}

// ------------------------------------------------------------------ query entry

function preprocess(soql: string): { text: string; allRows: boolean } {
  let text = soql.trim().replace(/;\s*$/, '');
  let allRows = false;
  const m = /\s+ALL\s+ROWS\s*$/i.exec(text);
  if (m) {
    allRows = true;
    text = text.slice(0, m.index);
  }
  return { text, allRows };
}

function parseError(e: unknown): QueryError {
  const msg = (e as Error).message ?? String(e);
  const found =
    /but found: '([^']*)'/.exec(msg) ??
    /but found --> '([^']*)' <--/.exec(msg) ??
    /found: ([^\s]+)/.exec(msg);
  if (found) return new QueryError(`unexpected token: '${found[1] === '' ? '<EOF>' : found[1]}'`);
  return new QueryError(`unexpected token: ${msg.split('\n')[0]}`);
}

export function runQuery(
  org: Org,
  soql: string,
  binds: Record<string, unknown>,
  ctx: FullCtx
): QueryResult {
  const { text, allRows } = preprocess(soql);
  const env0 = { binds } as Env;
  return runParsed(
    org,
    parseCached(substituteLimitBinds(text, (n) => bindValue(env0, n))),
    binds,
    ctx,
    allRows,
    false
  );
}

/**
 * `LIMIT :n` / `OFFSET :n` (the parser only takes integer literals there): the bind's value is
 * written into the text. String literals are skipped.
 */
function substituteLimitBinds(text: string, value: (name: string) => unknown): string {
  if (!/\b(LIMIT|OFFSET)\s*:/i.test(text)) return text;
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== "'") j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    const m = /^(LIMIT|OFFSET)(\s*):\s*([A-Za-z_][A-Za-z0-9_]*)/i.exec(text.slice(i));
    if (m && (i === 0 || /\s/.test(text[i - 1]!))) {
      const v = value(m[3]!);
      const n = typeof v === 'number' ? v : Number(v);
      if (!Number.isInteger(n) || n < 0)
        throw new QueryError(`invalid ${m[1]!.toUpperCase()} value: ${String(v)}`);
      out += `${m[1]} ${n}`;
      i += m[0].length;
      continue;
    }
    out += ch;
    i++;
  }
  return out;
}

/** Parsed queries by text (parsing dominates the cost of small queries; results are never mutated). */
const PARSE_CACHE = new Map<string, Query>();
const PARSE_STATS = { hits: 0, misses: 0 };

/** Parse-cache counters (for tests and the benchmark). */
export function soqlParseCacheStats(): { hits: number; misses: number; size: number } {
  return { ...PARSE_STATS, size: PARSE_CACHE.size };
}

function parseCached(text: string): Query {
  const hit = PARSE_CACHE.get(text);
  if (hit) {
    PARSE_STATS.hits++;
    return hit;
  }
  PARSE_STATS.misses++;
  let q: Query;
  try {
    // ignoreParseErrors must be given: the parser is rebuilt (slow) whenever it differs from the last call.
    q = parseQuery(text, {
      allowApexBindVariables: true,
      allowPartialQuery: false,
      ignoreParseErrors: false
    });
  } catch (e) {
    throw parseError(e);
  }
  if (PARSE_CACHE.size >= 1000) PARSE_CACHE.delete(PARSE_CACHE.keys().next().value!);
  PARSE_CACHE.set(text, q);
  return q;
}

interface TypeofPlan {
  field: FieldDescribe;
  whens: { objectType: string; fields: string[] }[];
  elseFields: string[] | null;
}

interface SelectItem {
  kind: 'field' | 'sub' | 'agg' | 'typeof';
  /** toLabel(field): the picklist label instead of the value. */
  toLabel?: boolean;
  typeOf?: TypeofPlan;
  path?: Path;
  sub?: SubPlan;
  agg?: AggItem;
  groupKey?: string;
}

interface AggItem {
  fn: string;
  path: Path | null;
  alias: string;
  raw: string;
}

interface SubPlan {
  relName: string;
  childObj: ObjectDescribe;
  childField: FieldDescribe;
  items: SelectItem[];
  where: Pred | null;
  order: OrderItem[];
  limit: number | undefined;
  offset: number | undefined;
}

interface OrderItem {
  get: (r: Rec) => unknown;
  type: string;
  desc: boolean;
  nullsFirst: boolean;
  picklist?: FieldDescribe;
}

function runParsed(
  org: Org,
  q: Query,
  binds: Record<string, unknown>,
  ctx: FullCtx,
  allRows: boolean,
  _semiJoin: boolean
): QueryResult {
  const obj = org.schema.findObject(q.sObject ?? '');
  if (!obj || !obj.queryable) throw new QueryError(BAD_OBJECT(q.sObject ?? ''));
  const qa = q as Query & {
    withAccessLevel?: string;
    withSecurityEnforced?: boolean;
    for?: string;
    usingScope?: string;
    withDataCategory?: unknown;
  };
  const accessLevel = qa.withAccessLevel?.toUpperCase();
  const userMode =
    accessLevel === 'USER_MODE' || (ctx.mode === 'user' && accessLevel !== 'SYSTEM_MODE');
  const securityEnforced = qa.withSecurityEnforced === true;
  if (qa.usingScope) throw new UnsupportedError(`USING SCOPE ${qa.usingScope}`);
  if (qa.withDataCategory) throw new UnsupportedError('WITH DATA CATEGORY');
  if (
    qa.for &&
    qa.for.toUpperCase() !== 'UPDATE' &&
    qa.for.toUpperCase() !== 'VIEW' &&
    qa.for.toUpperCase() !== 'REFERENCE'
  )
    throw new UnsupportedError(`FOR ${qa.for}`);
  if (qa.for?.toUpperCase() === 'UPDATE' && (q.orderBy as unknown[] | undefined)?.length)
    throw new QueryError('FOR UPDATE not allowed with ORDER BY');
  const env: Env = {
    org,
    ctx,
    binds,
    zone: org.userTimeZone(ctx.userId),
    now: org.clock(),
    userMode,
    sharing: userMode || ctx.sharing === 'with',
    allRows,
    inaccessible: new Map(),
    checkFls: userMode || securityEnforced
  };
  if ((userMode || securityEnforced) && !org.permissions.objectAccess(ctx.userId, obj.name).read) {
    throw new QueryError(
      securityEnforced && !userMode
        ? 'Insufficient permissions: secure query included inaccessible field'
        : BAD_OBJECT(obj.name),
      { [obj.name]: ['*'] }
    );
  }
  const aliases = q.sObjectAlias ? [q.sObjectAlias.toLowerCase()] : [];
  const fields = (q.fields ?? []) as unknown as Record<string, unknown>[];
  const isAggregate =
    !!q.groupBy || fields.some((f) => f.type === 'FieldFunctionExpression' && f.isAggregateFn);
  // SECURITY_ENFORCED checks only the SELECT list; USER_MODE checks every clause.
  const items = compileSelect(env, obj, fields, aliases);
  if (securityEnforced && !userMode && env.inaccessible.size)
    throw new QueryError(
      'Insufficient permissions: secure query included inaccessible field',
      toObj(env.inaccessible)
    );
  const where = q.where
    ? parseBool(whereTokens(q.where), (c) => compileCondition(env, obj, c, aliases))
    : null;
  if (securityEnforced && !userMode) env.checkFls = false;

  // Candidate rows.
  let rows: Rec[] = [];
  for (const r of org.store.table(obj.name).values()) {
    if (r.IsDeleted && !allRows) continue;
    if (env.sharing && org.permissions.recordAccess(ctx.userId, obj, r) === 'none') continue;
    if (where && !where(r)) continue;
    rows.push(r);
  }

  if (!isAggregate) {
    const computed = items.find((it) => it.kind === 'field' && it.path!.compute);
    if (computed)
      throw new QueryError(`Field must be grouped or aggregated: ${computed.path!.raw}`);
  }
  if (isAggregate) {
    const res = runAggregate(env, obj, q, items, rows, aliases);
    finishAccess(env);
    return res;
  }
  const order = compileOrder(
    env,
    obj,
    (q.orderBy ?? []) as unknown as Record<string, unknown>[],
    aliases
  );
  finishAccess(env);
  if (order.length) rows = sortRows(rows, order);
  const offset = q.offset ?? 0;
  if (offset > 2000) throw new QueryError('Maximum SOQL offset allowed is 2000');
  rows = rows.slice(offset, q.limit !== undefined ? offset + q.limit : undefined);
  const childIndexes = buildChildIndexes(env, items);
  const records = rows.map((r) => project(env, obj, r, items, childIndexes));
  return { records, totalSize: records.length, done: true };
}

function toObj(m: Map<string, Set<string>>): Record<string, string[]> {
  return Object.fromEntries([...m].map(([k, v]) => [k, [...v]]));
}

function finishAccess(env: Env): void {
  if (env.userMode && env.inaccessible.size) {
    const [objName, fields] = [...env.inaccessible][0]!;
    throw new QueryError(NO_SUCH_COLUMN([...fields][0]!, objName), toObj(env.inaccessible));
  }
}

function compileSelect(
  env: Env,
  obj: ObjectDescribe,
  fields: Record<string, unknown>[],
  aliases: string[]
): SelectItem[] {
  const items: SelectItem[] = [];
  let exprN = 0;
  for (const f of fields) {
    switch (f.type) {
      case 'Field':
      case 'FieldRelationship': {
        const raw =
          f.type === 'Field'
            ? String(f.field)
            : String(f.rawValue ?? [...(f.relationships as string[]), f.field].join('.'));
        const path = resolvePath(env, obj, raw, aliases);
        items.push({
          kind: 'field',
          path,
          groupKey: (f.alias as string | undefined) ?? path.leafName
        });
        break;
      }
      case 'FieldSubquery':
        items.push({ kind: 'sub', sub: compileSub(env, obj, f.subquery as Query) });
        break;
      case 'FieldFunctionExpression': {
        const fn = String(f.functionName).toUpperCase();
        if (fn === 'FIELDS') {
          const which = String((f.parameters as string[])[0]).toUpperCase();
          for (const fd of obj.fieldList) {
            if (which === 'CUSTOM' && !fd.custom) continue;
            if (which === 'STANDARD' && fd.custom) continue;
            items.push({ kind: 'field', path: resolvePath(env, obj, fd.name), groupKey: fd.name });
          }
          break;
        }
        if (fn === 'TOLABEL') {
          const param = String((f.parameters as unknown[] | undefined)?.[0] ?? '');
          const path = resolvePath(env, obj, param, aliases);
          if (path.steps.length) throw new UnsupportedError('toLabel() on a relationship path');
          items.push({
            kind: 'field',
            path,
            groupKey: (f.alias as string | undefined) ?? path.leafName,
            toLabel: true
          });
          break;
        }
        if (DATE_FUNCTIONS.has(fn)) {
          const param = String((f.parameters as unknown[] | undefined)?.[0] ?? '');
          const path = dateFunctionPath(env, obj, fn, param, aliases);
          items.push({
            kind: 'field',
            path,
            groupKey: (f.alias as string | undefined) ?? `expr${exprN++}`
          });
          break;
        }
        if (!f.isAggregateFn) throw new UnsupportedError(`SOQL function ${fn}() in SELECT`);
        const param = (f.parameters as unknown[] | undefined)?.[0];
        if (param !== undefined && typeof param !== 'string')
          throw new UnsupportedError(`nested function in ${fn}()`);
        const path = param ? resolvePath(env, obj, param, aliases) : null;
        const alias = (f.alias as string | undefined) ?? `expr${exprN++}`;
        items.push({
          kind: 'agg',
          agg: { fn, path, alias, raw: String(f.rawValue ?? `${fn}(${param ?? ''})`) }
        });
        break;
      }
      case 'FieldTypeof': {
        const relName = String(f.field);
        const rf = obj.fieldList.find(
          (x) => x.relationshipName?.toLowerCase() === relName.toLowerCase()
        );
        if (!rf || !rf.polymorphic) throw new QueryError(BAD_RELATIONSHIP(relName));
        const plan: TypeofPlan = { field: rf, whens: [], elseFields: null };
        for (const cond of (f.conditions ?? []) as {
          type: string;
          objectType?: string;
          fieldList: string[];
        }[]) {
          if (cond.type === 'ELSE') {
            plan.elseFields = cond.fieldList;
            continue;
          }
          const target = env.org.schema.findObject(cond.objectType ?? '');
          if (!target || !rf.referenceTo.some((t) => t.toLowerCase() === target.name.toLowerCase()))
            throw new QueryError(
              `TYPEOF: ${cond.objectType ?? ''} is not a valid type for ${relName}`
            );
          for (const fl of cond.fieldList) resolvePath(env, target, fl);
          plan.whens.push({ objectType: target.name, fields: cond.fieldList });
        }
        items.push({ kind: 'typeof', typeOf: plan });
        break;
      }
      default:
        throw new UnsupportedError(`SOQL select item ${String(f.type)}`);
    }
  }
  const countAll = items.some((i) => i.kind === 'agg' && i.agg!.fn === 'COUNT' && !i.agg!.path);
  if (countAll && items.length > 1)
    throw new QueryError('COUNT() may not be used with other fields in the SELECT list');
  return items;
}

function compileSub(env: Env, parent: ObjectDescribe, sq: Query): SubPlan {
  const relName = String(
    (sq as Query & { relationshipName?: string }).relationshipName ?? sq.sObject ?? ''
  );
  const rel = parent.childRelationships.find(
    (c) => c.relationshipName?.toLowerCase() === relName.toLowerCase()
  );
  if (!rel) throw new QueryError(BAD_CHILD_RELATIONSHIP(relName));
  const childObj = env.org.schema.getObject(rel.childSObject);
  const childField = childObj.fields.get(rel.field.toLowerCase())!;
  if (env.checkFls && !env.org.permissions.objectAccess(env.ctx.userId, childObj.name).read) {
    const s = env.inaccessible.get(childObj.name) ?? new Set<string>();
    s.add('*');
    env.inaccessible.set(childObj.name, s);
  }
  const aliases = [relName.toLowerCase()];
  const items = compileSelect(
    env,
    childObj,
    (sq.fields ?? []) as unknown as Record<string, unknown>[],
    aliases
  );
  if (items.some((i) => i.kind === 'agg'))
    throw new QueryError('Aggregate functions are not allowed in a relationship subquery');
  const where = sq.where
    ? parseBool(whereTokens(sq.where), (c) => compileCondition(env, childObj, c, aliases))
    : null;
  const order = compileOrder(
    env,
    childObj,
    (sq.orderBy ?? []) as unknown as Record<string, unknown>[],
    aliases
  );
  return {
    relName: rel.relationshipName!,
    childObj,
    childField,
    items,
    where,
    order,
    limit: sq.limit,
    offset: sq.offset
  };
}

function compileOrder(
  env: Env,
  obj: ObjectDescribe,
  orderBy: Record<string, unknown>[],
  aliases: string[]
): OrderItem[] {
  return orderBy.map((o) => {
    if (o.fn) throw new UnsupportedError('ORDER BY a function outside an aggregate query');
    const path = resolvePath(env, obj, String(o.field), aliases);
    if (path.leaf && !path.leaf.sortable)
      throw new QueryError(`field '${path.leafName}' can not be sorted in a query call`);
    const desc = String(o.order ?? 'ASC').toUpperCase() === 'DESC';
    const nulls = o.nulls ? String(o.nulls).toUpperCase() : desc ? 'LAST' : 'FIRST';
    const type = path.leaf?.type ?? 'string';
    return {
      get: (r: Rec) => readPath(env, r, path),
      type,
      desc,
      nullsFirst: nulls === 'FIRST',
      ...(path.leaf?.type === 'picklist' ? { picklist: path.leaf } : {})
    };
  });
}

function sortRows<T>(
  rows: T[],
  order: {
    get: (r: T) => unknown;
    type: string;
    desc: boolean;
    nullsFirst: boolean;
    picklist?: FieldDescribe;
  }[]
): T[] {
  // Keys are computed once per row; text keys are lower-cased once (case-insensitive order).
  const keyed = rows.map((r, i) => ({
    r,
    i,
    k: order.map((o) => {
      const v = o.get(r);
      return v != null && !o.picklist && STRING_TYPES.has(o.type) ? String(v).toLowerCase() : v;
    })
  }));
  keyed.sort((a, b) => {
    for (let j = 0; j < order.length; j++) {
      const o = order[j]!;
      const x = a.k[j];
      const y = b.k[j];
      if (x == null && y == null) continue;
      if (x == null) return o.nullsFirst ? -1 : 1;
      if (y == null) return o.nullsFirst ? 1 : -1;
      let d: number;
      if (o.picklist) {
        // Picklists sort by the order of their values in the field definition.
        const ix = picklistIndex(o.picklist, x);
        const iy = picklistIndex(o.picklist, y);
        d = ix - iy || compareValues('string', x, y);
      } else d = compareValues(o.type, x, y);
      if (d !== 0) return o.desc ? -d : d;
    }
    return a.i - b.i;
  });
  return keyed.map((k) => k.r);
}

function picklistIndex(f: FieldDescribe, v: unknown): number {
  const i = f.picklistValues.findIndex((p) => p.value.toLowerCase() === String(v).toLowerCase());
  return i < 0 ? f.picklistValues.length : i;
}

type ChildIndex = Map<SubPlan, Map<string, Rec[]>>;

function buildChildIndexes(env: Env, items: SelectItem[]): ChildIndex {
  const idx: ChildIndex = new Map();
  for (const it of items) {
    if (it.kind !== 'sub') continue;
    const sub = it.sub!;
    const m = new Map<string, Rec[]>();
    for (const c of env.org.store.table(sub.childObj.name).values()) {
      if (c.IsDeleted && !env.allRows) continue;
      const pid = c[sub.childField.name] as string | null;
      if (!pid) continue;
      if (
        env.sharing &&
        env.org.permissions.recordAccess(env.ctx.userId, sub.childObj, c) === 'none'
      )
        continue;
      if (sub.where && !sub.where(c)) continue;
      const list = m.get(pid);
      if (list) list.push(c);
      else m.set(pid, [c]);
    }
    idx.set(sub, m);
    // Nested relationship subqueries (parent → child → grandchild) share the same index map.
    for (const [k, v] of buildChildIndexes(env, sub.items)) idx.set(k, v);
  }
  return idx;
}

function project(
  env: Env,
  obj: ObjectDescribe,
  r: Rec,
  items: SelectItem[],
  childIndexes: ChildIndex
): Row {
  // Apex populates the Id of every queried record even when it is not selected.
  const out: Row = { attributes: { type: obj.name }, Id: r.Id };
  for (const it of items) {
    if (it.kind === 'field') {
      writePath(env, out, r, it.path!);
      if (it.toLabel && it.path!.leaf)
        out[it.groupKey!] = pickLabel(it.path!.leaf, out[it.path!.leaf.name]);
    } else if (it.kind === 'typeof') projectTypeof(env, out, r, it.typeOf!);
    else if (it.kind === 'sub') {
      const sub = it.sub!;
      let children = childIndexes.get(sub)?.get(r.Id as string) ?? [];
      if (sub.order.length) children = sortRows(children, sub.order);
      const off = sub.offset ?? 0;
      children = children.slice(off, sub.limit !== undefined ? off + sub.limit : undefined);
      out[sub.relName] = children.length
        ? {
            totalSize: children.length,
            done: true,
            records: children.map((c) => project(env, sub.childObj, c, sub.items, childIndexes))
          }
        : null;
    }
  }
  return out;
}

// ------------------------------------------------------------------ aggregates

function aggregateValue(env: Env, agg: AggItem, rows: Rec[]): unknown {
  if (!agg.path) return rows.length;
  const t = agg.path.leaf?.type ?? 'string';
  const vals = rows.map((r) => readPath(env, r, agg.path!)).filter((v) => v != null);
  switch (agg.fn) {
    case 'COUNT':
      return vals.length;
    case 'COUNT_DISTINCT':
      return new Set(vals.map((v) => normKey(t, v))).size;
    case 'SUM':
      if (!NUMBER_TYPES.has(t))
        throw new QueryError(`field ${agg.path.leafName} does not support aggregate operator SUM`);
      // Sums of values with a fixed scale are exact on the platform (decimals): round away float noise.
      return vals.length
        ? roundToScale(
            vals.reduce<number>((a, b) => a + (b as number), 0),
            agg.path.leaf?.scale ?? 0
          )
        : null;
    case 'AVG':
      if (!NUMBER_TYPES.has(t))
        throw new QueryError(`field ${agg.path.leafName} does not support aggregate operator AVG`);
      return vals.length ? vals.reduce<number>((a, b) => a + (b as number), 0) / vals.length : null;
    case 'MIN':
    case 'MAX': {
      if (!vals.length) return null;
      const sorted = [...vals].sort((a, b) => compareValues(t, a, b));
      return agg.fn === 'MIN' ? sorted[0] : sorted[sorted.length - 1];
    }
    default:
      throw new UnsupportedError(`aggregate function ${agg.fn}`);
  }
}

function runAggregate(
  env: Env,
  obj: ObjectDescribe,
  q: Query,
  items: SelectItem[],
  rows: Rec[],
  aliases: string[]
): QueryResult {
  const groupBy = ((q.groupBy ?? []) as unknown as Record<string, unknown>[]).map((g) => {
    if (g.fn) {
      const fn = g.fn as { functionName: string; parameters?: unknown[] };
      if (!DATE_FUNCTIONS.has(fn.functionName.toUpperCase()))
        throw new UnsupportedError(`GROUP BY ${fn.functionName}()`);
      return dateFunctionPath(
        env,
        obj,
        fn.functionName,
        String((fn.parameters ?? [])[0] ?? ''),
        aliases
      );
    }
    const path = resolvePath(env, obj, String(g.field), aliases);
    if (path.leaf && !path.leaf.groupable)
      throw new QueryError(`field '${path.leafName}' can not be grouped in a query call`);
    return path;
  });
  for (const it of items) {
    if (it.kind === 'sub')
      throw new QueryError('Nested queries are not supported with aggregate queries');
    if (
      it.kind === 'field' &&
      !groupBy.some(
        (g) =>
          g.raw.toLowerCase() === it.path!.raw.toLowerCase() ||
          (!g.compute &&
            g.leafName === it.path!.leafName &&
            g.steps.length === it.path!.steps.length)
      )
    ) {
      throw new QueryError(`Field must be grouped or aggregated: ${it.path!.leafName}`);
    }
  }
  const countAll =
    items.length === 1 &&
    items[0]!.kind === 'agg' &&
    items[0]!.agg!.fn === 'COUNT' &&
    !items[0]!.agg!.path &&
    !groupBy.length;
  if (countAll) {
    finishAccess(env);
    return {
      records: [],
      totalSize: q.limit !== undefined ? Math.min(rows.length, q.limit) : rows.length,
      done: true
    };
  }
  // Groups (text keys compare case-insensitively; first value seen is reported).
  const groups = new Map<string, { values: unknown[]; rows: Rec[] }>();
  if (!groupBy.length) groups.set('', { values: [], rows });
  else {
    for (const r of rows) {
      const values = groupBy.map((g) => readPath(env, r, g));
      const key = JSON.stringify(
        values.map((v, i) => (v == null ? null : normKey(groupBy[i]!.leaf?.type ?? 'string', v)))
      );
      const g = groups.get(key);
      if (g) g.rows.push(r);
      else groups.set(key, { values, rows: [r] });
    }
  }
  const aggByRaw = new Map<string, AggItem>();
  for (const it of items)
    if (it.kind === 'agg') aggByRaw.set(it.agg!.raw.replace(/\s+/g, '').toUpperCase(), it.agg!);
  const aggFor = (fn: { functionName: string; parameters?: unknown[] }): AggItem => {
    const param = (fn.parameters ?? [])[0] as string | undefined;
    const raw = `${fn.functionName}(${param ?? ''})`.replace(/\s+/g, '').toUpperCase();
    return (
      aggByRaw.get(raw) ?? {
        fn: fn.functionName.toUpperCase(),
        path: param ? resolvePath(env, obj, param, aliases) : null,
        alias: raw,
        raw
      }
    );
  };
  let out = [...groups.values()].map((g) => ({ g, row: {} as Row }));
  for (const o of out) {
    const row: Row = { attributes: { type: 'AggregateResult' } };
    for (const it of items) {
      if (it.kind === 'field') {
        const gi = groupBy.findIndex(
          (g) =>
            g.raw.toLowerCase() === it.path!.raw.toLowerCase() ||
            (!g.compute && g.leafName === it.path!.leafName)
        );
        row[it.groupKey!] = o.g.values[gi] ?? null;
      } else if (it.kind === 'agg') row[it.agg!.alias] = aggregateValue(env, it.agg!, o.g.rows);
    }
    o.row = row;
  }
  if (q.having) {
    const having = parseBool(whereTokens(q.having), (c) => {
      if (c.fn) {
        const agg = aggFor(c.fn);
        const t =
          agg.fn === 'COUNT' || agg.fn === 'COUNT_DISTINCT'
            ? 'integer'
            : (agg.path?.leaf?.type ?? 'double');
        const lt = Array.isArray(c.literalType) ? c.literalType[0]! : (c.literalType ?? 'STRING');
        const lit = literalFor(env, t, agg.raw, lt, c.value);
        const pred = comparison(
          c.operator,
          t,
          (r) => (r as unknown as { __v: unknown }).__v,
          lit,
          env,
          c,
          obj
        );
        return (r) => {
          const grp = (r as unknown as { __g: { rows: Rec[] } }).__g;
          return pred({ __v: aggregateValue(env, agg, grp.rows) } as unknown as Rec);
        };
      }
      const gi = groupBy.findIndex((g) => g.raw.toLowerCase() === String(c.field).toLowerCase());
      if (gi < 0) throw new QueryError(`Field must be grouped or aggregated: ${String(c.field)}`);
      const path = groupBy[gi]!;
      const t = path.leaf?.type ?? 'string';
      const lt = Array.isArray(c.literalType) ? c.literalType[0]! : (c.literalType ?? 'STRING');
      const lit = Array.isArray(c.value)
        ? ({
            kind: 'list',
            vs: (c.value as unknown[]).map(
              (v) => (literalFor(env, t, path.leafName, lt, v) as { v?: unknown }).v ?? null
            )
          } as Literal)
        : literalFor(env, t, path.leafName, lt, c.value);
      const pred = comparison(
        c.operator,
        t,
        (r) => (r as unknown as { __v: unknown }).__v,
        lit,
        env,
        c,
        obj
      );
      return (r) =>
        pred({
          __v: (r as unknown as { __g: { values: unknown[] } }).__g.values[gi]
        } as unknown as Rec);
    });
    out = out.filter((o) => having({ __g: o.g } as unknown as Rec));
  }
  const orderBy = (q.orderBy ?? []) as unknown as Record<string, unknown>[];
  if (orderBy.length) {
    const order = orderBy.map((ob) => {
      const desc = String(ob.order ?? 'ASC').toUpperCase() === 'DESC';
      const nullsFirst =
        (ob.nulls ? String(ob.nulls).toUpperCase() : desc ? 'LAST' : 'FIRST') === 'FIRST';
      const obFn = ob.fn as { functionName: string; parameters?: unknown[] } | undefined;
      if (obFn && DATE_FUNCTIONS.has(obFn.functionName.toUpperCase())) {
        const raw =
          `${obFn.functionName.toUpperCase()}(${String((obFn.parameters ?? [])[0] ?? '')})`.toLowerCase();
        const gi = groupBy.findIndex((g) => g.raw.toLowerCase() === raw);
        if (gi < 0) throw new QueryError(`Ordered field must be grouped or aggregated: ${raw}`);
        return {
          get: (o: (typeof out)[number]) => o.g.values[gi],
          type: groupBy[gi]!.leaf?.type ?? 'integer',
          desc,
          nullsFirst
        };
      }
      if (ob.fn) {
        const agg = aggFor(ob.fn as { functionName: string; parameters?: unknown[] });
        const t = agg.fn.startsWith('COUNT') ? 'integer' : (agg.path?.leaf?.type ?? 'double');
        return {
          get: (o: (typeof out)[number]) => aggregateValue(env, agg, o.g.rows),
          type: t,
          desc,
          nullsFirst
        };
      }
      const gi = groupBy.findIndex((g) => g.raw.toLowerCase() === String(ob.field).toLowerCase());
      if (gi < 0)
        throw new QueryError(`Ordered field must be grouped or aggregated: ${String(ob.field)}`);
      const leaf = groupBy[gi]!.leaf;
      return {
        get: (o: (typeof out)[number]) => o.g.values[gi],
        type: leaf?.type ?? 'string',
        desc,
        nullsFirst,
        ...(leaf?.type === 'picklist' ? { picklist: leaf } : {})
      };
    });
    out = sortRows(out, order);
  }
  finishAccess(env);
  const offset = q.offset ?? 0;
  out = out.slice(offset, q.limit !== undefined ? offset + q.limit : undefined);
  if (!groupBy.length && rows.length === 0) {
    // An aggregate query without GROUP BY always returns one row.
  }
  return { records: out.map((o) => o.row), totalSize: out.length, done: true };
}

function pickLabel(f: FieldDescribe, v: unknown): unknown {
  if (v == null) return v;
  const label = (x: string) => f.picklistValues.find((p) => p.value === x)?.label ?? x;
  return f.type === 'multipicklist' ? String(v).split(';').map(label).join(';') : label(String(v));
}

/** TYPEOF rel WHEN T THEN fields … ELSE fields END: the related record with the fields of its type. */
function projectTypeof(env: Env, out: Row, r: Rec, plan: TypeofPlan): void {
  const rel = plan.field.relationshipName!;
  const id = r[plan.field.name] as string | null;
  const target = id ? env.org.getRecord(id) : undefined;
  if (!target || (target.IsDeleted && !env.allRows)) {
    out[rel] = null;
    return;
  }
  const tObj = env.org.schema.objectForId(target.Id as string)!;
  const when = plan.whens.find((w) => w.objectType === tObj.name);
  const fields = when ? when.fields : (plan.elseFields ?? []);
  const nested: Row = { attributes: { type: tObj.name }, Id: target.Id };
  for (const fl of fields) writePath(env, nested, target, resolvePath(env, tObj, fl));
  out[rel] = nested;
}
