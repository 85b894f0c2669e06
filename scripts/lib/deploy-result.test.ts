import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MetadataApiDeployStatus } from '@salesforce/source-deploy-retrieve';
import { coverageGate, failureLines, testCounts } from './deploy-result.ts';

type Details = Pick<MetadataApiDeployStatus, 'details'>;
const cov = (name: string, lines: number, notCovered: number, type = 'Class') => ({
  id: '01p',
  name,
  type,
  numLocations: String(lines),
  numLocationsNotCovered: String(notCovered)
});

describe('coverageGate', () => {
  it('passes when the org is ≥ 75% and each package class is ≥ 90%', () => {
    const status: Details = {
      details: {
        runTestResult: {
          numFailures: '0',
          numTestsRun: '12',
          totalTime: '100',
          codeCoverage: [
            cov('CoconutSyncService', 100, 5),
            cov('CoconutAppointmentTrigger', 4, 0, 'Trigger'),
            cov('LegacyThing', 50, 20)
          ]
        }
      }
    };
    const gate = coverageGate(status, ['CoconutSyncService', 'CoconutAppointmentTrigger']);
    assert.equal(gate.passed, true, gate.problems.join('\n'));
    assert.equal(gate.orgWide, 83.76); // (95 + 4 + 30) / 154 lines, rounded down
    assert.deepEqual(gate.problems, []);
  });

  it('fails a package class under the bar, naming it with its lines', () => {
    const status: Details = {
      details: {
        runTestResult: {
          numFailures: '0',
          numTestsRun: '3',
          totalTime: '1',
          codeCoverage: [cov('CoconutFieldMapper', 40, 8)]
        }
      }
    };
    const gate = coverageGate(status, ['CoconutFieldMapper']);
    assert.equal(gate.passed, false);
    assert.deepEqual(gate.problems, [
      "CoconutFieldMapper is covered 80% (32/40 lines), under the package's 90%."
    ]);
  });

  it('fails org-wide coverage under 75% and a package class no test runs', () => {
    const status: Details = {
      details: {
        runTestResult: {
          numFailures: '0',
          numTestsRun: '3',
          totalTime: '1',
          codeCoverage: cov('OldClass', 100, 40),
          codeCoverageWarnings: {
            id: '',
            namespace: '',
            message:
              'Average test coverage across all Apex Classes and Triggers is 60%, at least 75% test coverage is required.'
          }
        }
      }
    };
    const gate = coverageGate(status, ['CoconutTimeZones']);
    assert.equal(gate.passed, false);
    assert.equal(gate.orgWide, 60);
    assert.deepEqual(gate.problems, [
      'Org-wide coverage 60% is under 75%.',
      'Salesforce: Average test coverage across all Apex Classes and Triggers is 60%, at least 75% test coverage is required.',
      'CoconutTimeZones has no coverage: no test executes it.'
    ]);
  });

  it('fails when the result carries no coverage at all for a package with Apex', () => {
    const gate = coverageGate({ details: {} }, ['CoconutSyncService']);
    assert.equal(gate.passed, false);
    assert.match(gate.problems[0], /no coverage data/);
    assert.equal(coverageGate({ details: {} }, []).passed, true);
  });

  it('honours a different bar', () => {
    const status: Details = {
      details: {
        runTestResult: {
          numFailures: '0',
          numTestsRun: '1',
          totalTime: '1',
          codeCoverage: [cov('A', 10, 2)]
        }
      }
    };
    assert.equal(coverageGate(status, ['A'], { classMinimum: 80 }).passed, true);
  });
});

describe('failure reporting', () => {
  it('lists component errors and test failures', () => {
    const status = {
      details: {
        componentFailures: [
          {
            componentType: 'ApexClass',
            fullName: 'CoconutSyncService',
            problem: 'Variable does not exist: x',
            lineNumber: '12',
            fileName: 'classes/CoconutSyncService.cls'
          }
        ],
        runTestResult: {
          numFailures: '1',
          numTestsRun: '7',
          totalTime: '5',
          failures: {
            id: '',
            name: 'CoconutSyncServiceTest',
            methodName: 'upsertIgnoresStaleUpdate',
            message: 'Assertion Failed: stale',
            stackTrace: 'Class.X',
            packageName: '',
            time: '1',
            type: 'Class'
          }
        }
      }
    } as unknown as MetadataApiDeployStatus;
    assert.deepEqual(failureLines(status), [
      'ApexClass CoconutSyncService line 12: Variable does not exist: x',
      'test CoconutSyncServiceTest.upsertIgnoresStaleUpdate failed: Assertion Failed: stale'
    ]);
    assert.deepEqual(testCounts(status), { run: 7, failed: 1 });
  });
});
