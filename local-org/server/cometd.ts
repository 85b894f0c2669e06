// A minimal Bayeux/CometD long-polling endpoint (/cometd/XX.X), enough for the clients that
// follow Apex test runs on /systemTopic/TestResult (`sf apex get test`, `sf apex run test`
// without --wait): handshake, connect (long poll), subscribe, unsubscribe, disconnect.
// Only the system topic for test results publishes events; other channels subscribe but
// never deliver.
import { randomToken } from './ids.ts';
import { restError, type Request, type Router } from './http.ts';

interface Message {
  channel?: string;
  clientId?: string;
  id?: string;
  subscription?: string;
}

interface Client {
  id: string;
  subscriptions: Set<string>;
  queue: Record<string, unknown>[];
  wake?: () => void;
  lastSeen: number;
}

const CONNECT_HOLD_MS = 5_000;
const CLIENT_TTL_MS = 10 * 60 * 1000;

export interface CometD {
  publish: (channel: string, data: Record<string, unknown>) => void;
  close: () => void;
}

export function registerCometD(router: Router): CometD {
  const clients = new Map<string, Client>();
  const timers = new Set<NodeJS.Timeout>();

  const prune = (): void => {
    const now = Date.now();
    for (const [id, c] of clients) if (now - c.lastSeen > CLIENT_TTL_MS) clients.delete(id);
  };

  const unknown = (m: Message) => ({
    channel: m.channel,
    id: m.id,
    successful: false,
    error: '403::Unknown client',
    advice: { reconnect: 'handshake', interval: 0 }
  });

  router.add('POST', /^\/cometd\/\d+\.\d\/?$/, async (req: Request) => {
    let messages: Message[];
    try {
      const parsed = JSON.parse(req.body.toString('utf8')) as Message | Message[];
      messages = Array.isArray(parsed) ? parsed : [parsed];
    } catch {
      throw restError(400, 'JSON_PARSER_ERROR', 'The CometD request body is not JSON');
    }
    prune();
    const replies: Record<string, unknown>[] = [];
    let hold: Client | undefined;
    for (const m of messages) {
      const client = m.clientId ? clients.get(m.clientId) : undefined;
      if (client) client.lastSeen = Date.now();
      switch (m.channel) {
        case '/meta/handshake': {
          const id = randomToken(24);
          clients.set(id, { id, subscriptions: new Set(), queue: [], lastSeen: Date.now() });
          replies.push({
            channel: m.channel,
            id: m.id,
            version: '1.0',
            minimumVersion: '1.0',
            supportedConnectionTypes: ['long-polling'],
            clientId: id,
            successful: true,
            advice: { reconnect: 'retry', interval: 0, timeout: 110_000 }
          });
          break;
        }
        case '/meta/connect':
          if (!client) replies.push(unknown(m));
          else {
            hold = client;
            replies.push({
              channel: m.channel,
              id: m.id,
              clientId: client.id,
              successful: true,
              advice: { reconnect: 'retry', interval: 0, timeout: 110_000 }
            });
          }
          break;
        case '/meta/subscribe':
        case '/meta/unsubscribe':
          if (!client) replies.push(unknown(m));
          else {
            if (m.subscription) {
              if (m.channel === '/meta/subscribe') client.subscriptions.add(m.subscription);
              else client.subscriptions.delete(m.subscription);
            }
            replies.push({
              channel: m.channel,
              id: m.id,
              clientId: client.id,
              subscription: m.subscription,
              successful: true
            });
          }
          break;
        case '/meta/disconnect':
          if (client) clients.delete(client.id);
          replies.push({ channel: m.channel, id: m.id, clientId: m.clientId, successful: true });
          break;
        default:
          replies.push({
            channel: m.channel,
            id: m.id,
            successful: false,
            error: `405::unsupported in local-org: publishing to ${m.channel}`
          });
      }
    }
    if (hold && hold.queue.length === 0) {
      const client = hold;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          client.wake = undefined;
          resolve();
        }, CONNECT_HOLD_MS);
        timer.unref();
        timers.add(timer);
        client.wake = () => {
          clearTimeout(timer);
          timers.delete(timer);
          client.wake = undefined;
          resolve();
        };
      });
    }
    if (hold) replies.push(...hold.queue.splice(0));
    return { status: 200, body: replies };
  });

  return {
    publish(channel, data) {
      for (const c of clients.values()) {
        if (!c.subscriptions.has(channel)) continue;
        c.queue.push({ channel, data });
        c.wake?.();
      }
    },
    close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const c of clients.values()) c.wake?.();
      clients.clear();
    }
  };
}
