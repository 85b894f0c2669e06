// Starts a whole local org: runtime (records + deployed metadata), users and sessions, the
// HTTP APIs. Used by the CLI (`npm run local-org -- serve`), the tests and the benchmark.
import { join, resolve } from 'node:path';
import { Auth, newAuthState, type AuthState, type OrgUser } from './auth.ts';
import { Mutex } from './http.ts';
import { getApexEngine } from './apex-engine.ts';
import { registerApexRoutes } from './apex-routes.ts';
import { registerCometD, type CometD } from './cometd.ts';
import { registerMetadataApi } from './metadata-api.ts';
import { DEFAULT_ORG_SHAPE, OrgRuntime, loadConfig, type OrgShape } from './runtime.ts';
import { startHttpServer, type RunningServer } from './server.ts';
import { readJsonFile, writeFileAtomic } from './state-file.ts';

export const DEFAULT_PORT = 6109;
export const API_VERSION = '62.0';

export interface StartOptions {
  projectDir: string;
  /** Default `<projectDir>/.local-org`. */
  dataDir?: string;
  /** 0 = any free port. Default DEFAULT_PORT. */
  port?: number;
  fresh?: boolean;
  /** Extra `<user>=<permset,…>` assignments on top of local-org.config.json. */
  assign?: string[];
  /**
   * Organization fields (`serve --edition/--sandbox/--trial-expires`); each overrides the
   * config's `org` key, which overrides the defaults (Developer Edition, production, no trial).
   */
  org?: Partial<OrgShape>;
  /** Session inactivity timeout (default two hours, as Salesforce). */
  sessionTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface ReadyInfo {
  instanceUrl: string;
  /** The Organization record's shape (what `SELECT … FROM Organization` returns). */
  org: { id: string } & OrgShape;
  users: {
    username: string;
    alias?: string;
    userId: string;
    profile: string;
    accessToken: string;
    refreshToken: string;
    permissionSets: string[];
  }[];
  oauth: { clientId: string; clientSecret: string; clientCredentialsUser: string };
}

export interface LocalOrg {
  info: ReadyInfo;
  runtime: OrgRuntime;
  auth: Auth;
  http: RunningServer;
  close: () => Promise<void>;
}

export async function startLocalOrg(opts: StartOptions): Promise<LocalOrg> {
  const projectDir = resolve(opts.projectDir);
  const dataDir = resolve(opts.dataDir ?? join(projectDir, '.local-org'));
  const config = loadConfig(projectDir, opts.assign);
  const runtime = await OrgRuntime.open(projectDir, dataDir, opts.fresh ?? false);
  // Every start sets the shape it is given (a restart without options is a Developer Edition again).
  runtime.applyOrgShape({ ...DEFAULT_ORG_SHAPE, ...config.org, ...opts.org });
  // Apex triggers fire on REST API DML too: the interpreter's hook goes on the org now.
  const engine = await getApexEngine();
  engine?.attach(runtime.org, runtime.store.dir);

  const authFile = join(dataDir, 'auth.json');
  const saved = readJsonFile<AuthState>(authFile);
  const state = saved && saved.orgId === runtime.org.orgId ? saved : newAuthState('Local Org');
  state.orgId = runtime.org.orgId;
  let authTimer: NodeJS.Timeout | undefined;
  const saveAuth = (): void => {
    if (authTimer) return;
    authTimer = setTimeout(() => {
      authTimer = undefined;
      writeFileAtomic(authFile, JSON.stringify(state));
    }, 50);
    authTimer.unref();
  };
  const auth = new Auth(state, opts.sessionTimeoutMs ?? 2 * 60 * 60 * 1000, saveAuth);
  // "API Enabled" from the user's profile or permission sets (runtime.org changes on deploys).
  auth.apiEnabled = (user) => runtime.org.permissions.hasUserPermission(user.id, 'ApiEnabled');

  // Users: data-layer records (profiles, permission set assignments) mirrored in the auth state.
  const ids = runtime.ensureUsers(config.users);
  const users: ReadyInfo['users'] = [];
  for (const spec of config.users) {
    const id = ids.get(spec.username)!;
    const rec = runtime.org.getRecord(id)!;
    let user = state.users.find((u) => u.id === id);
    const fresh: OrgUser = {
      id,
      username: spec.username,
      firstName: String(rec.FirstName ?? ''),
      lastName: String(rec.LastName ?? ''),
      email: String(rec.Email ?? spec.username),
      profile: spec.profile,
      permissionSets: [...spec.permissionSets]
    };
    if (user) Object.assign(user, fresh);
    else {
      user = fresh;
      state.users.push(user);
    }
    if (spec.clientCredentials) state.oauth.runAsUsername = spec.username;
    if (spec.password) auth.setPassword(user, spec.password);
    else delete user.passwordHash;
    const session = auth.issueSession(id, true);
    // Tokens printed by earlier starts stay valid, but only the last few per user.
    const pinned = state.sessions.filter((x) => x.pinned && x.userId === id);
    const stale = new Set(pinned.slice(0, Math.max(0, pinned.length - 5)));
    state.sessions = state.sessions.filter((x) => !stale.has(x));
    const refresh =
      state.refreshTokens.find((r) => r.userId === id)?.token ?? auth.issueRefreshToken(id);
    users.push({
      username: spec.username,
      alias: spec.alias,
      userId: id,
      profile: spec.profile,
      accessToken: session.token,
      refreshToken: refresh,
      permissionSets: [...spec.permissionSets]
    });
  }
  state.users = state.users.filter((u) => ids.has(u.username));
  writeFileAtomic(authFile, JSON.stringify(state));

  const mutex = new Mutex();
  let cometd: CometD | undefined;
  const http = await startHttpServer(
    {
      auth,
      apiVersion: API_VERSION,
      log: opts.log,
      rest: {
        org: () => runtime.data,
        transact: (fn) => mutex.run(fn),
        changed: () => runtime.changed(),
        identityUrl: (userId) => `${http.url}/id/${state.orgId}/${userId}`
      },
      extraRoutes: (router, userOf) => {
        cometd = registerCometD(router);
        const streaming = cometd;
        registerApexRoutes(router, {
          runtime,
          mutex,
          userOf,
          auth,
          apiVersion: API_VERSION,
          onTestRunDone: (jobId) =>
            streaming.publish('/systemTopic/TestResult', {
              event: { createdDate: new Date().toISOString(), type: 'updated' },
              sobject: { Id: jobId }
            })
        });
        registerMetadataApi(router, {
          runtime,
          mutex,
          auth,
          apiVersion: API_VERSION,
          log: opts.log
        });
      }
    },
    opts.port ?? DEFAULT_PORT
  );

  const info: ReadyInfo = {
    instanceUrl: http.url,
    org: { id: state.orgId, ...runtime.orgShape() },
    users,
    oauth: {
      clientId: state.oauth.clientId,
      clientSecret: state.oauth.clientSecret,
      clientCredentialsUser: state.oauth.runAsUsername
    }
  };
  let closed = false;
  return {
    info,
    runtime,
    auth,
    http,
    close: async () => {
      if (closed) return;
      closed = true;
      cometd?.close();
      await http.close();
      // Let a transaction in flight finish before the final write.
      await mutex.run(() => undefined);
      runtime.flush();
      if (authTimer) clearTimeout(authTimer);
      writeFileAtomic(authFile, JSON.stringify(state));
    }
  };
}
