/**
 * Reconciliation: reads back the Coconut_Appointment__c records (with their Coconut_Attendee__c
 * children) for the appointments sent, through the REST query endpoint, and compares each with
 * the newest snapshot sent: status, start and end (UTC instants from local time + zone), cancel
 * reason, updated_at, the reschedule count (start changes among the states the org applied),
 * attendee count, and per attendee status, cancel reason and — where the client carried a
 * Salesforce Id — the record it was linked to.
 */
import type { KnownClient } from './generator.ts';
import { localToUtcMillis, parseInstant } from './time.ts';
import type { OrgClient } from './transport.ts';
import type { CoconutAppointment } from './types.ts';

export interface StoredAttendee {
  Id: string;
  Coconut_Attendee_Id__c: string | null;
  Status__c: string | null;
  Cancel_Reason__c: string | null;
  Lead__c: string | null;
  Contact__c: string | null;
  Account__c: string | null;
}

export interface StoredAppointment {
  Id: string;
  Coconut_Id__c: string;
  Status__c: string | null;
  Start__c: string | null;
  End__c: string | null;
  Cancel_Reason__c: string | null;
  Coconut_Updated_At__c: string | null;
  Reschedule_Count__c: number | null;
  attendees: StoredAttendee[];
}

export interface Difference {
  coconutId: string;
  field: string;
  expected: unknown;
  actual: unknown;
}

interface QueryPage<T> {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: T[];
}

/** Runs a SOQL query and follows nextRecordsUrl to the end. */
export async function queryAll<T>(
  client: OrgClient,
  apiVersion: string,
  soql: string
): Promise<T[]> {
  const records: T[] = [];
  let page = await client.getJson<QueryPage<T>>(
    `/services/data/v${apiVersion}/query?q=${encodeURIComponent(soql)}`
  );
  records.push(...page.records);
  while (!page.done && page.nextRecordsUrl) {
    page = await client.getJson<QueryPage<T>>(page.nextRecordsUrl);
    records.push(...page.records);
  }
  return records;
}

/** Child subquery results, following their own nextRecordsUrl when the platform pages them. */
async function allChildren<T>(
  client: OrgClient,
  value: QueryPage<T> | null | undefined
): Promise<T[]> {
  if (!value) return [];
  const rows = [...value.records];
  let page = value;
  while (!page.done && page.nextRecordsUrl) {
    page = await client.getJson<QueryPage<T>>(page.nextRecordsUrl);
    rows.push(...page.records);
  }
  return rows;
}

export const IDS_PER_QUERY = 150;

const quote = (value: string): string => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** The stored appointments for these Coconut ids (absent ones are simply missing from the map). */
export async function fetchStored(
  client: OrgClient,
  apiVersion: string,
  coconutIds: readonly string[]
): Promise<Map<string, StoredAppointment>> {
  const stored = new Map<string, StoredAppointment>();
  for (let i = 0; i < coconutIds.length; i += IDS_PER_QUERY) {
    const chunk = coconutIds.slice(i, i + IDS_PER_QUERY);
    const soql =
      'SELECT Id, Coconut_Id__c, Status__c, Start__c, End__c, Cancel_Reason__c, Coconut_Updated_At__c, Reschedule_Count__c, ' +
      '(SELECT Id, Coconut_Attendee_Id__c, Status__c, Cancel_Reason__c, Lead__c, Contact__c, Account__c ' +
      'FROM Attendees__r ORDER BY Coconut_Attendee_Id__c) ' +
      `FROM Coconut_Appointment__c WHERE Coconut_Id__c IN (${chunk.map(quote).join(', ')}) ORDER BY Coconut_Id__c`;
    type Row = Omit<StoredAppointment, 'attendees'> & {
      Attendees__r: QueryPage<StoredAttendee> | null;
    };
    for (const row of await queryAll<Row>(client, apiVersion, soql)) {
      const { Attendees__r: children, ...rest } = row;
      stored.set(row.Coconut_Id__c, { ...rest, attendees: await allChildren(client, children) });
    }
  }
  return stored;
}

const STATUS_NAMES: Record<string, string> = {
  confirmed: 'Confirmed',
  booked: 'Confirmed',
  arrived: 'Arrived',
  checkedin: 'Arrived',
  inprogress: 'In Progress',
  served: 'Completed',
  completed: 'Completed',
  cancelled: 'Cancelled',
  canceled: 'Cancelled',
  noshow: 'No Show'
};

/** Coconut status → Status__c picklist value (as the contract documents the mapping). */
export function normalizeStatus(raw: string | null | undefined): string {
  const key = (raw ?? '').toLowerCase().replace(/[\s_-]/g, '');
  return STATUS_NAMES[key] ?? 'Unknown';
}

const blank = (v: string | null | undefined): string | null =>
  v == null || v.trim() === '' ? null : v.trim();

function sameInstant(expectedMs: number | null, actual: string | null): boolean {
  if (expectedMs === null) return actual === null;
  return actual !== null && parseInstant(actual) === expectedMs;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** Where each known client's attendees are expected to be linked (by Salesforce Id carried in external_id). */
export function expectedLinks(
  known: readonly KnownClient[]
): Map<string, { field: 'Lead__c' | 'Contact__c' | 'Account__c'; id: string }> {
  const links = new Map<string, { field: 'Lead__c' | 'Contact__c' | 'Account__c'; id: string }>();
  for (const k of known) {
    if (k.type === 'Lead' && k.converted && k.convertedContactId)
      links.set(k.id, { field: 'Contact__c', id: k.convertedContactId });
    else if (k.type === 'Lead' && !k.converted) links.set(k.id, { field: 'Lead__c', id: k.id });
    else if (k.type === 'Contact') links.set(k.id, { field: 'Contact__c', id: k.id });
    else if (k.type === 'Account') links.set(k.id, { field: 'Account__c', id: k.id });
  }
  return links;
}

const id15 = (id: string | null | undefined): string | null => (id ? id.slice(0, 15) : null);

/** Differences between the newest snapshot sent and the stored record. */
export function compareAppointment(
  expected: CoconutAppointment,
  stored: StoredAppointment | undefined,
  links: Map<string, { field: 'Lead__c' | 'Contact__c' | 'Account__c'; id: string }> = new Map(),
  /** Start changes among the states the org applied (known when this run created the record). */
  expectedRescheduleCount?: number
): Difference[] {
  const coconutId = String(expected.id);
  if (!stored) return [{ coconutId, field: 'record', expected: 'present', actual: 'missing' }];
  const diffs: Difference[] = [];
  const diff = (field: string, exp: unknown, act: unknown): void => {
    diffs.push({ coconutId, field, expected: exp, actual: act });
  };

  const status = normalizeStatus(expected.status);
  if (stored.Status__c !== status) diff('Status__c', status, stored.Status__c);
  const startMs = localToUtcMillis(expected.start, expected.timezone);
  if (!sameInstant(startMs, stored.Start__c)) diff('Start__c', iso(startMs), stored.Start__c);
  const endMs = expected.end ? localToUtcMillis(expected.end, expected.timezone) : null;
  if (!sameInstant(endMs, stored.End__c)) diff('End__c', iso(endMs), stored.End__c);
  if (blank(expected.cancel_reason) !== blank(stored.Cancel_Reason__c)) {
    diff('Cancel_Reason__c', blank(expected.cancel_reason), stored.Cancel_Reason__c);
  }
  const updatedMs = parseInstant(expected.updated_at);
  if (!sameInstant(updatedMs, stored.Coconut_Updated_At__c))
    diff('Coconut_Updated_At__c', iso(updatedMs), stored.Coconut_Updated_At__c);

  if (
    expectedRescheduleCount !== undefined &&
    Number(stored.Reschedule_Count__c ?? 0) !== expectedRescheduleCount
  ) {
    diff('Reschedule_Count__c', expectedRescheduleCount, stored.Reschedule_Count__c);
  }
  if (stored.attendees.length !== expected.attendees.length) {
    diff('attendees.count', expected.attendees.length, stored.attendees.length);
  }
  const byId = new Map(stored.attendees.map((a) => [a.Coconut_Attendee_Id__c, a]));
  for (const attendee of expected.attendees) {
    const key = `attendees[${attendee.id}]`;
    const row = byId.get(String(attendee.id));
    if (!row) {
      diff(key, 'present', 'missing');
      continue;
    }
    const attendeeStatus = normalizeStatus(attendee.status ?? expected.status);
    if (row.Status__c !== attendeeStatus) diff(`${key}.Status__c`, attendeeStatus, row.Status__c);
    const reason =
      blank(attendee.cancel_reason) ??
      (attendeeStatus === 'Cancelled' ? blank(expected.cancel_reason) : null);
    if (reason !== blank(row.Cancel_Reason__c))
      diff(`${key}.Cancel_Reason__c`, reason, row.Cancel_Reason__c);
    const link = attendee.external_id ? links.get(attendee.external_id) : undefined;
    if (link && id15(row[link.field]) !== id15(link.id))
      diff(`${key}.${link.field}`, link.id, row[link.field]);
  }
  return diffs;
}
