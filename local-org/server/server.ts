// The local-org HTTP server: node:http on 127.0.0.1, one router, Salesforce error shapes.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { apiDisabled, type Auth, type OrgUser } from './auth.ts';
import {
  invalidSession,
  readBody,
  restError,
  Router,
  send,
  SfHttpError,
  type Request
} from './http.ts';
import { registerOAuth } from './oauth.ts';
import { registerRestData, toRestError, type RestContext } from './rest-data.ts';

/** Largest SOAP body (a Metadata API deploy carries a base64 zip of up to 39 MB). */
export const MAX_SOAP_BYTES = 60 * 1024 * 1024;
/** Largest body for the other APIs. */
export const MAX_BODY_BYTES = 50 * 1024 * 1024;

export interface ServerHooks {
  auth: Auth;
  rest: Omit<RestContext, 'userOf'>;
  /** Registers the routes that need the Apex runtime / metadata store. */
  extraRoutes?: (router: Router, userOf: (req: Request) => OrgUser) => void;
  log?: (line: string) => void;
  apiVersion: string;
}

export interface RunningServer {
  server: Server;
  url: string;
  port: number;
  close: () => Promise<void>;
}

const USER = Symbol('user');

export function userOfRequest(req: Request): OrgUser {
  const user = (req as unknown as Record<symbol, OrgUser | undefined>)[USER];
  if (!user) throw invalidSession();
  return user;
}

/** Routes reachable without a session. */
function isPublic(path: string): boolean {
  return (
    path.startsWith('/services/oauth2/') ||
    path.startsWith('/id/') ||
    path === '/services/data' ||
    path === '/services/data/' ||
    // SOAP endpoints carry the session id in the envelope header.
    path.startsWith('/services/Soap/')
  );
}

export async function startHttpServer(hooks: ServerHooks, port: number): Promise<RunningServer> {
  const router = new Router();
  let baseUrl = '';
  const log = hooks.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  registerOAuth(router, {
    auth: hooks.auth,
    instanceUrl: () => baseUrl,
    apiVersion: hooks.apiVersion
  });
  registerRestData(router, { ...hooks.rest, userOf: userOfRequest });
  hooks.extraRoutes?.(router, userOfRequest);

  const handle = async (raw: IncomingMessage, res: ServerResponse): Promise<void> => {
    // Collapse duplicate slashes before parsing: a client whose instance URL ends in '/'
    // sends '//services/…', which URL() would read as a host name.
    const target = (raw.url ?? '/').replace(/^\/{2,}/, '/');
    const url = new URL(target, 'http://127.0.0.1');
    const method = (raw.method ?? 'GET').toUpperCase();
    const path = url.pathname.replace(/\/{2,}/g, '/');
    const head = method === 'HEAD';
    try {
      const match = router.match(method, path);
      const bodyLimit = path.startsWith('/services/apexrest/')
        ? APEX_REST_LIMIT
        : path.startsWith('/services/Soap/')
          ? MAX_SOAP_BYTES
          : MAX_BODY_BYTES;
      const body = await readBody(raw, bodyLimit, () =>
        path.startsWith('/services/apexrest/')
          ? restError(
              413,
              'REQUEST_ENTITY_TOO_LARGE',
              'Request body exceeds the maximum size of 6 MB'
            )
          : restError(413, 'REQUEST_ENTITY_TOO_LARGE', 'Request entity too large')
      );
      if (process.env.LOCAL_ORG_TRACE) {
        log(`local-org: ${method} ${path}${url.search} ${body.toString('utf8').slice(0, 4000)}`);
      }
      if (!match) {
        log(
          `local-org: unhandled ${method} ${path}${url.search} ${body.toString('utf8').slice(0, 2000)}`
        );
        if (!isPublic(path)) {
          const { user } = hooks.auth.authenticate(raw.headers.authorization);
          if (!hooks.auth.apiEnabled(user)) throw apiDisabled();
        }
        throw restError(404, 'NOT_FOUND', 'The requested resource does not exist');
      }
      const req: Request = {
        method,
        path,
        query: url.searchParams,
        headers: raw.headers,
        body,
        params: 'handler' in match ? match.params : {},
        raw
      };
      if (!isPublic(path)) {
        const { user } = hooks.auth.authenticate(raw.headers.authorization);
        if (!hooks.auth.apiEnabled(user)) throw apiDisabled();
        (req as unknown as Record<symbol, OrgUser>)[USER] = user;
      }
      if (!('handler' in match)) {
        throw restError(
          405,
          'METHOD_NOT_ALLOWED',
          `HTTP Method '${method}' not allowed. Allowed are ${match.allowed.join(',')}`
        );
      }
      const reply = await match.handler(req);
      send(res, reply, head);
    } catch (err) {
      const e = err instanceof SfHttpError ? err : toRestError(err);
      if (!(err instanceof SfHttpError)) {
        log(`local-org: ${method} ${path} failed: ${(err as Error)?.stack ?? String(err)}`);
      }
      if (typeof e.body === 'string') {
        send(
          res,
          {
            status: e.status,
            raw: e.body,
            contentType: 'text/xml;charset=UTF-8',
            headers: e.headers
          },
          head
        );
      } else {
        send(res, { status: e.status, body: e.body, headers: e.headers }, head);
      }
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      log(`local-org: response failed: ${String(err)}`);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  // Long keep-alive: a test run or deploy can block the event loop for seconds, and a
  // short timeout then closes sockets a client is just reusing ("fetch failed").
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 125_000;
  server.requestTimeout = 0;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  baseUrl = `http://127.0.0.1:${actual}`;
  return {
    server,
    url: baseUrl,
    port: actual,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      })
  };
}

/** Apex REST request bodies are limited to 6 MB (the synchronous heap limit). */
export const APEX_REST_LIMIT = 6 * 1024 * 1024;
