// What the server needs from local-org/data (see local-org/INTERFACES.md), as a structural
// type so the HTTP layer depends only on the documented surface.
import type { FieldDescribe, ObjectDescribe } from '../data/schema-types.ts';

export type { FieldDescribe, ObjectDescribe };

export interface DataCtx {
  userId: string;
  mode: 'user' | 'system';
  sharing?: 'with' | 'without' | 'inherited';
}

export interface DmlError {
  statusCode: string;
  message: string;
  fields: string[];
}

export interface DmlResult {
  id: string | null;
  success: boolean;
  created?: boolean;
  errors: DmlError[];
}

export type SRecord = Record<string, unknown> & { attributes?: { type: string; url?: string } };

export interface QueryResult {
  records: SRecord[];
  totalSize: number;
  done: boolean;
}

export interface DmlOptions {
  allOrNone?: boolean;
}

export interface DataOrg {
  schema: {
    findObject(name: string): ObjectDescribe | undefined;
    objectNames(): string[];
  };
  newId(objectName: string): string;
  permissions: {
    objectAccess(
      userId: string,
      objectName: string
    ): { read: boolean; create: boolean; edit: boolean; delete: boolean };
  };
  query(soql: string, binds: Record<string, unknown>, ctx: DataCtx): QueryResult;
  insert(objectName: string, records: SRecord[], ctx: DataCtx, opts?: DmlOptions): DmlResult[];
  update(objectName: string, records: SRecord[], ctx: DataCtx, opts?: DmlOptions): DmlResult[];
  upsert(
    objectName: string,
    records: SRecord[],
    externalIdField: string | null,
    ctx: DataCtx,
    opts?: DmlOptions
  ): DmlResult[];
  delete(objectName: string | null, ids: string[], ctx: DataCtx, opts?: DmlOptions): DmlResult[];
  setSavepoint(): unknown;
  rollback(savepoint: unknown): void;
}
