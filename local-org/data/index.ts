/**
 * local-org data layer: schema, record store, SOQL, DML with triggers and validation,
 * permissions and sharing, savepoints. See ../INTERFACES.md.
 */
export { Org, type OrgOptions } from './org.js';
export { Schema, packageDirectories } from './schema.js';
export type {
  FieldDescribe,
  FieldType,
  ObjectDescribe,
  ChildRelationship,
  PicklistEntry,
  RollupSummary,
  SharingModel
} from './schema-types.js';
export type {
  Ctx,
  DmlError,
  DmlOptions,
  DmlResult,
  QueryResult,
  Savepoint,
  SObjectInput,
  TriggerEvent,
  TriggerHook
} from './types.js';
export { QueryError, UnsupportedError, DmlOperationError, SchemaError } from './errors.js';
export { to18, idSuffix, isValidId, idEquals, makeId } from './ids.js';
export {
  Permissions,
  PROFILE_NAMES,
  type ObjectPerms,
  type FieldPerms,
  type PermissionSetMeta
} from './permissions.js';
export type { Rec, StoreSnapshot, PublishedEvent, StoreJSON } from './store.js';
export { dateLiteralRange } from './dates.js';
export { soqlParseCacheStats } from './soql.js';
export type { LeadConvertInput, LeadConvertResult } from './dml.js';
