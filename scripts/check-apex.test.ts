import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { formatFinding, type Finding } from './lib/apex-findings.ts';
import { loadApexProject } from './lib/apex-project.ts';
import {
  EXCLUDED_RULES,
  loadPmdRules,
  pmdFindings,
  PMD_CATEGORIES,
  PROMOTED_RULES,
  rulesetXml,
  severityFor
} from './lib/apex-pmd.ts';
import { customFieldGaps, probeClassSource, soqlFieldProbes } from './lib/apex-soql-probes.ts';
import { parseApexLsJson } from './lib/apex-semantic.ts';
import { parseApex, parseApexSource, runSyntaxStage } from './lib/apex-syntax.ts';
import { codeAnalyzerJavaLib, detectJava, parseJavaVersion, runJava } from './lib/java.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..');
const fixtures = path.join(here, '__fixtures__');
const script = path.join(here, 'check-apex.ts');

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs check-apex.ts as `npm run check:apex` would, with node + tsx, and an optional PATH. */
function runCli(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', script, ...args],
      { cwd: repoRoot, env, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      }
    );
  });
}

interface JsonReport {
  ok: boolean;
  classes: number;
  triggers: number;
  stages: {
    stage: string;
    errors: number;
    warnings: number;
    skipped?: string;
    findings: Finding[];
  }[];
}

const at = (f: Finding): string => `${f.file}:${f.line}`;

describe('parseJavaVersion', () => {
  it('reads modern and legacy version strings', () => {
    assert.deepEqual(parseJavaVersion('openjdk version "17.0.15" 2025-04-15'), {
      version: '17.0.15',
      major: 17
    });
    assert.deepEqual(parseJavaVersion('openjdk version "21" 2023-09-19'), {
      version: '21',
      major: 21
    });
    assert.deepEqual(parseJavaVersion('java version "1.8.0_392"'), {
      version: '1.8.0_392',
      major: 8
    });
    assert.equal(parseJavaVersion('command not found'), undefined);
  });
});

describe('runJava', () => {
  it('stops a JVM that runs past its time limit instead of hanging', async () => {
    await assert.rejects(
      runJava(
        detectJava(),
        [path.join(codeAnalyzerJavaLib(), '*')],
        'io.github.apexdevtools.apexls.CheckForIssues',
        ['-w', path.join(fixtures, 'apex-passing'), '-n'],
        { timeoutMs: 50 }
      ),
      /did not finish within 0\.05 s/
    );
  });
});

describe('stage 1: syntax (apex-parser)', () => {
  it('accepts a well-formed class and trigger', () => {
    assert.deepEqual(
      parseApexSource('public with sharing class A { Integer x = 1; }', 'class'),
      []
    );
    assert.deepEqual(
      parseApexSource(
        'trigger T on Account (before insert) { new AHandler().run(Trigger.new); }',
        'trigger'
      ),
      []
    );
  });

  it('reports parser and lexer errors with 1-based line and column', () => {
    assert.deepEqual(
      parseApexSource('public class A {\n  void f( {\n  }\n}', 'class').map((e) => [
        e.line,
        e.column
      ]),
      [[2, 11]]
    );
    const lexer = parseApexSource("public class A { String s = 'a\\qb'; }", 'class');
    assert.ok(
      lexer.some((e) => e.line === 1 && /token recognition error/.test(e.message)),
      `expected a lexer error, got ${JSON.stringify(lexer)}`
    );
  });

  it('flags every broken file of the fixture project and nothing else', async () => {
    const project = await loadApexProject(path.join(fixtures, 'apex-syntax-error'));
    const result = await runSyntaxStage(project.sources);
    assert.equal(result.files, 4);
    // UsesUnknownType.cls parses (its problem is semantic), so it must not appear here.
    const files = new Set(result.findings.map((f) => path.basename(f.file)));
    assert.deepEqual([...files].sort(), [
      'BadStringEscape.cls',
      'BrokenTrigger.trigger',
      'MissingParenthesis.cls'
    ]);
    assert.ok(
      result.findings.some(
        (f) => at(f) === 'force-app/main/default/classes/MissingParenthesis.cls:2'
      )
    );
    assert.ok(
      result.findings.some(
        (f) => at(f) === 'force-app/main/default/triggers/BrokenTrigger.trigger:2'
      )
    );
    assert.equal(result.errors, result.findings.length);
    assert.ok(
      result.findings.every((f) => f.message.length <= 240),
      'messages are kept to one readable line'
    );
  });
});

describe('stage 2: semantic (apex-ls output parsing)', () => {
  it('maps Missing/Error/Syntax to errors and Warning to warnings, with project-relative paths', () => {
    const stdout = `{ "files": [
{ "path": "/p/force-app/main/default/classes/A.cls", "messages": [
{"start": {"line": 11, "offset": 15 }, "end": {"line": 11, "offset": 31 }, "category": "Missing", "message": "Unknown field 'X__c' on SObject 'Schema.Y__c'"},
{"start": {"line": 3, "offset": 4 }, "end": {"line": 3, "offset": 9 }, "category": "Warning", "message": "Something odd"}
]}]}`;
    const findings = parseApexLsJson(stdout, '/p');
    assert.deepEqual(
      findings.map((f) => [f.file, f.line, f.column, f.severity, f.rule]),
      [
        ['force-app/main/default/classes/A.cls', 11, 16, 'error', 'Missing'],
        ['force-app/main/default/classes/A.cls', 3, 5, 'warning', 'Warning']
      ]
    );
  });

  it('rejects output that is not an apex-ls JSON report', () => {
    assert.throws(() => parseApexLsJson('Exception in thread "main"', '/p'), /no JSON report/);
  });
});

describe('stage 2: SOQL field probes', () => {
  const probesFor = (apex: string): string[] => {
    const { tree, errors } = parseApex(apex, 'class');
    assert.deepEqual(errors, []);
    return soqlFieldProbes(tree, 'A.cls').map((p) => `${p.line}:${p.column} ${p.expression}`);
  };

  it('probes every field a static query names, where it names it', () => {
    const probes = probesFor(`public class A {
  void f(Set<Id> ids) {
    List<Contact> cs = [SELECT Id, Account.Owner.Name, toLabel(LeadSource),
        (SELECT Subject FROM Tasks WHERE Status = 'Open')
      FROM Contact
      WHERE AccountId IN (SELECT Id FROM Account WHERE Rating = 'Hot') AND Id IN :ids
      ORDER BY LastName];
  }
}`);
    assert.deepEqual(probes, [
      '3:32 ((Schema.Contact) null).Id',
      '3:36 ((Schema.Contact) null).Account.Owner.Name',
      '3:64 ((Schema.Contact) null).LeadSource',
      '4:17 ((Schema.Contact) null).Tasks[0].Subject',
      '4:42 ((Schema.Contact) null).Tasks[0].Status',
      '6:13 ((Schema.Contact) null).AccountId',
      '6:34 ((Schema.Account) null).Id',
      '6:56 ((Schema.Account) null).Rating',
      '6:76 ((Schema.Contact) null).Id',
      '7:16 ((Schema.Contact) null).LastName'
    ]);
  });

  it('skips aliases, object aliases, TYPEOF and COUNT()', () => {
    assert.deepEqual(
      probesFor(`public class A {
  void f() {
    Object a = [SELECT COUNT(Id) n, StageName FROM Opportunity GROUP BY StageName ORDER BY n];
    Object b = [SELECT COUNT() FROM Lead];
    Object c = [SELECT TYPEOF What WHEN Account THEN Name END, Subject FROM Event];
    Object d = [SELECT c.Email FROM Contact c];
  }
}`).map((p) => p.replace(/^\d+:\d+ /, '')),
      [
        '((Schema.Opportunity) null).Id',
        '((Schema.Opportunity) null).StageName',
        '((Schema.Opportunity) null).StageName',
        '((Schema.Event) null).Subject',
        '((Schema.Contact) null).Email'
      ]
    );
  });

  it('flags custom fields the project does not declare on the standard objects it extends', () => {
    const probe = (object: string | undefined, field: string) => ({
      file: 'A.cls',
      line: 1,
      column: 1,
      field,
      expression: '',
      ...(object ? { object } : {})
    });
    const extended = new Map([
      ['contact', new Set(['widget_code__c', 'client__c'])],
      ['task', new Set(['coconut_id__c'])]
    ]);
    const gaps = customFieldGaps(
      [
        probe('Contact', 'Widget_Code__c'), // declared
        probe('contact', 'WIDGIT_CODE__C'), // misspelt → gap
        probe('Contact', 'Client__r.Name'), // relationship of a declared lookup
        probe('Contact', 'Clients__r.Name'), // relationship of an undeclared one → gap
        probe('Contact', 'LastName'), // standard field: apex-ls's business
        probe('Contact', 'acme__Score__c'), // namespaced: an installed package's field
        probe('Task', 'Coconut_Id__c'),
        probe('Lead', 'Anything__c'), // Lead not extended: apex-ls checks it
        probe(undefined, 'Nope__c') // inside a child subquery: object unknown here
      ],
      extended
    );
    assert.deepEqual(
      gaps.map((g) => g.field),
      ['WIDGIT_CODE__C', 'Clients__r.Name']
    );
  });

  it('writes one probe per line and remembers the lines', () => {
    const { text, lineOf } = probeClassSource('P', [
      { file: 'A.cls', line: 1, column: 1, field: 'Id', expression: '((Schema.Lead) null).Id' },
      {
        file: 'A.cls',
        line: 2,
        column: 1,
        field: 'Email',
        expression: '((Schema.Lead) null).Email'
      }
    ]);
    const lines = text.split('\n');
    assert.deepEqual(
      lineOf.map((n) => lines[n - 1]?.trim()),
      ['v = ((Schema.Lead) null).Id;', 'v = ((Schema.Lead) null).Email;']
    );
    assert.deepEqual(parseApexSource(text, 'class'), []);
  });
});

describe('stage 3: PMD policy', () => {
  it('excludes the rules STYLE.md contradicts from the ruleset', async () => {
    const xml = rulesetXml(PMD_CATEGORIES);
    assert.match(
      xml,
      /<rule ref="category\/apex\/bestpractices.xml">\s*<exclude name="ApexUnitTestClassShouldHaveRunAs" \/>\s*<\/rule>/
    );
    assert.match(xml, /<rule ref="category\/apex\/security.xml" \/>/);
  });

  it('reads categories and priorities from the pmd-apex jar', async () => {
    const rules = await loadPmdRules();
    assert.equal(rules.get('ApexSOQLInjection')?.category, 'security');
    assert.equal(rules.get('TypeShadowsBuiltInNamespace')?.priority, 1);
    assert.equal(rules.get('OperationWithLimitsInLoop')?.category, 'performance');
    for (const name of Object.keys(PROMOTED_RULES)) {
      assert.ok(rules.has(name), `promoted rule ${name} exists in PMD 7`);
    }
    for (const [name, rule] of Object.entries(EXCLUDED_RULES)) {
      assert.equal(
        rules.get(name)?.category,
        rule.category,
        `excluded rule ${name} is in ${rule.category}`
      );
    }
  });

  it('fails security, priority 1-2 and promoted rules; warns on the rest', () => {
    assert.equal(
      severityFor({ name: 'ApexCRUDViolation', category: 'security', priority: 3 }),
      'error'
    );
    assert.equal(
      severityFor({ name: 'AvoidStatefulDatabaseResult', category: 'errorprone', priority: 2 }),
      'error'
    );
    assert.equal(
      severityFor({ name: 'OperationWithLimitsInLoop', category: 'performance', priority: 3 }),
      'error'
    );
    assert.equal(
      severityFor({ name: 'AvoidDebugStatements', category: 'performance', priority: 3 }),
      'warning'
    );
    assert.equal(
      severityFor({ name: 'AvoidGlobalModifier', category: 'bestpractices', priority: 3 }),
      'warning'
    );
    assert.equal(severityFor(undefined), 'error');
  });

  it('turns wrapper results and processing errors into findings', async () => {
    const rules = await loadPmdRules();
    const findings = pmdFindings(
      {
        violations: [
          {
            rule: 'AvoidDebugStatements',
            message: 'Avoid debug statements',
            codeLocation: { file: '/p/force-app/A.cls', startLine: 4, startCol: 9 }
          }
        ],
        processingErrors: [
          { file: '/p/force-app/B.cls', message: 'ParseException: Syntax error at 10:24: oops' }
        ]
      },
      rules,
      '/p'
    );
    assert.deepEqual(
      findings.map((f) => formatFinding(f)),
      [
        'force-app/A.cls:4:9  warning  Avoid debug statements  [AvoidDebugStatements (performance, priority 3)]',
        'force-app/B.cls:10:24  error  PMD could not analyse this file: ParseException: Syntax error at 10:24: oops  [ProcessingError]'
      ]
    );
  });
});

// The CLI cases start tsx and (some) a JVM each; running them side by side halves the wall time.
describe('check-apex CLI', { concurrency: 3 }, () => {
  let tmp: string;
  before(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'check-apex-test-'));
  });
  after(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('passes a clean project through all three stages (warnings do not fail)', async () => {
    const r = await runCli(['--project', path.join(fixtures, 'apex-passing')]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /\[syntax\] .*3 files, 0 errors/);
    assert.match(r.stdout, /\[semantic\] .*3 files, 0 errors/);
    assert.match(r.stdout, /\[pmd\] .*3 files, 0 errors, 1 warning/);
    assert.match(
      r.stdout,
      /FixtureWidgetTriggerHandler\.cls:16:9 {2}warning .*\[AvoidDebugStatements/
    );
    assert.match(r.stdout, /check:apex passed: 2 classes, 1 trigger, 1 warning\./);
  });

  it('stage 2 fails on an unknown field and type, in Apex and in SOQL, and only in the bad class', async () => {
    const r = await runCli([
      '--project',
      path.join(fixtures, 'apex-project'),
      '--stage',
      'semantic',
      '--json'
    ]);
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout) as JsonReport;
    assert.equal(report.ok, false);
    const semantic = report.stages.find((s) => s.stage === 'semantic');
    assert.ok(semantic);
    assert.deepEqual(
      semantic.findings.map((f) => [`${at(f)}:${f.column}`, f.severity, f.rule]),
      [
        ['force-app/main/default/classes/BadWidgetService.cls:11:16', 'error', 'Missing'],
        ['force-app/main/default/classes/BadWidgetService.cls:19:20', 'error', 'Missing'],
        ['force-app/main/default/classes/BadWidgetService.cls:27:83', 'error', 'Missing'],
        ['force-app/main/default/classes/BadWidgetService.cls:36:62', 'error', 'Missing']
      ]
    );
    assert.match(semantic.findings[0]?.message ?? '', /Unknown field 'Colour__c'/);
    assert.match(semantic.findings[1]?.message ?? '', /MissingHelper/);
    // The SOQL probe points at the field inside the query, not at the generated class.
    assert.match(
      semantic.findings[2]?.message ?? '',
      /^SOQL field Weight__c: Unknown field 'Weight__c' on SObject 'Schema\.Fixture_Widget__c'$/
    );
    // Contact is extended by the fixture, so apex-ls accepts any field on it; the metadata check does not.
    assert.match(
      semantic.findings[3]?.message ?? '',
      /^SOQL field Widgit_Code__c: no custom field Widgit_Code__c on Contact in the project's metadata/
    );
  });

  it('stage 3 fails on SOQL injection with file:line', async () => {
    const r = await runCli(['--project', path.join(fixtures, 'apex-pmd'), '--stage', 'pmd']);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(
      r.stdout,
      /force-app\/main\/default\/classes\/AccountSearchController\.cls:13:\d+ {2}error .*\[ApexSOQLInjection \(security/
    );
    assert.match(r.stdout, /check:apex failed: 1 class, 0 triggers, 1 error \(pmd 1\)/);
  });

  it('reports each syntax error once and still runs the other stages', async () => {
    const r = await runCli(['--project', path.join(fixtures, 'apex-syntax-error'), '--json']);
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout) as JsonReport;
    const [syntax, semantic, pmd] = report.stages;
    assert.deepEqual(
      report.stages.map((s) => s.stage),
      ['syntax', 'semantic', 'pmd']
    );
    assert.ok(
      syntax?.findings.some((f) =>
        formatFinding(f).startsWith(
          "force-app/main/default/classes/MissingParenthesis.cls:2:40  error  missing ')' at '{'"
        )
      )
    );
    // The file that parses is still analysed: apex-ls finds its unknown type ...
    assert.deepEqual(
      semantic?.findings.map((f) => `${at(f)} ${f.rule}`),
      ['force-app/main/default/classes/UsesUnknownType.cls:3 Missing']
    );
    // ... while the repeat complaints about the broken files (apex-ls noise, PMD parse failures) are dropped.
    assert.deepEqual(pmd?.findings, []);
  });

  it('passes trivially on a project without Apex', async () => {
    const project = path.join(tmp, 'empty');
    await mkdir(path.join(project, 'force-app', 'main', 'default'), { recursive: true });
    await writeFile(
      path.join(project, 'sfdx-project.json'),
      '{"packageDirectories":[{"path":"force-app"}]}'
    );
    const r = await runCli(['--project', project]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /check:apex passed: 0 classes, 0 triggers/);
  });

  it('without java on PATH: one clear line, exit code 2, no stack trace', async () => {
    const emptyBin = path.join(tmp, 'empty-bin');
    await mkdir(emptyBin, { recursive: true });
    const r = await runCli(['--project', path.join(fixtures, 'apex-passing')], {
      ...process.env,
      PATH: emptyBin
    });
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0] ?? '', /Java not found on PATH/);
    assert.match(lines[0] ?? '', /apt-get install openjdk-17-jre-headless/);
  });

  it('with Java older than 17: exit code 2 and says to install 17', async () => {
    const oldBin = path.join(tmp, 'old-java-bin');
    await mkdir(oldBin, { recursive: true });
    const fakeJava = path.join(oldBin, 'java');
    await writeFile(fakeJava, '#!/bin/sh\necho \'openjdk version "11.0.21" 2023-10-17\' >&2\n');
    await chmod(fakeJava, 0o755);
    const r = await runCli(['--project', path.join(fixtures, 'apex-passing')], {
      ...process.env,
      PATH: oldBin
    });
    assert.equal(r.code, 2);
    assert.match(
      r.stderr.trim(),
      /^check:apex: Java 11\.0\.21 is too old: install Java 17 .*openjdk-17-jre-headless/
    );
  });

  it('runs the syntax stage alone without Java', async () => {
    const emptyBin = path.join(tmp, 'empty-bin');
    await mkdir(emptyBin, { recursive: true });
    const r = await runCli(
      ['--project', path.join(fixtures, 'apex-passing'), '--stage', 'syntax'],
      {
        ...process.env,
        PATH: emptyBin
      }
    );
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stdout, /\[semantic\]|\[pmd\]/);
  });

  it('outside an sfdx project: exit code 2 with the reason', async () => {
    const r = await runCli(['--project', tmp, '--stage', 'syntax']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^check:apex could not run: Cannot read .*sfdx-project\.json/);
  });

  it('rejects an unknown stage with exit code 2', async () => {
    const r = await runCli(['--stage', 'lint']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /Unknown stage "lint"/);
  });
});
