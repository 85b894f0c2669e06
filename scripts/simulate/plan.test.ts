import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ExpectationModel, checkResults, itemHash } from './expect.ts';
import { generate } from './generator.ts';
import { newestSent, planBatches, type PlannedItem } from './plan.ts';
import type { ItemResult } from './types.ts';

const sim = generate({
  seed: 'plan',
  anchor: '2026-03-01',
  clients: 120,
  days: 14,
  includeBad: true
});

describe('planBatches', () => {
  const batches = planBatches(sim, { batchSize: 25 });
  const flat = batches.flat();

  it('respects the batch size and keeps one item per appointment per batch (except deliberate duplicates)', () => {
    for (const batch of batches) {
      assert.ok(batch.length >= 1 && batch.length <= 25);
      const ids = batch.filter((i) => i.kind !== 'duplicate-in-batch').map((i) => i.coconutId);
      assert.equal(new Set(ids).size, ids.length);
    }
  });

  it('sends every snapshot, in order per appointment, except the ones held back as late', () => {
    for (const a of sim.appointments) {
      const sent = flat
        .filter((i) => i.coconutId === String(a.id) && i.kind === 'snapshot')
        .map((i) => i.snapshotIndex);
      const late = flat
        .filter((i) => i.coconutId === String(a.id) && i.kind === 'late')
        .map((i) => i.snapshotIndex);
      assert.deepEqual(
        [...sent].sort((x, y) => x - y),
        sent,
        `in order for ${a.id}`
      );
      assert.deepEqual(
        [...sent, ...late].sort((x, y) => x - y),
        a.snapshots.map((_, i) => i)
      );
    }
  });

  it('includes resends, late deliveries, duplicates in one request and the invalid items', () => {
    const kinds = new Set(flat.map((i) => i.kind));
    for (const k of ['snapshot', 'resend', 'late', 'duplicate-in-batch', 'bad'])
      assert.ok(kinds.has(k as PlannedItem['kind']), k);
    assert.equal(flat.filter((i) => i.kind === 'bad').length, sim.bad.length);
    // A late snapshot always arrives after a newer snapshot of its appointment.
    const position = new Map<PlannedItem, number>();
    batches.forEach((b, n) => b.forEach((i) => position.set(i, n)));
    for (const late of flat.filter((i) => i.kind === 'late')) {
      const newer = flat.find(
        (i) =>
          i.coconutId === late.coconutId &&
          i.kind === 'snapshot' &&
          i.snapshotIndex === late.snapshotIndex + 1
      )!;
      assert.ok(position.get(late)! > position.get(newer)!);
    }
  });

  it('is deterministic and refuses batch sizes beyond the contract', () => {
    assert.equal(JSON.stringify(planBatches(sim, { batchSize: 25 })), JSON.stringify(batches));
    assert.throws(() => planBatches(sim, { batchSize: 201 }), /1 to 200/);
    assert.throws(() => planBatches(sim, { batchSize: 0 }), /1 to 200/);
  });

  it('newestSent picks the newest snapshot per appointment, never a bad item', () => {
    const newest = newestSent(batches);
    assert.equal(newest.size, sim.appointments.length);
    for (const a of sim.appointments)
      assert.equal(newest.get(String(a.id))!.item, a.snapshots.at(-1));
  });
});

describe('ExpectationModel', () => {
  const a = sim.appointments.find((x) => x.snapshots.length >= 3)!;
  const item = (i: number, kind: PlannedItem['kind'] = 'snapshot'): PlannedItem => ({
    coconutId: String(a.id),
    kind,
    snapshotIndex: i,
    updatedAtMs: Date.parse(a.snapshots[i]!.updated_at),
    item: a.snapshots[i] as unknown as Record<string, unknown>
  });
  const ok = (status: ItemResult['status']): ItemResult => ({
    index: 0,
    coconutId: String(a.id),
    status,
    appointmentId: 'a01',
    attendees: [],
    errors: []
  });

  it('expects created, then updated, unchanged for a resend and stale for an older snapshot', () => {
    const model = new ExpectationModel();
    assert.equal(model.expect([item(0)])[0]!.status, 'created');
    model.apply([item(0)], [ok('created')]);
    assert.equal(model.expect([item(2)])[0]!.status, 'updated');
    model.apply([item(2)], [ok('updated')]);
    assert.equal(model.expect([item(2, 'resend')])[0]!.status, 'unchanged');
    assert.equal(model.expect([item(1, 'late')])[0]!.status, 'stale');
    assert.deepEqual(model.get(String(a.id)), {
      updatedAtMs: item(2).updatedAtMs,
      hash: itemHash(a.snapshots[2])
    });
  });

  it('in one request the newest item wins and the others are stale', () => {
    const model = new ExpectationModel();
    const e = model.expect([item(1), item(0), item(1, 'duplicate-in-batch')]);
    assert.deepEqual(
      e.map((x) => x.status),
      ['stale', 'stale', 'created']
    );
  });

  it('starts from the state the org held before the run', () => {
    const model = new ExpectationModel(
      new Map([[String(a.id), { updatedAtMs: item(1).updatedAtMs, hash: null }]])
    );
    assert.equal(model.expect([item(0)])[0]!.status, 'stale');
    const same = model.expect([item(1)])[0]!;
    assert.equal(same.status, 'unchanged');
    assert.deepEqual(same.alsoAccepted, ['updated'], 'content of a pre-existing state is unknown');
    assert.equal(model.expect([item(2)])[0]!.status, 'updated');
  });

  it('accepts unchanged after an ambiguous retry, and checks error codes of bad items', () => {
    const model = new ExpectationModel();
    const e = model.expect([item(0)], true);
    assert.deepEqual(checkResults(1, [item(0)], e, [ok('unchanged')]), []);
    const bad: PlannedItem = { ...item(0), kind: 'bad', expectedCode: 'INVALID_ENUM' };
    const eb = model.expect([bad]);
    const wrongCode = {
      ...ok('error'),
      errors: [{ code: 'INVALID_TYPE', field: 'x', message: 'm' }]
    };
    assert.equal(checkResults(1, [bad], eb, [wrongCode]).length, 1);
    const rightCode = {
      ...ok('error'),
      errors: [{ code: 'INVALID_ENUM', field: 'x', message: 'm' }]
    };
    assert.deepEqual(checkResults(1, [bad], eb, [rightCode]), []);
    const mismatch = checkResults(1, [item(0)], model.expect([item(0)]), [ok('stale')]);
    assert.equal(mismatch.length, 1);
    assert.equal(mismatch[0]!.expected, 'created');
    assert.equal(mismatch[0]!.actual, 'stale');
  });
});
