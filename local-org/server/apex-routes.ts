// Routes that run Apex: Apex REST (/services/apexrest/**), the Tooling API test runs and
// queries, executeAnonymous (Tooling REST and the Apex SOAP endpoint).
import { API_DISABLED, type Auth, type OrgUser } from './auth.ts';
import { apexIdFor, getApexEngine, type ApexEngine, type RestResourceInfo } from './apex-engine.ts';
import {
  parseJsonBody,
  restError,
  SfHttpError,
  type Mutex,
  type Request,
  type Router
} from './http.ts';
import type { OrgRuntime } from './runtime.ts';
import { NS, parseSoap, soapFault, soapResponse, toXml } from './soap.ts';
import { ToolingTables } from './tooling.ts';
import { decorateRecords } from './rest-data.ts';

export interface ApexRoutesContext {
  runtime: OrgRuntime;
  mutex: Mutex;
  auth: Auth;
  userOf: (req: Request) => OrgUser;
  apiVersion: string;
  /** Told when an asynchronous test run finishes (streams /systemTopic/TestResult). */
  onTestRunDone?: (jobId: string) => void;
}

const V = '(?<v>v\\d+\\.\\d)';

async function engineOr501(): Promise<ApexEngine> {
  const engine = await getApexEngine();
  if (!engine) {
    throw restError(
      501,
      'NOT_IMPLEMENTED',
      'unsupported in local-org: Apex execution (the interpreter is not available)'
    );
  }
  return engine;
}

/** Does `user` have access to Apex class `className` (profile or permission set)? */
export function hasClassAccess(runtime: OrgRuntime, userId: string, className: string): boolean {
  const perms = runtime.org.permissions;
  const eff = perms.effective(userId);
  if (eff.modifyAllData || eff.userPermissions.has('AuthorApex')) return true;
  const lname = className.toLowerCase();
  return eff.permissionSets.some((ps) => [...ps.classes].some((c) => c.toLowerCase() === lname));
}

/** Salesforce's Apex REST URL matching: exact mapping first, then the longest wildcard. */
export function matchRestResource(
  resources: RestResourceInfo[],
  path: string
): RestResourceInfo | undefined {
  let best: { r: RestResourceInfo; score: number } | undefined;
  for (const r of resources) {
    const mapping = r.urlMapping.startsWith('/') ? r.urlMapping : `/${r.urlMapping}`;
    if (mapping === path) return r;
    if (!mapping.includes('*')) continue;
    const pattern = mapping
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*');
    // '/x/*' also matches '/x'.
    const re = new RegExp(`^${pattern.replace(/\/\.\*$/, '(?:/.*)?')}$`);
    if (re.test(path)) {
      const score = mapping.replace(/\*/g, '').length;
      if (!best || score > best.score) best = { r, score };
    }
  }
  return best?.r;
}

export function registerApexRoutes(router: Router, ctx: ApexRoutesContext): void {
  const tooling = new ToolingTables();
  const { runtime, mutex } = ctx;

  const refreshClasses = async (): Promise<void> => {
    const classes = [];
    const triggers = [];
    for (const c of runtime.store.components()) {
      if (c.type.name === 'ApexClass') {
        classes.push({
          Id: apexIdFor(c.fullName),
          Name: c.fullName,
          NamespacePrefix: null,
          ApiVersion: 62.0,
          Status: 'Active'
        });
      } else if (c.type.name === 'ApexTrigger') {
        triggers.push({
          Id: apexIdFor(c.fullName, 'Trigger'),
          Name: c.fullName,
          NamespacePrefix: null,
          ApiVersion: 62.0,
          Status: 'Active'
        });
      }
    }
    tooling.replace('ApexClass', classes);
    tooling.replace('ApexTrigger', triggers);
    for (const t of [
      'ApexTestRunResult',
      'ApexTestQueueItem',
      'ApexTestResult',
      'ApexCodeCoverage',
      'ApexCodeCoverageAggregate',
      'ApexTestSuite',
      'TestSuiteMembership',
      'FlowTestResult',
      'InstalledSubscriberPackage',
      'DebugLevel',
      'TraceFlag',
      'ApexLog'
    ]) {
      tooling.rows(t);
    }
    if (tooling.rows('ApexOrgWideCoverage').length === 0) {
      tooling.replace('ApexOrgWideCoverage', [{ Id: 'ApexOrgWideCoverage', PercentCovered: 0 }]);
    }
  };

  const requireAuthorApex = (user: OrgUser): void => {
    const eff = runtime.org.permissions.effective(user.id);
    if (!eff.modifyAllData && !eff.userPermissions.has('AuthorApex')) {
      throw restError(403, 'INSUFFICIENT_ACCESS', 'insufficient access rights on object id');
    }
  };

  // ---- Apex REST ------------------------------------------------------------------------
  router.add(
    ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    /^\/services\/apexrest(?<rest>\/.*)?$/,
    async (req) => {
      const user = ctx.userOf(req);
      const path = req.params.rest || '/';
      const engine = await engineOr501();
      return mutex.run(() => {
        const org = runtime.org;
        const resources = engine.restResources(org, runtime.store.dir);
        const resource = matchRestResource(resources, path);
        if (!resource) throw restError(404, 'NOT_FOUND', 'Could not find a match for URL');
        if (!hasClassAccess(runtime, user.id, resource.className)) {
          throw restError(
            403,
            'FORBIDDEN',
            `You do not have access to the Apex class named: ${resource.className}`
          );
        }
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers)) {
          if (typeof v === 'string' && k !== 'authorization') headers[k] = v;
        }
        const params: Record<string, string> = {};
        for (const [k, v] of req.query) params[k] = v;
        const savepoint = org.setSavepoint();
        let outcome;
        try {
          outcome = engine.invokeRest(org, runtime.store.dir, resource, {
            httpMethod: req.method,
            requestURI: path,
            resourcePath: `/services/apexrest${resource.urlMapping.startsWith('/') ? '' : '/'}${resource.urlMapping}`,
            params,
            headers,
            body: req.body,
            remoteAddress: req.raw.socket.remoteAddress ?? '127.0.0.1',
            userId: user.id
          });
        } catch (err) {
          org.rollback(savepoint);
          if (err instanceof SfHttpError) throw err;
          throw err;
        }
        if (outcome.rollback) org.rollback(savepoint);
        else runtime.changed();
        const contentType = Object.entries(outcome.headers).find(
          ([k]) => k.toLowerCase() === 'content-type'
        )?.[1];
        const headersOut = Object.fromEntries(
          Object.entries(outcome.headers).filter(([k]) => k.toLowerCase() !== 'content-type')
        );
        return {
          status: outcome.status,
          raw: outcome.body ?? '',
          contentType: contentType ?? 'application/json;charset=UTF-8',
          headers: headersOut
        };
      });
    }
  );

  // ---- Tooling: query ---------------------------------------------------------------------
  router.add('GET', new RegExp(`^/services/data/${V}/tooling/query/?$`), async (req) => {
    const q = req.query.get('q');
    if (!q) throw restError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
    await refreshClasses();
    return { status: 200, body: decorateRecords(tooling.query(q, req.params.v!), req.params.v!) };
  });

  router.add('GET', new RegExp(`^/services/data/${V}/tooling/sobjects/?$`), async (req) => {
    await refreshClasses();
    const v = req.params.v!;
    return {
      status: 200,
      body: {
        encoding: 'UTF-8',
        maxBatchSize: 200,
        sobjects: [...tooling.tables.keys()].map((name) => ({
          name: canonicalTooling(name),
          label: canonicalTooling(name),
          queryable: true,
          createable: false,
          updateable: false,
          deletable: false,
          custom: false,
          urls: { sobject: `/services/data/${v}/tooling/sobjects/${canonicalTooling(name)}` }
        }))
      }
    };
  });

  // ---- Tooling: test runs ------------------------------------------------------------------
  const resolveTestClasses = (
    engine: ApexEngine,
    body: Record<string, unknown>
  ): string[] | 'local' | 'all' => {
    const level = typeof body.testLevel === 'string' ? body.testLevel : undefined;
    if (level === 'RunLocalTests') return 'local';
    if (level === 'RunAllTestsInOrg') return 'all';
    const known = engine.testClassNames(runtime.org, runtime.store.dir);
    const byId = new Map(known.map((n) => [apexIdFor(n).slice(0, 15), n]));
    const names: string[] = [];
    const add = (n: string) => {
      const hit = known.find((k) => k.toLowerCase() === n.trim().toLowerCase());
      if (!hit) throw restError(400, 'INVALID_INPUT', `No test class found: ${n.trim()}`);
      if (!names.includes(hit)) names.push(hit);
    };
    if (typeof body.classNames === 'string')
      body.classNames.split(',').filter(Boolean).forEach(add);
    if (typeof body.classids === 'string') {
      for (const id of body.classids.split(',').filter(Boolean)) {
        const n = byId.get(id.trim().slice(0, 15));
        if (!n) throw restError(400, 'INVALID_ID_FIELD', `invalid class id: ${id}`);
        add(n);
      }
    }
    if (Array.isArray(body.tests)) {
      for (const t of body.tests as Record<string, unknown>[]) {
        if (Array.isArray(t.testMethods) && t.testMethods.length > 0) {
          throw restError(
            501,
            'NOT_IMPLEMENTED',
            'unsupported in local-org: running individual test methods'
          );
        }
        if (typeof t.className === 'string') add(t.className);
        else if (typeof t.classId === 'string') {
          const n = byId.get(t.classId.slice(0, 15));
          if (!n) throw restError(400, 'INVALID_ID_FIELD', `invalid class id: ${t.classId}`);
          add(n);
        }
      }
    }
    if (names.length === 0) {
      throw restError(
        400,
        'INVALID_INPUT',
        'No tests were specified: give classNames, classids, tests or testLevel'
      );
    }
    return names;
  };

  router.add(
    'POST',
    new RegExp(`^/services/data/${V}/tooling/runTestsAsynchronous/?$`),
    async (req) => {
      const user = ctx.userOf(req);
      requireAuthorApex(user);
      const body = parseJsonBody(req) as Record<string, unknown>;
      const engine = await engineOr501();
      await refreshClasses();
      const which = resolveTestClasses(engine, body);
      const classNames =
        which === 'local' || which === 'all'
          ? engine.testClassNames(runtime.org, runtime.store.dir)
          : which;
      const { jobId } = tooling.queueRun(classNames, user.id);
      const skipCoverage = body.skipCodeCoverage === true;
      void mutex
        .run(async () => {
          const output = await engine.runTests(runtime.org, runtime.store.dir, which);
          tooling.completeRun(jobId, output, skipCoverage);
          ctx.onTestRunDone?.(jobId);
        })
        .catch((err: unknown) => {
          tooling.failRun(jobId, (err as Error)?.message ?? String(err));
          ctx.onTestRunDone?.(jobId);
        });
      return { status: 200, body: jobId };
    }
  );

  router.add(
    'POST',
    new RegExp(`^/services/data/${V}/tooling/runTestsSynchronous/?$`),
    async (req) => {
      const user = ctx.userOf(req);
      requireAuthorApex(user);
      const body = parseJsonBody(req) as Record<string, unknown>;
      const engine = await engineOr501();
      await refreshClasses();
      const which = resolveTestClasses(engine, body);
      if (which !== 'local' && which !== 'all' && which.length > 1) {
        throw restError(400, 'INVALID_INPUT', 'runTestsSynchronous accepts one test class');
      }
      const output = await mutex.run(() => engine.runTests(runtime.org, runtime.store.dir, which));
      const classNames =
        which === 'local' || which === 'all'
          ? engine.testClassNames(runtime.org, runtime.store.dir)
          : which;
      const { jobId } = tooling.queueRun(classNames, user.id);
      tooling.completeRun(jobId, output, body.skipCodeCoverage === true);
      const failures = output.methods.filter((m) => m.outcome !== 'Pass');
      return {
        status: 200,
        body: {
          apexLogId: null,
          codeCoverage: output.coverage.map((c) => ({
            id: apexIdFor(c.name, c.type),
            locationsNotCovered: c.uncoveredLines.map((line) => ({
              column: 0,
              line,
              numExecutions: 0,
              time: -1
            })),
            name: c.name,
            namespace: null,
            numLocations: c.coveredLines.length + c.uncoveredLines.length,
            numLocationsNotCovered: c.uncoveredLines.length,
            type: c.type
          })),
          codeCoverageWarnings: [],
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
          flowCoverage: [],
          flowCoverageWarnings: [],
          numFailures: failures.length,
          numTestsRun: output.methods.length,
          successes: output.methods
            .filter((m) => m.outcome === 'Pass')
            .map((m) => ({
              id: m.classId,
              methodName: m.methodName,
              name: m.className,
              namespace: null,
              seeAllData: false,
              time: m.timeMs
            })),
          totalTime: output.totalTimeMs
        }
      };
    }
  );

  // ---- executeAnonymous (Tooling REST) -------------------------------------------------------
  router.add('GET', new RegExp(`^/services/data/${V}/tooling/executeAnonymous/?$`), async (req) => {
    const user = ctx.userOf(req);
    requireAuthorApex(user);
    const code = req.query.get('anonymousBody');
    if (code === null)
      throw restError(400, 'MISSING_ARGUMENT', 'anonymousBody: parameter must be specified');
    const engine = await engineOr501();
    const result = await mutex.run(() => {
      const r = engine.executeAnonymous(runtime.org, runtime.store.dir, code, user.id);
      runtime.changed();
      return r;
    });
    return {
      status: 200,
      body: {
        line: result.line,
        column: result.column,
        compiled: result.compiled,
        success: result.success,
        compileProblem: result.compileProblem,
        exceptionStackTrace: result.exceptionStackTrace,
        exceptionMessage: result.exceptionMessage
      }
    };
  });

  // ---- Apex SOAP API: executeAnonymous ------------------------------------------------------
  router.add('POST', /^\/services\/Soap\/s\/(?<v>\d+\.\d)(?:\/[A-Za-z0-9]+)?\/?$/, async (req) => {
    const call = parseSoap(req);
    let user: OrgUser;
    try {
      user = ctx.auth.authenticateToken(call.sessionId ?? '').user;
    } catch {
      throw soapFault(
        'INVALID_SESSION_ID',
        'Invalid Session ID found in SessionHeader: Illegal Session'
      );
    }
    if (!ctx.auth.apiEnabled(user)) {
      throw soapFault(API_DISABLED.errorCode, API_DISABLED.message);
    }
    if (call.operation !== 'executeAnonymous') {
      throw soapFault(
        'INVALID_OPERATION',
        `unsupported in local-org: Apex API operation ${call.operation}`
      );
    }
    const eff = runtime.org.permissions.effective(user.id);
    if (!eff.modifyAllData && !eff.userPermissions.has('AuthorApex')) {
      throw soapFault('INSUFFICIENT_ACCESS', 'insufficient access rights on object id');
    }
    const code = typeof call.params.apexcode === 'string' ? call.params.apexcode : '';
    const engine = await getApexEngine();
    if (!engine)
      throw soapFault(
        'UNSUPPORTED',
        'unsupported in local-org: Apex execution (the interpreter is not available)'
      );
    const result = await mutex.run(() => {
      const r = engine.executeAnonymous(runtime.org, runtime.store.dir, code, user.id);
      runtime.changed();
      return r;
    });
    const header = `<DebuggingInfo>${toXml('debugLog', result.log)}</DebuggingInfo>`;
    return {
      status: 200,
      contentType: 'text/xml;charset=UTF-8',
      raw: soapResponse(
        NS.apex,
        'executeAnonymous',
        {
          column: result.column,
          compileProblem: result.compileProblem,
          compiled: result.compiled,
          exceptionMessage: result.exceptionMessage,
          exceptionStackTrace: result.exceptionStackTrace,
          line: result.line,
          success: result.success
        },
        header
      )
    };
  });
}

const TOOLING_NAMES = [
  'ApexClass',
  'ApexTrigger',
  'ApexTestRunResult',
  'ApexTestQueueItem',
  'ApexTestResult',
  'ApexCodeCoverage',
  'ApexCodeCoverageAggregate',
  'ApexOrgWideCoverage',
  'ApexTestSuite',
  'TestSuiteMembership',
  'FlowTestResult',
  'InstalledSubscriberPackage',
  'DebugLevel',
  'TraceFlag',
  'ApexLog'
];

function canonicalTooling(lower: string): string {
  return TOOLING_NAMES.find((n) => n.toLowerCase() === lower) ?? lower;
}
