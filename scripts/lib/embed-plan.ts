/**
 * Embedding planned over retrieved metadata (pure): for each object, the record pages actually
 * assigned (org default, app default, app/record type/profile), the edit of each, and — for an
 * object still on the system default page — a new page activated as the org default.
 */
import { createTwoFilesPatch } from 'diff';
import {
  appAssignments,
  assignedPages,
  describeAssignment,
  objectAssignments,
  setOrgDefaultPage,
  type PageAssignment
} from './assignments.ts';
import type { Member } from './backup-plan.ts';
import {
  COMPONENT_NAME,
  defaultPageName,
  embedComponent,
  newRecordPage,
  unembedComponent,
  type EmbedOptions
} from './flexipage.ts';

export const RECORD_OBJECTS = ['Lead', 'Contact', 'Account', 'Opportunity'] as const;

export interface DiscoveredMetadata {
  /** CustomObject files (Metadata API format) by object name. */
  objects: Record<string, string>;
  /** CustomApplication files by app name. */
  apps: Record<string, string>;
  /** FlexiPage files by page name (the assigned ones that exist). */
  pages: Record<string, string>;
}

export type PageAction = 'edit' | 'create' | 'unchanged' | 'skip';

export interface PageChange {
  object: string;
  page: string;
  action: PageAction;
  /** Where the page is assigned, in words. */
  assignedAs: string[];
  message: string;
  region?: string;
  before: string | null;
  after: string | null;
}

export interface ObjectChange {
  object: string;
  message: string;
  before: string;
  after: string;
}

export interface EmbedPlan {
  pages: PageChange[];
  objects: ObjectChange[];
}

export const flexiPagePath = (name: string) => `flexipages/${name}.flexipage`;
export const objectPath = (name: string) => `objects/${name}.object`;

export function allAssignments(meta: DiscoveredMetadata): PageAssignment[] {
  return [
    ...Object.entries(meta.objects).flatMap(([name, xml]) => objectAssignments(name, xml)),
    ...Object.entries(meta.apps).flatMap(([name, xml]) => appAssignments(name, xml))
  ];
}

/** Which pages to retrieve after discovery: every desktop page assigned for the objects. */
export function pagesToRetrieve(
  objects: readonly string[],
  meta: Pick<DiscoveredMetadata, 'objects' | 'apps'>
): string[] {
  const all = allAssignments({ ...meta, pages: {} });
  return [...new Set(objects.flatMap((o) => assignedPages(o, all).map((p) => p.page)))].sort();
}

export interface PlanOptions extends EmbedOptions {
  /** Label pattern for created pages. */
  newPageLabel?: (object: string) => string;
}

export function planEmbed(
  objects: readonly string[],
  meta: DiscoveredMetadata,
  options: PlanOptions = {}
): EmbedPlan {
  const all = allAssignments(meta);
  const plan: EmbedPlan = { pages: [], objects: [] };
  for (const object of objects) {
    const assigned = assignedPages(object, all);
    if (assigned.length === 0) {
      const page = defaultPageName(object);
      const objectXml = meta.objects[object];
      if (objectXml === undefined) {
        plan.pages.push({
          object,
          page,
          action: 'skip',
          assignedAs: ['none (system default page)'],
          message: `${object} uses the system default page, but its object definition could not be retrieved, so no page can be activated for it; skipped`,
          before: null,
          after: null
        });
        continue;
      }
      const xml = newRecordPage({
        sobjectType: object,
        masterLabel: options.newPageLabel?.(object) ?? `${object} Record Page (Coconut)`,
        description:
          'Created by the Coconut install tooling: the standard record page layout with Coconut appointments in the sidebar.',
        properties: options.properties
      });
      plan.pages.push({
        object,
        page,
        action: 'create',
        assignedAs: ['org default (new)'],
        message: `${object} uses the system default page: create ${page} from the standard template with ${COMPONENT_NAME} in the sidebar, and activate it as the org default`,
        region: 'sidebar',
        before: null,
        after: xml
      });
      const activated = setOrgDefaultPage(objectXml, page);
      plan.objects.push({
        object,
        message: `activate ${page} as the ${object} org default`,
        before: objectXml,
        after: activated.xml
      });
      continue;
    }
    for (const { page, assignments } of assigned) {
      const assignedAs = assignments.map(describeAssignment);
      const xml = meta.pages[page];
      if (xml === undefined) {
        plan.pages.push({
          object,
          page,
          action: 'skip',
          assignedAs,
          message: `${page} is assigned but could not be retrieved; skipped`,
          before: null,
          after: null
        });
        continue;
      }
      const edit = embedComponent(xml, options);
      plan.pages.push({
        object,
        page,
        action: edit.changed ? 'edit' : 'unchanged',
        assignedAs,
        message: edit.message,
        region: edit.region,
        before: xml,
        after: edit.xml
      });
    }
  }
  return plan;
}

export function planUnembed(objects: readonly string[], meta: DiscoveredMetadata): EmbedPlan {
  const all = allAssignments(meta);
  const plan: EmbedPlan = { pages: [], objects: [] };
  for (const object of objects) {
    for (const { page, assignments } of assignedPages(object, all)) {
      const assignedAs = assignments.map(describeAssignment);
      const xml = meta.pages[page];
      if (xml === undefined) {
        plan.pages.push({
          object,
          page,
          action: 'skip',
          assignedAs,
          message: `${page} could not be retrieved; skipped`,
          before: null,
          after: null
        });
        continue;
      }
      const edit = unembedComponent(xml);
      plan.pages.push({
        object,
        page,
        action: edit.changed ? 'edit' : 'unchanged',
        assignedAs,
        message: edit.message,
        region: edit.region,
        before: xml,
        after: edit.xml
      });
    }
  }
  return plan;
}

/** The files a plan deploys (Metadata API paths → content). */
export function planFiles(plan: EmbedPlan): Map<string, string> {
  const files = new Map<string, string>();
  for (const p of plan.pages)
    if ((p.action === 'edit' || p.action === 'create') && p.after !== null)
      files.set(flexiPagePath(p.page), p.after);
  for (const o of plan.objects) if (o.after !== o.before) files.set(objectPath(o.object), o.after);
  return files;
}

/** Components the plan changes (what a backup before it must hold). */
export function planMembers(plan: EmbedPlan): Member[] {
  return [
    ...plan.pages
      .filter((p) => p.action === 'edit' || p.action === 'create')
      .map((p) => ({ type: 'FlexiPage', fullName: p.page })),
    ...plan.objects
      .filter((o) => o.after !== o.before)
      .map((o) => ({ type: 'CustomObject', fullName: o.object }))
  ];
}

/**
 * Everything embed or unembed could change for these objects: every assigned page (changed or
 * not), pages to be created, and objects whose org default would be set. What `backup` keeps.
 */
export function planScope(plan: EmbedPlan): Member[] {
  return [
    ...plan.pages
      .filter((p) => p.action !== 'skip')
      .map((p) => ({ type: 'FlexiPage', fullName: p.page })),
    ...plan.objects.map((o) => ({ type: 'CustomObject', fullName: o.object }))
  ];
}

export function hasChanges(plan: EmbedPlan): boolean {
  return planFiles(plan).size > 0;
}

/** Unified diff of everything the plan changes. */
export function planDiff(plan: EmbedPlan): string {
  const parts: string[] = [];
  for (const p of plan.pages) {
    if (p.action !== 'edit' && p.action !== 'create') continue;
    const path = flexiPagePath(p.page);
    parts.push(
      createTwoFilesPatch(
        p.before === null ? '/dev/null' : `a/${path}`,
        `b/${path}`,
        p.before ?? '',
        p.after ?? '',
        undefined,
        undefined,
        { context: 3 }
      )
    );
  }
  for (const o of plan.objects) {
    if (o.after === o.before) continue;
    const path = objectPath(o.object);
    parts.push(
      createTwoFilesPatch(`a/${path}`, `b/${path}`, o.before, o.after, undefined, undefined, {
        context: 3
      })
    );
  }
  return parts.join('');
}

export function formatPlan(plan: EmbedPlan): string {
  const lines: string[] = [];
  for (const p of plan.pages) {
    const verb = { edit: 'change', create: 'create', unchanged: 'no change', skip: 'skip' }[
      p.action
    ];
    lines.push(`${p.object}: ${p.page} [${verb}] — ${p.message}`);
    lines.push(`    assigned as: ${p.assignedAs.join('; ')}`);
  }
  for (const o of plan.objects) if (o.after !== o.before) lines.push(`${o.object}: ${o.message}`);
  return lines.join('\n');
}
