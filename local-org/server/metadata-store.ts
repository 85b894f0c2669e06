// The org's deployed metadata, kept as a Salesforce DX source-format project under the data
// directory. The data layer and the interpreter load the org from it; Metadata API deploys
// convert the zip (metadata format) into it with source-deploy-retrieve, retrieves convert
// back. A deploy works on a staged copy that replaces the live one only when it succeeds.
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync
} from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import JSZip from 'jszip';
import {
  ComponentSet,
  MetadataConverter,
  type SourceComponent
} from '@salesforce/source-deploy-retrieve';

export interface StoreComponent {
  type: string;
  fullName: string;
  /** Metadata-format file name, e.g. `classes/Foo.cls`. */
  fileName: string;
}

const PACKAGE_DIR = 'force-app';
const RAW_DIR = '.deployed-mdapi';

/** Reads `packageDirectories[].path` of a DX project. */
export function projectPackageDirs(projectDir: string): string[] {
  const file = join(projectDir, 'sfdx-project.json');
  if (!existsSync(file)) {
    throw new Error(
      `No sfdx-project.json in ${projectDir}: run local-org from a Salesforce DX project root (or pass --project).`
    );
  }
  const json = JSON.parse(readFileSync(file, 'utf8')) as {
    packageDirectories?: { path: string }[];
  };
  return (json.packageDirectories ?? []).map((p) => p.path);
}

export class MetadataStore {
  /** The live project directory (sfdx-project.json + force-app/). */
  readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
  }

  get packageDir(): string {
    return join(this.dir, PACKAGE_DIR);
  }

  /**
   * Metadata-format files exactly as a deploy sent them (`classes/Foo.cls`, …): retrieve
   * returns these bytes for the files a component converts to, so a retrieve gives back
   * what was deployed byte for byte.
   */
  get rawDir(): string {
    return join(this.dir, RAW_DIR);
  }

  exists(): boolean {
    return existsSync(join(this.dir, 'sfdx-project.json'));
  }

  /** Starts the store from a project's package directories (what `serve` deploys at start). */
  initFrom(projectDir: string): void {
    rmSync(this.dir, { recursive: true, force: true });
    mkdirSync(this.packageDir, { recursive: true });
    const project = JSON.parse(
      readFileSync(join(projectDir, 'sfdx-project.json'), 'utf8')
    ) as Record<string, unknown>;
    for (const pkg of projectPackageDirs(projectDir)) {
      const from = join(projectDir, pkg);
      if (!existsSync(from)) continue;
      // Every package directory lands in the one store directory, keeping its inner layout.
      cpSync(from, this.packageDir, {
        recursive: true,
        filter: (src) =>
          !src.split(sep).includes('__tests__') && !src.split(sep).includes('node_modules')
      });
    }
    writeStoreProject(this.dir, String(project.sourceApiVersion ?? '62.0'));
  }

  /** Deploys a project's source over the store (start-up); drops stale deployed bytes. */
  overlayFrom(projectDir: string): void {
    for (const pkg of projectPackageDirs(projectDir)) {
      const from = join(projectDir, pkg);
      if (!existsSync(from)) continue;
      for (const comp of ComponentSet.fromSource(from).getSourceComponents()) this.forgetRaw(comp);
      cpSync(from, this.packageDir, {
        recursive: true,
        filter: (src) =>
          !src.split(sep).includes('__tests__') && !src.split(sep).includes('node_modules')
      });
    }
  }

  /** A copy of the live store to apply a deploy to. */
  stage(): MetadataStore {
    const staging = join(dirname(this.dir), `.staging-${process.pid}-${Date.now()}`);
    cpSync(this.dir, staging, { recursive: true });
    return new MetadataStore(staging);
  }

  /** Replaces the live store with a staged one (rename, so it is never half-copied). */
  commit(staged: MetadataStore): void {
    const old = `${this.dir}.old-${Date.now()}`;
    renameSync(this.dir, old);
    renameSync(staged.dir, this.dir);
    rmSync(old, { recursive: true, force: true });
  }

  discard(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** All components in the store. */
  components(): SourceComponent[] {
    if (!existsSync(this.packageDir)) return [];
    return ComponentSet.fromSource(this.packageDir).getSourceComponents().toArray();
  }

  /**
   * Converts an extracted metadata-format directory into this store (merging into the
   * components already present). Returns the components it contained.
   */
  async applyMetadataDir(mdapiDir: string): Promise<SourceComponent[]> {
    const incoming = ComponentSet.fromSource(mdapiDir);
    const comps = incoming.getSourceComponents().toArray();
    if (comps.length === 0) return [];
    for (const comp of comps) {
      // A decomposed type (CustomObject with its fields…) may arrive partial (one field) and
      // is merged into what the org has: its retrieve is recomposed, not replayed.
      if (comp.type.children || comp.type.strategies?.adapter === 'decomposed') {
        this.forgetRaw(comp);
        continue;
      }
      for (const file of [comp.xml, ...comp.walkContent()].filter(Boolean) as string[]) {
        const target = join(this.rawDir, relative(mdapiDir, file));
        mkdirSync(dirname(target), { recursive: true });
        cpSync(file, target);
      }
    }
    await new MetadataConverter().convert(incoming, 'source', {
      type: 'merge',
      mergeWith: this.components(),
      // SDR puts components it cannot merge under <defaultDirectory>/main/default.
      defaultDirectory: this.packageDir
    });
    return comps;
  }

  /**
   * An object file deployed whole (every setting and child the org now has, in any order) is
   * retrieved with the deployed bytes; a partial one (e.g. one new field) stays recomposed.
   */
  async keepCompleteObjects(
    comps: SourceComponent[],
    mdapiDir: string,
    standardObjects: Map<string, string>
  ): Promise<void> {
    const objects = comps.filter(
      (c) => c.type.name === 'CustomObject' && c.xml !== undefined && existsSync(c.xml)
    );
    if (objects.length === 0) return;
    // One recomposition of every deployed object (a retrieve of them from the staged store).
    const out = await this.retrieveZip(
      [{ type: 'CustomObject', names: objects.map((c) => c.fullName) }],
      '',
      standardObjects
    );
    const zip = await JSZip.loadAsync(out.zip);
    for (const comp of objects) {
      const recomposed = await zip.file(mdapiFileName(comp))?.async('string');
      const deployed = readFileSync(comp.xml!);
      if (recomposed === undefined || !sameElements(deployed.toString('utf8'), recomposed)) {
        continue;
      }
      const target = join(this.rawDir, relative(mdapiDir, comp.xml!));
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, deployed);
    }
  }

  /** Deletes components named by a destructiveChanges manifest. */
  deleteComponents(members: { type: string; fullName: string }[]): StoreComponent[] {
    const deleted: StoreComponent[] = [];
    for (const comp of this.components()) {
      if (members.some((m) => m.type === comp.type.name && m.fullName === comp.fullName)) {
        for (const f of [comp.xml, ...comp.walkContent()].filter(Boolean) as string[]) {
          rmSync(f, { force: true });
        }
        if (comp.content && existsSync(comp.content))
          rmSync(comp.content, { recursive: true, force: true });
        this.forgetRaw(comp);
        deleted.push({
          type: comp.type.name,
          fullName: comp.fullName,
          fileName: mdapiFileName(comp)
        });
      }
    }
    return deleted;
  }

  /** Drops the deployed bytes of a component (its source changed by other means). */
  forgetRaw(comp: SourceComponent): void {
    const name = mdapiFileName(comp);
    for (const f of [name, `${name}-meta.xml`]) {
      rmSync(join(this.rawDir, f), { recursive: true, force: true });
    }
  }

  /**
   * Builds a metadata-format zip of the requested members (`*` = all of a type), the way
   * retrieve returns it; `prefix` is `unpackaged/` unless singlePackage.
   */
  async retrieveZip(
    members: { type: string; names: string[] }[],
    prefix: string,
    /** Standard objects a `CustomObject` retrieve may ask for: name → its minimal definition. */
    standardObjects: Map<string, string> = new Map()
  ): Promise<{
    zip: Buffer;
    files: StoreComponent[];
    missing: { type: string; fullName: string }[];
  }> {
    let all = this.components().flatMap((c) => [c, ...c.getChildren()]);
    const synthetic = mkdtempSync(join(tmpdir(), 'local-org-standard-'));
    // A standard object nobody deployed a definition of: its default definition plus whatever
    // the store holds under objects/<Object>/ (custom fields…), recomposed like any object.
    const objectMembers = members.filter((m) => m.type === 'CustomObject');
    for (const [name, xml] of standardObjects) {
      const asked = objectMembers.some((m) => m.names.includes('*') || m.names.includes(name));
      if (!asked || all.some((c) => c.type.name === 'CustomObject' && c.fullName === name)) {
        continue;
      }
      const dir = join(synthetic, 'objects', name);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `${name}.object-meta.xml`), xml);
      const children = all.filter((c) => isChildOf(c, name));
      for (const child of children) {
        const rel = childPath(child.xml!);
        mkdirSync(dirname(join(dir, rel)), { recursive: true });
        cpSync(child.xml!, join(dir, rel));
      }
      all = all.filter((c) => !children.includes(c));
    }
    if (existsSync(join(synthetic, 'objects'))) {
      const extra = ComponentSet.fromSource(synthetic).getSourceComponents().toArray();
      all = [...all, ...extra.flatMap((c) => [c, ...c.getChildren()])];
    }
    const wanted = all.filter((c) =>
      members.some(
        (m) => m.type === c.type.name && (m.names.includes('*') || m.names.includes(c.fullName))
      )
    );
    const missing: { type: string; fullName: string }[] = [];
    for (const m of members) {
      for (const n of m.names) {
        if (n === '*') continue;
        if (!wanted.some((c) => c.type.name === m.type && c.fullName === n)) {
          missing.push({ type: m.type, fullName: n });
        }
      }
    }
    const out = mkdtempSync(join(tmpdir(), 'local-org-retrieve-'));
    const zip = new JSZip();
    const files: StoreComponent[] = [];
    try {
      if (wanted.length > 0) {
        const cs = new ComponentSet(wanted);
        await new MetadataConverter().convert(cs, 'metadata', {
          type: 'directory',
          outputDirectory: out,
          genUniqueDir: false
        });
        for (const file of await walk(out)) {
          const rel = relative(out, file).split(sep).join('/');
          if (rel === 'package.xml') continue;
          const raw = join(this.rawDir, ...rel.split('/'));
          zip.file(prefix + rel, await readFile(existsSync(raw) ? raw : file));
        }
        for (const c of wanted) {
          files.push({ type: c.type.name, fullName: c.fullName, fileName: mdapiFileName(c) });
        }
      }
      zip.file(`${prefix}package.xml`, packageXml(members));
      const buf = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
      return { zip: buf, files, missing };
    } finally {
      rmSync(out, { recursive: true, force: true });
      rmSync(synthetic, { recursive: true, force: true });
    }
  }
}

/** A child component (field, list view…) stored under `objects/<object>/` without its object file. */
function isChildOf(c: SourceComponent, object: string): boolean {
  if (!c.xml || c.type.name === 'CustomObject') return false;
  const parts = c.xml.split(sep);
  const i = parts.lastIndexOf('objects');
  return i >= 0 && parts[i + 1] === object && parts.length > i + 3;
}

/** `fields/Foo__c.field-meta.xml` for `…/objects/<object>/fields/Foo__c.field-meta.xml`. */
function childPath(file: string): string {
  const parts = file.split(sep);
  const i = parts.lastIndexOf('objects');
  return parts.slice(i + 2).join(sep);
}

function writeStoreProject(dir: string, apiVersion: string): void {
  writeFileSync(
    join(dir, 'sfdx-project.json'),
    `${JSON.stringify(
      {
        packageDirectories: [{ path: PACKAGE_DIR, default: true }],
        name: 'local-org-deployed-metadata',
        namespace: '',
        sourceApiVersion: apiVersion
      },
      null,
      2
    )}\n`
  );
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir)) {
    const p = join(dir, entry);
    if ((await stat(p)).isDirectory()) out.push(...(await walk(p)));
    else out.push(p);
  }
  return out;
}

/** Metadata-format file name of a component (`classes/Foo.cls`, `objects/X__c.object`). */
export function mdapiFileName(c: SourceComponent): string {
  const dir = c.type.directoryName;
  const suffix = c.type.suffix;
  if (c.type.strategies?.adapter === 'bundle' || c.type.strategies?.adapter === 'mixedContent') {
    return `${dir}/${c.fullName}`;
  }
  return suffix ? `${dir}/${c.fullName}.${suffix}` : `${dir}/${c.fullName}`;
}

export function packageXml(members: { type: string; names: string[] }[], version = '62.0'): string {
  const types = members
    .map(
      (m) =>
        `    <types>\n${m.names.map((n) => `        <members>${escape(n)}</members>\n`).join('')}        <name>${escape(m.type)}</name>\n    </types>\n`
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Package xmlns="http://soap.sforce.com/2006/04/metadata">\n${types}    <version>${version}</version>\n</Package>\n`;
}

function escape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Extracts a deploy zip into a temp dir; returns the directory holding package.xml. */
export async function extractDeployZip(
  zipData: Buffer
): Promise<{ root: string; tmp: string; packageXml: string | undefined; destructive: string[] }> {
  const zip = await JSZip.loadAsync(zipData);
  const tmp = mkdtempSync(join(tmpdir(), 'local-org-deploy-'));
  const names = Object.keys(zip.files);
  const pkg = names
    .filter((n) => n === 'package.xml' || n.endsWith('/package.xml'))
    .sort((a, b) => a.length - b.length)[0];
  const prefix = pkg ? pkg.slice(0, -'package.xml'.length) : '';
  for (const name of names) {
    const entry = zip.files[name]!;
    if (entry.dir || !name.startsWith(prefix)) continue;
    const rel = name.slice(prefix.length);
    if (rel.split('/').some((p) => p === '..' || p === '')) continue;
    const target = join(tmp, ...rel.split('/'));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, await entry.async('nodebuffer'));
  }
  const destructive = [
    'destructiveChanges.xml',
    'destructiveChangesPre.xml',
    'destructiveChangesPost.xml'
  ]
    .map((f) => join(tmp, f))
    .filter((f) => existsSync(f));
  return {
    root: tmp,
    tmp,
    packageXml: pkg ? join(tmp, 'package.xml') : undefined,
    destructive
  };
}

const orderedXml = new XMLParser({ preserveOrder: true, ignoreAttributes: false });

/** Whether two metadata files hold the same top-level elements, in whatever order. */
function sameElements(a: string, b: string): boolean {
  const children = (xml: string): string[] | undefined => {
    try {
      const doc = orderedXml.parse(xml) as Record<string, unknown>[];
      const root = doc.find((n) => !Object.keys(n).some((k) => k.startsWith('?')));
      const key = root ? Object.keys(root).find((k) => k !== ':@') : undefined;
      if (!root || !key) return undefined;
      return (root[key] as unknown[]).map((c) => JSON.stringify(c)).sort();
    } catch {
      return undefined;
    }
  };
  const x = children(a);
  const y = children(b);
  return x !== undefined && y !== undefined && JSON.stringify(x) === JSON.stringify(y);
}
