/** Errors thrown by the data layer. The Apex interpreter maps them to Apex exceptions. */

/** A feature local-org does not implement. Always loud, never a silent difference. */
export class UnsupportedError extends Error {
  constructor(what: string, where?: string) {
    super(`unsupported in local-org: ${what}${where ? ` (${where})` : ''}`);
    this.name = 'UnsupportedError';
  }
}

/** A SOQL error; `message` is Salesforce's text. The interpreter raises System.QueryException. */
export class QueryError extends Error {
  /** For WITH USER_MODE: the inaccessible fields per object (QueryException.getInaccessibleFields()). */
  inaccessibleFields?: Record<string, string[]>;
  constructor(message: string, inaccessibleFields?: Record<string, string[]>) {
    super(message);
    this.name = 'QueryError';
    if (inaccessibleFields) this.inaccessibleFields = inaccessibleFields;
  }
}

/**
 * A DML call that Salesforce rejects as a whole before looking at records (e.g. DML on
 * a custom metadata type, an upsert on a field that is not an external id). The
 * interpreter raises the exception named by `apexType` (System.TypeException, DmlException…).
 */
export class DmlOperationError extends Error {
  constructor(
    message: string,
    public readonly apexType: string = 'System.DmlException',
    public readonly statusCode?: string
  ) {
    super(message);
    this.name = 'DmlOperationError';
  }
}

/** Metadata that cannot be loaded (malformed XML, unknown field type…). */
export class SchemaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SchemaError';
  }
}
