/* eslint-disable @typescript-eslint/no-explicit-any */
/** Runtime types (RType) and class metadata (ClassInfo). */
import type { FieldDecl, MethodDecl, TypeDecl } from './ast.js';

export type TKind =
  | 'object'
  | 'integer'
  | 'long'
  | 'double'
  | 'decimal'
  | 'string'
  | 'id'
  | 'boolean'
  | 'date'
  | 'datetime'
  | 'time'
  | 'blob'
  | 'list'
  | 'set'
  | 'map'
  | 'sobject' // generic SObject
  | 'sobj' // a concrete SObject type (name)
  | 'class' // user class / interface / enum / exception (cls)
  | 'native' // system class (name)
  | 'void';

export interface RType {
  k: TKind;
  name: string; // display name as Salesforce prints it
  args?: RType[];
  cls?: ClassInfo;
}

const prim = (k: TKind, name: string): RType => ({ k, name });
export const T = {
  object: prim('object', 'Object'),
  integer: prim('integer', 'Integer'),
  long: prim('long', 'Long'),
  double: prim('double', 'Double'),
  decimal: prim('decimal', 'Decimal'),
  string: prim('string', 'String'),
  id: prim('id', 'Id'),
  boolean: prim('boolean', 'Boolean'),
  date: prim('date', 'Date'),
  datetime: prim('datetime', 'Datetime'),
  time: prim('time', 'Time'),
  blob: prim('blob', 'Blob'),
  sobject: prim('sobject', 'SObject'),
  void: prim('void', 'void')
};

export const PRIMS: Record<string, RType> = {
  object: T.object,
  integer: T.integer,
  long: T.long,
  double: T.double,
  decimal: T.decimal,
  string: T.string,
  id: T.id,
  boolean: T.boolean,
  date: T.date,
  datetime: T.datetime,
  time: T.time,
  blob: T.blob,
  sobject: T.sobject,
  void: T.void
};

export function listOf(et: RType): RType {
  return { k: 'list', name: `List<${et.name}>`, args: [et] };
}
export function setOf(et: RType): RType {
  return { k: 'set', name: `Set<${et.name}>`, args: [et] };
}
export function mapOf(kt: RType, vt: RType): RType {
  return { k: 'map', name: `Map<${kt.name},${vt.name}>`, args: [kt, vt] };
}
export function sobjType(name: string): RType {
  return { k: 'sobj', name };
}
export function nativeType(name: string): RType {
  return { k: 'native', name };
}

export class ClassInfo {
  name: string; // display: Outer.Inner
  lname: string;
  kind: TypeDecl['kind'];
  superclass: ClassInfo | null = null;
  interfaces: ClassInfo[] = [];
  methods = new Map<string, MethodDecl[]>();
  ctors: MethodDecl[] = [];
  fields = new Map<string, FieldDecl>();
  /** properties with custom accessors, incl. inherited (filled lazily) */
  statics: Record<string, any> = Object.create(null);
  staticDecl = new Map<string, FieldDecl>();
  inners = new Map<string, ClassInfo>();
  initState = 0; // 0 = not initialised, 1 = running, 2 = done
  enumValues: any[] = [];
  enumByName = new Map<string, any>();
  isException = false;
  /** system exception type name, e.g. System.DmlException */
  systemName: string | null = null;
  type: RType;
  sharing: 'with' | 'without' | 'inherited' | null = null;
  file: string;
  methodCache = new Map<string, MethodDecl | null>();
  isTest = false;
  constructor(
    public decl: TypeDecl | null,
    public outer: ClassInfo | null,
    name: string
  ) {
    this.name = outer ? `${outer.name}.${name}` : name;
    this.lname = this.name.toLowerCase();
    this.kind = decl?.kind ?? 'class';
    this.type = { k: 'class', name: this.name, cls: this };
    this.file = decl?.file ?? '';
  }
  isSubclassOf(other: ClassInfo): boolean {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    let c: ClassInfo | null = this;
    while (c) {
      if (c === other) return true;
      for (const i of c.interfaces) if (i === other || i.isSubclassOf(other)) return true;
      c = c.superclass;
    }
    return false;
  }
  hasAnno(name: string): boolean {
    return !!this.decl?.annos.some((a) => a.name === name);
  }
}
