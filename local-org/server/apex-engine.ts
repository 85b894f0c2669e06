// What the server needs from the Apex interpreter (local-org/apex): compile checks, test
// runs with coverage, anonymous Apex and @RestResource dispatch. The adapter that maps the
// interpreter onto this lives in apex-adapter.ts; until the interpreter is loadable,
// getApexEngine() returns undefined and the Apex endpoints answer "unsupported in local-org".
import { createHash } from 'node:crypto';
import type { Org } from '../data/org.ts';
import type { CompileProblem } from './compile-check.ts';
import { idSuffix } from './ids.ts';

export interface ClassCoverage {
  name: string;
  type: 'Class' | 'Trigger';
  coveredLines: number[];
  uncoveredLines: number[];
}

export interface TestMethodOutcome {
  className: string;
  classId: string;
  methodName: string;
  outcome: 'Pass' | 'Fail' | 'CompileFail';
  message?: string;
  stackTrace?: string;
  timeMs: number;
  /** Lines this method covered (per class), for ApexCodeCoverage. */
  coverage: ClassCoverage[];
}

export interface TestRunOutput {
  methods: TestMethodOutcome[];
  /** Aggregated over the run, every non-test class and trigger of the org. */
  coverage: ClassCoverage[];
  totalTimeMs: number;
}

export interface AnonResult {
  compiled: boolean;
  success: boolean;
  line: number;
  column: number;
  compileProblem: string | null;
  exceptionMessage: string | null;
  exceptionStackTrace: string | null;
  log: string;
}

export interface RestCall {
  httpMethod: string;
  /** Path after /services/apexrest (starts with '/'). */
  requestURI: string;
  resourcePath: string;
  params: Record<string, string>;
  headers: Record<string, string>;
  body: Buffer;
  remoteAddress: string;
  userId: string;
}

export interface RestOutcome {
  status: number;
  headers: Record<string, string>;
  body: Buffer | undefined;
  /** An unhandled exception: the transaction must be rolled back. */
  rollback?: boolean;
}

export interface RestResourceInfo {
  className: string;
  urlMapping: string;
}

export interface ApexEngine {
  compileProblems(org: Org, storeDir: string): CompileProblem[];
  testClassNames(org: Org, storeDir: string): string[];
  runTests(org: Org, storeDir: string, which: string[] | 'local' | 'all'): Promise<TestRunOutput>;
  executeAnonymous(org: Org, storeDir: string, code: string, userId: string): AnonResult;
  restResources(org: Org, storeDir: string): RestResourceInfo[];
  /** Runs one Apex REST request as one transaction; rolls back on an unhandled exception. */
  invokeRest(org: Org, storeDir: string, resource: RestResourceInfo, call: RestCall): RestOutcome;
  /** Forget cached parses/linking (after a deploy). */
  invalidate(): void;
  /** Makes sure `org` has the interpreter's trigger hook (REST API DML fires triggers). */
  attach(org: Org, storeDir: string): void;
}

let cached: Promise<ApexEngine | undefined> | undefined;

export function getApexEngine(): Promise<ApexEngine | undefined> {
  cached ??= import('./apex-adapter.ts')
    .then((m) => m.createApexEngine())
    .catch((err: unknown) => {
      process.stderr.write(
        `local-org: the Apex interpreter could not be loaded: ${(err as Error).message}\n`
      );
      return undefined;
    });
  return cached;
}

/** A stable 18-character id for an Apex class or trigger, derived from its name. */
export function apexIdFor(name: string, type: 'Class' | 'Trigger' = 'Class'): string {
  const hash = createHash('sha1').update(name.toLowerCase()).digest();
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let body = type === 'Class' ? '01p' : '01q';
  body += '00';
  for (let i = 0; body.length < 15; i++) body += chars.charAt(hash[i]! % chars.length);
  return body + idSuffix(body);
}
