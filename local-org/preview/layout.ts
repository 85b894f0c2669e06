// Which components a page holds and where: the FlexiPage assigned to the object when the
// project has one, otherwise Lightning's default two-column record page with every exposed
// component that targets the object's record page (or the home page).
import {
  defaultProperties,
  targetsFor,
  typedProperty,
  type FlexiPage,
  type LwcBundle,
  type ProjectScan
} from './project.ts';

export type RegionWidth = 'SMALL' | 'MEDIUM' | 'LARGE';

export type Placement =
  | { kind: 'lwc'; bundle: LwcBundle; properties: Record<string, unknown> }
  /** Salesforce's own standard components that the preview draws itself. */
  | { kind: 'highlights' }
  | { kind: 'details' }
  | { kind: 'relatedLists' }
  | { kind: 'unsupported'; componentName: string };

export interface PageRegion {
  name: string;
  width: RegionWidth;
  items: Placement[];
}

export interface PageLayout {
  source: string;
  regions: PageRegion[];
}

const RECORD_PAGE = 'lightning__RecordPage';
const HOME_PAGE = 'lightning__HomePage';

const STANDARD: Record<string, Placement['kind']> = {
  'force:highlightsPanel': 'highlights',
  'force:detailPanel': 'details',
  'force:relatedListContainer': 'relatedLists',
  'force:relatedListSingleContainer': 'relatedLists'
};

/** Region widths of the desktop templates Lightning ships (the ones we can lay out). */
function regionWidth(template: string, region: string): RegionWidth {
  if (region === 'header' || region === 'footer') return 'LARGE';
  if (/ThreeColumns/i.test(template)) return region === 'main' ? 'MEDIUM' : 'SMALL';
  if (/OneColumn|Single/i.test(template)) return 'LARGE';
  return region === 'sidebar' ? 'SMALL' : 'MEDIUM';
}

function fromFlexiPage(scan: ProjectScan, fp: FlexiPage, target: string): PageLayout {
  const regions: PageRegion[] = fp.regions.map((r) => ({
    name: r.name,
    width: regionWidth(fp.template, r.name),
    items: r.components.map((c): Placement => {
      const std = STANDARD[c.componentName];
      if (std) return { kind: std } as Placement;
      const m = /^(\w+):(\w+)$/.exec(c.componentName);
      const bundle = m && m[1] === 'c' ? scan.bundles.find((b) => b.name === m[2]) : undefined;
      if (!bundle || !bundle.entry) return { kind: 'unsupported', componentName: c.componentName };
      const properties = defaultProperties(bundle, target);
      for (const [name, value] of Object.entries(c.properties)) {
        const decl = bundle.targetConfigs
          .flatMap((tc) => tc.properties)
          .find((p) => p.name === name);
        properties[name] = typedProperty(decl?.type ?? 'String', value);
      }
      return { kind: 'lwc', bundle, properties };
    })
  }));
  return { source: `FlexiPage ${fp.name}`, regions };
}

export function recordPageLayout(scan: ProjectScan, objectName: string): PageLayout {
  const assigned = scan.recordPageAssignments.get(objectName.toLowerCase());
  const fp = assigned ? scan.flexiPages.find((f) => f.name === assigned) : undefined;
  if (fp) return fromFlexiPage(scan, fp, RECORD_PAGE);
  const components: Placement[] = scan.bundles
    .filter((b) => b.entry && targetsFor(b, RECORD_PAGE, objectName))
    .map((b) => ({ kind: 'lwc', bundle: b, properties: defaultProperties(b, RECORD_PAGE) }));
  return {
    source: 'default record page',
    regions: [
      { name: 'header', width: 'LARGE', items: [{ kind: 'highlights' }] },
      { name: 'main', width: 'MEDIUM', items: [...components, { kind: 'relatedLists' }] },
      { name: 'sidebar', width: 'SMALL', items: [{ kind: 'details' }] }
    ]
  };
}

export function homePageLayout(scan: ProjectScan): PageLayout {
  const home = scan.flexiPages.find(
    (f) => f.type === 'HomePage' && scan.recordPageAssignments.get('home') === f.name
  );
  if (home) return fromFlexiPage(scan, home, HOME_PAGE);
  const components: Placement[] = scan.bundles
    .filter((b) => b.entry && targetsFor(b, HOME_PAGE))
    .map((b) => ({ kind: 'lwc', bundle: b, properties: defaultProperties(b, HOME_PAGE) }));
  return {
    source: 'default home page',
    regions: [{ name: 'main', width: 'MEDIUM', items: components }]
  };
}
