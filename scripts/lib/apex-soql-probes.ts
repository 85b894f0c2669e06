/**
 * Field checks for static SOQL, for stage 2 of check:apex.
 *
 * apex-ls resolves the object after FROM and the bind variables of a `[SELECT …]` query, but not
 * the fields in it: `[SELECT Bogus__c FROM Contact]` passes CheckForIssues. So for every field a
 * static query names (SELECT list, functions, WHERE, GROUP BY, ORDER BY, child-relationship and
 * semi-join subqueries) we write one "probe" line of Apex that reads that field path from the
 * query's object, e.g. `v = ((Schema.Contact) null).Account.Bogus__c;`, and let apex-ls resolve it
 * against the platform's objects and the project's metadata in the same run as everything else.
 * An error on a probe line is reported at the field's position in the original query.
 *
 * apex-ls does not report unknown fields on a standard object the project extends with fields of its
 * own (it treats such an object as incomplete), so for those objects customFieldGaps() compares the
 * custom fields a query names directly with the project's field metadata.
 *
 * Not covered: dynamic SOQL (Database.query strings), TYPEOF branches (polymorphic), SOSL.
 */
import {
  FieldNameContext,
  FromNameListContext,
  QueryContext,
  SelectEntryContext,
  SoqlIdContext,
  SubFieldEntryContext,
  SubQueryContext,
  TypeOfContext,
  type ApexParserRuleContext
} from '@apexdevtools/apex-parser';

export interface SoqlFieldProbe {
  /** Source file, relative to the project root. */
  file: string;
  line: number;
  column: number;
  /** Field path as written in the query, e.g. `Account.Owner.Name`. */
  field: string;
  /** Apex expression that reads the field, e.g. `((Schema.Contact) null).Account.Owner.Name`. */
  expression: string;
  /** The queried object the path starts from (after FROM); unset inside child-relationship subqueries. */
  object?: string;
}

type AnyQuery = QueryContext | SubQueryContext;

function children(ctx: ApexParserRuleContext): ApexParserRuleContext[] {
  return (ctx.children ?? []).filter(
    (c): c is ApexParserRuleContext =>
      typeof (c as ApexParserRuleContext).getChildCount === 'function'
  );
}

/** The probes for every static query in one parsed Apex source (see parseApex in apex-syntax.ts). */
export function soqlFieldProbes(tree: ApexParserRuleContext, file: string): SoqlFieldProbe[] {
  const probes: SoqlFieldProbe[] = [];
  const visit = (ctx: ApexParserRuleContext): void => {
    if (ctx instanceof QueryContext) {
      probeQuery(ctx, undefined, file, probes);
      return;
    }
    for (const child of children(ctx)) visit(child);
  };
  visit(tree);
  return probes;
}

/**
 * @param base for a child-relationship subquery, the expression of one child record
 *   (`((Schema.Account) null).Contacts[0]`); undefined for a top-level or semi-join query.
 */
function probeQuery(
  query: AnyQuery,
  base: string | undefined,
  file: string,
  out: SoqlFieldProbe[]
): void {
  const from: FromNameListContext = query.fromNameList();
  const fromName = from.fieldName(0)?.getText();
  if (!fromName) return;
  const recordExpr = base ? `${base}.${fromName}[0]` : `((Schema.${fromName}) null)`;
  const objectAlias = from.soqlId(0)?.getText().toLowerCase();
  const selectAliases = new Set<string>();

  const addField = (field: FieldNameContext): void => {
    const parts = field.soqlId_list().map((id) => id.getText());
    if (objectAlias && parts.length > 1 && parts[0]?.toLowerCase() === objectAlias) parts.shift();
    if (parts.length === 1 && selectAliases.has((parts[0] ?? '').toLowerCase())) return;
    out.push({
      file,
      line: field.start.line,
      column: field.start.column + 1,
      field: parts.join('.'),
      expression: `${recordExpr}.${parts.join('.')}`,
      ...(base ? {} : { object: fromName })
    });
  };

  // Field names anywhere under ctx, except inside TYPEOF and nested queries (handled on their own).
  const collect = (ctx: ApexParserRuleContext): void => {
    for (const child of children(ctx)) {
      if (child instanceof TypeOfContext) continue;
      if (child instanceof SubQueryContext || child instanceof QueryContext) {
        // A subquery in WHERE is a semi-join on an object of its own.
        probeQuery(child, undefined, file, out);
        continue;
      }
      if (child instanceof FieldNameContext) addField(child);
      else collect(child);
    }
  };

  const entries: (SelectEntryContext | SubFieldEntryContext)[] =
    query instanceof QueryContext
      ? query.selectList().selectEntry_list()
      : query.subFieldList().subFieldEntry_list();
  for (const entry of entries) {
    const alias: SoqlIdContext | null = entry.soqlId();
    if (alias) selectAliases.add(alias.getText().toLowerCase());
  }
  for (const entry of entries) {
    const sub = entry.subQuery();
    if (sub) {
      probeQuery(sub, recordExpr, file, out); // child relationship of this object
    } else if (entry.typeOf()) {
      continue;
    } else if (entry.fieldName()) {
      addField(entry.fieldName());
    } else {
      collect(entry);
    }
  }

  for (const clause of [
    query.whereClause(),
    query instanceof QueryContext ? query.groupByClause() : null,
    query.orderByClause()
  ]) {
    if (clause) collect(clause);
  }
}

/** Apex source of the probe class: one probe per line; `lineOf[i]` is the line of probe i. */
export function probeClassSource(
  className: string,
  probes: SoqlFieldProbe[]
): { text: string; lineOf: number[] } {
  const lines = [
    '// Generated by check:apex (scripts/lib/apex-soql-probes.ts) in a temporary copy of the project.',
    `public class ${className} {`,
    '    public static void probe() {',
    '        Object v;'
  ];
  const lineOf: number[] = [];
  for (const probe of probes) {
    lines.push(`        v = ${probe.expression};`);
    lineOf.push(lines.length);
  }
  lines.push('    }', '}', '');
  return { text: lines.join('\n'), lineOf };
}

/** Custom fields the project declares on standard objects, by lower-cased object name. */
export type ExtendedStandardObjects = Map<string, Set<string>>;

const CUSTOM_SUFFIX = /__(c|mdt|e|x|b|kav|share|history|feed)$/i;

/**
 * Reads the field files of every `objects/<Object>/fields` folder under the package directories,
 * (no `__c`/`__mdt`/… suffix). Activity fields also belong to Task and Event.
 */
export async function readExtendedStandardObjects(
  packageRoots: string[],
  listDir: (dir: string) => Promise<{ name: string; isDirectory: boolean }[]>
): Promise<ExtendedStandardObjects> {
  const result: ExtendedStandardObjects = new Map();
  const add = (object: string, field: string): void => {
    const key = object.toLowerCase();
    const fields = result.get(key) ?? new Set<string>();
    fields.add(field.toLowerCase());
    result.set(key, fields);
  };
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await listDir(dir)) {
      if (!entry.isDirectory) continue;
      const full = `${dir}/${entry.name}`;
      if (entry.name !== 'objects') {
        await walk(full);
        continue;
      }
      for (const object of await listDir(full)) {
        if (!object.isDirectory || CUSTOM_SUFFIX.test(object.name)) continue;
        const fieldEntries = await listDir(`${full}/${object.name}/fields`);
        for (const f of fieldEntries) {
          if (!f.name.endsWith('.field-meta.xml')) continue;
          const field = f.name.slice(0, -'.field-meta.xml'.length);
          add(object.name, field);
          if (object.name.toLowerCase() === 'activity') {
            add('Task', field);
            add('Event', field);
          }
        }
      }
    }
  };
  for (const root of packageRoots) await walk(root);
  return result;
}

/**
 * Probes naming a custom field (`X__c`, or `X__r` for its relationship) directly on a standard
 * object the project extends, where the project declares no such field.
 */
export function customFieldGaps(
  probes: SoqlFieldProbe[],
  extended: ExtendedStandardObjects
): SoqlFieldProbe[] {
  return probes.filter((probe) => {
    if (!probe.object) return false;
    const fields = extended.get(probe.object.toLowerCase());
    if (!fields) return false;
    const first = probe.field.split('.')[0] ?? '';
    const field = /__r$/i.test(first) ? first.replace(/__r$/i, '__c') : first;
    if (!/__c$/i.test(field)) return false;
    // A namespaced field (ns__Field__c) comes from an installed package, not from this project.
    if (field.split('__').length > 2) return false;
    return !fields.has(field.toLowerCase());
  });
}
