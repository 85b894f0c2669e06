/**
 * Turns a simulation into request batches, in the order Coconut would send them (by
 * updated_at), with deliberate disorder the package must absorb:
 * - `resend`: a snapshot sent again one to three batches later (expected `unchanged`, or
 *   `stale` when a newer snapshot of the appointment got there first);
 * - `late`: an older snapshot held back and sent after a newer one (expected `stale`);
 * - `duplicate-in-batch`: the same snapshot twice in one request (the second copy wins, the
 *   first is `stale` with a DUPLICATE_IN_BATCH warning);
 * - `bad`: invalid items (--include-bad), expected `error`.
 * A batch otherwise holds at most one item per appointment.
 */
import type { Simulation } from './generator.ts';
import { Random } from './prng.ts';
import { parseInstant } from './time.ts';

export const DEFAULT_BATCH_SIZE = 50;
export const MAX_BATCH_SIZE = 200;

export type SendKind = 'snapshot' | 'resend' | 'late' | 'duplicate-in-batch' | 'bad';

export interface PlannedItem {
  /** Coconut appointment id as text (as the results and Coconut_Id__c carry it). */
  coconutId: string;
  kind: SendKind;
  /** Position of the snapshot in the appointment's history (-1 for bad items). */
  snapshotIndex: number;
  updatedAtMs: number;
  item: Record<string, unknown>;
  /** Bad items: the error code the contract gives for the problem. */
  expectedCode?: string;
}

export interface PlanOptions {
  batchSize?: number;
  /** Share of snapshots resent later (default 0.08). */
  resendRate?: number;
  /** Share of multi-snapshot appointments with one snapshot delivered late (default 0.1). */
  lateRate?: number;
  /** Share of snapshots duplicated inside their own batch (default 0.01). */
  inBatchDuplicateRate?: number;
}

export function planBatches(sim: Simulation, options: PlanOptions = {}): PlannedItem[][] {
  const size = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(size) || size < 1 || size > MAX_BATCH_SIZE) {
    throw new RangeError(`batch size must be a whole number from 1 to ${MAX_BATCH_SIZE}`);
  }
  const rng = new Random(`plan|${sim.seed}|${sim.anchor}|${size}`);
  const resendRate = options.resendRate ?? 0.08;
  const lateRate = options.lateRate ?? 0.1;
  const dupRate = options.inBatchDuplicateRate ?? 0.01;

  const stream: PlannedItem[] = [];
  const late: PlannedItem[] = [];
  const lateAfter = new Map<PlannedItem, PlannedItem>();
  for (const history of sim.appointments) {
    const items = history.snapshots.map((snapshot, i) => ({
      coconutId: String(history.id),
      kind: 'snapshot' as SendKind,
      snapshotIndex: i,
      updatedAtMs: parseInstant(snapshot.updated_at),
      item: snapshot as unknown as Record<string, unknown>
    }));
    if (items.length >= 2 && rng.chance(lateRate)) {
      const i = rng.int(0, items.length - 2);
      const held = { ...items[i]!, kind: 'late' as SendKind };
      late.push(held);
      lateAfter.set(held, items[i + 1]!);
      items.splice(i, 1);
    }
    stream.push(...items);
  }
  stream.sort((a, b) => a.updatedAtMs - b.updatedAtMs || Number(a.coconutId) - Number(b.coconutId));

  // Natural batches: each item goes to the first batch with room after the batch holding the
  // appointment's previous snapshot, so an appointment's snapshots keep their order and a batch
  // holds one item per appointment.
  const batches: PlannedItem[][] = [];
  const batchOf = new Map<PlannedItem, number>();
  const lastBatch = new Map<string, number>();
  // A tenth of each batch is kept free for the resends, late snapshots and duplicates below.
  const fill = size >= 4 ? size - Math.max(1, Math.floor(size / 10)) : size;
  let firstOpen = 0;
  for (const item of stream) {
    let b = Math.max(firstOpen, (lastBatch.get(item.coconutId) ?? -1) + 1);
    while (b < batches.length && batches[b]!.length >= fill) b++;
    while (b >= batches.length) batches.push([]);
    batches[b]!.push(item);
    batchOf.set(item, b);
    lastBatch.set(item.coconutId, b);
    while (firstOpen < batches.length && batches[firstOpen]!.length >= fill) firstOpen++;
  }

  const place = (item: PlannedItem, from: number): void => {
    for (let b = from; ; b++) {
      while (b >= batches.length) batches.push([]);
      const batch = batches[b]!;
      if (batch.length < size && !batch.some((x) => x.coconutId === item.coconutId)) {
        batch.push(item);
        return;
      }
    }
  };

  // Late snapshots: one to two batches after the newer snapshot that overtook them.
  for (const held of late) {
    const newer = lateAfter.get(held)!;
    place(held, batchOf.get(newer)! + rng.int(1, 2));
  }
  // Resends of snapshots already sent.
  for (const item of stream) {
    if (rng.chance(resendRate))
      place({ ...item, kind: 'resend' }, batchOf.get(item)! + rng.int(1, 3));
  }
  // Duplicates inside one request (only where the batch has room).
  if (size >= 2 && dupRate > 0 && stream.length > 0) {
    const chosen = stream.filter(() => rng.chance(dupRate));
    if (chosen.length === 0) chosen.push(stream[rng.int(0, stream.length - 1)]!);
    for (const item of chosen) {
      const batch = batches[batchOf.get(item)!]!;
      if (batch.length < size) batch.push({ ...item, kind: 'duplicate-in-batch' });
    }
  }
  // Invalid items, spread over the batches.
  for (const bad of sim.bad) {
    place(
      {
        coconutId: String(bad.id),
        kind: 'bad',
        snapshotIndex: -1,
        updatedAtMs: parseInstant(String(bad.item.updated_at)),
        item: bad.item,
        expectedCode: bad.expectedCode
      },
      rng.int(0, Math.max(0, batches.length - 1))
    );
  }
  return batches.filter((b) => b.length > 0);
}

/** The newest snapshot sent per appointment (bad items excluded). */
export function newestSent(batches: PlannedItem[][]): Map<string, PlannedItem> {
  const newest = new Map<string, PlannedItem>();
  for (const batch of batches) {
    for (const item of batch) {
      if (item.kind === 'bad') continue;
      const seen = newest.get(item.coconutId);
      if (!seen || item.updatedAtMs > seen.updatedAtMs) newest.set(item.coconutId, item);
    }
  }
  return newest;
}
