/**
 * Org: one offline Salesforce org — schema, records, SOQL, DML, permissions, savepoints.
 */
import { basename } from 'node:path';
import { DmlOperationError, QueryError, UnsupportedError } from './errors.js';
import { makeId, to18 } from './ids.js';
import {
  loadPermissionSets,
  Permissions,
  PROFILE_NAMES,
  PROFILE_USER_PERMISSIONS,
  type PermissionSetMeta
} from './permissions.js';
import {
  arr,
  findFiles,
  packageDirectories,
  readXml,
  Schema,
  text,
  type XmlNode
} from './schema.js';
import { addField, makeField } from './fields.js';
import type { ObjectDescribe } from './schema-types.js';
import { PROFILE_PERMISSION_FIELDS } from './standard-objects.js';
import {
  Store,
  type PublishedEvent,
  type Rec,
  type StoreJSON,
  type StoreSnapshot
} from './store.js';
import {
  convertLead,
  type LeadConvertInput,
  type LeadConvertResult,
  runDelete,
  runInsert,
  runUndelete,
  runUpdate,
  runUpsert,
  coerceValue,
  type DmlInternalOptions
} from './dml.js';
import { runQuery } from './soql.js';
import type {
  Ctx,
  DmlOptions,
  DmlResult,
  QueryResult,
  Savepoint,
  SObjectInput,
  TriggerHook
} from './types.js';

export interface OrgOptions {
  /** Adds the Person Account fields (Account.IsPersonAccount, PersonEmail, …). */
  personAccounts?: boolean;
  /** IANA time zone of the org and of the seeded admin user (default America/Los_Angeles). */
  timeZone?: string;
  /** Organization.Name (default "Local Org"). */
  orgName?: string;
  /** Clock (default: the real time). The interpreter may replace org.clock at any time. */
  now?: () => Date;
}

interface SavepointImpl extends Savepoint {
  snap: StoreSnapshot;
}

export class Org {
  readonly schema: Schema;
  store: Store;
  readonly permissions: Permissions;
  /** Permission set metadata loaded from the project, by lower-case name. */
  readonly permissionSetMeta = new Map<string, PermissionSetMeta>();
  clock: () => Date;
  readonly options: Required<Pick<OrgOptions, 'personAccounts' | 'timeZone' | 'orgName'>>;
  triggerHook: TriggerHook | null = null;
  orgId = '';
  adminUserId = '';
  /** Person Accounts on: the seeded Person Account record type (RecordType.IsPersonType = true). */
  personAccountRecordTypeId: string | null = null;
  readonly profileIds: Record<string, string> = {};
  readonly projectDir: string | null;
  private savepointSeq = 0;
  /**
   * Rollbacks that invalidated later savepoints: [target id, last id issued at the time].
   * Apex Developer Guide › Transaction Control: after rolling back to SP1, a savepoint SP2
   * generated after SP1 is no longer valid.
   */
  private savepointRollbacks: [number, number][] = [];

  private constructor(projectDir: string | null, opts: OrgOptions) {
    this.projectDir = projectDir;
    this.options = {
      personAccounts: opts.personAccounts ?? false,
      timeZone: opts.timeZone ?? 'America/Los_Angeles',
      orgName: opts.orgName ?? 'Local Org'
    };
    this.clock = opts.now ?? (() => new Date());
    this.schema = new Schema(this.options.personAccounts);
    this.store = new Store();
    this.permissions = new Permissions({
      schema: this.schema,
      permissionSetMeta: this.permissionSetMeta,
      getRecord: (id) => this.getRecord(id),
      records: (o) => this.records(o, true)
    });
  }

  /** Loads the SFDX project at `projectDir` (schema, permission sets, custom metadata records) and seeds the org. */
  static async load(projectDir: string, opts: OrgOptions = {}): Promise<Org> {
    return Org.loadSync(projectDir, opts);
  }

  static loadSync(projectDir: string, opts: OrgOptions = {}): Org {
    const org = new Org(projectDir, opts);
    org.schema.loadProject(projectDir);
    for (const ps of loadPermissionSets(projectDir))
      org.permissionSetMeta.set(ps.name.toLowerCase(), ps);
    org.seed();
    org.loadCustomMetadata(projectDir);
    org.loadRecordTypes(projectDir);
    return org;
  }

  /** An org with only the built-in standard objects (no project). */
  static empty(opts: OrgOptions = {}): Org {
    const org = new Org(null, opts);
    org.schema.link();
    org.seed();
    return org;
  }

  // ---------------------------------------------------------------- ids and records

  /** A fresh 18-char id with the object's key prefix. */
  newId(objectName: string): string {
    const obj = this.schema.getObject(objectName);
    this.store.idCounter += 1;
    return makeId(obj.keyPrefix, this.store.idCounter);
  }

  /** The stored record with this id (15 or 18 chars), including deleted ones; undefined when unknown. */
  getRecord(id: string): Rec | undefined {
    const id18 = typeof id === 'string' ? to18(id) : null;
    if (!id18) return undefined;
    const obj = this.schema.objectForId(id18);
    return obj ? this.store.get(obj.name, id18) : undefined;
  }

  /** All records of an object (not deleted unless `includeDeleted`). */
  *records(objectName: string, includeDeleted = false): IterableIterator<Rec> {
    const obj = this.schema.findObject(objectName);
    if (!obj) return;
    for (const r of this.store.table(obj.name).values())
      if (includeDeleted || !r.IsDeleted) yield r;
  }

  /** Custom metadata records of a type (e.g. `Coconut_Settings__mdt`). */
  customMetadata(typeName: string): Rec[] {
    return [...this.records(typeName)];
  }

  /** Published platform events not yet delivered, in publish order. */
  get eventBus(): readonly PublishedEvent[] {
    return this.store.eventBus;
  }

  /**
   * Delivers the published events to their `after insert` triggers (Test.getEventBus().deliver(),
   * Test.stopTest()). Events published by those triggers are delivered in a further round.
   * Returns the number of events delivered.
   */
  deliverEvents(): number {
    let n = 0;
    for (let round = 0; round < 20; round++) {
      const pending = this.store.eventBus.filter((e) => !e.delivered);
      if (pending.length === 0) return n;
      for (const e of pending) e.delivered = true;
      const byObject = new Map<string, PublishedEvent[]>();
      for (const e of pending) byObject.set(e.object, [...(byObject.get(e.object) ?? []), e]);
      for (const [object, evs] of byObject) {
        n += evs.length;
        if (!this.triggerHook) continue;
        // Platform event triggers run as the Automated Process user; we use the admin user.
        for (let i = 0; i < evs.length; i += 2000) {
          const chunk = evs.slice(i, i + 2000);
          this.triggerHook({
            object,
            operation: 'insert',
            when: 'after',
            newRecords: chunk.map((e) => ({ attributes: { type: object }, ...e.record })),
            oldRecords: null,
            addError: () => {
              throw new DmlOperationError(
                'addError is not allowed on platform events',
                'System.FinalException'
              );
            },
            ctx: { userId: this.adminUserId, mode: 'system' },
            isPlatformEvent: true
          });
        }
      }
    }
    return n;
  }

  // ---------------------------------------------------------------- SOQL and DML

  query(soql: string, binds: Record<string, unknown> = {}, ctx: Ctx = {}): QueryResult {
    return runQuery(this, soql, binds, this.ctx(ctx));
  }

  insert(
    objectName: string,
    records: SObjectInput[],
    ctx: Ctx = {},
    opts: DmlOptions = {}
  ): DmlResult[] {
    return runInsert(this, this.dmlObject(objectName, 'Insert'), records, this.ctx(ctx), opts);
  }

  update(
    objectName: string,
    records: SObjectInput[],
    ctx: Ctx = {},
    opts: DmlOptions & DmlInternalOptions = {}
  ): DmlResult[] {
    return runUpdate(this, this.dmlObject(objectName, 'Update'), records, this.ctx(ctx), opts);
  }

  /** Upsert by `externalIdField` (default Id). Results carry `created`. */
  upsert(
    objectName: string,
    records: SObjectInput[],
    externalIdField: string | null = null,
    ctx: Ctx = {},
    opts: DmlOptions = {}
  ): DmlResult[] {
    return runUpsert(
      this,
      this.dmlObject(objectName, 'Upsert'),
      records,
      externalIdField,
      this.ctx(ctx),
      opts
    );
  }

  /**
   * Deletes by id: `delete(ids, ctx?, opts?)` or `delete(objectName, ids, ctx?, opts?)`
   * (objectName null → inferred from each id's key prefix).
   */
  delete(ids: string[], ctx?: Ctx, opts?: DmlOptions): DmlResult[];
  delete(objectName: string | null, ids: string[], ctx?: Ctx, opts?: DmlOptions): DmlResult[];
  delete(
    a: string | null | string[],
    b?: string[] | Ctx,
    c?: Ctx | DmlOptions,
    d?: DmlOptions
  ): DmlResult[] {
    const { objectName, ids, ctx, opts } = idArgs(a, b, c, d);
    return runDelete(
      this,
      objectName ? this.dmlObject(objectName, 'Delete') : null,
      ids,
      this.ctx(ctx),
      opts
    );
  }

  /** Undeletes from the recycle bin; same argument forms as delete(). */
  undelete(ids: string[], ctx?: Ctx, opts?: DmlOptions): DmlResult[];
  undelete(objectName: string | null, ids: string[], ctx?: Ctx, opts?: DmlOptions): DmlResult[];
  undelete(
    a: string | null | string[],
    b?: string[] | Ctx,
    c?: Ctx | DmlOptions,
    d?: DmlOptions
  ): DmlResult[] {
    const { objectName, ids, ctx, opts } = idArgs(a, b, c, d);
    return runUndelete(
      this,
      objectName ? this.dmlObject(objectName, 'Undelete') : null,
      ids,
      this.ctx(ctx),
      opts
    );
  }

  /** Database.convertLead (simplified; see dml.ts convertLead). One result per input, in order. */
  convertLead(inputs: LeadConvertInput[], ctx: Ctx = {}): LeadConvertResult[] {
    return inputs.map((i) => convertLead(this, i, this.ctx(ctx)));
  }

  setTriggerHook(hook: TriggerHook | null): void {
    this.triggerHook = hook;
  }

  private dmlObject(name: string, op: string): ObjectDescribe {
    const obj = this.schema.findObject(name);
    if (!obj)
      throw new DmlOperationError(`Invalid type: ${name}`, 'System.TypeException', 'INVALID_TYPE');
    if (obj.isCustomMetadata)
      throw new DmlOperationError(
        `DML operation ${op} not allowed on ${obj.name}`,
        'System.TypeException'
      );
    return obj;
  }

  ctx(c: Ctx): Required<Pick<Ctx, 'userId' | 'mode'>> & Ctx {
    return {
      ...c,
      userId: (c.userId && to18(c.userId)) || this.adminUserId,
      mode: c.mode ?? 'system'
    };
  }

  /** The time zone of a user (TimeZoneSidKey), falling back to the org's. */
  userTimeZone(userId: string): string {
    const u = this.getRecord(userId);
    return (u?.TimeZoneSidKey as string | undefined) ?? this.options.timeZone;
  }

  // ---------------------------------------------------------------- savepoints and snapshots

  setSavepoint(): Savepoint {
    const sp: SavepointImpl = { id: ++this.savepointSeq, snap: this.store.snapshot() };
    return sp;
  }

  /** False for a savepoint generated after one that has since been rolled back to. */
  isSavepointValid(sp: Savepoint): boolean {
    const id = (sp as SavepointImpl).id;
    return !this.savepointRollbacks.some(([target, last]) => target < id && id <= last);
  }

  rollback(sp: Savepoint): void {
    const s = sp as SavepointImpl;
    if (!s.snap) throw new QueryError('Invalid savepoint');
    if (!this.isSavepointValid(s))
      throw new UnsupportedError(
        'Database.rollback to a savepoint invalidated by rolling back to an earlier savepoint'
      );
    if (s.id < this.savepointSeq) this.savepointRollbacks.push([s.id, this.savepointSeq]);
    // Events of PublishImmediately platform events are not rolled back (PublishAfterCommit ones are).
    const lastReplay = Math.max(0, ...s.snap.eventBus.map((e) => e.replayId));
    const immediate = this.store.eventBus.filter(
      (e) =>
        e.replayId > lastReplay &&
        this.schema.findObject(e.object)?.publishBehavior === 'PublishImmediately'
    );
    this.store.restore(s.snap);
    this.store.eventBus.push(...immediate);
    this.permissions.invalidate();
  }

  snapshot(): StoreSnapshot {
    return this.store.snapshot();
  }

  restore(s: StoreSnapshot): void {
    this.store.restore(s);
    this.permissions.invalidate();
  }

  /** Serializable state (records, sequences, event bus). Schema is re-read from the project on load. */
  toJSON(): {
    store: StoreJSON;
    orgId: string;
    adminUserId: string;
    profileIds: Record<string, string>;
  } {
    return {
      store: this.store.toJSON(),
      orgId: this.orgId,
      adminUserId: this.adminUserId,
      profileIds: { ...this.profileIds }
    };
  }

  /** Replaces this org's records with a state produced by toJSON() (same project schema). */
  loadJSON(json: ReturnType<Org['toJSON']>): void {
    this.store = Store.fromJSON(json.store);
    this.orgId = json.orgId;
    this.adminUserId = json.adminUserId;
    Object.assign(this.profileIds, json.profileIds);
    this.permissions.invalidate();
  }

  // ---------------------------------------------------------------- seed

  /** Writes a record directly (no triggers, no validation) — seeding and test fixtures only. */
  seedRecord(objectName: string, fields: Record<string, unknown>): Rec {
    const obj = this.schema.getObject(objectName);
    const now = this.clock().toISOString();
    const rec: Record<string, unknown> = {};
    for (const f of obj.fieldList) rec[f.name] = f.type === 'boolean' ? false : null;
    for (const [k, v] of Object.entries(fields)) {
      const f = obj.fields.get(k.toLowerCase());
      if (!f) throw new QueryError(`No such column '${k}' on sobject of type ${obj.name}`);
      rec[f.name] = coerceValue(f, v).value;
    }
    rec.Id = rec.Id ?? this.newId(obj.name);
    rec.IsDeleted = false;
    for (const k of ['CreatedDate', 'LastModifiedDate', 'SystemModstamp'])
      if (k in rec && rec[k] == null) rec[k] = now;
    for (const k of ['CreatedById', 'LastModifiedById'])
      if (k in rec && rec[k] == null) rec[k] = this.adminUserId || null;
    if (obj.hasOwner && rec.OwnerId == null) rec.OwnerId = this.adminUserId || null;
    if (obj.fields.get('name')?.compound)
      rec.Name = [rec.FirstName, rec.LastName].filter((x) => x).join(' ');
    this.store.put(obj.name, rec);
    this.permissions.invalidate();
    return this.store.get(obj.name, rec.Id as string)!;
  }

  private seed(): void {
    this.orgId = makeId('00D', 1);
    const tz = this.options.timeZone;
    const adminId = makeId('005', 1);
    this.adminUserId = adminId;
    this.seedRecord('Organization', {
      Id: this.orgId,
      Name: this.options.orgName,
      OrganizationType: 'Developer Edition',
      IsSandbox: false,
      InstanceName: 'LO1',
      TimeZoneSidKey: tz,
      DefaultLocaleSidKey: 'en_US',
      LanguageLocaleKey: 'en_US',
      Country: 'US'
    });
    let n = 0;
    for (const name of [PROFILE_NAMES.admin, PROFILE_NAMES.standard, PROFILE_NAMES.minimum]) {
      const perms: Record<string, boolean> = {};
      const granted = new Set(PROFILE_USER_PERMISSIONS[name] ?? []);
      for (const p of PROFILE_PERMISSION_FIELDS)
        perms[p] = granted.has(p.slice('Permissions'.length));
      const id = makeId('00e', ++n);
      this.profileIds[name] = id;
      this.seedRecord('Profile', { Id: id, Name: name, UserType: 'Standard', ...perms });
    }
    this.seedRecord('User', {
      Id: adminId,
      Username: 'admin@local-org.invalid',
      FirstName: 'Admin',
      LastName: 'User',
      Email: 'admin@local-org.invalid',
      Alias: 'admin',
      CommunityNickname: 'admin',
      ProfileId: this.profileIds[PROFILE_NAMES.admin],
      IsActive: true,
      TimeZoneSidKey: tz,
      LocaleSidKey: 'en_US',
      LanguageLocaleKey: 'en_US',
      EmailEncodingKey: 'UTF-8',
      UserType: 'Standard'
    });
    if (this.options.personAccounts) {
      // Enabling Person Accounts needs an Account record type; the org then has both kinds.
      this.seedRecord('RecordType', {
        Name: 'Business Account',
        DeveloperName: 'Business_Account',
        SobjectType: 'Account',
        IsActive: true,
        IsPersonType: false
      });
      const rt = this.seedRecord('RecordType', {
        Name: 'Person Account',
        DeveloperName: 'PersonAccount',
        SobjectType: 'Account',
        IsActive: true,
        IsPersonType: true
      });
      this.personAccountRecordTypeId = rt.Id as string;
    }
    // Lead statuses of a new org (Setup → Lead Status); "Closed - Converted" is the converted one.
    [
      'Open - Not Contacted',
      'Working - Contacted',
      'Closed - Converted',
      'Closed - Not Converted'
    ].forEach((label, i) =>
      this.seedRecord('LeadStatus', {
        MasterLabel: label,
        ApiName: label,
        IsConverted: label === 'Closed - Converted',
        IsDefault: i === 0,
        SortOrder: i + 1
      })
    );
    this.seedRecord('Group', {
      Name: 'All Internal Users',
      DeveloperName: 'AllInternalUsers',
      Type: 'Organization'
    });
    // Permission sets from the project become PermissionSet records (assignable with PermissionSetAssignment).
    for (const ps of this.permissionSetMeta.values()) {
      const perms: Record<string, boolean> = {};
      for (const p of PROFILE_PERMISSION_FIELDS)
        perms[p] = ps.userPermissions.has(p.slice('Permissions'.length));
      this.seedRecord('PermissionSet', {
        Name: ps.name,
        Label: ps.label,
        Description: ps.description.slice(0, 255) || null,
        IsOwnedByProfile: false,
        ...perms
      });
    }
  }

  /** objects/<Object>/recordTypes/*.recordType-meta.xml → RecordType records (+ RecordTypeId on the object). */
  private loadRecordTypes(projectDir: string): void {
    for (const dir of packageDirectories(projectDir)) {
      for (const file of findFiles(dir, '.recordType-meta.xml')) {
        const parts = file.split(/[\\/]/);
        const ri = parts.lastIndexOf('recordTypes');
        const obj = ri > 0 ? this.schema.findObject(parts[ri - 1]!) : undefined;
        if (!obj) {
          this.schema.warnings.push(`record type ${file}: object not defined (skipped)`);
          continue;
        }
        const node = (readXml(file).RecordType ?? {}) as XmlNode;
        const devName =
          text(node.fullName) ?? basename(file).replace(/\.recordType-meta\.xml$/, '');
        const exists = [...this.records('RecordType')].some(
          (r) =>
            r.SobjectType === obj.name &&
            String(r.DeveloperName).toLowerCase() === devName.toLowerCase()
        );
        if (exists) continue;
        if (!obj.fields.has('recordtypeid')) {
          addField(
            obj,
            makeField('RecordTypeId', 'reference', {
              label: 'Record Type ID',
              referenceTo: ['RecordType'],
              relationshipName: 'RecordType'
            })
          );
          this.schema.link();
        }
        this.seedRecord('RecordType', {
          Name: text(node.label) ?? devName,
          DeveloperName: devName,
          SobjectType: obj.name,
          IsActive: text(node.active) !== 'false',
          Description: text(node.description)?.slice(0, 255) ?? null
        });
      }
    }
  }

  private loadCustomMetadata(projectDir: string): void {
    for (const dir of packageDirectories(projectDir)) {
      for (const file of findFiles(dir, '.md-meta.xml')) {
        const base = basename(file).replace(/\.md-meta\.xml$/, '');
        const dot = base.indexOf('.');
        const typeName = `${base.slice(0, dot)}__mdt`;
        const devName = base.slice(dot + 1);
        const obj = this.schema.findObject(typeName);
        if (!obj) {
          this.schema.warnings.push(
            `custom metadata record ${file}: type ${typeName} is not defined (skipped)`
          );
          continue;
        }
        const node = (readXml(file).CustomMetadata ?? {}) as XmlNode;
        const fields: Record<string, unknown> = {
          DeveloperName: devName,
          MasterLabel: text(node.label) ?? devName,
          Label: text(node.label) ?? devName,
          QualifiedApiName: devName,
          Language: 'en_US'
        };
        for (const v of arr<XmlNode>(node.values)) {
          const fieldName = text(v.field) ?? '';
          const f = obj.fields.get(fieldName.toLowerCase());
          if (!f) {
            this.schema.warnings.push(`${file}: field ${fieldName} not on ${obj.name} (skipped)`);
            continue;
          }
          const valueNode = arr<unknown>(v.value)[0];
          const nil =
            typeof valueNode === 'object' &&
            valueNode !== null &&
            (valueNode as XmlNode)['@_xsi:nil'] === 'true';
          const raw = nil ? null : (text(valueNode) ?? null);
          fields[f.name] = raw === null ? null : parseMetadataValue(f.type, raw);
        }
        this.seedRecord(obj.name, fields);
      }
    }
  }
}

function idArgs(
  a: string | null | string[],
  b?: string[] | Ctx,
  c?: Ctx | DmlOptions,
  d?: DmlOptions
): { objectName: string | null; ids: string[]; ctx: Ctx; opts: DmlOptions } {
  if (Array.isArray(a))
    return { objectName: null, ids: a, ctx: (b as Ctx) ?? {}, opts: (c as DmlOptions) ?? {} };
  return { objectName: a, ids: (b as string[]) ?? [], ctx: (c as Ctx) ?? {}, opts: d ?? {} };
}

function parseMetadataValue(type: string, raw: string): unknown {
  switch (type) {
    case 'boolean':
      return raw === 'true';
    case 'double':
    case 'currency':
    case 'percent':
    case 'integer':
    case 'long':
      return Number(raw);
    case 'datetime':
      return new Date(raw).toISOString();
    default:
      return raw;
  }
}
