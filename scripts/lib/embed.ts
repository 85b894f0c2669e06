/**
 * Embedding against an org: retrieve what decides the assigned pages (objects, apps), then the
 * pages, and deploy the edited files as one Metadata API deploy.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Connection } from '@salesforce/core';
import { packageXml } from './backup-plan.ts';
import {
  flexiPagePath,
  objectPath,
  pagesToRetrieve,
  planFiles,
  planMembers,
  type DiscoveredMetadata,
  type EmbedPlan
} from './embed-plan.ts';
import { deployFolder, retrieveMembers, type DeployOutcome } from './metadata.ts';
import type { OrgApi } from './org.ts';
import { errorMessage } from './output.ts';

async function readIfPresent(path: string): Promise<string | undefined> {
  return readFile(path, 'utf8').catch(() => undefined);
}

export interface Discovery {
  meta: DiscoveredMetadata;
  warnings: string[];
}

export async function discover(
  connection: Connection,
  api: OrgApi,
  objects: readonly string[]
): Promise<Discovery> {
  const warnings: string[] = [];
  let apps: string[] = [];
  try {
    apps = (await api.listMetadata(['CustomApplication'])).map((p) => p.fullName).sort();
  } catch (err) {
    warnings.push(
      `Could not list apps (${errorMessage(err)}): app and profile page assignments were not considered.`
    );
  }
  const work = await mkdtemp(join(tmpdir(), 'coconut-embed-'));
  try {
    await retrieveMembers(
      connection,
      [
        ...objects.map((o) => ({ type: 'CustomObject', fullName: o })),
        ...apps.map((a) => ({ type: 'CustomApplication', fullName: a }))
      ],
      join(work, 'definitions')
    );
    const meta: DiscoveredMetadata = { objects: {}, apps: {}, pages: {} };
    for (const o of objects) {
      const xml = await readIfPresent(join(work, 'definitions', 'metadata', objectPath(o)));
      if (xml !== undefined) meta.objects[o] = xml;
    }
    for (const a of apps) {
      const xml = await readIfPresent(
        join(work, 'definitions', 'metadata', 'applications', `${a}.app`)
      );
      if (xml !== undefined) meta.apps[a] = xml;
    }
    const pages = pagesToRetrieve(objects, meta);
    if (pages.length > 0) {
      await retrieveMembers(
        connection,
        pages.map((p) => ({ type: 'FlexiPage', fullName: p })),
        join(work, 'pages')
      );
      for (const p of pages) {
        const xml = await readIfPresent(join(work, 'pages', 'metadata', flexiPagePath(p)));
        if (xml !== undefined) meta.pages[p] = xml;
      }
    }
    return { meta, warnings };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Is the appointments component in the org yet? (A page referencing a missing component fails to deploy.) */
export async function componentDeployed(api: OrgApi, name: string): Promise<boolean | undefined> {
  try {
    const rows = await api.toolingQuery<{ Id: string }>(
      `SELECT Id FROM LightningComponentBundle WHERE DeveloperName = '${name.replace(/'/g, '')}'`
    );
    return rows.length > 0;
  } catch {
    return undefined;
  }
}

export async function applyPlan(connection: Connection, plan: EmbedPlan): Promise<DeployOutcome> {
  const work = await mkdtemp(join(tmpdir(), 'coconut-embed-deploy-'));
  try {
    for (const [path, content] of planFiles(plan)) {
      await mkdir(dirname(join(work, path)), { recursive: true });
      await writeFile(join(work, path), content);
    }
    await writeFile(
      join(work, 'package.xml'),
      packageXml(planMembers(plan), connection.getApiVersion())
    );
    return await deployFolder(connection, work, { testLevel: 'NoTestRun' });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
