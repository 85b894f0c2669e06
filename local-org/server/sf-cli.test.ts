// End-to-end: the official sf CLI (pinned @salesforce/cli, isolated HOME, telemetry and
// update checks off) against the local org. One server and one CLI home for the file.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sfCli, startTestOrg, type Sf, type TestOrg } from './test-helpers.ts';

const CLASSES = join('force-app', 'main', 'default', 'classes');

function classMeta(): string {
  return readFileSync(
    join(import.meta.dirname, '__fixtures__', 'project', CLASSES, 'WidgetService.cls-meta.xml'),
    'utf8'
  );
}

describe('sf CLI against local-org', () => {
  let org: TestOrg;
  let sf: Sf;
  const logs: string[] = [];

  before(async () => {
    org = await startTestOrg({ copyProject: true, logs });
    sf = sfCli();
    const login = await sf.run(
      [
        'org',
        'login',
        'access-token',
        '--instance-url',
        org.info.instanceUrl,
        '--no-prompt',
        '--alias',
        'local',
        '--json'
      ],
      { env: { SF_ACCESS_TOKEN: org.token('admin') } }
    );
    assert.equal(login.code, 0, login.stdout + login.stderr);
    assert.equal((login.json?.result as { username: string }).username, 'admin@widgets.local');
  });

  after(async () => {
    sf?.cleanup();
    await org?.stop();
  });

  it('sf data query --json returns the records with Salesforce attributes', async () => {
    const res = await sf.run([
      'data',
      'query',
      '-o',
      'local',
      '-q',
      'SELECT Username FROM User ORDER BY Username',
      '--json'
    ]);
    assert.equal(res.code, 0, res.stdout + res.stderr);
    const result = res.json?.result as {
      totalSize: number;
      records: { Username: string; attributes: { type: string } }[];
    };
    assert.deepEqual(
      result.records.map((r) => r.Username),
      ['admin@widgets.local', 'integration@widgets.local', 'nobody@widgets.local']
    );
    assert.equal(result.records[0]!.attributes.type, 'User');
  });

  it('sf data query reports a bad field with the server error', async () => {
    const res = await sf.run([
      'data',
      'query',
      '-o',
      'local',
      '-q',
      'SELECT Nope__c FROM Widget__c',
      '--json'
    ]);
    assert.notEqual(res.code, 0);
    assert.match(res.stdout, /Nope__c/);
  });

  it('sf api request rest posts to the Apex REST endpoint and reads back', async () => {
    const body = join(sf.home, 'body.json');
    writeFileSync(body, JSON.stringify({ widgets: [{ name: 'via sf', code: 'SF-1', size: 5 }] }));
    const post = await sf.run([
      'api',
      'request',
      'rest',
      '/services/apexrest/widgets',
      '-X',
      'POST',
      '-b',
      `@${body}`,
      '-H',
      'Content-Type:application/json',
      '-o',
      'local'
    ]);
    assert.equal(post.code, 0, post.stderr);
    assert.deepEqual(JSON.parse(post.stdout), { count: 1 });
    const get = await sf.run([
      'api',
      'request',
      'rest',
      '/services/apexrest/widgets/SF-1',
      '-o',
      'local'
    ]);
    assert.equal(get.code, 0, get.stderr);
    assert.deepEqual(JSON.parse(get.stdout), { name: 'via sf', size: 5 });
  });

  it('sf apex run executes anonymous Apex as the user and returns the debug log', async () => {
    const file = join(sf.home, 'anon.apex');
    writeFileSync(
      file,
      "insert new Widget__c(Name = 'anon', Code__c = 'AN-1');\nSystem.debug('widgets: ' + [SELECT COUNT() FROM Widget__c WHERE Code__c = 'AN-1']);\n"
    );
    const res = await sf.run(['apex', 'run', '-o', 'local', '-f', file, '--json']);
    assert.equal(res.code, 0, res.stdout + res.stderr);
    const result = res.json?.result as { success: boolean; compiled: boolean; logs: string };
    assert.equal(result.success, true);
    assert.match(result.logs, /USER_DEBUG\|\[2\]\|DEBUG\|widgets: 1/);

    const bad = join(sf.home, 'bad.apex');
    writeFileSync(bad, 'Integer x = ;\n');
    const failed = await sf.run(['apex', 'run', '-o', 'local', '-f', bad, '--json']);
    assert.notEqual(failed.code, 0);
    assert.match(failed.stdout, /"compiled": false/);
  });

  it('sf apex run test --test-level RunLocalTests --code-coverage reports every test and line coverage', async () => {
    const res = await sf.run([
      'apex',
      'run',
      'test',
      '-o',
      'local',
      '--test-level',
      'RunLocalTests',
      '--code-coverage',
      '--wait',
      '5',
      '--json'
    ]);
    assert.equal(res.code, 0, res.stdout.slice(0, 3000) + res.stderr);
    const result = res.json?.result as {
      summary: { outcome: string; testsRan: number; passing: number };
      tests: { FullName: string; Outcome: string }[];
      coverage: { coverage: { name: string; coveredPercent: number; totalLines: number }[] };
    };
    assert.equal(result.summary.outcome, 'Passed');
    assert.equal(result.summary.testsRan, 4);
    assert.deepEqual(result.tests.map((t) => t.FullName).sort(), [
      'WidgetResourceTest.getFindsWidgetOr404',
      'WidgetResourceTest.postUpsertsByCode',
      'WidgetServiceTest.createInsertsWidget',
      'WidgetServiceTest.describeSizeSaysLarge'
    ]);
    const service = result.coverage.coverage.find((c) => c.name === 'WidgetService');
    assert.ok(
      service &&
        service.totalLines > 0 &&
        service.coveredPercent > 50 &&
        service.coveredPercent < 100,
      JSON.stringify(service)
    );
    // Tests ran against an isolated copy: the org's own records are untouched.
    const count = org.runtime.org.query(
      "SELECT COUNT() FROM Widget__c WHERE Code__c = 'A-1'",
      {},
      { mode: 'system' }
    );
    assert.equal(count.totalSize, 0);
  });

  it('sf apex run test without --wait, then sf apex get test (CometD handshake + tooling polls); --synchronous', async () => {
    const started = await sf.run([
      'apex',
      'run',
      'test',
      '-o',
      'local',
      '--class-names',
      'WidgetServiceTest',
      '--json'
    ]);
    assert.equal(started.code, 0, started.stdout + started.stderr);
    const testRunId = (started.json?.result as { testRunId: string }).testRunId;
    assert.match(testRunId, /^707[A-Za-z0-9]{15}$/);
    const report = await sf.run(['apex', 'get', 'test', '-o', 'local', '-i', testRunId, '--json']);
    assert.equal(report.code, 0, report.stdout.slice(0, 2000) + report.stderr);
    const summary = (
      report.json?.result as { summary: { outcome: string; passing: number; testRunId: string } }
    ).summary;
    assert.deepEqual(
      [summary.outcome, summary.passing, summary.testRunId],
      ['Passed', 2, testRunId]
    );

    const sync = await sf.run([
      'apex',
      'run',
      'test',
      '-o',
      'local',
      '--class-names',
      'WidgetResourceTest',
      '--synchronous',
      '--json'
    ]);
    assert.equal(sync.code, 0, sync.stdout.slice(0, 2000) + sync.stderr);
    assert.equal((sync.json?.result as { summary: { passing: number } }).summary.passing, 2);
  });

  it('sf project deploy start --dry-run --test-level RunLocalTests validates and runs tests without changing the org', async () => {
    const cls = join(org.projectDir, CLASSES, 'DryRunOnly.cls');
    writeFileSync(
      cls,
      'public with sharing class DryRunOnly {\n    public static Integer two() {\n        return 2;\n    }\n}\n'
    );
    writeFileSync(`${cls}-meta.xml`, classMeta());
    try {
      const res = await sf.run(
        [
          'project',
          'deploy',
          'start',
          '-o',
          'local',
          '--dry-run',
          '--test-level',
          'RunLocalTests',
          '--json'
        ],
        { cwd: org.projectDir }
      );
      assert.equal(res.code, 0, res.stdout.slice(0, 3000) + res.stderr);
      const result = res.json?.result as {
        checkOnly: boolean;
        status: string;
        details: {
          runTestResult: { numTestsRun: string | number; codeCoverage: { name: string }[] };
        };
      };
      assert.equal(result.checkOnly, true);
      assert.equal(result.status, 'Succeeded');
      // RunLocalTests really ran the project's tests, with coverage in the result.
      assert.equal(Number(result.details.runTestResult.numTestsRun), 4);
      assert.ok(
        [result.details.runTestResult.codeCoverage].flat().some((c) => c.name === 'WidgetService')
      );
      assert.ok(
        !org.runtime.store.components().some((c) => c.fullName === 'DryRunOnly'),
        'dry run must not deploy'
      );
    } finally {
      rmSync(cls);
      rmSync(`${cls}-meta.xml`);
    }
  });

  it('sf project deploy validate (RunLocalTests) then sf project deploy quick', async () => {
    const validated = await sf.run(
      [
        'project',
        'deploy',
        'validate',
        '-o',
        'local',
        '--source-dir',
        'force-app',
        '--test-level',
        'RunLocalTests',
        '--json'
      ],
      { cwd: org.projectDir }
    );
    assert.equal(validated.code, 0, validated.stdout.slice(0, 2000) + validated.stderr);
    const validation = validated.json?.result as { id: string; status: string; checkOnly: boolean };
    assert.deepEqual([validation.status, validation.checkOnly], ['Succeeded', true]);
    const quick = await sf.run(
      ['project', 'deploy', 'quick', '-o', 'local', '--job-id', validation.id, '--json'],
      {
        cwd: org.projectDir
      }
    );
    assert.equal(quick.code, 0, quick.stdout.slice(0, 2000) + quick.stderr);
    const deployed = quick.json?.result as { id: string; status: string };
    assert.equal(deployed.status, 'Succeeded');
    assert.notEqual(deployed.id, validation.id);
  });

  it('sf project deploy start deploys a new class that then runs, and reports a compile error with file, line and column', async () => {
    const good = join(org.projectDir, CLASSES, 'Greeter.cls');
    writeFileSync(
      good,
      "public with sharing class Greeter {\n    public static String greet(String name) {\n        return 'Hello ' + name;\n    }\n}\n"
    );
    writeFileSync(`${good}-meta.xml`, classMeta());
    const deployed = await sf.run(
      ['project', 'deploy', 'start', '-o', 'local', '--metadata', 'ApexClass:Greeter', '--json'],
      { cwd: org.projectDir }
    );
    assert.equal(deployed.code, 0, deployed.stdout.slice(0, 3000) + deployed.stderr);
    const file = join(sf.home, 'greet.apex');
    writeFileSync(file, "System.debug(Greeter.greet('local-org'));\n");
    const ran = await sf.run(['apex', 'run', '-o', 'local', '-f', file, '--json']);
    assert.match((ran.json?.result as { logs: string }).logs, /Hello local-org/);

    const bad = join(org.projectDir, CLASSES, 'Broken.cls');
    writeFileSync(
      bad,
      'public with sharing class Broken {\n    public static Integer one() {\n        return 1\n    }\n}\n'
    );
    writeFileSync(`${bad}-meta.xml`, classMeta());
    try {
      const res = await sf.run(
        ['project', 'deploy', 'start', '-o', 'local', '--metadata', 'ApexClass:Broken', '--json'],
        { cwd: org.projectDir }
      );
      assert.equal(res.code, 1, res.stdout.slice(0, 2000));
      const result = res.json?.result as
        | {
            status: string;
            details: { componentFailures: Record<string, unknown> | Record<string, unknown>[] };
          }
        | undefined;
      const data = (result ?? (res.json?.data as typeof result))!;
      assert.equal(data.status, 'Failed');
      const failures = [data.details.componentFailures].flat();
      assert.equal(failures.length, 1);
      assert.equal(failures[0]!.fullName, 'Broken');
      assert.equal(failures[0]!.componentType, 'ApexClass');
      // The parser notices the missing ';' at the next token, the '}' on line 4 (as Salesforce does).
      assert.equal(String(failures[0]!.lineNumber), '4');
      assert.ok(Number(failures[0]!.columnNumber) > 0);
      assert.match(String(failures[0]!.problem), /missing ';'|expecting/);
      assert.ok(
        !org.runtime.store.components().some((c) => c.fullName === 'Broken'),
        'failed deploy changed nothing'
      );
    } finally {
      rmSync(bad);
      rmSync(`${bad}-meta.xml`);
    }
  });

  it('sf project retrieve start gives back the deployed source', async () => {
    const target = join(sf.home, 'retrieved');
    mkdirSync(target);
    writeFileSync(
      join(target, 'sfdx-project.json'),
      readFileSync(join(org.projectDir, 'sfdx-project.json'))
    );
    mkdirSync(join(target, 'force-app'));
    const res = await sf.run(
      ['project', 'retrieve', 'start', '-o', 'local', '-m', 'ApexClass', '--json'],
      { cwd: target }
    );
    assert.equal(res.code, 0, res.stdout.slice(0, 3000) + res.stderr);
    for (const name of ['Greeter', 'WidgetResource', 'WidgetService']) {
      const retrieved = readFileSync(join(target, CLASSES, `${name}.cls`));
      const original = readFileSync(join(org.projectDir, CLASSES, `${name}.cls`));
      assert.ok(retrieved.equals(original), `${name}.cls differs`);
    }
  });
});
