// Jest for the Lightning Web Components (`npm run test:lwc` → sfdx-lwc-jest, which uses this file).
// Extends the sfdx-lwc-jest preset; tests are force-app/**/lwc/**/__tests__/*.test.ts, run against the
// TypeScript sources (the preset's transformer strips types with Babel), so coverage is measured on the
// .ts code reviewers read. That the deployed .js equals a fresh tsc compile of those sources is
// checked separately by `npm run build:check`.
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const { jestConfig } = require('@salesforce/sfdx-lwc-jest/config');

// @lwc/jest-transformer's cache key ignores whether coverage is on, so a file cached by a run without
// --coverage would later be reused uninstrumented and silently drop out of the coverage report (and the
// threshold). Coverage runs therefore keep their own transform cache.
const collectingCoverage = process.argv.some(
  (arg) => arg === '--coverage' || arg === '--coverage=true'
);

export default {
  ...jestConfig,
  // Only the LWC tests: scripts/ and local-org/ have node:test suites named *.test.ts too.
  roots: ['<rootDir>/force-app'],
  testMatch: ['**/lwc/**/__tests__/**/*.test.ts'],
  modulePathIgnorePatterns: ['<rootDir>/.local-org/', '<rootDir>/coverage/'],
  collectCoverageFrom: [
    'force-app/**/lwc/**/*.ts',
    '!force-app/**/lwc/**/__tests__/**',
    '!**/*.d.ts'
  ],
  coverageReporters: ['text-summary', 'text', 'lcov'],
  coverageThreshold: {
    global: { statements: 90, branches: 90, functions: 90, lines: 90 }
  },
  cacheDirectory: join(tmpdir(), collectingCoverage ? 'jest-lwc-coverage' : 'jest-lwc'),
  restoreMocks: false,
  clearMocks: false
};
