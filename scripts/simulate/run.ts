/**
 * One simulator run: generate, read what the org holds already, send the batches (checking each
 * answer against the expectation model), then reconcile the org against the newest snapshot
 * sent per appointment. Used by the CLI (main.ts) and by other tooling (e.g. `npm start`).
 */
import { ExpectationModel, checkResults, type Mismatch, type StoredState } from './expect.ts';
import { generate, type KnownClient, type Simulation } from './generator.ts';
import { queryKnownClients } from './known-clients.ts';
import { newestSent, planBatches, type PlannedItem } from './plan.ts';
import { compareAppointment, expectedLinks, fetchStored, type Difference } from './reconcile.ts';
import { localToUtcMillis, parseInstant } from './time.ts';
import { AuthError, OrgClient, TransportError, describe } from './transport.ts';
import {
  RESULT_STATUSES,
  type AppointmentsResponse,
  type CoconutAppointment,
  type ItemResult,
  type ResultStatus
} from './types.ts';

export const ENDPOINT = '/services/apexrest/coconut/v1/appointments';

export interface RunOptions {
  client: OrgClient;
  apiVersion: string;
  seed: string;
  anchor: string;
  clients?: number;
  days?: number;
  batchSize?: number;
  includeBad?: boolean;
  /** 'org' (query Leads/Contacts), 'none', or the clients themselves. */
  knownClients?: 'org' | 'none' | KnownClient[];
  onProgress?: (p: Progress) => void;
  onWarning?: (message: string) => void;
}

export interface Progress {
  phase: 'known-clients' | 'before' | 'send' | 'reconcile';
  batch?: number;
  batches?: number;
  items?: number;
  counts?: Record<ResultStatus, number>;
}

export interface BatchFailure {
  batch: number;
  items: number;
  status: number | null;
  message: string;
}

export interface KindCheck {
  sent: number;
  byStatus: Partial<Record<ResultStatus | 'missing', number>>;
}

export interface RunSummary {
  ok: boolean;
  seed: string;
  anchor: string;
  instanceUrl: string;
  auth: string;
  apiVersion: string;
  generated: {
    clients: number;
    clientKinds: Record<string, number>;
    knownClients: number;
    appointments: number;
    appointmentKinds: Record<string, number>;
    dstAppointments: number;
    dstTransitions: string[];
    snapshots: number;
    badItems: number;
  };
  sent: { requests: number; items: number; byKind: Record<string, KindCheck> };
  results: Record<ResultStatus, number>;
  expectationMismatches: Mismatch[];
  batchFailures: BatchFailure[];
  reconciliation: {
    appointments: number;
    matching: number;
    differences: Difference[];
    skippedByPolicy: string[];
    newerInOrg: string[];
  };
  transport: { requests: number; retries: number; tokenRefreshes: number };
  durationMs: number;
}

const zeroCounts = (): Record<ResultStatus, number> =>
  Object.fromEntries(RESULT_STATUSES.map((s) => [s, 0])) as Record<ResultStatus, number>;

const count = <T extends string>(values: T[]): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
};

/** Aligns the results of a 200 answer to the items sent (by `index`, else by position). */
function alignResults(body: unknown, size: number): (ItemResult | undefined)[] | null {
  const results = (body as AppointmentsResponse | null)?.results;
  if (!Array.isArray(results)) return null;
  const aligned: (ItemResult | undefined)[] = new Array(size).fill(undefined);
  results.forEach((r, position) => {
    const i = Number.isInteger(r?.index) ? r.index : position;
    if (i >= 0 && i < size) aligned[i] = { ...r, errors: Array.isArray(r.errors) ? r.errors : [] };
  });
  return aligned;
}

export async function runSimulation(options: RunOptions): Promise<RunSummary> {
  const started = Date.now();
  const { client, apiVersion } = options;
  const warn = options.onWarning ?? (() => undefined);
  const progress = options.onProgress ?? (() => undefined);
  const session = await client.session();

  // 1. Clients the org already knows.
  let known: KnownClient[] = [];
  if (Array.isArray(options.knownClients)) known = options.knownClients;
  else if ((options.knownClients ?? 'org') === 'org') {
    progress({ phase: 'known-clients' });
    try {
      known = await queryKnownClients(client, apiVersion);
    } catch (err) {
      if (err instanceof AuthError) throw err;
      warn(
        `could not read Leads/Contacts to match (${err instanceof Error ? err.message : String(err)}); all clients will be new`
      );
    }
  }

  // 2. Activity and batches.
  const sim: Simulation = generate({
    seed: options.seed,
    anchor: options.anchor,
    clients: options.clients,
    days: options.days,
    knownClients: known,
    includeBad: options.includeBad
  });
  const batches = planBatches(sim, { batchSize: options.batchSize });
  const allIds = [...new Set(batches.flat().map((i) => i.coconutId))];
  const runTag = started.toString(36);

  // 3. What the org holds before this run.
  progress({ phase: 'before' });
  const before = await fetchStored(client, apiVersion, allIds);
  const initial = new Map<string, StoredState>();
  for (const [id, rec] of before) {
    const ms = rec.Coconut_Updated_At__c
      ? parseInstant(rec.Coconut_Updated_At__c)
      : Number.NEGATIVE_INFINITY;
    initial.set(id, { updatedAtMs: ms, hash: null });
  }
  const model = new ExpectationModel(initial);

  // 4. Send.
  const results = zeroCounts();
  const byKind: Record<string, KindCheck> = {};
  const mismatches: Mismatch[] = [];
  const failures: BatchFailure[] = [];
  /** Start instants of the states applied, per appointment created by this run. */
  const appliedStarts = new Map<string, number[]>();
  let consecutiveFailures = 0;
  let itemsSent = 0;
  /** Requests the org answered with results (failed ones are reported, not reconciled). */
  const answered: PlannedItem[][] = [];
  for (let b = 0; b < batches.length; b++) {
    const batch = batches[b]!;
    if (consecutiveFailures >= 3) {
      failures.push({
        batch: b + 1,
        items: batch.length,
        status: null,
        message: 'not sent: three requests in a row failed'
      });
      continue;
    }
    let answer;
    try {
      // The same request id on every attempt, so the org's sync log ties retries together.
      answer = await client.request(
        'POST',
        ENDPOINT,
        { appointments: batch.map((i) => i.item) },
        { 'X-Request-Id': `coconut-sim-${sim.idBase}-${runTag}-${b + 1}` }
      );
    } catch (err) {
      if (err instanceof AuthError) throw err;
      if (!(err instanceof TransportError)) throw err;
      failures.push({
        batch: b + 1,
        items: batch.length,
        status: err.status,
        message: err.message
      });
      consecutiveFailures++;
      continue;
    }
    const aligned = answer.status === 200 ? alignResults(answer.body, batch.length) : null;
    if (!aligned) {
      failures.push({
        batch: b + 1,
        items: batch.length,
        status: answer.status,
        message: `HTTP ${answer.status}: ${describe(answer.body)}`
      });
      consecutiveFailures++;
      continue;
    }
    consecutiveFailures = 0;
    answered.push(batch);
    itemsSent += batch.length;
    const expectations = model.expect(batch, answer.ambiguous);
    mismatches.push(...checkResults(b + 1, batch, expectations, aligned));
    model.apply(batch, aligned);
    batch.forEach((item, i) => {
      const status = aligned[i]?.status;
      if (item.kind === 'bad' || initial.has(item.coconutId)) return;
      if (status !== 'created' && status !== 'updated' && status !== 'unchanged') return;
      const snapshot = item.item as unknown as CoconutAppointment;
      const starts = appliedStarts.get(item.coconutId) ?? [];
      starts.push(localToUtcMillis(snapshot.start, snapshot.timezone));
      appliedStarts.set(item.coconutId, starts);
    });
    batch.forEach((item: PlannedItem, i) => {
      const status = aligned[i]?.status;
      const kind = (byKind[item.kind] ??= { sent: 0, byStatus: {} });
      kind.sent++;
      const key = status && RESULT_STATUSES.includes(status) ? status : 'missing';
      kind.byStatus[key] = (kind.byStatus[key] ?? 0) + 1;
      if (status && RESULT_STATUSES.includes(status)) results[status]++;
    });
    progress({
      phase: 'send',
      batch: b + 1,
      batches: batches.length,
      items: itemsSent,
      counts: { ...results }
    });
  }

  // 5. Reconcile against the newest snapshot sent per appointment.
  progress({ phase: 'reconcile' });
  const newest = newestSent(answered);
  const after = await fetchStored(client, apiVersion, [
    ...new Set([...newest.keys(), ...sim.bad.map((b) => String(b.id))])
  ]);
  const links = expectedLinks(known);
  const differences: Difference[] = [];
  const skipped: string[] = [];
  const newerInOrg: string[] = [];
  let matching = 0;
  for (const [id, item] of newest) {
    if (model.skippedByPolicy.has(id)) {
      skipped.push(id);
      continue;
    }
    const prior = initial.get(id);
    if (prior && prior.updatedAtMs > item.updatedAtMs) {
      newerInOrg.push(id);
      continue;
    }
    const starts = appliedStarts.get(id);
    const reschedules = starts
      ? starts.filter((t, i) => i > 0 && t !== starts[i - 1]).length
      : undefined;
    const diffs = compareAppointment(
      item.item as unknown as CoconutAppointment,
      after.get(id),
      links,
      reschedules
    );
    if (diffs.length === 0) matching++;
    differences.push(...diffs);
  }
  for (const bad of sim.bad) {
    const id = String(bad.id);
    if (!before.has(id) && after.has(id)) {
      differences.push({
        coconutId: id,
        field: 'record',
        expected: `absent (invalid item: ${bad.reason})`,
        actual: 'present'
      });
    }
  }

  const summary: RunSummary = {
    ok: false,
    seed: sim.seed,
    anchor: sim.anchor,
    instanceUrl: session.instanceUrl,
    auth: client.tokens.description,
    apiVersion,
    generated: {
      clients: sim.clients.length,
      clientKinds: count(sim.clients.map((c) => c.kind)),
      knownClients: known.length,
      appointments: sim.appointments.length,
      appointmentKinds: count(sim.appointments.map((a) => a.kind)),
      dstAppointments: sim.appointments.filter((a) => a.dst).length,
      dstTransitions: sim.dstTransitions,
      snapshots: sim.appointments.reduce((n, a) => n + a.snapshots.length, 0),
      badItems: sim.bad.length
    },
    sent: { requests: answered.length, items: itemsSent, byKind },
    results,
    expectationMismatches: mismatches,
    batchFailures: failures,
    reconciliation: {
      appointments: newest.size,
      matching,
      differences,
      skippedByPolicy: skipped,
      newerInOrg
    },
    transport: { ...client.stats },
    durationMs: Date.now() - started
  };
  summary.ok = differences.length === 0 && mismatches.length === 0 && failures.length === 0;
  return summary;
}

/** The summary for people. */
export function formatSummary(s: RunSummary): string {
  const lines: string[] = [];
  const kinds = (r: Record<string, number>): string =>
    Object.entries(r)
      .map(([k, v]) => `${v} ${k}`)
      .join(', ');
  lines.push(
    `Coconut simulator — seed "${s.seed}", anchor ${s.anchor}, ${s.instanceUrl} (${s.auth})`
  );
  lines.push(
    `Generated ${s.generated.clients} clients (${kinds(s.generated.clientKinds)}; ${s.generated.knownClients} known Salesforce records), ` +
      `${s.generated.appointments} appointments (${kinds(s.generated.appointmentKinds)}; ${s.generated.dstAppointments} around DST ${s.generated.dstTransitions.map((t) => t.slice(0, 10)).join(' and ')}), ` +
      `${s.generated.snapshots} snapshots${s.generated.badItems ? `, ${s.generated.badItems} invalid items` : ''}.`
  );
  lines.push(
    `Sent ${s.sent.items} items in ${s.sent.requests} requests (${s.transport.retries} retries, ${s.transport.tokenRefreshes} token refreshes).`
  );
  lines.push(`Results: ${RESULT_STATUSES.map((k) => `${s.results[k]} ${k}`).join(', ')}.`);
  for (const [kind, check] of Object.entries(s.sent.byKind)) {
    if (kind === 'snapshot') continue;
    lines.push(
      `  ${kind}: ${check.sent} sent → ${kinds(check.byStatus as Record<string, number>)}`
    );
  }
  for (const f of s.batchFailures)
    lines.push(`Request ${f.batch} (${f.items} items) failed: ${f.message}`);
  if (s.expectationMismatches.length > 1) {
    const byCause = count(
      s.expectationMismatches.map((m) =>
        m.errors?.length ? m.errors.map((e) => e.code).join('+') : `${m.expected}→${m.actual}`
      )
    );
    lines.push(
      `${s.expectationMismatches.length} unexpected answers: ${Object.entries(byCause)
        .map(([cause, n]) => `${n} × ${cause}`)
        .join(', ')}`
    );
  }
  for (const m of s.expectationMismatches) {
    lines.push(
      `Unexpected answer: request ${m.batch} item ${m.index} (appointment ${m.coconutId}, ${m.kind}): expected ${m.expected} (${m.why}), got ${m.actual}` +
        (m.errors?.length
          ? ` — ${m.errors.map((e) => `${e.code} ${e.field ?? ''}: ${e.message}`).join('; ')}`
          : '')
    );
  }
  const r = s.reconciliation;
  lines.push(
    `Reconciliation: ${r.matching} of ${r.appointments} appointments match the newest state sent.`
  );
  if (r.skippedByPolicy.length)
    lines.push(
      `  ${r.skippedByPolicy.length} walk-ins not synced by the org's Walk_In_Sync__c setting (not compared).`
    );
  if (r.newerInOrg.length)
    lines.push(
      `  ${r.newerInOrg.length} appointments hold a newer state from before this run (not compared).`
    );
  for (const d of r.differences) {
    lines.push(
      `  Difference: appointment ${d.coconutId} ${d.field}: expected ${JSON.stringify(d.expected)}, org has ${JSON.stringify(d.actual)}`
    );
  }
  lines.push(
    s.ok
      ? 'OK: every answer was as expected and the org matches what was sent.'
      : 'FAILED: see the differences above. Check the sync log (Coconut_Sync_Log__c) and the Apex logs for why.'
  );
  return lines.join('\n');
}
