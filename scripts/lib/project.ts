/**
 * The package as the project holds it: components of the package directory (SDR ComponentSet),
 * its Apex under test, field types, default settings, the record-page component's defaults and
 * the content hash of a build.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  ComponentSet,
  ForceIgnore,
  type SourceComponent
} from '@salesforce/source-deploy-retrieve';
import { XMLParser } from 'fast-xml-parser';
import type { Member } from './backup-plan.ts';
import { COMPONENT_NAME, recordPageDefaults, recordPageObjects } from './flexipage.ts';
import { CliError, errorMessage } from './output.ts';
import { contentHash } from './validations.ts';

export interface Project {
  dir: string;
  packageDir: string;
  apiVersion: string;
}

export function loadProject(dir = process.cwd()): Project {
  const projectDir = resolve(dir);
  const file = join(projectDir, 'sfdx-project.json');
  if (!existsSync(file)) {
    throw new CliError(
      'NotAProject',
      `${projectDir} is not a Salesforce DX project (no sfdx-project.json).`,
      {
        action:
          'Run the command from the project folder (where package.json and sfdx-project.json are).',
        exitCode: 2
      }
    );
  }
  const config = JSON.parse(readFileSync(file, 'utf8')) as {
    packageDirectories: { path: string; default?: boolean }[];
    sourceApiVersion?: string;
  };
  const pkg = config.packageDirectories.find((p) => p.default) ?? config.packageDirectories[0];
  return {
    dir: projectDir,
    packageDir: join(projectDir, pkg.path),
    apiVersion: config.sourceApiVersion ?? '62.0'
  };
}

export function packageComponents(project: Project): ComponentSet {
  try {
    return ComponentSet.fromSource(project.packageDir);
  } catch (err) {
    throw new CliError(
      'PackageUnreadable',
      `The package source in ${project.packageDir} cannot be read: ${errorMessage(err)}`,
      {
        action:
          'Fix the file named above (every Apex class needs its .cls beside the .cls-meta.xml), then rerun.',
        exitCode: 2
      }
    );
  }
}

/** Top-level members of the package (what package.xml lists), sorted. */
export function packageMembers(components: ComponentSet): Member[] {
  return components
    .toArray()
    .map((m) => ({ type: m.type.name, fullName: m.fullName }))
    .sort((a, b) => `${a.type}:${a.fullName}`.localeCompare(`${b.type}:${b.fullName}`));
}

/**
 * What a backup before a deploy must cover: the top-level members plus the child components
 * (fields, list views, …) of the package's objects, so that a restore also removes a child the
 * deploy added to an object that already existed.
 */
export function backupMembers(components: ComponentSet): Member[] {
  const members = new Map(packageMembers(components).map((m) => [`${m.type}:${m.fullName}`, m]));
  for (const component of components.getSourceComponents().toArray()) {
    for (const child of component.getChildren()) {
      members.set(`${child.type.name}:${child.fullName}`, {
        type: child.type.name,
        fullName: child.fullName
      });
    }
  }
  return [...members.values()].sort((a, b) =>
    `${a.type}:${a.fullName}`.localeCompare(`${b.type}:${b.fullName}`)
  );
}

const IS_TEST = /@istest\b/i;

/** The package's Apex classes and triggers that tests must cover (test classes excluded). */
export function apexUnderTest(components: ComponentSet): string[] {
  const names: string[] = [];
  for (const component of components.getSourceComponents().toArray()) {
    const type = component.type.name;
    if ((type !== 'ApexClass' && type !== 'ApexTrigger') || !component.content) continue;
    const source = readFileSync(component.content, 'utf8');
    if (type === 'ApexClass' && IS_TEST.test(source.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '')))
      continue;
    names.push(component.fullName);
  }
  return names.sort();
}

/** Permission sets the package defines, by name. */
export function permissionSets(components: ComponentSet): string[] {
  return packageMembers(components)
    .filter((m) => m.type === 'PermissionSet')
    .map((m) => m.fullName);
}

const xmlReader = new XMLParser({ ignoreAttributes: true, parseTagValue: false });

function allSourceComponents(components: ComponentSet): SourceComponent[] {
  const result: SourceComponent[] = [];
  for (const component of components.getSourceComponents().toArray()) {
    result.push(component, ...component.getChildren());
  }
  return result;
}

/** `Object.Field__c` → Metadata API field type (Text, Number, Lookup, …) for every package field. */
export function packageFieldTypes(components: ComponentSet): Map<string, string> {
  const types = new Map<string, string>();
  for (const component of allSourceComponents(components)) {
    if (component.type.name !== 'CustomField' || !component.xml) continue;
    const parsed = xmlReader.parse(readFileSync(component.xml, 'utf8')) as {
      CustomField?: { type?: string };
    };
    if (parsed.CustomField?.type) types.set(component.fullName, parsed.CustomField.type);
  }
  return types;
}

/** The Default settings record's Unmatched_Client_Action__c, when the package ships one. */
export function unmatchedClientAction(project: Project): string | undefined {
  const file = join(
    project.packageDir,
    'main',
    'default',
    'customMetadata',
    'Coconut_Settings.Default.md-meta.xml'
  );
  if (!existsSync(file)) return undefined;
  const parsed = xmlReader.parse(readFileSync(file, 'utf8')) as {
    CustomMetadata?: {
      values?: { field: string; value?: string } | { field: string; value?: string }[];
    };
  };
  const values = parsed.CustomMetadata?.values;
  const list = Array.isArray(values) ? values : values ? [values] : [];
  const value = list.find((v) => v.field === 'Unmatched_Client_Action__c')?.value;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Record-page property defaults of the appointments component, as App Builder would set them. */
export function componentDefaults(
  project: Project,
  componentName = COMPONENT_NAME
): Record<string, string> {
  const file = join(
    project.packageDir,
    'main',
    'default',
    'lwc',
    componentName,
    `${componentName}.js-meta.xml`
  );
  return existsSync(file) ? recordPageDefaults(readFileSync(file, 'utf8')) : {};
}

/** Objects the component may be placed on (undefined: any), from its .js-meta.xml. */
export function componentObjects(
  project: Project,
  componentName = COMPONENT_NAME
): string[] | undefined {
  const file = join(
    project.packageDir,
    'main',
    'default',
    'lwc',
    componentName,
    `${componentName}.js-meta.xml`
  );
  return existsSync(file) ? recordPageObjects(readFileSync(file, 'utf8')) : undefined;
}

/** Content hash of the package build: every file the deploy would include (.forceignore applied). */
export async function packageHash(project: Project): Promise<string> {
  const ignore = ForceIgnore.findAndCreate(project.packageDir);
  return contentHash(project.packageDir, (path) => ignore.accepts(path));
}
