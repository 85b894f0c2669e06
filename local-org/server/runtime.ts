// The org behind the server: the data layer's Org loaded from the metadata store, its
// records persisted under the data directory, and the users the server signs in as.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Org } from '../data/org.ts';
import { PROFILE_PERMISSION_FIELDS } from '../data/standard-objects.ts';
import type { DataOrg } from './backend.ts';
import { MetadataStore } from './metadata-store.ts';
import { readJsonFile, writeFileAtomic } from './state-file.ts';

export interface UserSpec {
  alias?: string;
  username: string;
  firstName?: string;
  lastName?: string;
  email?: string;
  profile: string;
  permissionSets: string[];
  /** The user the OAuth client-credentials flow runs as. */
  clientCredentials?: boolean;
  /** Enables the OAuth password grant for this user (local, throwaway credentials only). */
  password?: string;
}

/** The shape of the org: its Organization record (what `SELECT … FROM Organization` returns). */
export interface OrgShape {
  /** Organization.OrganizationType, e.g. "Developer Edition", "Enterprise Edition". */
  edition: string;
  isSandbox: boolean;
  /** Organization.TrialExpirationDate (scratch and trial orgs); null = none. */
  trialExpirationDate: string | null;
}

/** Organization.OrganizationType values Salesforce reports. */
export const EDITIONS = [
  'Base Edition',
  'Contact Manager Edition',
  'Developer Edition',
  'Enterprise Edition',
  'Essentials Edition',
  'Group Edition',
  'Performance Edition',
  'Personal Edition',
  'Professional Edition',
  'Team Edition',
  'Unlimited Edition'
] as const;

export const DEFAULT_ORG_SHAPE: OrgShape = {
  edition: 'Developer Edition',
  isSandbox: false,
  trialExpirationDate: null
};

export interface LocalOrgConfig {
  users: UserSpec[];
  /** Organization fields from the config's `org` key (unset keys keep the defaults). */
  org: Partial<OrgShape>;
}

/**
 * Checks and normalises org shape options (from local-org.config.json or the command line):
 * a known edition, a boolean sandbox flag, a trial expiration date as `YYYY-MM-DD` or an ISO
 * date-time (stored as a UTC date-time, as the field is a datetime).
 */
export function normaliseOrgShape(raw: Record<string, unknown>, where: string): Partial<OrgShape> {
  const out: Partial<OrgShape> = {};
  for (const key of Object.keys(raw)) {
    if (!['edition', 'isSandbox', 'trialExpirationDate'].includes(key)) {
      throw new Error(
        `${where}: unknown org option "${key}" (known: edition, isSandbox, trialExpirationDate)`
      );
    }
  }
  if (raw.edition !== undefined) {
    const edition = String(raw.edition);
    if (!(EDITIONS as readonly string[]).includes(edition)) {
      throw new Error(`${where}: edition "${edition}" is not one of ${EDITIONS.join(', ')}`);
    }
    out.edition = edition;
  }
  if (raw.isSandbox !== undefined) {
    if (typeof raw.isSandbox !== 'boolean')
      throw new Error(`${where}: isSandbox must be true or false`);
    out.isSandbox = raw.isSandbox;
  }
  if (raw.trialExpirationDate !== undefined) {
    const value = raw.trialExpirationDate;
    if (value === null || value === '') out.trialExpirationDate = null;
    else {
      const text = String(value);
      const date = /^\d{4}-\d{2}-\d{2}$/.test(text)
        ? new Date(`${text}T00:00:00.000Z`)
        : new Date(text);
      if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(date.getTime())) {
        throw new Error(`${where}: trialExpirationDate "${text}" is not a date (YYYY-MM-DD)`);
      }
      out.trialExpirationDate = date.toISOString();
    }
  }
  return out;
}

export const CONFIG_FILE = 'local-org.config.json';

/**
 * Records are written this long after the first change of a burst: a crash loses at most
 * this much (never corrupts the file), and a busy org is not re-serialised per request.
 */
const PERSIST_DELAY_MS = Number(process.env.LOCAL_ORG_PERSIST_DELAY_MS ?? 250);

export const DEFAULT_USERS: UserSpec[] = [
  {
    alias: 'admin',
    username: 'admin@local-org.invalid',
    profile: 'System Administrator',
    permissionSets: []
  },
  {
    alias: 'integration',
    username: 'integration@local-org.invalid',
    profile: 'Minimum Access - Salesforce',
    permissionSets: [],
    clientCredentials: true
  }
];

/** Reads the project's local-org.config.json, if any, and applies `--assign user=ps1,ps2`. */
export function loadConfig(projectDir: string, assign: string[] = []): LocalOrgConfig {
  const file = join(projectDir, CONFIG_FILE);
  let org: Partial<OrgShape> = {};
  let users: UserSpec[] = DEFAULT_USERS.map((u) => ({
    ...u,
    permissionSets: [...u.permissionSets]
  }));
  if (existsSync(file)) {
    const json = JSON.parse(readFileSync(file, 'utf8')) as Partial<LocalOrgConfig>;
    if (!Array.isArray(json.users) || json.users.length === 0) {
      throw new Error(`${file}: "users" must be a non-empty array`);
    }
    users = json.users.map((u) => ({ ...u, permissionSets: [...(u.permissionSets ?? [])] }));
    if (json.org !== undefined) {
      if (typeof json.org !== 'object' || json.org === null || Array.isArray(json.org)) {
        throw new Error(`${file}: "org" must be an object`);
      }
      org = normaliseOrgShape(json.org as Record<string, unknown>, `${file} org`);
    }
  }
  for (const a of assign) {
    const m = /^([^=]+)=(.*)$/.exec(a);
    if (!m) throw new Error(`--assign ${a}: expected <user>=<permset>[,<permset>…]`);
    const who = m[1]!.trim().toLowerCase();
    const user = users.find(
      (u) => u.alias?.toLowerCase() === who || u.username.toLowerCase() === who
    );
    if (!user)
      throw new Error(
        `--assign ${a}: no user "${m[1]}" (known: ${users.map((u) => u.alias ?? u.username).join(', ')})`
      );
    for (const ps of m[2]!
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      if (!user.permissionSets.includes(ps)) user.permissionSets.push(ps);
    }
  }
  if (!users.some((u) => u.profile === 'System Administrator')) {
    throw new Error('local-org needs one user with the System Administrator profile');
  }
  return { users, org };
}

export class OrgRuntime {
  org: Org;
  readonly store: MetadataStore;
  readonly dataDir: string;
  private persistTimer: NodeJS.Timeout | undefined;
  private dirty = false;

  private constructor(org: Org, store: MetadataStore, dataDir: string) {
    this.org = org;
    this.store = store;
    this.dataDir = dataDir;
  }

  get data(): DataOrg {
    return this.org;
  }

  private static stateFile(dataDir: string): string {
    return join(dataDir, 'org-state.json');
  }

  /** Opens (or, with `fresh`, recreates) the org in `dataDir` and deploys the project's source into it. */
  static async open(projectDir: string, dataDir: string, fresh: boolean): Promise<OrgRuntime> {
    if (fresh) {
      rmSync(join(dataDir, 'metadata'), { recursive: true, force: true });
      rmSync(OrgRuntime.stateFile(dataDir), { force: true });
      rmSync(join(dataDir, 'auth.json'), { force: true });
    }
    mkdirSync(dataDir, { recursive: true });
    const store = new MetadataStore(join(dataDir, 'metadata'));
    if (!store.exists()) {
      store.initFrom(projectDir);
    } else {
      // Deploy the project's current source over what the org holds (like `sf project deploy`).
      store.overlayFrom(projectDir);
    }
    const org = await Org.load(store.dir);
    const saved = readJsonFile<ReturnType<Org['toJSON']>>(OrgRuntime.stateFile(dataDir));
    if (saved) {
      org.loadJSON(saved);
      syncPermissionSetRecords(org);
    }
    return new OrgRuntime(org, store, dataDir);
  }

  /** Loads a new schema from `storeDir` keeping every record (after a deploy). */
  async reloadFrom(storeDir: string): Promise<Org> {
    const next = await Org.load(storeDir);
    next.loadJSON(this.org.toJSON());
    syncPermissionSetRecords(next);
    return next;
  }

  replaceOrg(next: Org): void {
    this.org = next;
    this.changed();
  }

  /** Schedules a crash-safe write of the records (coalescing bursts of changes). */
  changed(): void {
    this.dirty = true;
    if (this.persistTimer) return;
    this.persistTimer = setTimeout(() => {
      this.persistTimer = undefined;
      this.flush();
    }, PERSIST_DELAY_MS);
    this.persistTimer.unref();
  }

  flush(): void {
    if (this.persistTimer) {
      clearTimeout(this.persistTimer);
      this.persistTimer = undefined;
    }
    if (!this.dirty) return;
    this.dirty = false;
    writeFileAtomic(OrgRuntime.stateFile(this.dataDir), JSON.stringify(this.org.toJSON()));
  }

  /** Sets the Organization record's edition, sandbox flag and trial expiration date. */
  applyOrgShape(shape: OrgShape): void {
    const org = this.org;
    const current = org.getRecord(org.orgId);
    if (!current) throw new Error('local-org: the Organization record is missing');
    org.store.put('Organization', {
      ...current,
      OrganizationType: shape.edition,
      IsSandbox: shape.isSandbox,
      TrialExpirationDate: shape.trialExpirationDate
    });
    this.changed();
  }

  orgShape(): OrgShape {
    const rec = this.org.getRecord(this.org.orgId);
    return {
      edition: String(rec?.OrganizationType ?? DEFAULT_ORG_SHAPE.edition),
      isSandbox: rec?.IsSandbox === true,
      trialExpirationDate: (rec?.TrialExpirationDate as string | null | undefined) ?? null
    };
  }

  /**
   * Creates (or updates) the configured users and their permission set assignments.
   * Returns the data-layer ids by username.
   */
  ensureUsers(specs: UserSpec[]): Map<string, string> {
    const org = this.org;
    const sys = { mode: 'system' as const };
    const ids = new Map<string, string>();
    const profiles = new Map<string, string>(
      org
        .query('SELECT Id, Name FROM Profile', {}, sys)
        .records.map((r) => [String(r.Name), String(r.Id)])
    );
    const permsets = new Map<string, string>(
      org
        .query('SELECT Id, Name FROM PermissionSet', {}, sys)
        .records.map((r) => [String(r.Name).toLowerCase(), String(r.Id)])
    );
    let adminTaken = false;
    for (const spec of specs) {
      const profileId = profiles.get(spec.profile);
      if (!profileId) {
        throw new Error(
          `User ${spec.username}: no profile "${spec.profile}" (local-org has: ${[...profiles.keys()].join(', ')})`
        );
      }
      const existing = org.query(
        'SELECT Id FROM User WHERE Username = :u',
        { u: spec.username },
        sys
      ).records[0];
      let id: string;
      const [first, ...rest] = (spec.alias ?? spec.username.split('@')[0]!).split(/[._-]/);
      const fields = {
        Username: spec.username,
        FirstName: spec.firstName ?? capitalise(first ?? 'Local'),
        LastName: spec.lastName ?? (rest.length ? capitalise(rest.join(' ')) : 'User'),
        Email: spec.email ?? spec.username,
        ProfileId: profileId
      };
      if (existing) {
        id = String(existing.Id);
        check(org.update('User', [{ Id: id, ...fields }], sys), `update user ${spec.username}`);
      } else if (spec.profile === 'System Administrator' && !adminTaken) {
        // The org comes with one admin; the first configured admin becomes that user.
        id = org.adminUserId;
        check(org.update('User', [{ Id: id, ...fields }], sys), `update user ${spec.username}`);
      } else {
        const alias =
          (spec.alias ?? spec.username).replace(/[^A-Za-z0-9]/g, '').slice(0, 8) || 'user';
        const res = org.insert(
          'User',
          [
            {
              ...fields,
              Alias: alias,
              CommunityNickname: `${alias}${ids.size}`,
              IsActive: true,
              TimeZoneSidKey: 'America/Los_Angeles',
              LocaleSidKey: 'en_US',
              LanguageLocaleKey: 'en_US',
              EmailEncodingKey: 'UTF-8'
            }
          ],
          sys
        );
        check(res, `create user ${spec.username}`);
        id = res[0]!.id!;
      }
      if (spec.profile === 'System Administrator') adminTaken = true;
      ids.set(spec.username, id);
      const assigned = new Set(
        org
          .query(
            'SELECT PermissionSetId FROM PermissionSetAssignment WHERE AssigneeId = :id',
            { id },
            sys
          )
          .records.map((r) => String(r.PermissionSetId))
      );
      for (const ps of spec.permissionSets) {
        const psId = permsets.get(ps.toLowerCase());
        if (!psId) {
          throw new Error(
            `User ${spec.username}: permission set "${ps}" is not in the project (have: ${[...permsets.keys()].join(', ') || 'none'})`
          );
        }
        if (assigned.has(psId)) continue;
        check(
          org.insert('PermissionSetAssignment', [{ AssigneeId: id, PermissionSetId: psId }], sys),
          `assign ${ps} to ${spec.username}`
        );
      }
    }
    this.changed();
    return ids;
  }
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function check(results: { success: boolean; errors: { message: string }[] }[], what: string): void {
  const failed = results.find((r) => !r.success);
  if (failed)
    throw new Error(
      `local-org: could not ${what}: ${failed.errors.map((e) => e.message).join('; ')}`
    );
}

/** Permission sets deployed after the records were saved get their PermissionSet record. */
function syncPermissionSetRecords(org: Org): void {
  const have = new Map(
    org
      .query('SELECT Id, Name FROM PermissionSet', {}, { mode: 'system' })
      .records.map((r) => [String(r.Name).toLowerCase(), String(r.Id)])
  );
  for (const ps of org.permissionSetMeta.values()) {
    // Permissions* fields follow the deployed userPermissions (e.g. ApiEnabled).
    const perms: Record<string, boolean> = {};
    for (const p of PROFILE_PERMISSION_FIELDS)
      perms[p] = ps.userPermissions.has(p.slice('Permissions'.length));
    const id = have.get(ps.name.toLowerCase());
    const current = id ? org.getRecord(id) : undefined;
    if (current) {
      org.store.put('PermissionSet', { ...current, ...perms });
      continue;
    }
    org.seedRecord('PermissionSet', {
      Name: ps.name,
      Label: ps.label,
      IsOwnedByProfile: false,
      ...perms
    });
  }
  org.permissions.invalidate();
}
