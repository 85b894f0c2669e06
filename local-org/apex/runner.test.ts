import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, describe, it } from 'node:test';
import { loadProject, runAnonymous } from './project.js';
import { runTests, formatReport, type TestRunResult } from './runner.js';
import { callAura, handleRest } from './entry.js';
import type { Interp } from './interp.js';

const fixture = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  'test-fixtures',
  'runner-project'
);

describe('Apex test runner', () => {
  let I: Interp;
  let res: TestRunResult;
  before(async () => {
    I = await loadProject(fixture);
    res = runTests(I);
  });

  it('runs every test method of the @IsTest classes', () => {
    assert.deepEqual(
      res.tests.map((t) => `${t.className}.${t.methodName}:${t.outcome}`),
      [
        'AsyncTest.asyncWorkRunsAtStopTest:Pass',
        'AsyncTest.startTestGivesFreshLimits:Pass',
        'GreeterTest.greetsByName:Pass',
        'GreeterTest.seesSetupDataAndIsolatesItsOwn:Pass',
        'GreeterTest.setupDataIsRestored:Pass',
        'GreeterTest.failsWithAMessage:Fail',
        'StubTest.stubRoutesCallsToTheProvider:Pass'
      ]
    );
  });

  it('reports the assertion message and the Apex stack line of a failure', () => {
    const f = res.tests.find((t) => t.outcome === 'Fail')!;
    assert.equal(
      f.message,
      'System.AssertException: Assertion Failed: blank names. Expected: Hello, Bob, Actual: Hello, stranger'
    );
    assert.match(
      f.stackTrace ?? '',
      /^Class\.GreeterTest\.failsWithAMessage: line 28, column \d+$/
    );
  });

  it('counts executable lines per class and trigger, excluding test classes', () => {
    const greeter = res.coverage.find((c) => c.name === 'Greeter')!;
    assert.equal(greeter.total, 8);
    assert.equal(greeter.covered, 6);
    assert.deepEqual(greeter.uncoveredLines, [17, 18]);
    const trigger = res.coverage.find((c) => c.name === 'AccountNamer')!;
    assert.equal(trigger.kind, 'trigger');
    assert.equal(trigger.percent, 100);
    assert.ok(!res.coverage.some((c) => c.name === 'GreeterTest'));
  });

  it('fails the gate on failures and on low coverage, and says why', () => {
    const { ok, text } = formatReport(res, { minClass: 90, minOrg: 75 });
    assert.equal(ok, false);
    assert.match(text, /Tests: 6 passed, 1 failed, 7 total/);
    assert.match(text, /Below 90% coverage: .*Greeter \(75%\)/);
  });

  it('runs one class when asked', () => {
    const one = runTests(I, { classes: ['greetertest'] });
    assert.equal(one.tests.length, 4);
    assert.throws(() => runTests(I, { classes: ['NoSuchTest'] }), /No @IsTest class/);
  });

  it('serves Apex REST through @RestResource and @HttpGet/@HttpPost', () => {
    const get = handleRest(I, { method: 'GET', path: '/greet/x', params: { name: 'Ada' } });
    assert.equal(get.status, 200);
    assert.equal(get.body, '"Hello, Ada"');
    const post = handleRest(I, { method: 'POST', path: '/greet', body: '{"text":"hi"}' });
    assert.equal(post.status, 201);
    assert.equal(post.body, '{"echo":"hi"}');
    assert.equal(handleRest(I, { method: 'GET', path: '/nothing' }).status, 404);
  });

  it('calls @AuraEnabled methods with named JSON parameters and reports AuraHandledException messages', () => {
    const ok = callAura(I, 'AuraCtl', 'repeatItem', { item: { label: 'x', size: 2 }, times: 2 });
    assert.equal(ok.ok, true);
    assert.equal(ok.returnValue, '[{"label":"x","size":2},{"label":"x","size":2}]');
    const bad = callAura(I, 'AuraCtl', 'refuse', {});
    assert.equal(bad.ok, false);
    assert.equal(bad.error?.exceptionType, 'System.AuraHandledException');
    assert.equal(bad.error?.message, 'Not allowed');
  });

  it('runs anonymous Apex with triggers firing and reports uncaught exceptions', () => {
    const ok = runAnonymous(
      I,
      "Account a = new Account(Name = 'x');\ninsert a;\nSystem.debug([SELECT Description FROM Account WHERE Id = :a.Id].Description);"
    );
    assert.deepEqual(ok.lines, ['USER_DEBUG|[3]|DEBUG|named']);
    const bad = runAnonymous(I, 'Integer x = 1 / 0;');
    assert.equal(bad.ok, false);
    assert.deepEqual(bad.lines, ['FATAL_ERROR|System.MathException: Divide by 0']);
  });
});
