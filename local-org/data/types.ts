/** Public types of the data layer API. */
import type { Rec } from './store.js';

/** Execution context of a query or DML call. */
export interface Ctx {
  /** Running user (defaults to the org's admin user). */
  userId?: string;
  /**
   * 'user': enforce object CRUD, field-level security and sharing (WITH USER_MODE,
   * AccessLevel.USER_MODE). 'system' (default): no CRUD/FLS checks.
   */
  mode?: 'user' | 'system';
  /** Sharing of the calling Apex class: 'with' enforces record sharing even in system mode. */
  sharing?: 'with' | 'without' | 'inherited';
}

export interface DmlError {
  statusCode: string;
  message: string;
  fields: string[];
}

export interface DmlResult {
  /** Id of the record (null when an insert failed). */
  id: string | null;
  success: boolean;
  errors: DmlError[];
  /** Upsert only: true when the record was inserted. */
  created?: boolean;
}

export interface DmlOptions {
  /** Default true: any failure rolls back the whole call (the caller raises DmlException). */
  allOrNone?: boolean;
}

export type SObjectInput = Record<string, unknown>;

export interface TriggerEvent {
  object: string;
  operation: 'insert' | 'update' | 'delete' | 'undelete';
  when: 'before' | 'after';
  /** insert/update/undelete: the records being saved. Mutable in before triggers (changes are saved). */
  newRecords: Record<string, unknown>[] | null;
  /** update/delete: the records as they were before the DML (frozen). */
  oldRecords: Rec[] | null;
  /** Marks record `index` (in newRecords, or oldRecords for delete) as failed with a custom error. */
  addError(index: number, message: string, field?: string): void;
  /** Running user and context of the DML that fired the trigger. */
  ctx: Required<Pick<Ctx, 'userId'>> & Ctx;
  /** For platform event triggers: the delivered events. */
  isPlatformEvent?: boolean;
}

export type TriggerHook = (ev: TriggerEvent) => void;

export interface QueryResult {
  records: Record<string, unknown>[];
  totalSize: number;
  done: boolean;
}

export interface Savepoint {
  readonly id: number;
}
