/**
 * FlexiPage (Lightning page) edits: put the appointments component on a record page, take it off
 * again, and create a record page when the object still uses the system default.
 *
 * Edits are splices into the order-preserving XML tree (./xml.ts): the rest of the page comes out
 * byte for byte as it was, and running an edit twice changes nothing the second time.
 */
import {
  buildElement,
  childElements,
  childText,
  firstChild,
  insertElement,
  parseXml,
  positionFor,
  removeElement,
  roundTrips,
  serializeXml,
  textOf,
  type ElementSpec,
  type XmlDocument,
  type XmlNode
} from './xml.ts';

export const COMPONENT_NAME = 'coconutAppointments';
export const STANDARD_TEMPLATE = 'flexipage:recordHomeTemplateDesktop';

/** Element order of FlexiPageRegion and FlexiPage in the Metadata API (alphabetical). */
const REGION_ORDER = [
  'appendable',
  'itemInstances',
  'mode',
  'name',
  'prependable',
  'replaceable',
  'type'
];
const PAGE_ORDER = [
  'description',
  'events',
  'flexiPageRegions',
  'masterLabel',
  'parentFlexiPage',
  'platformActionList',
  'sobjectType',
  'template',
  'type'
];

/** Regions each record-page template declares, used when the page XML has no element for one yet. */
export const TEMPLATE_REGIONS: Record<string, string[]> = {
  'flexipage:recordHomeTemplateDesktop': ['header', 'main', 'sidebar'],
  'flexipage:recordHomeThreeColTemplateDesktop': ['header', 'leftsidebar', 'main', 'rightsidebar'],
  'flexipage:recordHomeTwoColEqualHeaderTemplateDesktop': ['header', 'leftcol', 'rightcol'],
  'flexipage:recordHomeSingleColTemplateDesktop': ['header', 'main'],
  'flexipage:recordHomeSingleColNoHeaderTemplateDesktop': ['main']
};

/** Where the component goes when no region is chosen: the first of these the page has. */
const PREFERRED_REGIONS = ['sidebar', 'rightsidebar', 'rightcol', 'main'];

export interface ComponentPlacement {
  region: string;
  regionType: string;
  identifier: string;
  index: number;
}

export interface RegionInfo {
  name: string;
  type: string;
  /** Title of the tab whose body this facet is, when it is one. */
  tabTitle?: string;
  components: { componentName: string; identifier: string }[];
}

export interface FlexiPageSummary {
  masterLabel?: string;
  sobjectType?: string;
  type?: string;
  template?: string;
  regions: RegionInfo[];
}

export class FlexiPageError extends Error {}

/** `c:name` (the default namespace written out) and `name` are the same component. */
export function sameComponent(a: string, b: string): boolean {
  const bare = (n: string) => n.replace(/^c:/, '');
  return bare(a) === bare(b);
}

function regionsOf(doc: XmlDocument): XmlNode[] {
  return childElements(doc.root, 'flexiPageRegions');
}

function componentOf(item: XmlNode): XmlNode | undefined {
  return firstChild(item, 'componentInstance');
}

function propertyValue(component: XmlNode, name: string): string | undefined {
  for (const prop of childElements(component, 'componentInstanceProperties')) {
    if (childText(prop, 'name') === name) return childText(prop, 'value');
  }
  return undefined;
}

export function describeFlexiPage(xml: string): FlexiPageSummary {
  const doc = parseXml(xml);
  if (doc.root && Object.keys(doc.root)[0] !== 'FlexiPage')
    throw new FlexiPageError('not a FlexiPage');
  const tabTitles = new Map<string, string>();
  const regions: RegionInfo[] = regionsOf(doc).map((region) => {
    const components = childElements(region, 'itemInstances')
      .map(componentOf)
      .filter((c): c is XmlNode => c !== undefined)
      .map((component) => {
        const componentName = childText(component, 'componentName') ?? '';
        if (componentName === 'flexipage:tab') {
          const body = propertyValue(component, 'body');
          const title = propertyValue(component, 'title');
          if (body && title) tabTitles.set(body, title);
        }
        return { componentName, identifier: childText(component, 'identifier') ?? '' };
      });
    return {
      name: childText(region, 'name') ?? '',
      type: childText(region, 'type') ?? 'Region',
      components
    };
  });
  for (const region of regions) {
    const title = tabTitles.get(region.name);
    if (title) region.tabTitle = title;
  }
  const template = firstChild(doc.root, 'template');
  return {
    masterLabel: childText(doc.root, 'masterLabel'),
    sobjectType: childText(doc.root, 'sobjectType'),
    type: childText(doc.root, 'type'),
    template: template ? childText(template, 'name') : undefined,
    regions
  };
}

/** Every place the component already sits on the page (any region or tab facet). */
export function findComponent(xml: string, componentName = COMPONENT_NAME): ComponentPlacement[] {
  const summary = describeFlexiPage(xml);
  const found: ComponentPlacement[] = [];
  for (const region of summary.regions) {
    region.components.forEach((component, index) => {
      if (sameComponent(component.componentName, componentName)) {
        found.push({
          region: region.name,
          regionType: region.type,
          identifier: component.identifier,
          index
        });
      }
    });
  }
  return found;
}

export interface EmbedOptions {
  componentName?: string;
  /** Region name, facet name, or the title of a tab (its facet is used). Default: sidebar-like region. */
  region?: string;
  position?: 'top' | 'bottom';
  identifier?: string;
  properties?: Record<string, string>;
}

export interface EditResult {
  xml: string;
  changed: boolean;
  /** What the edit did, or why it did nothing, in one sentence. */
  message: string;
  region?: string;
}

function resolveRegion(
  summary: FlexiPageSummary,
  wanted: string | undefined
): { name: string; exists: boolean } {
  const names = summary.regions.map((r) => r.name);
  if (wanted) {
    if (names.includes(wanted)) return { name: wanted, exists: true };
    const tab = summary.regions.find(
      (r) => r.tabTitle === wanted || r.tabTitle === `Standard.Tab.${wanted}`
    );
    if (tab) return { name: tab.name, exists: true };
    const declared = TEMPLATE_REGIONS[summary.template ?? ''] ?? [];
    if (declared.includes(wanted)) return { name: wanted, exists: false };
    const available = [
      ...names.map((n) => {
        const r = summary.regions.find((x) => x.name === n);
        return r?.tabTitle ? `${n} (tab "${r.tabTitle}")` : n;
      }),
      ...declared.filter((n) => !names.includes(n))
    ];
    throw new FlexiPageError(
      `region "${wanted}" is not on this page (template ${summary.template ?? 'unknown'}); choose one of: ${available.join(', ')}`
    );
  }
  const declared = TEMPLATE_REGIONS[summary.template ?? ''] ?? [];
  for (const candidate of PREFERRED_REGIONS) {
    if (names.includes(candidate)) return { name: candidate, exists: true };
    if (declared.includes(candidate)) return { name: candidate, exists: false };
  }
  const firstRegion = summary.regions.find((r) => r.type === 'Region' && r.name !== 'header');
  if (firstRegion) return { name: firstRegion.name, exists: true };
  throw new FlexiPageError(
    `no region to place the component in (template ${summary.template ?? 'unknown'}); pass --region`
  );
}

function uniqueIdentifier(summary: FlexiPageSummary, wanted: string): string {
  const taken = new Set(summary.regions.flatMap((r) => r.components.map((c) => c.identifier)));
  if (!taken.has(wanted)) return wanted;
  for (let n = 2; ; n++) if (!taken.has(`${wanted}${n}`)) return `${wanted}${n}`;
}

export function componentItemSpec(
  componentName: string,
  identifier: string,
  properties: Record<string, string>
): ElementSpec {
  const props: ElementSpec[] = Object.keys(properties)
    .sort()
    .map((name): ElementSpec => ({
      componentInstanceProperties: [{ name }, { value: properties[name] }]
    }));
  return {
    itemInstances: [{ componentInstance: [...props, { componentName }, { identifier }] }]
  };
}

/**
 * Adds the component to a region of the page. Idempotent: when the component is already anywhere
 * on the page, nothing changes (and the message says where it is).
 */
export function embedComponent(xml: string, options: EmbedOptions = {}): EditResult {
  const componentName = options.componentName ?? COMPONENT_NAME;
  const existing = findComponent(xml, componentName);
  if (existing.length > 0) {
    const where = existing.map((p) => p.region).join(', ');
    return {
      xml,
      changed: false,
      region: existing[0].region,
      message: `already on the page (region ${where}); nothing to change`
    };
  }
  const summary = describeFlexiPage(xml);
  if (summary.type !== undefined && summary.type !== 'RecordPage') {
    throw new FlexiPageError(
      `this is a ${summary.type} page; the component goes on record pages only`
    );
  }
  const target = resolveRegion(summary, options.region);
  const identifier = uniqueIdentifier(
    summary,
    options.identifier ?? componentName.replace(/[^A-Za-z0-9_]/g, '_')
  );
  const doc = parseXml(xml);
  const unit = doc.indentUnit;
  const item = buildElement(
    componentItemSpec(componentName, identifier, options.properties ?? {}),
    2,
    unit
  );
  if (target.exists) {
    const region = regionsOf(doc).find((r) => childText(r, 'name') === target.name) as XmlNode;
    const items = childElements(region, 'itemInstances');
    const elements = childElements(region);
    const position =
      options.position === 'top' && items.length > 0
        ? elements.indexOf(items[0])
        : positionFor(region, 'itemInstances', REGION_ORDER);
    insertElement(region, item, position, 1, unit);
  } else {
    const region = buildElement(
      { flexiPageRegions: [{ name: target.name }, { type: 'Region' }] },
      1,
      unit
    );
    insertElement(region, item, 0, 1, unit);
    insertElement(doc.root, region, positionFor(doc.root, 'flexiPageRegions', PAGE_ORDER), 0, unit);
  }
  return {
    xml: serializeXml(doc),
    changed: true,
    region: target.name,
    message: `added ${componentName} (identifier ${identifier}) to region ${target.name}${target.exists ? '' : ' (new region element)'}${formattingNote(xml)}`
  };
}

/** Said when an edit will also normalize formatting the XML round trip cannot keep. */
function formattingNote(xml: string): string {
  return roundTrips(xml)
    ? ''
    : ' (note: the page also gets normalized XML formatting, e.g. self-closing tags expanded)';
}

/** Removes every instance of the component from the page. Idempotent. */
export function unembedComponent(xml: string, componentName = COMPONENT_NAME): EditResult {
  const doc = parseXml(xml);
  const removedFrom: string[] = [];
  for (const region of regionsOf(doc)) {
    for (const item of childElements(region, 'itemInstances')) {
      const component = componentOf(item);
      if (component && sameComponent(childText(component, 'componentName') ?? '', componentName)) {
        removeElement(region, item);
        removedFrom.push(childText(region, 'name') ?? '?');
      }
    }
  }
  if (removedFrom.length === 0)
    return {
      xml,
      changed: false,
      message: `${componentName} is not on the page; nothing to change`
    };
  return {
    xml: serializeXml(doc),
    changed: true,
    region: removedFrom[0],
    message: `removed ${componentName} from region ${removedFrom.join(', ')}${formattingNote(xml)}`
  };
}

export interface NewRecordPageOptions {
  sobjectType: string;
  masterLabel: string;
  description?: string;
  componentName?: string;
  properties?: Record<string, string>;
}

/** Name used for a record page this tool creates for an object that had none. */
export function defaultPageName(sobjectType: string): string {
  return `Coconut_${sobjectType.replace(/__c$/, '')}_Record_Page`;
}

/**
 * A record page shaped like Salesforce's system default (highlights panel; Details and Related
 * tabs; activity in the sidebar) with the appointments component at the top of the sidebar.
 */
export function newRecordPage(options: NewRecordPageOptions): string {
  const componentName = options.componentName ?? COMPONENT_NAME;
  const simple = (
    name: string,
    identifier: string,
    props: [string, string][] = []
  ): ElementSpec => ({
    itemInstances: [
      {
        componentInstance: [
          ...props.map(([n, v]): ElementSpec => ({
            componentInstanceProperties: [{ name: n }, { value: v }]
          })),
          { componentName: name },
          { identifier }
        ]
      }
    ]
  });
  const region = (name: string, type: string, items: ElementSpec[]): ElementSpec => ({
    flexiPageRegions: [...items, { mode: 'Replace' }, { name }, { type }]
  });
  const page: ElementSpec = {
    FlexiPage: [
      region('detailTabContent', 'Facet', [simple('force:detailPanel', 'force_detailPanel')]),
      region('relatedTabContent', 'Facet', [
        simple('force:relatedListContainer', 'force_relatedListContainer')
      ]),
      region('maintabs', 'Facet', [
        simple('flexipage:tab', 'relatedTab', [
          ['active', 'true'],
          ['body', 'relatedTabContent'],
          ['title', 'Standard.Tab.relatedLists']
        ]),
        simple('flexipage:tab', 'detailTab', [
          ['body', 'detailTabContent'],
          ['title', 'Standard.Tab.detail']
        ])
      ]),
      region('header', 'Region', [simple('force:highlightsPanel', 'force_highlightsPanel')]),
      region('main', 'Region', [
        simple('flexipage:tabset', 'flexipage_tabset', [['tabs', 'maintabs']])
      ]),
      region('sidebar', 'Region', [
        componentItemSpec(componentName, componentName, options.properties ?? {}),
        simple('runtime_sales_activities:activityPanel', 'runtime_sales_activities_activityPanel')
      ]),
      ...(options.description ? [{ description: options.description }] : []),
      { masterLabel: options.masterLabel },
      { sobjectType: options.sobjectType },
      { template: [{ name: STANDARD_TEMPLATE }] },
      { type: 'RecordPage' }
    ]
  };
  const root = buildElement(page, 0, '    ');
  (root[':@'] as unknown) = { '@_xmlns': 'http://soap.sforce.com/2006/04/metadata' };
  return serializeXml({
    prefix: '<?xml version="1.0" encoding="UTF-8"?>\n',
    root,
    suffix: '\n',
    indentUnit: '    '
  });
}

/**
 * Default property values of the component for record pages, read from its .js-meta.xml
 * (`targetConfig targets="lightning__RecordPage"` → `property name default`). App Builder writes
 * these into the page when an admin drags the component in; we do the same.
 */
export function recordPageDefaults(jsMetaXml: string): Record<string, string> {
  const doc = parseXml(jsMetaXml);
  const result: Record<string, string> = {};
  const configs = firstChild(doc.root, 'targetConfigs');
  if (!configs) return result;
  for (const config of childElements(configs, 'targetConfig')) {
    const targets = String(
      (config[':@'] as Record<string, string> | undefined)?.['@_targets'] ?? ''
    );
    if (
      !targets
        .split(',')
        .map((t) => t.trim())
        .includes('lightning__RecordPage')
    )
      continue;
    for (const property of childElements(config, 'property')) {
      const attrs = (property[':@'] ?? {}) as Record<string, string>;
      if (attrs['@_name'] !== undefined && attrs['@_default'] !== undefined) {
        result[attrs['@_name']] = attrs['@_default'];
      }
    }
  }
  return result;
}

/**
 * Objects whose record pages may hold the component (`targetConfig lightning__RecordPage` →
 * `objects`); undefined when the component does not restrict them.
 */
export function recordPageObjects(jsMetaXml: string): string[] | undefined {
  const doc = parseXml(jsMetaXml);
  const configs = firstChild(doc.root, 'targetConfigs');
  if (!configs) return undefined;
  for (const config of childElements(configs, 'targetConfig')) {
    const targets = String(
      (config[':@'] as Record<string, string> | undefined)?.['@_targets'] ?? ''
    );
    if (
      !targets
        .split(',')
        .map((t) => t.trim())
        .includes('lightning__RecordPage')
    )
      continue;
    const objects = firstChild(config, 'objects');
    if (!objects) return undefined;
    return childElements(objects, 'object').map((o) => textOf(o).trim());
  }
  return undefined;
}
