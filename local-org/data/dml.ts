/**
 * DML: insert / update / upsert / delete / undelete with Salesforce's order of execution
 * (per chunk of 200 records):
 *   1. load/normalise the records, apply default values (insert), check access (user mode)
 *   2. before triggers (records mutable; addError)
 *   3. system validation (required, length, picklist, email, numbers, lookups, unique)
 *   4. save (ids, audit fields, auto numbers, compound names)
 *   5. after triggers
 *   6. roll-up summaries: the parent records are recalculated and go through their own save
 *      (update triggers fire on the parent)
 * allOrNone=false: records that fail are removed and the whole call is retried on the
 * remaining records (the platform's "up to three attempts"; triggers fire again), so the
 * saved state never contains the partial effects of a failed record.
 */
import { DmlOperationError, UnsupportedError } from './errors.js';
import { evaluate, parseFormula } from './formula.js';
import { recordFormulaContext } from './formula-context.js';
import { to18 } from './ids.js';
import type { Org } from './org.js';
import type { FieldDescribe, ObjectDescribe } from './schema-types.js';
import type { Rec } from './store.js';
import type { Ctx, DmlError, DmlOptions, DmlResult, SObjectInput } from './types.js';
import {
  coerceValue,
  compareValues,
  dateInZone,
  formatAutoNumber,
  isValidEmail,
  NUMBER_TYPES,
  roundToScale,
  STRING_TYPES
} from './values.js';

export { coerceValue };

export interface DmlInternalOptions {
  /** Internal: allow writing roll-up summary fields (parent recalculation). */
  rollupRecalc?: boolean;
  /** Internal: Database.convertLead writes the Converted* fields. */
  leadConversion?: boolean;
}

type FullCtx = Required<Pick<Ctx, 'userId' | 'mode'>> & Ctx;

const CHUNK = 200;

interface Item {
  index: number;
  rec: Record<string, unknown>;
  old: Rec | null;
  /** Fields explicitly given by the caller (canonical names). */
  given: Set<string>;
  errors: DmlError[];
  id: string | null;
  created?: boolean;
}

interface AttemptOut {
  id: string | null;
  errors: DmlError[];
  created?: boolean;
}

const err = (statusCode: string, message: string, fields: string[] = []): DmlError => ({
  statusCode,
  message,
  fields
});

// ------------------------------------------------------------------ retries / allOrNone

function runWithRetries(
  org: Org,
  n: number,
  allOrNone: boolean,
  attempt: (active: number[]) => Map<number, AttemptOut>
): DmlResult[] {
  const results: DmlResult[] = Array.from({ length: n }, () => ({
    id: null,
    success: false,
    errors: []
  }));
  let active = [...Array(n).keys()];
  while (active.length > 0) {
    const sp = org.store.snapshot();
    let out: Map<number, AttemptOut>;
    try {
      out = attempt(active);
    } catch (e) {
      org.store.restore(sp);
      org.permissions.invalidate();
      throw e;
    }
    const failed = active.filter((i) => (out.get(i)?.errors.length ?? 0) > 0);
    if (failed.length === 0) {
      for (const i of active) {
        const o = out.get(i)!;
        results[i] = {
          id: o.id,
          success: true,
          errors: [],
          ...(o.created !== undefined ? { created: o.created } : {})
        };
      }
      org.permissions.invalidate();
      return results;
    }
    org.store.restore(sp);
    org.permissions.invalidate();
    for (const i of failed) {
      const o = out.get(i)!;
      results[i] = { id: o.created ? null : o.id, success: false, errors: o.errors };
    }
    if (allOrNone) {
      for (const i of active)
        if (!failed.includes(i)) results[i] = { id: null, success: false, errors: [] };
      return results;
    }
    active = active.filter((i) => !failed.includes(i));
  }
  return results;
}

// ------------------------------------------------------------------ helpers

function blankRecord(obj: ObjectDescribe): Record<string, unknown> {
  const r: Record<string, unknown> = {};
  for (const f of obj.fieldList) r[f.name] = f.type === 'boolean' ? false : null;
  return r;
}

/** Maps caller keys to canonical field names; unknown fields become errors. */
function normalizeInput(
  obj: ObjectDescribe,
  input: SObjectInput,
  item: Item
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) {
    if (k === 'attributes') continue;
    const f = obj.fields.get(k.toLowerCase());
    if (!f) {
      if (v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date))
        continue; // nested relationship objects are ignored by DML
      item.errors.push(
        err('INVALID_FIELD', `No such column '${k}' on sobject of type ${obj.name}`, [k])
      );
      continue;
    }
    const c = coerceValue(f, v);
    if (c.error) item.errors.push(err(c.error.statusCode, c.error.message, [f.name]));
    out[f.name] = c.value;
    item.given.add(f.name);
  }
  return out;
}

/** Re-normalises a record after a before trigger changed it. */
function renormalize(obj: ObjectDescribe, rec: Record<string, unknown>, item: Item): void {
  for (const k of Object.keys(rec)) {
    if (k === 'attributes') {
      delete rec[k];
      continue;
    }
    const f = obj.fields.get(k.toLowerCase());
    if (!f) {
      delete rec[k];
      continue;
    }
    const c = coerceValue(f, rec[k]);
    if (c.error) item.errors.push(err(c.error.statusCode, c.error.message, [f.name]));
    if (f.name !== k) delete rec[k];
    rec[f.name] = c.value;
  }
}

function hook(
  org: Org,
  obj: ObjectDescribe,
  operation: 'insert' | 'update' | 'delete' | 'undelete',
  when: 'before' | 'after',
  items: Item[],
  ctx: FullCtx
): void {
  if (!org.triggerHook || !obj.triggerable || items.length === 0) return;
  const newRecords =
    operation === 'delete'
      ? null
      : items.map((it) =>
          when === 'before' ? it.rec : ({ ...it.rec } as Record<string, unknown>)
        );
  const oldRecords =
    operation === 'update' || operation === 'delete' ? items.map((it) => it.old!) : null;
  org.triggerHook({
    object: obj.name,
    operation,
    when,
    newRecords,
    oldRecords,
    addError: (index, message, field) => {
      const it = items[index];
      if (!it) throw new RangeError(`addError: no record at index ${index}`);
      it.errors.push(err('FIELD_CUSTOM_VALIDATION_EXCEPTION', message, field ? [field] : []));
    },
    ctx,
    ...(obj.isPlatformEvent ? { isPlatformEvent: true } : {})
  });
  if (when === 'before' && newRecords) {
    items.forEach((it, i) => {
      if (newRecords[i] !== it.rec) throw new Error('trigger hook must mutate newRecords in place');
    });
  }
}

function userMode(ctx: FullCtx): boolean {
  return ctx.mode === 'user';
}

function sharingEnforced(ctx: FullCtx): boolean {
  return ctx.mode === 'user' || ctx.sharing === 'with';
}

const ACCESS_DENIED = () =>
  err('INSUFFICIENT_ACCESS_OR_READONLY', 'insufficient access rights on object id');

function checkFls(
  org: Org,
  obj: ObjectDescribe,
  item: Item,
  ctx: FullCtx,
  changed: string[]
): void {
  if (!userMode(ctx)) return;
  const denied = changed.filter(
    (name) => !org.permissions.fieldAccess(ctx.userId, obj.name, name).editable
  );
  if (denied.length)
    item.errors.push(
      err(
        'INVALID_FIELD_FOR_INSERT_UPDATE',
        `Unable to create/update fields: ${denied.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
        denied
      )
    );
}

/**
 * Under sharing, a record may only point at records the user can see, and a detail record needs
 * edit access on its master (INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY).
 */
function checkCrossReferences(org: Org, obj: ObjectDescribe, item: Item, ctx: FullCtx): void {
  if (!sharingEnforced(ctx)) return;
  for (const f of obj.fieldList) {
    if (f.type !== 'reference' || f.system || f.name === 'OwnerId' || f.name === 'RecordTypeId')
      continue;
    const v = item.rec[f.name];
    if (typeof v !== 'string' || (item.old && item.old[f.name] === v)) continue;
    const target = org.getRecord(v);
    const tObj = target ? org.schema.objectForId(v) : undefined;
    if (!target || !tObj || target.IsDeleted) continue; // reported by validation
    const access = org.permissions.recordAccess(ctx.userId, tObj, target);
    if (access === 'none' || (f.masterDetail && access !== 'edit')) {
      item.errors.push(
        err(
          'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY',
          `insufficient access rights on cross-reference id: ${v}`,
          [f.name]
        )
      );
      return;
    }
  }
}

// ------------------------------------------------------------------ compound names, events, person accounts

/**
 * A person account is an Account whose RecordTypeId is a person record type (RecordType.IsPersonType).
 * Lenient fallback (documented): no RecordTypeId, a LastName and no Name → the person record type.
 */
function markPersonAccount(org: Org, rec: Record<string, unknown>): void {
  const rt = rec.RecordTypeId ? org.getRecord(rec.RecordTypeId as string) : undefined;
  if (rt?.IsPersonType === true) rec.IsPersonAccount = true;
  else if (!rec.RecordTypeId && rec.LastName != null && (rec.Name == null || rec.Name === '')) {
    rec.IsPersonAccount = true;
    rec.RecordTypeId = org.personAccountRecordTypeId;
  }
}

function isPersonAccountRec(org: Org, obj: ObjectDescribe, rec: Record<string, unknown>): boolean {
  return org.options.personAccounts && obj.name === 'Account' && rec.IsPersonAccount === true;
}

function computeDerived(
  org: Org,
  obj: ObjectDescribe,
  rec: Record<string, unknown>,
  ctx: FullCtx
): void {
  const nameF = obj.fields.get('name');
  if (nameF?.compound)
    rec.Name = [rec.FirstName, rec.LastName].filter((x) => x != null && x !== '').join(' ') || null;
  if (isPersonAccountRec(org, obj, rec))
    rec.Name = [rec.FirstName, rec.LastName].filter((x) => x != null && x !== '').join(' ') || null;
  if (obj.name === 'Event') {
    if (rec.StartDateTime == null && rec.ActivityDateTime != null)
      rec.StartDateTime = rec.ActivityDateTime;
    if (rec.StartDateTime != null) rec.ActivityDateTime = rec.StartDateTime;
    if (rec.StartDateTime != null) {
      const start = Date.parse(rec.StartDateTime as string);
      if (rec.EndDateTime == null && rec.DurationInMinutes != null)
        rec.EndDateTime = new Date(start + (rec.DurationInMinutes as number) * 60000).toISOString();
      else if (rec.EndDateTime != null)
        rec.DurationInMinutes = Math.round((Date.parse(rec.EndDateTime as string) - start) / 60000);
      const zone = org.userTimeZone((rec.OwnerId as string) ?? ctx.userId);
      rec.ActivityDate = dateInZone(rec.StartDateTime as string, zone);
      if (rec.EndDateTime != null) rec.EndDate = dateInZone(rec.EndDateTime as string, zone);
    }
  }
  if (obj.name === 'Task') {
    rec.IsClosed = rec.Status === 'Completed' || rec.Status === 'Deferred';
    rec.IsHighPriority = rec.Priority === 'High';
  }
  if (obj.name === 'Opportunity') {
    rec.IsClosed = rec.StageName === 'Closed Won' || rec.StageName === 'Closed Lost';
    rec.IsWon = rec.StageName === 'Closed Won';
  }
  if (obj.name === 'Lead' && rec.IsConverted === true && rec.ConvertedDate == null)
    rec.ConvertedDate = dateInZone(org.clock().toISOString(), org.userTimeZone(ctx.userId));
  if ((obj.name === 'Event' || obj.name === 'Task') && rec.WhatId != null) {
    const what = org.getRecord(rec.WhatId as string);
    const whatObj = org.schema.objectForId(rec.WhatId as string);
    rec.AccountId =
      whatObj?.name === 'Account' ? rec.WhatId : ((what?.AccountId as string | undefined) ?? null);
  } else if (obj.name === 'Event' || obj.name === 'Task') {
    const who = rec.WhoId ? org.getRecord(rec.WhoId as string) : undefined;
    rec.AccountId = (who?.AccountId as string | undefined) ?? null;
  }
}

const PERSON_FIELD_MAP: [string, string][] = [
  ['FirstName', 'FirstName'],
  ['LastName', 'LastName'],
  ['Salutation', 'Salutation'],
  ['MiddleName', 'MiddleName'],
  ['PersonEmail', 'Email'],
  ['PersonMobilePhone', 'MobilePhone'],
  ['PersonHomePhone', 'HomePhone'],
  ['PersonOtherPhone', 'OtherPhone'],
  ['PersonBirthdate', 'Birthdate'],
  ['PersonTitle', 'Title'],
  ['PersonLeadSource', 'LeadSource'],
  ['PersonHasOptedOutOfEmail', 'HasOptedOutOfEmail'],
  ['Phone', 'Phone'],
  ['PersonMailingStreet', 'MailingStreet'],
  ['PersonMailingCity', 'MailingCity'],
  ['PersonMailingState', 'MailingState'],
  ['PersonMailingPostalCode', 'MailingPostalCode'],
  ['PersonMailingCountry', 'MailingCountry'],
  ['PersonOtherStreet', 'OtherStreet'],
  ['PersonOtherCity', 'OtherCity'],
  ['PersonOtherState', 'OtherState'],
  ['PersonOtherPostalCode', 'OtherPostalCode'],
  ['PersonOtherCountry', 'OtherCountry']
];

/** Keeps the hidden person contact of a person account in step (no Contact triggers run). */
function syncPersonContact(
  org: Org,
  acc: Record<string, unknown>,
  now: string,
  userId: string
): void {
  const contact =
    (acc.PersonContactId ? { ...org.store.get('Contact', acc.PersonContactId as string) } : null) ??
    {};
  const cObj = org.schema.getObject('Contact');
  const c: Record<string, unknown> = Object.keys(contact).length ? contact : blankRecord(cObj);
  if (!c.Id) {
    c.Id = org.newId('Contact');
    c.CreatedDate = now;
    c.CreatedById = userId;
    c.IsDeleted = false;
  }
  for (const [a, k] of PERSON_FIELD_MAP)
    if (cObj.fields.has(k.toLowerCase()))
      c[k] = acc[a] ?? (cObj.fields.get(k.toLowerCase())!.type === 'boolean' ? false : null);
  c.Name = [c.FirstName, c.LastName].filter((x) => x).join(' ');
  c.AccountId = acc.Id;
  c.OwnerId = acc.OwnerId;
  c.IsPersonAccount = true;
  c.LastModifiedDate = now;
  c.LastModifiedById = userId;
  c.SystemModstamp = now;
  c.IsDeleted = acc.IsDeleted;
  org.store.put('Contact', c);
  acc.PersonContactId = c.Id;
}

// ------------------------------------------------------------------ validation

interface UniqueIndex {
  field: FieldDescribe;
  values: Map<string, string>;
}

function uniqueKey(f: FieldDescribe, v: unknown): string {
  const s = String(v);
  return f.caseSensitive ? s : s.toLowerCase();
}

function buildUniqueIndexes(org: Org, obj: ObjectDescribe): UniqueIndex[] {
  const fields = obj.fieldList.filter((f) => f.unique);
  if (!fields.length) return [];
  const idx = fields.map((field) => ({ field, values: new Map<string, string>() }));
  for (const r of org.store.table(obj.name).values()) {
    if (r.IsDeleted) continue;
    for (const u of idx) {
      const v = r[u.field.name];
      if (v != null && v !== '') u.values.set(uniqueKey(u.field, v), r.Id as string);
    }
  }
  return idx;
}

/**
 * System validation. `pre` = the checks the platform runs before the before triggers for Apex /
 * API requests (foreign keys, field formats, maximum lengths, restricted picklists); the full
 * run after the before triggers adds required fields (and custom validation rules).
 */
function validate(
  org: Org,
  obj: ObjectDescribe,
  item: Item,
  isInsert: boolean,
  opts: DmlInternalOptions,
  pre = false,
  userId?: string
): void {
  const rec = item.rec;
  const missing: string[] = [];
  const person = isPersonAccountRec(org, obj, rec);
  for (const f of obj.fieldList) {
    const v = rec[f.name];
    // Required fields.
    if (
      !f.nillable &&
      !f.system &&
      f.type !== 'boolean' &&
      !f.autoNumber &&
      !f.compound &&
      !f.calculated &&
      f.name !== 'OwnerId' &&
      (f.createable || f.masterDetail)
    ) {
      const skip = (person && f.name === 'Name') || (obj.name === 'Event' && f.name === 'Subject');
      if (!skip && (v == null || v === '')) missing.push(f.name);
    }
    if (person && f.name === 'LastName' && (v == null || v === '')) missing.push('LastName');
    // Non-writable fields the caller set.
    if (
      (f.calculated ||
        f.autoNumber ||
        f.compound ||
        (!f.createable && !f.updateable && !f.system)) &&
      item.given.has(f.name) &&
      !opts.rollupRecalc &&
      !opts.leadConversion
    ) {
      const changed = isInsert ? v != null && v !== false : !sameValue(f, v, item.old?.[f.name]);
      if (changed && !(f.personAccount && obj.name === 'Account'))
        item.errors.push(
          err(
            'INVALID_FIELD_FOR_INSERT_UPDATE',
            `Unable to create/update fields: ${f.name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
            [f.name]
          )
        );
      continue;
    }
    if (
      !isInsert &&
      !f.updateable &&
      !f.system &&
      item.given.has(f.name) &&
      !sameValue(f, v, item.old?.[f.name]) &&
      !f.calculated &&
      !opts.rollupRecalc &&
      !opts.leadConversion
    ) {
      item.errors.push(
        err(
          'INVALID_FIELD_FOR_INSERT_UPDATE',
          `Unable to create/update fields: ${f.name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
          [f.name]
        )
      );
      continue;
    }
    if (v == null || v === '') continue;
    if (STRING_TYPES.has(f.type) && typeof v === 'string') {
      if (f.length && v.length > f.length)
        item.errors.push(
          err(
            'STRING_TOO_LONG',
            `${f.label}: data value too large: ${v} (max length=${f.length})`,
            [f.name]
          )
        );
      if (f.type === 'email' && !isValidEmail(v))
        item.errors.push(
          err('INVALID_EMAIL_ADDRESS', `${f.label}: invalid email address: ${v}`, [f.name])
        );
      if (
        f.type === 'picklist' &&
        f.restrictedPicklist &&
        !f.picklistValues.some((p) => p.value === v)
      )
        item.errors.push(
          err(
            'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
            `${f.label}: bad value for restricted picklist field: ${v}`,
            [f.name]
          )
        );
      if (f.type === 'multipicklist' && f.restrictedPicklist) {
        for (const part of v.split(';')) {
          if (!f.picklistValues.some((p) => p.value === part))
            item.errors.push(
              err(
                'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
                `${f.label}: bad value for restricted picklist field: ${part}`,
                [f.name]
              )
            );
        }
      }
    }
    if (NUMBER_TYPES.has(f.type) && typeof v === 'number') {
      const intDigits = f.type === 'integer' ? f.precision || 9 : (f.precision || 18) - f.scale;
      const rounded = f.type === 'integer' ? Math.round(v) : roundToScale(v, f.scale);
      if (Math.abs(Math.trunc(rounded)) >= 10 ** intDigits)
        item.errors.push(
          err(
            'NUMBER_OUTSIDE_VALID_RANGE',
            `${f.label}: value outside of valid range on numeric field: ${v}`,
            [f.name]
          )
        );
      else rec[f.name] = rounded;
    }
    if (f.type === 'reference' && typeof v === 'string') {
      const target = org.schema.objectForId(v);
      if (!target || !f.referenceTo.some((t) => t.toLowerCase() === target.name.toLowerCase())) {
        item.errors.push(
          err('FIELD_INTEGRITY_EXCEPTION', `${f.label}: id value of incorrect type: ${v}`, [f.name])
        );
      } else {
        const parent = org.store.get(target.name, v);
        if (!parent)
          item.errors.push(
            err('INVALID_CROSS_REFERENCE_KEY', `invalid cross reference id`, [f.name])
          );
        else if (parent.IsDeleted)
          item.errors.push(err('ENTITY_IS_DELETED', 'entity is deleted', [f.name]));
      }
    }
  }
  if (pre) return;
  if (missing.length)
    item.errors.unshift(
      err('REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.join(', ')}]`, missing)
    );
  if (
    obj.name === 'Event' &&
    !rec.IsAllDayEvent &&
    rec.StartDateTime == null &&
    !item.errors.length
  ) {
    item.errors.push(
      err('REQUIRED_FIELD_MISSING', 'Required fields are missing: [ActivityDateTime]', [
        'ActivityDateTime'
      ])
    );
  }
  if (
    obj.name === 'Event' &&
    rec.StartDateTime != null &&
    rec.EndDateTime != null &&
    Date.parse(rec.EndDateTime as string) < Date.parse(rec.StartDateTime as string)
  ) {
    item.errors.push(
      err('FIELD_INTEGRITY_EXCEPTION', 'End Date Time: End time must be after start time', [
        'EndDateTime'
      ])
    );
  }
  runValidationRules(org, obj, item, isInsert, userId ?? org.adminUserId);
}

/**
 * Custom validation rules (errorConditionFormula true → the record fails with
 * FIELD_CUSTOM_VALIDATION_EXCEPTION and the rule's message), run after system validation passed.
 */
function runValidationRules(
  org: Org,
  obj: ObjectDescribe,
  item: Item,
  isInsert: boolean,
  userId: string
): void {
  if (!obj.validationRuleDefs.length || item.errors.length) return;
  const ctx = recordFormulaContext(org, obj, item.rec, { userId, old: item.old, isNew: isInsert });
  for (const rule of obj.validationRuleDefs) {
    if (evaluate(parseFormula(rule.errorConditionFormula), ctx) === true)
      item.errors.push(
        err(
          'FIELD_CUSTOM_VALIDATION_EXCEPTION',
          rule.errorMessage,
          rule.errorDisplayField ? [rule.errorDisplayField] : []
        )
      );
  }
}

function sameValue(f: FieldDescribe, a: unknown, b: unknown): boolean {
  if (a == null || b == null)
    return (a ?? null) === (b ?? null) || (f.type === 'boolean' && !a && !b);
  if (f.type === 'datetime') return Date.parse(String(a)) === Date.parse(String(b));
  if (f.type === 'id' || f.type === 'reference') return to18(String(a)) === to18(String(b));
  return a === b;
}

function checkUnique(indexes: UniqueIndex[], items: Item[]): void {
  for (const u of indexes) {
    const batch = new Map<string, Item>();
    for (const it of items) {
      if (it.errors.length) continue;
      const v = it.rec[u.field.name];
      if (v == null || v === '') continue;
      const key = uniqueKey(u.field, v);
      const owner = u.values.get(key);
      const isUsername = u.field.name === 'Username';
      if (owner && owner !== it.rec.Id) {
        it.errors.push(
          isUsername
            ? err(
                'DUPLICATE_USERNAME',
                "Duplicate Username.<br>The username already exists in this or another Salesforce organization. Usernames must be unique across all Salesforce organizations. To resolve, use a different username (it doesn't need to match the user's email address). ",
                ['Username']
              )
            : err(
                'DUPLICATE_VALUE',
                `duplicate value found: ${u.field.name} duplicates value on record with id: ${owner}`,
                [u.field.name]
              )
        );
      } else if (batch.has(key)) {
        it.errors.push(
          err(
            'DUPLICATE_VALUE',
            `duplicate value found: ${u.field.name} duplicates value on record with id: <unknown>`,
            [u.field.name]
          )
        );
      } else {
        batch.set(key, it);
      }
    }
  }
}

// ------------------------------------------------------------------ roll-up summaries

interface RollupWork {
  parentObject: ObjectDescribe;
  parentIds: Set<string>;
}

function collectRollups(
  org: Org,
  obj: ObjectDescribe,
  items: Item[],
  work: Map<string, RollupWork>
): void {
  for (const parentRel of obj.fieldList.filter((f) => f.masterDetail)) {
    for (const target of parentRel.referenceTo) {
      const parentObj = org.schema.findObject(target);
      if (!parentObj) continue;
      const rollups = parentObj.fieldList.filter(
        (f) =>
          f.rollup &&
          f.rollup.childObject.toLowerCase() === obj.name.toLowerCase() &&
          f.rollup.childField.toLowerCase() === parentRel.name.toLowerCase()
      );
      if (!rollups.length) continue;
      const w = work.get(parentObj.name) ?? {
        parentObject: parentObj,
        parentIds: new Set<string>()
      };
      for (const it of items) {
        for (const v of [it.rec[parentRel.name], it.old?.[parentRel.name]])
          if (typeof v === 'string') w.parentIds.add(v);
      }
      work.set(parentObj.name, w);
    }
  }
}

function computeRollups(
  org: Org,
  parentObj: ObjectDescribe,
  parentId: string
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of parentObj.fieldList) {
    const r = f.rollup;
    if (!r) continue;

    const childObj = org.schema.findObject(r.childObject);
    const childField = childObj?.fields.get(r.childField.toLowerCase());
    if (!childObj || !childField) continue;
    const vals: unknown[] = [];
    let count = 0;
    for (const c of org.records(childObj.name)) {
      if (c[childField.name] !== parentId) continue;
      if (!r.filters.every((flt) => rollupFilterMatches(childObj, c, flt))) continue;
      count++;
      if (r.summarizedField) {
        const v =
          c[childObj.fields.get(r.summarizedField.toLowerCase())?.name ?? r.summarizedField];
        if (v != null) vals.push(v);
      }
    }
    const sf = r.summarizedField ? childObj.fields.get(r.summarizedField.toLowerCase()) : undefined;
    if (r.operation === 'count') out[f.name] = count;
    else if (r.operation === 'sum')
      out[f.name] = roundToScale(
        vals.reduce<number>((a, b) => a + (b as number), 0),
        sf?.scale ?? 0
      );
    else if (vals.length === 0) out[f.name] = null;
    else {
      const sorted = [...vals].sort((a, b) => compareValues(sf?.type ?? 'double', a, b));
      out[f.name] = r.operation === 'min' ? sorted[0] : sorted[sorted.length - 1];
    }
  }
  return out;
}

/** One roll-up summary filter item (Metadata API FilterItem: equals / notEqual / lessThan / …). */
function rollupFilterMatches(
  childObj: ObjectDescribe,
  rec: Rec,
  flt: { field: string; operation: string; value: string }
): boolean {
  const f = childObj.fields.get(flt.field.toLowerCase());
  if (!f)
    throw new UnsupportedError(`roll-up filter on unknown field ${childObj.name}.${flt.field}`);
  const v = rec[f.name];
  const values = flt.value.split(',').map((x) => x.trim());
  const typed = (x: string): unknown =>
    f.type === 'boolean' ? x.toLowerCase() === 'true' : NUMBER_TYPES.has(f.type) ? Number(x) : x;
  const eq = (x: string) => v != null && x !== '' && compareValues(f.type, v, typed(x)) === 0;
  const blank = v == null || v === '';
  switch (flt.operation) {
    case 'equals':
      return values.some((x) => (x === '' ? blank : eq(x)));
    case 'notEqual':
      return values.every((x) => (x === '' ? !blank : !eq(x)));
    case 'lessThan':
    case 'greaterThan':
    case 'lessOrEqual':
    case 'greaterOrEqual': {
      if (blank) return false;
      const d = compareValues(f.type, v, typed(flt.value));
      return flt.operation === 'lessThan'
        ? d < 0
        : flt.operation === 'greaterThan'
          ? d > 0
          : flt.operation === 'lessOrEqual'
            ? d <= 0
            : d >= 0;
    }
    case 'contains':
      return !blank && values.some((x) => String(v).toLowerCase().includes(x.toLowerCase()));
    case 'notContain':
      return blank || values.every((x) => !String(v).toLowerCase().includes(x.toLowerCase()));
    case 'startsWith':
      return !blank && values.some((x) => String(v).toLowerCase().startsWith(x.toLowerCase()));
    case 'includes':
      return !blank && values.some((x) => String(v).split(';').includes(x));
    case 'excludes':
      return blank || values.every((x) => !String(v).split(';').includes(x));
    default:
      throw new UnsupportedError(`roll-up filter operation ${flt.operation}`);
  }
}

function applyRollups(org: Org, work: Map<string, RollupWork>, ctx: FullCtx): void {
  for (const w of work.values()) {
    const updates: SObjectInput[] = [];
    for (const pid of w.parentIds) {
      const parent = org.store.get(w.parentObject.name, pid);
      if (!parent || parent.IsDeleted) continue;
      updates.push({ Id: pid, ...computeRollups(org, w.parentObject, pid) });
    }
    if (!updates.length) continue;
    const res = runUpdate(
      org,
      w.parentObject,
      updates,
      { ...ctx, mode: 'system', sharing: 'without' },
      { allOrNone: true, rollupRecalc: true }
    );
    const bad = res.find((r) => !r.success && r.errors.length);
    if (bad) throw new RollupParentError(bad.errors[0]!);
  }
}

/** A parent record failed its save during roll-up recalculation: the child DML fails with its error. */
class RollupParentError extends Error {
  constructor(readonly dmlError: DmlError) {
    super(dmlError.message);
  }
}

function finishChunk(items: Item[], out: Map<number, AttemptOut>): void {
  for (const it of items)
    out.set(it.index, {
      id: it.id,
      errors: it.errors,
      ...(it.created !== undefined ? { created: it.created } : {})
    });
}

function withRollupErrors(items: Item[], fn: () => void): void {
  try {
    fn();
  } catch (e) {
    if (e instanceof RollupParentError) {
      for (const it of items) if (!it.errors.length) it.errors.push(e.dmlError);
    } else throw e;
  }
}

// ------------------------------------------------------------------ insert

function assertNotEvent(obj: ObjectDescribe, op: string): void {
  if (obj.isPlatformEvent && op !== 'Insert')
    throw new DmlOperationError(
      `DML operation ${op} not allowed on ${obj.name}`,
      'System.TypeException'
    );
}

function insertChunk(org: Org, obj: ObjectDescribe, items: Item[], ctx: FullCtx): void {
  const now = org.clock().toISOString();
  if (userMode(ctx) && !org.permissions.objectAccess(ctx.userId, obj.name).create) {
    for (const it of items) it.errors.push(ACCESS_DENIED());
    return;
  }
  for (const it of items) {
    if (it.errors.length) continue;
    checkFls(
      org,
      obj,
      it,
      ctx,
      [...it.given].filter((n) => it.rec[n] != null && it.rec[n] !== false)
    );
    // Default values for fields the caller did not set.
    for (const f of obj.fieldList) {
      if (it.given.has(f.name)) continue;
      if (f.defaultValue !== null && f.defaultValue !== undefined) it.rec[f.name] = f.defaultValue;
      else if (f.defaultValueFormula) {
        // Default value formulas (TODAY() + 7, $User.Email, …) are evaluated for the new record.
        const v = evaluate(
          parseFormula(f.defaultValueFormula),
          recordFormulaContext(org, obj, it.rec, { userId: ctx.userId })
        );
        it.rec[f.name] = coerceValue(f, v === '' ? null : v).value;
      }
    }
    if (obj.hasOwner && it.rec.OwnerId == null) it.rec.OwnerId = ctx.userId;
    if (org.options.personAccounts && obj.name === 'Account') markPersonAccount(org, it.rec);
  }
  for (const it of items) {
    if (!it.errors.length) validate(org, obj, it, true, {}, true);
    if (!it.errors.length) checkCrossReferences(org, obj, it, ctx);
  }
  const live = items.filter((it) => !it.errors.length);
  if (!obj.isPlatformEvent) {
    hook(org, obj, 'insert', 'before', live, ctx);
    for (const it of live) renormalize(obj, it.rec, it);
  }
  const indexes = buildUniqueIndexes(org, obj);
  for (const it of live) {
    if (it.errors.length) continue;
    if (obj.hasOwner && it.rec.OwnerId == null) it.rec.OwnerId = ctx.userId;
    computeDerived(org, obj, it.rec, ctx);
    validate(org, obj, it, true, {}, false, ctx.userId);
  }
  checkUnique(indexes, live);
  const saved: Item[] = [];
  for (const it of live) {
    if (it.errors.length) continue;
    const rec = it.rec;
    rec.Id = org.newId(obj.name);
    it.id = rec.Id as string;
    // A custom object's text Name left blank takes the record's Id (as the platform does).
    const nameField = obj.fields.get('name');
    if (
      obj.custom &&
      nameField &&
      !nameField.autoNumber &&
      !obj.isPlatformEvent &&
      !obj.isCustomMetadata &&
      (rec.Name == null || rec.Name === '')
    )
      rec.Name = rec.Id;
    if ('IsDeleted' in rec) rec.IsDeleted = false;
    rec.CreatedDate = now;
    rec.CreatedById = ctx.userId;
    if (obj.fields.has('lastmodifieddate')) {
      rec.LastModifiedDate = now;
      rec.LastModifiedById = ctx.userId;
      rec.SystemModstamp = now;
    }
    for (const f of obj.fieldList) {
      if (f.autoNumber) {
        const key = `${obj.name}.${f.name}`;
        const next = (org.store.autoNumbers.get(key) ?? f.startingNumber - 1) + 1;
        org.store.autoNumbers.set(key, next);
        rec[f.name] = formatAutoNumber(f.displayFormat ?? '{0}', next, new Date(now));
      }
      if (f.rollup)
        rec[f.name] = f.rollup.operation === 'count' || f.rollup.operation === 'sum' ? 0 : null;
    }
    if (isPersonAccountRec(org, obj, rec)) syncPersonContact(org, rec, now, ctx.userId);
    if (obj.isPlatformEvent) {
      org.store.replayCounter += 1;
      rec.ReplayId = String(org.store.replayCounter);
      rec.EventUuid = uuidFromCounter(org.store.replayCounter);
      org.store.eventBus.push({
        object: obj.name,
        record: Object.freeze({ ...rec }),
        replayId: org.store.replayCounter,
        delivered: false
      });
    } else {
      org.store.put(obj.name, rec);
    }
    it.rec = { ...org.store.get(obj.name, rec.Id as string) } as Record<string, unknown>;
    if (obj.isPlatformEvent) it.rec = { ...rec };
    saved.push(it);
  }
  if (obj.isPlatformEvent) return;
  hook(org, obj, 'insert', 'after', saved, ctx);
  const work = new Map<string, RollupWork>();
  collectRollups(org, obj, saved, work);
  withRollupErrors(saved, () => applyRollups(org, work, ctx));
}

function uuidFromCounter(n: number): string {
  const h = n.toString(16).padStart(12, '0');
  return `00000000-0000-4000-8000-${h}`;
}

function newItem(index: number): Item {
  return { index, rec: {}, old: null, given: new Set(), errors: [], id: null };
}

function prepareInsertItem(obj: ObjectDescribe, input: SObjectInput, index: number): Item {
  const it = newItem(index);
  const given = normalizeInput(obj, input, it);
  if (given.Id != null)
    it.errors.push(
      err('INVALID_FIELD_FOR_INSERT_UPDATE', 'cannot specify Id in an insert call', ['Id'])
    );
  delete given.Id;
  it.given.delete('Id');
  it.rec = { ...blankRecord(obj), ...given };
  return it;
}

function insertAttempt(
  org: Org,
  obj: ObjectDescribe,
  inputs: SObjectInput[],
  active: number[],
  ctx: FullCtx
): Map<number, AttemptOut> {
  const out = new Map<number, AttemptOut>();
  for (let c = 0; c < active.length; c += CHUNK) {
    const items = active.slice(c, c + CHUNK).map((i) => prepareInsertItem(obj, inputs[i]!, i));
    insertChunk(org, obj, items, ctx);
    for (const it of items) it.created = true;
    finishChunk(items, out);
  }
  return out;
}

export function runInsert(
  org: Org,
  obj: ObjectDescribe,
  inputs: SObjectInput[],
  ctx: FullCtx,
  opts: DmlOptions
): DmlResult[] {
  assertNotEvent(obj, 'Insert');
  const res = runWithRetries(org, inputs.length, opts.allOrNone ?? true, (active) =>
    insertAttempt(org, obj, inputs, active, ctx)
  );
  return res.map(({ created: _c, ...r }) => r);
}

// ------------------------------------------------------------------ update

function prepareUpdateItem(
  org: Org,
  obj: ObjectDescribe,
  input: SObjectInput,
  index: number,
  ctx: FullCtx,
  opts: DmlInternalOptions = {}
): Item {
  const it = newItem(index);
  const given = normalizeInput(obj, input, it);
  const rawId = given.Id as string | null | undefined;
  if (rawId == null) {
    it.errors.push(err('MISSING_ARGUMENT', 'Id not specified in an update call', []));
    return it;
  }
  const id = to18(rawId);
  it.id = id ?? rawId;
  if (!id || org.schema.objectForId(id)?.name !== obj.name) {
    it.errors.push(
      err('MALFORMED_ID', `${obj.label} ID: id value of incorrect type: ${rawId}`, ['Id'])
    );
    return it;
  }
  const old = org.store.get(obj.name, id);
  if (!old) {
    it.errors.push(err('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', []));
    return it;
  }
  if (old.IsDeleted) {
    it.errors.push(err('ENTITY_IS_DELETED', 'entity is deleted', []));
    return it;
  }
  if (obj.name === 'Lead' && old.IsConverted === true && !opts.leadConversion) {
    it.errors.push(err('CANNOT_UPDATE_CONVERTED_LEAD', 'cannot reference converted lead', []));
    return it;
  }
  it.old = old;
  it.given.delete('Id');
  it.rec = { ...old, ...given, Id: id };
  if (sharingEnforced(ctx) && org.permissions.recordAccess(ctx.userId, obj, old) !== 'edit')
    it.errors.push(ACCESS_DENIED());
  return it;
}

function updateChunk(
  org: Org,
  obj: ObjectDescribe,
  items: Item[],
  ctx: FullCtx,
  opts: DmlInternalOptions
): void {
  const now = org.clock().toISOString();
  if (userMode(ctx) && !org.permissions.objectAccess(ctx.userId, obj.name).edit) {
    for (const it of items) if (!it.errors.length) it.errors.push(ACCESS_DENIED());
    return;
  }
  for (const it of items) {
    if (it.errors.length) continue;
    const changed = [...it.given].filter(
      (n) => !sameValue(obj.fields.get(n.toLowerCase())!, it.rec[n], it.old![n])
    );
    checkFls(org, obj, it, ctx, changed);
    if (!it.errors.length) validate(org, obj, it, false, opts, true);
    if (!it.errors.length) checkCrossReferences(org, obj, it, ctx);
  }
  const live = items.filter((it) => !it.errors.length);
  hook(org, obj, 'update', 'before', live, ctx);
  for (const it of live) {
    renormalize(obj, it.rec, it);
    // The Id and audit fields cannot be changed by a before trigger.
    it.rec.Id = it.old!.Id;
  }
  const indexes = buildUniqueIndexes(org, obj);
  for (const it of live) {
    if (it.errors.length) continue;
    computeDerived(org, obj, it.rec, ctx);
    validate(org, obj, it, false, opts, false, ctx.userId);
  }
  checkUnique(indexes, live);
  const saved: Item[] = [];
  for (const it of live) {
    if (it.errors.length) continue;
    const rec = it.rec;
    for (const f of obj.fieldList) {
      // Read-only fields keep their stored values (queried values passed back are ignored).
      if (f.system || f.autoNumber || (f.calculated && !(opts.rollupRecalc && f.rollup)))
        rec[f.name] = it.old![f.name];
    }
    if (obj.fields.has('lastmodifieddate')) {
      rec.LastModifiedDate = now;
      rec.LastModifiedById = ctx.userId;
      rec.SystemModstamp = now;
    }
    if (isPersonAccountRec(org, obj, rec)) syncPersonContact(org, rec, now, ctx.userId);
    org.store.put(obj.name, rec);
    it.rec = { ...org.store.get(obj.name, rec.Id as string)! };
    saved.push(it);
  }
  hook(org, obj, 'update', 'after', saved, ctx);
  if (opts.rollupRecalc) return;
  const work = new Map<string, RollupWork>();
  collectRollups(
    org,
    obj,
    saved.filter((it) =>
      obj.fieldList.some(
        (f) =>
          (f.masterDetail || rollupSummarized(org, obj, f)) &&
          !sameValue(f, it.rec[f.name], it.old![f.name])
      )
    ),
    work
  );
  withRollupErrors(saved, () => applyRollups(org, work, ctx));
}

function rollupSummarized(org: Org, child: ObjectDescribe, f: FieldDescribe): boolean {
  for (const parentRel of child.fieldList.filter((x) => x.masterDetail)) {
    for (const target of parentRel.referenceTo) {
      const p = org.schema.findObject(target);
      if (
        p?.fieldList.some(
          (pf) =>
            !!pf.rollup &&
            pf.rollup.childObject.toLowerCase() === child.name.toLowerCase() &&
            (pf.rollup.summarizedField?.toLowerCase() === f.name.toLowerCase() ||
              pf.rollup.filters.some((flt) => flt.field.toLowerCase() === f.name.toLowerCase()))
        )
      )
        return true;
    }
  }
  return false;
}

function updateAttempt(
  org: Org,
  obj: ObjectDescribe,
  inputs: SObjectInput[],
  active: number[],
  ctx: FullCtx,
  opts: DmlInternalOptions
): Map<number, AttemptOut> {
  const out = new Map<number, AttemptOut>();
  for (let c = 0; c < active.length; c += CHUNK) {
    const items = active
      .slice(c, c + CHUNK)
      .map((i) => prepareUpdateItem(org, obj, inputs[i]!, i, ctx, opts));
    updateChunk(org, obj, items, ctx, opts);
    for (const it of items) it.created = false;
    finishChunk(items, out);
  }
  return out;
}

function assertNoDuplicateIds(ids: (string | null)[]): void {
  const seen = new Set<string>();
  for (const raw of ids) {
    if (raw == null) continue;
    const id = to18(raw) ?? raw;
    if (seen.has(id))
      throw new DmlOperationError(`Duplicate id in list: ${id}`, 'System.ListException');
    seen.add(id);
  }
}

function idOf(obj: ObjectDescribe, input: SObjectInput): string | null {
  for (const [k, v] of Object.entries(input))
    if (k.toLowerCase() === 'id') return v == null ? null : String(v);
  return null;
}

export function runUpdate(
  org: Org,
  obj: ObjectDescribe,
  inputs: SObjectInput[],
  ctx: FullCtx,
  opts: DmlOptions & DmlInternalOptions
): DmlResult[] {
  assertNotEvent(obj, 'Update');
  assertNoDuplicateIds(inputs.map((r) => idOf(obj, r)));
  const res = runWithRetries(org, inputs.length, opts.allOrNone ?? true, (active) =>
    updateAttempt(org, obj, inputs, active, ctx, opts)
  );
  return res.map(({ created: _c, ...r }, i) => ({
    ...r,
    id:
      r.id ??
      (idOf(obj, inputs[i]!) ? (to18(idOf(obj, inputs[i]!)!) ?? idOf(obj, inputs[i]!)) : null)
  }));
}

// ------------------------------------------------------------------ upsert

export function runUpsert(
  org: Org,
  obj: ObjectDescribe,
  inputs: SObjectInput[],
  externalIdField: string | null,
  ctx: FullCtx,
  opts: DmlOptions
): DmlResult[] {
  assertNotEvent(obj, 'Upsert');
  const key = externalIdField
    ? obj.fields.get(externalIdField.toLowerCase())
    : obj.fields.get('id');
  if (!key)
    throw new DmlOperationError(
      `Invalid field for upsert, must be an External Id custom or standard indexed field: ${externalIdField}`,
      'System.SObjectException',
      'INVALID_FIELD'
    );
  if (!(key.externalId || key.idLookup))
    throw new DmlOperationError(
      `Invalid field for upsert, must be an External Id custom or standard indexed field: ${key.name}`,
      'System.SObjectException',
      'INVALID_FIELD'
    );
  if (key.name === 'Id') assertNoDuplicateIds(inputs.map((r) => idOf(obj, r)));
  const attempt = (active: number[]): Map<number, AttemptOut> => {
    const out = new Map<number, AttemptOut>();
    // Resolve each record to insert or update.
    const inserts: number[] = [];
    const updates: number[] = [];
    const resolved = new Map<number, SObjectInput>();
    const seen = new Map<string, number>();
    for (const i of active) {
      const input = inputs[i]!;
      const raw = Object.entries(input).find(
        ([k]) => k.toLowerCase() === key.name.toLowerCase()
      )?.[1];
      if (key.name === 'Id') {
        if (raw == null) inserts.push(i);
        else updates.push(i);
        resolved.set(i, input);
        continue;
      }
      if (raw == null || raw === '') {
        out.set(i, {
          id: null,
          errors: [err('MISSING_ARGUMENT', `${key.name} not specified`, [key.name])]
        });
        continue;
      }
      const k = key.caseSensitive ? String(raw) : String(raw).toLowerCase();
      if (seen.has(k)) {
        out.set(i, {
          id: null,
          errors: [
            err('DUPLICATE_EXTERNAL_ID', `Duplicate external id specified: ${String(raw)}`, [
              key.name
            ])
          ]
        });
        continue;
      }
      seen.set(k, i);
      const matches = [...org.records(obj.name)].filter(
        (r) =>
          r[key.name] != null &&
          compareValues(key.type, r[key.name], raw) === 0 &&
          (key.caseSensitive ? r[key.name] === raw : true)
      );
      if (matches.length > 1) {
        out.set(i, {
          id: null,
          errors: [
            err(
              'DUPLICATE_EXTERNAL_ID',
              `${key.label}: more than one record found for external id field: [${matches.map((m) => m.Id).join(', ')}]`,
              [key.name]
            )
          ]
        });
        continue;
      }
      if (matches.length === 1) {
        resolved.set(i, { ...input, Id: matches[0]!.Id });
        updates.push(i);
      } else {
        resolved.set(i, input);
        inserts.push(i);
      }
    }
    for (let c = 0; c < inserts.length; c += CHUNK) {
      const items = inserts
        .slice(c, c + CHUNK)
        .map((i) => prepareInsertItem(obj, resolved.get(i)!, i));
      insertChunk(org, obj, items, ctx);
      for (const it of items) it.created = true;
      finishChunk(items, out);
    }
    for (let c = 0; c < updates.length; c += CHUNK) {
      const items = updates
        .slice(c, c + CHUNK)
        .map((i) => prepareUpdateItem(org, obj, resolved.get(i)!, i, ctx));
      updateChunk(org, obj, items, ctx, {});
      for (const it of items) it.created = false;
      finishChunk(items, out);
    }
    return out;
  };
  const res = runWithRetries(org, inputs.length, opts.allOrNone ?? true, attempt);
  return res.map((r) => ({ ...r, created: r.success ? (r.created ?? false) : false }));
}

// ------------------------------------------------------------------ delete / undelete

function resolveIdItems(
  org: Org,
  obj: ObjectDescribe | null,
  ids: string[],
  active: number[]
): { items: Item[]; byObject: Map<string, Item[]> } {
  const items: Item[] = [];
  const byObject = new Map<string, Item[]>();
  for (const i of active) {
    const it = newItem(i);
    const raw = ids[i]!;
    const id = raw == null ? null : to18(String(raw));
    it.id = id ?? (raw == null ? null : String(raw));
    items.push(it);
    const target = id ? org.schema.objectForId(id) : undefined;
    if (!id || !target || (obj && target.name !== obj.name)) {
      it.errors.push(err('MALFORMED_ID', `malformed id ${String(raw)}`, []));
      continue;
    }
    const rec = org.store.get(target.name, id);
    if (!rec) {
      it.errors.push(err('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', []));
      continue;
    }
    it.old = rec;
    it.rec = { ...rec };
    byObject.set(target.name, [...(byObject.get(target.name) ?? []), it]);
  }
  return { items, byObject };
}

function deleteCascade(
  org: Org,
  obj: ObjectDescribe,
  id: string,
  now: string,
  userId: string,
  work: Map<string, RollupWork>,
  depth = 0
): void {
  if (depth > 10) return;
  for (const rel of obj.childRelationships) {
    const child = org.schema.findObject(rel.childSObject);
    if (!child) continue;
    const f = child.fields.get(rel.field.toLowerCase())!;
    // Activities are deleted with the record they relate to (What or Who).
    const isActivityParent =
      (child.name === 'Event' || child.name === 'Task') &&
      (f.name === 'WhatId' || f.name === 'WhoId');
    for (const c of [...org.records(child.name)]) {
      if (c[f.name] !== id) continue;
      if (f.cascadeDelete || isActivityParent) {
        // Cascade-deleted children go to the recycle bin without their delete triggers.
        org.store.put(child.name, {
          ...c,
          IsDeleted: true,
          LastModifiedDate: now,
          LastModifiedById: userId,
          SystemModstamp: now
        });
        collectRollups(org, child, [{ ...newItem(0), rec: { ...c }, old: c }], work);
        deleteCascade(org, child, c.Id as string, now, userId, work, depth + 1);
      } else if (f.deleteConstraint === 'SetNull' && !f.system) {
        org.store.put(child.name, { ...c, [f.name]: null });
        const log = org.store.clearedLookups.get(id) ?? [];
        org.store.clearedLookups.set(id, [
          ...log,
          { object: child.name, id: c.Id as string, field: f.name }
        ]);
      }
    }
  }
}

/**
 * Moves a record into (`deleted`) or out of the recycle bin: IsDeleted and the
 * system modstamps change; a Person Account's person contact follows it.
 */
function writeRecycleBinFlag(
  org: Org,
  o: ObjectDescribe,
  old: Record<string, unknown>,
  deleted: boolean,
  now: string,
  userId: string
): Record<string, unknown> {
  const rec: Record<string, unknown> = {
    ...old,
    IsDeleted: deleted,
    LastModifiedDate: now,
    LastModifiedById: userId,
    SystemModstamp: now
  };
  org.store.put(o.name, rec);
  if (o.name === 'Account' && rec.PersonContactId) {
    const pc = org.store.get('Contact', rec.PersonContactId as string);
    if (pc) org.store.put('Contact', { ...pc, IsDeleted: deleted });
  }
  return rec;
}

export function runDelete(
  org: Org,
  obj: ObjectDescribe | null,
  ids: string[],
  ctx: FullCtx,
  opts: DmlOptions
): DmlResult[] {
  if (obj) assertNotEvent(obj, 'Delete');
  assertNoDuplicateIds(ids);
  const attempt = (active: number[]): Map<number, AttemptOut> => {
    const out = new Map<number, AttemptOut>();
    const { items, byObject } = resolveIdItems(org, obj, ids, active);
    for (const it of items)
      if (it.errors.length) out.set(it.index, { id: it.id, errors: it.errors });
    for (const [objectName, list] of byObject) {
      const o = org.schema.getObject(objectName);
      if (o.isCustomMetadata)
        throw new DmlOperationError(
          `DML operation Delete not allowed on ${o.name}`,
          'System.TypeException'
        );
      for (let c = 0; c < list.length; c += CHUNK) {
        const chunk = list.slice(c, c + CHUNK);
        const now = org.clock().toISOString();
        for (const it of chunk) {
          if (it.old!.IsDeleted) it.errors.push(err('ENTITY_IS_DELETED', 'entity is deleted', []));
          else if (userMode(ctx) && !org.permissions.objectAccess(ctx.userId, o.name).delete)
            it.errors.push(ACCESS_DENIED());
          else if (
            sharingEnforced(ctx) &&
            org.permissions.recordAccess(ctx.userId, o, it.old!) !== 'edit'
          )
            it.errors.push(ACCESS_DENIED());
          else if (o.name === 'User')
            it.errors.push(err('DELETE_FAILED', 'Users cannot be deleted', []));
          else {
            for (const rel of o.childRelationships) {
              if (!rel.restrictedDelete) continue;
              const has = [...org.records(rel.childSObject)].some(
                (c2) => c2[rel.field] === it.old!.Id
              );
              if (has) {
                it.errors.push(
                  err(
                    'DELETE_FAILED',
                    `Your attempt to delete ${String(it.old!.Name ?? it.old!.Id)} could not be completed because it is associated with the following ${rel.childSObject} records.`,
                    []
                  )
                );
                break;
              }
            }
          }
        }
        const live = chunk.filter((it) => !it.errors.length);
        hook(org, o, 'delete', 'before', live, ctx);
        const work = new Map<string, RollupWork>();
        const deleted: Item[] = [];
        for (const it of live) {
          if (it.errors.length) continue;
          const rec = writeRecycleBinFlag(org, o, it.old!, true, now, ctx.userId);
          deleteCascade(org, o, rec.Id as string, now, ctx.userId, work);
          deleted.push(it);
        }
        collectRollups(org, o, deleted, work);
        hook(org, o, 'delete', 'after', deleted, ctx);
        withRollupErrors(deleted, () => applyRollups(org, work, ctx));
        for (const it of chunk) out.set(it.index, { id: it.id, errors: it.errors });
      }
    }
    return out;
  };
  return runWithRetries(org, ids.length, opts.allOrNone ?? true, attempt).map(
    ({ created: _c, ...r }, i) => ({
      ...r,
      id: r.id ?? (ids[i] ? (to18(ids[i]!) ?? ids[i]!) : null)
    })
  );
}

export function runUndelete(
  org: Org,
  obj: ObjectDescribe | null,
  ids: string[],
  ctx: FullCtx,
  opts: DmlOptions
): DmlResult[] {
  if (obj) assertNotEvent(obj, 'Undelete');
  assertNoDuplicateIds(ids);
  const attempt = (active: number[]): Map<number, AttemptOut> => {
    const out = new Map<number, AttemptOut>();
    const { items, byObject } = resolveIdItems(org, obj, ids, active);
    for (const it of items)
      if (it.errors.length) out.set(it.index, { id: it.id, errors: it.errors });
    for (const [objectName, list] of byObject) {
      const o = org.schema.getObject(objectName);
      for (let c = 0; c < list.length; c += CHUNK) {
        const chunk = list.slice(c, c + CHUNK);
        const now = org.clock().toISOString();
        for (const it of chunk) {
          if (!it.old!.IsDeleted)
            it.errors.push(err('UNDELETE_FAILED', 'Entity is not in the recycle bin', []));
          else if (userMode(ctx) && !org.permissions.objectAccess(ctx.userId, o.name).create)
            it.errors.push(ACCESS_DENIED());
        }
        const live = chunk.filter((it) => !it.errors.length);
        // There are no before-undelete triggers on the platform.
        const restored: Item[] = [];
        const work = new Map<string, RollupWork>();
        for (const it of live) {
          if (it.errors.length) continue;
          const rec = writeRecycleBinFlag(org, o, it.old!, false, now, ctx.userId);
          // Lookups cleared by the delete point at the record again.
          for (const cl of org.store.clearedLookups.get(rec.Id as string) ?? []) {
            const child = org.store.get(cl.object, cl.id);
            if (child && child[cl.field] == null)
              org.store.put(cl.object, { ...child, [cl.field]: rec.Id });
          }
          org.store.clearedLookups.delete(rec.Id as string);
          // Master-detail children deleted with the parent come back with it.
          for (const rel of o.childRelationships) {
            if (!rel.cascadeDelete) continue;
            for (const ch of org.records(rel.childSObject, true)) {
              if (ch.IsDeleted && ch[rel.field] === rec.Id)
                org.store.put(rel.childSObject, { ...ch, IsDeleted: false });
            }
          }
          it.rec = { ...org.store.get(o.name, rec.Id as string)! };
          restored.push(it);
        }
        collectRollups(org, o, restored, work);
        hook(org, o, 'undelete', 'after', restored, ctx);
        withRollupErrors(restored, () => applyRollups(org, work, ctx));
        for (const it of chunk) out.set(it.index, { id: it.id, errors: it.errors });
      }
    }
    return out;
  };
  return runWithRetries(org, ids.length, opts.allOrNone ?? true, attempt).map(
    ({ created: _c, ...r }, i) => ({
      ...r,
      id: r.id ?? (ids[i] ? (to18(ids[i]!) ?? ids[i]!) : null)
    })
  );
}

// ------------------------------------------------------------------ lead conversion

export interface LeadConvertInput {
  leadId: string;
  /** Lead status to set; must be a converted status of Lead.Status ("Closed - Converted"). */
  convertedStatus: string;
  accountId?: string | null;
  contactId?: string | null;
  opportunityId?: string | null;
  doNotCreateOpportunity?: boolean;
  opportunityName?: string | null;
  ownerId?: string | null;
}

export interface LeadConvertResult {
  leadId: string;
  accountId: string | null;
  contactId: string | null;
  opportunityId: string | null;
  success: boolean;
  errors: DmlError[];
}

/**
 * Database.convertLead, simplified: creates the Account (Name = Company), Contact (name, email,
 * phones, title, lead source, address → Mailing*) and Opportunity (Name = Company + "-", stage
 * Prospecting, CloseDate today) unless ids are given, then marks the Lead converted. Lead field
 * mappings of custom fields are not applied. Runs in system mode; triggers fire for every record.
 */
export function convertLead(org: Org, input: LeadConvertInput, ctx: FullCtx): LeadConvertResult {
  const leadId = to18(input.leadId ?? '') ?? String(input.leadId);
  const fail = (statusCode: string, message: string): LeadConvertResult => ({
    leadId,
    accountId: null,
    contactId: null,
    opportunityId: null,
    success: false,
    errors: [err(statusCode, message, [])]
  });
  const lead = org.store.get('Lead', leadId);
  if (!lead || lead.IsDeleted)
    return fail('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id');
  if (lead.IsConverted)
    return fail('CANNOT_UPDATE_CONVERTED_LEAD', 'cannot reference converted lead');
  const converted = [...org.records('LeadStatus')]
    .filter((st) => st.IsConverted === true)
    .map((st) => String(st.MasterLabel).toLowerCase());
  if (!input.convertedStatus || !converted.includes(input.convertedStatus.toLowerCase()))
    return fail('INVALID_STATUS', `invalid convertedStatus: ${String(input.convertedStatus)}`);
  const sp = org.store.snapshot();
  const sys: FullCtx = { ...ctx, mode: 'system' };
  const owner = input.ownerId ?? (lead.OwnerId as string);
  const step = (r: DmlResult[]): string => {
    if (!r[0]!.success) throw new ConvertFailure(r[0]!.errors);
    return r[0]!.id!;
  };
  try {
    const accountId = input.accountId
      ? to18(input.accountId)!
      : step(
          runInsert(
            org,
            org.schema.getObject('Account'),
            [
              {
                Name: lead.Company,
                OwnerId: owner,
                Phone: lead.Phone,
                BillingStreet: lead.Street,
                BillingCity: lead.City,
                BillingState: lead.State,
                BillingPostalCode: lead.PostalCode,
                BillingCountry: lead.Country
              }
            ],
            sys,
            {}
          )
        );
    const contactId = input.contactId
      ? to18(input.contactId)!
      : step(
          runInsert(
            org,
            org.schema.getObject('Contact'),
            [
              {
                FirstName: lead.FirstName,
                LastName: lead.LastName,
                Salutation: lead.Salutation,
                Email: lead.Email,
                Phone: lead.Phone,
                MobilePhone: lead.MobilePhone,
                Title: lead.Title,
                LeadSource: lead.LeadSource,
                AccountId: accountId,
                OwnerId: owner,
                MailingStreet: lead.Street,
                MailingCity: lead.City,
                MailingState: lead.State,
                MailingPostalCode: lead.PostalCode,
                MailingCountry: lead.Country
              }
            ],
            sys,
            {}
          )
        );
    let opportunityId: string | null = input.opportunityId ? to18(input.opportunityId) : null;
    if (!opportunityId && !input.doNotCreateOpportunity) {
      const today = dateInZone(org.clock().toISOString(), org.userTimeZone(ctx.userId));
      opportunityId = step(
        runInsert(
          org,
          org.schema.getObject('Opportunity'),
          [
            {
              Name: input.opportunityName ?? `${String(lead.Company)}-`,
              StageName: 'Prospecting',
              CloseDate: today,
              AccountId: accountId,
              OwnerId: owner,
              LeadSource: lead.LeadSource
            }
          ],
          sys,
          {}
        )
      );
    }
    step(
      runUpdate(
        org,
        org.schema.getObject('Lead'),
        [
          {
            Id: leadId,
            Status: input.convertedStatus,
            IsConverted: true,
            ConvertedDate: dateInZone(org.clock().toISOString(), org.userTimeZone(ctx.userId)),
            ConvertedAccountId: accountId,
            ConvertedContactId: contactId,
            ConvertedOpportunityId: opportunityId
          }
        ],
        sys,
        { leadConversion: true }
      )
    );
    return { leadId, accountId, contactId, opportunityId, success: true, errors: [] };
  } catch (e) {
    org.store.restore(sp);
    org.permissions.invalidate();
    if (e instanceof ConvertFailure)
      return {
        leadId,
        accountId: null,
        contactId: null,
        opportunityId: null,
        success: false,
        errors: e.errors
      };
    throw e;
  }
}

class ConvertFailure extends Error {
  constructor(readonly errors: DmlError[]) {
    super(errors[0]?.message ?? 'conversion failed');
  }
}
