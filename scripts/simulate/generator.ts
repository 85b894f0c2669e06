/**
 * Deterministic Coconut activity: from (seed, anchor, options) the same clients, appointments
 * and snapshot histories every time.
 *
 * Each appointment's history is a list of full-state snapshots with strictly increasing
 * `updated_at`, as Coconut would send them: a booking, reschedules (same id, later updated_at,
 * new start), then an outcome — cancelled with a reason, arrived → in progress → completed, or
 * no-show — as far as it has happened by the anchor instant ("now"). Walk-ins are sent once,
 * when they end. Group appointments have 2–4 attendees and often one of them cancels. Some
 * appointments are placed in the weeks around daylight-saving transitions, and some reschedules
 * cross a transition.
 */
import {
  BRANCHES,
  CANCEL_REASONS,
  FIRST_NAMES,
  HEARD_ABOUT,
  LAST_NAMES,
  QUESTIONS,
  SERVICES,
  STAFF,
  STREETS,
  WALK_IN_CANCEL_REASONS,
  type Branch,
  type ServiceSpec
} from './catalog.ts';
import { Random, hash32 } from './prng.ts';
import { formatLocal, isoSeconds, localToUtcMillis, transitionsBetween } from './time.ts';
import type { CoconutAnswer, CoconutAppointment, CoconutAttendee, CoconutStaff } from './types.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A Salesforce record the simulated clients may match (from a file or the org's Leads/Contacts). */
export interface KnownClient {
  id: string;
  type: 'Lead' | 'Contact' | 'Account';
  firstName: string | null;
  lastName: string;
  email: string | null;
  phone: string | null;
  /** Converted leads: the Contact they became (the package resolves the lead to it). */
  converted?: boolean;
  convertedContactId?: string | null;
}

export type ClientKind =
  'new' | 'returning' | 'email-match' | 'phone-match' | 'salesforce-id' | 'converted-lead';

export interface SimClient {
  clientId: number;
  kind: ClientKind;
  /** The Salesforce record this client is expected to resolve to, when known. */
  known: KnownClient | null;
  firstName: string;
  lastName: string;
  email: string | null;
  phone: string | null;
  cellPhone: string | null;
  externalId: string | null;
  address: string;
  city: string;
  region: string;
  postcode: string;
  timezone: string;
  language: 'en' | 'fr';
  receiveSms: boolean;
  branch: Branch;
}

export type AppointmentKind = 'booking' | 'group' | 'walk-in';

export interface AppointmentHistory {
  id: number;
  kind: AppointmentKind;
  /** Start or a reschedule lies within a week of a daylight-saving transition. */
  dst: boolean;
  /** Snapshots in the order Coconut produced them (strictly increasing updated_at). */
  snapshots: CoconutAppointment[];
}

/** An item that is invalid on purpose (--include-bad): the package must answer `error`. */
export interface BadItem {
  id: number;
  item: Record<string, unknown>;
  reason: string;
  expectedCode: string;
}

export interface GenerateOptions {
  seed: string;
  /** "Now" of the simulation: `YYYY-MM-DD` (17:00 UTC that day) or an ISO instant. */
  anchor: string;
  /** Number of distinct clients (default 40). */
  clients?: number;
  /** Days of activity before the anchor; bookings reach up to the same span after it (default 14). */
  days?: number;
  knownClients?: readonly KnownClient[];
  includeBad?: boolean;
}

export interface Simulation {
  seed: string;
  anchor: string;
  nowMs: number;
  idBase: number;
  clients: SimClient[];
  appointments: AppointmentHistory[];
  bad: BadItem[];
  /** Daylight-saving transitions (UTC ISO) the DST appointments were placed around. */
  dstTransitions: string[];
}

export const MAX_CLIENTS = 10_000;

/** The anchor instant in epoch ms. */
export function anchorMillis(anchor: string): number {
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(anchor)
    ? Date.parse(`${anchor}T17:00:00Z`)
    : Date.parse(anchor);
  if (Number.isNaN(ms))
    throw new RangeError(`anchor must be YYYY-MM-DD or an ISO instant: ${anchor}`);
  return ms;
}

/**
 * First id of this run's id ranges: different seeds (and anchors) get different appointment,
 * attendee and client ids, so runs do not overwrite each other's appointments in an org.
 */
export function idBaseFor(seed: string, anchor: string): number {
  return (1_000 + (hash32(`${seed}|${anchor}`) % 900_000)) * 100_000;
}

export function generate(options: GenerateOptions): Simulation {
  const clientCount = options.clients ?? 40;
  const days = options.days ?? 14;
  if (!Number.isInteger(clientCount) || clientCount < 1 || clientCount > MAX_CLIENTS) {
    throw new RangeError(`clients must be a whole number from 1 to ${MAX_CLIENTS}`);
  }
  if (!Number.isInteger(days) || days < 1 || days > 366) {
    throw new RangeError('days must be a whole number from 1 to 366');
  }
  const nowMs = anchorMillis(options.anchor);
  const idBase = idBaseFor(options.seed, options.anchor);
  const root = new Random(`coconut-sim|${options.seed}|${options.anchor}`);
  const ids = { appointment: idBase, attendee: idBase, client: idBase };

  const clients = makeClients(root.fork('clients'), clientCount, options.knownClients ?? [], ids);
  const dst = pickTransitions(nowMs);
  const rng = root.fork('appointments');
  const appointments: AppointmentHistory[] = [];

  // Every client books at least once; returning clients two or three times.
  const bookings: SimClient[] = [];
  for (const client of clients) {
    const visits = client.kind === 'returning' ? rng.int(2, 3) : rng.chance(0.2) ? 2 : 1;
    for (let v = 0; v < visits; v++) bookings.push(client);
  }
  const order = rng.shuffle(bookings);
  // Appointments placed around DST transitions: about one in eight, at least two per transition.
  const dstCount = dst.length === 0 ? 0 : Math.max(2 * dst.length, Math.round(order.length / 8));
  order.forEach((client, i) => {
    const id = ++ids.appointment;
    const roll = rng.next();
    const transition = i < dstCount ? dst[i % dst.length]! : null;
    if (transition === null && roll < 0.12 && !client.branch.location.virtual) {
      appointments.push(walkIn(rng, id, client, nowMs, days, ids));
    } else if (roll < 0.2 && clients.length >= 2) {
      const others = rng
        .shuffle(clients.filter((c) => c !== client))
        .slice(0, rng.int(1, Math.min(3, clients.length - 1)));
      appointments.push(
        booking(rng, id, [client, ...others], nowMs, days, transition, ids, 'group')
      );
    } else {
      appointments.push(booking(rng, id, [client], nowMs, days, transition, ids, 'booking'));
    }
  });

  const bad = options.includeBad ? badItems(root.fork('bad'), appointments, idBase) : [];
  return {
    seed: options.seed,
    anchor: options.anchor,
    nowMs,
    idBase,
    clients,
    appointments,
    bad,
    dstTransitions: dst.map((t) => new Date(t).toISOString())
  };
}

// ───────────────────────────── clients ─────────────────────────────

function makeClients(
  rng: Random,
  count: number,
  known: readonly KnownClient[],
  ids: { client: number }
): SimClient[] {
  const open = known.filter((k) => !k.converted);
  const converted = known.filter((k) => k.converted && k.type === 'Lead');
  const withEmail = open.filter((k) => k.email);
  const withPhone = open.filter((k) => k.phone);
  const cursors = { email: 0, phone: 0, id: 0, converted: 0 };
  const clients: SimClient[] = [];
  for (let i = 0; i < count; i++) {
    let kind = rng.weighted<ClientKind>([
      ['new', 50],
      ['returning', 20],
      ['email-match', 10],
      ['phone-match', 6],
      ['salesforce-id', 8],
      ['converted-lead', 6]
    ]);
    let match: KnownClient | null = null;
    if (kind === 'email-match') match = withEmail[cursors.email++] ?? null;
    else if (kind === 'phone-match') match = withPhone[cursors.phone++] ?? null;
    else if (kind === 'salesforce-id') match = open[cursors.id++] ?? null;
    else if (kind === 'converted-lead') match = converted[cursors.converted++] ?? null;
    if (kind !== 'new' && kind !== 'returning' && match === null) kind = 'new';
    clients.push(makeClient(rng, ++ids.client, kind, match));
  }
  return clients;
}

function makeClient(
  rng: Random,
  clientId: number,
  kind: ClientKind,
  known: KnownClient | null
): SimClient {
  const branch = rng.weighted(BRANCHES.map((b) => [b, b.location.virtual ? 1 : 2] as const));
  const area = rng.pick(branch.area);
  const firstName = known?.firstName || rng.pick(FIRST_NAMES);
  const lastName = known?.lastName || rng.pick(LAST_NAMES);
  const french =
    ['QC', 'NB'].includes(area.region) || area.city === 'St. Boniface' || area.city === 'Ottawa';
  const language = rng.chance(french ? 0.6 : 0.08) ? 'fr' : 'en';
  const phone = `+1 ${area.areaCode} 555 ${String(rng.int(100, 199)).padStart(4, '0')}`;
  const slug = `${ascii(firstName)}.${ascii(lastName)}${clientId % 10_000}`;
  const domain = rng.pick(['example.com', 'mail.example', 'example.ca']);
  let email: string | null = rng.chance(0.93) ? `${slug}@${domain}` : null;
  let phoneValue: string | null = phone;
  let externalId: string | null = null;
  switch (kind) {
    case 'email-match':
      email = known!.email;
      break;
    case 'phone-match':
      // Only the phone ties this client to the Salesforce record.
      email = null;
      phoneValue = known!.phone;
      break;
    case 'salesforce-id':
    case 'converted-lead':
      externalId = known!.id;
      email = known!.email ?? email;
      break;
    default:
      break;
  }
  return {
    clientId,
    kind,
    known,
    firstName,
    lastName,
    email,
    phone: phoneValue,
    cellPhone: rng.chance(0.5)
      ? `+1 ${area.areaCode} 555 ${String(rng.int(200, 999)).padStart(4, '0')}`
      : null,
    externalId,
    address: `${rng.int(1, 2999)} ${rng.pick(STREETS)}`,
    city: area.city,
    region: area.region,
    postcode: `${area.postcodePrefix}${rng.pick(['A', 'B', 'C', 'E', 'G', 'H', 'J', 'K', 'L', 'M', 'N', 'P', 'R'])} ${rng.int(1, 9)}${rng.pick(['A', 'B', 'C', 'E', 'G', 'H', 'J'])}${rng.int(1, 9)}`,
    timezone: branch.location.timezone,
    language,
    receiveSms: rng.chance(0.6),
    branch
  };
}

function ascii(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

// ─────────────────────────── appointments ───────────────────────────

/** The most recent and the next daylight-saving transition in America/Toronto. */
function pickTransitions(nowMs: number): number[] {
  const all = transitionsBetween('America/Toronto', nowMs - 400 * DAY, nowMs + 400 * DAY);
  const past = all.filter((t) => t <= nowMs).pop();
  const next = all.find((t) => t > nowMs);
  return [past, next].filter((t): t is number => t !== undefined);
}

interface Slot {
  startMs: number;
  endMs: number;
  local: string;
  localEnd: string;
}

/**
 * A slot on the quarter hour inside the branch's opening hours on the local day of `dayMs`
 * (moved to the next open day when closed).
 */
function slotOn(rng: Random, branch: Branch, dayMs: number, minutes: number): Slot {
  const zone = branch.location.timezone;
  for (let shift = 0; shift < 8; shift++) {
    const date = formatLocal(dayMs + shift * DAY, zone).slice(0, 10);
    const weekday = ((new Date(`${date}T12:00:00Z`).getUTCDay() + 6) % 7) + 1;
    const hours = branch.hours[weekday];
    if (!hours) continue;
    const [open, close] = hours;
    const last = close - minutes;
    if (last < open) continue;
    const startMin = open + 15 * rng.int(0, Math.floor((last - open) / 15));
    const local = `${date} ${hhmm(startMin)}:00`;
    const startMs = localToUtcMillis(local, zone);
    const endMs = startMs + minutes * MINUTE;
    return { startMs, endMs, local, localEnd: formatLocal(endMs, zone) };
  }
  throw new Error(`no opening hours for ${branch.location.name}`);
}

function hhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

function pickService(rng: Random, group: boolean): ServiceSpec {
  const pool = group
    ? SERVICES.filter((s) =>
        ['Open an Account', 'Financial Planning', 'Mortgage Renewal'].includes(s.name)
      )
    : SERVICES;
  return rng.weighted(pool.map((s) => [s, s.weight] as const));
}

function confirmationCode(rng: Random): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  let code = '';
  for (let i = 0; i < 16; i++) code += alphabet[rng.int(0, alphabet.length - 1)];
  return code;
}

function staffFor(rng: Random, branch: Branch): CoconutStaff {
  const { locationId: _ignored, ...member } = rng.pick(
    STAFF.filter((s) => s.locationId === branch.location.id)
  );
  return member;
}

function answersFor(rng: Random, client: SimClient, service: ServiceSpec): CoconutAnswer[] {
  const answers: CoconutAnswer[] = [];
  if (client.kind !== 'new' && rng.chance(0.6)) {
    answers.push({ ...QUESTIONS[0], value: String(rng.int(10_000_000, 99_999_999)) });
  }
  if (rng.chance(0.5)) answers.push({ ...QUESTIONS[1], value: rng.pick(service.notes) });
  if (client.kind === 'new' && rng.chance(0.4))
    answers.push({ ...QUESTIONS[2], value: rng.pick(HEARD_ABOUT) });
  return answers;
}

function attendeeOf(
  rng: Random,
  client: SimClient,
  attendeeId: number,
  service: ServiceSpec
): CoconutAttendee {
  return {
    id: attendeeId,
    status: 'confirmed',
    cancel_reason: null,
    external_id: client.externalId,
    client_id: client.clientId,
    first_name: client.firstName,
    last_name: client.lastName,
    email: client.email,
    phone: client.phone,
    cell_phone: client.cellPhone,
    address: client.address,
    city: client.city,
    region: client.region,
    country: 'CA',
    postcode: client.postcode,
    timezone: client.timezone,
    language: client.language,
    receive_sms: client.receiveSms,
    answers: answersFor(rng, client, service)
  };
}

/** Builds snapshots: each call to `snap` copies the state with a later updated_at. */
class History {
  readonly snapshots: CoconutAppointment[] = [];
  private lastMs = 0;

  constructor(
    private readonly state: CoconutAppointment,
    private readonly nowMs: number
  ) {}

  get current(): CoconutAppointment {
    return this.state;
  }

  get lastUpdatedMs(): number {
    return this.lastMs;
  }

  /** Records the state at `atMs` (moved to at least one second after the previous snapshot). Returns false after "now". */
  snap(atMs: number, change: (s: CoconutAppointment) => void): boolean {
    const at = Math.max(Math.floor(atMs / 1000) * 1000, this.lastMs + 1000);
    if (at > this.nowMs) return false;
    change(this.state);
    this.lastMs = at;
    this.state.updated_at = isoSeconds(at);
    if (this.snapshots.length === 0) this.state.created_at = this.state.updated_at;
    this.snapshots.push(structuredClone(this.state));
    return true;
  }
}

function booking(
  rng: Random,
  id: number,
  party: SimClient[],
  nowMs: number,
  days: number,
  transition: number | null,
  ids: { attendee: number },
  kind: 'booking' | 'group'
): AppointmentHistory {
  const lead = party[0]!;
  const branch = lead.branch;
  const service = pickService(rng, kind === 'group');
  const method = kind === 'group' ? 1 : rng.weighted(service.methods);
  const zone = branch.location.timezone;

  // When it is booked and for when.
  let bookedMs: number;
  let slot: Slot;
  let rescheduleTo: number | null = null;
  if (transition !== null) {
    // Around a DST transition: a week before or after it; half of them are rescheduled across it.
    const before = rng.chance(0.5);
    slot = slotOn(
      rng,
      branch,
      transition + (before ? -rng.int(1, 6) : rng.int(1, 6)) * DAY,
      service.minutes
    );
    if (before && rng.chance(0.6)) rescheduleTo = transition + rng.int(1, 6) * DAY;
    bookedMs = slot.startMs - rng.int(3, 20) * DAY - rng.int(0, 600) * MINUTE;
    if (bookedMs > nowMs) bookedMs = nowMs - rng.int(1, 48) * HOUR;
  } else {
    bookedMs = nowMs - rng.int(1, days * 24 * 60 - 60) * MINUTE;
    slot = slotOn(rng, branch, bookedMs + rng.int(1, 21) * DAY, service.minutes);
    if (rng.chance(0.2))
      rescheduleTo =
        slot.startMs +
        rng.weighted([
          [-2, 1],
          [1, 2],
          [2, 2],
          [7, 3],
          [14, 1]
        ] as const) *
          DAY;
  }
  if (bookedMs >= slot.startMs) bookedMs = slot.startMs - rng.int(2, 48) * HOUR;

  const state: CoconutAppointment = {
    id,
    code: confirmationCode(rng),
    status: 'confirmed',
    start: slot.local,
    end: slot.localEnd,
    timezone: zone,
    meeting_method: method,
    meeting_link: method === 3 ? `https://video.northernshores.example/j/${id}` : null,
    booked_through: rng.weighted([
      [9, 6],
      [1, 2],
      [2, 2],
      [4, 1]
    ] as const),
    walk_in: false,
    locale: lead.language,
    notes: rng.chance(0.7) ? rng.pick(service.notes) : null,
    cancel_reason: null,
    created_at: '',
    updated_at: '',
    location: { ...branch.location },
    services: [{ id: service.id, name: service.name }],
    staff: staffFor(rng, branch),
    attendees: party.map((client) => attendeeOf(rng, client, ++ids.attendee, service))
  };
  if (kind === 'group' && rng.chance(0.3)) {
    const { locationId: _l, ...extra } = rng.pick(
      STAFF.filter((s) => s.locationId === branch.location.id && s.id !== state.staff!.id)
    );
    state.additional_staff = [extra];
  }
  const history = new History(state, nowMs);
  history.snap(bookedMs, () => undefined);

  let dst = transition !== null;
  let startMs = slot.startMs;
  let endMs = slot.endMs;
  const reschedule = (toDayMs: number): void => {
    const latest = Math.min(startMs, nowMs);
    if (latest - history.lastUpdatedMs < 2 * HOUR) return;
    const at =
      history.lastUpdatedMs +
      rng.int(1, Math.floor((latest - history.lastUpdatedMs) / MINUTE) - 1) * MINUTE;
    const next = slotOn(rng, branch, toDayMs, service.minutes);
    if (next.startMs <= at) return;
    const ok = history.snap(at, (s) => {
      s.start = next.local;
      s.end = next.localEnd;
    });
    if (ok) {
      startMs = next.startMs;
      endMs = next.endMs;
    }
  };
  if (rescheduleTo !== null) reschedule(rescheduleTo);
  if (transition === null && rng.chance(0.05)) reschedule(startMs + rng.int(1, 5) * DAY);
  if (transition !== null) dst = true;

  // A group member cancels their own place (the appointment goes ahead).
  if (kind === 'group' && rng.chance(0.6)) {
    const who = rng.int(1, state.attendees.length - 1);
    const at = between(rng, history.lastUpdatedMs, startMs - 30 * MINUTE);
    if (at !== null) {
      history.snap(at, (s) => {
        s.attendees[who]!.status = 'cancelled';
        s.attendees[who]!.cancel_reason = rng.pick(CANCEL_REASONS);
      });
    }
  }

  const setAll = (s: CoconutAppointment, status: string): void => {
    s.status = status;
    for (const a of s.attendees) if (a.status !== 'cancelled') a.status = status;
  };
  const outcome = rng.weighted([
    ['cancelled', 12],
    ['no-show', kind === 'group' ? 0 : 8],
    ['completed', 80]
  ] as const);
  if (outcome === 'cancelled') {
    const at = between(rng, history.lastUpdatedMs, startMs - 15 * MINUTE);
    const reason = rng.pick(CANCEL_REASONS);
    if (at !== null) {
      history.snap(at, (s) => {
        s.status = 'cancelled';
        s.cancel_reason = reason;
        for (const a of s.attendees) a.status = 'cancelled';
      });
    }
  } else if (outcome === 'no-show') {
    history.snap(startMs + rng.int(15, 30) * MINUTE, (s) => setAll(s, 'no-show'));
  } else {
    if (method === 1) history.snap(startMs - rng.int(2, 12) * MINUTE, (s) => setAll(s, 'arrived'));
    if (history.snap(startMs + rng.int(0, 6) * MINUTE, (s) => setAll(s, 'in progress'))) {
      history.snap(endMs + rng.int(0, 10) * MINUTE, (s) =>
        setAll(s, rng.chance(0.15) ? 'served' : 'completed')
      );
    }
  }
  return { id, kind, dst, snapshots: history.snapshots };
}

/** A random instant strictly between two instants (null when there is no room). */
function between(rng: Random, afterMs: number, beforeMs: number): number | null {
  const span = Math.floor((beforeMs - afterMs) / MINUTE);
  if (span < 3) return null;
  return afterMs + rng.int(1, span - 1) * MINUTE;
}

function walkIn(
  rng: Random,
  id: number,
  client: SimClient,
  nowMs: number,
  days: number,
  ids: { attendee: number }
): AppointmentHistory {
  const branch = client.branch;
  const service = rng.pick(SERVICES.filter((s) => s.minutes <= 45));
  // Arrival during opening hours in the past `days` days, ended (and synced, up to 40 minutes
  // later) at least an hour before now. slotOn moves closed days forward, so a fallback day can
  // land after now (a weekend before the anchor): step back a day at a time until it does not.
  let slot = slotOn(rng, branch, nowMs - rng.int(1, days) * DAY, service.minutes);
  for (let back = days + 1; slot.endMs + HOUR > nowMs; back++)
    slot = slotOn(rng, branch, nowMs - back * DAY, service.minutes);
  const outcome = rng.weighted([
    ['completed', 80],
    ['cancelled', 12],
    ['no-show', 8]
  ] as const);
  const state: CoconutAppointment = {
    id,
    code: confirmationCode(rng),
    status: 'arrived',
    start: slot.local,
    end: slot.localEnd,
    timezone: branch.location.timezone,
    meeting_method: 1,
    meeting_link: null,
    booked_through: 1,
    walk_in: true,
    locale: client.language,
    notes: null,
    cancel_reason: null,
    created_at: '',
    updated_at: '',
    location: { ...branch.location },
    services: [{ id: service.id, name: service.name }],
    staff: rng.chance(0.7) ? staffFor(rng, branch) : null,
    attendees: [attendeeOf(rng, client, ++ids.attendee, service)]
  };
  state.attendees[0]!.status = 'arrived';
  // Coconut syncs walk-ins when they end: only the final state is sent.
  const endAt =
    outcome === 'completed'
      ? slot.endMs + rng.int(0, 10) * MINUTE
      : slot.startMs + rng.int(10, 40) * MINUTE;
  state.created_at = isoSeconds(slot.startMs);
  state.status = outcome;
  state.attendees[0]!.status = outcome;
  if (outcome === 'cancelled') {
    state.cancel_reason = rng.pick(WALK_IN_CANCEL_REASONS);
    state.attendees[0]!.cancel_reason = state.cancel_reason;
  }
  state.updated_at = isoSeconds(endAt);
  return { id, kind: 'walk-in', dst: false, snapshots: [structuredClone(state)] };
}

// ─────────────────────────── invalid items ───────────────────────────

function badItems(rng: Random, appointments: AppointmentHistory[], idBase: number): BadItem[] {
  const template =
    appointments.find((a) => a.kind === 'booking')?.snapshots[0] ?? appointments[0]!.snapshots[0]!;
  let next = idBase + 90_000;
  const make = (
    reason: string,
    expectedCode: string,
    change: (item: Record<string, unknown>) => void
  ): BadItem => {
    const item = structuredClone(template) as unknown as Record<string, unknown>;
    item.id = ++next;
    item.code = `BAD${String(next).slice(-13)}`;
    change(item);
    return { id: next, item, reason, expectedCode };
  };
  const attendee0 = (item: Record<string, unknown>): Record<string, unknown> =>
    (item.attendees as Record<string, unknown>[])[0]!;
  const all = [
    make('start is missing', 'REQUIRED_FIELD_MISSING', (i) => delete i.start),
    make('time zone does not exist', 'INVALID_TIMEZONE', (i) => (i.timezone = 'America/Atlantis')),
    make('meeting_method out of range', 'INVALID_ENUM', (i) => (i.meeting_method = 7)),
    make(
      'attendee email is malformed',
      'INVALID_FORMAT',
      (i) => (attendee0(i).email = 'not-an-email')
    ),
    make('end before start', 'INVALID_DATETIME', (i) => (i.end = '2020-01-01 00:00:00')),
    make('no attendees', 'REQUIRED_FIELD_MISSING', (i) => (i.attendees = []))
  ];
  return rng.shuffle(all);
}
