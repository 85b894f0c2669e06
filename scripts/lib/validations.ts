/**
 * Sandbox-first deploys: the content hash of a package build, the local record of successful
 * sandbox validations (.coconut/validations.json, never committed) and the production guard.
 */
import { createHash } from 'node:crypto';
import { appendFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { OrgKind } from './preflight-rules.ts';

export interface ValidationRecord {
  hash: string;
  orgId: string;
  orgName?: string;
  username?: string;
  instanceUrl?: string;
  kind: OrgKind;
  deployId: string;
  validatedAt: string;
  testsRun?: number;
  orgWideCoverage?: number | null;
}

export interface OverrideRecord {
  hash: string;
  orgId: string;
  username?: string;
  reason: string;
  at: string;
}

interface Store {
  validations: ValidationRecord[];
  overrides: OverrideRecord[];
}

/** The local state folder; it ignores itself so its records never reach git. */
export async function stateDir(projectDir: string): Promise<string> {
  const dir = join(projectDir, '.coconut');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, '.gitignore'), '# local deploy records; never commit\n*\n');
  return dir;
}

async function readStore(projectDir: string): Promise<Store> {
  try {
    const parsed = JSON.parse(
      await readFile(join(projectDir, '.coconut', 'validations.json'), 'utf8')
    ) as Partial<Store>;
    return { validations: parsed.validations ?? [], overrides: parsed.overrides ?? [] };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { validations: [], overrides: [] };
    throw err;
  }
}

async function writeStore(projectDir: string, store: Store): Promise<void> {
  const dir = await stateDir(projectDir);
  await writeFile(join(dir, 'validations.json'), JSON.stringify(store, null, 2) + '\n');
}

export async function listValidations(projectDir: string): Promise<ValidationRecord[]> {
  return (await readStore(projectDir)).validations;
}

export async function recordValidation(
  projectDir: string,
  record: ValidationRecord
): Promise<void> {
  const store = await readStore(projectDir);
  store.validations.push(record);
  await writeStore(projectDir, store);
}

export async function recordOverride(projectDir: string, record: OverrideRecord): Promise<void> {
  const store = await readStore(projectDir);
  store.overrides.push(record);
  await writeStore(projectDir, store);
  const dir = await stateDir(projectDir);
  await appendFile(
    join(dir, 'audit.log'),
    JSON.stringify({ event: 'skip-sandbox-check', ...record }) + '\n'
  );
}

/**
 * sha256 over the package's deployable files (path and bytes, in path order), so the same build
 * gives the same hash on any machine. `accepts` filters like .forceignore does.
 */
export async function contentHash(
  packageDir: string,
  accepts: (path: string) => boolean = () => true
): Promise<string> {
  const files: string[] = [];
  async function walk(dir: string): Promise<void> {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile() && accepts(path)) files.push(path);
    }
  }
  await walk(packageDir);
  const hash = createHash('sha256');
  const rel = files
    .map((f) => ({ f, key: relative(packageDir, f).split(sep).join('/') }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const { f, key } of rel) {
    hash.update(key);
    hash.update('\0');
    hash.update(await readFile(f));
    hash.update('\0');
  }
  return hash.digest('hex');
}

export interface GuardInput {
  kind: OrgKind;
  hash: string;
  validations: ValidationRecord[];
  skipSandboxCheck?: boolean;
  reason?: string;
}

export interface GuardDecision {
  allowed: boolean;
  /** The sandbox validation that allows this production deploy. */
  sandboxValidation?: ValidationRecord;
  override?: boolean;
  message: string;
  action?: string;
}

/** Production deploys need a successful sandbox validation of the same build, or an explicit, reasoned override. */
export function productionGuard(input: GuardInput): GuardDecision {
  if (input.kind !== 'production') {
    return {
      allowed: true,
      message: `Target is a ${input.kind} org: no sandbox validation needed.`
    };
  }
  const match = input.validations
    .filter((v) => v.hash === input.hash && v.kind === 'sandbox')
    .sort((a, b) => (a.validatedAt < b.validatedAt ? 1 : -1))[0];
  if (match) {
    return {
      allowed: true,
      sandboxValidation: match,
      message: `This build (${input.hash.slice(0, 12)}) was validated in sandbox ${match.orgName ?? match.orgId} at ${match.validatedAt} (deploy ${match.deployId}).`
    };
  }
  if (input.skipSandboxCheck) {
    if (!input.reason || input.reason.trim() === '') {
      return {
        allowed: false,
        message: '--skip-sandbox-check needs a reason.',
        action:
          'Add --reason "<why this build goes to production without a sandbox validation>"; it is logged.'
      };
    }
    return {
      allowed: true,
      override: true,
      message: `Sandbox check skipped for build ${input.hash.slice(0, 12)}: "${input.reason.trim()}" (logged in .coconut/).`
    };
  }
  const other = input.validations.filter((v) => v.kind === 'sandbox');
  return {
    allowed: false,
    message: `Refusing to deploy to production: this build (${input.hash.slice(0, 12)}) has not been validated in a sandbox${
      other.length
        ? ` (sandbox validations on record are for other builds: ${[...new Set(other.map((v) => v.hash.slice(0, 12)))].join(', ')})`
        : ''
    }.`,
    action:
      'Run `npm run deploy -- --target-org <sandbox>` with this exact build first, test it there, then deploy to production. To override (logged): --skip-sandbox-check --reason "…".'
  };
}
