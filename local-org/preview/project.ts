/* eslint-disable @typescript-eslint/no-explicit-any -- fast-xml-parser output is untyped; shapes are checked where read */
// What the preview reads from the Salesforce DX project: the LWC bundles and their
// js-meta.xml targets, the FlexiPages (and which of them an app assigns to an object),
// and custom labels. Nothing here knows which package it is looking at.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { packageDirectories } from '../data/schema.ts';

export interface TargetConfig {
  targets: string[];
  /** Objects the targets are restricted to (empty = every object). */
  objects: string[];
  /** App Builder property defaults, as strings (converted by type when placed). */
  properties: { name: string; type: string; default?: string }[];
}

export interface LwcBundle {
  /** Bundle folder name, e.g. `myWidget`. */
  name: string;
  /** Module specifier, `c/myWidget`. */
  specifier: string;
  /** Custom element tag, `c-my-widget`. */
  tag: string;
  dir: string;
  /** The JavaScript entry (`<name>.js`), undefined when the bundle has none. */
  entry: string | undefined;
  isExposed: boolean;
  masterLabel: string;
  targets: string[];
  targetConfigs: TargetConfig[];
}

export interface FlexiPageComponent {
  /** `c:myWidget`, `force:detailPanel`, `flexipage:…` as written in the FlexiPage. */
  componentName: string;
  properties: Record<string, string>;
}

export interface FlexiPageRegion {
  name: string;
  components: FlexiPageComponent[];
}

export interface FlexiPage {
  name: string;
  file: string;
  type: string;
  sobjectType: string | undefined;
  template: string;
  regions: FlexiPageRegion[];
}

export interface ProjectScan {
  bundles: LwcBundle[];
  flexiPages: FlexiPage[];
  /** Object → FlexiPage name assigned as its record page (app / org default action overrides). */
  recordPageAssignments: Map<string, string>;
  /** `c.Label_Name` style full names (without `c.`) → value. */
  labels: Map<string, string>;
  /** Object (lower case) → fields of its assigned compact layout (the project's objects only). */
  compactLayouts: Map<string, string[]>;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  trimValues: true,
  isArray: (name) =>
    [
      'target',
      'targetConfig',
      'property',
      'object',
      'flexiPageRegions',
      'itemInstances',
      'componentInstanceProperties',
      'actionOverrides',
      'profileActionOverrides',
      'labels',
      'fields'
    ].includes(name)
});

function listDirs(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => statSync(join(dir, n)).isDirectory())
    .sort();
}

function walkFiles(dir: string, suffix: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir).sort()) {
    if (name === 'node_modules' || name === '__tests__') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walkFiles(p, suffix, out);
    else if (name.endsWith(suffix)) out.push(p);
  }
  return out;
}

/** `myWidgetName` → `c-my-widget-name` (LWC's camelCase to kebab-case rule). */
export function tagFor(namespace: string, name: string): string {
  return `${namespace}-${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

function str(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'object') return undefined;
  return String(v);
}

function readBundle(dir: string): LwcBundle | undefined {
  const name = basename(dir);
  const metaFile = join(dir, `${name}.js-meta.xml`);
  if (!existsSync(metaFile)) return undefined;
  const xml = parser.parse(readFileSync(metaFile, 'utf8')) as Record<string, any>;
  const meta = (xml.LightningComponentBundle ?? {}) as Record<string, any>;
  const targets = ((meta.targets?.target ?? []) as unknown[]).map((t) => String(t));
  const targetConfigs: TargetConfig[] = (
    (meta.targetConfigs?.targetConfig ?? []) as Record<string, any>[]
  ).map((tc) => ({
    targets: String(tc['@targets'] ?? '')
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean),
    objects: ((tc.objects?.object ?? []) as unknown[]).map((o) => String(o)),
    properties: ((tc.property ?? []) as Record<string, unknown>[]).map((p) => ({
      name: String(p['@name']),
      type: String(p['@type'] ?? 'String'),
      default: str(p['@default'])
    }))
  }));
  const js = join(dir, `${name}.js`);
  return {
    name,
    specifier: `c/${name}`,
    tag: tagFor('c', name),
    dir,
    entry: existsSync(js) ? js : undefined,
    isExposed: String(meta.isExposed) === 'true',
    masterLabel: str(meta.masterLabel) ?? name,
    targets,
    targetConfigs
  };
}

function readFlexiPage(file: string): FlexiPage {
  const xml = parser.parse(readFileSync(file, 'utf8')) as Record<string, any>;
  const fp = (xml.FlexiPage ?? {}) as Record<string, any>;
  const regions: FlexiPageRegion[] = ((fp.flexiPageRegions ?? []) as Record<string, any>[]).map(
    (r) => ({
      name: String(r.name),
      components: ((r.itemInstances ?? []) as Record<string, any>[])
        .map((it) => it.componentInstance as Record<string, any> | undefined)
        .filter((ci): ci is Record<string, any> => Boolean(ci))
        .map((ci) => {
          const properties: Record<string, string> = {};
          for (const p of (ci.componentInstanceProperties ?? []) as Record<string, unknown>[]) {
            const v = str(p.value);
            if (v !== undefined) properties[String(p.name)] = v;
          }
          return { componentName: String(ci.componentName), properties };
        })
    })
  );
  return {
    name: basename(file).replace(/\.flexipage-meta\.xml$/, ''),
    file,
    type: String(fp.type ?? ''),
    sobjectType: str(fp.sobjectType),
    template: String(fp.template?.name ?? ''),
    regions
  };
}

/**
 * Record pages assigned to objects, as Lightning does it without profile-specific overrides:
 * an app's `actionOverrides` (View, Flexipage, Large form factor) or the object's own
 * `View` action override of type Flexipage.
 */
function readAssignments(pkgDirs: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const d of pkgDirs) {
    for (const file of walkFiles(d, '.object-meta.xml')) {
      const obj = basename(file).replace(/\.object-meta\.xml$/, '');
      const xml = parser.parse(readFileSync(file, 'utf8')) as Record<string, any>;
      for (const o of (xml.CustomObject?.actionOverrides ?? []) as Record<string, any>[]) {
        if (String(o.actionName) === 'View' && String(o.type) === 'Flexipage' && o.content) {
          out.set(obj.toLowerCase(), String(o.content));
        }
      }
    }
    for (const file of walkFiles(d, '.app-meta.xml')) {
      const xml = parser.parse(readFileSync(file, 'utf8')) as Record<string, any>;
      const app = (xml.CustomApplication ?? {}) as Record<string, any>;
      const overrides = [
        ...((app.actionOverrides ?? []) as Record<string, any>[]),
        ...((app.profileActionOverrides ?? []) as Record<string, any>[]).filter((o) => !o.profile)
      ];
      for (const o of overrides) {
        if (
          String(o.actionName) === 'View' &&
          String(o.type) === 'Flexipage' &&
          o.content &&
          o.pageOrSobjectType &&
          (o.formFactor === undefined || String(o.formFactor) === 'Large')
        ) {
          out.set(String(o.pageOrSobjectType).toLowerCase(), String(o.content));
        }
      }
    }
  }
  return out;
}

/** The compact layout each object assigns (`compactLayoutAssignment`), as its field list. */
function readCompactLayouts(pkgDirs: string[]): Map<string, string[]> {
  const layouts = new Map<string, string[]>();
  const assigned = new Map<string, string>();
  for (const d of pkgDirs) {
    for (const file of walkFiles(d, '.compactLayout-meta.xml')) {
      const obj = basename(dirname(dirname(file)));
      const name = basename(file).replace(/\.compactLayout-meta\.xml$/, '');
      const xml = parser.parse(readFileSync(file, 'utf8')) as Record<string, any>;
      const fields = ((xml.CompactLayout?.fields ?? []) as unknown[]).map((f) => String(f));
      layouts.set(`${obj}.${name}`.toLowerCase(), fields);
    }
    for (const file of walkFiles(d, '.object-meta.xml')) {
      const obj = basename(file).replace(/\.object-meta\.xml$/, '');
      const xml = parser.parse(readFileSync(file, 'utf8')) as Record<string, any>;
      const a = str(xml.CustomObject?.compactLayoutAssignment);
      if (a && a !== 'SYSTEM') assigned.set(obj, a);
    }
  }
  const out = new Map<string, string[]>();
  for (const [obj, name] of assigned) {
    const fields = layouts.get(`${obj}.${name}`.toLowerCase());
    if (fields) out.set(obj.toLowerCase(), fields);
  }
  return out;
}

function readLabels(pkgDirs: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const d of pkgDirs) {
    for (const file of walkFiles(d, '.labels-meta.xml')) {
      const xml = parser.parse(readFileSync(file, 'utf8')) as Record<string, any>;
      for (const l of (xml.CustomLabels?.labels ?? []) as Record<string, unknown>[]) {
        out.set(String(l.fullName), str(l.value) ?? '');
      }
    }
  }
  return out;
}

export function scanProject(projectDir: string): ProjectScan {
  const pkgDirs = packageDirectories(projectDir);
  const bundles: LwcBundle[] = [];
  const flexiPages: FlexiPage[] = [];
  for (const d of pkgDirs) {
    for (const lwcDir of findLwcRoots(d)) {
      for (const b of listDirs(lwcDir)) {
        const bundle = readBundle(join(lwcDir, b));
        if (bundle) bundles.push(bundle);
      }
    }
    for (const f of walkFiles(d, '.flexipage-meta.xml')) flexiPages.push(readFlexiPage(f));
  }
  return {
    bundles,
    flexiPages,
    recordPageAssignments: readAssignments(pkgDirs),
    labels: readLabels(pkgDirs),
    compactLayouts: readCompactLayouts(pkgDirs)
  };
}

/** Every `lwc` folder under a package directory (source format puts them under `<x>/lwc`). */
function findLwcRoots(dir: string, out: string[] = []): string[] {
  for (const name of listDirs(dir)) {
    if (name === 'node_modules') continue;
    const p = join(dir, name);
    if (name === 'lwc') out.push(p);
    else findLwcRoots(p, out);
  }
  return out;
}

/** Does `bundle` target `target` (optionally for `object`)? */
export function targetsFor(bundle: LwcBundle, target: string, object?: string): boolean {
  if (!bundle.isExposed || !bundle.targets.includes(target)) return false;
  if (!object) return true;
  const configs = bundle.targetConfigs.filter((c) => c.targets.includes(target));
  const restricted = configs.filter((c) => c.objects.length > 0);
  if (restricted.length === 0) return true;
  return restricted.some((c) => c.objects.some((o) => o.toLowerCase() === object.toLowerCase()));
}

/** App Builder property defaults of `bundle` for `target`, typed by the property type. */
export function defaultProperties(bundle: LwcBundle, target: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const c of bundle.targetConfigs) {
    if (!c.targets.includes(target)) continue;
    for (const p of c.properties) {
      if (p.default === undefined) continue;
      out[p.name] = typedProperty(p.type, p.default);
    }
  }
  return out;
}

export function typedProperty(type: string, value: string): unknown {
  switch (type) {
    case 'Boolean':
      return value === 'true';
    case 'Integer':
      return Number.parseInt(value, 10);
    default:
      return value;
  }
}
