// Record pages in a browser: a request handler the local-org server mounts (or serve.ts runs
// on its own) that renders Lightning-style home, list and record pages with the project's
// Lightning Web Components compiled by the LWC compiler, their Apex calls run by the local
// org as the signed-in user.
import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import type { Org } from '../data/org.ts';
import type { FieldDescribe, ObjectDescribe } from '../data/schema-types.ts';
import type { AuraInvoker } from './aura.ts';
import { buildBundle, type BuiltBundle } from './bundle.ts';
import { homePageLayout, recordPageLayout } from './layout.ts';
import {
  NAV_OBJECTS,
  esc,
  homePage,
  keyFieldsFor,
  listPage,
  messagePage,
  recordPage,
  type PageUser
} from './pages.ts';
import { scanProject, type ProjectScan } from './project.ts';

export type { AuraInvoker, AuraCall, AuraResult } from './aura.ts';
export { createInterpreterInvoker } from './aura.ts';
export { PreviewBuildError } from './bundle.ts';

export interface PreviewOptions {
  /** The Salesforce DX project whose LWCs, FlexiPages and labels the pages use. */
  projectDir: string;
  /** The org (a function when the host replaces it, e.g. after a deploy). */
  org: Org | (() => Org);
  /** Runs @AuraEnabled methods; see createInterpreterInvoker. */
  apex: AuraInvoker;
  /** Access token → user id (undefined when the token is unknown or expired). */
  authenticate?: (token: string) => string | undefined;
  /** Requests without a session run as this user (the standalone preview only). */
  defaultUserId?: string;
  /** Where compiled bundles are cached (default <projectDir>/node_modules/.cache/local-org-preview). */
  cacheDir?: string;
  log?: (line: string) => void;
}

export interface PreviewHandler {
  /** Handles the request and returns true, or returns false when the path is not the preview's. */
  (req: IncomingMessage, res: ServerResponse): boolean;
  /** Settles when the components are compiled (rejects with a PreviewBuildError). */
  readonly ready: Promise<BuiltBundle>;
  /** Paths the handler answers (for the host's logs / route table). */
  readonly prefixes: readonly string[];
}

export const SESSION_COOKIE = 'local_org_preview_sid';
const PREFIXES = ['/lightning', '/preview/', '/assets/'] as const;

const require = createRequire(import.meta.url);

const CONTENT_TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.gif': 'image/gif',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json'
};

function sldsAssetsDir(): string {
  return join(dirname(require.resolve('@salesforce-ux/design-system/package.json')), 'assets');
}

function cookies(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim());
  }
  return out;
}

function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: string | Buffer,
  headers: Record<string, string> = {}
): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...headers
  });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(body));
}

function readBody(req: IncomingMessage, limit = 1024 * 1024): Promise<string> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new Error('request body too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolveBody(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Salesforce locale keys (en_US) as BCP 47 tags (en-US). */
function bcp47(sfKey: unknown, fallback: string): string {
  if (typeof sfKey !== 'string' || !sfKey) return fallback;
  return sfKey.replace(/_/g, '-');
}

export function createPreviewHandler(opts: PreviewOptions): PreviewHandler {
  const projectDir = resolve(opts.projectDir);
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const orgOf = (): Org => (typeof opts.org === 'function' ? opts.org() : opts.org);
  const scan: ProjectScan = scanProject(projectDir);
  const assets = sldsAssetsDir();
  let bundle: BuiltBundle | undefined;
  let buildError: Error | undefined;

  const ready = buildBundle({
    projectDir,
    bundles: scan.bundles,
    labels: scan.labels,
    cacheDir: opts.cacheDir
  }).then(
    (b) => {
      bundle = b;
      log(
        `local-org preview: ${Object.keys(b.components).length} component(s) ${b.fromCache ? 'loaded from cache' : 'compiled'} in ${b.tookMs} ms`
      );
      return b;
    },
    (err: Error) => {
      buildError = err;
      log(`local-org preview: ${err.message}`);
      throw err;
    }
  );
  // The host awaits `ready` when it wants to; pages report the error themselves.
  ready.catch(() => undefined);

  const bundleUrl = () => (bundle ? `/preview/${bundle.hash}/app.js` : undefined);

  function userOf(
    req: IncomingMessage,
    url: URL
  ): { userId?: string; setCookie?: string; redirect?: string } {
    const token = url.searchParams.get('token');
    if (token !== null) {
      const userId = opts.authenticate?.(token);
      if (!userId) return {};
      url.searchParams.delete('token');
      return {
        userId,
        setCookie: `${SESSION_COOKIE}=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Strict`,
        redirect: url.pathname + url.search
      };
    }
    const sid = cookies(req)[SESSION_COOKIE];
    if (sid) {
      const userId = opts.authenticate?.(sid);
      if (userId) return { userId };
    }
    return opts.defaultUserId ? { userId: opts.defaultUserId } : {};
  }

  function pageUser(org: Org, userId: string): PageUser {
    const rows = org.query(
      'SELECT Id, Name, TimeZoneSidKey, LocaleSidKey, LanguageLocaleKey FROM User WHERE Id = :id',
      { id: userId }
    ).records as Record<string, unknown>[];
    const u = rows[0] ?? {};
    return {
      id: userId,
      name: String(u.Name ?? userId),
      timeZone: String(u.TimeZoneSidKey ?? org.userTimeZone(userId)),
      locale: bcp47(u.LocaleSidKey, 'en-US'),
      lang: bcp47(u.LanguageLocaleKey, 'en-US')
    };
  }

  function navObjects(org: Org, userId: string): ObjectDescribe[] {
    return NAV_OBJECTS.map((n) => org.schema.findObject(n)).filter(
      (o): o is ObjectDescribe => !!o && org.permissions.objectAccess(userId, o.name).read
    );
  }

  function readable(org: Org, userId: string, obj: ObjectDescribe, path: string): boolean {
    const parts = path.split('.');
    if (parts.length === 1) {
      return (
        !!obj.fields.get(path.toLowerCase()) &&
        org.permissions.fieldAccess(userId, obj.name, path).readable
      );
    }
    const rel = obj.fieldList.find(
      (f) => f.relationshipName?.toLowerCase() === parts[0]!.toLowerCase()
    );
    const parent = rel?.referenceTo[0] ? org.schema.findObject(rel.referenceTo[0]) : undefined;
    return (
      !!rel &&
      !!parent &&
      org.permissions.fieldAccess(userId, obj.name, rel.name).readable &&
      org.permissions.objectAccess(userId, parent.name).read &&
      readable(org, userId, parent, parts.slice(1).join('.'))
    );
  }

  function buildState(res: ServerResponse, user: PageUser): boolean {
    if (buildError) {
      send(
        res,
        500,
        'text/html; charset=utf-8',
        messagePage(
          'The components could not be compiled',
          `<pre>${esc(buildError.message)}</pre>`,
          user
        )
      );
      return false;
    }
    return true;
  }

  async function renderRecord(
    res: ServerResponse,
    org: Org,
    user: PageUser,
    objectName: string,
    id: string
  ): Promise<void> {
    const obj = org.schema.findObject(objectName);
    if (!obj) {
      send(
        res,
        404,
        'text/html; charset=utf-8',
        messagePage('Page not found', `No object named ${esc(objectName)}.`, user)
      );
      return;
    }
    if (!org.permissions.objectAccess(user.id, obj.name).read) {
      send(
        res,
        403,
        'text/html; charset=utf-8',
        messagePage(
          'Insufficient privileges',
          `You don't have access to ${esc(obj.labelPlural)}. Ask your Salesforce admin for help.`,
          user
        )
      );
      return;
    }
    const keyFields = keyFieldsFor(obj, scan.compactLayouts.get(obj.name.toLowerCase())).filter(
      (f) => readable(org, user.id, obj, f)
    );
    const detailFields = obj.fieldList
      .filter(
        (f) =>
          !['id', 'address', 'location', 'base64'].includes(f.type) &&
          !f.compound &&
          !/^(IsDeleted|SystemModstamp|LastViewedDate|LastReferencedDate|LastActivityDate)$/.test(
            f.name
          ) &&
          org.permissions.fieldAccess(user.id, obj.name, f.name).readable
      )
      // Lightning lists the record's own fields first and the audit fields last.
      .sort((x, y) => Number(x.system) - Number(y.system))
      .slice(0, 40)
      .map((f) => f.name);
    const select = [
      ...new Set(['Id', ...(obj.nameField ? [obj.nameField] : []), ...keyFields, ...detailFields])
    ];
    // Lookups show the parent's name, as Lightning does, when the user can read it.
    const lookups: string[] = [];
    for (const name of detailFields) {
      const f = obj.fields.get(name.toLowerCase())!;
      if (f.type !== 'reference' || !f.relationshipName || f.referenceTo.length === 0) continue;
      const parent = f.polymorphic ? undefined : org.schema.findObject(f.referenceTo[0]!);
      const nameField = f.polymorphic ? 'Name' : parent?.nameField;
      if (!nameField) continue;
      if (parent && !readable(org, user.id, obj, `${f.relationshipName}.${nameField}`)) continue;
      lookups.push(`${f.relationshipName}.${nameField}`);
    }
    const ctx = { userId: user.id, mode: 'user' as const };
    let rows: Record<string, unknown>[];
    try {
      rows = org.query(
        `SELECT ${[...select, ...lookups].join(', ')} FROM ${obj.name} WHERE Id = :id`,
        { id },
        ctx
      ).records as Record<string, unknown>[];
    } catch {
      // A parent the user cannot read: show ids instead of names.
      rows = org.query(`SELECT ${select.join(', ')} FROM ${obj.name} WHERE Id = :id`, { id }, ctx)
        .records as Record<string, unknown>[];
    }
    const record = rows[0];
    if (!record) {
      send(
        res,
        404,
        'text/html; charset=utf-8',
        messagePage(
          'Record not found',
          `The ${esc(obj.label)} record ${esc(id)} doesn't exist or you don't have access to it.`,
          user
        )
      );
      return;
    }
    const layout = recordPageLayout(scan, obj.name);
    const wantsRelated = layout.regions.some((r) => r.items.some((p) => p.kind === 'relatedLists'));
    const related: {
      label: string;
      object: ObjectDescribe;
      records: Record<string, unknown>[];
      total: number;
    }[] = [];
    if (wantsRelated) {
      const seen = new Set<string>();
      for (const rel of obj.childRelationships) {
        if (!rel.relationshipName || related.length >= 6) continue;
        const key = `${rel.childSObject}.${rel.field}`.toLowerCase();
        if (seen.has(key)) continue;
        seen.add(key);
        const child = org.schema.findObject(rel.childSObject);
        if (
          !child ||
          !child.queryable ||
          !child.nameField ||
          !org.permissions.objectAccess(user.id, child.name).read
        )
          continue;
        if (child.isCustomMetadata || child.isPlatformEvent) continue;
        try {
          const ctx = { userId: user.id, mode: 'user' as const };
          const total = org.query(
            `SELECT COUNT() FROM ${child.name} WHERE ${rel.field} = :id`,
            { id },
            ctx
          ).totalSize;
          if (total === 0) continue;
          const recs = org.query(
            `SELECT Id, ${child.nameField} FROM ${child.name} WHERE ${rel.field} = :id ORDER BY CreatedDate DESC LIMIT 5`,
            { id },
            ctx
          ).records as Record<string, unknown>[];
          // Two relationships from the same object (e.g. WhatId and a custom lookup) are told
          // apart by the lookup's label.
          const twin = obj.childRelationships.some(
            (r) => r !== rel && r.childSObject === rel.childSObject
          );
          const via = child.fields.get(rel.field.toLowerCase())?.label;
          const label = twin && via ? `${child.labelPlural} (${via})` : child.labelPlural;
          related.push({ label, object: child, records: recs, total });
        } catch {
          // A relationship the user cannot query is not listed (as Lightning hides it).
        }
      }
    }
    await ready.catch(() => undefined);
    if (!buildState(res, user)) return;
    send(
      res,
      200,
      'text/html; charset=utf-8',
      recordPage({
        org,
        user,
        obj,
        record,
        keyFields,
        detailFields,
        related,
        layout,
        bundleUrl: bundleUrl(),
        navObjects: navObjects(org, user.id)
      })
    );
  }

  function renderList(res: ServerResponse, org: Org, user: PageUser, objectName: string): void {
    const obj = org.schema.findObject(objectName);
    if (!obj || !obj.queryable) {
      send(
        res,
        404,
        'text/html; charset=utf-8',
        messagePage('Page not found', `No object named ${esc(objectName)}.`, user)
      );
      return;
    }
    if (!org.permissions.objectAccess(user.id, obj.name).read) {
      send(
        res,
        403,
        'text/html; charset=utf-8',
        messagePage(
          'Insufficient privileges',
          `You don't have access to ${esc(obj.labelPlural)}.`,
          user
        )
      );
      return;
    }
    const columns = [
      ...(obj.nameField ? [obj.nameField] : ['Id']),
      ...keyFieldsFor(obj, scan.compactLayouts.get(obj.name.toLowerCase())).filter((f) =>
        readable(org, user.id, obj, f)
      )
    ];
    const ctx = { userId: user.id, mode: 'user' as const };
    const total = org.query(`SELECT COUNT() FROM ${obj.name}`, {}, ctx).totalSize;
    const order =
      obj.nameField && obj.fields.get(obj.nameField.toLowerCase())?.sortable !== false
        ? obj.nameField
        : 'CreatedDate';
    const records = org.query(
      `SELECT Id, ${[...new Set(columns.filter((c) => c !== 'Id'))].join(', ')} FROM ${obj.name} ORDER BY ${order} LIMIT 200`,
      {},
      ctx
    ).records as Record<string, unknown>[];
    send(
      res,
      200,
      'text/html; charset=utf-8',
      listPage({ org, user, obj, columns, records, total, navObjects: navObjects(org, user.id) })
    );
  }

  async function apexCall(
    req: IncomingMessage,
    res: ServerResponse,
    userId: string
  ): Promise<void> {
    if (req.headers['x-local-org-preview'] !== '1') {
      sendJson(res, 403, { message: 'Missing the X-Local-Org-Preview header' });
      return;
    }
    let payload: {
      className?: unknown;
      methodName?: unknown;
      params?: unknown;
      cacheable?: unknown;
    };
    try {
      payload = JSON.parse(await readBody(req)) as typeof payload;
    } catch (err) {
      sendJson(res, 400, { message: `Invalid request: ${(err as Error).message}` });
      return;
    }
    if (typeof payload.className !== 'string' || typeof payload.methodName !== 'string') {
      sendJson(res, 400, { message: 'Invalid request: className and methodName are required' });
      return;
    }
    const params =
      payload.params && typeof payload.params === 'object' && !Array.isArray(payload.params)
        ? (payload.params as Record<string, unknown>)
        : {};
    const result = await opts.apex({
      className: payload.className,
      methodName: payload.methodName,
      params,
      cacheable: payload.cacheable === true,
      userId
    });
    if (result.ok) sendJson(res, 200, { returnValue: result.returnValue });
    else sendJson(res, result.status, result.error);
  }

  /** `getRecord` for lightning/uiRecordApi: the UI API record shape, in user mode. */
  async function uiRecord(
    req: IncomingMessage,
    res: ServerResponse,
    org: Org,
    userId: string
  ): Promise<void> {
    if (req.headers['x-local-org-preview'] !== '1') {
      sendJson(res, 403, { message: 'Missing the X-Local-Org-Preview header' });
      return;
    }
    let payload: { recordId?: unknown; fields?: unknown; optionalFields?: unknown };
    try {
      payload = JSON.parse(await readBody(req)) as typeof payload;
    } catch (err) {
      sendJson(res, 400, { message: `Invalid request: ${(err as Error).message}` });
      return;
    }
    const id = typeof payload.recordId === 'string' ? payload.recordId : '';
    const obj = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/.test(id)
      ? org.schema.objectForId(id)
      : undefined;
    const notFound = {
      errorCode: 'NOT_FOUND',
      message: 'The requested resource does not exist',
      statusCode: 404
    };
    if (!obj || !org.permissions.objectAccess(userId, obj.name).read) {
      sendJson(res, 404, notFound);
      return;
    }
    const strip = (f: unknown): string | undefined => {
      const parts = String(f).split('.');
      if (parts.length < 2 || parts[0]!.toLowerCase() !== obj.name.toLowerCase()) return undefined;
      return parts.slice(1).join('.');
    };
    const paths: string[] = [];
    const list = (v: unknown) => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);
    for (const f of list(payload.fields)) {
      const p = strip(f);
      if (!p || !readable(org, userId, obj, p)) {
        sendJson(res, 400, {
          errorCode: 'INVALID_FIELD',
          message: `No such column '${String(f)}' on entity '${obj.name}', or the user cannot read it`,
          statusCode: 400
        });
        return;
      }
      paths.push(p);
    }
    for (const f of list(payload.optionalFields)) {
      const p = strip(f);
      if (p && readable(org, userId, obj, p)) paths.push(p);
    }
    const unique = [...new Set(paths.filter((p) => p.toLowerCase() !== 'id'))];
    const rows = org.query(
      `SELECT Id${unique.map((p) => `, ${p}`).join('')} FROM ${obj.name} WHERE Id = :id`,
      { id },
      { userId, mode: 'user' }
    ).records as Record<string, unknown>[];
    if (!rows[0]) {
      sendJson(res, 404, notFound);
      return;
    }
    const user = pageUser(org, userId);
    sendJson(res, 200, { returnValue: uiRecordShape(org, obj, rows[0], unique, user) });
  }

  function uiRecordShape(
    org: Org,
    obj: ObjectDescribe,
    row: Record<string, unknown>,
    paths: string[],
    user: PageUser
  ): Record<string, unknown> {
    const fields: Record<string, unknown> = {};
    const nested = new Map<string, string[]>();
    for (const p of paths) {
      const [head, ...rest] = p.split('.');
      if (rest.length === 0) {
        const f = obj.fields.get(head!.toLowerCase());
        const name = f?.name ?? head!;
        const value = row[name] ?? null;
        fields[name] = { value, displayValue: displayValue(f, value, user) };
      } else {
        const rel = obj.fieldList.find(
          (x) => x.relationshipName?.toLowerCase() === head!.toLowerCase()
        );
        const key = rel?.relationshipName ?? head!;
        nested.set(key, [...(nested.get(key) ?? []), rest.join('.')]);
      }
    }
    for (const [rel, sub] of nested) {
      const lookup = obj.fieldList.find((x) => x.relationshipName === rel);
      const parentRow = row[rel] as Record<string, unknown> | null | undefined;
      const parentType =
        (parentRow?.attributes as { type?: string } | undefined)?.type ?? lookup?.referenceTo[0];
      const parent = parentType ? org.schema.findObject(parentType) : undefined;
      if (!parentRow || !parent) {
        fields[rel] = { value: null, displayValue: null };
        continue;
      }
      const value = uiRecordShape(org, parent, parentRow, sub, user);
      const nameValue = parent.nameField ? parentRow[parent.nameField] : undefined;
      fields[rel] = {
        value,
        displayValue: nameValue === undefined || nameValue === null ? null : String(nameValue)
      };
    }
    return { apiName: obj.name, id: row.Id, fields };
  }

  function displayValue(
    f: FieldDescribe | undefined,
    value: unknown,
    user: PageUser
  ): string | null {
    if (value === null || value === undefined || !f) return null;
    switch (f.type) {
      case 'picklist':
        return f.picklistValues?.find((v) => v.value === value)?.label ?? String(value);
      case 'currency':
        return new Intl.NumberFormat(user.locale, { style: 'currency', currency: 'USD' }).format(
          Number(value)
        );
      case 'date':
        return new Intl.DateTimeFormat(user.locale, { dateStyle: 'short', timeZone: 'UTC' }).format(
          new Date(`${String(value)}T00:00:00Z`)
        );
      case 'datetime':
        return new Intl.DateTimeFormat(user.locale, {
          dateStyle: 'short',
          timeStyle: 'short',
          timeZone: user.timeZone
        }).format(new Date(String(value)));
      default:
        return null;
    }
  }

  function serveAsset(res: ServerResponse, path: string): void {
    const rel = normalize(decodeURIComponent(path.slice('/assets/'.length)));
    const file = resolve(assets, rel);
    if (!file.startsWith(assets + sep) || !existsSync(file) || !statSync(file).isFile()) {
      send(res, 404, 'text/plain; charset=utf-8', 'Not found');
      return;
    }
    res.writeHead(200, {
      'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'Cache-Control': 'public, max-age=86400'
    });
    createReadStream(file).pipe(res);
  }

  async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const path = url.pathname;
    const method = req.method ?? 'GET';
    if (path.startsWith('/assets/') && (method === 'GET' || method === 'HEAD')) {
      serveAsset(res, path);
      return;
    }
    const bundleMatch = /^\/preview\/([0-9a-f]+)\/([\w.-]+\.js)$/.exec(path);
    if (bundleMatch) {
      const b = await ready.catch(() => undefined);
      const code = b && b.hash === bundleMatch[1] ? b.files[bundleMatch[2]!] : undefined;
      if (code === undefined) {
        send(res, 404, 'text/plain; charset=utf-8', 'Not found');
        return;
      }
      send(res, 200, 'text/javascript; charset=utf-8', code, {
        'Cache-Control': 'public, max-age=31536000, immutable'
      });
      return;
    }

    const who = userOf(req, url);
    if (who.redirect && who.setCookie) {
      res.writeHead(302, {
        Location: who.redirect,
        'Set-Cookie': who.setCookie,
        'Cache-Control': 'no-store'
      });
      res.end();
      return;
    }
    if (!who.userId) {
      if (path.startsWith('/preview/')) {
        sendJson(res, 401, {
          message: 'Session expired or invalid',
          exceptionType: 'INVALID_SESSION_ID'
        });
      } else {
        send(
          res,
          401,
          'text/html; charset=utf-8',
          messagePage(
            'Sign in to the local org',
            'Open this page with <code>?token=&lt;access token&gt;</code> (the local org prints a ready-made link when it starts).'
          )
        );
      }
      return;
    }
    const org = orgOf();
    const userId = who.userId;

    if (path === '/preview/apex' && method === 'POST') {
      await apexCall(req, res, userId);
      return;
    }
    if (path === '/preview/ui-api/record' && method === 'POST') {
      await uiRecord(req, res, org, userId);
      return;
    }
    if (method !== 'GET' && method !== 'HEAD') {
      send(res, 405, 'text/plain; charset=utf-8', 'Method not allowed', { Allow: 'GET' });
      return;
    }
    const user = pageUser(org, userId);
    if (path === '/lightning' || path === '/lightning/' || path === '/lightning/page/home') {
      await ready.catch(() => undefined);
      if (!buildState(res, user)) return;
      send(
        res,
        200,
        'text/html; charset=utf-8',
        homePage({
          user,
          layout: homePageLayout(scan),
          bundleUrl: bundleUrl(),
          navObjects: navObjects(org, userId)
        })
      );
      return;
    }
    let m = /^\/lightning\/o\/([^/]+)\/(?:list|home)$/.exec(path);
    if (m) {
      renderList(res, org, user, decodeURIComponent(m[1]!));
      return;
    }
    m = /^\/lightning\/r\/([^/]+)\/([^/]+)\/view$/.exec(path);
    if (m) {
      await renderRecord(res, org, user, decodeURIComponent(m[1]!), decodeURIComponent(m[2]!));
      return;
    }
    m = /^\/lightning\/r\/([^/]+)\/view$/.exec(path);
    if (m) {
      const id = decodeURIComponent(m[1]!);
      const obj = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/.test(id)
        ? org.schema.objectForId(id)
        : undefined;
      if (obj) {
        const name = typeof obj === 'string' ? obj : (obj as ObjectDescribe).name;
        res.writeHead(302, {
          Location: `/lightning/r/${encodeURIComponent(name)}/${encodeURIComponent(id)}/view${url.search}`
        });
        res.end();
        return;
      }
    }
    send(
      res,
      404,
      'text/html; charset=utf-8',
      messagePage('Page not found', `There is no preview page at ${esc(path)}.`, user)
    );
  }

  const handler = (req: IncomingMessage, res: ServerResponse): boolean => {
    const url = new URL(req.url ?? '/', 'http://preview.invalid');
    if (!PREFIXES.some((p) => url.pathname === p.replace(/\/$/, '') || url.pathname.startsWith(p)))
      return false;
    handle(req, res, url).catch((err: Error) => {
      log(`local-org preview: ${req.method} ${url.pathname}: ${err.stack ?? err.message}`);
      if (!res.headersSent)
        send(res, 500, 'text/plain; charset=utf-8', `local-org preview error: ${err.message}`);
      else res.end();
    });
    return true;
  };
  return Object.assign(handler, { ready, prefixes: PREFIXES });
}
