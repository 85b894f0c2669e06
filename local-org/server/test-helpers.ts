// Shared by the server's tests: start a local org on a free port with a fresh data dir, run
// the real sf CLI against it with an isolated HOME, small fetch helpers.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLocalOrg, type LocalOrg, type StartOptions } from './local-org.ts';

const here = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(here, '..', '..');
export const FIXTURE_PROJECT = join(here, '__fixtures__', 'project');

export interface TestOrg extends LocalOrg {
  dataDir: string;
  projectDir: string;
  token: (alias: string) => string;
  stop: () => Promise<void>;
}

/** Starts an org for `projectDir` (copied to a temp dir when `copyProject`) on port 0. */
export async function startTestOrg(
  opts: {
    projectDir?: string;
    copyProject?: boolean;
    sessionTimeoutMs?: number;
    logs?: string[];
    /** Organization shape options, as `serve --edition/--sandbox/--trial-expires`. */
    org?: StartOptions['org'];
    /** Changes the copied project before the org starts (needs `copyProject`). */
    prepare?: (projectDir: string) => void;
  } = {}
): Promise<TestOrg> {
  const root = mkdtempSync(join(tmpdir(), 'local-org-test-'));
  let projectDir = opts.projectDir ?? FIXTURE_PROJECT;
  if (opts.copyProject) {
    const copy = join(root, 'project');
    cpSync(projectDir, copy, {
      recursive: true,
      filter: (src) => !src.includes('node_modules') && !src.includes('.local-org')
    });
    projectDir = copy;
    opts.prepare?.(copy);
  }
  const dataDir = join(root, 'data');
  const logs = opts.logs;
  const org = await startLocalOrg({
    projectDir,
    dataDir,
    port: 0,
    fresh: true,
    sessionTimeoutMs: opts.sessionTimeoutMs,
    org: opts.org,
    log: (line) => {
      if (logs) logs.push(line);
      else if (process.env.LOCAL_ORG_DEBUG) process.stderr.write(`${line}\n`);
    }
  });
  return {
    ...org,
    dataDir,
    projectDir,
    token: (alias: string) => {
      const u = org.info.users.find((x) => x.alias === alias || x.username === alias);
      if (!u) throw new Error(`no user ${alias}`);
      return u.accessToken;
    },
    stop: async () => {
      await org.close();
      rmSync(root, { recursive: true, force: true });
    }
  };
}

export interface Sf {
  home: string;
  run: (args: string[], opts?: { cwd?: string; env?: Record<string, string> }) => Promise<SfResult>;
  cleanup: () => void;
}

export interface SfResult {
  code: number;
  stdout: string;
  stderr: string;
  json: Record<string, unknown> | undefined;
}

const SF_BIN = join(REPO_ROOT, 'node_modules', '@salesforce', 'cli', 'bin', 'run.js');

/** The pinned sf CLI with telemetry and update checks off and its own HOME. */
export function sfCli(): Sf {
  const home = mkdtempSync(join(tmpdir(), 'local-org-sf-home-'));
  const baseEnv: Record<string, string> = {
    // node_modules/.bin first: sf hooks that spawn `sf` find the pinned one.
    PATH: `${join(REPO_ROOT, 'node_modules', '.bin')}:${process.env.PATH ?? ''}`,
    HOME: home,
    USERPROFILE: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_CACHE_HOME: join(home, '.cache'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    SF_DISABLE_TELEMETRY: 'true',
    SFDX_DISABLE_TELEMETRY: 'true',
    SF_AUTOUPDATE_DISABLE: 'true',
    SFDX_AUTOUPDATE_DISABLE: 'true',
    SF_SKIP_NEW_VERSION_CHECK: 'true',
    SF_USE_GENERIC_UNIX_KEYCHAIN: 'true',
    SFDX_USE_GENERIC_UNIX_KEYCHAIN: 'true',
    SF_DISABLE_DNS_CHECK: 'true',
    SF_IMPROVED_CODE_COVERAGE: 'true',
    NO_COLOR: '1',
    FORCE_COLOR: '0',
    TERM: 'dumb'
  };
  return {
    home,
    run: (args, o = {}) =>
      new Promise((resolvePromise) => {
        execFile(
          process.execPath,
          [SF_BIN, ...args],
          {
            cwd: o.cwd ?? home,
            env: { ...baseEnv, ...(o.env ?? {}) },
            maxBuffer: 64 * 1024 * 1024,
            timeout: 120_000
          },
          (err, stdout, stderr) => {
            const code = err
              ? typeof (err as { code?: unknown }).code === 'number'
                ? (err as { code: number }).code
                : 1
              : 0;
            let json: Record<string, unknown> | undefined;
            try {
              json = JSON.parse(stdout) as Record<string, unknown>;
            } catch {
              json = undefined;
            }
            resolvePromise({ code, stdout, stderr, json });
          }
        );
      }),
    cleanup: () => rmSync(home, { recursive: true, force: true })
  };
}

export async function api(
  org: { info: { instanceUrl: string } },
  token: string | undefined,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {}
): Promise<{ status: number; body: unknown; text: string; headers: Headers }> {
  const res = await fetch(`${org.info.instanceUrl}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined && typeof body !== 'string'
        ? { 'content-type': 'application/json' }
        : {}),
      ...headers
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body)
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    parsed = text;
  }
  return { status: res.status, body: parsed, text, headers: res.headers };
}
