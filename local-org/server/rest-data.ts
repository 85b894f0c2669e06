// REST data API: /services/data, versions, resources, query/queryAll with paging, sobjects
// describe, record CRUD, upsert by external id, limits, composite.
import { parseQuery, type Query } from '@jetstreamapp/soql-parser-js';
import type {
  DataCtx,
  DataOrg,
  DmlResult,
  FieldDescribe,
  ObjectDescribe,
  QueryResult
} from './backend.ts';
import {
  notFound,
  parseJsonBody,
  restError,
  SfHttpError,
  type Reply,
  type Request,
  type Router
} from './http.ts';
import { newSfId } from './ids.ts';

export interface RestContext {
  org: () => DataOrg;
  /** Runs `fn` inside the org's transaction lock. */
  transact: <T>(fn: () => T | Promise<T>) => Promise<T>;
  userOf: (req: Request) => { id: string; username: string };
  /** Called after a request changed records. */
  changed: () => void;
  /** The identity URL (`<instance>/id/<org>/<user>`) of a user. */
  identityUrl: (userId: string) => string;
}

export const MIN_API = 31;
export const MAX_API = 65;

const RELEASES = ['Spring', 'Summer', 'Winter'];

export function versionLabel(v: number): string {
  // v31.0 = Summer '14; three releases a year.
  const idx = v - 31 + 1;
  const season = RELEASES[((idx % 3) + 3) % 3]!;
  const year = 14 + Math.floor((idx + (season === 'Winter' ? 1 : 0)) / 3);
  return `${season} '${String(year).padStart(2, '0')}`;
}

export function apiVersions(): { label: string; url: string; version: string }[] {
  const out = [];
  for (let v = MIN_API; v <= MAX_API; v++) {
    out.push({ label: versionLabel(v), url: `/services/data/v${v}.0`, version: `${v}.0` });
  }
  return out;
}

const V = '(?<v>v\\d+\\.\\d)';

/** Maps an exception from the data layer to Salesforce's REST error. */
export function toRestError(err: unknown): SfHttpError {
  if (err instanceof SfHttpError) return err;
  const e = err as Error & { statusCode?: string; inaccessibleFields?: unknown };
  const name = e?.name ?? '';
  const message = e?.message ?? String(err);
  if (name === 'QueryError') {
    let code = 'MALFORMED_QUERY';
    if (/No such column|Didn't understand relationship|invalid field/i.test(message)) {
      code = 'INVALID_FIELD';
    } else if (/sObject type .* is not supported/i.test(message)) code = 'INVALID_TYPE';
    else if (/bind variable|invalid ID field/i.test(message))
      code = 'INVALID_QUERY_FILTER_OPERATOR';
    else if (/insufficient access|inaccessible|not accessible/i.test(message)) {
      code = 'INSUFFICIENT_ACCESS';
    }
    return restError(400, code, message);
  }
  if (name === 'UnsupportedError') return restError(501, 'NOT_IMPLEMENTED', message);
  if (name === 'DmlOperationError')
    return restError(400, e.statusCode ?? 'INVALID_OPERATION', message);
  return restError(500, 'UNKNOWN_EXCEPTION', `An unexpected error occurred: ${message}`);
}

function dmlErrorToRest(result: DmlResult, status = 400): SfHttpError {
  return new SfHttpError(
    status,
    result.errors.map((e) => ({
      message: e.message,
      errorCode: e.statusCode,
      fields: e.fields ?? []
    }))
  );
}

/** Adds `attributes.url` (as the REST API does) to every record and nested record. */
export function decorateRecords(value: unknown, version: string): unknown {
  if (Array.isArray(value)) return value.map((v) => decorateRecords(v, version));
  if (value === null || typeof value !== 'object') return value;
  const rec = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(rec)) {
    if (k === 'attributes' && v && typeof v === 'object') {
      const attrs = { ...(v as Record<string, unknown>) };
      if (attrs.url === undefined && typeof rec.Id === 'string' && typeof attrs.type === 'string') {
        attrs.url = `/services/data/${version}/sobjects/${attrs.type}/${rec.Id}`;
      }
      out[k] = attrs;
    } else {
      out[k] = decorateRecords(v, version);
    }
  }
  return out;
}

interface Cursor {
  records: unknown[];
  totalSize: number;
  position: number;
  batch: number;
  userId: string;
  createdAt: number;
}

const SOAP_TYPES: Record<string, string> = {
  id: 'tns:ID',
  reference: 'tns:ID',
  boolean: 'xsd:boolean',
  double: 'xsd:double',
  currency: 'xsd:double',
  percent: 'xsd:double',
  integer: 'xsd:int',
  long: 'xsd:long',
  date: 'xsd:date',
  datetime: 'xsd:dateTime',
  time: 'xsd:time',
  base64: 'xsd:base64Binary',
  location: 'urn:location',
  address: 'urn:address'
};

export function restFieldDescribe(f: FieldDescribe): Record<string, unknown> {
  return {
    aggregatable: f.type !== 'textarea' || f.length <= 255,
    autoNumber: f.autoNumber,
    byteLength: f.length * 3,
    calculated: f.calculated,
    calculatedFormula: f.calculatedFormula,
    cascadeDelete: f.cascadeDelete,
    caseSensitive: f.caseSensitive,
    compoundFieldName: null,
    createable: f.createable,
    custom: f.custom,
    defaultValue: f.defaultValue ?? null,
    defaultValueFormula: f.defaultValueFormula,
    defaultedOnCreate: f.defaultedOnCreate,
    dependentPicklist: false,
    deprecatedAndHidden: false,
    digits: f.digits,
    externalId: f.externalId,
    filterable: f.filterable,
    groupable: f.groupable,
    htmlFormatted: f.htmlFormatted,
    idLookup: f.idLookup,
    label: f.label,
    length: f.length,
    name: f.name,
    nameField: f.nameField,
    nillable: f.nillable,
    permissionable: f.custom && f.nillable,
    picklistValues: f.picklistValues.map((p) => ({
      active: p.active,
      defaultValue: p.defaultValue,
      label: p.label,
      validFor: null,
      value: p.value
    })),
    polymorphicForeignKey: f.polymorphic,
    precision: f.precision,
    referenceTo: f.referenceTo,
    relationshipName: f.relationshipName,
    relationshipOrder: f.masterDetail ? 0 : null,
    restrictedDelete: f.restrictedDelete,
    restrictedPicklist: f.restrictedPicklist,
    scale: f.scale,
    soapType: SOAP_TYPES[f.type] ?? 'xsd:string',
    sortable: f.sortable,
    type: f.type,
    unique: f.unique,
    updateable: f.updateable,
    writeRequiresMasterRead: f.masterDetail
  };
}

function objectUrls(version: string, name: string): Record<string, string> {
  const base = `/services/data/${version}/sobjects/${name}`;
  return { sobject: base, describe: `${base}/describe`, rowTemplate: `${base}/{ID}` };
}

export function globalDescribeEntry(o: ObjectDescribe, version: string): Record<string, unknown> {
  return {
    activateable: false,
    createable: o.createable,
    custom: o.custom,
    customSetting: o.isCustomSetting,
    deepCloneable: false,
    deletable: o.deletable,
    deprecatedAndHidden: false,
    feedEnabled: false,
    hasSubtypes: false,
    isInterface: false,
    isSubtype: false,
    keyPrefix: o.keyPrefix || null,
    label: o.label,
    labelPlural: o.labelPlural,
    layoutable: !o.isCustomMetadata && !o.isPlatformEvent,
    mergeable: false,
    mruEnabled: false,
    name: o.name,
    queryable: o.queryable,
    replicateable: o.queryable,
    retrieveable: o.queryable,
    searchable: false,
    triggerable: o.triggerable,
    undeletable: o.undeletable,
    updateable: o.updateable,
    urls: objectUrls(version, o.name)
  };
}

export function fullDescribe(o: ObjectDescribe, version: string): Record<string, unknown> {
  return {
    ...globalDescribeEntry(o, version),
    actionOverrides: [],
    childRelationships: o.childRelationships.map((c) => ({
      cascadeDelete: c.cascadeDelete,
      childSObject: c.childSObject,
      deprecatedAndHidden: false,
      field: c.field,
      junctionIdListNames: [],
      junctionReferenceTo: [],
      relationshipName: c.relationshipName,
      restrictedDelete: c.restrictedDelete
    })),
    compactLayoutable: true,
    fields: o.fieldList.map(restFieldDescribe),
    namedLayoutInfos: [],
    networkScopeFieldName: null,
    recordTypeInfos: [],
    searchLayoutable: false,
    supportedScopes: [{ label: 'All', name: 'everything' }],
    urls: objectUrls(version, o.name)
  };
}

function apexTypeOf(f: FieldDescribe | undefined): string | null {
  if (!f) return null;
  const map: Record<string, string> = {
    id: 'Id',
    reference: 'Id',
    boolean: 'Boolean',
    double: 'Double',
    currency: 'Double',
    percent: 'Double',
    integer: 'Integer',
    long: 'Long',
    date: 'Date',
    datetime: 'Datetime',
    time: 'Time'
  };
  return map[f.type] ?? 'String';
}

/** `columns=true`: the column metadata of a query, without running it. */
export function columnMetadata(org: DataOrg, soql: string): Record<string, unknown> {
  let parsed: Query;
  try {
    parsed = parseQuery(soql) as Query;
  } catch (err) {
    throw restError(400, 'MALFORMED_QUERY', (err as Error).message);
  }
  const entity = parsed.sObject ?? '';
  const obj = org.schema.findObject(entity);
  if (!obj) {
    throw restError(
      400,
      'INVALID_TYPE',
      `sObject type '${entity}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name.`
    );
  }
  const describeColumn = (
    path: string[],
    source: ObjectDescribe | undefined
  ): Record<string, unknown> => {
    let current = source;
    let field: FieldDescribe | undefined;
    for (let i = 0; i < path.length; i++) {
      const name = path[i]!;
      if (i < path.length - 1) {
        const rel = current?.fieldList.find(
          (f) => f.relationshipName?.toLowerCase() === name.toLowerCase()
        );
        current = rel ? org.schema.findObject(rel.referenceTo[0] ?? '') : undefined;
      } else {
        field = current?.fieldList.find((f) => f.name.toLowerCase() === name.toLowerCase());
      }
    }
    const apexType = apexTypeOf(field);
    const joinColumns: Record<string, unknown>[] = [];
    if (path.length > 1) {
      return {
        aggregate: false,
        apexType: null,
        booleanType: false,
        columnName: path[0],
        custom: false,
        displayName: path[0],
        foreignKeyName: null,
        insertable: false,
        joinColumns: [describeColumn(path.slice(1), current)],
        numberType: false,
        textType: false,
        updatable: false
      };
    }
    return {
      aggregate: false,
      apexType,
      booleanType: apexType === 'Boolean',
      columnName: field?.name ?? path[0],
      custom: field?.custom ?? false,
      displayName: field?.name ?? path[0],
      foreignKeyName: null,
      insertable: field?.createable ?? false,
      joinColumns,
      numberType: ['Double', 'Integer', 'Long'].includes(apexType ?? ''),
      textType: apexType === 'String',
      updatable: field?.updateable ?? false
    };
  };
  const columns: Record<string, unknown>[] = [];
  let idSelected = false;
  for (const f of parsed.fields ?? []) {
    if (f.type === 'Field') {
      if (f.field.toLowerCase() === 'id') idSelected = true;
      columns.push(describeColumn([f.field], obj));
    } else if (f.type === 'FieldRelationship') {
      columns.push(describeColumn([...f.relationships, f.field], obj));
    } else if (f.type === 'FieldFunctionExpression') {
      columns.push({
        aggregate: true,
        apexType: f.functionName.toUpperCase() === 'COUNT' ? 'Integer' : null,
        booleanType: false,
        columnName: f.alias ?? `expr${columns.length}`,
        custom: false,
        displayName: f.alias ?? f.rawValue ?? f.functionName,
        foreignKeyName: null,
        insertable: false,
        joinColumns: [],
        numberType: true,
        textType: false,
        updatable: false
      });
    } else if (f.type === 'FieldSubquery') {
      columns.push({
        aggregate: true,
        apexType: null,
        booleanType: false,
        columnName: f.subquery.relationshipName,
        custom: false,
        displayName: f.subquery.relationshipName,
        foreignKeyName: null,
        insertable: false,
        joinColumns: [],
        numberType: false,
        textType: false,
        updatable: false
      });
    }
  }
  return {
    columnMetadata: columns,
    entityName: obj.name,
    groupBy: Boolean(parsed.groupBy),
    idSelected,
    keyPrefix: null
  };
}

export function registerRestData(router: Router, ctx: RestContext): void {
  const cursors = new Map<string, Cursor>();
  const ctxOf = (req: Request): DataCtx => ({ userId: ctx.userOf(req).id, mode: 'user' });
  /** The object, or 404 when it does not exist or the user cannot see it (as Salesforce). */
  const objectOr404 = (name: string, req: Request): ObjectDescribe => {
    const org = ctx.org();
    const obj = org.schema.findObject(name);
    if (!obj || !org.permissions.objectAccess(ctx.userOf(req).id, obj.name).read) throw notFound();
    return obj;
  };

  router.add('GET', /^\/services\/data\/?$/, () => ({ status: 200, body: apiVersions() }));

  router.add('GET', new RegExp(`^/services/data/${V}/?$`), (req) => {
    const v = req.params.v!;
    const base = `/services/data/${v}`;
    return {
      status: 200,
      body: {
        tooling: `${base}/tooling`,
        metadata: `${base}/metadata`,
        query: `${base}/query`,
        queryAll: `${base}/queryAll`,
        sobjects: `${base}/sobjects`,
        limits: `${base}/limits`,
        composite: `${base}/composite`,
        identity: ctx.identityUrl(ctx.userOf(req).id)
      }
    };
  });

  router.add('GET', new RegExp(`^/services/data/${V}/limits/?$`), () => {
    const lim = (max: number, used = 0) => ({ Max: max, Remaining: max - used });
    return {
      status: 200,
      body: {
        ConcurrentAsyncGetReportInstances: lim(200),
        DailyApiRequests: lim(15000),
        DailyAsyncApexExecutions: lim(250000),
        DailyBulkApiBatches: lim(15000),
        DailyBulkV2QueryJobs: lim(10000),
        DataStorageMB: lim(5),
        FileStorageMB: lim(20),
        HourlyODataCallout: lim(10000),
        MassEmail: lim(10),
        SingleEmail: lim(15),
        StreamingApiConcurrentClients: lim(20)
      }
    };
  });

  // ---- query / queryAll -------------------------------------------------------------
  const runQuery = async (req: Request, all: boolean): Promise<Reply> => {
    const v = req.params.v!;
    const q = req.query.get('q') ?? req.query.get('Q');
    if (q === null || q.trim() === '') {
      throw restError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
    }
    const org = ctx.org();
    if (req.query.get('columns') === 'true') {
      return { status: 200, body: columnMetadata(org, q) };
    }
    const user = ctx.userOf(req);
    const options = String(req.headers['sforce-query-options'] ?? '');
    const bm = /batchSize\s*=\s*(\d+)/i.exec(options);
    const batch = bm ? Math.min(2000, Math.max(200, Number(bm[1]))) : 2000;
    let result: QueryResult;
    try {
      result = await ctx.transact(() =>
        org.query(all ? withAllRows(q) : q, {}, { userId: user.id, mode: 'user' })
      );
    } catch (err) {
      throw toRestError(err);
    }
    const records = decorateRecords(result.records, v) as unknown[];
    if (records.length <= batch) {
      return { status: 200, body: { totalSize: result.totalSize, done: true, records } };
    }
    const id = newSfId('01g');
    cursors.set(id, {
      records,
      totalSize: result.totalSize,
      position: batch,
      batch,
      userId: user.id,
      createdAt: Date.now()
    });
    return {
      status: 200,
      body: {
        totalSize: result.totalSize,
        done: false,
        nextRecordsUrl: `/services/data/${v}/${all ? 'queryAll' : 'query'}/${id}-${batch}`,
        records: records.slice(0, batch)
      }
    };
  };

  const nextPage = (req: Request): Reply => {
    const v = req.params.v!;
    const cursor = cursors.get(req.params.cursor!);
    const user = ctx.userOf(req);
    if (!cursor || cursor.userId !== user.id) {
      throw restError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    }
    const start = Number(req.params.pos);
    if (!Number.isInteger(start) || start < 0 || start > cursor.records.length) {
      throw restError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    }
    const end = Math.min(cursor.records.length, start + cursor.batch);
    const done = end >= cursor.records.length;
    const body: Record<string, unknown> = {
      totalSize: cursor.totalSize,
      done,
      records: cursor.records.slice(start, end)
    };
    if (!done)
      body.nextRecordsUrl = `/services/data/${v}/${req.params.kind}/${req.params.cursor}-${end}`;
    else cursors.delete(req.params.cursor!);
    return { status: 200, body };
  };

  router.add('GET', new RegExp(`^/services/data/${V}/query/?$`), (req) => runQuery(req, false));
  router.add('GET', new RegExp(`^/services/data/${V}/queryAll/?$`), (req) => runQuery(req, true));
  router.add(
    'GET',
    new RegExp(
      `^/services/data/${V}/(?<kind>query|queryAll)/(?<cursor>01g[A-Za-z0-9]{12,15})-(?<pos>\\d+)$`
    ),
    nextPage
  );

  // ---- sobjects -----------------------------------------------------------------------
  router.add('GET', new RegExp(`^/services/data/${V}/sobjects/?$`), (req) => {
    const v = req.params.v!;
    const org = ctx.org();
    const sobjects = org.schema
      .objectNames()
      .map((n) => org.schema.findObject(n)!)
      .filter((o) => o && org.permissions.objectAccess(ctx.userOf(req).id, o.name).read)
      .map((o) => globalDescribeEntry(o, v));
    return { status: 200, body: { encoding: 'UTF-8', maxBatchSize: 200, sobjects } };
  });

  router.add(
    'GET',
    new RegExp(`^/services/data/${V}/sobjects/(?<obj>\\w+)/describe/?$`),
    (req) => ({
      status: 200,
      body: fullDescribe(objectOr404(req.params.obj!, req), req.params.v!)
    })
  );

  router.add(
    ['GET', 'POST'],
    new RegExp(`^/services/data/${V}/sobjects/(?<obj>\\w+)/?$`),
    async (req) => {
      const v = req.params.v!;
      const obj = objectOr404(req.params.obj!, req);
      if (req.method === 'GET' || req.method === 'HEAD') {
        return {
          status: 200,
          body: { objectDescribe: globalDescribeEntry(obj, v), recentItems: [] }
        };
      }
      const record = jsonObject(req);
      const results = await ctx.transact(async () => {
        const r = callDml(() =>
          ctx.org().insert(obj.name, [{ ...record, attributes: { type: obj.name } }], ctxOf(req), {
            allOrNone: true
          })
        );
        ctx.changed();
        return r;
      });
      const result = results[0]!;
      if (!result.success) throw dmlErrorToRest(result);
      return { status: 201, body: { id: result.id, success: true, errors: [] } };
    }
  );

  const readRecord = async (
    req: Request,
    obj: ObjectDescribe,
    where: string,
    binds: Record<string, unknown>
  ) => {
    const fieldsParam = req.query.get('fields');
    const fields = fieldsParam
      ? fieldsParam
          .split(',')
          .map((f) => f.trim())
          .filter(Boolean)
      : obj.fieldList
          .filter((f) => f.type !== 'address' && f.type !== 'location')
          .map((f) => f.name);
    if (!fields.some((f) => f.toLowerCase() === 'id')) fields.unshift('Id');
    const soql = `SELECT ${fields.join(', ')} FROM ${obj.name} WHERE ${where}`;
    try {
      return await ctx.transact(() => ctx.org().query(soql, binds, ctxOf(req)));
    } catch (err) {
      throw toRestError(err);
    }
  };

  router.add(
    ['GET', 'PATCH', 'DELETE'],
    new RegExp(
      `^/services/data/${V}/sobjects/(?<obj>\\w+)/(?<id>[A-Za-z0-9]{15}|[A-Za-z0-9]{18})/?$`
    ),
    async (req) => {
      const v = req.params.v!;
      const obj = objectOr404(req.params.obj!, req);
      const id = req.params.id!;
      if (!id.startsWith(obj.keyPrefix)) {
        throw notFound(`Provided external ID field does not exist or is not accessible: ${id}`);
      }
      if (req.method === 'GET' || req.method === 'HEAD') {
        const result = await readRecord(req, obj, 'Id = :id', { id });
        if (result.records.length === 0) throw notFound();
        return { status: 200, body: decorateRecords(result.records[0], v) };
      }
      if (req.method === 'PATCH') {
        const record = jsonObject(req);
        const results = await ctx.transact(async () => {
          const r = callDml(() =>
            ctx
              .org()
              .update(
                obj.name,
                [{ ...record, Id: id, attributes: { type: obj.name } }],
                ctxOf(req),
                {
                  allOrNone: true
                }
              )
          );
          ctx.changed();
          return r;
        });
        const result = results[0]!;
        if (!result.success) throw dmlErrorToRest(result, isNotFound(result) ? 404 : 400);
        return { status: 204 };
      }
      const results = await ctx.transact(async () => {
        const r = callDml(() => ctx.org().delete(obj.name, [id], ctxOf(req), { allOrNone: true }));
        ctx.changed();
        return r;
      });
      const result = results[0]!;
      if (!result.success) throw dmlErrorToRest(result, isNotFound(result) ? 404 : 400);
      return { status: 204 };
    }
  );

  // Upsert / read by external id: /sobjects/X/Field/Value
  router.add(
    ['GET', 'PATCH', 'POST'],
    new RegExp(`^/services/data/${V}/sobjects/(?<obj>\\w+)/(?<field>\\w+)/(?<value>[^/]+)/?$`),
    async (req) => {
      const v = req.params.v!;
      const obj = objectOr404(req.params.obj!, req);
      const fieldName = req.params.field!;
      const value = decodeURIComponent(req.params.value!);
      const field = obj.fieldList.find((f) => f.name.toLowerCase() === fieldName.toLowerCase());
      if (!field || !(field.externalId || field.idLookup)) {
        throw notFound(
          `Provided external ID field does not exist or is not accessible: ${fieldName}`
        );
      }
      if (req.method === 'GET' || req.method === 'HEAD') {
        const result = await readRecord(req, obj, `${field.name} = :value`, { value });
        if (result.records.length === 0) throw notFound();
        if (result.records.length > 1) {
          return {
            status: 300,
            body: result.records.map(
              (r) => `/services/data/${v}/sobjects/${obj.name}/${String(r.Id)}`
            )
          };
        }
        return { status: 200, body: decorateRecords(result.records[0], v) };
      }
      const record = jsonObject(req);
      if (Object.keys(record).some((k) => k.toLowerCase() === field.name.toLowerCase())) {
        const given = Object.entries(record).find(
          ([k]) => k.toLowerCase() === field.name.toLowerCase()
        )![1];
        if (String(given) !== value) {
          throw restError(
            400,
            'INVALID_FIELD',
            `The value of the ${field.name} field in the request body doesn't match the value in the URL`
          );
        }
      }
      const results = await ctx.transact(async () => {
        const r = callDml(() =>
          ctx
            .org()
            .upsert(
              obj.name,
              [{ ...record, [field.name]: value, attributes: { type: obj.name } }],
              field.name,
              ctxOf(req),
              { allOrNone: true }
            )
        );
        ctx.changed();
        return r;
      });
      const result = results[0]!;
      if (!result.success) {
        if (result.errors.some((e) => e.statusCode === 'DUPLICATE_EXTERNAL_ID')) {
          throw dmlErrorToRest(result, 300);
        }
        throw dmlErrorToRest(result);
      }
      const created = result.created ?? false;
      return {
        status: created ? 201 : 200,
        body: { id: result.id, success: true, errors: [], created }
      };
    }
  );

  // ---- composite ------------------------------------------------------------------------
  router.add('POST', new RegExp(`^/services/data/${V}/composite/sobjects/?$`), async (req) => {
    const body = jsonObject(req);
    const records = body.records;
    if (!Array.isArray(records)) {
      throw restError(400, 'JSON_PARSER_ERROR', 'Expected an array of records in "records"');
    }
    if (records.length > 200) {
      throw restError(
        400,
        'EXCEEDED_ID_LIMIT',
        'record limit reached. cannot submit more than 200 records into this call'
      );
    }
    const allOrNone = body.allOrNone === true;
    const dctx = ctxOf(req);
    return ctx.transact(async () => {
      const org = ctx.org();
      const sp = org.setSavepoint();
      const results: Record<string, unknown>[] = [];
      let failed = false;
      for (const raw of records as Record<string, unknown>[]) {
        const type = (raw?.attributes as { type?: string } | undefined)?.type;
        const obj = type ? org.schema.findObject(type) : undefined;
        if (!obj) {
          failed = true;
          results.push({
            success: false,
            errors: [
              {
                statusCode: 'INVALID_TYPE',
                message: 'Must specify a valid sObject type.',
                fields: []
              }
            ]
          });
          continue;
        }
        const r = callDml(() =>
          org.insert(obj.name, [{ ...raw, attributes: { type: obj.name } }], dctx, {
            allOrNone: true
          })
        )[0]!;
        if (!r.success) failed = true;
        results.push(
          r.success
            ? { id: r.id, success: true, errors: [] }
            : {
                success: false,
                errors: r.errors.map((e) => ({
                  statusCode: e.statusCode,
                  message: e.message,
                  fields: e.fields ?? []
                }))
              }
        );
      }
      if (allOrNone && failed) {
        org.rollback(sp);
        return {
          status: 200,
          body: results.map((r) =>
            r.success
              ? {
                  success: false,
                  errors: [
                    {
                      statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
                      message:
                        'Record rolled back because not all records were valid and the request was using AllOrNone header',
                      fields: []
                    }
                  ]
                }
              : r
          )
        };
      }
      ctx.changed();
      return { status: 200, body: results };
    });
  });

  router.add('POST', new RegExp(`^/services/data/${V}/composite/?$`), async (req) => {
    const v = req.params.v!;
    const body = jsonObject(req);
    const subrequests = body.compositeRequest;
    if (!Array.isArray(subrequests) || subrequests.length === 0) {
      throw restError(400, 'INVALID_INPUT', 'compositeRequest is required');
    }
    if (subrequests.length > 25) {
      throw restError(400, 'LIMIT_EXCEEDED', 'Exceeded max limit of subrequests: 25');
    }
    const allOrNone = body.allOrNone === true;
    return ctx
      .transact(async () => {
        const org = ctx.org();
        const sp = org.setSavepoint();
        const refs = new Map<string, unknown>();
        const out: Record<string, unknown>[] = [];
        let failed = false;
        for (const sub of subrequests as Record<string, unknown>[]) {
          const referenceId = String(sub.referenceId ?? '');
          if (failed && allOrNone) {
            out.push({
              body: [
                {
                  errorCode: 'PROCESSING_HALTED',
                  message:
                    'The transaction was rolled back since another operation in the same transaction failed.'
                }
              ],
              httpHeaders: {},
              httpStatusCode: 400,
              referenceId
            });
            continue;
          }
          const url = resolveRefs(String(sub.url ?? ''), refs);
          const subBody =
            sub.body === undefined
              ? undefined
              : JSON.parse(resolveRefs(JSON.stringify(sub.body), refs));
          const reply = await dispatchSub(router, req, String(sub.method ?? 'GET'), url, subBody);
          if (reply.status >= 400) failed = true;
          if (reply.body !== undefined) refs.set(referenceId, reply.body);
          out.push({
            body: reply.body ?? null,
            httpHeaders:
              reply.status === 201 &&
              reply.body &&
              typeof reply.body === 'object' &&
              'id' in reply.body
                ? {
                    Location: `/services/data/${v}/sobjects/${url.split('/sobjects/')[1]?.split('/')[0] ?? ''}/${String((reply.body as { id: unknown }).id)}`
                  }
                : {},
            httpStatusCode: reply.status,
            referenceId
          });
        }
        if (failed && allOrNone) {
          org.rollback(sp);
          for (const item of out) {
            if ((item.httpStatusCode as number) < 400) {
              item.body = [
                {
                  errorCode: 'PROCESSING_HALTED',
                  message:
                    'The transaction was rolled back since another operation in the same transaction failed.'
                }
              ];
              item.httpStatusCode = 400;
              item.httpHeaders = {};
            }
          }
        }
        return { status: 200, body: { compositeResponse: out } };
      })
      .then((r) => {
        ctx.changed();
        return r;
      });
  });
}

/** Runs a composite subrequest through the same router (already inside the transaction). */
async function dispatchSub(
  router: Router,
  parent: Request,
  method: string,
  url: string,
  body: unknown
): Promise<Reply> {
  const u = new URL(url, 'http://localhost');
  const match = router.match(method.toUpperCase(), u.pathname);
  if (!match)
    return {
      status: 404,
      body: [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]
    };
  if (!('handler' in match)) {
    return {
      status: 405,
      body: [
        {
          errorCode: 'METHOD_NOT_ALLOWED',
          message: `HTTP Method '${method}' not allowed. Allowed are ${match.allowed.join(',')}`
        }
      ]
    };
  }
  const sub: Request = {
    method: method.toUpperCase(),
    path: u.pathname,
    query: u.searchParams,
    headers: { ...parent.headers, 'content-type': 'application/json' },
    body: Buffer.from(body === undefined ? '' : JSON.stringify(body)),
    params: match.params,
    raw: parent.raw
  };
  // Carry the authenticated user (kept under a symbol by the server) to the subrequest.
  for (const sym of Object.getOwnPropertySymbols(parent)) {
    (sub as unknown as Record<symbol, unknown>)[sym] = (
      parent as unknown as Record<symbol, unknown>
    )[sym];
  }
  try {
    return await match.handler(sub);
  } catch (err) {
    const e = toRestError(err);
    return { status: e.status, body: e.body };
  }
}

function resolveRefs(text: string, refs: Map<string, unknown>): string {
  return text.replace(
    /@\{([A-Za-z0-9_]+)((?:\.[A-Za-z0-9_]+|\[\d+\])*)\}/g,
    (all, ref: string, path: string) => {
      let value: unknown = refs.get(ref);
      if (value === undefined) return all;
      for (const part of path.match(/\.[A-Za-z0-9_]+|\[\d+\]/g) ?? []) {
        const key = part.startsWith('[') ? Number(part.slice(1, -1)) : part.slice(1);
        value = (value as Record<string | number, unknown> | undefined)?.[key];
      }
      return value === undefined || value === null ? '' : String(value);
    }
  );
}

function jsonObject(req: Request): Record<string, unknown> {
  const value = parseJsonBody(req);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw restError(
      400,
      'JSON_PARSER_ERROR',
      'Cannot deserialize instance of sobject from non-object value'
    );
  }
  const copy = { ...(value as Record<string, unknown>) };
  delete copy.attributes;
  return copy;
}

function callDml(fn: () => DmlResult[]): DmlResult[] {
  try {
    return fn();
  } catch (err) {
    throw toRestError(err);
  }
}

function isNotFound(result: DmlResult): boolean {
  return result.errors.some(
    (e) =>
      e.statusCode === 'ENTITY_IS_DELETED' ||
      e.statusCode === 'INVALID_CROSS_REFERENCE_KEY' ||
      e.statusCode === 'NOT_FOUND'
  );
}

/** queryAll: deleted rows included; the data layer takes Apex's ALL ROWS suffix. */
function withAllRows(soql: string): string {
  return /\bALL\s+ROWS\s*$/i.test(soql) ? soql : `${soql.trimEnd()} ALL ROWS`;
}
