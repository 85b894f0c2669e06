// Tooling API: test runs (runTestsSynchronous / runTestsAsynchronous) and the tooling
// objects the sf CLI polls (ApexTestRunResult, ApexTestQueueItem, ApexTestResult,
// ApexCodeCoverage, ApexCodeCoverageAggregate, ApexOrgWideCoverage, ApexClass,
// ApexTrigger), answered by a small SOQL evaluator over in-memory tables;
// executeAnonymous over REST.
import { parseQuery, type Query, type WhereClause } from '@jetstreamapp/soql-parser-js';
import { apexIdFor, type TestRunOutput } from './apex-engine.ts';
import { restError } from './http.ts';
import { newSfId } from './ids.ts';

type Row = Record<string, unknown>;

export interface CoverageSummary {
  id: string;
  name: string;
  type: 'Class' | 'Trigger';
  numLocations: number;
  numLocationsNotCovered: number;
  coveredLines: number[];
  uncoveredLines: number[];
}

export function coverageForClasses(output: TestRunOutput): CoverageSummary[] {
  return output.coverage.map((c) => ({
    id: apexIdFor(c.name, c.type),
    name: c.name,
    type: c.type,
    numLocations: c.coveredLines.length + c.uncoveredLines.length,
    numLocationsNotCovered: c.uncoveredLines.length,
    coveredLines: c.coveredLines,
    uncoveredLines: c.uncoveredLines
  }));
}

/** In-memory tooling tables. */
export class ToolingTables {
  readonly tables = new Map<string, Row[]>();

  rows(name: string): Row[] {
    let t = this.tables.get(name.toLowerCase());
    if (!t) this.tables.set(name.toLowerCase(), (t = []));
    return t;
  }

  replace(name: string, rows: Row[]): void {
    this.tables.set(name.toLowerCase(), rows);
  }

  /** Records a finished (or queued) test run; returns the AsyncApexJobId. */
  queueRun(classNames: string[], userId: string): { jobId: string; items: Row[]; run: Row } {
    const jobId = newSfId('707');
    const run: Row = {
      Id: newSfId('05m'),
      AsyncApexJobId: jobId,
      Status: 'Queued',
      ClassesCompleted: 0,
      ClassesEnqueued: classNames.length,
      MethodsCompleted: 0,
      MethodsEnqueued: 0,
      MethodsFailed: 0,
      StartTime: new Date().toISOString(),
      EndTime: null,
      TestTime: null,
      TestSetupTime: 0,
      UserId: userId,
      IsAllTests: false,
      JobName: null,
      Source: 'REST'
    };
    this.rows('ApexTestRunResult').push(run);
    const items = classNames.map((name) => {
      const item: Row = {
        Id: newSfId('709'),
        Status: 'Queued',
        ApexClassId: apexIdFor(name),
        ParentJobId: jobId,
        TestRunResultId: run.Id,
        ExtendedStatus: null,
        ShouldSkipCodeCoverage: false
      };
      this.rows('ApexTestQueueItem').push(item);
      return item;
    });
    return { jobId, items, run };
  }

  completeRun(jobId: string, output: TestRunOutput, skipCoverage: boolean): void {
    const run = this.rows('ApexTestRunResult').find((r) => r.AsyncApexJobId === jobId)!;
    const items = this.rows('ApexTestQueueItem').filter((q) => q.ParentJobId === jobId);
    const stamp = new Date().toISOString();
    for (const m of output.methods) {
      const item = items.find((q) => q.ApexClassId === m.classId);
      this.rows('ApexTestResult').push({
        Id: newSfId('07M'),
        QueueItemId: item?.Id ?? null,
        AsyncApexJobId: jobId,
        ApexTestRunResultId: run.Id,
        ApexClassId: m.classId,
        ApexClass: {
          attributes: { type: 'ApexClass' },
          Id: m.classId,
          Name: m.className,
          NamespacePrefix: null
        },
        MethodName: m.methodName,
        Outcome: m.outcome,
        Message: m.message ?? null,
        StackTrace: m.stackTrace ?? null,
        RunTime: m.timeMs,
        TestTimestamp: stamp,
        ApexLogId: null,
        IsTestSetup: false
      });
      if (!skipCoverage) {
        for (const c of m.coverage) {
          const id = apexIdFor(c.name, c.type);
          this.rows('ApexCodeCoverage').push({
            Id: newSfId('714'),
            ApexTestClassId: m.classId,
            TestMethodName: m.methodName,
            ApexClassOrTriggerId: id,
            ApexClassOrTrigger: { attributes: { type: 'Name' }, Id: id, Name: c.name },
            NumLinesCovered: c.coveredLines.length,
            NumLinesUncovered: c.uncoveredLines.length,
            Coverage: { coveredLines: c.coveredLines, uncoveredLines: c.uncoveredLines }
          });
        }
      }
    }
    if (!skipCoverage) this.mergeAggregate(output);
    for (const item of items) item.Status = 'Completed';
    run.Status = 'Completed';
    run.ClassesCompleted = items.length;
    run.MethodsEnqueued = output.methods.length;
    run.MethodsCompleted = output.methods.length;
    run.MethodsFailed = output.methods.filter((m) => m.outcome !== 'Pass').length;
    run.EndTime = stamp;
    run.TestTime = output.totalTimeMs;
  }

  failRun(jobId: string, message: string): void {
    const run = this.rows('ApexTestRunResult').find((r) => r.AsyncApexJobId === jobId);
    if (run) {
      run.Status = 'Failed';
      run.EndTime = new Date().toISOString();
    }
    for (const item of this.rows('ApexTestQueueItem').filter((q) => q.ParentJobId === jobId)) {
      item.Status = 'Failed';
      item.ExtendedStatus = message;
    }
  }

  /** Org-wide aggregate: the union of covered lines per class over all runs. */
  private mergeAggregate(output: TestRunOutput): void {
    const agg = this.rows('ApexCodeCoverageAggregate');
    for (const c of output.coverage) {
      const id = apexIdFor(c.name, c.type);
      let row = agg.find((r) => r.ApexClassOrTriggerId === id);
      const all = new Set([...c.coveredLines, ...c.uncoveredLines]);
      const prevCovered = new Set<number>(
        ((row?.Coverage as { coveredLines?: number[] } | undefined)?.coveredLines ?? []).filter(
          (l) => all.has(l)
        )
      );
      for (const l of c.coveredLines) prevCovered.add(l);
      const covered = [...prevCovered].sort((a, b) => a - b);
      const uncovered = [...all].filter((l) => !prevCovered.has(l)).sort((a, b) => a - b);
      if (!row) {
        row = { Id: newSfId('715'), ApexClassOrTriggerId: id };
        agg.push(row);
      }
      row.ApexClassOrTrigger = { attributes: { type: 'Name' }, Id: id, Name: c.name };
      row.NumLinesCovered = covered.length;
      row.NumLinesUncovered = uncovered.length;
      row.Coverage = { coveredLines: covered, uncoveredLines: uncovered };
    }
    let total = 0;
    let covered = 0;
    for (const r of agg) {
      total += Number(r.NumLinesCovered) + Number(r.NumLinesUncovered);
      covered += Number(r.NumLinesCovered);
    }
    this.replace('ApexOrgWideCoverage', [
      {
        Id: 'ApexOrgWideCoverage',
        PercentCovered: total === 0 ? 0 : Math.floor((covered / total) * 100)
      }
    ]);
  }

  /** Runs a SOQL query over the tooling tables. */
  query(
    soql: string,
    version: string
  ): { totalSize: number; done: boolean; records: Row[]; entityTypeName: string } {
    let q: Query;
    try {
      q = parseQuery(soql) as Query;
    } catch (err) {
      throw restError(400, 'MALFORMED_QUERY', (err as Error).message);
    }
    const entity = q.sObject ?? '';
    if (!this.tables.has(entity.toLowerCase())) {
      throw restError(
        400,
        'INVALID_TYPE',
        `\n${soql}\n^\nERROR at Row:1:Column:1\nsObject type '${entity}' is not supported.`
      );
    }
    const table = this.rows(entity);
    let rows = table.filter((r) => !q.where || evalWhere(q.where, r));
    const countOnly = (q.fields ?? []).some(
      (f) =>
        f.type === 'FieldFunctionExpression' &&
        f.functionName.toUpperCase() === 'COUNT' &&
        !f.parameters?.length
    );
    if (q.orderBy) {
      const orders = Array.isArray(q.orderBy) ? q.orderBy : [q.orderBy];
      rows = [...rows].sort((a, b) => {
        for (const o of orders) {
          if (!('field' in o) || !o.field) continue;
          const av = getPath(a, o.field.split('.'));
          const bv = getPath(b, o.field.split('.'));
          const cmp =
            av === bv
              ? 0
              : av === null || av === undefined
                ? -1
                : bv === null || bv === undefined
                  ? 1
                  : String(av) < String(bv)
                    ? -1
                    : 1;
          if (cmp !== 0) return o.order === 'DESC' ? -cmp : cmp;
        }
        return 0;
      });
    }
    if (q.offset) rows = rows.slice(q.offset);
    if (q.limit !== undefined) rows = rows.slice(0, q.limit);
    if (countOnly)
      return { totalSize: rows.length, done: true, records: [], entityTypeName: entity };
    const records = rows.map((r) => project(q, entity, r, version));
    return { totalSize: records.length, done: true, records, entityTypeName: entity };
  }
}

function getPath(row: Row, path: string[]): unknown {
  let v: unknown = row;
  for (const p of path) {
    if (v === null || v === undefined || typeof v !== 'object') return null;
    const obj = v as Row;
    const key = Object.keys(obj).find((k) => k.toLowerCase() === p.toLowerCase());
    v = key === undefined ? undefined : obj[key];
  }
  return v;
}

function project(q: Query, entity: string, row: Row, version: string): Row {
  const out: Row = {
    attributes: {
      type: entity,
      url: `/services/data/${version}/tooling/sobjects/${entity}/${String(row.Id ?? '')}`
    }
  };
  const setPath = (path: string[], value: unknown, target: Row, source: Row): void => {
    const key =
      Object.keys(source).find((k) => k.toLowerCase() === path[0]!.toLowerCase()) ?? path[0]!;
    if (path.length === 1) {
      target[key] = value === undefined ? null : value;
      return;
    }
    const child = source[key];
    if (child === null || child === undefined) {
      target[key] = null;
      return;
    }
    const existing = (target[key] as Row | undefined) ?? {
      attributes: (child as Row).attributes ?? { type: key }
    };
    target[key] = existing;
    setPath(path.slice(1), value, existing, child as Row);
  };
  for (const f of q.fields ?? []) {
    if (f.type === 'Field') setPath([f.field], getPath(row, [f.field]), out, row);
    else if (f.type === 'FieldRelationship') {
      const path = [...f.relationships, f.field];
      setPath(path, getPath(row, path), out, row);
    } else {
      throw restError(
        400,
        'MALFORMED_QUERY',
        `unsupported in local-org: tooling query field ${JSON.stringify(f)}`
      );
    }
  }
  return out;
}

function literal(v: string, type: string | undefined): unknown {
  if (type === 'NULL' || v.toUpperCase() === 'NULL') return null;
  if (type === 'BOOLEAN') return v.toUpperCase() === 'TRUE';
  if (type === 'INTEGER' || type === 'DECIMAL') return Number(v);
  if (v.startsWith("'") && v.endsWith("'")) return v.slice(1, -1).replace(/\\'/g, "'");
  return v;
}

function same(a: unknown, b: unknown): boolean {
  if (a === null || a === undefined || a === '') return b === null || b === undefined || b === '';
  if (b === null || b === undefined) return false;
  const as = String(a);
  const bs = String(b);
  // Ids compare case-sensitively by their 15-character form.
  if (
    /^[A-Za-z0-9]{15}([A-Za-z0-9]{3})?$/.test(as) &&
    /^[A-Za-z0-9]{15}([A-Za-z0-9]{3})?$/.test(bs) &&
    /\d/.test(as)
  ) {
    return as.slice(0, 15) === bs.slice(0, 15);
  }
  return as.toLowerCase() === bs.toLowerCase();
}

function evalWhere(w: WhereClause, row: Row): boolean {
  const left = w.left as unknown as Record<string, unknown> | undefined;
  let result = true;
  if (left && 'field' in left) {
    const actual = getPath(row, String(left.field).split('.'));
    const op = String(left.operator ?? '=').toUpperCase();
    const raw = left.value;
    const type = left.literalType as string | undefined;
    const values = Array.isArray(raw)
      ? raw.map((v, i) => literal(String(v), Array.isArray(type) ? type[i] : type))
      : [literal(String(raw), type)];
    switch (op) {
      case '=':
        result = same(actual, values[0]);
        break;
      case '!=':
      case '<>':
        result = !same(actual, values[0]);
        break;
      case 'IN':
        result = values.some((v) => same(actual, v));
        break;
      case 'NOT IN':
        result = !values.some((v) => same(actual, v));
        break;
      case 'LIKE': {
        const pattern = String(values[0])
          .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
          .replace(/%/g, '.*')
          .replace(/_/g, '.');
        result = new RegExp(`^${pattern}$`, 'i').test(String(actual ?? ''));
        break;
      }
      default:
        throw restError(
          400,
          'MALFORMED_QUERY',
          `unsupported in local-org: tooling query operator ${op}`
        );
    }
    if (left.openParen || left.closeParen) {
      // Parentheses are handled by the parser's tree shape; nothing else to do.
    }
  } else if (left) {
    throw restError(400, 'MALFORMED_QUERY', 'unsupported in local-org: tooling query condition');
  }
  if ('operator' in w && w.operator === 'NOT') result = !result;
  if ('right' in w && w.right) {
    const op = (w as { operator?: string }).operator;
    const rightValue = evalWhere(w.right, row);
    if (op === 'AND') return result && rightValue;
    if (op === 'OR') return result || rightValue;
  }
  return result;
}
