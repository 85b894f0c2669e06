import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { generate, type KnownClient } from './generator.ts';
import { compareAppointment, normalizeStatus, type StoredAppointment } from './reconcile.ts';
import { defaultAnchor } from './main.ts';
import { formatSummary, runSimulation, type RunSummary } from './run.ts';
import { FakeOrg, type FakeOrgOptions } from './testing/fake-org.ts';
import { ClientCredentials, OrgClient } from './transport.ts';
import type { CoconutAppointment } from './types.ts';

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

/** Loses the write of the final snapshot of one multi-snapshot appointment of this simulation. */
function loseFinalUpdate(
  seed: string,
  anchor: string,
  clients: number,
  days = 14
): (item: CoconutAppointment) => boolean {
  const sim = generate({ seed, anchor, clients, days });
  const target = sim.appointments.find((a) => a.snapshots.length >= 2 && a.kind !== 'walk-in')!;
  const last = target.snapshots.at(-1)!;
  return (item) => item.id === last.id && item.updated_at === last.updated_at;
}

async function simulateAgainst(
  fake: FakeOrg,
  overrides: Partial<Parameters<typeof runSimulation>[0]> = {}
): Promise<RunSummary> {
  const client = new OrgClient(
    new ClientCredentials({
      loginUrl: fake.url,
      clientId: fake.clientId,
      clientSecret: fake.clientSecret
    }),
    {
      sleep: async () => undefined
    }
  );
  return runSimulation({
    client,
    apiVersion: '62.0',
    seed: 'fixed-seed',
    anchor: '2026-03-01',
    clients: 40,
    days: 14,
    batchSize: 20,
    ...overrides
  });
}

async function withFake<T>(
  options: FakeOrgOptions,
  body: (fake: FakeOrg) => Promise<T>
): Promise<T> {
  const fake = new FakeOrg(options);
  await fake.start();
  try {
    return await body(fake);
  } finally {
    await fake.stop();
  }
}

describe('runSimulation against an org that applies the upsert rules', () => {
  it('reports zero differences, answers as expected for resends and late snapshots, and pages the queries', async () => {
    await withFake({ known: KNOWN, pageSize: 7 }, async (fake) => {
      const s = await simulateAgainst(fake, { includeBad: true });
      assert.deepEqual(s.reconciliation.differences, []);
      assert.deepEqual(s.expectationMismatches, []);
      assert.deepEqual(s.batchFailures, []);
      assert.equal(s.ok, true);
      assert.match(formatSummary(s), /^OK: every answer was as expected/m);
      assert.equal(s.reconciliation.matching, s.reconciliation.appointments);
      assert.equal(s.reconciliation.appointments, s.generated.appointments);
      assert.equal(s.generated.knownClients, KNOWN.length);
      // Every kind of disorder was exercised and answered as the contract says.
      const k = s.sent.byKind;
      assert.ok(k.resend!.sent > 0 && k.late!.sent > 0 && k['duplicate-in-batch']!.sent > 0);
      assert.ok((k.resend!.byStatus.unchanged ?? 0) > 0, 'resends answered unchanged');
      assert.equal(k.late!.byStatus.stale, k.late!.sent, 'late snapshots answered stale');
      // The second copy of a snapshot in one request wins (created/updated); the first copy is stale.
      const dup = k['duplicate-in-batch']!.byStatus;
      assert.equal((dup.created ?? 0) + (dup.updated ?? 0), k['duplicate-in-batch']!.sent);
      assert.equal(k.bad!.byStatus.error, s.generated.badItems);
      assert.equal(s.results.created, s.generated.appointments);
      assert.ok(s.results.updated > 0);
      assert.equal(s.results.error, s.generated.badItems);
      // Reconciliation queries were paged (page size 7).
      assert.ok(fake.log.some((l) => /\/query\/cursor\d+-7$/.test(l.path)));
      // Every POST names its request (≤ 64 characters), the same on each attempt.
      const posts = fake.log.filter((l) => l.method === 'POST' && l.path.endsWith('/appointments'));
      assert.ok(
        posts.every((l) => l.requestId && l.requestId.length <= 64 && /-\d+$/.test(l.requestId))
      );
      assert.equal(new Set(posts.map((l) => l.requestId)).size, posts.length);
      // No record was created for the invalid items.
      assert.equal(fake.records.size, s.generated.appointments);
    });
  });

  it('is judged right on a rerun with the same seed (the org already holds the final states)', async () => {
    await withFake({}, async (fake) => {
      const first = await simulateAgainst(fake, { knownClients: 'none' });
      assert.equal(first.ok, true);
      const second = await simulateAgainst(fake, { knownClients: 'none' });
      assert.deepEqual(second.expectationMismatches, []);
      assert.equal(second.ok, true);
      assert.equal(second.results.created, 0);
      assert.equal(second.results.updated, 0);
      assert.ok(second.results.stale > 0 && second.results.unchanged > 0);
    });
  });

  it('survives 429, 503, dropped connections (applied before the drop) and an expired session', async () => {
    await withFake(
      { apexFaults: [429, 503, 'drop', 503], applyBeforeFault: true, expireTokenOnce: true },
      async (fake) => {
        const s = await simulateAgainst(fake, { knownClients: 'none' });
        assert.deepEqual(s.expectationMismatches, []);
        assert.deepEqual(s.reconciliation.differences, []);
        assert.equal(s.ok, true);
        assert.equal(s.transport.tokenRefreshes, 1);
        assert.equal(s.transport.retries, 4);
        assert.equal(fake.tokensIssued, 2);
      }
    );
  });

  it('reports requests that fail after their retries and stops after three in a row', async () => {
    await withFake({ apexFaults: Array.from({ length: 15 }, () => 503) }, async (fake) => {
      const s = await simulateAgainst(fake, { knownClients: 'none' });
      assert.equal(s.ok, false);
      assert.equal(s.sent.requests, 0);
      assert.equal(s.transport.retries, 12, 'four retries for each of three requests');
      assert.deepEqual(
        s.batchFailures.slice(0, 3).map((f) => f.status),
        [503, 503, 503]
      );
      assert.ok(s.batchFailures.slice(3).every((f) => f.message.startsWith('not sent')));
      assert.equal(s.batchFailures.length > 3, true);
      // Nothing was answered, so nothing is reconciled (no misleading differences).
      assert.equal(s.reconciliation.appointments, 0);
      assert.equal(fake.records.size, 0);
    });
  });

  it('reports a lost update as a difference', async () => {
    const lose = loseFinalUpdate('fixed-seed', '2026-03-01', 40);
    await withFake({ loseUpdate: lose }, async (fake) => {
      const s = await simulateAgainst(fake, { knownClients: 'none' });
      assert.equal(s.ok, false);
      assert.ok(s.reconciliation.differences.length >= 1);
      const ids = new Set(s.reconciliation.differences.map((d) => d.coconutId));
      assert.equal(ids.size, 1, 'only the appointment whose update was lost differs');
      assert.ok(s.reconciliation.differences.some((d) => d.field === 'Coconut_Updated_At__c'));
      // Every difference is printed for people, and the verdict.
      const text = formatSummary(s);
      assert.equal(text.match(/^ {2}Difference: /gm)?.length, s.reconciliation.differences.length);
      assert.match(text, /^FAILED: /m);
    });
  });

  it('takes walk-ins the org does not sync by policy as skipped, not as differences', async () => {
    await withFake({ walkInPolicy: 'Never' }, async (fake) => {
      const s = await simulateAgainst(fake, { knownClients: 'none' });
      assert.ok(s.reconciliation.skippedByPolicy.length > 0);
      assert.equal(
        s.reconciliation.skippedByPolicy.length,
        s.generated.appointmentKinds['walk-in']
      );
      assert.deepEqual(s.reconciliation.differences, []);
      assert.equal(s.ok, true);
    });
  });
});

describe('compareAppointment', () => {
  const snapshot: CoconutAppointment = {
    id: 7,
    code: 'ABCDEFGHJKLMNPQR',
    status: 'cancelled',
    start: '2026-03-09 10:00:00',
    end: '2026-03-09 10:30:00',
    timezone: 'America/Toronto',
    meeting_method: 1,
    meeting_link: null,
    booked_through: 9,
    walk_in: false,
    locale: 'en',
    notes: null,
    cancel_reason: 'Feeling unwell',
    created_at: '2026-03-01T10:00:00Z',
    updated_at: '2026-03-05T10:00:00Z',
    location: {
      id: 1,
      name: 'B',
      virtual: false,
      address: null,
      city: null,
      region: null,
      country: 'CA',
      postcode: null,
      timezone: 'America/Toronto'
    },
    services: [],
    staff: null,
    attendees: [
      {
        id: 70,
        status: 'cancelled',
        cancel_reason: null,
        external_id: '003000000000001AAA',
        client_id: 1,
        first_name: 'G',
        last_name: 'H',
        email: null,
        phone: null,
        cell_phone: null,
        address: null,
        city: null,
        region: null,
        country: null,
        postcode: null,
        timezone: 'America/Toronto',
        language: 'en',
        receive_sms: false,
        answers: []
      }
    ]
  };
  const stored: StoredAppointment = {
    Id: 'a01',
    Coconut_Id__c: '7',
    Status__c: 'Cancelled',
    // 10:00 EDT (after the 2026-03-08 transition) = 14:00Z.
    Start__c: '2026-03-09T14:00:00.000+0000',
    End__c: '2026-03-09T14:30:00.000+0000',
    Cancel_Reason__c: 'Feeling unwell',
    Coconut_Updated_At__c: '2026-03-05T10:00:00.000+0000',
    Reschedule_Count__c: 1,
    attendees: [
      {
        Id: 'a02',
        Coconut_Attendee_Id__c: '70',
        Status__c: 'Cancelled',
        Cancel_Reason__c: 'Feeling unwell',
        Lead__c: null,
        Contact__c: '003000000000001',
        Account__c: null
      }
    ]
  };
  const links = new Map([
    ['003000000000001AAA', { field: 'Contact__c' as const, id: '003000000000001AAA' }]
  ]);

  it('finds no difference when the record matches (15- and 18-character ids are the same record)', () => {
    assert.deepEqual(compareAppointment(snapshot, stored, links, 1), []);
  });

  it('lists each differing field', () => {
    const wrong: StoredAppointment = {
      ...stored,
      Status__c: 'Confirmed',
      Start__c: '2026-03-09T15:00:00.000+0000',
      attendees: [{ ...stored.attendees[0]!, Status__c: 'Confirmed', Contact__c: null }]
    };
    const fields = compareAppointment(snapshot, wrong, links, 2).map((d) => d.field);
    assert.deepEqual(fields, [
      'Status__c',
      'Start__c',
      'Reschedule_Count__c',
      'attendees[70].Status__c',
      'attendees[70].Contact__c'
    ]);
    assert.deepEqual(
      compareAppointment(snapshot, { ...stored, attendees: [] }).map((d) => d.field),
      ['attendees.count', 'attendees[70]']
    );
    assert.deepEqual(compareAppointment(snapshot, undefined), [
      { coconutId: '7', field: 'record', expected: 'present', actual: 'missing' }
    ]);
  });

  it('normalizes Coconut statuses like the package', () => {
    assert.equal(normalizeStatus('In Progress'), 'In Progress');
    assert.equal(normalizeStatus('no-show'), 'No Show');
    assert.equal(normalizeStatus('served'), 'Completed');
    assert.equal(normalizeStatus('canceled'), 'Cancelled');
    assert.equal(normalizeStatus('rebooked'), 'Unknown');
  });
});

/** Runs the real CLI entry against the fake org; resolves with exit code and parsed stdout. */
function cli(
  args: string[],
  expectJson = true
): Promise<{ code: number | null; json: { status: number; result: RunSummary }; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'scripts/simulate/main.ts', ...args],
      { stdio: ['ignore', 'pipe', 'pipe'] }
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        resolve({ code, json: expectJson ? JSON.parse(out) : undefined, stderr: err });
      } catch {
        reject(new Error(`CLI printed no JSON (exit ${code}): ${out}\n${err}`));
      }
    });
  });
}

describe('npm run simulate (CLI)', () => {
  it('exits 0 with --json when everything matches, and non-zero when the org lost an update', async () => {
    for (const [options, expectedCode] of [
      [{}, 0],
      [{ loseUpdate: loseFinalUpdate('cli', '2026-10-25', 15) }, 1]
    ] as const) {
      await withFake(options, async (fake) => {
        const { code, json } = await cli([
          '--instance-url',
          fake.url,
          '--client-id',
          fake.clientId,
          '--client-secret',
          fake.clientSecret,
          '--seed',
          'cli',
          '--anchor',
          '2026-10-25',
          '--clients',
          '15',
          '--rate',
          '0',
          '--known-clients',
          'none',
          '--json'
        ]);
        assert.equal(code, expectedCode);
        assert.equal(json.status, expectedCode);
        assert.equal(json.result.ok, expectedCode === 0);
        assert.equal(json.result.reconciliation.differences.length > 0, expectedCode !== 0);
      });
    }
  });

  it('exits 2 with a readable error when the client credentials are refused', async () => {
    await withFake({}, async (fake) => {
      const { code, json } = await cli([
        '--instance-url',
        fake.url,
        '--client-id',
        'nope',
        '--client-secret',
        'x',
        '--json'
      ]);
      assert.equal(code, 2);
      assert.equal((json as unknown as { name: string }).name, 'AuthenticationFailed');
    });
  });

  it('exits 2 on invalid options, naming the option', async () => {
    const { code, stderr } = await cli(['--batch-size', '500', '--json'], false);
    assert.equal(code, 2);
    assert.match(stderr, /--batch-size must be a whole number from 1 to 200/);
  });

  it('defaults the anchor to the date of the most recent 17:00 UTC', () => {
    assert.equal(defaultAnchor(Date.parse('2026-11-29T16:59:59Z')), '2026-11-28');
    assert.equal(defaultAnchor(Date.parse('2026-11-29T17:00:00Z')), '2026-11-29');
    assert.equal(defaultAnchor(Date.parse('2026-03-01T01:00:00Z')), '2026-02-28');
  });
});
