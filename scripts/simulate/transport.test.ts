import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import {
  AuthError,
  ClientCredentials,
  DEFAULT_RETRY,
  OrgClient,
  RateLimiter,
  StaticToken,
  TransportError,
  backoffDelay,
  type Session,
  type TokenSource
} from './transport.ts';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

/** A local server whose answers are scripted per test. */
class Scripted {
  server: Server | null = null;
  url = '';
  handlers: Handler[] = [];
  seen: { method: string; url: string; auth?: string; body: string; contentType?: string }[] = [];

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        this.seen.push({
          method: req.method!,
          url: req.url!,
          auth: req.headers.authorization,
          body,
          contentType: req.headers['content-type']
        });
        const handler = this.handlers.shift();
        if (!handler) {
          res.writeHead(500);
          res.end('no scripted answer');
          return;
        }
        handler(req, res, body);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server!.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  script(...handlers: Handler[]): void {
    this.handlers = handlers;
    this.seen = [];
  }
}

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Handler =>
  (_req, res) => {
    res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
const drop: Handler = (req) => req.socket.destroy();

class CountingTokens implements TokenSource {
  readonly description = 'test tokens';
  calls: boolean[] = [];
  constructor(private readonly url: () => string) {}
  async session(refresh = false): Promise<Session> {
    this.calls.push(refresh);
    return { accessToken: `token-${this.calls.length}`, instanceUrl: this.url() };
  }
}

const server = new Scripted();
before(() => server.start());
after(() => server.stop());

function client(
  tokens: TokenSource,
  sleeps: number[],
  extra: Partial<ConstructorParameters<typeof OrgClient>[1]> = {}
): OrgClient {
  return new OrgClient(tokens, {
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    ...extra
  });
}

describe('OrgClient retries', () => {
  it('retries 429 and 503 with exponential backoff, then returns the 200 answer', async () => {
    server.script(
      json(429, [{ errorCode: 'REQUEST_LIMIT_EXCEEDED' }]),
      json(503, [{ errorCode: 'SERVER_UNAVAILABLE' }]),
      json(200, { ok: true })
    );
    const sleeps: number[] = [];
    const tokens = new CountingTokens(() => server.url);
    const c = client(tokens, sleeps);
    const res = await c.request('POST', '/services/apexrest/coconut/v1/appointments', {
      appointments: []
    });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { ok: true });
    assert.equal(res.attempts, 3);
    assert.equal(res.ambiguous, true, 'a 503 may have been processed');
    assert.equal(server.seen.length, 3);
    assert.ok(
      server.seen.every((s) => s.auth === 'Bearer token-1' && s.body === '{"appointments":[]}')
    );
    // Equal jitter with random 0.5: 3/4 of base·2^(n-1).
    assert.deepEqual(sleeps, [375, 750]);
    assert.equal(c.stats.retries, 2);
  });

  it('honours Retry-After and does not call a 429 ambiguous', async () => {
    server.script(json(429, [], { 'Retry-After': '2' }), json(200, {}));
    const sleeps: number[] = [];
    const res = await client(new CountingTokens(() => server.url), sleeps).request('GET', '/x');
    assert.deepEqual(sleeps, [2000]);
    assert.equal(res.ambiguous, false);
  });

  it('retries dropped connections and marks the answer ambiguous', async () => {
    server.script(drop, json(200, { fine: 1 }));
    const sleeps: number[] = [];
    const res = await client(new CountingTokens(() => server.url), sleeps).request(
      'POST',
      '/y',
      {}
    );
    assert.equal(res.status, 200);
    assert.equal(res.ambiguous, true);
    assert.equal(sleeps.length, 1);
  });

  it('gives up after the bounded number of attempts', async () => {
    server.script(
      ...Array.from({ length: 3 }, () =>
        json(500, [{ errorCode: 'UNKNOWN_EXCEPTION', message: 'boom' }])
      )
    );
    const sleeps: number[] = [];
    const c = client(new CountingTokens(() => server.url), sleeps, { retry: { maxAttempts: 3 } });
    await assert.rejects(c.request('POST', '/z', {}), (err: unknown) => {
      assert.ok(err instanceof TransportError);
      assert.equal(err.status, 500);
      assert.equal(err.attempts, 3);
      assert.match(err.message, /failed after 3 attempts \(last: HTTP 500\)/);
      return true;
    });
    assert.equal(server.seen.length, 3);
    assert.equal(sleeps.length, 2);
  });

  it('does not retry other 4xx answers', async () => {
    server.script(json(400, { errors: [{ code: 'INVALID_JSON', field: null, message: 'bad' }] }));
    const res = await client(new CountingTokens(() => server.url), []).request('POST', '/z', {});
    assert.equal(res.status, 400);
    assert.equal(server.seen.length, 1);
  });
});

describe('OrgClient authentication', () => {
  it('refreshes the token once on 401 and repeats the request with the new token', async () => {
    server.script(json(401, [{ errorCode: 'INVALID_SESSION_ID' }]), json(200, { ok: 1 }));
    const tokens = new CountingTokens(() => server.url);
    const c = client(tokens, []);
    const res = await c.request('POST', '/p', { a: 1 });
    assert.equal(res.status, 200);
    assert.deepEqual(tokens.calls, [false, true]);
    assert.deepEqual(
      server.seen.map((s) => s.auth),
      ['Bearer token-1', 'Bearer token-2']
    );
    assert.equal(c.stats.tokenRefreshes, 1);
  });

  it('fails with AuthError when the new token is refused too', async () => {
    server.script(json(401, []), json(401, []));
    const tokens = new CountingTokens(() => server.url);
    await assert.rejects(client(tokens, []).request('GET', '/p'), AuthError);
    assert.deepEqual(tokens.calls, [false, true]);
  });

  it('cannot refresh a static token', async () => {
    server.script(json(401, []));
    await assert.rejects(
      client(new StaticToken({ accessToken: 't', instanceUrl: server.url }), []).request(
        'GET',
        '/p'
      ),
      AuthError
    );
  });

  it('gets a token with the client-credentials grant and uses the instance_url it returns', async () => {
    server.script(
      json(503, {}),
      json(200, {
        access_token: 'abc',
        instance_url: 'https://mydomain.example',
        token_type: 'Bearer'
      })
    );
    const sleeps: number[] = [];
    const cc = new ClientCredentials({
      loginUrl: server.url,
      clientId: 'id 1',
      clientSecret: 's&2',
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      random: () => 0
    });
    const session = await cc.session();
    assert.deepEqual(session, { accessToken: 'abc', instanceUrl: 'https://mydomain.example' });
    assert.equal(server.seen[1]!.url, '/services/oauth2/token');
    assert.equal(server.seen[1]!.contentType, 'application/x-www-form-urlencoded');
    const form = new URLSearchParams(server.seen[1]!.body);
    assert.equal(form.get('grant_type'), 'client_credentials');
    assert.equal(form.get('client_id'), 'id 1');
    assert.equal(form.get('client_secret'), 's&2');
    assert.deepEqual(sleeps, [250]);
  });

  it('reports refused client credentials without retrying', async () => {
    server.script(
      json(400, { error: 'invalid_client', error_description: 'invalid client credentials' })
    );
    const cc = new ClientCredentials({ loginUrl: server.url, clientId: 'x', clientSecret: 'y' });
    await assert.rejects(cc.session(), /invalid_client: invalid client credentials/);
    assert.equal(server.seen.length, 1);
  });
});

describe('backoff and rate limiting', () => {
  it('doubles the backoff per attempt within [ceiling/2, ceiling] and caps it', () => {
    const policy = { ...DEFAULT_RETRY, baseDelayMs: 100, maxDelayMs: 1000 };
    for (let attempt = 1; attempt <= 8; attempt++) {
      const ceiling = Math.min(1000, 100 * 2 ** (attempt - 1));
      assert.equal(
        backoffDelay(attempt, policy, () => 0),
        ceiling / 2
      );
      assert.equal(
        backoffDelay(attempt, policy, () => 0.999999),
        Math.round(ceiling / 2 + 0.999999 * (ceiling / 2))
      );
    }
  });

  it('spaces request starts to the rate', async () => {
    let now = 1_000;
    const waits: number[] = [];
    const limiter = new RateLimiter(
      4,
      async (ms) => {
        waits.push(ms);
        now += ms;
      },
      () => now
    );
    for (let i = 0; i < 4; i++) await limiter.wait();
    assert.deepEqual(waits, [250, 250, 250]);
    now += 1000;
    await limiter.wait();
    assert.equal(waits.length, 3, 'no wait after an idle second');
  });
});
