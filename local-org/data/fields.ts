import type {
  FieldDescribe,
  FieldType,
  ObjectDescribe,
  PicklistEntry,
  SharingModel
} from './schema-types.js';

/** Builds a field describe with Salesforce's defaults for the given type. */
export function makeField(
  name: string,
  type: FieldType,
  opts: Partial<FieldDescribe> = {}
): FieldDescribe {
  const isText = [
    'string',
    'textarea',
    'email',
    'phone',
    'url',
    'picklist',
    'multipicklist',
    'combobox',
    'encryptedstring'
  ].includes(type);
  const defaultLength: Record<string, number> = {
    string: 255,
    textarea: 255,
    email: 80,
    phone: 40,
    url: 255,
    picklist: 255,
    multipicklist: 4099,
    combobox: 255,
    encryptedstring: 175,
    id: 18,
    reference: 18
  };
  const f: FieldDescribe = {
    name,
    label: opts.label ?? labelFromName(name),
    type,
    length: opts.length ?? defaultLength[type] ?? 0,
    precision:
      opts.precision ?? (type === 'double' || type === 'currency' || type === 'percent' ? 18 : 0),
    scale: opts.scale ?? (type === 'currency' ? 2 : 0),
    digits: type === 'integer' ? 9 : type === 'long' ? 18 : 0,
    nillable: type === 'boolean' ? false : true,
    required: false,
    defaultedOnCreate: type === 'boolean',
    unique: false,
    caseSensitive: false,
    externalId: false,
    idLookup: type === 'id',
    nameField: false,
    referenceTo: [],
    relationshipName: null,
    deleteConstraint: null,
    masterDetail: false,
    cascadeDelete: false,
    restrictedDelete: false,
    polymorphic: false,
    picklistValues: [],
    restrictedPicklist: false,
    defaultValue: type === 'boolean' ? false : null,
    defaultValueFormula: null,
    calculated: false,
    calculatedFormula: null,
    autoNumber: false,
    displayFormat: null,
    startingNumber: 0,
    rollup: null,
    createable: true,
    updateable: true,
    filterable: type !== 'textarea' || (opts.length ?? 255) <= 255,
    sortable: type !== 'multipicklist' && (type !== 'textarea' || (opts.length ?? 255) <= 255),
    groupable: ![
      'double',
      'currency',
      'percent',
      'textarea',
      'multipicklist',
      'datetime',
      'time'
    ].includes(type),
    custom: name.endsWith('__c'),
    system: false,
    compound: false,
    htmlFormatted: false,
    ...opts
  };
  if (!isText && opts.length === undefined && type !== 'id' && type !== 'reference') f.length = 0;
  if (opts.nillable === false && opts.required === undefined) {
    f.required = f.createable && !f.defaultedOnCreate;
  }
  if (opts.referenceTo && opts.referenceTo.length > 1 && opts.polymorphic === undefined)
    f.polymorphic = true;
  return f;
}

/**
 * English plural of a label, used only when metadata gives none (custom objects must declare
 * pluralLabel; built-in objects carry their real plural): Opportunity → Opportunities,
 * Address → Addresses, Key → Keys.
 */
export function pluralLabel(label: string): string {
  if (/[^aeiou]y$/i.test(label)) return label.slice(0, -1) + 'ies';
  if (/(s|x|z|ch|sh)$/i.test(label)) return label + 'es';
  return label + 's';
}

export function labelFromName(name: string): string {
  let n = name.replace(/__(c|mdt|e|r)$/i, '');
  if (n.endsWith('Id') && n.length > 2) n = n.slice(0, -2) + ' ID';
  return n
    .replace(/_/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .trim();
}

export function picklist(values: string[], defaultValue?: string): PicklistEntry[] {
  return values.map((v) => ({
    value: v,
    label: v,
    active: true,
    defaultValue: v === defaultValue
  }));
}

/** Standard audit fields every object has. */
export function systemFields(): FieldDescribe[] {
  const sys = {
    system: true,
    createable: false,
    updateable: false,
    nillable: false,
    defaultedOnCreate: true
  };
  return [
    makeField('Id', 'id', { ...sys, label: 'Record ID', idLookup: true, groupable: true }),
    makeField('IsDeleted', 'boolean', { ...sys, label: 'Deleted' }),
    makeField('CreatedDate', 'datetime', { ...sys, label: 'Created Date' }),
    makeField('CreatedById', 'reference', {
      ...sys,
      label: 'Created By ID',
      referenceTo: ['User'],
      relationshipName: 'CreatedBy'
    }),
    makeField('LastModifiedDate', 'datetime', { ...sys, label: 'Last Modified Date' }),
    makeField('LastModifiedById', 'reference', {
      ...sys,
      label: 'Last Modified By ID',
      referenceTo: ['User'],
      relationshipName: 'LastModifiedBy'
    }),
    makeField('SystemModstamp', 'datetime', { ...sys, label: 'System Modstamp' })
  ];
}

export function ownerField(referenceTo: string[] = ['User']): FieldDescribe {
  return makeField('OwnerId', 'reference', {
    label: 'Owner ID',
    referenceTo,
    relationshipName: 'Owner',
    nillable: false,
    required: false,
    defaultedOnCreate: true,
    polymorphic: referenceTo.length > 1
  });
}

export interface ObjectOpts {
  label?: string;
  labelPlural?: string;
  keyPrefix: string;
  custom?: boolean;
  hasOwner?: boolean;
  ownerTo?: string[];
  sharingModel?: SharingModel;
  nameField?: string | null;
  createable?: boolean;
  updateable?: boolean;
  deletable?: boolean;
  queryable?: boolean;
  triggerable?: boolean;
  isCustomMetadata?: boolean;
  isPlatformEvent?: boolean;
  isCustomSetting?: boolean;
  withSystemFields?: boolean;
}

export function makeObject(name: string, fields: FieldDescribe[], o: ObjectOpts): ObjectDescribe {
  const all: FieldDescribe[] = [];
  if (o.withSystemFields !== false) all.push(...systemFields());
  if (o.hasOwner) all.push(ownerField(o.ownerTo));
  for (const f of fields) {
    const i = all.findIndex((x) => x.name.toLowerCase() === f.name.toLowerCase());
    if (i >= 0) all[i] = f;
    else all.push(f);
  }
  const obj: ObjectDescribe = {
    name,
    label: o.label ?? labelFromName(name),
    labelPlural: o.labelPlural ?? pluralLabel(o.label ?? labelFromName(name)),
    keyPrefix: o.keyPrefix,
    custom: o.custom ?? false,
    isCustomMetadata: o.isCustomMetadata ?? false,
    isPlatformEvent: o.isPlatformEvent ?? false,
    isCustomSetting: o.isCustomSetting ?? false,
    createable: o.createable ?? true,
    updateable: o.updateable ?? true,
    deletable: o.deletable ?? true,
    undeletable: o.deletable ?? true,
    queryable: o.queryable ?? true,
    triggerable: o.triggerable ?? true,
    hasOwner: o.hasOwner ?? false,
    sharingModel: o.sharingModel ?? 'ReadWrite',
    nameField: o.nameField === undefined ? 'Name' : o.nameField,
    fields: new Map(),
    fieldList: [],
    childRelationships: [],
    validationRules: [],
    validationRuleDefs: [],
    unsupported: []
  };
  for (const f of all) addField(obj, f);
  if (obj.nameField) {
    const nf = obj.fields.get(obj.nameField.toLowerCase());
    if (nf) nf.nameField = true;
  }
  return obj;
}

export function addField(obj: ObjectDescribe, f: FieldDescribe): void {
  const key = f.name.toLowerCase();
  const existing = obj.fields.get(key);
  if (existing) {
    const i = obj.fieldList.indexOf(existing);
    obj.fieldList[i] = f;
  } else {
    obj.fieldList.push(f);
  }
  obj.fields.set(key, f);
}
