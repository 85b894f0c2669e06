/**
 * Schema: built-in standard objects plus whatever the SFDX project's package directories
 * declare under objects/ (custom objects, custom metadata types, platform events, custom
 * settings, custom fields on standard objects — Activity fields land on Event and Task).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { addField, makeField, makeObject, picklist, pluralLabel } from './fields.js';
import { SchemaError } from './errors.js';
import { base62, fnv1a } from './ids.js';
import { ACTIVITY_OBJECTS, standardObjects } from './standard-objects.js';
import type {
  FieldDescribe,
  FieldType,
  ObjectDescribe,
  PicklistEntry,
  SharingModel
} from './schema-types.js';

export const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  trimValues: true,
  isArray: (name) =>
    [
      'fields',
      'value',
      'values',
      'objectPermissions',
      'fieldPermissions',
      'classAccesses',
      'userPermissions',
      'referenceTo',
      'packageDirectories',
      'tabSettings',
      'recordTypeVisibilities',
      'customMetadataTypeAccesses',
      'customSettingAccesses',
      'pageAccesses',
      'applicationVisibilities',
      'filterItems'
    ].includes(name)
});

export type XmlNode = Record<string, unknown>;

/** Parsed metadata files by path, reused while the file is unchanged (parsed nodes are never mutated). */
const XML_CACHE = new Map<string, { mtimeMs: number; size: number; node: XmlNode }>();

export function readXml(file: string): XmlNode {
  const st = statSync(file);
  const hit = XML_CACHE.get(file);
  if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit.node;
  try {
    const node = xml.parse(readFileSync(file, 'utf8')) as XmlNode;
    XML_CACHE.set(file, { mtimeMs: st.mtimeMs, size: st.size, node });
    return node;
  } catch (e) {
    throw new SchemaError(`cannot parse ${file}: ${(e as Error).message}`);
  }
}

export function text(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'object') {
    const t = (v as XmlNode)['#text'];
    return t === undefined ? undefined : String(t);
  }
  return String(v);
}

export function bool(v: unknown, dflt = false): boolean {
  const t = text(v);
  return t === undefined ? dflt : t === 'true';
}

export function arr<T = XmlNode>(v: unknown): T[] {
  if (v === undefined || v === null || v === '') return [];
  return (Array.isArray(v) ? v : [v]) as T[];
}

/** The package directories named in sfdx-project.json (absolute paths). */
export function packageDirectories(projectDir: string): string[] {
  const file = join(projectDir, 'sfdx-project.json');
  if (!existsSync(file)) throw new SchemaError(`no sfdx-project.json in ${projectDir}`);
  const proj = JSON.parse(readFileSync(file, 'utf8')) as {
    packageDirectories?: { path: string }[];
  };
  return (proj.packageDirectories ?? [])
    .map((d) => resolve(projectDir, d.path))
    .filter((d) => existsSync(d));
}

/** Recursively lists files under `dir` whose name ends with `suffix`. Sorted for determinism. */
export function findFiles(dir: string, suffix: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let entries: string[];
    try {
      entries = readdirSync(d).sort();
    } catch {
      return;
    }
    for (const e of entries) {
      if (e === 'node_modules' || e.startsWith('.')) continue;
      const p = join(d, e);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (e.endsWith(suffix)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

const TYPE_MAP: Record<string, FieldType> = {
  Text: 'string',
  TextArea: 'textarea',
  LongTextArea: 'textarea',
  Html: 'textarea',
  EncryptedText: 'encryptedstring',
  Email: 'email',
  Phone: 'phone',
  Url: 'url',
  Picklist: 'picklist',
  MultiselectPicklist: 'multipicklist',
  Checkbox: 'boolean',
  Number: 'double',
  Currency: 'currency',
  Percent: 'percent',
  Date: 'date',
  DateTime: 'datetime',
  Time: 'time',
  Lookup: 'reference',
  MasterDetail: 'reference',
  MetadataRelationship: 'reference',
  Hierarchy: 'reference',
  ExternalLookup: 'string',
  AutoNumber: 'string',
  Summary: 'double',
  Location: 'location'
};

export interface LoadedSchemaInput {
  personAccounts: boolean;
}

export class Schema {
  private readonly objects = new Map<string, ObjectDescribe>();
  private readonly byPrefix = new Map<string, ObjectDescribe>();
  /** Files read, for diagnostics. */
  readonly sources: string[] = [];
  /** Metadata constructs found but not modelled (listed in docs; DML/queries that need them throw). */
  readonly warnings: string[] = [];

  constructor(readonly personAccounts: boolean) {
    for (const o of standardObjects(personAccounts)) this.register(o);
  }

  register(o: ObjectDescribe): void {
    this.objects.set(o.name.toLowerCase(), o);
    this.byPrefix.set(o.keyPrefix, o);
  }

  /** Case-insensitive lookup; undefined when the object does not exist. */
  findObject(name: string): ObjectDescribe | undefined {
    return this.objects.get(String(name).toLowerCase());
  }

  /** Case-insensitive lookup; throws when the object does not exist. */
  getObject(name: string): ObjectDescribe {
    const o = this.findObject(name);
    if (!o) throw new SchemaError(`sObject type '${name}' is not supported.`);
    return o;
  }

  objectNames(): string[] {
    return [...this.objects.values()].map((o) => o.name).sort();
  }

  objectForId(id: string): ObjectDescribe | undefined {
    return this.byPrefix.get(id.slice(0, 3));
  }

  getField(objectName: string, field: string): FieldDescribe | undefined {
    return this.findObject(objectName)?.fields.get(field.toLowerCase());
  }

  /** Loads every package directory of the project. */
  loadProject(projectDir: string): void {
    const dirs = packageDirectories(projectDir);
    const objectDirs: string[] = [];
    for (const dir of dirs) {
      for (const f of findFiles(dir, '.object-meta.xml')) objectDirs.push(f);
    }
    const fieldFiles: string[] = [];
    for (const dir of dirs) fieldFiles.push(...findFiles(dir, '.field-meta.xml'));
    // Pass 1: object definitions (so key prefixes are assigned from the full, sorted set).
    const objectFiles = objectDirs.sort((a, b) => basename(a).localeCompare(basename(b)));
    const pending: { name: string; node: XmlNode; file: string }[] = [];
    for (const file of objectFiles) {
      const name = basename(file).replace(/\.object-meta\.xml$/, '');
      const node = (readXml(file).CustomObject ?? {}) as XmlNode;
      pending.push({ name, node, file });
    }
    for (const p of pending) this.defineObject(p.name, p.node, p.file);
    // Pass 2: fields (folder objects/<Object>/fields/<Field>.field-meta.xml).
    for (const file of fieldFiles.sort()) {
      const parts = file.split(/[\\/]/);
      const fi = parts.lastIndexOf('fields');
      const objectName = fi > 0 ? parts[fi - 1]! : '';
      const node = (readXml(file).CustomField ?? {}) as XmlNode;
      const fieldName = text(node.fullName) ?? basename(file).replace(/\.field-meta\.xml$/, '');
      const targets = objectName.toLowerCase() === 'activity' ? ACTIVITY_OBJECTS : [objectName];
      for (const t of targets) {
        const obj = this.findObject(t);
        if (obj && !/__c$/i.test(fieldName) && obj.fields.has(fieldName.toLowerCase())) {
          // A standard field's customisation (e.g. OwnerId with trackHistory): the built-in describe stays.
          continue;
        }
        if (!obj) {
          this.warnings.push(`field ${fieldName} in ${file}: object ${t} is not defined (skipped)`);
          continue;
        }
        addField(obj, this.parseField(obj, fieldName, node, file));
      }
      this.sources.push(file);
    }
    // Validation rules: recorded, not evaluated.
    for (const dir of dirs) {
      for (const file of findFiles(dir, '.validationRule-meta.xml')) {
        const parts = file.split(/[\\/]/);
        const vi = parts.lastIndexOf('validationRules');
        const obj = vi > 0 ? this.findObject(parts[vi - 1]!) : undefined;
        const node = (readXml(file).ValidationRule ?? {}) as XmlNode;
        if (obj && bool(node.active, true)) {
          const name =
            text(node.fullName) ?? basename(file).replace(/\.validationRule-meta\.xml$/, '');
          obj.validationRules.push(name);
          obj.validationRuleDefs.push({
            name,
            errorConditionFormula: text(node.errorConditionFormula) ?? 'false',
            errorMessage: text(node.errorMessage) ?? name,
            errorDisplayField: text(node.errorDisplayField) ?? null
          });
        }
      }
    }
    this.link();
  }

  private assignPrefix(name: string, first: string): string {
    // Deterministic per object name: a hash picks a slot in <first>00..<first>zz; collisions probe forward.
    const space = 62 * 62;
    const slot = fnv1a(name.toLowerCase()) % space;
    for (let i = 0; i < space; i++) {
      const prefix = first + base62((slot + i) % space, 2);
      if (!this.byPrefix.has(prefix)) return prefix;
    }
    throw new SchemaError('no key prefix left');
  }

  private defineObject(name: string, node: XmlNode, file: string): void {
    const existing = this.findObject(name);
    if (existing && !existing.custom) {
      // A standard object folder (e.g. objects/Lead/Lead.object-meta.xml): only fields matter.
      const sm = text(node.sharingModel) as SharingModel | undefined;
      if (sm) existing.sharingModel = sm;
      return;
    }
    if (!/__(c|mdt|e|x|b)$/i.test(name)) {
      if (name.toLowerCase() === 'activity') return;
      this.warnings.push(`standard object ${name} is not built in (from ${file}); skipped`);
      return;
    }
    this.sources.push(file);
    const isMdt = /__mdt$/i.test(name);
    const isEvent = /__e$/i.test(name);
    const isSetting = node.customSettingsType !== undefined;
    const label = text(node.label) ?? name;
    const labelPlural = text(node.pluralLabel) ?? pluralLabel(label);
    const nameNode = (node.nameField ?? {}) as XmlNode;
    const nameType = text(nameNode.type) ?? 'Text';
    const sharingModel =
      (text(node.sharingModel) as SharingModel | undefined) ??
      (isMdt || isEvent ? 'ReadWrite' : 'ReadWrite');
    let fields: FieldDescribe[] = [];
    let hasOwner = !isMdt && !isEvent && !isSetting && sharingModel !== 'ControlledByParent';
    let nameField: string | null = 'Name';
    if (isMdt) {
      fields = [
        makeField('DeveloperName', 'string', {
          length: 40,
          nillable: false,
          label: 'Custom Metadata Record Name'
        }),
        makeField('MasterLabel', 'string', { length: 40, nillable: false, label: 'Label' }),
        makeField('Label', 'string', {
          length: 40,
          label: 'Label',
          createable: false,
          updateable: false
        }),
        makeField('QualifiedApiName', 'string', {
          length: 70,
          createable: false,
          updateable: false,
          label: 'Qualified API Name'
        }),
        makeField('NamespacePrefix', 'string', {
          length: 15,
          createable: false,
          updateable: false
        }),
        makeField('Language', 'picklist', { length: 40, createable: false, updateable: false })
      ];
      nameField = 'MasterLabel';
    } else if (isEvent) {
      fields = [
        makeField('ReplayId', 'string', {
          length: 255,
          createable: false,
          updateable: false,
          label: 'Replay ID'
        }),
        makeField('EventUuid', 'string', {
          length: 36,
          createable: false,
          updateable: false,
          label: 'Event UUID'
        })
      ];
      nameField = null;
    } else if (nameType === 'AutoNumber') {
      fields = [
        makeField('Name', 'string', {
          length: 80,
          label: text(nameNode.label) ?? `${label} Name`,
          autoNumber: true,
          displayFormat: text(nameNode.displayFormat) ?? '{0}',
          startingNumber: Number(text(nameNode.startingNumber) ?? '1'),
          createable: false,
          updateable: false,
          nillable: false,
          defaultedOnCreate: true,
          metadataType: 'AutoNumber'
        })
      ];
    } else {
      fields = [
        makeField('Name', 'string', {
          length: 80,
          label: text(nameNode.label) ?? `${label} Name`,
          nillable: true
        })
      ];
    }
    if (isSetting)
      fields.push(
        makeField('SetupOwnerId', 'reference', {
          referenceTo: ['Organization', 'Profile', 'User'],
          relationshipName: 'SetupOwner'
        })
      );
    const first = isMdt ? 'm' : isEvent ? 'e' : 'a';
    const obj = makeObject(name, fields, {
      label,
      labelPlural,
      keyPrefix: existing?.keyPrefix ?? this.assignPrefix(name, first),
      custom: true,
      hasOwner,
      ownerTo: ['Group', 'User'],
      sharingModel: isMdt || isEvent ? 'ReadWrite' : sharingModel,
      nameField,
      isCustomMetadata: isMdt,
      isPlatformEvent: isEvent,
      isCustomSetting: isSetting,
      createable: true,
      updateable: !isEvent,
      deletable: !isEvent,
      triggerable: !isMdt,
      withSystemFields: true
    });
    if (isEvent) {
      // Platform events carry CreatedDate / CreatedById only.
      for (const k of ['isdeleted', 'lastmodifieddate', 'lastmodifiedbyid', 'systemmodstamp']) {
        const fd = obj.fields.get(k);
        if (fd) {
          obj.fields.delete(k);
          obj.fieldList.splice(obj.fieldList.indexOf(fd), 1);
        }
      }
      obj.publishBehavior =
        (text(node.publishBehavior) as 'PublishAfterCommit' | 'PublishImmediately' | undefined) ??
        'PublishAfterCommit';
      obj.queryable = false;
    }
    if (isMdt) obj.deletable = false;
    hasOwner = obj.hasOwner;
    this.register(obj);
  }

  private parseField(obj: ObjectDescribe, name: string, n: XmlNode, file: string): FieldDescribe {
    const mdType = text(n.type) ?? (n.formula !== undefined ? 'Formula' : undefined);
    if (!mdType) throw new SchemaError(`${file}: field ${name} has no <type>`);
    const formula = text(n.formula);
    const formulaType = mdType;
    let type = TYPE_MAP[mdType];
    if (!type) throw new SchemaError(`${file}: field type ${mdType} is not supported`);
    const required = bool(n.required);
    const label = text(n.label) ?? name;
    const length = Number(text(n.length) ?? '0');
    const precision = Number(text(n.precision) ?? '0');
    const scale = Number(text(n.scale) ?? '0');
    const o: Partial<FieldDescribe> = {
      label,
      metadataType: formula ? `Formula(${formulaType})` : mdType,
      custom: true,
      externalId: bool(n.externalId),
      unique: bool(n.unique),
      caseSensitive: bool(n.caseSensitive),
      htmlFormatted: mdType === 'Html'
    };
    if (type === 'double' && scale === 0 && mdType === 'Number') {
      // Number(p,0) is still a double in describe (Apex sees Decimal).
    }
    switch (mdType) {
      case 'Text':
      case 'EncryptedText':
        o.length = length || 255;
        break;
      case 'TextArea':
        o.length = 255;
        break;
      case 'LongTextArea':
      case 'Html':
        o.length = length || 32768;
        o.visibleLines = Number(text(n.visibleLines) ?? '3');
        break;
      case 'Email':
        o.length = 80;
        break;
      case 'Phone':
        o.length = 40;
        break;
      case 'Url':
        o.length = 255;
        break;
      case 'ExternalLookup':
        o.length = 255;
        break;
      case 'Number':
      case 'Currency':
      case 'Percent':
        o.precision = precision || 18;
        o.scale = scale;
        break;
      case 'Summary':
        o.precision = 18;
        o.scale = 0;
        break;
      case 'Picklist':
      case 'MultiselectPicklist': {
        const vs = (n.valueSet ?? {}) as XmlNode;
        const def = (vs.valueSetDefinition ?? {}) as XmlNode;
        const values: PicklistEntry[] = arr<XmlNode>(def.value).map((v) => ({
          value: text(v.fullName) ?? '',
          label: text(v.label) ?? text(v.fullName) ?? '',
          active: true,
          defaultValue: bool(v.default)
        }));
        if (vs.valueSetName !== undefined)
          this.warnings.push(
            `${obj.name}.${name}: global value set ${text(vs.valueSetName)} not loaded (values unknown)`
          );
        o.picklistValues = values;
        o.restrictedPicklist = bool(vs.restricted);
        o.length = mdType === 'Picklist' ? 255 : 4099;
        const d = values.find((v) => v.defaultValue);
        if (d) {
          o.defaultValue = d.value;
          o.defaultedOnCreate = true;
        }
        break;
      }
      case 'Lookup':
      case 'MasterDetail':
      case 'Hierarchy':
      case 'MetadataRelationship': {
        const to =
          mdType === 'Hierarchy' ? ['User'] : arr<unknown>(n.referenceTo).map((x) => text(x) ?? '');
        o.referenceTo = to;
        o.length = 18;
        // Parent side (child → parent path): Lead__c → Lead__r. Child side (<relationshipName>): Foo → Foo__r.
        o.relationshipName = name.replace(/__c$/i, '__r');
        o.childRelationshipName = text(n.relationshipName)
          ? `${text(n.relationshipName)}__r`
          : null;
        if (mdType === 'MasterDetail') {
          o.masterDetail = true;
          o.cascadeDelete = true;
          o.deleteConstraint = 'Cascade';
          o.nillable = false;
          o.required = true;
          o.updateable = bool(n.reparentableMasterDetail);
          o.groupable = true;
        } else {
          const dc =
            (text(n.deleteConstraint) as 'SetNull' | 'Restrict' | 'Cascade' | undefined) ??
            'SetNull';
          o.deleteConstraint = dc;
          o.restrictedDelete = dc === 'Restrict';
          o.cascadeDelete = dc === 'Cascade';
        }
        break;
      }
      case 'AutoNumber':
        o.autoNumber = true;
        o.displayFormat = text(n.displayFormat) ?? '{0}';
        o.startingNumber = Number(text(n.startingNumber) ?? '1');
        o.createable = false;
        o.updateable = false;
        o.defaultedOnCreate = true;
        o.nillable = false;
        o.length = 30;
        break;
      case 'Checkbox':
        o.defaultValue = text(n.defaultValue) === 'true';
        break;
      case 'Location':
        this.warnings.push(`${obj.name}.${name}: Location fields are not modelled`);
        break;
    }
    if (mdType === 'Summary') {
      const op = (text(n.summaryOperation) ?? 'count').toLowerCase() as
        'count' | 'sum' | 'min' | 'max';
      const fk = text(n.summaryForeignKey) ?? '';
      const [childObject = '', childField = ''] = fk.split('.');
      const summarized = text(n.summarizedField);
      o.rollup = {
        operation: op,
        childObject,
        childField,
        summarizedField: summarized ? summarized.split('.').pop()! : null,
        hasFilter: arr(n.summaryFilterItems).length > 0,
        filters: arr<XmlNode>(n.summaryFilterItems).map((fi) => ({
          field: (text(fi.field) ?? '').split('.').pop()!,
          operation: text(fi.operation) ?? 'equals',
          value: text(arr<unknown>(fi.value)[0]) ?? ''
        }))
      };
      o.createable = false;
      o.updateable = false;
      o.calculated = true;
      o.defaultValue = op === 'count' ? 0 : null;
    }
    if (formula) {
      o.calculated = true;
      o.calculatedFormula = formula;
      o.formulaTreatBlanksAs =
        text(n.formulaTreatBlanksAs) === 'BlankAsBlank' ? 'BlankAsBlank' : 'BlankAsZero';
      o.createable = false;
      o.updateable = false;
      const ft = text(n.type);
      type = (ft && TYPE_MAP[ft]) || 'string';
    }
    // Literal default values (formulas other than literals are kept raw and not evaluated).
    const dv = text(n.defaultValue);
    if (dv !== undefined && mdType !== 'Checkbox') {
      const lit = parseDefaultLiteral(dv, type);
      if (lit.ok) {
        o.defaultValue = lit.value;
        o.defaultedOnCreate = true;
      } else {
        o.defaultValueFormula = dv;
        o.defaultedOnCreate = true;
      }
    }
    if (required && !o.masterDetail) {
      o.nillable = false;
      o.required = !o.defaultedOnCreate;
    }
    if (o.externalId && ['string', 'email', 'double', 'integer'].includes(type)) o.idLookup = true;
    if (o.unique && type === 'string') o.idLookup = true;
    return makeField(name, type, o);
  }

  /** Builds child relationships and extends polymorphic WhatId targets. */
  link(): void {
    for (const o of this.objects.values()) o.childRelationships = [];
    // Roll-up SUM / MIN / MAX take the type and scale of the summarized field (e.g. MAX of a Date).
    for (const o of this.objects.values()) {
      for (const f of o.fieldList) {
        const r = f.rollup;
        if (!r || !r.summarizedField) continue;
        const src = this.getField(r.childObject, r.summarizedField);
        if (!src) continue;
        f.type = src.type;
        f.scale = src.scale;
        f.precision = src.precision || f.precision;
      }
    }
    // Activity-enabled custom objects are valid WhatId targets; we accept any custom object.
    for (const act of ACTIVITY_OBJECTS) {
      const what = this.findObject(act)?.fields.get('whatid');
      if (what) {
        const targets = new Set(what.referenceTo);
        for (const o of this.objects.values())
          if (o.custom && !o.isCustomMetadata && !o.isPlatformEvent && !o.isCustomSetting)
            targets.add(o.name);
        what.referenceTo = [...targets];
      }
    }
    for (const child of this.objects.values()) {
      for (const f of child.fieldList) {
        if (f.type !== 'reference') continue;
        for (const target of f.referenceTo) {
          const parent = this.findObject(target);
          if (!parent) continue;
          let relName: string | null = null;
          if (f.custom) {
            relName = f.childRelationshipName ?? null;
          } else {
            relName = STANDARD_CHILD_RELATIONSHIPS[`${child.name}.${f.name}`] ?? null;
          }
          parent.childRelationships.push({
            childSObject: child.name,
            field: f.name,
            relationshipName: relName,
            cascadeDelete: f.cascadeDelete,
            restrictedDelete: f.restrictedDelete
          });
        }
      }
    }
  }
}

/** Child relationship names of the standard objects (parent side). */
const STANDARD_CHILD_RELATIONSHIPS: Record<string, string> = {
  'Contact.AccountId': 'Contacts',
  'Opportunity.AccountId': 'Opportunities',
  'Account.ParentId': 'ChildAccounts',
  'Event.WhoId': 'Events',
  'Event.WhatId': 'Events',
  'Task.WhoId': 'Tasks',
  'Task.WhatId': 'Tasks',
  'Event.AccountId': 'Events',
  'Task.AccountId': 'Tasks',
  'PermissionSetAssignment.AssigneeId': 'PermissionSetAssignments',
  'PermissionSetAssignment.PermissionSetId': 'Assignments',
  'User.ProfileId': 'Users',
  'Contact.ReportsToId': 'ReportsTo',
  'User.ManagerId': 'ManagedUsers',
  'Opportunity.ContactId': 'Opportunities'
};

function parseDefaultLiteral(dv: string, type: FieldType): { ok: boolean; value?: unknown } {
  const t = dv.trim();
  if (/^(null)$/i.test(t)) return { ok: true, value: null };
  if (/^"(.*)"$/s.test(t) || /^'(.*)'$/s.test(t))
    return { ok: true, value: t.slice(1, -1).replace(/\\(["'\\])/g, '$1') };
  if (
    ['double', 'integer', 'currency', 'percent', 'long'].includes(type) &&
    /^-?\d+(\.\d+)?$/.test(t)
  )
    return { ok: true, value: Number(t) };
  if (type === 'boolean' && /^(true|false)$/i.test(t))
    return { ok: true, value: t.toLowerCase() === 'true' };
  return { ok: false };
}

export { picklist };
