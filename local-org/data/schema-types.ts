/** Describe shapes (mirroring Schema.DescribeSObjectResult / DescribeFieldResult). */

/** Field types, named as Schema.DisplayType values (lower case). */
export type FieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'email'
  | 'phone'
  | 'url'
  | 'picklist'
  | 'multipicklist'
  | 'combobox'
  | 'encryptedstring'
  | 'boolean'
  | 'double'
  | 'integer'
  | 'long'
  | 'currency'
  | 'percent'
  | 'date'
  | 'datetime'
  | 'time'
  | 'reference'
  | 'base64'
  | 'location'
  | 'address';

export interface PicklistEntry {
  value: string;
  label: string;
  active: boolean;
  defaultValue: boolean;
}

export interface RollupSummary {
  operation: 'count' | 'sum' | 'min' | 'max';
  /** Child object API name. */
  childObject: string;
  /** The master-detail field on the child pointing at this object. */
  childField: string;
  /** Field summarized on the child (null for COUNT). */
  summarizedField: string | null;
  hasFilter: boolean;
  /** summaryFilterItems: child field, operation (equals, notEqual, lessThan, …) and value. */
  filters: { field: string; operation: string; value: string }[];
}

export interface FieldDescribe {
  name: string;
  label: string;
  type: FieldType;
  /** Original metadata type (Text, LongTextArea, MasterDetail, Summary, AutoNumber…) when loaded from XML. */
  metadataType?: string;
  length: number;
  precision: number;
  scale: number;
  digits: number;
  /** nillable === false means the platform requires a value on save (Schema: isNillable). */
  nillable: boolean;
  /** Required on create from the caller's view: !nillable && !defaultedOnCreate && createable. */
  required: boolean;
  defaultedOnCreate: boolean;
  unique: boolean;
  caseSensitive: boolean;
  externalId: boolean;
  idLookup: boolean;
  nameField: boolean;
  referenceTo: string[];
  relationshipName: string | null;
  /** Custom lookups: the child relationship name on the parent (`<relationshipName>` + `__r`). */
  childRelationshipName?: string | null;
  /** Master-detail: cascade delete; lookup: SetNull (default) / Restrict / Cascade. */
  deleteConstraint: 'SetNull' | 'Restrict' | 'Cascade' | null;
  masterDetail: boolean;
  cascadeDelete: boolean;
  restrictedDelete: boolean;
  polymorphic: boolean;
  picklistValues: PicklistEntry[];
  restrictedPicklist: boolean;
  /** Default value as a canonical value (Checkbox default, picklist default, literal). */
  defaultValue: unknown;
  /** Raw default formula from metadata when it is not a literal (not evaluated). */
  defaultValueFormula: string | null;
  calculated: boolean;
  calculatedFormula: string | null;
  /** Formula fields: blank numbers as zero (BlankAsZero, the default) or as blank. */
  formulaTreatBlanksAs?: 'BlankAsZero' | 'BlankAsBlank';
  autoNumber: boolean;
  displayFormat: string | null;
  startingNumber: number;
  rollup: RollupSummary | null;
  createable: boolean;
  updateable: boolean;
  filterable: boolean;
  sortable: boolean;
  groupable: boolean;
  custom: boolean;
  /** Standard audit / system field (Id, CreatedDate, …): always readable, never writable. */
  system: boolean;
  /** Computed by the platform (e.g. Lead.Name from FirstName + LastName). */
  compound: boolean;
  /** Only present when Person Accounts are enabled (Account.PersonEmail, …). */
  personAccount?: boolean;
  htmlFormatted: boolean;
  visibleLines?: number;
}

export interface ChildRelationship {
  childSObject: string;
  field: string;
  relationshipName: string | null;
  cascadeDelete: boolean;
  restrictedDelete: boolean;
}

export type SharingModel =
  | 'Private'
  | 'Read'
  | 'ReadWrite'
  | 'ControlledByParent'
  | 'FullAccess'
  | 'ReadWriteTransfer'
  | 'PublicReadOnly'
  | 'None';

export interface ValidationRuleDef {
  name: string;
  errorConditionFormula: string;
  errorMessage: string;
  /** Field the error is shown on (null: the top of the page). */
  errorDisplayField: string | null;
}

export interface ObjectDescribe {
  name: string;
  label: string;
  labelPlural: string;
  keyPrefix: string;
  custom: boolean;
  isCustomMetadata: boolean;
  isPlatformEvent: boolean;
  isCustomSetting: boolean;
  /** Platform events: PublishAfterCommit / PublishImmediately. */
  publishBehavior?: 'PublishAfterCommit' | 'PublishImmediately';
  createable: boolean;
  updateable: boolean;
  deletable: boolean;
  undeletable: boolean;
  queryable: boolean;
  triggerable: boolean;
  hasOwner: boolean;
  sharingModel: SharingModel;
  /** Name of the field with nameField=true (usually Name; Subject for Event/Task; CaseNumber…). */
  nameField: string | null;
  fields: Map<string, FieldDescribe>;
  /** Fields in declaration order. */
  fieldList: FieldDescribe[];
  childRelationships: ChildRelationship[];
  /** Names of the active validation rules declared in metadata. */
  validationRules: string[];
  /** The active validation rules, evaluated on insert/update after system validation. */
  validationRuleDefs: ValidationRuleDef[];
  /** Object-level features present in metadata that local-org does not model (reported, not silently ignored). */
  unsupported: string[];
}
