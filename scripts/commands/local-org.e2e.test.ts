/**
 * End to end: the install commands against the local org, through the real libraries.
 *
 * A copy of scripts/__fixtures__/package-project is served by `local-org serve`; the pinned sf CLI
 * logs in to it with an access token (in a throwaway HOME), and each command runs as a child
 * process exactly as `npm run <command> -- --target-org local --json` would.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';

const ROOT = join(import.meta.dirname, '..', '..');
const FIXTURE = join(ROOT, 'scripts', '__fixtures__', 'package-project');
/** tsx resolved from this repository, so children can run from any folder. */
const TSX = ['--import', import.meta.resolve('tsx')];

let work = '';
let project = '';
/** A second copy for the deploy group, so its backups and records do not mix with the other group's. */
let deployProject = '';
let home = '';
/** Every local org this file started (stopped in `after`). */
const servers: ChildProcess[] = [];
let ready: Ready;

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

function cli(...args: string[]): Promise<Run> {
  return cliIn(project, ...args);
}

/** Runs `scripts/cli.ts <args> --target-org local --json` in `cwd` (asynchronously, so test groups can overlap). */
function cliIn(cwd: string, ...args: string[]): Promise<Run> {
  return cliAt(cwd, 'local', ...args);
}

/** Runs `scripts/cli.ts <args> --target-org <target> --json` in `cwd`. */
function cliAt(cwd: string, target: string, ...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [...TSX, join(ROOT, 'scripts', 'cli.ts'), ...args, '--target-org', target, '--json'],
      {
        cwd,
        env: env(),
        stdio: ['ignore', 'pipe', 'pipe']
      }
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      try {
        resolve({ code: code ?? -1, doc: JSON.parse(stdout) as Run['doc'], stderr });
      } catch {
        reject(new Error(`not JSON (exit ${code}):\n${stdout}\n${stderr}`));
      }
    });
  });
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

type Ready = {
  instanceUrl: string;
  users: { username: string; accessToken: string }[];
  org?: { edition: string; isSandbox: boolean; trialExpirationDate: string | null };
};

/** Starts `local-org serve --json` for `projectDir` (fresh, any port) and waits for its JSON line. */
async function startServer(
  projectDir: string,
  dataDir: string,
  extra: string[]
): Promise<{ child: ChildProcess; ready: Ready }> {
  const child = spawn(
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
      dataDir,
      '--project',
      projectDir,
      ...extra
    ],
    { cwd: ROOT, env: env(), stdio: ['ignore', 'pipe', 'pipe'] }
  );
  servers.push(child);
  const ready = await new Promise<Ready>((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`local-org did not start:\n${err}`)), 90_000);
    child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line && out.includes('\n')) {
        clearTimeout(timer);
        resolve(JSON.parse(line) as Ready);
      }
    });
    child.on('exit', (code) => reject(new Error(`local-org exited with ${code}:\n${err}`)));
  });
  return { child, ready };
}

/** `sf org login access-token` into the throwaway HOME under `alias`. */
function login(alias: string, org: Ready, accessToken: string): void {
  const result = spawnSync(
    join(ROOT, 'node_modules', '.bin', 'sf'),
    [
      'org',
      'login',
      'access-token',
      '--instance-url',
      org.instanceUrl,
      '--no-prompt',
      '--alias',
      alias,
      '--json'
    ],
    { env: { ...env(), SF_ACCESS_TOKEN: accessToken }, encoding: 'utf8', timeout: 120_000 }
  );
  assert.equal(
    result.status,
    0,
    `sf org login access-token (${alias}) failed:\n${result.stdout}\n${result.stderr}`
  );
}

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'coconut-e2e-'));
  project = join(work, 'project');
  home = join(work, 'home');
  await cp(FIXTURE, project, { recursive: true });
  deployProject = join(work, 'deploy-project');
  await cp(FIXTURE, deployProject, { recursive: true });
  await mkdir(home, { recursive: true });
  const started = await startServer(project, join(work, 'org'), [
    // The integration user gets the permission set with the health resource's class access.
    '--assign',
    'integration=Widget_User'
  ]);
  ready = started.ready;
  // The pinned sf CLI logs in as the admin (alias local). The integration user has no API
  // Enabled here, so it cannot log in (see the connect test).
  login('local', ready, ready.users[0]!.accessToken);
});

after(async () => {
  for (const child of servers) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    const stubborn = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(stubborn);
  }
  if (work) await rm(work, { recursive: true, force: true });
});

// One org for both groups, one after the other: the deploy group redeploys the pages the first one edits.
describe('against the local org', () => {
  describe('install commands', () => {
    it('preflight passes the edition and blocks an integration user without API Enabled', async () => {
      const run = await cli('preflight', '--integration-user', 'integration@local-org.invalid');
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

    it('preflight blocks a package field whose type differs from the one in the org', async () => {
      const changed = join(work, 'mismatch');
      await cp(project, changed, { recursive: true });
      const field = join(
        changed,
        'force-app',
        'main',
        'default',
        'objects',
        'Lead',
        'fields',
        'Widget_Code__c.field-meta.xml'
      );
      const xml = await readFile(field, 'utf8');
      await writeFile(
        field,
        xml
          .replace('<length>20</length>', '<precision>10</precision>\n    <scale>0</scale>')
          .replace('<type>Text</type>', '<type>Number</type>')
      );
      const run = await cliIn(changed, 'preflight');
      assert.equal(run.code, 1, run.stderr);
      const conflicts = (
        (run.doc.result?.checks ?? []) as { id: string; status: string; message: string }[]
      ).find((c) => c.id === 'conflicts');
      assert.equal(conflicts?.status, 'fail');
      assert.match(
        conflicts?.message ?? '',
        /CustomField Lead\.Widget_Code__c \(exists as string, the package defines Number\)/
      );
    });

    it('a user without API Enabled cannot log in with the sf CLI; connect checks the endpoint as the running user', async () => {
      const integration = ready.users.find((u) => u.username === 'integration@local-org.invalid')!;
      const refused = spawnSync(
        join(ROOT, 'node_modules', '.bin', 'sf'),
        [
          'org',
          'login',
          'access-token',
          '--instance-url',
          ready.instanceUrl,
          '--no-prompt',
          '--alias',
          'integration',
          '--json'
        ],
        {
          env: { ...env(), SF_ACCESS_TOKEN: integration.accessToken },
          encoding: 'utf8',
          timeout: 120_000
        }
      );
      assert.equal(refused.status, 1, refused.stdout);
      assert.match(refused.stdout, /API is disabled for this User/);

      const run = await cli('connect', '--no-login', '--integration-user', integration.username);
      assert.equal(run.code, 1, 'not ready: preflight still has a blocker');
      const result = run.doc.result as {
        health: {
          ok: boolean;
          checkedAs: string;
          asIntegrationUser: boolean;
          response: { status: string; user: string };
        };
        instanceUrl: string;
        preflight: { ok: boolean };
      };
      assert.equal(result.preflight.ok, false);
      assert.equal(result.health.ok, true, JSON.stringify(result.health));
      assert.equal(result.health.asIntegrationUser, false);
      assert.deepEqual(result.health.response, {
        status: 'ok',
        user: ready.users[0]!.username
      });
      assert.equal(result.instanceUrl, ready.instanceUrl.replace(/\/+$/, ''));
    });

    it('deploy refuses a production org without a sandbox validation of the build, before touching anything', async () => {
      const run = await cli('deploy', '--no-build');
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

    it('backup → embed → restore leaves the org byte-identical; embed is previewable and unembed reverses it', async () => {
      const first = await cli('backup', '--scope', 'embed', '--object', 'Widget__c');
      assert.equal(first.code, 0, first.stderr);
      const firstDir = String(first.doc.result?.dir);
      const before = await filesOf(join(firstDir, 'metadata'));
      assert.ok(before.has('flexipages/Widget_Record_Page.flexipage'));
      assert.match(
        await readFile(join(firstDir, 'package.xml'), 'utf8'),
        /<members>Widget_Record_Page<\/members>\n {8}<name>FlexiPage<\/name>/
      );

      const preview = await cli('embed', '--object', 'Widget__c', '--dry-run');
      assert.equal(preview.code, 0, preview.stderr);
      assert.equal(preview.doc.result?.deployed, false);
      assert.match(
        String(preview.doc.result?.diff),
        /\+ {16}<componentName>coconutAppointments<\/componentName>/
      );

      const embedded = await cli('embed', '--object', 'Widget__c');
      assert.equal(embedded.code, 0, embedded.stderr);
      assert.equal(embedded.doc.result?.deployed, true);

      const unembedded = await cli('unembed', '--object', 'Widget__c');
      assert.equal(unembedded.code, 0, unembedded.stderr);
      assert.equal(unembedded.doc.result?.deployed, true);
      const afterUnembed = await cli('backup', '--scope', 'embed', '--object', 'Widget__c');
      assert.deepEqual(
        await filesOf(join(String(afterUnembed.doc.result?.dir), 'metadata')),
        before,
        'unembed takes exactly the embed back out'
      );
      const again = await cli('embed', '--object', 'Widget__c');
      assert.equal(again.doc.result?.deployed, true, again.stderr);

      const unasked = await cli('restore', '--from', firstDir);
      assert.equal(unasked.code, 2, unasked.stderr);
      assert.equal(
        unasked.doc.name,
        'ConfirmationRequired',
        'no terminal and no --yes: refuse to act unasked'
      );

      const restored = await cli('restore', '--from', firstDir, '--yes');
      assert.equal(restored.code, 0, restored.stderr);
      assert.equal(restored.doc.result?.restored, true);

      const last = await cli('backup', '--scope', 'embed', '--object', 'Widget__c');
      const afterRestore = await filesOf(join(String(last.doc.result?.dir), 'metadata'));
      assert.deepEqual([...afterRestore.keys()].sort(), [...before.keys()].sort());
      for (const [path, content] of before)
        assert.equal(afterRestore.get(path), content, `${path} differs after restore`);
    });

    it('embed creates and activates a page for an object without one; restore deletes it and puts the object back', async () => {
      const first = await cli('backup', '--scope', 'embed', '--object', 'Gadget__c');
      assert.equal(first.code, 0, first.stderr);
      const manifest = (first.doc.result?.manifest ?? {}) as {
        existed: { fullName: string }[];
        absent: { fullName: string }[];
      };
      assert.deepEqual(
        manifest.existed.map((m) => m.fullName),
        ['Gadget__c']
      );
      assert.deepEqual(
        manifest.absent.map((m) => m.fullName),
        ['Coconut_Gadget_Record_Page']
      );
      const before = await filesOf(join(String(first.doc.result?.dir), 'metadata'));

      const embedded = await cli('embed', '--object', 'Gadget__c');
      assert.equal(embedded.code, 0, embedded.stderr);
      const plan = embedded.doc.result?.plan as { page: string; action: string }[];
      assert.deepEqual(
        plan.map((p) => `${p.page}:${p.action}`),
        ['Coconut_Gadget_Record_Page:create']
      );
      const activated = await cli('embed', '--object', 'Gadget__c', '--dry-run');
      assert.deepEqual(
        (
          activated.doc.result?.plan as { page: string; action: string; assignedAs: string[] }[]
        ).map((p) => `${p.page}:${p.action}:${p.assignedAs.join()}`),
        ['Coconut_Gadget_Record_Page:unchanged:org default'],
        'the new page is now the org default and already holds the component'
      );

      const restored = await cli('restore', '--from', String(first.doc.result?.dir), '--yes');
      assert.equal(restored.code, 0, restored.stderr);
      const restorePlan = restored.doc.result?.plan as { delete: { fullName: string }[] };
      assert.deepEqual(
        restorePlan.delete.map((m) => m.fullName),
        ['Coconut_Gadget_Record_Page']
      );

      const last = await cli('backup', '--scope', 'embed', '--object', 'Gadget__c');
      const lastManifest = (last.doc.result?.manifest ?? {}) as { absent: { fullName: string }[] };
      assert.deepEqual(
        lastManifest.absent.map((m) => m.fullName),
        ['Coconut_Gadget_Record_Page'],
        'the created page is gone'
      );
      const after = await filesOf(join(String(last.doc.result?.dir), 'metadata'));
      assert.deepEqual(after, before);
    });
  });

  describe('deploy pipeline', () => {
    const testClass = join('force-app', 'main', 'default', 'classes', 'WidgetServiceTest.cls');

    it('validates with RunLocalTests and passes the coverage gate; a production validation does not count as a sandbox one', async () => {
      const run = await cliIn(deployProject, 'deploy', '--no-build', '--validate-only');
      assert.equal(run.code, 0, `${run.doc.message}\n${run.stderr}`);
      const gate = run.doc.result?.gate as {
        passed: boolean;
        orgWide: number;
        classes: { name: string; percent: number }[];
      };
      assert.equal(gate.passed, true);
      assert.deepEqual(gate.classes.map((c) => c.name).sort(), [
        'WidgetHealthResource',
        'WidgetService',
        'WidgetTrigger'
      ]);
      assert.ok(gate.classes.every((c) => c.percent >= 90));
      const store = JSON.parse(
        await readFile(join(deployProject, '.coconut', 'validations.json'), 'utf8')
      ) as { validations: { kind: string }[] };
      assert.deepEqual(
        store.validations.map((v) => v.kind),
        ['production']
      );
      const refused = await cliIn(deployProject, 'deploy', '--no-build');
      assert.equal(
        refused.code,
        3,
        'a validation in the production org itself is not a sandbox validation'
      );
    });

    it('a failing Apex test blocks the deploy and leaves the org unchanged', async () => {
      const failing = join(work, 'failing');
      await cp(deployProject, failing, {
        recursive: true,
        filter: (src) => !src.includes(join(deployProject, 'backups'))
      });
      const source = await readFile(join(failing, testClass), 'utf8');
      const broken = source.replace(
        'Assert.areEqual(3, WidgetService.size(widget)',
        'Assert.areEqual(4, WidgetService.size(widget)'
      );
      assert.notEqual(broken, source, 'the test class was made to fail');
      await writeFile(join(failing, testClass), broken);
      const run = await cliIn(
        failing,
        'deploy',
        '--no-build',
        '--skip-sandbox-check',
        '--reason',
        'e2e: failing test must block'
      );
      assert.equal(run.code, 1, run.stderr);
      assert.equal(run.doc.name, 'ValidationFailed', run.doc.message);
      assert.match(run.doc.message ?? '', /1 of 3 test\(s\) failed/);
      assert.match(
        run.doc.message ?? '',
        /test WidgetServiceTest\.insertingAWidgetRunsTheTrigger failed/
      );
      const audit = await readFile(join(failing, '.coconut', 'audit.log'), 'utf8');
      assert.match(audit, /"reason":"e2e: failing test must block"/);

      const check = await cliIn(deployProject, 'backup', '--scope', 'deploy');
      const retrieved = await readFile(
        join(String(check.doc.result?.dir), 'metadata', 'classes', 'WidgetServiceTest.cls'),
        'utf8'
      );
      assert.equal(retrieved, source, 'the failing test class was not deployed');
    });

    it('a production deploy with a logged override quick-deploys, assigns permission sets, and restore removes what it added', async () => {
      const extended = join(work, 'extended');
      await cp(deployProject, extended, {
        recursive: true,
        filter: (src) => !src.includes(join(deployProject, 'backups'))
      });
      const classes = join(extended, 'force-app', 'main', 'default', 'classes');
      const meta = await readFile(join(classes, 'WidgetService.cls-meta.xml'), 'utf8');
      await writeFile(
        join(classes, 'WidgetExtra.cls'),
        "public with sharing class WidgetExtra {\n    public static String label() {\n        return 'extra';\n    }\n}\n"
      );
      await writeFile(join(classes, 'WidgetExtra.cls-meta.xml'), meta);
      await writeFile(
        join(classes, 'WidgetExtraTest.cls'),
        "@IsTest\nprivate class WidgetExtraTest {\n    @IsTest\n    static void labelIsExtra() {\n        Assert.areEqual('extra', WidgetExtra.label(), 'label');\n    }\n}\n"
      );
      await writeFile(join(classes, 'WidgetExtraTest.cls-meta.xml'), meta);

      const run = await cliIn(
        extended,
        'deploy',
        '--no-build',
        '--skip-sandbox-check',
        '--reason',
        'e2e: emergency fix',
        '--permission-set',
        'Widget_User'
      );
      assert.equal(run.code, 0, `${run.doc.message}\n${run.stderr}`);
      const result = run.doc.result as {
        deployed: boolean;
        deployId: string;
        validationId: string;
        backup: string;
        assignments: { permissionSet: string; status: string }[];
        gate: { classes: { name: string }[] };
      };
      assert.equal(result.deployed, true);
      assert.notEqual(result.deployId, result.validationId, 'the quick deploy is its own job');
      assert.ok(result.gate.classes.some((c) => c.name === 'WidgetExtra'));
      assert.deepEqual(
        result.assignments.map((a) => `${a.permissionSet}:${a.status}`),
        ['Widget_User:assigned']
      );
      const store = JSON.parse(
        await readFile(join(extended, '.coconut', 'validations.json'), 'utf8')
      ) as { overrides: { reason: string }[] };
      assert.deepEqual(
        store.overrides.map((o) => o.reason),
        ['e2e: emergency fix']
      );

      const manifest = JSON.parse(await readFile(join(result.backup, 'manifest.json'), 'utf8')) as {
        absent: { fullName: string }[];
      };
      assert.deepEqual(
        manifest.absent.map((m) => m.fullName),
        ['WidgetExtra', 'WidgetExtraTest']
      );
      const before = await filesOf(join(result.backup, 'metadata'));

      const restored = await cliIn(extended, 'restore', '--from', result.backup, '--yes');
      assert.equal(restored.code, 0, `${restored.doc.message}\n${restored.stderr}`);
      const after = await cliIn(extended, 'backup', '--scope', 'deploy');
      const afterManifest = (after.doc.result?.manifest ?? {}) as {
        absent: { fullName: string }[];
      };
      assert.deepEqual(
        afterManifest.absent.map((m) => m.fullName),
        ['WidgetExtra', 'WidgetExtraTest'],
        'the added classes are gone'
      );
      assert.deepEqual(
        await filesOf(join(String(after.doc.result?.dir), 'metadata')),
        before,
        'everything else is as it was'
      );
    });
  });
});

describe('org shapes: editions and sandbox-first deploys', () => {
  /** A copy of the fixture for this group's deploy records. */
  let flowProject = '';
  before(async () => {
    flowProject = join(work, 'flow-project');
    await cp(FIXTURE, flowProject, { recursive: true });
    // Each org has its own usernames: the sf CLI keeps one login per username.
    const orgProject = async (name: string): Promise<string> => {
      const dir = join(work, `${name}-project`);
      await cp(FIXTURE, dir, { recursive: true });
      await writeFile(
        join(dir, 'local-org.config.json'),
        JSON.stringify({
          users: [
            {
              alias: 'admin',
              username: `admin@${name}.local-org.invalid`,
              profile: 'System Administrator',
              permissionSets: []
            },
            {
              alias: 'integration',
              username: `integration@${name}.local-org.invalid`,
              profile: 'Minimum Access - Salesforce',
              permissionSets: ['Widget_User'],
              clientCredentials: true
            }
          ]
        })
      );
      return dir;
    };
    const [sandbox, professional] = await Promise.all([
      startServer(await orgProject('uat'), join(work, 'sandbox-org'), [
        '--sandbox',
        '--edition',
        'Enterprise Edition'
      ]),
      startServer(await orgProject('professional'), join(work, 'professional-org'), [
        '--edition',
        'Professional Edition'
      ])
    ]);
    assert.deepEqual(sandbox.ready.org, {
      id: (sandbox.ready.org as { id?: string } | undefined)?.id,
      edition: 'Enterprise Edition',
      isSandbox: true,
      trialExpirationDate: null
    });
    login('sandbox', sandbox.ready, sandbox.ready.users[0]!.accessToken);
    login('professional', professional.ready, professional.ready.users[0]!.accessToken);
  });

  it('preflight blocks an unsupported edition and reads a sandbox as a sandbox', async () => {
    const pro = await cliAt(project, 'professional', 'preflight');
    assert.equal(pro.code, 1, pro.stderr);
    const edition = (
      (pro.doc.result?.checks ?? []) as { id: string; status: string; message: string }[]
    ).find((c) => c.id === 'edition');
    assert.equal(edition?.status, 'fail');
    assert.match(edition?.message ?? '', /Professional Edition is not supported/);

    const sandbox = await cliAt(project, 'sandbox', 'preflight');
    const org = sandbox.doc.result?.org as { edition: string; kind: string };
    assert.equal(org.edition, 'Enterprise Edition');
    assert.equal(org.kind, 'sandbox');
    const checks = (sandbox.doc.result?.checks ?? []) as { id: string; status: string }[];
    assert.equal(checks.find((c) => c.id === 'edition')?.status, 'pass');
  });

  it('a build validated in a --sandbox org deploys to production; a changed build does not', async () => {
    const validated = await cliAt(
      flowProject,
      'sandbox',
      'deploy',
      '--no-build',
      '--validate-only'
    );
    assert.equal(validated.code, 0, `${validated.doc.message}\n${validated.stderr}`);
    const store = JSON.parse(
      await readFile(join(flowProject, '.coconut', 'validations.json'), 'utf8')
    ) as { validations: { kind: string; hash: string }[] };
    assert.deepEqual(
      store.validations.map((v) => v.kind),
      ['sandbox']
    );

    const production = await cliAt(flowProject, 'local', 'deploy', '--no-build');
    assert.equal(production.code, 0, `${production.doc.message}\n${production.stderr}`);
    assert.equal(production.doc.result?.deployed, true);

    // Any change to the package is another build: production refuses it until it is validated.
    const classFile = join(
      flowProject,
      'force-app',
      'main',
      'default',
      'classes',
      'WidgetService.cls'
    );
    await writeFile(
      classFile,
      `${await readFile(classFile, 'utf8')}\n// changed after validation\n`
    );
    const refused = await cliAt(flowProject, 'local', 'deploy', '--no-build');
    assert.equal(refused.code, 3, refused.stderr);
    assert.equal(refused.doc.name, 'ProductionNotValidated');
  });
});

describe('the real package', () => {
  let real = '';
  before(async () => {
    real = join(work, 'real');
    await mkdir(real, { recursive: true });
    for (const entry of ['force-app', 'config', 'sfdx-project.json', 'local-org.config.json']) {
      await cp(join(ROOT, entry), join(real, entry), {
        recursive: true,
        filter: (src) => !src.includes('__tests__')
      });
    }
    const started = await startServer(real, join(work, 'real-org'), []);
    login('real', started.ready, started.ready.users[0]!.accessToken);
    const integration = started.ready.users.find((u) => u.username.startsWith('integration@'));
    login('real-integration', started.ready, integration!.accessToken);
  });

  it('the integration user has API Enabled through Coconut_Integration and the health endpoint answers it', async () => {
    const run = await cliAt(
      real,
      'real',
      'connect',
      '--no-login',
      '--integration-user',
      'integration@coconut.local-org.invalid',
      '--integration-org',
      'real-integration'
    );
    const result = run.doc.result as {
      health: {
        ok: boolean;
        asIntegrationUser: boolean;
        response?: { user?: { hasIntegrationAccess?: boolean } };
      };
      preflight: { checks: { id: string; status: string }[] };
    };
    assert.equal(result.health.ok, true, JSON.stringify(result.health));
    assert.equal(result.health.asIntegrationUser, true);
    assert.equal(
      result.health.response?.user?.hasIntegrationAccess,
      true,
      JSON.stringify(result.health.response)
    );
    const checks = new Map(result.preflight.checks.map((c) => [c.id, c.status]));
    assert.equal(checks.get('integration-user-api'), 'pass');
    assert.equal(checks.get('running-user-api'), 'pass');
  });

  it('embed creates and activates record pages for Lead, Contact, Account and Opportunity; restore leaves the org byte-identical', async () => {
    const objects = ['Lead', 'Contact', 'Account', 'Opportunity'];
    const pages = objects.map((o) => `Coconut_${o}_Record_Page`);
    const first = await cliAt(real, 'real', 'backup', '--scope', 'embed');
    assert.equal(first.code, 0, `${first.doc.message}\n${first.stderr}`);
    const manifest = (first.doc.result?.manifest ?? {}) as {
      existed: { type: string; fullName: string }[];
      absent: { fullName: string }[];
    };
    for (const o of objects) {
      assert.ok(
        manifest.existed.some((m) => m.type === 'CustomObject' && m.fullName === o),
        `the ${o} definition is backed up`
      );
    }
    assert.deepEqual(manifest.absent.map((m) => m.fullName).sort(), [...pages].sort());
    const before = await filesOf(join(String(first.doc.result?.dir), 'metadata'));
    assert.match(
      before.get(join('objects', 'Lead.object')) ?? '',
      /<actionName>View<\/actionName>\n {8}<formFactor>Large<\/formFactor>\n {8}<type>Default<\/type>/
    );

    const embedded = await cliAt(real, 'real', 'embed');
    assert.equal(embedded.code, 0, `${embedded.doc.message}\n${embedded.stderr}`);
    const plan = embedded.doc.result?.plan as { page: string; action: string }[];
    assert.deepEqual(
      plan.map((p) => `${p.page}:${p.action}`).sort(),
      pages.map((p) => `${p}:create`).sort()
    );

    const again = await cliAt(real, 'real', 'embed', '--dry-run');
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(
      (again.doc.result?.plan as { page: string; action: string; assignedAs: string[] }[])
        .map((p) => `${p.page}:${p.action}:${p.assignedAs.join()}`)
        .sort(),
      pages.map((p) => `${p}:unchanged:org default`).sort(),
      'each page is now the org default and holds the component; a second embed changes nothing'
    );

    const restored = await cliAt(
      real,
      'real',
      'restore',
      '--from',
      String(first.doc.result?.dir),
      '--yes'
    );
    assert.equal(restored.code, 0, `${restored.doc.message}\n${restored.stderr}`);
    assert.deepEqual(
      (restored.doc.result?.plan as { delete: { fullName: string }[] }).delete
        .map((m) => m.fullName)
        .sort(),
      [...pages].sort()
    );

    const last = await cliAt(real, 'real', 'backup', '--scope', 'embed');
    const lastManifest = (last.doc.result?.manifest ?? {}) as { absent: { fullName: string }[] };
    assert.deepEqual(lastManifest.absent.map((m) => m.fullName).sort(), [...pages].sort());
    const after = await filesOf(join(String(last.doc.result?.dir), 'metadata'));
    assert.deepEqual([...after.keys()].sort(), [...before.keys()].sort());
    for (const [path, content] of before) {
      assert.equal(after.get(path), content, `${path} differs after restore`);
    }
  });
});
