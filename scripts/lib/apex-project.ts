/**
 * The Apex sources of an sfdx project: every .cls and .trigger under the package
 * directories listed in sfdx-project.json.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

export interface ApexSource {
  /** Absolute path. */
  file: string;
  /** Path relative to the project root, with forward slashes (used in messages). */
  relative: string;
  kind: 'class' | 'trigger';
}

export interface ApexProject {
  root: string;
  packageDirectories: string[];
  /** `sourceApiVersion` of sfdx-project.json, when set. */
  sourceApiVersion?: string;
  sources: ApexSource[];
}

interface SfdxProjectJson {
  packageDirectories?: { path?: unknown }[];
  sourceApiVersion?: unknown;
}

/** Reads sfdx-project.json and lists the Apex sources of its package directories, sorted by path. */
export async function loadApexProject(root: string): Promise<ApexProject> {
  const projectRoot = path.resolve(root);
  const projectFile = path.join(projectRoot, 'sfdx-project.json');
  let json: SfdxProjectJson;
  try {
    json = JSON.parse(await readFile(projectFile, 'utf8')) as SfdxProjectJson;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `Cannot read ${projectFile}: ${reason}. Run check:apex from an sfdx project root or pass --project.`
    );
  }
  const packageDirectories = (json.packageDirectories ?? [])
    .map((entry) => entry.path)
    .filter((p): p is string => typeof p === 'string' && p.length > 0);
  if (packageDirectories.length === 0) {
    throw new Error(`${projectFile} lists no packageDirectories.`);
  }

  const seen = new Set<string>();
  const sources: ApexSource[] = [];
  for (const dir of packageDirectories) {
    for (const file of await walk(path.resolve(projectRoot, dir))) {
      if (seen.has(file)) continue;
      seen.add(file);
      const kind = file.endsWith('.cls')
        ? 'class'
        : file.endsWith('.trigger')
          ? 'trigger'
          : undefined;
      if (!kind) continue;
      sources.push({ file, relative: toRelative(projectRoot, file), kind });
    }
  }
  sources.sort((a, b) => a.relative.localeCompare(b.relative));
  const sourceApiVersion =
    typeof json.sourceApiVersion === 'string' ? json.sourceApiVersion : undefined;
  return { root: projectRoot, packageDirectories, sourceApiVersion, sources };
}

/** `path.relative` with forward slashes, so messages read the same on every OS. */
export function toRelative(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}

async function walk(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const files: string[] = [];
  for (const entry of entries) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await walk(full)));
    else if (entry.isFile()) files.push(full);
  }
  return files;
}
