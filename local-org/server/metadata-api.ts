// Metadata API over SOAP (/services/Soap/m/XX.X): deploy, checkDeployStatus, cancelDeploy,
// retrieve, checkRetrieveStatus, listMetadata, describeMetadata. A deploy is applied to a
// staged copy of the metadata store, compiled, tested per testLevel, and only then swapped
// in (Salesforce deploys are all-or-nothing by default; rollbackOnError=false is refused).
import { readFileSync, rmSync } from 'node:fs';
import { XMLParser } from 'fast-xml-parser';
import { API_DISABLED, type Auth, type OrgUser } from './auth.ts';
import { RETRIEVABLE_STANDARD_OBJECTS, standardObjectXml } from './standard-objects.ts';
import { getApexEngine, type TestRunOutput } from './apex-engine.ts';
import { syntaxProblems, type CompileProblem } from './compile-check.ts';
import type { Mutex, Router } from './http.ts';
import { newSfId } from './ids.ts';
import { extractDeployZip, mdapiFileName, MetadataStore } from './metadata-store.ts';
import type { OrgRuntime } from './runtime.ts';
import { bool, list, NS, parseSoap, soapFault, soapResponse, str } from './soap.ts';
import { coverageForClasses } from './tooling.ts';

export interface MetadataApiContext {
  runtime: OrgRuntime;
  mutex: Mutex;
  auth: Auth;
  apiVersion: string;
  log?: (line: string) => void;
}

type DeployState =
  'Pending' | 'InProgress' | 'Succeeded' | 'SucceededPartial' | 'Failed' | 'Canceling' | 'Canceled';

interface ComponentMessage {
  changed: boolean;
  columnNumber?: number;
  componentType: string;
  created: boolean;
  createdDate: string;
  deleted: boolean;
  fileName: string;
  fullName: string;
  id?: string;
  lineNumber?: number;
  problem?: string;
  problemType?: string;
  success: boolean;
}

interface DeployJob {
  id: string;
  status: DeployState;
  checkOnly: boolean;
  createdBy: OrgUser;
  createdDate: string;
  startDate?: string;
  completedDate?: string;
  lastModifiedDate: string;
  testLevel: string;
  runTests: string[];
  successes: ComponentMessage[];
  failures: ComponentMessage[];
  tests?: TestRunOutput;
  testsTotal: number;
  errorMessage?: string;
  errorStatusCode?: string;
  cancelRequested: boolean;
  ignoreWarnings: boolean;
  rollbackOnError: boolean;
  componentsTotal: number;
  /** A validation (checkOnly) keeps its zip for a quick deploy (deployRecentValidation). */
  zip?: Buffer;
}

interface RetrieveJob {
  id: string;
  done: boolean;
  status: 'Pending' | 'InProgress' | 'Succeeded' | 'Failed';
  zip?: Buffer;
  fileProperties: Record<string, unknown>[];
  messages: { fileName: string; problem: string }[];
  errorMessage?: string;
}

const packageParser = new XMLParser({
  removeNSPrefix: true,
  parseTagValue: false,
  ignoreAttributes: true
});

function readManifest(file: string): { type: string; names: string[] }[] {
  const doc = packageParser.parse(readFileSync(file, 'utf8')) as { Package?: { types?: unknown } };
  return list<Record<string, unknown>>(doc.Package?.types).map((t) => ({
    type: String(t.name ?? ''),
    names: list<unknown>(t.members).map(String)
  }));
}

const now = (): string => new Date().toISOString();

export function registerMetadataApi(router: Router, ctx: MetadataApiContext): void {
  const deploys = new Map<string, DeployJob>();
  const retrieves = new Map<string, RetrieveJob>();
  const log = ctx.log ?? ((l: string) => process.stderr.write(`${l}\n`));

  router.add('POST', /^\/services\/Soap\/m\/(?<v>\d+\.\d)(?:\/[A-Za-z0-9]+)?\/?$/, async (req) => {
    const call = parseSoap(req);
    let user: OrgUser;
    try {
      user = ctx.auth.authenticateToken(call.sessionId ?? '').user;
    } catch {
      throw soapFault(
        'INVALID_SESSION_ID',
        'Invalid Session ID found in SessionHeader: Illegal Session. Session not found, missing session hash'
      );
    }
    if (!ctx.auth.apiEnabled(user)) {
      throw soapFault(API_DISABLED.errorCode, API_DISABLED.message);
    }
    const p = call.params;
    const reply = (result: unknown) => ({
      status: 200,
      raw: soapResponse(NS.metadata, call.operation, result),
      contentType: 'text/xml;charset=UTF-8'
    });
    if (!isAdmin(ctx, user)) {
      throw soapFault('INSUFFICIENT_ACCESS', 'insufficient access rights on object id');
    }

    switch (call.operation) {
      case 'deploy': {
        const zipText = str(p.ZipFile);
        if (!zipText) throw soapFault('INVALID_CROSS_REFERENCE_KEY', 'No package.xml found');
        const options = (p.DeployOptions ?? {}) as Record<string, unknown>;
        const job: DeployJob = {
          id: newSfId('0Af'),
          status: 'Pending',
          checkOnly: bool(options.checkOnly),
          createdBy: user,
          createdDate: now(),
          lastModifiedDate: now(),
          testLevel: str(options.testLevel) ?? 'NoTestRun',
          runTests: list<unknown>(options.runTests).map(String),
          successes: [],
          failures: [],
          testsTotal: 0,
          cancelRequested: false,
          ignoreWarnings: bool(options.ignoreWarnings),
          rollbackOnError:
            options.rollbackOnError === undefined ? true : bool(options.rollbackOnError),
          componentsTotal: 0
        };
        const zip = Buffer.from(zipText.replace(/\s+/g, ''), 'base64');
        if (job.checkOnly) job.zip = zip;
        deploys.set(job.id, job);
        // Deploys run in the background, one transaction at a time, like the platform's queue.
        void ctx.mutex
          .run(() => runDeploy(ctx, job, zip))
          .catch((err: unknown) => {
            log(`local-org: deploy ${job.id} failed: ${(err as Error)?.stack ?? String(err)}`);
            job.status = 'Failed';
            job.errorStatusCode = 'UNKNOWN_EXCEPTION';
            job.errorMessage = (err as Error)?.message ?? String(err);
            job.completedDate = now();
          });
        return reply({ done: false, id: job.id, state: 'Queued' });
      }

      case 'deployRecentValidation': {
        const validationId = str(p.validationId) ?? '';
        const validation = deploys.get(validationId);
        if (!validation) throw soapFault('INVALID_ID_FIELD', 'Invalid id specified');
        if (
          !validation.checkOnly ||
          validation.status !== 'Succeeded' ||
          !validation.zip ||
          !validation.tests
        ) {
          throw soapFault(
            'INVALID_ID_FIELD',
            `${validationId} is not a successful validation that ran Apex tests, so it cannot be quick deployed`
          );
        }
        const job: DeployJob = {
          ...validation,
          id: newSfId('0Af'),
          status: 'Pending',
          checkOnly: false,
          createdBy: user,
          createdDate: now(),
          lastModifiedDate: now(),
          // The validation ran the tests; a quick deploy does not run them again.
          testLevel: 'NoTestRun',
          successes: [],
          failures: [],
          tests: undefined,
          testsTotal: 0,
          errorMessage: undefined,
          errorStatusCode: undefined,
          startDate: undefined,
          completedDate: undefined,
          zip: undefined
        };
        deploys.set(job.id, job);
        const zip = validation.zip;
        void ctx.mutex
          .run(() => runDeploy(ctx, job, zip))
          .catch((err: unknown) => {
            job.status = 'Failed';
            job.errorStatusCode = 'UNKNOWN_EXCEPTION';
            job.errorMessage = (err as Error)?.message ?? String(err);
            job.completedDate = now();
          });
        return reply(job.id);
      }

      case 'checkDeployStatus': {
        const job = deploys.get(str(p.asyncProcessId) ?? '');
        if (!job) throw soapFault('INVALID_ID_FIELD', 'Invalid id specified');
        return reply(deployResult(job, bool(p.includeDetails)));
      }

      case 'cancelDeploy': {
        const job = deploys.get(str(p.String) ?? str(p.asyncProcessId) ?? '');
        if (!job) throw soapFault('INVALID_ID_FIELD', 'Invalid id specified');
        if (job.status === 'Pending') {
          job.cancelRequested = true;
          job.status = 'Canceling';
        }
        return reply({ done: isDone(job.status), id: job.id });
      }

      case 'retrieve': {
        // jsforce names the element <request>, the WSDL <retrieveRequest>.
        const request = (p.retrieveRequest ?? p.request ?? {}) as Record<string, unknown>;
        const singlePackage = bool(request.singlePackage);
        const pkgNames = list<unknown>(request.packageNames).map(String);
        if (pkgNames.length > 0) {
          throw soapFault(
            'INVALID_CROSS_REFERENCE_KEY',
            `unsupported in local-org: retrieving packages by name (${pkgNames.join(', ')})`
          );
        }
        if (list(request.specificFiles).length > 0) {
          throw soapFault(
            'INVALID_CROSS_REFERENCE_KEY',
            'unsupported in local-org: retrieve specificFiles'
          );
        }
        const unpackaged = (request.unpackaged ?? {}) as Record<string, unknown>;
        const members = list<Record<string, unknown>>(unpackaged.types).map((t) => ({
          type: String(t.name ?? ''),
          names: list<unknown>(t.members).map(String)
        }));
        const job: RetrieveJob = {
          id: newSfId('09S'),
          done: false,
          status: 'Pending',
          fileProperties: [],
          messages: []
        };
        retrieves.set(job.id, job);
        void ctx.mutex
          .run(async () => {
            job.status = 'InProgress';
            const out = await ctx.runtime.store.retrieveZip(
              members,
              singlePackage ? '' : 'unpackaged/',
              standardObjectDefinitions(ctx)
            );
            const prefix = singlePackage ? '' : 'unpackaged/';
            const stamp = now();
            job.fileProperties = out.files.map((f) =>
              fileProperty(f.type, f.fullName, prefix + f.fileName, user, stamp)
            );
            job.fileProperties.push(
              fileProperty('Package', 'unpackaged/package.xml', `${prefix}package.xml`, user, stamp)
            );
            job.messages = out.missing.map((m) => ({
              fileName: `${prefix}package.xml`,
              problem: `Entity of type '${m.type}' named '${m.fullName}' cannot be found`
            }));
            job.zip = out.zip;
            job.status = 'Succeeded';
            job.done = true;
          })
          .catch((err: unknown) => {
            job.status = 'Failed';
            job.done = true;
            job.errorMessage = (err as Error)?.message ?? String(err);
          });
        return reply({ done: false, id: job.id, state: 'Queued' });
      }

      case 'checkRetrieveStatus': {
        const job = retrieves.get(str(p.asyncProcessId) ?? '');
        if (!job) throw soapFault('INVALID_ID_FIELD', 'Invalid id specified');
        const includeZip = p.includeZip === undefined ? true : bool(p.includeZip);
        const result: Record<string, unknown> = {
          done: job.done,
          fileProperties: job.done ? job.fileProperties : undefined,
          id: job.id,
          messages: job.messages.length ? job.messages : undefined,
          status: job.status,
          success: job.status === 'Succeeded',
          zipFile: job.done && includeZip && job.zip ? job.zip.toString('base64') : undefined
        };
        if (job.errorMessage) {
          result.errorMessage = job.errorMessage;
          result.errorStatusCode = 'UNKNOWN_EXCEPTION';
        }
        return reply(result);
      }

      case 'listMetadata': {
        const queries = list<Record<string, unknown>>(p.queries);
        const comps = ctx.runtime.store.components().flatMap((c) => [c, ...c.getChildren()]);
        const stamp = now();
        const results = queries.flatMap((q) => {
          const type = str(q.type) ?? '';
          const folder = str(q.folder);
          const found = comps
            .filter((c) => c.type.name === type && (!folder || c.fullName.startsWith(`${folder}/`)))
            .map((c) => fileProperty(type, c.fullName, mdapiFileName(c), user, stamp));
          if (type === 'CustomObject') {
            // Standard objects are always there, customised or not.
            for (const name of standardObjectDefinitions(ctx).keys()) {
              if (found.some((f) => f.fullName === name)) continue;
              found.push(fileProperty(type, name, `objects/${name}.object`, user, stamp));
            }
          }
          return found;
        });
        return reply(results);
      }

      case 'describeMetadata': {
        return reply(describeMetadata());
      }

      default:
        throw soapFault(
          'INVALID_OPERATION',
          `unsupported in local-org: Metadata API operation ${call.operation}`
        );
    }
  });
}

/** The default definitions of the standard objects a CustomObject retrieve can return. */
function standardObjectDefinitions(ctx: MetadataApiContext): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of RETRIEVABLE_STANDARD_OBJECTS) {
    const obj = ctx.runtime.org.schema.findObject(name);
    if (obj && !obj.custom) {
      out.set(name, standardObjectXml({ name, sharingModel: obj.sharingModel }));
    }
  }
  return out;
}

function isAdmin(ctx: MetadataApiContext, user: OrgUser): boolean {
  return user.profile === 'System Administrator' || ctx.runtime.org.adminUserId === user.id;
}

function isDone(s: DeployState): boolean {
  return ['Succeeded', 'SucceededPartial', 'Failed', 'Canceled'].includes(s);
}

function fileProperty(
  type: string,
  fullName: string,
  fileName: string,
  user: OrgUser,
  stamp: string
): Record<string, unknown> {
  const userName = `${user.firstName} ${user.lastName}`.trim();
  return {
    createdById: user.id,
    createdByName: userName,
    createdDate: stamp,
    fileName,
    fullName,
    id: '000000000000000AAA',
    lastModifiedById: user.id,
    lastModifiedByName: userName,
    lastModifiedDate: stamp,
    manageableState: 'unmanaged',
    type
  };
}

async function runDeploy(ctx: MetadataApiContext, job: DeployJob, zipData: Buffer): Promise<void> {
  if (job.cancelRequested) {
    job.status = 'Canceled';
    job.completedDate = now();
    return;
  }
  job.status = 'InProgress';
  job.startDate = now();
  const stamp = now();
  let extracted;
  try {
    extracted = await extractDeployZip(zipData);
  } catch (err) {
    job.status = 'Failed';
    job.errorStatusCode = 'UNKNOWN_EXCEPTION';
    job.errorMessage = `The zip file is not valid: ${(err as Error).message}`;
    job.completedDate = now();
    return;
  }
  let staged: MetadataStore | undefined;
  try {
    if (!extracted.packageXml) {
      job.failures.push(failure('', 'package.xml', 'package.xml', 'No package.xml found', stamp));
      return finish(job);
    }
    if (!job.rollbackOnError) {
      job.failures.push(
        failure(
          '',
          'package.xml',
          'package.xml',
          'unsupported in local-org: rollbackOnError=false (partial deploys)',
          stamp
        )
      );
      return finish(job);
    }
    const destructive = extracted.destructive.flatMap(readManifest);
    for (const f of [extracted.packageXml, ...extracted.destructive]) rmSync(f, { force: true });
    staged = ctx.runtime.store.stage();
    const comps = await staged.applyMetadataDir(extracted.root);
    const deleted = staged.deleteComponents(
      destructive.flatMap((m) => m.names.map((n) => ({ type: m.type, fullName: n })))
    );
    await staged.keepCompleteObjects(comps, extracted.root, standardObjectDefinitions(ctx));
    const existing = new Set(
      ctx.runtime.store.components().map((c) => `${c.type.name}:${c.fullName}`)
    );
    job.componentsTotal = comps.length + deleted.length;

    // Compile: syntax of every Apex file in the staged org, then the interpreter's checks.
    const problems: CompileProblem[] = [];
    for (const c of staged.components()) {
      if ((c.type.name === 'ApexClass' || c.type.name === 'ApexTrigger') && c.content) {
        problems.push(...syntaxProblems(c.content));
      }
    }
    let stagedOrg;
    if (problems.length === 0) {
      try {
        stagedOrg = await ctx.runtime.reloadFrom(staged.dir);
      } catch (err) {
        job.failures.push(failure('', 'package.xml', 'package.xml', (err as Error).message, stamp));
        return finish(job);
      }
      const engine = await getApexEngine();
      if (engine) problems.push(...engine.compileProblems(stagedOrg, staged.dir));
    }
    for (const p of problems) {
      job.failures.push({
        changed: false,
        columnNumber: p.column,
        componentType: p.componentType,
        created: false,
        createdDate: stamp,
        deleted: false,
        fileName: p.fileName,
        fullName: p.fullName,
        lineNumber: p.line,
        problem: p.problem,
        problemType: 'Error',
        success: false
      });
    }
    for (const c of comps) {
      const key = `${c.type.name}:${c.fullName}`;
      if (problems.some((p) => `${p.componentType}:${p.fullName}` === key)) continue;
      job.successes.push({
        changed: true,
        componentType: c.type.name,
        created: !existing.has(key),
        createdDate: stamp,
        deleted: false,
        fileName: mdapiFileName(c),
        fullName: c.fullName,
        id: newSfId(
          c.type.name === 'ApexClass' ? '01p' : c.type.name === 'ApexTrigger' ? '01q' : '000'
        ),
        success: true
      });
    }
    for (const d of deleted) {
      job.successes.push({
        changed: true,
        componentType: d.type,
        created: false,
        createdDate: stamp,
        deleted: true,
        fileName: d.fileName,
        fullName: d.fullName,
        success: true
      });
    }
    // Problems in components that were not part of this deploy still fail it (the org
    // would not compile), reported against their own files.
    if (job.failures.length > 0 || !stagedOrg) return finish(job);

    // Tests.
    const level = job.testLevel;
    if (level !== 'NoTestRun' && level !== 'Default') {
      const engine = await getApexEngine();
      if (!engine) {
        job.errorStatusCode = 'UNSUPPORTED';
        job.errorMessage =
          'unsupported in local-org: running Apex tests (the interpreter is not available)';
        return finish(job);
      }
      let classes: string[] | 'local' | 'all';
      if (level === 'RunSpecifiedTests') classes = job.runTests;
      else if (level === 'RunLocalTests') classes = 'local';
      else if (level === 'RunAllTestsInOrg') classes = 'all';
      else {
        job.errorStatusCode = 'INVALID_OPERATION';
        job.errorMessage = `Invalid testLevel: ${level}`;
        return finish(job);
      }
      const output = await engine.runTests(stagedOrg, staged.dir, classes);
      job.tests = output;
      job.testsTotal = output.methods.length;
      const failed = output.methods.filter((m) => m.outcome !== 'Pass');
      if (failed.length > 0) return finish(job);
      const coverage = coverageForClasses(output);
      const total = coverage.reduce((a, c) => a + c.numLocations, 0);
      const uncovered = coverage.reduce((a, c) => a + c.numLocationsNotCovered, 0);
      const pct = total === 0 ? 100 : ((total - uncovered) / total) * 100;
      if (level === 'RunLocalTests' || level === 'RunAllTestsInOrg') {
        if (pct < 75) {
          job.errorMessage = `Average test coverage across all Apex Classes and Triggers is ${Math.floor(pct)}%, at least 75% test coverage is required.`;
          return finish(job);
        }
      }
    }

    if (job.checkOnly) return finish(job);
    // Commit: swap the store in and the new schema with the records.
    ctx.runtime.store.commit(staged);
    staged = undefined;
    // The staged org already has the new schema and every record (no test ran against it
    // unless tests were requested; then load it again from the committed store).
    const live = job.tests ? await ctx.runtime.reloadFrom(ctx.runtime.store.dir) : stagedOrg;
    ctx.runtime.replaceOrg(live);
    const engine = await getApexEngine();
    engine?.invalidate();
    engine?.attach(live, ctx.runtime.store.dir);
    return finish(job);
  } finally {
    if (staged) staged.discard();
    rmSync(extracted.tmp, { recursive: true, force: true });
  }
}

function finish(job: DeployJob): void {
  const testFailures = job.tests ? job.tests.methods.filter((m) => m.outcome !== 'Pass').length : 0;
  const ok = job.failures.length === 0 && testFailures === 0 && !job.errorMessage;
  job.status = ok ? 'Succeeded' : 'Failed';
  job.completedDate = now();
  job.lastModifiedDate = job.completedDate;
}

function failure(
  type: string,
  fullName: string,
  fileName: string,
  problem: string,
  stamp: string
): ComponentMessage {
  return {
    changed: false,
    componentType: type,
    created: false,
    createdDate: stamp,
    deleted: false,
    fileName,
    fullName,
    problem,
    problemType: 'Error',
    success: false
  };
}

function deployResult(job: DeployJob, includeDetails: boolean): Record<string, unknown> {
  const done = isDone(job.status);
  const tests = job.tests;
  const testFailures = tests ? tests.methods.filter((m) => m.outcome !== 'Pass') : [];
  const result: Record<string, unknown> = {
    checkOnly: job.checkOnly,
    completedDate: job.completedDate,
    createdBy: job.createdBy.id,
    createdByName: `${job.createdBy.firstName} ${job.createdBy.lastName}`.trim(),
    createdDate: job.createdDate,
    details: undefined,
    done,
    errorMessage: job.errorMessage,
    errorStatusCode: job.errorStatusCode,
    id: job.id,
    ignoreWarnings: job.ignoreWarnings,
    lastModifiedDate: job.lastModifiedDate,
    numberComponentErrors: job.failures.length,
    numberComponentsDeployed: job.status === 'Succeeded' ? job.successes.length : 0,
    numberComponentsTotal: job.componentsTotal,
    numberTestErrors: testFailures.length,
    numberTestsCompleted: tests ? tests.methods.length - testFailures.length : 0,
    numberTestsTotal: job.testsTotal,
    rollbackOnError: job.rollbackOnError,
    runTestsEnabled: job.testLevel !== 'NoTestRun' && job.testLevel !== 'Default',
    startDate: job.startDate,
    status: job.status,
    success: job.status === 'Succeeded'
  };
  if (includeDetails || job.failures.length > 0) {
    const details: Record<string, unknown> = {
      componentFailures: job.failures.length ? job.failures : undefined,
      componentSuccesses: done
        ? [
            ...job.successes,
            {
              changed: true,
              componentType: '',
              created: false,
              createdDate: job.createdDate,
              deleted: false,
              fileName: 'package.xml',
              fullName: 'package.xml',
              success: true
            }
          ]
        : undefined
    };
    if (tests) details.runTestResult = runTestResult(tests);
    result.details = details;
  }
  return result;
}

function runTestResult(tests: TestRunOutput): Record<string, unknown> {
  const coverage = coverageForClasses(tests);
  const failures = tests.methods.filter((m) => m.outcome !== 'Pass');
  const successes = tests.methods.filter((m) => m.outcome === 'Pass');
  return {
    codeCoverage: coverage.map((c) => ({
      id: c.id,
      locationsNotCovered: c.uncoveredLines.map((line) => ({
        column: 0,
        line,
        numExecutions: 0,
        time: -1
      })),
      name: c.name,
      namespace: null,
      numLocations: c.numLocations,
      numLocationsNotCovered: c.numLocationsNotCovered,
      type: c.type
    })),
    codeCoverageWarnings: coverage
      .filter(
        (c) =>
          c.numLocations > 0 && (c.numLocations - c.numLocationsNotCovered) / c.numLocations < 0.75
      )
      .map((c) => ({
        id: c.id,
        message: `Test coverage of selected Apex ${c.type} is ${Math.floor(((c.numLocations - c.numLocationsNotCovered) / c.numLocations) * 100)}%, at least 75% test coverage is required`,
        name: c.name,
        namespace: null
      })),
    failures: failures.map((m) => ({
      id: m.classId,
      message: m.message ?? '',
      methodName: m.methodName,
      name: m.className,
      namespace: null,
      seeAllData: false,
      stackTrace: m.stackTrace ?? '',
      time: m.timeMs,
      type: 'Class'
    })),
    numFailures: failures.length,
    numTestsRun: tests.methods.length,
    successes: successes.map((m) => ({
      id: m.classId,
      methodName: m.methodName,
      name: m.className,
      namespace: null,
      seeAllData: false,
      time: m.timeMs
    })),
    totalTime: tests.totalTimeMs
  };
}

function describeMetadata(): Record<string, unknown> {
  const types: [string, string, boolean, string | null, string[]][] = [
    ['ApexClass', 'classes', false, 'cls', []],
    ['ApexTrigger', 'triggers', false, 'trigger', []],
    [
      'CustomObject',
      'objects',
      false,
      'object',
      [
        'CustomField',
        'ValidationRule',
        'ListView',
        'RecordType',
        'WebLink',
        'CompactLayout',
        'FieldSet',
        'BusinessProcess',
        'SharingReason',
        'Index'
      ]
    ],
    ['CustomMetadata', 'customMetadata', false, 'md', []],
    ['LightningComponentBundle', 'lwc', false, null, []],
    ['PermissionSet', 'permissionsets', false, 'permissionset', []],
    ['FlexiPage', 'flexipages', false, 'flexipage', []],
    ['Layout', 'layouts', false, 'layout', []],
    ['CustomTab', 'tabs', false, 'tab', []],
    ['CustomApplication', 'applications', false, 'app', []],
    ['ReportType', 'reportTypes', false, 'reportType', []],
    ['StaticResource', 'staticresources', false, 'resource', []]
  ];
  return {
    metadataObjects: types.map(([xmlName, directoryName, inFolder, suffix, childXmlNames]) => ({
      childXmlNames: childXmlNames.length ? childXmlNames : undefined,
      directoryName,
      inFolder,
      metaFile: ['ApexClass', 'ApexTrigger', 'StaticResource'].includes(xmlName),
      suffix: suffix ?? undefined,
      xmlName
    })),
    organizationNamespace: '',
    partialSaveAllowed: false,
    testRequired: false
  };
}
