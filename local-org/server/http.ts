// HTTP plumbing for the local-org server: a tiny router over node:http, body reading
// with size limits, and the error shapes Salesforce's REST APIs answer with.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** One REST error item exactly as Salesforce returns it in a JSON array. */
export interface SfErrorItem {
  message: string;
  errorCode: string;
  fields?: string[];
}

/** An error that the router turns into `status` + a Salesforce-shaped body. */
export class SfHttpError extends Error {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Record<string, string>;
  constructor(
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
    message = typeof body === 'string' ? body : JSON.stringify(body)
  ) {
    super(message);
    this.status = status;
    this.body = body;
    this.headers = headers;
  }
}

/** `[{"message", "errorCode", "fields"?}]` with the given status. */
export function restError(
  status: number,
  errorCode: string,
  message: string,
  fields?: string[]
): SfHttpError {
  const item: SfErrorItem = { message, errorCode };
  if (fields) item.fields = fields;
  return new SfHttpError(status, [item]);
}

export const invalidSession = (): SfHttpError =>
  restError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');

export const notFound = (message = 'The requested resource does not exist'): SfHttpError =>
  restError(404, 'NOT_FOUND', message);

export interface Request {
  method: string;
  /** Path without the query string, percent-decoding left to handlers. */
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: Buffer;
  /** Named capture groups of the matched route. */
  params: Record<string, string>;
  raw: IncomingMessage;
}

export interface Reply {
  status: number;
  body?: unknown;
  /** When set, sent as is (string or Buffer) with `contentType`. */
  raw?: string | Buffer;
  contentType?: string;
  headers?: Record<string, string>;
}

export type Handler = (req: Request) => Promise<Reply> | Reply;

interface Route {
  methods: string[];
  pattern: RegExp;
  handler: Handler;
}

/** Routes are tried in order; a path that matches with another method gives 405. */
export class Router {
  private readonly routes: Route[] = [];

  add(methods: string | string[], pattern: RegExp, handler: Handler): this {
    this.routes.push({
      methods: (Array.isArray(methods) ? methods : [methods]).map((m) => m.toUpperCase()),
      pattern,
      handler
    });
    return this;
  }

  match(
    method: string,
    path: string
  ): { handler: Handler; params: Record<string, string> } | { allowed: string[] } | null {
    const allowed = new Set<string>();
    for (const route of this.routes) {
      const m = route.pattern.exec(path);
      if (!m) continue;
      if (route.methods.includes(method) || (method === 'HEAD' && route.methods.includes('GET'))) {
        return { handler: route.handler, params: { ...(m.groups ?? {}) } };
      }
      route.methods.forEach((x) => allowed.add(x));
    }
    if (allowed.size > 0) {
      if (allowed.has('GET')) allowed.add('HEAD');
      return { allowed: [...allowed].sort() };
    }
    return null;
  }
}

/** Reads the whole body; rejects with `tooLarge()` as soon as it passes `limit` bytes. */
export function readBody(
  req: IncomingMessage,
  limit: number,
  tooLarge: () => SfHttpError
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? '0');
    if (declared > limit) {
      // Drain without buffering so the client sees our answer, not a reset.
      req.resume();
      reject(tooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        chunks.length = 0;
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks));
    });
    req.on('error', (err) => {
      if (!failed) reject(err);
    });
  });
}

export function send(res: ServerResponse, reply: Reply, head = false): void {
  const headers: Record<string, string> = { ...(reply.headers ?? {}) };
  let payload: string | Buffer | undefined;
  if (reply.raw !== undefined) {
    payload = reply.raw;
    headers['content-type'] = reply.contentType ?? 'application/octet-stream';
  } else if (reply.body !== undefined) {
    payload = JSON.stringify(reply.body);
    headers['content-type'] = reply.contentType ?? 'application/json;charset=UTF-8';
  }
  if (payload !== undefined) headers['content-length'] = String(Buffer.byteLength(payload));
  else if (reply.status !== 204) headers['content-length'] = '0';
  res.writeHead(reply.status, headers);
  res.end(head || reply.status === 204 ? undefined : payload);
}

/** Parses a JSON body the way Salesforce reports failures (400 JSON_PARSER_ERROR). */
export function parseJsonBody(req: Request): unknown {
  const text = req.body.toString('utf8');
  if (text.trim() === '') {
    throw restError(400, 'JSON_PARSER_ERROR', 'No content to map due to end-of-input');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw restError(400, 'JSON_PARSER_ERROR', `Unexpected character: ${(err as Error).message}`);
  }
}

/**
 * Async mutex: one org transaction at a time, so nothing interleaves half-written.
 * Re-entrant within the same async call chain (a composite subrequest runs inside the
 * composite request's transaction).
 */
export class Mutex {
  private tail: Promise<void> = Promise.resolve();
  private readonly held = new AsyncLocalStorage<boolean>();

  run<T>(fn: () => Promise<T> | T): Promise<T> {
    if (this.held.getStore()) return Promise.resolve().then(fn);
    const result = this.tail.then(() => this.held.run(true, fn));
    this.tail = result.then(
      () => undefined,
      () => undefined
    );
    return result;
  }
}
