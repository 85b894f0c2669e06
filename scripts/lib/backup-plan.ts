/**
 * Backup and restore planning (pure): what a backup holds, and what a restore must redeploy and
 * delete to put the org back as it was.
 *
 * A backup folder `backups/<orgId>/<timestamp>/` holds
 *   metadata/            the retrieved components in Metadata API format (with its package.xml),
 *                        byte for byte as the org returned them
 *   package.xml          the components that existed (and are in metadata/)
 *   manifest.json        the BackupManifest below: what was asked for, what existed, what did not
 */
import { escapeXml } from './xml.ts';

export interface Member {
  type: string;
  fullName: string;
}

export interface BackupManifest {
  formatVersion: 1;
  orgId: string;
  orgName?: string;
  username?: string;
  instanceUrl?: string;
  apiVersion: string;
  createdAt: string;
  /** What the backup was taken for: 'deploy', 'embed', 'unembed', 'manual'. */
  purpose: string;
  /** Content hash of the package build about to be deployed, when relevant. */
  packageHash?: string;
  requested: Member[];
  /** Components that existed and are in metadata/. */
  existed: Member[];
  /** Components that did not exist: a restore deletes them if they exist by then. */
  absent: Member[];
}

export const key = (m: Member) => `${m.type}:${m.fullName}`;

export function sortMembers(members: Member[]): Member[] {
  const unique = new Map(members.map((m) => [key(m), m]));
  return [...unique.values()].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** Splits what was requested into what the retrieve returned (existed) and the rest (absent). */
export function classifyRetrieved(
  requested: Member[],
  retrieved: Member[]
): { existed: Member[]; absent: Member[] } {
  const got = new Set(retrieved.map(key));
  // A component retrieved as part of its parent (e.g. a field inside its object) counts as existing.
  const existed = requested.filter((m) => got.has(key(m)));
  const absent = requested.filter((m) => !got.has(key(m)));
  return { existed: sortMembers(existed), absent: sortMembers(absent) };
}

/** Objects Salesforce defines: never deleted by a restore (only their custom children are). */
export function isStandardObject(name: string): boolean {
  return !name.includes('__');
}

/** Metadata types whose members can be deleted through destructive changes. */
const NOT_DELETABLE = new Set(['StandardValueSet', 'Settings']);

export interface RestorePlan {
  redeploy: Member[];
  delete: Member[];
  /** Components that did not exist at backup time and still do not: nothing to do. */
  unchanged: Member[];
  /** Things a restore cannot put back, said plainly. */
  notes: string[];
}

/**
 * What a restore does: redeploy everything that existed (as backed up), delete what was absent
 * at backup time but exists now. Children of an object being deleted go with it and are not
 * listed separately.
 */
export function planRestore(manifest: BackupManifest, existsNow: Member[]): RestorePlan {
  const now = new Set(existsNow.map(key));
  const added = manifest.absent.filter((m) => now.has(key(m)));
  const notes: string[] = [];
  const deletable = added.filter((m) => {
    if (m.type === 'CustomObject' && isStandardObject(m.fullName)) {
      notes.push(
        `${m.fullName} is a standard object and cannot be deleted; its custom fields are.`
      );
      return false;
    }
    if (NOT_DELETABLE.has(m.type)) {
      notes.push(
        `${key(m)} cannot be deleted through the Metadata API; remove it in Setup if needed.`
      );
      return false;
    }
    return true;
  });
  const deletedObjects = new Set(
    deletable.filter((m) => m.type === 'CustomObject').map((m) => m.fullName)
  );
  const toDelete = deletable.filter((m) => {
    const dot = m.fullName.indexOf('.');
    return !(dot > 0 && m.type !== 'CustomObject' && deletedObjects.has(m.fullName.slice(0, dot)));
  });
  if (toDelete.some((m) => m.type === 'CustomObject')) {
    notes.push(
      'Deleted custom objects stay in the Recycle Bin (Setup → Deleted Objects) for 15 days with their data; erase them there to reuse the names.'
    );
  }
  notes.push(
    'Records (appointments, sync logs) and permission set assignments are data, not metadata: a restore does not bring back deleted data.'
  );
  return {
    redeploy: sortMembers(manifest.existed),
    delete: sortMembers(toDelete),
    unchanged: sortMembers(manifest.absent.filter((m) => !now.has(key(m)))),
    notes
  };
}

/** A package.xml (or destructiveChanges.xml) listing `members`, types and members sorted. */
export function packageXml(members: Member[], apiVersion?: string): string {
  const byType = new Map<string, string[]>();
  for (const m of sortMembers(members))
    byType.set(m.type, [...(byType.get(m.type) ?? []), m.fullName]);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<Package xmlns="http://soap.sforce.com/2006/04/metadata">'
  ];
  for (const type of [...byType.keys()].sort()) {
    lines.push('    <types>');
    for (const name of byType.get(type) ?? [])
      lines.push(`        <members>${escapeXml(name)}</members>`);
    lines.push(`        <name>${type}</name>`);
    lines.push('    </types>');
  }
  if (apiVersion) lines.push(`    <version>${apiVersion}</version>`);
  lines.push('</Package>', '');
  return lines.join('\n');
}

export function formatRestorePlan(plan: RestorePlan, manifest: BackupManifest): string {
  const lines = [
    `Restore of ${manifest.orgName ?? manifest.orgId} to the backup taken ${manifest.createdAt} (before ${manifest.purpose}):`,
    ''
  ];
  lines.push(`Redeploy as backed up (${plan.redeploy.length}):`);
  for (const m of plan.redeploy) lines.push(`  ${key(m)}`);
  if (plan.redeploy.length === 0) lines.push('  (nothing)');
  lines.push(`Delete, added since the backup (${plan.delete.length}):`);
  for (const m of plan.delete) lines.push(`  ${key(m)}`);
  if (plan.delete.length === 0) lines.push('  (nothing)');
  if (plan.notes.length) {
    lines.push('', 'Note:');
    for (const n of plan.notes) lines.push(`  - ${n}`);
  }
  return lines.join('\n');
}

/** `backups/<orgId>/<timestamp>` with a filesystem-safe UTC timestamp. */
export function backupFolderName(date: Date): string {
  return date.toISOString().replace(/[:.]/g, '-');
}
