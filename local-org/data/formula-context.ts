/** Binds the formula evaluator to records: field paths, $User, $Profile, $Organization, prior values. */
import { evaluate, parseFormula, type FormulaContext } from './formula.js';
import type { Org } from './org.js';
import type { FieldDescribe, ObjectDescribe } from './schema-types.js';
import type { Rec } from './store.js';
import { roundToScale } from './values.js';

export interface RecordFormulaOptions {
  userId: string;
  old?: Rec | null;
  isNew?: boolean;
  blankAsZero?: boolean;
}

/** Reads `Field`, `Rel.Field`, `Rel__r.Rel.Field` from a record (undefined when a name is unknown). */
export function readFormulaPath(
  org: Org,
  obj: ObjectDescribe,
  rec: Record<string, unknown> | Rec,
  path: string,
  userId: string
): unknown {
  const parts = path.split('.');
  let curObj: ObjectDescribe | undefined = obj;
  let cur: Record<string, unknown> | Rec | undefined = rec;
  for (const part of parts.slice(0, -1)) {
    const f: FieldDescribe | undefined = curObj?.fieldList.find(
      (x) => x.relationshipName?.toLowerCase() === part.toLowerCase()
    );
    if (!f) return undefined;
    const id = cur?.[f.name] as string | null | undefined;
    const next = id ? org.getRecord(id) : undefined;
    curObj = next
      ? org.schema.objectForId(next.Id as string)
      : f.referenceTo.length === 1
        ? org.schema.findObject(f.referenceTo[0]!)
        : undefined;
    cur = next && !next.IsDeleted ? next : undefined;
    if (!curObj) return undefined;
  }
  const leaf = curObj?.fields.get(parts[parts.length - 1]!.toLowerCase());
  if (!leaf) return undefined;
  if (!cur) return null;
  if (leaf.calculated && leaf.calculatedFormula && !leaf.rollup)
    return evaluateFormulaField(org, curObj!, cur, leaf, userId);
  return cur[leaf.name] ?? null;
}

export function recordFormulaContext(
  org: Org,
  obj: ObjectDescribe,
  rec: Record<string, unknown> | Rec,
  o: RecordFormulaOptions
): FormulaContext {
  const user = org.getRecord(o.userId);
  const globals: Record<string, () => { obj: ObjectDescribe; rec: Rec | undefined }> = {
    $user: () => ({ obj: org.schema.getObject('User'), rec: user }),
    $profile: () => ({
      obj: org.schema.getObject('Profile'),
      rec: user?.ProfileId ? org.getRecord(user.ProfileId as string) : undefined
    }),
    $organization: () => ({
      obj: org.schema.getObject('Organization'),
      rec: org.getRecord(org.orgId)
    })
  };
  return {
    get: (path) => {
      const dot = path.indexOf('.');
      if (path.startsWith('$')) {
        const g = globals[path.slice(0, dot < 0 ? undefined : dot).toLowerCase()];
        if (!g || dot < 0) return undefined;
        const { obj: gObj, rec: gRec } = g();
        return gRec ? readFormulaPath(org, gObj, gRec, path.slice(dot + 1), o.userId) : null;
      }
      return readFormulaPath(org, obj, rec, path, o.userId);
    },
    ...(o.old !== undefined || o.isNew !== undefined
      ? {
          prior: (path: string) =>
            o.old ? readFormulaPath(org, obj, o.old, path, o.userId) : null,
          isNew: o.isNew ?? false
        }
      : {}),
    now: org.clock(),
    zone: org.userTimeZone(o.userId),
    blankAsZero: o.blankAsZero ?? false
  };
}

/** Value of a formula field on a record, converted to the field's type (numbers rounded to its scale). */
export function evaluateFormulaField(
  org: Org,
  obj: ObjectDescribe,
  rec: Record<string, unknown> | Rec,
  f: FieldDescribe,
  userId: string
): unknown {
  const ctx = recordFormulaContext(org, obj, rec, {
    userId,
    blankAsZero: f.formulaTreatBlanksAs !== 'BlankAsBlank'
  });
  const v = evaluate(parseFormula(f.calculatedFormula!), ctx);
  if (v === null || v === undefined || v === '') return f.type === 'boolean' ? false : null;
  switch (f.type) {
    case 'double':
    case 'currency':
    case 'percent':
    case 'integer':
      return roundToScale(Number(v), f.scale);
    case 'boolean':
      return v === true;
    case 'datetime':
      return new Date(String(v)).toISOString();
    default:
      return typeof v === 'string' ? v : String(v);
  }
}
