/**
 * Talking to an org over HTTP with Node's global fetch: OAuth 2.0 client credentials (or an
 * access token from an sf CLI alias), a request-rate limit, retries with exponential backoff
 * and jitter on 429 / 5xx / network errors, and one token refresh on 401.
 */
import type { Org } from '@salesforce/core';

export interface Session {
  accessToken: string;
  instanceUrl: string;
}

/** Supplies an access token; `refresh` forces a new one (after a 401). */
export interface TokenSource {
  readonly description: string;
  session(refresh?: boolean): Promise<Session>;
}

export class TransportError extends Error {
  override readonly name = 'TransportError';
  constructor(
    message: string,
    readonly status: number | null,
    readonly body: unknown,
    readonly attempts: number
  ) {
    super(message);
  }
}

export class AuthError extends Error {
  override readonly name = 'AuthError';
}

export interface RetryPolicy {
  /** Attempts per request, first included (default 5). */
  maxAttempts: number;
  /** First backoff (default 500 ms); doubles per attempt. */
  baseDelayMs: number;
  /** Backoff ceiling (default 15 s); a Retry-After header is honoured up to this. */
  maxDelayMs: number;
  /** Per-attempt timeout (default 120 s). */
  timeoutMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 15_000,
  timeoutMs: 120_000
};

export interface ClientOptions {
  retry?: Partial<RetryPolicy>;
  /** Requests per second (0 or undefined: unlimited). */
  rate?: number;
  /** Injected for tests. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  fetch?: typeof fetch;
  onRetry?: (info: { attempt: number; delayMs: number; reason: string; path: string }) => void;
}

export interface HttpResult {
  status: number;
  body: unknown;
  attempts: number;
  /** An earlier attempt failed in a way that may have left it applied (network error or 5xx). */
  ambiguous: boolean;
}

const sleepReal = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Spaces request starts so that at most `rate` start per second. */
export class RateLimiter {
  private next = 0;
  constructor(
    private readonly rate: number,
    private readonly sleep: (ms: number) => Promise<void> = sleepReal,
    private readonly now: () => number = Date.now
  ) {}

  async wait(): Promise<void> {
    if (!this.rate || this.rate <= 0) return;
    const interval = 1000 / this.rate;
    const now = this.now();
    const at = Math.max(now, this.next);
    this.next = at + interval;
    if (at > now) await this.sleep(at - now);
  }
}

/** Backoff before attempt `attempt + 1`: base·2^(attempt-1), capped, with "equal jitter". */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

function retryAfterMs(header: string | null): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now());
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export class OrgClient {
  private readonly policy: RetryPolicy;
  private readonly limiter: RateLimiter;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly fetchImpl: typeof fetch;
  private current: Session | null = null;
  /** Totals for the summary. */
  readonly stats = { requests: 0, retries: 0, tokenRefreshes: 0 };

  constructor(
    readonly tokens: TokenSource,
    private readonly options: ClientOptions = {}
  ) {
    this.policy = { ...DEFAULT_RETRY, ...options.retry };
    this.sleep = options.sleep ?? sleepReal;
    this.random = options.random ?? Math.random;
    this.fetchImpl = options.fetch ?? globalThis.fetch;
    this.limiter = new RateLimiter(options.rate ?? 0, this.sleep);
  }

  async session(): Promise<Session> {
    this.current ??= await this.tokens.session(false);
    return this.current;
  }

  /**
   * Sends a request to `path` (relative to the instance URL, or absolute on it) with the
   * bearer token. Retries 429/5xx/network errors; refreshes the token once on 401.
   * Returns the final answer (any status); throws TransportError when retries run out.
   */
  async request(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    headers: Record<string, string> = {}
  ): Promise<HttpResult> {
    let refreshed = false;
    let ambiguous = false;
    let lastReason = '';
    for (let attempt = 1; ; attempt++) {
      const session = await this.session();
      const url = path.startsWith('http')
        ? path
        : `${session.instanceUrl.replace(/\/$/, '')}${path}`;
      await this.limiter.wait();
      this.stats.requests++;
      let response: Response | null = null;
      let failure: string | null = null;
      try {
        response = await this.fetchImpl(url, {
          method,
          headers: {
            Authorization: `Bearer ${session.accessToken}`,
            Accept: 'application/json',
            ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
            ...headers
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(this.policy.timeoutMs)
        });
      } catch (err) {
        failure = `network error: ${err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err)}`;
      }

      if (response && response.status === 401) {
        const answer = await readBody(response);
        if (refreshed) {
          throw new AuthError(
            `${method} ${path} was refused with 401 even after a new access token (${describe(answer)})`
          );
        }
        refreshed = true;
        this.stats.tokenRefreshes++;
        this.current = await this.tokens.session(true);
        attempt--; // the refresh does not use up an attempt
        continue;
      }
      if (response && response.status !== 429 && response.status < 500) {
        return {
          status: response.status,
          body: await readBody(response),
          attempts: attempt,
          ambiguous
        };
      }

      let waitMs: number | null = null;
      let answer: unknown = null;
      if (response) {
        answer = await readBody(response);
        failure = `HTTP ${response.status}`;
        waitMs = retryAfterMs(response.headers.get('retry-after'));
        // 429 means the request was not processed; a 5xx may have been processed.
        if (response.status >= 500) ambiguous = true;
      } else {
        ambiguous = true;
      }
      lastReason = failure!;
      if (attempt >= this.policy.maxAttempts) {
        throw new TransportError(
          `${method} ${path} failed after ${attempt} attempts (last: ${lastReason})`,
          response?.status ?? null,
          answer,
          attempt
        );
      }
      const delayMs = Math.min(
        this.policy.maxDelayMs,
        waitMs ?? backoffDelay(attempt, this.policy, this.random)
      );
      this.stats.retries++;
      this.options.onRetry?.({ attempt, delayMs, reason: lastReason, path });
      await this.sleep(delayMs);
    }
  }

  /** GET of a JSON resource that must answer 200. */
  async getJson<T>(path: string): Promise<T> {
    const res = await this.request('GET', path);
    if (res.status !== 200) {
      throw new TransportError(
        `GET ${path} answered HTTP ${res.status}: ${describe(res.body)}`,
        res.status,
        res.body,
        res.attempts
      );
    }
    return res.body as T;
  }
}

/** A short readable form of an error body (Salesforce REST, OAuth or our API). */
export function describe(body: unknown): string {
  if (body === null || body === undefined) return 'no body';
  if (typeof body === 'string') return body.slice(0, 300);
  if (Array.isArray(body)) {
    return body
      .map((e: { errorCode?: string; message?: string }) =>
        [e.errorCode, e.message].filter(Boolean).join(': ')
      )
      .join('; ')
      .slice(0, 300);
  }
  const o = body as {
    error?: string;
    error_description?: string;
    errors?: { code?: string; message?: string }[];
  };
  if (o.error) return `${o.error}${o.error_description ? `: ${o.error_description}` : ''}`;
  if (Array.isArray(o.errors)) return o.errors.map((e) => `${e.code}: ${e.message}`).join('; ');
  return JSON.stringify(body).slice(0, 300);
}

// ───────────────────────────── token sources ─────────────────────────────

export interface ClientCredentialsOptions {
  /** Where the token endpoint lives: the org's My Domain (or login) URL. */
  loginUrl: string;
  clientId: string;
  clientSecret: string;
  fetch?: typeof fetch;
  retry?: Partial<RetryPolicy>;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/** OAuth 2.0 client-credentials flow against `<loginUrl>/services/oauth2/token`. */
export class ClientCredentials implements TokenSource {
  readonly description: string;
  constructor(private readonly opts: ClientCredentialsOptions) {
    this.description = `client credentials at ${opts.loginUrl}`;
  }

  async session(): Promise<Session> {
    const policy = { ...DEFAULT_RETRY, ...this.opts.retry };
    const sleep = this.opts.sleep ?? sleepReal;
    const random = this.opts.random ?? Math.random;
    const doFetch = this.opts.fetch ?? globalThis.fetch;
    const url = `${this.opts.loginUrl.replace(/\/$/, '')}/services/oauth2/token`;
    for (let attempt = 1; ; attempt++) {
      let reason: string;
      try {
        const response = await doFetch(url, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/x-www-form-urlencoded',
            Accept: 'application/json'
          },
          body: new URLSearchParams({
            grant_type: 'client_credentials',
            client_id: this.opts.clientId,
            client_secret: this.opts.clientSecret
          }).toString(),
          signal: AbortSignal.timeout(policy.timeoutMs)
        });
        const body = (await readBody(response)) as {
          access_token?: string;
          instance_url?: string;
        } | null;
        if (response.ok && body?.access_token) {
          return {
            accessToken: body.access_token,
            instanceUrl: body.instance_url ?? this.opts.loginUrl
          };
        }
        if (response.status !== 429 && response.status < 500) {
          throw new AuthError(
            `the token endpoint ${url} refused the client credentials (HTTP ${response.status}: ${describe(body)})`
          );
        }
        reason = `HTTP ${response.status}`;
      } catch (err) {
        if (err instanceof AuthError) throw err;
        reason = `network error: ${err instanceof Error ? err.message : String(err)}`;
      }
      if (attempt >= policy.maxAttempts) {
        throw new AuthError(
          `could not get an access token from ${url} after ${attempt} attempts (last: ${reason})`
        );
      }
      await sleep(backoffDelay(attempt, policy, random));
    }
  }
}

/** A fixed token (e.g. printed by the local org); cannot refresh. */
export class StaticToken implements TokenSource {
  readonly description = 'access token';
  constructor(private readonly value: Session) {}
  async session(refresh = false): Promise<Session> {
    if (refresh)
      throw new AuthError(
        'the access token was refused (401) and cannot be refreshed; get a new one'
      );
    return this.value;
  }
}

/** The access token of an sf CLI org (alias or username), refreshed through @salesforce/core. */
export class SfAlias implements TokenSource {
  readonly description: string;
  private org: Org | null = null;

  constructor(private readonly aliasOrUsername: string) {
    this.description = `sf org ${aliasOrUsername}`;
  }

  private async load(): Promise<Org> {
    if (!this.org) {
      // Loaded on demand: @salesforce/core is heavy and only needed for sf aliases.
      const core = await import('@salesforce/core');
      this.org = await core.Org.create({ aliasOrUsername: this.aliasOrUsername });
    }
    return this.org;
  }

  async session(refresh = false): Promise<Session> {
    const org = await this.load();
    if (refresh || !org.getConnection().accessToken) {
      try {
        await org.refreshAuth();
      } catch (err) {
        throw new AuthError(
          `the access token of sf org ${this.aliasOrUsername} was refused and could not be refreshed ` +
            `(${err instanceof Error ? err.message : String(err)}); log in again with \`sf org login web --alias ${this.aliasOrUsername}\``
        );
      }
    }
    const conn = org.getConnection();
    const token = conn.accessToken;
    if (!token)
      throw new AuthError(
        `sf org ${this.aliasOrUsername} has no access token; run \`sf org login web --alias ${this.aliasOrUsername}\``
      );
    return { accessToken: token, instanceUrl: conn.instanceUrl };
  }

  /** The API version the sf CLI uses for this org. */
  async apiVersion(): Promise<string> {
    return (await this.load()).getConnection().getApiVersion();
  }
}
