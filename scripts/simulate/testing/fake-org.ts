/**
 * A small in-memory stand-in for an org, for the simulator's tests: the client-credentials token
 * endpoint, the Coconut Apex REST endpoint applying the contract's upsert rules (validation,
 * newest updated_at wins, duplicates in a request, unchanged by content hash, walk-in policy)
 * and the REST query endpoint for the queries the simulator makes (with paging).
 * Faults can be injected: failing requests (429/503/dropped connections), an expiring token,
 * and a lost update (answered `updated` but not stored) to prove reconciliation catches it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { validateItem } from '../contract.ts';
import { itemHash } from '../expect.ts';
import type { KnownClient } from '../generator.ts';
import { normalizeStatus } from '../reconcile.ts';
import { localToUtcMillis, parseInstant } from '../time.ts';
import type { CoconutAppointment, ItemResult } from '../types.ts';

export interface FakeOrgOptions {
  clientId?: string;
  clientSecret?: string;
  /** Records the known-client queries return. */
  known?: KnownClient[];
  /** Answers for the first POSTs to the Apex endpoint, in order: a status code or 'drop' (close the socket). */
  apexFaults?: (number | 'drop')[];
  /** A drop or 5xx fault is applied to the store before failing (the caller cannot know). */
  applyBeforeFault?: boolean;
  /** Make the first Apex POST answer 401 (expired session). */
  expireTokenOnce?: boolean;
  /** Answer `updated` for matching items but do not store them (a lost write). */
  loseUpdate?: (item: CoconutAppointment) => boolean;
  walkInPolicy?: 'On End' | 'Always' | 'Never';
  pageSize?: number;
}

interface AttendeeRow {
  Id: string;
  Coconut_Attendee_Id__c: string;
  Status__c: string;
  Cancel_Reason__c: string | null;
  Lead__c: string | null;
  Contact__c: string | null;
  Account__c: string | null;
}

interface AppointmentRow {
  Id: string;
  Coconut_Id__c: string;
  Status__c: string;
  Start__c: string;
  End__c: string | null;
  Cancel_Reason__c: string | null;
  Coconut_Updated_At__c: string;
  Reschedule_Count__c: number;
  Sync_Hash__c: string;
  attendees: AttendeeRow[];
}

/** Salesforce REST's DateTime text: `2026-03-10T19:00:00.000+0000`. */
const sfDateTime = (ms: number): string => new Date(ms).toISOString().replace('Z', '+0000');

export class FakeOrg {
  readonly records = new Map<string, AppointmentRow>();
  readonly log: { method: string; path: string; auth: string | undefined; requestId?: string }[] =
    [];
  tokensIssued = 0;
  updates = 0;
  private server: Server | null = null;
  private seq = 0;
  private faults: (number | 'drop')[];
  private expireOnce: boolean;
  private validTokens = new Set<string>();
  private cursors = new Map<string, unknown[]>();
  url = '';

  constructor(readonly options: FakeOrgOptions = {}) {
    this.faults = [...(options.apexFaults ?? [])];
    this.expireOnce = options.expireTokenOnce ?? false;
  }

  get clientId(): string {
    return this.options.clientId ?? 'fake-client';
  }

  get clientSecret(): string {
    return this.options.clientSecret ?? 'fake-secret';
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      void this.handle(req, res).catch((err: unknown) => {
        res.writeHead(500, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify([{ errorCode: 'FAKE_ORG_BUG', message: String(err) }]));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  private newId(prefix: string): string {
    return `${prefix}${String(++this.seq).padStart(12, '0')}AAA`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', this.url);
    this.log.push({
      method: req.method ?? '',
      path: url.pathname,
      auth: req.headers.authorization,
      requestId: req.headers['x-request-id'] as string | undefined
    });
    const send = (status: number, payload: unknown): void => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(payload));
    };

    if (req.method === 'POST' && url.pathname === '/services/oauth2/token') {
      const form = new URLSearchParams(body);
      if (form.get('grant_type') !== 'client_credentials')
        return send(400, {
          error: 'unsupported_grant_type',
          error_description: 'grant type not supported'
        });
      if (
        form.get('client_id') !== this.clientId ||
        form.get('client_secret') !== this.clientSecret
      ) {
        return send(400, {
          error: 'invalid_client',
          error_description: 'invalid client credentials'
        });
      }
      const token = `00Dfake!token${++this.tokensIssued}`;
      this.validTokens.add(token);
      return send(200, { access_token: token, instance_url: this.url, token_type: 'Bearer' });
    }

    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!token || !this.validTokens.has(token)) {
      return send(401, [
        { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }
      ]);
    }

    if (req.method === 'POST' && url.pathname === '/services/apexrest/coconut/v1/appointments') {
      if (this.expireOnce) {
        this.expireOnce = false;
        this.validTokens.delete(token);
        return send(401, [
          { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }
        ]);
      }
      const fault = this.faults.shift();
      if (fault !== undefined) {
        if (this.options.applyBeforeFault && (fault === 'drop' || fault >= 500)) this.apply(body);
        if (fault === 'drop') {
          req.socket.destroy();
          return;
        }
        res.writeHead(fault, {
          'Content-Type': 'application/json',
          ...(fault === 429 ? { 'Retry-After': '0' } : {})
        });
        res.end(
          JSON.stringify([
            {
              errorCode: fault === 429 ? 'REQUEST_LIMIT_EXCEEDED' : 'SERVER_UNAVAILABLE',
              message: 'try later'
            }
          ])
        );
        return;
      }
      const answer = this.apply(body);
      return send(answer.status, answer.body);
    }

    const query = /^\/services\/data\/v(\d+\.\d)\/query\/?$/.exec(url.pathname);
    if (req.method === 'GET' && query)
      return send(200, this.page(this.runQuery(url.searchParams.get('q') ?? ''), query[1]!));
    const more = /^\/services\/data\/v(\d+\.\d)\/query\/(cursor\d+)-(\d+)$/.exec(url.pathname);
    if (req.method === 'GET' && more) {
      const rows = this.cursors.get(more[2]!);
      if (!rows)
        return send(404, [
          { errorCode: 'INVALID_QUERY_LOCATOR', message: 'invalid query locator' }
        ]);
      return send(200, this.page(rows, more[1]!, Number(more[3]), more[2]));
    }
    return send(404, [
      { errorCode: 'NOT_FOUND', message: `The requested resource does not exist: ${url.pathname}` }
    ]);
  }

  private page(rows: unknown[], version: string, offset = 0, cursor?: string): unknown {
    const size = this.options.pageSize ?? 2000;
    const slice = rows.slice(offset, offset + size);
    const done = offset + size >= rows.length;
    let id = cursor;
    if (!done && !id) {
      id = `cursor${++this.seq}`;
      this.cursors.set(id, rows);
    }
    return {
      totalSize: rows.length,
      done,
      ...(done
        ? {}
        : { nextRecordsUrl: `/services/data/v${version}/query/${id}-${offset + size}` }),
      records: slice
    };
  }

  /** The queries the simulator makes: known clients, and appointments by Coconut id. */
  private runQuery(soql: string): unknown[] {
    if (/FROM Coconut_Appointment__c/i.test(soql)) {
      const inList = /Coconut_Id__c IN \(([^)]*)\)/i.exec(soql)?.[1] ?? '';
      const ids = [...inList.matchAll(/'([^']*)'/g)].map((m) => m[1]!);
      return ids
        .filter((id) => this.records.has(id))
        .sort()
        .map((id) => {
          const { attendees, Sync_Hash__c: _hash, ...row } = this.records.get(id)!;
          const children = [...attendees].sort((a, b) =>
            a.Coconut_Attendee_Id__c.localeCompare(b.Coconut_Attendee_Id__c)
          );
          return {
            attributes: { type: 'Coconut_Appointment__c' },
            ...row,
            Attendees__r: children.length
              ? { totalSize: children.length, done: true, records: children }
              : null
          };
        });
    }
    const known = this.options.known ?? [];
    if (/FROM Lead WHERE IsConverted = false/i.test(soql))
      return known.filter((k) => k.type === 'Lead' && !k.converted).map((k) => person(k));
    if (/FROM Lead WHERE IsConverted = true/i.test(soql)) {
      return known
        .filter((k) => k.type === 'Lead' && k.converted)
        .map((k) => ({ ...person(k), ConvertedContactId: k.convertedContactId ?? null }));
    }
    if (/FROM Contact/i.test(soql))
      return known.filter((k) => k.type === 'Contact').map((k) => person(k));
    throw new Error(`fake org cannot run: ${soql}`);
  }

  /** The upsert rules of the contract. */
  private apply(body: string): { status: number; body: unknown } {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return {
        status: 400,
        body: {
          errors: [
            { code: 'INVALID_JSON', field: null, message: 'The request body is not valid JSON.' }
          ]
        }
      };
    }
    const items = (parsed as { appointments?: unknown }).appointments;
    if (!Array.isArray(items))
      return {
        status: 400,
        body: { errors: [{ code: 'INVALID_ENVELOPE', field: 'appointments', message: 'required' }] }
      };
    if (items.length === 0 || items.length > 200) {
      return {
        status: 400,
        body: {
          errors: [
            {
              code: items.length === 0 ? 'EMPTY_BATCH' : 'TOO_MANY_ITEMS',
              field: 'appointments',
              message: 'size'
            }
          ]
        }
      };
    }
    const results: ItemResult[] = items.map((_, index) => ({
      index,
      coconutId: null,
      status: 'error',
      appointmentId: null,
      attendees: [],
      errors: []
    }));
    const winners = new Map<string, number>();
    items.forEach((raw, i) => {
      const errors = validateItem(raw, i);
      const item = raw as CoconutAppointment;
      results[i]!.coconutId = item && item.id != null ? String(item.id) : null;
      if (errors.length) {
        results[i]!.errors = errors;
        return;
      }
      const id = String(item.id);
      const w = winners.get(id);
      if (
        w === undefined ||
        parseInstant(item.updated_at) >= parseInstant((items[w] as CoconutAppointment).updated_at)
      ) {
        if (w !== undefined) stale(results[w]!, 'DUPLICATE_IN_BATCH');
        winners.set(id, i);
      } else stale(results[i]!, 'DUPLICATE_IN_BATCH');
    });
    for (const [id, i] of winners) {
      const item = items[i] as CoconutAppointment;
      const result = results[i]!;
      const ended = ['Completed', 'Cancelled', 'No Show'].includes(normalizeStatus(item.status));
      const policy = this.options.walkInPolicy ?? 'On End';
      if (item.walk_in && (policy === 'Never' || (policy === 'On End' && !ended))) {
        result.status = 'unchanged';
        result.warnings = [
          { code: 'WALK_IN_NOT_SYNCED', field: `appointments[${i}].walk_in`, message: 'not synced' }
        ];
        continue;
      }
      const stored = this.records.get(id);
      const updatedMs = parseInstant(item.updated_at);
      const hash = itemHash(item);
      if (stored && updatedMs < parseInstant(stored.Coconut_Updated_At__c)) {
        result.status = 'stale';
        result.appointmentId = stored.Id;
        continue;
      }
      if (
        stored &&
        updatedMs === parseInstant(stored.Coconut_Updated_At__c) &&
        stored.Sync_Hash__c === hash
      ) {
        result.status = 'unchanged';
        result.appointmentId = stored.Id;
        continue;
      }
      result.status = stored ? 'updated' : 'created';
      if (stored) {
        this.updates++;
        if (this.options.loseUpdate?.(item)) {
          result.appointmentId = stored.Id;
          continue;
        }
      }
      const row = this.store(item, stored, hash);
      result.appointmentId = row.Id;
      result.attendees = row.attendees.map((a) => ({
        coconutAttendeeId: a.Coconut_Attendee_Id__c,
        attendeeId: a.Id
      }));
    }
    const counts = { created: 0, updated: 0, unchanged: 0, stale: 0, error: 0 };
    for (const r of results) counts[r.status]++;
    return { status: 200, body: { requestId: `req-${++this.seq}`, results, counts } };
  }

  private store(
    item: CoconutAppointment,
    stored: AppointmentRow | undefined,
    hash: string
  ): AppointmentRow {
    const zone = item.timezone;
    const links = new Map((this.options.known ?? []).map((k) => [k.id, k]));
    const oldAttendees = new Map(
      (stored?.attendees ?? []).map((a) => [a.Coconut_Attendee_Id__c, a])
    );
    const row: AppointmentRow = {
      Id: stored?.Id ?? this.newId('a01'),
      Coconut_Id__c: String(item.id),
      Status__c: normalizeStatus(item.status),
      Start__c: sfDateTime(localToUtcMillis(item.start, zone)),
      End__c: item.end ? sfDateTime(localToUtcMillis(item.end, zone)) : null,
      Cancel_Reason__c: item.cancel_reason ?? null,
      Coconut_Updated_At__c: sfDateTime(parseInstant(item.updated_at)),
      Reschedule_Count__c: 0,
      Sync_Hash__c: hash,
      attendees: item.attendees.map((a) => {
        const status = normalizeStatus(a.status ?? item.status);
        const known = a.external_id ? links.get(a.external_id) : undefined;
        const contact =
          known?.type === 'Contact'
            ? known.id
            : known?.converted
              ? (known.convertedContactId ?? null)
              : null;
        return {
          Id: oldAttendees.get(String(a.id))?.Id ?? this.newId('a02'),
          Coconut_Attendee_Id__c: String(a.id),
          Status__c: status,
          Cancel_Reason__c: a.cancel_reason ?? (status === 'Cancelled' ? item.cancel_reason : null),
          Lead__c: known?.type === 'Lead' && !known.converted ? known.id : null,
          Contact__c: contact,
          Account__c: known?.type === 'Account' ? known.id : null
        };
      })
    };
    if (stored) {
      // The package counts a reschedule when the stored start instant changes.
      row.Reschedule_Count__c =
        stored.Reschedule_Count__c + (stored.Start__c === row.Start__c ? 0 : 1);
    }
    this.records.set(row.Coconut_Id__c, row);
    return row;
  }
}

function stale(result: ItemResult, code: string): void {
  result.status = 'stale';
  result.warnings = [
    {
      code,
      field: `appointments[${result.index}].id`,
      message: 'a newer item of the same appointment is in this request'
    }
  ];
}

function person(k: KnownClient): Record<string, unknown> {
  return {
    attributes: { type: k.type },
    Id: k.id,
    FirstName: k.firstName,
    LastName: k.lastName,
    Email: k.email,
    Phone: k.phone
  };
}
