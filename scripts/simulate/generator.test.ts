import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { BRANCHES } from './catalog.ts';
import { validateItem } from './contract.ts';
import { generate, type KnownClient, type Simulation } from './generator.ts';
import { Random } from './prng.ts';
import {
  formatLocal,
  localToUtcIso,
  localToUtcMillis,
  offsetMinutes,
  parseInstant
} from './time.ts';

const KNOWN: KnownClient[] = [
  {
    id: '00Q000000000001AAA',
    type: 'Lead',
    firstName: 'Ada',
    lastName: 'Lovelace',
    email: 'ada@example.org',
    phone: '+1 416 555 0001'
  },
  {
    id: '00Q000000000002AAA',
    type: 'Lead',
    firstName: 'Alan',
    lastName: 'Turing',
    email: 'alan@example.org',
    phone: '+1 604 555 0002'
  },
  {
    id: '003000000000001AAA',
    type: 'Contact',
    firstName: 'Grace',
    lastName: 'Hopper',
    email: 'grace@example.org',
    phone: '+1 902 555 0003'
  },
  {
    id: '003000000000002AAA',
    type: 'Contact',
    firstName: 'Edsger',
    lastName: 'Dijkstra',
    email: null,
    phone: '+1 204 555 0004'
  },
  {
    id: '00Q000000000003AAA',
    type: 'Lead',
    firstName: 'Barbara',
    lastName: 'Liskov',
    email: 'barbara@example.org',
    phone: null,
    converted: true,
    convertedContactId: '003000000000009AAA'
  }
];

const all = (sim: Simulation) => sim.appointments.flatMap((a) => a.snapshots);

describe('Random', () => {
  it('gives the same sequence for the same seed and a different one for another seed', () => {
    const a = new Random('x');
    const b = new Random('x');
    const c = new Random('y');
    const seqA = Array.from({ length: 20 }, () => a.nextUint32());
    assert.deepEqual(
      seqA,
      Array.from({ length: 20 }, () => b.nextUint32())
    );
    assert.notDeepEqual(
      seqA,
      Array.from({ length: 20 }, () => c.nextUint32())
    );
  });

  it('stays within bounds and covers the range', () => {
    const r = new Random(42);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const n = r.int(1, 6);
      assert.ok(n >= 1 && n <= 6);
      seen.add(n);
      const f = r.next();
      assert.ok(f >= 0 && f < 1);
    }
    assert.equal(seen.size, 6);
  });
});

describe('time conversion (contract rules)', () => {
  it('converts local times with the zone offset in force', () => {
    assert.equal(
      localToUtcIso('2026-03-10 14:00:00', 'America/Toronto'),
      '2026-03-10T18:00:00.000Z'
    );
    assert.equal(
      localToUtcIso('2026-03-06 14:00:00', 'America/Toronto'),
      '2026-03-06T19:00:00.000Z'
    );
    assert.equal(
      localToUtcIso('2026-07-01 09:00:00', 'America/Vancouver'),
      '2026-07-01T16:00:00.000Z'
    );
    assert.equal(
      localToUtcIso('2026-01-15 09:00:00', 'America/Halifax'),
      '2026-01-15T13:00:00.000Z'
    );
    assert.equal(
      localToUtcIso('2026-01-15 09:00:00', 'America/Winnipeg'),
      '2026-01-15T15:00:00.000Z'
    );
  });

  it('moves a time in the spring-forward gap forward and takes the earlier instant in the fall-back overlap', () => {
    assert.equal(
      localToUtcIso('2026-03-08 02:30:00', 'America/Toronto'),
      '2026-03-08T07:30:00.000Z'
    );
    assert.equal(
      localToUtcIso('2026-11-01 01:30:00', 'America/Toronto'),
      '2026-11-01T05:30:00.000Z'
    );
    assert.equal(
      localToUtcIso('2026-11-01 01:30:00', 'America/Vancouver'),
      '2026-11-01T08:30:00.000Z'
    );
  });

  it('reads Salesforce and Coconut instants', () => {
    assert.equal(parseInstant('2026-03-10T19:00:00.000+0000'), Date.parse('2026-03-10T19:00:00Z'));
    assert.equal(parseInstant('2026-03-10T14:00:00-05:00'), Date.parse('2026-03-10T19:00:00Z'));
    assert.ok(Number.isNaN(parseInstant('2026-03-10 19:00:00')));
  });
});

describe('generate', () => {
  it('is deterministic: the same seed and anchor give the same JSON', () => {
    const options = {
      seed: 'branch-day',
      anchor: '2026-03-01',
      clients: 60,
      days: 14,
      knownClients: KNOWN,
      includeBad: true
    };
    assert.equal(JSON.stringify(generate(options)), JSON.stringify(generate(options)));
    assert.notEqual(
      JSON.stringify(generate(options)),
      JSON.stringify(generate({ ...options, seed: 'other' }))
    );
  });

  it('gives different seeds different id ranges', () => {
    const a = generate({ seed: 'a', anchor: '2026-03-01', clients: 5 });
    const b = generate({ seed: 'b', anchor: '2026-03-01', clients: 5 });
    const idsA = new Set(a.appointments.map((x) => x.id));
    assert.ok(b.appointments.every((x) => !idsA.has(x.id)));
  });

  it('produces realistic activity of every kind', () => {
    const sim = generate({
      seed: 'realism',
      anchor: '2026-03-01',
      clients: 200,
      days: 21,
      knownClients: KNOWN
    });
    const snaps = all(sim);
    const finals = sim.appointments.map((a) => a.snapshots.at(-1)!);
    const statuses = new Set(snaps.map((s) => s.status));
    for (const s of ['confirmed', 'arrived', 'in progress', 'cancelled', 'no-show'])
      assert.ok(statuses.has(s), `status ${s} present`);
    assert.ok(statuses.has('completed') || statuses.has('served'));
    // Cancellations carry a reason; others do not.
    for (const s of snaps)
      assert.equal(
        s.status === 'cancelled',
        s.cancel_reason !== null,
        `cancel reason iff cancelled (${s.id})`
      );
    // Walk-ins: sent once, when they have ended.
    const walkIns = sim.appointments.filter((a) => a.kind === 'walk-in');
    assert.ok(walkIns.length > 5);
    for (const w of walkIns) {
      assert.equal(w.snapshots.length, 1);
      assert.ok(['completed', 'cancelled', 'no-show'].includes(w.snapshots[0]!.status));
      assert.equal(w.snapshots[0]!.walk_in, true);
    }
    // Group appointments: 2–4 attendees, and in some one attendee cancels while the others stay.
    const groups = sim.appointments.filter((a) => a.kind === 'group');
    assert.ok(groups.length > 5);
    for (const g of groups) {
      const n = g.snapshots[0]!.attendees.length;
      assert.ok(n >= 2 && n <= 4, `group size ${n}`);
    }
    assert.ok(
      groups.some((g) => {
        const last = g.snapshots.at(-1)!;
        return (
          last.status !== 'cancelled' &&
          last.attendees.some((a) => a.status === 'cancelled' && a.cancel_reason)
        );
      }),
      'a group appointment where one attendee cancelled'
    );
    // Reschedules: same id, later updated_at, new start.
    assert.ok(
      sim.appointments.some((a) => new Set(a.snapshots.map((s) => s.start)).size > 1),
      'a reschedule'
    );
    // Meeting methods 1–4, video calls with a join link.
    assert.deepEqual([...new Set(finals.map((s) => s.meeting_method))].sort(), [1, 2, 3, 4]);
    for (const s of snaps) assert.equal(s.meeting_method === 3, s.meeting_link !== null);
    // Every branch zone is used.
    assert.deepEqual([...new Set(finals.map((s) => s.timezone))].sort(), [
      'America/Halifax',
      'America/Toronto',
      'America/Vancouver',
      'America/Winnipeg'
    ]);
    // Clients: new, returning and the ones tied to Salesforce records.
    const kinds = new Set(sim.clients.map((c) => c.kind));
    for (const k of [
      'new',
      'returning',
      'email-match',
      'phone-match',
      'salesforce-id',
      'converted-lead'
    ])
      assert.ok(kinds.has(k as never), `client kind ${k}`);
    const attendees = snaps.flatMap((s) => s.attendees);
    assert.ok(
      attendees.some((a) => a.external_id === '00Q000000000003AAA'),
      'a converted lead carried by Salesforce Id'
    );
    assert.ok(
      attendees.some(
        (a) =>
          a.email === 'ada@example.org' ||
          a.email === 'alan@example.org' ||
          a.email === 'grace@example.org'
      )
    );
    const returning = sim.clients.find((c) => c.kind === 'returning')!;
    const visits = sim.appointments.filter((a) =>
      a.snapshots[0]!.attendees.some((x) => x.client_id === returning.clientId)
    );
    assert.ok(visits.length >= 2, 'a returning client books more than once');
  });

  it('places appointments and reschedules across daylight-saving transitions', () => {
    for (const [anchor, transition] of [
      ['2026-03-01', '2026-03-08'],
      ['2026-10-25', '2026-11-01']
    ] as const) {
      const sim = generate({ seed: 'dst', anchor, clients: 80 });
      assert.ok(
        sim.dstTransitions.some((t) => t.startsWith(transition)),
        `${anchor}: transition ${transition} chosen`
      );
      const t = Date.parse(`${transition}T07:00:00Z`);
      const near = sim.appointments.filter((a) =>
        a.snapshots.some(
          (s) => Math.abs(localToUtcMillis(s.start, s.timezone) - t) < 7 * 86_400_000
        )
      );
      assert.ok(near.length >= 2, `${anchor}: appointments within a week of ${transition}`);
      const crossing = sim.appointments.filter((a) => {
        const offsets = a.snapshots.map((s) =>
          offsetMinutes(s.timezone, localToUtcMillis(s.start, s.timezone))
        );
        return new Set(offsets).size > 1;
      });
      assert.ok(crossing.length >= 1, `${anchor}: a reschedule crossing ${transition}`);
    }
  });

  it('knows no clients when none are given (every client is new or returning)', () => {
    const sim = generate({ seed: 'alone', anchor: '2026-06-01', clients: 50 });
    assert.ok(sim.clients.every((c) => c.kind === 'new' || c.kind === 'returning'));
    assert.ok(all(sim).every((s) => s.attendees.every((a) => a.external_id === null)));
  });

  it('makes invalid items that the contract rejects with the expected code', () => {
    const sim = generate({ seed: 'bad', anchor: '2026-03-01', clients: 10, includeBad: true });
    assert.ok(sim.bad.length >= 5);
    for (const bad of sim.bad) {
      const errors = validateItem(bad.item);
      assert.ok(
        errors.some((e) => e.code === bad.expectedCode),
        `${bad.reason}: expected ${bad.expectedCode}, got ${JSON.stringify(errors)}`
      );
    }
  });

  it('property: every snapshot is valid per the contract, histories are ordered and times are real local times', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 12 }),
        fc.integer({
          min: Date.parse('2025-01-01T00:00:00Z'),
          max: Date.parse('2028-12-31T00:00:00Z')
        }),
        fc.integer({ min: 1, max: 25 }),
        fc.integer({ min: 1, max: 30 }),
        fc.boolean(),
        (seed, anchorMs, clients, days, withKnown) => {
          const anchor = new Date(anchorMs).toISOString().slice(0, 10);
          const sim = generate({
            seed,
            anchor,
            clients,
            days,
            knownClients: withKnown ? KNOWN : []
          });
          const hours = new Map(BRANCHES.map((b) => [b.location.id, b.hours]));
          for (const a of sim.appointments) {
            assert.ok(a.snapshots.length >= 1);
            let previous = Number.NEGATIVE_INFINITY;
            const created = a.snapshots[0]!.created_at;
            const attendeeIds = a.snapshots[0]!.attendees.map((x) => x.id).join();
            for (const s of a.snapshots) {
              assert.deepEqual(
                validateItem(s, 0, { knownStatusOnly: true }),
                [],
                `valid item ${s.id}`
              );
              assert.equal(s.id, a.id);
              const updated = parseInstant(s.updated_at);
              assert.ok(updated > previous, `updated_at increases (${s.id})`);
              assert.ok(updated <= sim.nowMs, 'nothing after "now"');
              previous = updated;
              assert.equal(s.created_at, created);
              assert.ok(parseInstant(s.created_at) <= updated);
              assert.equal(
                s.attendees.map((x) => x.id).join(),
                attendeeIds,
                'attendees keep their ids'
              );
              assert.match(s.code, /^[A-Z0-9]{16}$/);
              // Local times exist (not in a DST gap) and fall within opening hours.
              for (const local of [s.start, s.end])
                assert.equal(formatLocal(localToUtcMillis(local, s.timezone), s.timezone), local);
              const weekday =
                ((new Date(`${s.start.slice(0, 10)}T12:00:00Z`).getUTCDay() + 6) % 7) + 1;
              const open = hours.get(s.location.id)![weekday];
              assert.ok(open, `${s.start} is an opening day of ${s.location.name}`);
              const minutes = Number(s.start.slice(11, 13)) * 60 + Number(s.start.slice(14, 16));
              assert.ok(minutes >= open[0] && minutes < open[1], `${s.start} within opening hours`);
              assert.ok(
                localToUtcMillis(s.end, s.timezone) > localToUtcMillis(s.start, s.timezone)
              );
            }
          }
        }
      ),
      { numRuns: 40 }
    );
  });
});
