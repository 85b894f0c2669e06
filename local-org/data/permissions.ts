/**
 * Object CRUD, field-level security, Apex class access, user permissions and record
 * sharing, computed from the running user's Profile + assigned permission sets.
 *
 * Modelled: the three built-in profiles (System Administrator: everything; Standard User:
 * the standard CRM objects and their standard fields, no custom objects or custom fields;
 * Minimum Access - Salesforce: nothing), permission sets loaded from the project
 * (objectPermissions, fieldPermissions, classAccesses, userPermissions) assigned through
 * PermissionSetAssignment records; org-wide defaults per object with owner-based access,
 * View All / Modify All (object-level and ViewAllData / ModifyAllData).
 * Not modelled: role hierarchy, sharing rules, manual/Apex shares, queues and groups as owners,
 * permission set groups, muting, profile metadata from the project, restriction rules.
 */
import { basename } from 'node:path';
import { arr, bool, findFiles, packageDirectories, readXml, text, type XmlNode } from './schema.js';
import type { Schema } from './schema.js';
import type { FieldDescribe, ObjectDescribe } from './schema-types.js';
import type { Rec } from './store.js';

export interface ObjectPerms {
  read: boolean;
  create: boolean;
  edit: boolean;
  delete: boolean;
  viewAll: boolean;
  modifyAll: boolean;
}

export interface FieldPerms {
  readable: boolean;
  editable: boolean;
}

export interface PermissionSetMeta {
  name: string;
  label: string;
  description: string;
  objects: Map<string, ObjectPerms>;
  fields: Map<string, FieldPerms>;
  classes: Set<string>;
  userPermissions: Set<string>;
  source?: string;
}

export const PROFILE_NAMES = {
  admin: 'System Administrator',
  standard: 'Standard User',
  minimum: 'Minimum Access - Salesforce'
} as const;

const NONE: ObjectPerms = {
  read: false,
  create: false,
  edit: false,
  delete: false,
  viewAll: false,
  modifyAll: false
};
const ALL: ObjectPerms = {
  read: true,
  create: true,
  edit: true,
  delete: true,
  viewAll: true,
  modifyAll: true
};
const CRED: ObjectPerms = {
  read: true,
  create: true,
  edit: true,
  delete: true,
  viewAll: false,
  modifyAll: false
};
const READ: ObjectPerms = {
  read: true,
  create: false,
  edit: false,
  delete: false,
  viewAll: false,
  modifyAll: false
};

/** Standard User's object access in a Developer Edition org. */
const STANDARD_USER_OBJECTS: Record<string, ObjectPerms> = {
  account: CRED,
  contact: CRED,
  lead: CRED,
  opportunity: CRED,
  event: CRED,
  task: CRED,
  user: READ,
  profile: READ,
  organization: READ,
  group: READ,
  recordtype: READ,
  permissionset: READ,
  permissionsetassignment: READ,
  userrole: READ
};

export const PROFILE_USER_PERMISSIONS: Record<string, string[]> = {
  [PROFILE_NAMES.admin]: [
    'ApiEnabled',
    'ModifyAllData',
    'ViewAllData',
    'ModifyMetadata',
    'CustomizeApplication',
    'ViewSetup',
    'ManageUsers',
    'AuthorApex'
  ],
  [PROFILE_NAMES.standard]: ['ApiEnabled'],
  [PROFILE_NAMES.minimum]: []
};

/** Parses permissionsets/*.permissionset-meta.xml from every package directory. */
export function loadPermissionSets(projectDir: string): PermissionSetMeta[] {
  const out: PermissionSetMeta[] = [];
  for (const dir of packageDirectories(projectDir)) {
    for (const file of findFiles(dir, '.permissionset-meta.xml')) {
      const n = (readXml(file).PermissionSet ?? {}) as XmlNode;
      out.push(
        parsePermissionSet(basename(file).replace(/\.permissionset-meta\.xml$/, ''), n, file)
      );
    }
  }
  return out;
}

export function parsePermissionSet(name: string, n: XmlNode, source?: string): PermissionSetMeta {
  const ps: PermissionSetMeta = {
    name,
    label: text(n.label) ?? name,
    description: text(n.description) ?? '',
    objects: new Map(),
    fields: new Map(),
    classes: new Set(),
    userPermissions: new Set()
  };
  if (source) ps.source = source;
  for (const o of arr<XmlNode>(n.objectPermissions)) {
    const obj = (text(o.object) ?? '').toLowerCase();
    const p: ObjectPerms = {
      read: bool(o.allowRead),
      create: bool(o.allowCreate),
      edit: bool(o.allowEdit),
      delete: bool(o.allowDelete),
      viewAll: bool(o.viewAllRecords),
      modifyAll: bool(o.modifyAllRecords)
    };
    // Salesforce implies the lower permissions from the higher ones.
    if (p.modifyAll) Object.assign(p, { read: true, edit: true, delete: true, viewAll: true });
    if (p.viewAll) p.read = true;
    if (p.delete || p.edit) p.read = true;
    if (p.create) p.read = true;
    ps.objects.set(obj, p);
  }
  for (const f of arr<XmlNode>(n.fieldPermissions)) {
    const field = (text(f.field) ?? '').toLowerCase();
    const editable = bool(f.editable);
    const key = field.startsWith('activity.') ? field : field;
    ps.fields.set(key, { readable: bool(f.readable) || editable, editable });
  }
  for (const c of arr<XmlNode>(n.classAccesses))
    if (bool(c.enabled)) ps.classes.add((text(c.apexClass) ?? '').toLowerCase());
  for (const u of arr<XmlNode>(n.userPermissions))
    if (bool(u.enabled)) ps.userPermissions.add(text(u.name) ?? '');
  return ps;
}

export interface EffectivePerms {
  userId: string;
  profileName: string;
  permissionSets: PermissionSetMeta[];
  userPermissions: Set<string>;
  modifyAllData: boolean;
  viewAllData: boolean;
}

export interface PermissionsHost {
  schema: Schema;
  permissionSetMeta: Map<string, PermissionSetMeta>;
  getRecord(id: string): Rec | undefined;
  records(object: string): Iterable<Rec>;
}

export class Permissions {
  private cache = new Map<string, EffectivePerms>();
  constructor(private readonly host: PermissionsHost) {}

  /** Drops cached effective permissions (called after writes to users/assignments and on restore). */
  invalidate(): void {
    this.cache.clear();
  }

  effective(userId: string): EffectivePerms {
    const hit = this.cache.get(userId);
    if (hit) return hit;
    const user = this.host.getRecord(userId);
    const profile = user?.ProfileId ? this.host.getRecord(user.ProfileId as string) : undefined;
    const profileName = (profile?.Name as string | undefined) ?? PROFILE_NAMES.minimum;
    const sets: PermissionSetMeta[] = [];
    for (const psa of this.host.records('PermissionSetAssignment')) {
      if (psa.AssigneeId !== userId || psa.IsDeleted) continue;
      const psRec = this.host.getRecord(psa.PermissionSetId as string);
      const meta = psRec
        ? this.host.permissionSetMeta.get(String(psRec.Name).toLowerCase())
        : undefined;
      if (meta) sets.push(meta);
    }
    const userPermissions = new Set<string>(PROFILE_USER_PERMISSIONS[profileName] ?? []);
    // A profile record created at run time carries its permissions as Permissions* fields.
    if (profile && !(profileName in PROFILE_USER_PERMISSIONS)) {
      for (const [k, v] of Object.entries(profile))
        if (k.startsWith('Permissions') && v === true)
          userPermissions.add(k.slice('Permissions'.length));
    }
    for (const s of sets) for (const p of s.userPermissions) userPermissions.add(p);
    const eff: EffectivePerms = {
      userId,
      profileName,
      permissionSets: sets,
      userPermissions,
      modifyAllData: userPermissions.has('ModifyAllData'),
      viewAllData: userPermissions.has('ViewAllData') || userPermissions.has('ModifyAllData')
    };
    this.cache.set(userId, eff);
    return eff;
  }

  hasUserPermission(userId: string, permission: string): boolean {
    return this.effective(userId).userPermissions.has(permission.replace(/^Permissions/, ''));
  }

  objectAccess(userId: string, objectName: string): ObjectPerms {
    const eff = this.effective(userId);
    const obj = this.host.schema.findObject(objectName);
    if (!obj) return NONE;
    const key = obj.name.toLowerCase();
    if (eff.modifyAllData) return ALL;
    let p: ObjectPerms = { ...NONE };
    if (obj.isCustomMetadata) {
      // Custom metadata types are readable by every user (public types).
      p.read = true;
    } else if (eff.profileName === PROFILE_NAMES.standard) {
      p = { ...(STANDARD_USER_OBJECTS[key] ?? NONE) };
    } else if (key === 'user' || key === 'organization') {
      p.read = true;
    }
    for (const s of eff.permissionSets) {
      const sp = s.objects.get(key);
      if (!sp) continue;
      p = {
        read: p.read || sp.read,
        create: p.create || sp.create,
        edit: p.edit || sp.edit,
        delete: p.delete || sp.delete,
        viewAll: p.viewAll || sp.viewAll,
        modifyAll: p.modifyAll || sp.modifyAll
      };
    }
    if (eff.viewAllData && p.read) p.viewAll = true;
    if (eff.viewAllData) p.read = true;
    if (obj.isPlatformEvent) p.edit = p.delete = false;
    return p;
  }

  fieldAccess(userId: string, objectName: string, fieldName: string): FieldPerms {
    const obj = this.host.schema.findObject(objectName);
    const f = obj?.fields.get(fieldName.toLowerCase());
    if (!obj || !f) return { readable: false, editable: false };
    const op = this.objectAccess(userId, obj.name);
    if (!op.read) return { readable: false, editable: false };
    const canWrite = (f.createable || f.updateable) && (op.edit || op.create);
    const eff = this.effective(userId);
    if (eff.modifyAllData || isFlsExempt(obj, f)) return { readable: true, editable: canWrite };
    if (!f.custom && !obj.custom) {
      // Standard fields of standard objects follow object access for profiles that grant the object.
      const viaProfile =
        eff.profileName === PROFILE_NAMES.standard &&
        STANDARD_USER_OBJECTS[obj.name.toLowerCase()] !== undefined;
      const viaSet = this.fieldFromSets(eff, obj, f);
      if (viaProfile) return { readable: true, editable: canWrite };
      if (viaSet) return { readable: viaSet.readable, editable: viaSet.editable && canWrite };
      // Object granted by a permission set: standard fields outside FLS control are accessible,
      // FLS-controlled ones (optional, writable, not part of the name) need a fieldPermission.
      if (!FLS_OBJECTS.has(obj.name) || !isStandardFlsControlled(f))
        return { readable: true, editable: canWrite };
      return { readable: false, editable: false };
    }
    const fp = this.fieldFromSets(eff, obj, f);
    if (!fp) return { readable: false, editable: false };
    return { readable: fp.readable, editable: fp.editable && canWrite };
  }

  private fieldFromSets(
    eff: EffectivePerms,
    obj: ObjectDescribe,
    f: FieldDescribe
  ): FieldPerms | undefined {
    const keys = [`${obj.name}.${f.name}`.toLowerCase()];
    if (obj.name === 'Event' || obj.name === 'Task') keys.push(`activity.${f.name}`.toLowerCase());
    // Compound address fields (Lead.Address, Contact.MailingAddress…) grant their components.
    const addr =
      /^(Mailing|Other|Billing|Shipping|PersonMailing|PersonOther|)(Street|City|State|PostalCode|Country|Latitude|Longitude|GeocodeAccuracy)$/.exec(
        f.name
      );
    if (addr) keys.push(`${obj.name}.${addr[1]}Address`.toLowerCase());
    let out: FieldPerms | undefined;
    for (const s of eff.permissionSets) {
      for (const k of keys) {
        const fp = s.fields.get(k);
        if (fp)
          out = {
            readable: (out?.readable ?? false) || fp.readable,
            editable: (out?.editable ?? false) || fp.editable
          };
      }
    }
    return out;
  }

  classAccess(userId: string, className: string): boolean {
    const eff = this.effective(userId);
    if (eff.userPermissions.has('AuthorApex') || eff.modifyAllData) return true;
    return eff.permissionSets.some((s) => s.classes.has(className.toLowerCase()));
  }

  /**
   * Record-level access under sharing: 'edit' | 'read' | 'none'.
   * Owner → edit; View All / Modify All; otherwise the org-wide default; ControlledByParent
   * follows the master record (master-detail, Contact → Account); Private activities are readable
   * through their What / Who record.
   */
  recordAccess(userId: string, obj: ObjectDescribe, rec: Rec, depth = 0): 'edit' | 'read' | 'none' {
    const eff = this.effective(userId);
    if (eff.modifyAllData) return 'edit';
    const op = this.objectAccess(userId, obj.name);
    if (op.modifyAll) return 'edit';
    if (obj.hasOwner && rec.OwnerId === userId) return 'edit';
    let access: 'edit' | 'read' | 'none' = 'none';
    switch (obj.sharingModel) {
      case 'ReadWrite':
      case 'ReadWriteTransfer':
      case 'FullAccess':
        access = 'edit';
        break;
      case 'Read':
      case 'PublicReadOnly':
        access = 'read';
        break;
      case 'ControlledByParent': {
        if (depth > 5) break;
        for (const f of obj.fieldList) {
          if (f.type !== 'reference') continue;
          const isParentLink =
            f.masterDetail ||
            (obj.name === 'Contact' && f.name === 'AccountId') ||
            ((obj.name === 'Event' || obj.name === 'Task') &&
              (f.name === 'WhatId' || f.name === 'WhoId'));
          if (!isParentLink || !rec[f.name]) continue;
          const parent = this.host.getRecord(rec[f.name] as string);
          const pObj = parent ? this.host.schema.objectForId(parent.Id as string) : undefined;
          if (!parent || !pObj) continue;
          const a = this.recordAccess(userId, pObj, parent, depth + 1);
          if (a === 'edit') access = 'edit';
          else if (a === 'read' && access === 'none') access = 'read';
        }
        break;
      }
      default:
        access = 'none';
    }
    // Activities with a Private default: readable by users who can read the related record
    // (What / Who); only the owner (and Modify All) may edit.
    if (access === 'none' && (obj.name === 'Event' || obj.name === 'Task') && depth <= 5) {
      for (const k of ['WhatId', 'WhoId']) {
        const rel = rec[k] ? this.host.getRecord(rec[k] as string) : undefined;
        const relObj = rel ? this.host.schema.objectForId(rel.Id as string) : undefined;
        if (rel && relObj && this.recordAccess(userId, relObj, rel, depth + 1) !== 'none')
          access = 'read';
      }
    }
    if (
      obj.isCustomMetadata ||
      obj.name === 'User' ||
      obj.name === 'Organization' ||
      obj.name === 'Profile' ||
      obj.name === 'PermissionSet' ||
      obj.name === 'RecordType'
    ) {
      if (access === 'none') access = 'read';
    }
    if (access === 'none' && (op.viewAll || eff.viewAllData)) access = 'read';
    return access;
  }
}

/** Fields that are not subject to FLS: system fields, the name field, required fields, master-detail fields. */
export function isFlsExempt(obj: ObjectDescribe, f: FieldDescribe): boolean {
  if (f.system || f.name === 'Id' || f.name === 'OwnerId') return true;
  if (f.nameField || f.name === obj.nameField) return true;
  if (f.masterDetail) return true;
  if (f.custom && !f.nillable && f.type !== 'boolean') return true;
  if (obj.isCustomMetadata && !f.custom) return true;
  if (obj.isPlatformEvent && !f.custom) return true;
  return false;
}

/** CRM objects whose optional standard fields are under FLS; other standard objects' fields (User…) are readable with the object. */
const FLS_OBJECTS = new Set(['Account', 'Contact', 'Lead', 'Opportunity', 'Event', 'Task']);

/** Standard fields that are always accessible with their object (no FLS setting exists for them). */
const ALWAYS_ACCESSIBLE = new Set([
  'Id',
  'OwnerId',
  'RecordTypeId',
  'IsConverted',
  'IsUnreadByOwner',
  'IsPersonAccount'
]);

const NAME_PARTS = new Set(['FirstName', 'LastName', 'MiddleName', 'Salutation', 'Suffix', 'Name']);

/**
 * Standard fields whose field-level security an admin can set: optional, writable fields that
 * are not part of the record name. Required, read-only and system fields are always accessible
 * with the object.
 */
export function isStandardFlsControlled(f: FieldDescribe): boolean {
  if (f.custom || f.system || f.compound || f.nameField) return false;
  if (NAME_PARTS.has(f.name) || ALWAYS_ACCESSIBLE.has(f.name)) return false;
  if (!f.createable && !f.updateable) return false;
  if (!f.nillable && f.type !== 'boolean') return false;
  return true;
}
