/**
 * End to end: the install commands against the local org, through the real libraries.
 *
 * A copy of scripts/__fixtures__/package-project is served by `local-org serve`; the pinned sf CLI
 * logs in to it with an access token (in a throwaway HOME), and each command runs as a child
 * process exactly as `npm run <command> -- --target-org local --json` would.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';

const ROOT = join(import.meta.dirname, '..', '..');
const FIXTURE = join(ROOT, 'scripts', '__fixtures__', 'package-project');
/** tsx resolved from this repository, so children can run from any folder. */
const TSX = ['--import', import.meta.resolve('tsx')];

let work = '';
let project = '';
let home = '';
let server: ChildProcess | undefined;
let ready: { instanceUrl: string; users: { username: string; accessToken: string }[] };

function env(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    HOME: home,
    NODE_NO_WARNINGS: '1',
    SF_DISABLE_TELEMETRY: 'true',
    SF_AUTOUPDATE_DISABLE: 'true',
    SF_SKIP_NEW_VERSION_CHECK: 'true',
    CI: 'true'
  };
}

interface Run {
  code: number;
  doc: {
    status: number;
    result?: Record<string, unknown>;
    name?: string;
    message?: string;
    action?: string;
  };
  stderr: string;
}

function cli(...args: string[]): Run {
  const child = spawnSync(
    process.execPath,
    [...TSX, join(ROOT, 'scripts', 'cli.ts'), ...args, '--target-org', 'local', '--json'],
    {
      cwd: project,
      env: env(),
      encoding: 'utf8',
      timeout: 120_000
    }
  );
  let doc: Run['doc'];
  try {
    doc = JSON.parse(child.stdout) as Run['doc'];
  } catch {
    throw new Error(`not JSON (exit ${child.status}):\n${child.stdout}\n${child.stderr}`);
  }
  return { code: child.status ?? -1, doc, stderr: child.stderr };
}

async function filesOf(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  async function walk(d: string): Promise<void> {
    for (const entry of await readdir(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) await walk(path);
      else files.set(relative(dir, path), await readFile(path, 'utf8'));
    }
  }
  await walk(dir);
  return files;
}

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'coconut-e2e-'));
  project = join(work, 'project');
  home = join(work, 'home');
  await cp(FIXTURE, project, { recursive: true });
  await mkdir(home, { recursive: true });
  server = spawn(
    process.execPath,
    [
      ...TSX,
      join(ROOT, 'local-org', 'server', 'cli.ts'),
      'serve',
      '--json',
      '--port',
      '0',
      '--fresh',
      '--data-dir',
      join(work, 'org'),
      '--project',
      project
    ],
    { cwd: ROOT, env: env(), stdio: ['ignore', 'pipe', 'pipe'] }
  );
  ready = await new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`local-org did not start:\n${err}`)), 60_000);
    server?.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
    server?.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line && out.includes('\n')) {
        clearTimeout(timer);
        resolve(JSON.parse(line) as typeof ready);
      }
    });
    server?.on('exit', (code) => reject(new Error(`local-org exited with ${code}:\n${err}`)));
  });
  const login = spawnSync(
    join(ROOT, 'node_modules', '.bin', 'sf'),
    [
      'org',
      'login',
      'access-token',
      '--instance-url',
      ready.instanceUrl,
      '--no-prompt',
      '--alias',
      'local',
      '--json'
    ],
    {
      env: { ...env(), SF_ACCESS_TOKEN: ready.users[0].accessToken },
      encoding: 'utf8',
      timeout: 120_000
    }
  );
  assert.equal(
    login.status,
    0,
    `sf org login access-token failed:\n${login.stdout}\n${login.stderr}`
  );
});

after(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server?.on('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }
  if (work) await rm(work, { recursive: true, force: true });
});

describe('install commands against the local org', () => {
  it('preflight passes the edition and blocks an integration user without API Enabled', () => {
    const run = cli('preflight', '--integration-user', 'integration@local-org.invalid');
    assert.equal(run.code, 1, run.stderr);
    const checks = (run.doc.result?.checks ?? []) as {
      id: string;
      status: string;
      message: string;
    }[];
    const byId = new Map(checks.map((c) => [c.id, c]));
    assert.equal(byId.get('edition')?.status, 'pass');
    assert.equal(byId.get('running-user-api')?.status, 'pass');
    assert.equal(byId.get('deployer')?.status, 'pass');
    assert.equal(byId.get('integration-user-api')?.status, 'fail');
    assert.match(
      byId.get('integration-user-api')?.message ?? '',
      /integration@local-org\.invalid .* does not have API Enabled/
    );
  });

  it('deploy refuses a production org without a sandbox validation of the build, before touching anything', async () => {
    const run = cli('deploy', '--no-build');
    assert.equal(run.code, 3, run.stderr);
    assert.equal(run.doc.name, 'ProductionNotValidated');
    assert.match(run.doc.message ?? '', /has not been validated in a sandbox/);
    assert.match(run.doc.action ?? '', /--skip-sandbox-check --reason/);
    await assert.rejects(
      readdir(join(project, 'backups')),
      { code: 'ENOENT' },
      'refused before the backup step'
    );
  });

  it('backup → embed → restore leaves the org byte-identical; embed is idempotent and previewable', async () => {
    const first = cli('backup', '--scope', 'embed', '--object', 'Widget__c');
    assert.equal(first.code, 0, first.stderr);
    const firstDir = String(first.doc.result?.dir);
    const before = await filesOf(join(firstDir, 'metadata'));
    assert.ok(before.has('flexipages/Widget_Record_Page.flexipage'));

    const preview = cli('embed', '--object', 'Widget__c', '--dry-run');
    assert.equal(preview.code, 0, preview.stderr);
    assert.equal(preview.doc.result?.deployed, false);
    assert.match(
      String(preview.doc.result?.diff),
      /\+ {16}<componentName>coconutAppointments<\/componentName>/
    );

    const embedded = cli('embed', '--object', 'Widget__c');
    assert.equal(embedded.code, 0, embedded.stderr);
    assert.equal(embedded.doc.result?.deployed, true);
    const again = cli('embed', '--object', 'Widget__c');
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.doc.result?.deployed, false, 'second embed changes nothing');

    const unasked = cli('restore', '--from', firstDir);
    assert.equal(unasked.code, 2, unasked.stderr);
    assert.equal(
      unasked.doc.name,
      'ConfirmationRequired',
      'no terminal and no --yes: refuse to act unasked'
    );

    const restored = cli('restore', '--from', firstDir, '--yes');
    assert.equal(restored.code, 0, restored.stderr);
    assert.equal(restored.doc.result?.restored, true);

    const last = cli('backup', '--scope', 'embed', '--object', 'Widget__c');
    const afterRestore = await filesOf(join(String(last.doc.result?.dir), 'metadata'));
    assert.deepEqual([...afterRestore.keys()].sort(), [...before.keys()].sort());
    for (const [path, content] of before)
      assert.equal(afterRestore.get(path), content, `${path} differs after restore`);
  });
});
