/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * Records and the data layer: SObject values, describes, SOQL, DML, triggers,
 * Database/Schema/Security/Test/UserInfo/EventBus, async work.
 */
import type { Expr, Stmt } from './ast.js';
import { ApexThrow, RET, TypeMarker, type Frame, type Interp } from './interp.js';
import { T, listOf, mapOf, nativeType, setOf, sobjType, type RType } from './types.js';
import {
  ABlob,
  ADate,
  ADatetime,
  AList,
  AMap,
  AObj,
  ASet,
  ATime,
  Dbl,
  Dec,
  NativeObj,
  SObj,
  isValidId,
  to18
} from './values.js';
import { timeStr } from './format.js';
import { keyOf, mapPut, setAdd, sysEnum, typeValue } from './builtins.js';
import { NOPE, NATIVE_METHODS } from './registry.js';
import { isoDatetime } from './json.js';

// ---------------------------------------------------------------- describes
export function org(I: Interp): any {
  if (!I.data) throw I.unsupported('records (no data layer loaded)');
  return I.data;
}

export function describeOf(I: Interp, type: string): any {
  if (!I.data) return null;
  return (I.data as any).schema.findObject(type) ?? null;
}

function fieldOf(desc: any, name: string): any {
  return desc?.fields.get(name.toLowerCase()) ?? null;
}

export function apexTypeOfField(f: any): RType {
  switch (f.type) {
    case 'id':
    case 'reference':
      return T.id;
    case 'boolean':
      return T.boolean;
    case 'double':
    case 'currency':
    case 'percent':
      return T.decimal;
    case 'integer':
      return T.integer;
    case 'long':
      return T.long;
    case 'date':
      return T.date;
    case 'datetime':
      return T.datetime;
    case 'time':
      return T.time;
    case 'base64':
      return T.blob;
    default:
      return T.string;
  }
}

/** canonical (data layer) value → Apex value */
export function toApex(I: Interp, f: any, v: any): any {
  if (v === null || v === undefined) return null;
  if (!f) return v;
  switch (f.type) {
    case 'double':
    case 'currency':
    case 'percent':
      return typeof v === 'number' ? Dec.of(String(v)) : v;
    case 'integer':
      return typeof v === 'number' ? v : Number(v);
    case 'long':
      return BigInt(v);
    case 'date': {
      const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(v));
      return m ? new ADate(+m[1], +m[2], +m[3]) : null;
    }
    case 'datetime':
      return new ADatetime(Date.parse(String(v)));
    case 'time': {
      const m = /^(\d{2}):(\d{2}):(\d{2})(?:\.(\d{3}))?/.exec(String(v));
      return m ? new ATime(((+m[1] * 60 + +m[2]) * 60 + +m[3]) * 1000 + +(m[4] ?? 0)) : null;
    }
    case 'base64':
      return new ABlob(Buffer.from(String(v), 'base64'));
  }
  return v;
}

/** Apex value → canonical value */
export function fromApex(I: Interp, v: any): any {
  if (v === null || v === undefined) return null;
  switch (typeof v) {
    case 'string':
    case 'boolean':
    case 'number':
      return v;
    case 'bigint':
      return Number(v);
  }
  if (v instanceof Dec) return v.d.toNumber();
  if (v instanceof Dbl) return v.v;
  if (v instanceof ADate) return v.iso();
  if (v instanceof ADatetime) return isoDatetime(v.ms);
  if (v instanceof ATime) return timeStr(v);
  if (v instanceof ABlob) return v.b.toString('base64');
  if (v instanceof AList) return v.a.map((x) => fromApex(I, x instanceof SObj ? x.v['id'] : x));
  if (v instanceof ASet) return [...v.m.values()].map((x) => fromApex(I, x));
  if (v instanceof SObj) return v.v['id'] ?? null;
  if (v instanceof NativeObj && v.type === 'Schema.SObjectType') return v.p.__str;
  if (v instanceof NativeObj && v.type === 'Schema.SObjectField') return v.p.__str;
  throw I.unsupported('value of type ' + v.constructor?.name + ' at the data boundary');
}

export function recordToSObj(I: Interp, rec: any, typeHint?: string): SObj {
  const type = rec?.attributes?.type ?? typeHint ?? 'SObject';
  const so = new SObj(type);
  (so as any).queried = true;
  const desc = type === 'AggregateResult' ? null : describeOf(I, type);
  for (const k of Object.keys(rec)) {
    if (k === 'attributes') continue;
    const v = rec[k];
    const f = fieldOf(desc, k);
    if (f) so.put(f.name, toApex(I, f, v));
    else if (v && typeof v === 'object' && Array.isArray(v.records)) {
      const rel = desc?.childRelationships.find(
        (r: any) => r.relationshipName?.toLowerCase() === k.toLowerCase()
      );
      const child = rel?.childSObject ?? v.records[0]?.attributes?.type ?? 'SObject';
      const l = new AList(
        sobjType(child),
        v.records.map((r: any) => recordToSObj(I, r, child))
      );
      so.put(k, l);
    } else if (v && typeof v === 'object' && v.attributes) so.put(k, recordToSObj(I, v));
    else if (v === null && desc) {
      // The REST shape gives null for a subquery that matched no rows; in Apex the
      // relationship of a queried record is an empty list (SOQL and SOSL Reference ›
      // Relationship Queries; Apex Developer Guide › Accessing sObject Fields Through Relationships).
      const rel = desc.childRelationships.find(
        (r: any) => r.relationshipName?.toLowerCase() === k.toLowerCase()
      );
      so.put(k, rel ? new AList(sobjType(rel.childSObject), []) : null);
    } else so.put(k, aggValue(v));
  }
  return so;
}

function aggValue(v: any): any {
  if (typeof v === 'number')
    return Number.isInteger(v) && Math.abs(v) < 2 ** 31 ? v : Dec.of(String(v));
  return v;
}

export function sobjToRecord(I: Interp, so: SObj): Record<string, any> {
  const rec: Record<string, any> = { attributes: { type: so.type } };
  for (const l in so.n) {
    const v = so.v[l];
    if (v instanceof SObj || v instanceof AList) continue;
    rec[so.n[l]] = fromApex(I, v);
  }
  return rec;
}

export function newSObject(I: Interp, name: string): SObj {
  const d = describeOf(I, name);
  if (!d && I.data) throw I.unsupported(`unknown SObject type ${name}`);
  return new SObj(d ? d.name : name);
}

export function sobjPut(I: Interp, so: SObj, name: string, v: any): void {
  if ((so as any).readonly) throw I.ex('FinalException', 'Record is read-only');
  const desc = describeOf(I, so.type);
  const f = fieldOf(desc, name);
  if (!f) {
    if (desc) {
      const rel = desc.fieldList.find(
        (x: any) => x.relationshipName?.toLowerCase() === name.toLowerCase()
      );
      if (rel) {
        so.put(rel.relationshipName, v);
        return;
      }
      const child = desc.childRelationships.find(
        (r: any) => r.relationshipName?.toLowerCase() === name.toLowerCase()
      );
      if (child) throw I.ex('SObjectException', `Invalid field ${name} for ${so.type}`);
      throw I.ex('SObjectException', `Invalid field ${name} for ${so.type}`);
    }
    so.put(name, v);
    return;
  }
  const t = apexTypeOfField(f);
  let val = v;
  if (val !== null) {
    if (t.k === 'id') {
      if (typeof val !== 'string')
        throw I.ex('SObjectException', `Illegal assignment from ${I.fmt(val)} to Id`);
      if (!isValidId(val)) throw I.ex('StringException', `Invalid id: ${val}`);
      val = to18(val);
    } else val = I.coerce(val, t);
  }
  so.put(f.name, val);
}

export function sobjGet(I: Interp, so: any, l: string, strict: boolean): any {
  if (!(so instanceof SObj)) throw I.unsupported('field access on ' + String(so));
  if (l in so.v) return so.v[l];
  const desc = describeOf(I, so.type);
  if (!desc) return null;
  const f = fieldOf(desc, l);
  if (f) {
    if (strict && (so as any).queried && so.type !== 'AggregateResult')
      throw I.ex(
        'SObjectException',
        `SObject row was retrieved via SOQL without querying the requested field: ${so.type}.${f.name}`
      );
    return null;
  }
  const rel = desc.fieldList.find((x: any) => x.relationshipName?.toLowerCase() === l);
  if (rel) return null;
  const child = desc.childRelationships.find((r: any) => r.relationshipName?.toLowerCase() === l);
  if (child) return childListOf(I, so, child);
  throw I.ex('SObjectException', `Invalid field ${l} for ${so.type}`);
}

/**
 * A child relationship that holds no list: a queried record whose query had no subquery for it
 * throws (as an unqueried field does); a record built in memory (or a trigger record) gives an
 * empty list, a fresh one per access (the relationship is not writable).
 */
function childListOf(I: Interp, so: SObj, child: any): AList {
  if ((so as any).queried && so.type !== 'AggregateResult')
    throw I.ex(
      'SObjectException',
      `SObject row was retrieved via SOQL without querying the requested field: ${so.type}.${child.relationshipName}`
    );
  return new AList(sobjType(child.childSObject), []);
}

export function cloneSObj(so: SObj, preserveId: boolean): SObj {
  const c = new SObj(so.type);
  for (const l in so.n) {
    if (!preserveId && l === 'id') continue;
    c.n[l] = so.n[l];
    c.v[l] = so.v[l];
  }
  return c;
}

export function compareSObjects(I: Interp, a: SObj, b: SObj): number {
  if (a.type !== b.type) return a.type < b.type ? -1 : 1;
  const an = a.v['name'];
  const bn = b.v['name'];
  if (an !== bn) {
    if (an == null) return -1;
    if (bn == null) return 1;
    return I.compare(an, bn);
  }
  return 0;
}

export function statusCodeEnum(code: string): NativeObj {
  return sysEnum('StatusCode', code);
}

export function sobjMethod(I: Interp, so: SObj, n: string, a: any[]): any {
  switch (n) {
    case 'get': {
      const k = a[0];
      if (k instanceof NativeObj) return sobjGet(I, so, k.p.__str.toLowerCase(), true);
      if (so.type === 'AggregateResult') return so.v[String(k).toLowerCase()] ?? null;
      const path = String(k).toLowerCase().split('.');
      let cur: any = so;
      for (const p of path) {
        if (cur === null) return null;
        cur = sobjGet(I, cur, p, true);
      }
      return cur;
    }
    case 'put': {
      const k = a[0] instanceof NativeObj ? a[0].p.__str : a[0];
      const old = so.v[String(k).toLowerCase()] ?? null;
      sobjPut(I, so, k, a[1]);
      return old;
    }
    case 'getsobjecttype':
      return sobjectTypeToken(I, so.type);
    case 'clone':
      return cloneSObj(so, a[0] === true);
    case 'getpopulatedfieldsasmap': {
      const m = new AMap(T.string, T.object);
      for (const l in so.n) m.m.set(so.n[l], [so.n[l], so.v[l]]);
      return m;
    }
    case 'isset':
      return String(a[0] instanceof NativeObj ? a[0].p.__str : a[0]).toLowerCase() in so.v;
    case 'getsobject':
      return so.v[String(a[0] instanceof NativeObj ? a[0].p.__str : a[0]).toLowerCase()] ?? null;
    case 'getsobjects': {
      const k = String(a[0] instanceof NativeObj ? a[0].p.__str : a[0]);
      const l = k.toLowerCase();
      if (l in so.v) return so.v[l];
      const desc = describeOf(I, so.type);
      if (!desc) return null;
      const child = desc.childRelationships.find(
        (r: any) => r.relationshipName?.toLowerCase() === l
      );
      if (!child)
        throw I.ex('SObjectException', `Invalid aggregate relationship ${k} for ${so.type}`);
      return childListOf(I, so, child);
    }
    case 'putsobject':
      so.put(a[0], a[1]);
      return null;
    case 'adderror': {
      const msg = a.length === 2 ? a[1] : a[0];
      const field = a.length === 2 ? (a[0] instanceof NativeObj ? a[0].p.__str : a[0]) : undefined;
      const text = msg instanceof AObj ? I.fmt(msg).replace(/^[^:]*: /, '') : String(msg);
      (so.errors ??= []).push({ msg: text, field });
      const hook = (so as any).onError;
      if (hook) hook(text, field);
      else if (!(so as any).inTrigger) {
        // addError outside a trigger: DML on this record fails with the message
      }
      return null;
    }
    case 'geterrors':
      return new AList(
        nativeType('Database.Error'),
        (so.errors ?? []).map((e) =>
          dbError('FIELD_CUSTOM_VALIDATION_EXCEPTION', e.msg, e.field ? [e.field] : [])
        )
      );
    case 'haserrors':
      return (so.errors ?? []).length > 0;
    case 'equals':
      return I.equals(so, a[0]);
    case 'hashcode':
      return 0;
    case 'tostring':
      return I.fmt(so);
    case 'getcloneSourceId':
    case 'getclonesourceid':
      return null;
    case 'isclone':
      return false;
  }
  throw I.unsupported(`SObject method ${n}`);
}

// ---------------------------------------------------------------- tokens and describe results
export function sobjectTypeToken(I: Interp, name: string): NativeObj {
  const d = describeOf(I, name);
  const canon = d ? d.name : name;
  return new NativeObj('Schema.SObjectType', { __str: canon });
}

export function fieldToken(I: Interp, obj: string, field: string): NativeObj {
  const f = fieldOf(describeOf(I, obj), field);
  return new NativeObj('Schema.SObjectField', { __str: f ? f.name : field, __obj: obj });
}

NATIVE_METHODS['Schema.SObjectType'] = (I, o, n, a) => {
  switch (n) {
    case 'getdescribe':
      return describeResult(I, o.p.__str);
    case 'newsobject': {
      const so = newSObject(I, o.p.__str);
      if (a.length >= 1 && a[0] !== null && typeof a[0] === 'string') {
        if (a.length === 1) sobjPut(I, so, 'Id', a[0]);
        else sobjPut(I, so, 'RecordTypeId', a[0]);
      }
      if (a.length === 2 && a[1] === true) applyDefaults(I, so);
      return so;
    }
    case 'equals':
      return a[0] instanceof NativeObj && a[0].p.__str === o.p.__str;
    case 'hashcode':
      return 0;
  }
  return NOPE;
};

function applyDefaults(I: Interp, so: SObj): void {
  const d = describeOf(I, so.type);
  for (const f of d?.fieldList ?? [])
    if (f.defaultValue !== null && f.defaultValue !== undefined && f.type !== 'boolean')
      so.put(f.name, toApex(I, f, f.defaultValue));
  for (const f of d?.fieldList ?? [])
    if (f.type === 'boolean' && f.defaultValue === true) so.put(f.name, true);
}

NATIVE_METHODS['Schema.SObjectField'] = (I, o, n, a) => {
  if (n === 'getdescribe') return fieldDescribe(I, o.p.__obj, o.p.__str);
  if (n === 'equals')
    return a[0] instanceof NativeObj && a[0].p.__str === o.p.__str && a[0].p.__obj === o.p.__obj;
  return NOPE;
};

function userIdOf(I: Interp): string {
  return I.userId ?? org(I).adminUserId;
}

function objPerms(I: Interp, obj: string): any {
  return org(I).permissions.objectAccess(userIdOf(I), obj);
}

export function describeResult(I: Interp, name: string): NativeObj {
  const d = describeOf(I, name);
  if (!d) throw I.unsupported(`describe of unknown object ${name}`);
  const fields = new NativeObj('Schema.SObjectTypeFields', {
    __owner: d.name,
    __props: (_I: Interp, f: string) => {
      const fd = fieldOf(d, f);
      if (!fd) throw I.unsupported(`unknown field ${d.name}.${f}`);
      return fieldDescribe(I, d.name, fd.name);
    }
  });
  return new NativeObj('Schema.DescribeSObjectResult', {
    __str: `Schema.DescribeSObjectResult[getName=${d.name};]`,
    __obj: d.name,
    __props: (_I: Interp, p: string) => (p === 'fields' ? fields : p === 'fieldsets' ? NOPE : NOPE),
    fieldsNative: fields
  });
}

NATIVE_METHODS['Schema.DescribeSObjectResult'] = (I, o, n, a) => {
  const d = describeOf(I, o.p.__obj);
  switch (n) {
    case 'getname':
    case 'getlocalname':
      return d.name;
    case 'getlabel':
      return d.label;
    case 'getlabelplural':
      return d.labelPlural;
    case 'getkeyprefix':
      return d.keyPrefix ?? null;
    case 'iscustom':
      return d.custom;
    case 'iscustomsetting':
      return d.isCustomSetting;
    case 'isaccessible':
    case 'isqueryable':
      return objPerms(I, d.name).read;
    case 'iscreateable':
      return objPerms(I, d.name).create && d.createable !== false;
    case 'isupdateable':
      return objPerms(I, d.name).edit && d.updateable !== false;
    case 'isdeletable':
      return objPerms(I, d.name).delete && d.deletable !== false;
    case 'isundeletable':
      return objPerms(I, d.name).delete && d.undeletable !== false;
    case 'getsobjecttype':
      return sobjectTypeToken(I, d.name);
    case 'fields':
      return o.p.fieldsNative;
    case 'getchildrelationships':
      return new AList(
        nativeType('Schema.ChildRelationship'),
        d.childRelationships.map(
          (r: any) =>
            new NativeObj('Schema.ChildRelationship', {
              getRelationshipName: r.relationshipName,
              getChildSObject: sobjectTypeToken(I, r.childSObject),
              getField: fieldToken(I, r.childSObject, r.field),
              isCascadeDelete: r.cascadeDelete
            })
        )
      );
    case 'getrecordtypeinfosbydevelopername':
    case 'getrecordtypeinfosbyname':
    case 'getrecordtypeinfosbyid':
    case 'getrecordtypeinfos': {
      const infos = recordTypeInfos(I, d.name);
      if (n === 'getrecordtypeinfos') return new AList(nativeType('Schema.RecordTypeInfo'), infos);
      const m = new AMap(n.endsWith('byid') ? T.id : T.string, nativeType('Schema.RecordTypeInfo'));
      for (const ri of infos)
        mapPut(
          I,
          m,
          n.endsWith('byid')
            ? ri.p.id
            : n.endsWith('developername')
              ? ri.p.developerName
              : ri.p.name,
          ri
        );
      return m;
    }
  }
  if (n === 'getmap') return NOPE;
  void a;
  return NOPE;
};

/** Record types of an object from RecordType records, plus the Master record type. */
function recordTypeInfos(I: Interp, objName: string): NativeObj[] {
  const o = org(I);
  const rts = [...o.records('RecordType')].filter(
    (r: any) => String(r.SobjectType).toLowerCase() === objName.toLowerCase()
  );
  const mk = (p: any) =>
    new NativeObj('Schema.RecordTypeInfo', {
      ...p,
      __str: `Schema.RecordTypeInfo[getName=${p.name};getRecordTypeId=${p.id};]`
    });
  const out = rts.map((r: any, i: number) =>
    mk({
      id: r.Id,
      name: r.Name,
      developerName: r.DeveloperName,
      active: r.IsActive !== false,
      available: r.IsActive !== false,
      defaultMapping: i === 0,
      master: false
    })
  );
  out.push(
    mk({
      id: '012000000000000AAA',
      name: 'Master',
      developerName: 'Master',
      active: true,
      available: true,
      defaultMapping: rts.length === 0,
      master: true
    })
  );
  return out;
}

NATIVE_METHODS['Schema.RecordTypeInfo'] = (I, o, n) => {
  switch (n) {
    case 'getrecordtypeid':
      return o.p.id;
    case 'getname':
      return o.p.name;
    case 'getdevelopername':
      return o.p.developerName;
    case 'isactive':
      return o.p.active;
    case 'isavailable':
      return o.p.available;
    case 'isdefaultrecordtypemapping':
      return o.p.defaultMapping;
    case 'ismaster':
      return o.p.master;
  }
  return NOPE;
};

// fields.getMap()
NATIVE_METHODS['Schema.SObjectTypeFields'] = (I, o, n) => {
  if (n === 'getmap') {
    const objName = o.p.__owner;
    const d = describeOf(I, objName);
    const m = new AMap(T.string, nativeType('Schema.SObjectField'));
    (m as any).ci = true;
    for (const f of d.fieldList)
      m.m.set(f.name.toLowerCase(), [f.name.toLowerCase(), fieldToken(I, d.name, f.name)]);
    return m;
  }
  return NOPE;
};

const DISPLAY: Record<string, string> = {
  id: 'ID',
  string: 'STRING',
  textarea: 'TEXTAREA',
  email: 'EMAIL',
  phone: 'PHONE',
  url: 'URL',
  picklist: 'PICKLIST',
  multipicklist: 'MULTIPICKLIST',
  combobox: 'COMBOBOX',
  encryptedstring: 'ENCRYPTEDSTRING',
  boolean: 'BOOLEAN',
  double: 'DOUBLE',
  integer: 'INTEGER',
  long: 'LONG',
  currency: 'CURRENCY',
  percent: 'PERCENT',
  date: 'DATE',
  datetime: 'DATETIME',
  time: 'TIME',
  reference: 'REFERENCE',
  base64: 'BASE64',
  location: 'LOCATION',
  address: 'ADDRESS'
};

export function fieldDescribe(I: Interp, obj: string, field: string): NativeObj {
  const d = describeOf(I, obj);
  const f = fieldOf(d, field);
  if (!f) throw I.unsupported(`unknown field ${obj}.${field}`);
  return new NativeObj('Schema.DescribeFieldResult', {
    __str: `Schema.DescribeFieldResult[getName=${f.name};]`,
    __obj: d.name,
    __f: f.name
  });
}

NATIVE_METHODS['Schema.DescribeFieldResult'] = (I, o, n) => {
  const d = describeOf(I, o.p.__obj);
  const f = fieldOf(d, o.p.__f);
  const fp = () => org(I).permissions.fieldAccess(userIdOf(I), d.name, f.name);
  switch (n) {
    case 'getname':
    case 'getlocalname':
      return f.name;
    case 'getlabel':
      return f.label;
    case 'gettype':
      return sysEnum('Schema.DisplayType', DISPLAY[f.type] ?? f.type.toUpperCase());
    case 'getsoaptype':
      return sysEnum('Schema.SoapType', f.type.toUpperCase());
    case 'getlength':
      return f.length ?? 0;
    case 'getprecision':
      return f.precision ?? 0;
    case 'getscale':
      return f.scale ?? 0;
    case 'getdigits':
      return f.digits ?? 0;
    case 'isaccessible':
      return fp().readable;
    case 'iscreateable':
      return fp().editable && f.createable !== false;
    case 'isupdateable':
      return fp().editable && f.updateable !== false;
    case 'isnillable':
      return f.nillable;
    case 'isunique':
      return f.unique;
    case 'isexternalid':
      return f.externalId;
    case 'iscustom':
      return f.custom;
    case 'iscalculated':
      return f.calculated;
    case 'isautonumber':
      return f.autoNumber;
    case 'isidlookup':
      return f.idLookup;
    case 'isnamefield':
      return f.nameField;
    case 'isrestrictedpicklist':
      return f.restrictedPicklist;
    case 'isdefaultedoncreate':
      return f.defaultedOnCreate;
    case 'iscasesensitive':
      return f.caseSensitive;
    case 'isfilterable':
      return f.filterable;
    case 'issortable':
      return f.sortable;
    case 'isgroupable':
      return f.groupable;
    case 'ishtmlformatted':
      return f.htmlFormatted;
    case 'getrelationshipname':
      return f.relationshipName ?? null;
    case 'getreferenceto':
      return new AList(
        nativeType('Schema.SObjectType'),
        (f.referenceTo ?? []).map((r: string) => sobjectTypeToken(I, r))
      );
    case 'getdefaultvalue':
      return toApex(I, f, f.defaultValue);
    case 'getdefaultvalueformula':
      return f.defaultValueFormula ?? null;
    case 'getcalculatedformula':
      return f.calculatedFormula ?? null;
    case 'getinlinehelptext':
      return f.inlineHelpText ?? null;
    case 'getsobjectfield':
      return fieldToken(I, d.name, f.name);
    case 'getpicklistvalues':
      return new AList(
        nativeType('Schema.PicklistEntry'),
        (f.picklistValues ?? []).map(
          (p: any) =>
            new NativeObj('Schema.PicklistEntry', {
              __str: `Schema.PicklistEntry[getLabel=${p.label};getValue=${p.value};isActive=${p.active};isDefaultValue=${p.defaultValue};]`,
              value: p.value,
              label: p.label,
              active: p.active !== false,
              defaultValue: !!p.defaultValue
            })
        )
      );
  }
  return NOPE;
};

NATIVE_METHODS['Schema.PicklistEntry'] = (I, o, n) => {
  switch (n) {
    case 'getvalue':
      return o.p.value;
    case 'getlabel':
      return o.p.label;
    case 'isactive':
      return o.p.active;
    case 'isdefaultvalue':
      return o.p.defaultValue;
  }
  return NOPE;
};

export function schemaSObjectTypeMap(I: Interp): NativeObj {
  return new NativeObj('Schema.SObjectTypeMap', {
    __props: (_I: Interp, n: string) => {
      const r = describeResult(I, n);
      (r.p.fieldsNative as NativeObj).p.__owner = r.p.__obj;
      return r;
    }
  });
}

export function sobjectStaticProp(I: Interp, obj: string, n: string, oname: string): any {
  if (n === 'sobjecttype') return sobjectTypeToken(I, obj);
  const d = describeOf(I, obj);
  const f = fieldOf(d, n);
  if (f) return fieldToken(I, d.name, f.name);
  throw I.unsupported(`static property ${obj}.${oname}`);
}

export function schemaStatic(I: Interp, n: string, a: any[]): any {
  if (n === 'getglobaldescribe') {
    const m = new AMap(T.string, nativeType('Schema.SObjectType'));
    (m as any).ci = true;
    for (const name of org(I).schema.objectNames())
      m.m.set(name.toLowerCase(), [name.toLowerCase(), sobjectTypeToken(I, name)]);
    return m;
  }
  if (n === 'describesobjects') {
    return new AList(
      nativeType('Schema.DescribeSObjectResult'),
      a[0].a.map((x: string) => {
        const r = describeResult(I, x);
        (r.p.fieldsNative as NativeObj).p.__owner = r.p.__obj;
        return r;
      })
    );
  }
  throw I.unsupported(`Schema.${n}`);
}

// ---------------------------------------------------------------- custom metadata / settings
export function sobjectStatic(I: Interp, obj: string, n: string, a: any[]): any {
  const d = describeOf(I, obj);
  if (d?.isCustomMetadata) {
    const recs = (org(I).customMetadata(d.name) as any[]).map((r) =>
      recordToSObj(I, { attributes: { type: d.name }, ...r })
    );
    for (const r of recs) (r as any).queried = false;
    switch (n) {
      case 'getall': {
        const m = new AMap(T.string, sobjType(d.name));
        for (const r of recs) mapPut(I, m, r.v['developername'], r);
        return m;
      }
      case 'getinstance': {
        const k = a[0];
        if (k === null) return null;
        return (
          recs.find(
            (r) =>
              (isValidId(k) && k.length >= 15 ? to18(k) === r.v['id'] : false) ||
              r.v['developername'] === k
          ) ?? null
        );
      }
    }
  }
  if (d?.isCustomSetting) return customSetting(I, d, n, a);
  throw I.unsupported(`static method ${obj}.${n}`);
}

/**
 * Custom settings. Hierarchy: getInstance() merges user → profile → org defaults
 * (a field not set at a level falls back to the next); getOrgDefaults(); getValues(id).
 * List: getAll() by Name, getValues(name) / getInstance(name).
 */
function customSetting(I: Interp, d: any, n: string, a: any[]): any {
  const o = org(I);
  const rows: any[] = [...o.records(d.name)].map((r: any) => ({ ...r }));
  const toSo = (r: any) => {
    const so = recordToSObj(I, { attributes: { type: d.name }, ...r });
    (so as any).queried = false;
    return so;
  };
  const isHierarchy = d.fields.has('setupownerid');
  if (!isHierarchy) {
    switch (n) {
      case 'getall': {
        const m = new AMap(T.string, sobjType(d.name));
        for (const r of rows) mapPut(I, m, r.Name, toSo(r));
        return m;
      }
      case 'getvalues':
      case 'getinstance': {
        const r = rows.find((x) => x.Name === a[0]);
        return r ? toSo(r) : null;
      }
    }
    throw I.unsupported(`list custom setting ${d.name}.${n}`);
  }
  const byOwner = (id: string | null) =>
    id ? rows.find((r) => r.SetupOwnerId && to18(r.SetupOwnerId) === to18(id)) : undefined;
  const orgRow = byOwner(o.orgId);
  switch (n) {
    case 'getorgdefaults':
      return orgRow ? toSo(orgRow) : new SObj(d.name);
    case 'getvalues': {
      const r = byOwner(a[0]);
      return r ? toSo(r) : null;
    }
    case 'getinstance': {
      const uid = a.length && a[0] ? a[0] : userIdOf(I);
      const user = o.getRecord(uid);
      const chain = [
        byOwner(uid),
        user?.ProfileId ? byOwner(user.ProfileId) : undefined,
        orgRow
      ].filter(Boolean);
      if (a.length && a[0] && String(a[0]).startsWith('00e'))
        chain.splice(0, chain.length, byOwner(a[0]), orgRow);
      const so = new SObj(d.name);
      for (const f of d.fieldList) {
        if (f.system && f.name !== 'Id' && f.name !== 'SetupOwnerId') continue;
        for (const r of chain) {
          if (r && r[f.name] !== null && r[f.name] !== undefined) {
            so.put(f.name, toApex(I, f, r[f.name]));
            break;
          }
        }
      }
      if (!chain.length) so.put('SetupOwnerId', uid);
      return so;
    }
  }
  throw I.unsupported(`hierarchy custom setting ${d.name}.${n}`);
}

// ---------------------------------------------------------------- SOQL
/** Apex Developer Guide › Execution Governors and Limits: 100 SOQL queries, 200 in async Apex. */
export function soqlQueryLimit(I: Interp): number {
  return (I as any).inAsync ? 200 : 100;
}

function countQuery(I: Interp, rows: number): void {
  const L = I.limits;
  L.queries++;
  if (L.queries > soqlQueryLimit(I))
    throw I.ex('LimitException', `Too many SOQL queries: ${L.queries}`);
  L.queryRows += rows;
  if (L.queryRows > 50000) throw I.ex('LimitException', `Too many query rows: ${L.queryRows}`);
}

/**
 * Effective sharing: the innermost class declaring `with` or `without sharing`;
 * classes with `inherited sharing` or no declaration run with their caller's
 * sharing, and an entry point without a declaration (or a trigger) runs without sharing.
 */
export function effectiveSharing(I: Interp): 'with' | 'without' {
  for (let i = I.stack.length - 1; i >= 0; i--) {
    const fr = I.stack[i];
    if (fr.cls.kind === 'trigger') return 'without';
    const sh = fr.cls.sharing ?? outerSharing(fr.cls);
    if (sh === 'with' || sh === 'without') return sh;
  }
  return 'without';
}

function outerSharing(c: any): string | null {
  // anonymous Apex runs with sharing of the current user
  if (c.lname === 'anonymousblock') return 'with';
  return null;
}

function ctxOf(I: Interp, mode: 'user' | 'system' | null): any {
  return { userId: userIdOf(I), mode: mode ?? 'system', sharing: effectiveSharing(I) };
}

function mapDataError(I: Interp, e: any): any {
  if (e instanceof ApexThrow) return e;
  const name = e?.name;
  if (name === 'QueryError') return I.ex('QueryException', e.message);
  if (name === 'DmlOperationError') {
    const t = String(e.apexType ?? 'System.DmlException').replace(/^System\./, '');
    if (t === 'DmlException' && e.statusCode)
      return I.ex(t, e.message, {
        __dml: [{ statusCode: e.statusCode, message: e.message, fields: [] }]
      });
    return I.ex(t, e.message);
  }
  if (name === 'UnsupportedError') return e;
  return e;
}

export function runQuery(
  I: Interp,
  soql: string,
  binds: Record<string, any>,
  mode: 'user' | 'system' | null,
  typeHint?: string
): AList {
  let res: any;
  try {
    res = org(I).query(soql, binds, ctxOf(I, mode));
  } catch (e) {
    throw mapDataError(I, e);
  }
  countQuery(I, res.totalSize ?? res.records.length);
  const first = res.records[0]?.attributes?.type ?? typeHint;
  const isAgg = first === 'AggregateResult';
  const l = new AList(
    isAgg ? sobjType('AggregateResult') : first ? sobjType(first) : T.sobject,
    res.records.map((r: any) => recordToSObj(I, r, typeHint))
  );
  (l as any).soql = true;
  (l as any).totalSize = res.totalSize;
  return l;
}

export function inlineSoql(I: Interp, e: Expr, fr: Frame): any {
  const binds: Record<string, any> = {};
  let text: string = e.text;
  e.binds.forEach((b: Expr, i: number) => {
    const v = fromApex(I, I.ev(b, fr));
    if (e.inlined?.includes(i)) {
      // LIMIT / OFFSET binds are integers: inline them
      if (typeof v !== 'number')
        throw I.ex('QueryException', `Invalid value for LIMIT/OFFSET: ${v}`);
      text = text.replace(new RegExp(`:b${i}(?![0-9])`), String(Math.trunc(v)));
    } else binds['b' + i] = v;
  });
  const typeHint = describeOf(I, e.from)?.name;
  if (e.isCount) {
    let res: any;
    try {
      res = org(I).query(text, binds, ctxOf(I, null));
    } catch (err) {
      throw mapDataError(I, err);
    }
    countQuery(I, res.totalSize);
    return res.totalSize;
  }
  return runQuery(I, text, binds, null, typeHint);
}

// ---------------------------------------------------------------- DML
export function dbError(code: string, msg: string, fields: string[]): NativeObj {
  return new NativeObj('Database.Error', {
    __str: `Database.Error[getFields=(${fields.join(', ')});getMessage=${msg};getStatusCode=${code};]`,
    statusCode: statusCodeEnum(code),
    message: msg,
    fields: new AList(T.string, fields.slice())
  });
}

NATIVE_METHODS['Database.Error'] = (I, o, n) => {
  if (n === 'getstatuscode') return o.p.statusCode;
  if (n === 'getmessage') return o.p.message;
  if (n === 'getfields') return o.p.fields;
  return NOPE;
};

const RESULT_TYPE: Record<string, string> = {
  insert: 'Database.SaveResult',
  update: 'Database.SaveResult',
  upsert: 'Database.UpsertResult',
  delete: 'Database.DeleteResult',
  undelete: 'Database.UndeleteResult'
};

for (const t of Object.values(RESULT_TYPE)) {
  NATIVE_METHODS[t] = (I, o, n) => {
    if (n === 'getid') return o.p.id;
    if (n === 'issuccess') return o.p.success;
    if (n === 'geterrors') return o.p.errors;
    if (n === 'iscreated') return o.p.created ?? false;
    return NOPE;
  };
}

const OP_LABEL: Record<string, string> = {
  insert: 'Insert',
  update: 'Update',
  upsert: 'Upsert',
  delete: 'Delete',
  undelete: 'Undelete'
};

export function runDml(
  I: Interp,
  op: string,
  target: any,
  allOrNone: boolean,
  access: 'user' | 'system' | null,
  extField: string | null = null
): any[] {
  if (target === null)
    throw I.ex(
      'DmlException',
      `${OP_LABEL[op]} failed. First exception on row 0; first error: INVALID_ARGUMENT, Argument cannot be null.: []`
    );
  const single = !(target instanceof AList);
  const items: any[] = single ? [target] : target.a;
  const L = I.limits;
  L.dml++;
  if (L.dml > 150) throw I.ex('LimitException', `Too many DML statements: ${L.dml}`);
  L.dmlRows += items.length;
  if (L.dmlRows > 10000) throw I.ex('LimitException', `Too many DML rows: ${L.dmlRows}`);
  if (items.length === 0) return [];
  const o = org(I);
  const ctx = ctxOf(I, access);
  const results: any[] = new Array(items.length);
  // group consecutive records by type (Salesforce processes chunks by type)
  const groups: { type: string; idx: number[] }[] = [];
  for (let i = 0; i < items.length; i++) {
    const it = items[i];
    if (it === null)
      throw I.ex(
        'DmlException',
        `${OP_LABEL[op]} failed. First exception on row ${i}; first error: INVALID_ARGUMENT, Argument cannot be null.: []`
      );
    const type =
      it instanceof SObj
        ? it.type
        : (describeOf(I, o.schema.objectForId(to18(String(it)))?.name ?? '')?.name ?? null);
    const g = groups[groups.length - 1];
    if (g && g.type === type) g.idx.push(i);
    else groups.push({ type, idx: [i] });
  }
  for (const g of groups) {
    const recs = g.idx.map((i) => items[i]);
    let res: any[];
    const sp = o.setSavepoint();
    try {
      if (op === 'delete' || op === 'undelete') {
        const ids = recs.map((r) => (r instanceof SObj ? r.v['id'] : r));
        for (const [k, id] of ids.entries())
          if (!id)
            throw I.ex(
              'DmlException',
              `${OP_LABEL[op]} failed. First exception on row ${g.idx[k]}; first error: MISSING_ARGUMENT, Id not specified in an ${op} call: []`
            );
        res = o[op](g.type, ids, ctx, { allOrNone });
      } else {
        const data = recs.map((r: SObj) => sobjToRecord(I, r));
        if (op === 'insert') {
          for (const [k, r] of recs.entries())
            if (r.v['id'])
              throw I.ex(
                'DmlException',
                `Insert failed. First exception on row ${g.idx[k]}; first error: INVALID_FIELD_FOR_INSERT_UPDATE, cannot specify Id in an insert call: [Id]`,
                {
                  __dml: [
                    {
                      statusCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
                      message: 'cannot specify Id in an insert call',
                      fields: ['Id'],
                      index: g.idx[k]
                    }
                  ]
                }
              );
          res = o.insert(g.type, data, ctx, { allOrNone });
        } else if (op === 'update') {
          for (const [k, r] of recs.entries())
            if (!r.v['id'])
              throw I.ex(
                'DmlException',
                `Update failed. First exception on row ${g.idx[k]}; first error: MISSING_ARGUMENT, Id not specified in an update call: []`,
                {
                  __dml: [
                    {
                      statusCode: 'MISSING_ARGUMENT',
                      message: 'Id not specified in an update call',
                      fields: [],
                      index: g.idx[k]
                    }
                  ]
                }
              );
          res = o.update(g.type, data, ctx, { allOrNone });
        } else res = o.upsert(g.type, data, extField, ctx, { allOrNone });
      }
    } catch (e: any) {
      o.rollback(sp);
      if (e && e.__triggerFailure && !allOrNone) {
        // Database.<dml>(records, false): every record of the chunk fails with the trigger's error
        g.idx.forEach((i) => {
          results[i] = {
            id: null,
            success: false,
            errors: [
              {
                statusCode: 'CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY',
                message: e.__triggerFailure,
                fields: []
              }
            ]
          };
        });
        continue;
      }
      if (e && e.__triggerFailure) {
        throw I.ex(
          'DmlException',
          `${OP_LABEL[op]} failed. First exception on row 0; first error: CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY, ${e.__triggerFailure}: []`,
          {
            __dml: [
              {
                statusCode: 'CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY',
                message: e.__triggerFailure,
                fields: [],
                index: 0
              }
            ]
          }
        );
      }
      throw mapDataError(I, e);
    }
    g.idx.forEach((i, k) => (results[i] = res[k]));
  }
  if (allOrNone) {
    const failures: any[] = [];
    results.forEach((r, i) => {
      if (!r.success)
        for (const er of r.errors)
          failures.push({
            ...er,
            index: i,
            id: items[i] instanceof SObj ? (items[i].v['id'] ?? null) : null,
            object: items[i]?.type
          });
    });
    if (failures.length) {
      const f = failures[0];
      const idPart = op !== 'insert' && f.id ? ` with id ${f.id}` : '';
      const msg = `${OP_LABEL[op]} failed. First exception on row ${f.index}${idPart}; first error: ${f.statusCode}, ${f.message}: [${(f.fields ?? []).join(', ')}]`;
      throw I.ex('DmlException', msg, { __dml: failures });
    }
  }
  // write back ids
  results.forEach((r, i) => {
    const it = items[i];
    if (
      r.success &&
      it instanceof SObj &&
      (op === 'insert' || op === 'upsert') &&
      r.id &&
      !it.v['id']
    )
      it.put('Id', r.id);
  });
  return results.map((r) => {
    const p: any = {
      id: r.id ?? null,
      success: r.success,
      errors: new AList(
        nativeType('Database.Error'),
        (r.errors ?? []).map((e: any) => dbError(e.statusCode, e.message, e.fields ?? []))
      )
    };
    if (op === 'upsert') p.created = !!r.created;
    p.__str = `${RESULT_TYPE[op]}[getErrors=${I.fmt(p.errors)};getId=${p.id};isSuccess=${p.success};]`;
    return new NativeObj(RESULT_TYPE[op], p);
  });
}

export function dmlStatement(I: Interp, s: Stmt, fr: Frame): void {
  const target = I.ev(s.e, fr);
  if (s.op === 'upsert' && s.field) {
    const parts = String(s.field).split('.');
    runDml(I, 'upsert', target, true, s.access, parts[parts.length - 1]);
    return;
  }
  runDml(I, s.op, target, true, s.access);
}

function accessLevelOf(v: any): 'user' | 'system' | null {
  if (v instanceof NativeObj && v.type.toLowerCase().endsWith('accesslevel'))
    return v.p.__str === 'USER_MODE' ? 'user' : 'system';
  return null;
}

export function databaseStatic(I: Interp, n: string, a: any[]): any {
  switch (n) {
    case 'query': {
      const soql = a[0];
      if (soql === null) throw I.npe();
      return runQuery(
        I,
        rewriteDynamicBinds(I, soql, null),
        dynamicBinds(I, soql),
        accessLevelOf(a[1])
      );
    }
    case 'querywithbinds':
    case 'countquerywithbinds': {
      const binds: Record<string, any> = {};
      if (a[1]) for (const [k, v] of (a[1] as AMap).m.values()) binds[String(k)] = fromApex(I, v);
      if (n === 'countquerywithbinds') return countRows(I, a[0], binds, accessLevelOf(a[2]));
      return runQuery(I, a[0], binds, accessLevelOf(a[2]));
    }
    case 'countquery':
      return countRows(
        I,
        rewriteDynamicBinds(I, a[0], null),
        dynamicBinds(I, a[0]),
        accessLevelOf(a[1])
      );
    case 'getquerylocator': {
      const rows =
        a[0] instanceof AList
          ? a[0]
          : runQuery(I, a[0], dynamicBinds(I, a[0]), accessLevelOf(a[1]));
      return new NativeObj('Database.QueryLocator', { rows });
    }
    case 'insert':
    case 'update':
    case 'upsert':
    case 'delete':
    case 'undelete': {
      let extField: string | null = null;
      let rest = a.slice(1);
      if (
        n === 'upsert' &&
        rest[0] instanceof NativeObj &&
        rest[0].type === 'Schema.SObjectField'
      ) {
        extField = rest[0].p.__str;
        rest = rest.slice(1);
      }
      let allOrNone = true;
      let access: 'user' | 'system' | null = null;
      for (const r of rest) {
        if (typeof r === 'boolean') allOrNone = r;
        else if (r instanceof NativeObj && r.type === 'Database.DMLOptions')
          allOrNone = r.p.optAllOrNone ?? true;
        else if (accessLevelOf(r)) access = accessLevelOf(r);
      }
      const res = runDml(I, n, a[0], allOrNone, access, extField);
      if (a[0] instanceof AList) return new AList(nativeType(RESULT_TYPE[n]), res);
      return res[0] ?? null;
    }
    case 'setsavepoint': {
      const sp = org(I).setSavepoint();
      I.limits.dml++;
      return new NativeObj('Savepoint', { sp, __str: 'System.Savepoint' });
    }
    case 'rollback':
      if (a[0] === null) throw I.npe();
      if (!org(I).isSavepointValid(a[0].p.sp))
        // Salesforce raises a runtime error here (Apex Developer Guide › Transaction Control);
        // its type and message are not modelled.
        throw I.unsupported(
          'Database.rollback to a savepoint invalidated by rolling back to an earlier savepoint'
        );
      I.limits.dml++;
      try {
        org(I).rollback(a[0].p.sp);
      } catch (e) {
        throw mapDataError(I, e);
      }
      return null;
    case 'releasesavepoint':
      return null;
    case 'executebatch':
      return enqueueBatch(I, a[0], a[1] ?? 200);
    case 'convertlead':
      return convertLeads(I, a[0], a.length > 1 && typeof a[1] === 'boolean' ? a[1] : true);
    case 'emptyrecyclebin':
      throw I.unsupported('Database.emptyRecycleBin');
  }
  throw I.unsupported(`Database.${n}`);
}

function convertLeads(I: Interp, arg: any, allOrNone: boolean): any {
  if (arg === null) throw I.npe();
  const list: NativeObj[] = arg instanceof AList ? arg.a : [arg];
  const L = I.limits;
  L.dml++;
  if (L.dml > 150) throw I.ex('LimitException', `Too many DML statements: ${L.dml}`);
  L.dmlRows += list.length;
  const inputs = list.map((lc) => ({
    leadId: lc.p.leadId,
    convertedStatus: lc.p.convertedStatus,
    accountId: lc.p.accountId,
    contactId: lc.p.contactId,
    opportunityId: lc.p.opportunityId,
    doNotCreateOpportunity: !!lc.p.doNotCreateOpportunity,
    opportunityName: lc.p.opportunityName,
    ownerId: lc.p.ownerId
  }));
  const o = org(I);
  const sp = o.setSavepoint();
  let res: any[];
  try {
    res = o.convertLead(inputs, ctxOf(I, null));
  } catch (e) {
    o.rollback(sp);
    throw mapDataError(I, e);
  }
  if (allOrNone) {
    const i = res.findIndex((r) => !r.success);
    if (i >= 0) {
      o.rollback(sp);
      const er = res[i].errors[0] ?? {
        statusCode: 'UNKNOWN_EXCEPTION',
        message: 'convertLead failed',
        fields: []
      };
      throw I.ex(
        'DmlException',
        `ConvertLead failed. First exception on row ${i}; first error: ${er.statusCode}, ${er.message}: [${(er.fields ?? []).join(', ')}]`,
        {
          __dml: [{ ...er, index: i }]
        }
      );
    }
  }
  const out = res.map(
    (r) =>
      new NativeObj('Database.LeadConvertResult', {
        leadId: r.leadId,
        accountId: r.accountId,
        contactId: r.contactId,
        opportunityId: r.opportunityId,
        success: r.success,
        errors: new AList(
          nativeType('Database.Error'),
          (r.errors ?? []).map((e: any) => dbError(e.statusCode, e.message, e.fields ?? []))
        )
      })
  );
  return arg instanceof AList ? new AList(nativeType('Database.LeadConvertResult'), out) : out[0];
}

NATIVE_METHODS['Database.LeadConvertResult'] = (I, o, n) => {
  if (n === 'issuccess') return o.p.success;
  return NOPE;
};

function countRows(
  I: Interp,
  soql: string,
  binds: Record<string, any>,
  mode: 'user' | 'system' | null
): number {
  let res: any;
  try {
    res = org(I).query(soql, binds, ctxOf(I, mode));
  } catch (e) {
    throw mapDataError(I, e);
  }
  countQuery(I, res.totalSize);
  return res.totalSize;
}

/** Dynamic SOQL binds refer to variables in scope of the caller (Database.query). */
function dynamicBinds(I: Interp, soql: string): Record<string, any> {
  const out: Record<string, any> = {};
  const fr = I.stack[I.stack.length - 1];
  const re = /:\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)/g;
  let m: RegExpExecArray | null;
  const stripped = soql.replace(/'(?:[^'\\]|\\.)*'/g, (s) => ' '.repeat(s.length));
  while ((m = re.exec(stripped))) {
    const path = m[1];
    const name = path.split('.')[0].toLowerCase();
    if (
      /^(last|next)_n_|^n_\w+_ago$/i.test(
        stripped
          .slice(Math.max(0, m.index - 30), m.index)
          .split(/\s/)
          .pop() ?? ''
      )
    )
      continue;
    let v: any;
    const box = fr?.scope[name];
    if (box !== undefined) v = box.v;
    else if (fr) {
      try {
        v = I.ev({ k: 'id', name, oname: name, line: fr.line, col: fr.col }, fr);
      } catch {
        continue;
      }
    }
    for (const p of path.split('.').slice(1))
      v = v === null ? null : I.getMember(v, p.toLowerCase(), p, fr);
    out[path] = fromApex(I, v);
  }
  return out;
}

function rewriteDynamicBinds(_I: Interp, soql: string, _x: any): string {
  return soql;
}

// ---------------------------------------------------------------- triggers
export function installTriggerHook(I: Interp): void {
  const o = org(I);
  o.setTriggerHook((ev: any) => {
    const evName = `${ev.when} ${ev.operation}`;
    const trigs = I.triggers.filter(
      (t) =>
        t.decl!.trigger!.object.toLowerCase() === String(ev.object).toLowerCase() &&
        t.decl!.trigger!.events.includes(evName)
    );
    if (trigs.length === 0) return;
    const newList = ev.newRecords
      ? ev.newRecords.map((r: any) => recordToSObj(I, { attributes: { type: ev.object }, ...r }))
      : null;
    const oldList = ev.oldRecords
      ? ev.oldRecords.map((r: any) => recordToSObj(I, { attributes: { type: ev.object }, ...r }))
      : null;
    for (const so of [...(newList ?? []), ...(oldList ?? [])]) (so as any).queried = false;
    const errTarget = ev.operation === 'delete' ? oldList : newList;
    (errTarget ?? []).forEach((so: SObj, i: number) => {
      (so as any).onError = (msg: string, field?: string) => ev.addError(i, msg, field);
    });
    if (ev.when === 'after') for (const so of newList ?? []) (so as any).readonly = true;
    if (ev.operation === 'delete') for (const so of oldList ?? []) (so as any).readonly = true;
    if (ev.operation === 'update' && ev.when === 'before')
      for (const so of oldList ?? []) (so as any).readonly = true;
    if (ev.operation === 'update' && ev.when === 'after')
      for (const so of oldList ?? []) (so as any).readonly = true;
    const tctx = { ev, newList, oldList };
    for (const t of trigs) {
      I.triggerCtx.push(tctx);
      const fr = I.newFrame(t, null, `Trigger.${t.name}`, t.decl!.line);
      I.stack.push(fr);
      try {
        I.ensureInit(t);
        I.execBlockSig(t.decl!.trigger!.body, fr);
      } catch (e) {
        if (e instanceof ApexThrow && e.exc.cls.systemName === 'System.LimitException') throw e;
        if (e instanceof ApexThrow) {
          const x = e.exc;
          const tn = x.cls.systemName ?? x.cls.name;
          const phase =
            (ev.when === 'before' ? 'Before' : 'After') +
            ev.operation[0].toUpperCase() +
            ev.operation.slice(1);
          const err: any = new Error('trigger failure');
          err.__triggerFailure = `${t.name}: execution of ${phase}\n\ncaused by: ${tn}: ${x.f.__message}\n\n${x.f.__stack}`;
          err.__apex = e;
          throw err;
        }
        throw e;
      } finally {
        I.stack.pop();
        I.triggerCtx.pop();
      }
    }
    if (ev.when === 'before' && newList) {
      newList.forEach((so: SObj, i: number) => {
        const rec = ev.newRecords[i];
        for (const l in so.n) {
          const v = so.v[l];
          if (v instanceof SObj || v instanceof AList) continue;
          rec[so.n[l]] = fromApex(I, v);
        }
      });
    }
  });
}

export function triggerProp(I: Interp, n: string): any {
  const t = I.triggerCtx[I.triggerCtx.length - 1];
  if (!t) {
    if (n === 'isexecuting') return false;
    return null;
  }
  const ev = t.ev;
  const mk = (l: SObj[] | null) => {
    if (!l) return null;
    const m = new AMap(T.id, sobjType(ev.object));
    for (const so of l) mapPut(I, m, so.v['id'], so);
    return m;
  };
  switch (n) {
    case 'new':
      return t.newList ? new AList(sobjType(ev.object), t.newList) : null;
    case 'old':
      return t.oldList ? new AList(sobjType(ev.object), t.oldList) : null;
    case 'newmap':
      return ev.operation === 'insert' && ev.when === 'before' ? null : mk(t.newList);
    case 'oldmap':
      return mk(t.oldList);
    case 'isbefore':
      return ev.when === 'before';
    case 'isafter':
      return ev.when === 'after';
    case 'isinsert':
      return ev.operation === 'insert';
    case 'isupdate':
      return ev.operation === 'update';
    case 'isdelete':
      return ev.operation === 'delete';
    case 'isundelete':
      return ev.operation === 'undelete';
    case 'isexecuting':
      return true;
    case 'size':
      return (t.newList ?? t.oldList ?? []).length;
    case 'operationtype':
      return sysEnum('TriggerOperation', `${ev.when}_${ev.operation}`.toUpperCase());
  }
  throw I.unsupported(`Trigger.${n}`);
}

// ---------------------------------------------------------------- runAs, UserInfo, Security
export function runAs(I: Interp, s: Stmt, fr: Frame): number {
  const args = s.args.map((e: Expr) => I.ev(e, fr));
  const u = args[0];
  if (u === null) throw I.npe();
  if (!(u instanceof SObj)) throw I.unsupported('System.runAs(Version)');
  const id = u.v['id'];
  if (!id) throw I.unsupported('System.runAs with a User that has no Id');
  const saved = I.userId;
  const savedTz = I.userTz;
  I.userId = id;
  try {
    I.userTz = org(I).userTimeZone(id);
  } catch {
    /* keep */
  }
  try {
    const r = I.execBlockSig(s.body, fr);
    return r === RET ? r : r ? r : 0;
  } finally {
    I.userId = saved;
    I.userTz = savedTz;
  }
}

export function userInfoStatic(I: Interp, n: string, _a: any[]): any {
  const o = org(I);
  const uid = userIdOf(I);
  const u = o.getRecord(uid) ?? {};
  switch (n) {
    case 'getuserid':
      return uid;
    case 'getusername':
      return u.Username ?? null;
    case 'getname':
      return u.Name ?? [u.FirstName, u.LastName].filter(Boolean).join(' ');
    case 'getfirstname':
      return u.FirstName ?? null;
    case 'getlastname':
      return u.LastName ?? null;
    case 'getuseremail':
      return u.Email ?? null;
    case 'getprofileid':
      return u.ProfileId ?? null;
    case 'getuserroleid':
      return u.UserRoleId ?? null;
    case 'getorganizationid':
      return o.orgId;
    case 'getorganizationname':
      return o.options.orgName;
    case 'gettimezone':
      return new NativeObj('TimeZone', { id: I.userTz, __str: I.userTz });
    case 'getlocale':
      return u.LocaleSidKey ?? 'en_US';
    case 'getlanguage':
      return u.LanguageLocaleKey ?? 'en_US';
    case 'getusertype':
      return u.UserType ?? 'Standard';
    case 'getdefaultcurrency':
      return u.DefaultCurrencyIsoCode ?? 'USD';
    case 'ismulticurrencyorganization':
      return false;
    case 'getsessionid':
      return null;
  }
  throw I.unsupported(`UserInfo.${n}`);
}

export function securityStatic(I: Interp, n: string, a: any[]): any {
  if (n !== 'stripinaccessible') throw I.unsupported(`Security.${n}`);
  const access = String(a[0]?.p?.__str ?? 'READABLE').toUpperCase();
  const recs: AList = a[1];
  if (recs === null) throw I.npe();
  const o = org(I);
  const uid = userIdOf(I);
  const removed = new Map<string, Set<string>>();
  const modified = new ASet(T.integer);
  const out = new AList(recs.et, []);
  recs.a.forEach((so: SObj, i: number) => {
    const d = describeOf(I, so.type);
    const op = o.permissions.objectAccess(uid, d.name);
    const objOk =
      access === 'READABLE'
        ? op.read
        : access === 'CREATABLE'
          ? op.create
          : access === 'UPDATABLE'
            ? op.edit
            : op.create && op.edit;
    if (a[2] !== false && !objOk) throw I.ex('NoAccessException', `No access to entity`);
    const c = new SObj(so.type);
    let changed = false;
    for (const l in so.n) {
      const f = fieldOf(d, l);
      if (!f) {
        c.n[l] = so.n[l];
        c.v[l] = so.v[l];
        continue;
      }
      const fp = o.permissions.fieldAccess(uid, d.name, f.name);
      const ok =
        access === 'READABLE'
          ? fp.readable
          : access === 'CREATABLE'
            ? fp.editable && f.createable !== false
            : access === 'UPDATABLE'
              ? fp.editable && f.updateable !== false
              : fp.editable && f.createable !== false && f.updateable !== false;
      if (ok || f.name === 'Id') {
        c.n[l] = so.n[l];
        c.v[l] = so.v[l];
      } else {
        changed = true;
        if (!removed.has(d.name)) removed.set(d.name, new Set());
        removed.get(d.name)!.add(f.name);
      }
    }
    if (changed) setAdd(I, modified, i);
    out.a.push(c);
  });
  const rm = new AMap(T.string, setOf(T.string));
  for (const [k, v] of removed) {
    const s = new ASet(T.string);
    for (const x of v) setAdd(I, s, x);
    mapPut(I, rm, k, s);
  }
  return new NativeObj('SObjectAccessDecision', {
    records: out,
    removedFields: rm,
    modifiedIndexes: modified
  });
}

NATIVE_METHODS['SObjectAccessDecision'] = (I, o, n) => {
  if (n === 'getrecords') return o.p.records;
  if (n === 'getremovedfields') return o.p.removedFields;
  if (n === 'getmodifiedindexes') return o.p.modifiedIndexes;
  return NOPE;
};

// ---------------------------------------------------------------- EventBus, Test, async
export function eventBusStatic(I: Interp, n: string, a: any[]): any {
  if (n === 'publish') {
    const target = a[0];
    const type =
      target instanceof SObj
        ? target.type
        : target instanceof AList
          ? (target.a.find((x) => x instanceof SObj)?.type ?? null)
          : null;
    const immediate = type && describeOf(I, type)?.publishBehavior === 'PublishImmediately';
    const before = { dml: I.limits.dml, dmlRows: I.limits.dmlRows };
    const res = runDml(I, 'insert', target, false, null);
    if (immediate) {
      // Platform Events Developer Guide › Platform Event Allocations: publishing PublishImmediately
      // events counts against Limits.getLimitPublishImmediateDML (150), not the DML limits.
      I.limits.dml = before.dml;
      I.limits.dmlRows = before.dmlRows;
      if (++I.limits.publishImmediate > 150)
        throw I.unsupported('more than 150 EventBus.publish calls of PublishImmediately events');
    }
    for (const r of res) r.type = 'Database.SaveResult';
    if (target instanceof AList) return new AList(nativeType('Database.SaveResult'), res);
    return res[0];
  }
  throw I.unsupported(`EventBus.${n}`);
}

function jobId(I: Interp): string {
  const o = org(I);
  try {
    return o.newId('AsyncApexJob');
  } catch {
    const n = ++(I as any).jobSeq || ((I as any).jobSeq = 1);
    return to18('707' + String(n).padStart(12, '0'));
  }
}

export function enqueueJob(I: Interp, job: any): string {
  if (job === null) throw I.npe();
  I.limits.queueable++;
  const id = jobId(I);
  I.asyncQueue.push(() => {
    runAsync(I, 'queueable', () =>
      I.callUserMethod(job, 'execute', [
        new NativeObj('QueueableContext', { jobId: id, __str: id })
      ])
    );
  });
  return id;
}

export function scheduleJob(I: Interp, a: any[]): string {
  const id = jobId(I);
  const job = a[2];
  I.asyncQueue.push(() =>
    runAsync(I, 'scheduled', () =>
      I.callUserMethod(job, 'execute', [new NativeObj('SchedulableContext', { triggerId: id })])
    )
  );
  return id;
}

export function enqueueBatch(I: Interp, job: any, size: number): string {
  const id = jobId(I);
  I.asyncQueue.push(() =>
    runAsync(I, 'batch', () => {
      const bc = new NativeObj('Database.BatchableContext', { jobId: id, childJobId: id });
      const start = I.callUserMethod(job, 'start', [bc]);
      const rows: any[] =
        start instanceof NativeObj ? start.p.rows.a : start instanceof AList ? start.a : [];
      for (let i = 0; i < rows.length; i += size) {
        const scope = new AList(
          rows[0] instanceof SObj ? sobjType(rows[0].type) : T.object,
          rows.slice(i, i + size)
        );
        I.callUserMethod(job, 'execute', [bc, scope]);
      }
      I.callUserMethod(job, 'finish', [bc]);
    })
  );
  return id;
}

export function runAsync(I: Interp, kind: string, fn: () => void): void {
  const saved = (I as any).asyncKind;
  const savedLimits = I.limits;
  (I as any).asyncKind = kind;
  (I as any).inAsync = true;
  I.limits = {
    ...savedLimits,
    queries: 0,
    queryRows: 0,
    dml: 0,
    dmlRows: 0,
    callouts: 0,
    publishImmediate: 0,
    cpuStart: Date.now()
  };
  try {
    fn();
  } finally {
    (I as any).asyncKind = saved;
    (I as any).inAsync = false;
    I.limits = savedLimits;
  }
}

export function drainAsync(I: Interp): void {
  for (let round = 0; round < 10 && I.asyncQueue.length; round++) {
    const q = I.asyncQueue.splice(0);
    for (const job of q) job();
    if (I.data) (I.data as any).deliverEvents?.();
  }
}

export function testStatic(I: Interp, n: string, a: any[]): any {
  switch (n) {
    case 'starttest':
      if (I.testStarted) throw I.ex('FinalException', 'Testing already started');
      I.testStarted = true;
      (I as any).outerLimits = I.limits;
      I.limits = {
        ...I.limits,
        queries: 0,
        queryRows: 0,
        dml: 0,
        dmlRows: 0,
        callouts: 0,
        futureCalls: 0,
        queueable: 0,
        publishImmediate: 0,
        cpuStart: Date.now()
      };
      (I as any).asyncMark = I.asyncQueue.length;
      return null;
    case 'stoptest': {
      if (!I.testStarted) throw I.ex('FinalException', 'Testing has not started');
      drainAsync(I);
      if (I.data) (I.data as any).deliverEvents?.();
      I.limits = (I as any).outerLimits ?? I.limits;
      (I as any).testStopped = true;
      return null;
    }
    case 'isrunningtest':
      return I.inTestContext;
    case 'setmock': {
      const t = a[0]?.p?.__t;
      I.mocks[
        String(t?.name ?? 'HttpCalloutMock')
          .toLowerCase()
          .replace(/^system\./, '')
      ] = a[1];
      return null;
    }
    case 'geteventbus':
      return new NativeObj('EventBus.TestBroker', {});
    case 'getstandardpricebookid':
      throw I.unsupported('Test.getStandardPricebookId');
    case 'loaddata':
      throw I.unsupported('Test.loadData');
    case 'setcurrentpage':
    case 'setcurrentpagereference':
      throw I.unsupported('Visualforce pages');
    case 'setfixedsearchresults':
      throw I.unsupported('SOSL');
    case 'enqueuebatchjobs':
    case 'getflexqueueorder':
      throw I.unsupported(`Test.${n}`);
    case 'createstub': {
      // Test.createStub(Type parentType, StubProvider provider)
      const t = a[0]?.p?.__t;
      if (!t || t.k !== 'class' || !t.cls?.decl)
        throw I.unsupported('Test.createStub for a system type');
      if (a[1] === null) throw I.npe();
      const stub = new AObj(t.cls);
      stub.f.__stub = a[1];
      return stub;
    }
    case 'setreadonlyapplicationmode':
      return null;
  }
  throw I.unsupported(`Test.${n}`);
}

NATIVE_METHODS['EventBus.TestBroker'] = (I, o, n) => {
  if (n === 'deliver') {
    org(I).deliverEvents();
    return null;
  }
  return NOPE;
};

// ---------------------------------------------------------------- REST context
export function newRestRequest(_I: Interp): NativeObj {
  return new NativeObj('RestRequest', {
    requestURI: null,
    resourcePath: null,
    httpMethod: null,
    requestBody: null,
    remoteAddress: null,
    params: new AMap(T.string, T.string),
    headers: new AMap(T.string, T.string),
    __str: 'RestRequest'
  });
}

export function newRestResponse(_I: Interp): NativeObj {
  return new NativeObj('RestResponse', {
    statusCode: 200,
    responseBody: null,
    headers: new AMap(T.string, T.string),
    __str: 'RestResponse'
  });
}

export { keyOf, typeValue, listOf, mapOf, TypeMarker };
