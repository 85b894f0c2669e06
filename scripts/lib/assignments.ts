/**
 * Which Lightning record page a user actually sees, from retrieved metadata.
 *
 * Lightning App Builder activation writes three kinds of assignment into metadata:
 * - org default:       the object's CustomObject `actionOverrides` (View, formFactor Large, type Flexipage)
 * - app default:       a CustomApplication's `actionOverrides` with `pageOrSobjectType` = the object
 * - app + record type + profile: a CustomApplication's `profileActionOverrides`
 * The most specific assignment wins (app/record type/profile → app default → org default); with
 * none, users see the system default page (no FlexiPage to edit).
 */
import { XMLParser } from 'fast-xml-parser';
import {
  buildElement,
  childElements,
  childText,
  insertElement,
  parseXml,
  positionFor,
  removeElement,
  serializeXml
} from './xml.ts';

export type AssignmentLevel =
  'org-default' | 'app-default' | 'app-profile' | 'app-record-type-profile';

export interface PageAssignment {
  level: AssignmentLevel;
  sobjectType: string;
  page: string;
  formFactor: 'Large' | 'Small' | string;
  app?: string;
  recordType?: string;
  profile?: string;
}

const reader = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  isArray: (name) => name === 'actionOverrides' || name === 'profileActionOverrides'
});

interface OverrideXml {
  actionName?: string;
  content?: string;
  formFactor?: string;
  type?: string;
  pageOrSobjectType?: string;
  recordType?: string;
  profile?: string;
}

function isRecordPageOverride(o: OverrideXml): boolean {
  return (
    o.actionName === 'View' &&
    o.type === 'Flexipage' &&
    typeof o.content === 'string' &&
    o.content !== ''
  );
}

/** Org-default assignments from a CustomObject file (metadata or source format). */
export function objectAssignments(sobjectType: string, objectXml: string): PageAssignment[] {
  const parsed = reader.parse(objectXml) as { CustomObject?: { actionOverrides?: OverrideXml[] } };
  return (parsed.CustomObject?.actionOverrides ?? []).filter(isRecordPageOverride).map((o) => ({
    level: 'org-default',
    sobjectType,
    page: String(o.content),
    formFactor: o.formFactor ?? 'Large'
  }));
}

/** App-default and app/record type/profile assignments from a CustomApplication file. */
export function appAssignments(app: string, appXml: string): PageAssignment[] {
  const parsed = reader.parse(appXml) as {
    CustomApplication?: { actionOverrides?: OverrideXml[]; profileActionOverrides?: OverrideXml[] };
  };
  const result: PageAssignment[] = [];
  for (const o of parsed.CustomApplication?.actionOverrides ?? []) {
    if (!isRecordPageOverride(o) || !o.pageOrSobjectType) continue;
    result.push({
      level: 'app-default',
      sobjectType: o.pageOrSobjectType,
      page: String(o.content),
      formFactor: o.formFactor ?? 'Large',
      app
    });
  }
  for (const o of parsed.CustomApplication?.profileActionOverrides ?? []) {
    if (!isRecordPageOverride(o) || !o.pageOrSobjectType) continue;
    result.push({
      level: o.recordType ? 'app-record-type-profile' : 'app-profile',
      sobjectType: o.pageOrSobjectType,
      page: String(o.content),
      formFactor: o.formFactor ?? 'Large',
      app,
      ...(o.recordType ? { recordType: o.recordType } : {}),
      ...(o.profile ? { profile: o.profile } : {})
    });
  }
  return result;
}

export interface AssignedPage {
  page: string;
  assignments: PageAssignment[];
}

/**
 * The desktop record pages assigned for an object, each with every assignment that points to it
 * (in order: org default, app defaults, app/profile ones). Empty when users see the system default.
 */
export function assignedPages(
  sobjectType: string,
  all: PageAssignment[],
  formFactor = 'Large'
): AssignedPage[] {
  const order: AssignmentLevel[] = [
    'org-default',
    'app-default',
    'app-profile',
    'app-record-type-profile'
  ];
  const relevant = all
    .filter((a) => a.sobjectType === sobjectType && a.formFactor === formFactor)
    .sort((a, b) => order.indexOf(a.level) - order.indexOf(b.level));
  const byPage = new Map<string, PageAssignment[]>();
  for (const a of relevant) byPage.set(a.page, [...(byPage.get(a.page) ?? []), a]);
  return [...byPage.entries()].map(([page, assignments]) => ({ page, assignments }));
}

export interface Viewer {
  app?: string;
  recordType?: string;
  profile?: string;
  formFactor?: string;
}

/**
 * The page a given viewer gets for a record of `sobjectType`, following Salesforce's precedence;
 * undefined means the system default page.
 */
export function effectiveAssignment(
  sobjectType: string,
  all: PageAssignment[],
  viewer: Viewer
): PageAssignment | undefined {
  const formFactor = viewer.formFactor ?? 'Large';
  const mine = all.filter((a) => a.sobjectType === sobjectType && a.formFactor === formFactor);
  const inApp = mine.filter((a) => viewer.app !== undefined && a.app === viewer.app);
  return (
    inApp.find(
      (a) =>
        a.level === 'app-record-type-profile' &&
        a.recordType === viewer.recordType &&
        a.profile === viewer.profile
    ) ??
    inApp.find((a) => a.level === 'app-profile' && a.profile === viewer.profile) ??
    inApp.find((a) => a.level === 'app-default') ??
    mine.find((a) => a.level === 'org-default')
  );
}

/** One line describing an assignment, for reports. */
export function describeAssignment(a: PageAssignment): string {
  switch (a.level) {
    case 'org-default':
      return 'org default';
    case 'app-default':
      return `app default in ${a.app}`;
    case 'app-profile':
      return `${a.app}, profile ${a.profile}`;
    case 'app-record-type-profile':
      return `${a.app}, record type ${a.recordType}, profile ${a.profile ?? 'any'}`;
  }
}

const OBJECT_ORDER = [
  'actionOverrides',
  'allowInChatterGroups',
  'compactLayoutAssignment',
  'compactLayouts',
  'customHelp',
  'customHelpPage',
  'customSettingsType',
  'deploymentStatus',
  'deprecated',
  'description',
  'enableActivities',
  'enableBulkApi',
  'enableEnhancedLookup',
  'enableFeeds',
  'enableHistory',
  'enableReports',
  'enableSearch',
  'enableSharing',
  'enableStreamingApi',
  'externalSharingModel',
  'fields',
  'label',
  'listViews',
  'nameField',
  'pluralLabel',
  'recordTypes',
  'searchLayouts',
  'sharingModel',
  'visibility'
];

/**
 * Makes `page` the org default desktop record page in a CustomObject file (what "Activate → Org
 * Default" in Lightning App Builder writes). Replaces an existing View/Large override; edits
 * nothing else in the file.
 */
export function setOrgDefaultPage(
  objectXml: string,
  page: string
): { xml: string; changed: boolean } {
  const current = objectAssignments('x', objectXml).find((a) => a.formFactor === 'Large');
  if (current?.page === page) return { xml: objectXml, changed: false };
  const doc = parseXml(objectXml);
  for (const override of childElements(doc.root, 'actionOverrides')) {
    const formFactor = childText(override, 'formFactor') ?? 'Large';
    if (childText(override, 'actionName') === 'View' && formFactor === 'Large')
      removeElement(doc.root, override);
  }
  const element = buildElement(
    {
      actionOverrides: [
        { actionName: 'View' },
        { content: page },
        { formFactor: 'Large' },
        { skipRecordTypeSelect: 'false' },
        { type: 'Flexipage' }
      ]
    },
    1,
    doc.indentUnit
  );
  const views = childElements(doc.root, 'actionOverrides');
  // Keep actionOverrides in the order Salesforce writes them (by action name).
  const key = (o: (typeof views)[number]) =>
    `${childText(o, 'actionName') ?? ''}\u0000${childText(o, 'formFactor') ?? ''}`;
  const after = views.filter((o) => key(o) < 'View\u0000Large').length;
  const position =
    views.length > 0
      ? childElements(doc.root).indexOf(views[0]) + after
      : positionFor(doc.root, 'actionOverrides', OBJECT_ORDER);
  insertElement(doc.root, element, position, 0, doc.indentUnit);
  return { xml: serializeXml(doc), changed: true };
}
