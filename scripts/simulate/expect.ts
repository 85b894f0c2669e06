/**
 * What the package should answer for each item, from the rules of the contract:
 * - invalid item → `error`;
 * - several items of one appointment in a request: the newest `updated_at` wins (ties: the
 *   later item), the others are `stale` (warning DUPLICATE_IN_BATCH);
 * - no stored appointment → `created`;
 * - older `updated_at` than stored → `stale`;
 * - same `updated_at` and same content → `unchanged`;
 * - otherwise → `updated`.
 * The model starts from what the org held before the run (so reruns with the same seed are
 * judged correctly) and advances with each batch.
 */
import { createHash } from 'node:crypto';
import type { PlannedItem } from './plan.ts';
import type { ItemResult, ResultStatus } from './types.ts';

export interface StoredState {
  updatedAtMs: number;
  /** Hash of the item last applied by this run; null when the state predates the run. */
  hash: string | null;
}

export interface Expectation {
  status: ResultStatus;
  /** Other answers that are also right (e.g. `unchanged` after an ambiguous retry). */
  alsoAccepted: ResultStatus[];
  why: string;
}

export interface Mismatch {
  batch: number;
  index: number;
  coconutId: string;
  kind: PlannedItem['kind'];
  expected: ResultStatus;
  actual: ResultStatus | 'missing';
  why: string;
  errors?: ItemResult['errors'];
}

/** Hash of an item with sorted keys (same idea as the package's Sync_Hash__c). */
export function itemHash(item: unknown): string {
  return createHash('sha256').update(canonical(item)).digest('hex');
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export class ExpectationModel {
  private readonly stored: Map<string, StoredState>;
  /** Appointments the org chose not to sync (walk-in policy): not expected to exist. */
  readonly skippedByPolicy = new Set<string>();

  constructor(before: Map<string, StoredState> = new Map()) {
    this.stored = new Map(before);
  }

  get(coconutId: string): StoredState | undefined {
    return this.stored.get(coconutId);
  }

  /** Expected answers for one request, in item order. */
  expect(batch: readonly PlannedItem[], ambiguousRetry = false): Expectation[] {
    const winner = new Map<string, number>();
    batch.forEach((item, i) => {
      if (item.kind === 'bad') return;
      const w = winner.get(item.coconutId);
      if (w === undefined || item.updatedAtMs >= batch[w]!.updatedAtMs)
        winner.set(item.coconutId, i);
    });
    return batch.map((item, i) => {
      if (item.kind === 'bad')
        return {
          status: 'error',
          alsoAccepted: [],
          why: `invalid on purpose (${item.expectedCode})`
        };
      if (winner.get(item.coconutId) !== i) {
        return {
          status: 'stale',
          alsoAccepted: [],
          why: 'a newer or equal item of the same appointment is in the same request'
        };
      }
      const stored = this.stored.get(item.coconutId);
      let e: Expectation;
      if (!stored)
        e = { status: 'created', alsoAccepted: [], why: 'first state of this appointment' };
      else if (item.updatedAtMs < stored.updatedAtMs)
        e = { status: 'stale', alsoAccepted: [], why: 'older than the stored state' };
      else if (item.updatedAtMs === stored.updatedAtMs) {
        e =
          stored.hash === null || stored.hash === itemHash(item.item)
            ? {
                status: 'unchanged',
                alsoAccepted: stored.hash === null ? ['updated'] : [],
                why: 'same state as stored'
              }
            : { status: 'updated', alsoAccepted: [], why: 'same updated_at, different content' };
      } else e = { status: 'updated', alsoAccepted: [], why: 'newer than the stored state' };
      if (ambiguousRetry && (e.status === 'created' || e.status === 'updated')) {
        // An earlier attempt of this request may have been applied before the connection failed.
        e.alsoAccepted = [...e.alsoAccepted, 'unchanged'];
      }
      return e;
    });
  }

  /**
   * Advances the model with the answers the org gave (items answered as expected are applied;
   * walk-ins the org skips by policy are remembered).
   */
  apply(batch: readonly PlannedItem[], results: readonly (ItemResult | undefined)[]): void {
    batch.forEach((item, i) => {
      const result = results[i];
      if (!result || item.kind === 'bad') return;
      if (result.warnings?.some((w) => w.code === 'WALK_IN_NOT_SYNCED')) {
        this.skippedByPolicy.add(item.coconutId);
        return;
      }
      // created/updated: this state is now stored; unchanged: it already was (e.g. written by an
      // attempt whose answer was lost). Stale and error leave the stored state as it was.
      if (
        result.status === 'created' ||
        result.status === 'updated' ||
        result.status === 'unchanged'
      ) {
        this.stored.set(item.coconutId, {
          updatedAtMs: item.updatedAtMs,
          hash: itemHash(item.item)
        });
        this.skippedByPolicy.delete(item.coconutId);
      }
    });
  }
}

/** Compares the answers of one request with the expectations. */
export function checkResults(
  batchNumber: number,
  batch: readonly PlannedItem[],
  expectations: readonly Expectation[],
  results: readonly (ItemResult | undefined)[]
): Mismatch[] {
  const mismatches: Mismatch[] = [];
  batch.forEach((item, i) => {
    const e = expectations[i]!;
    const r = results[i];
    const walkInSkipped =
      r?.status === 'unchanged' && r.warnings?.some((w) => w.code === 'WALK_IN_NOT_SYNCED');
    const codeOk =
      item.kind !== 'bad' ||
      !r ||
      r.status !== 'error' ||
      r.errors.some((x) => x.code === item.expectedCode);
    if (
      r &&
      (r.status === e.status || e.alsoAccepted.includes(r.status) || walkInSkipped) &&
      codeOk
    )
      return;
    mismatches.push({
      batch: batchNumber,
      index: i,
      coconutId: item.coconutId,
      kind: item.kind,
      expected: e.status,
      actual: r ? r.status : 'missing',
      why: codeOk ? e.why : `${e.why}; expected error code ${item.expectedCode}`,
      ...(r && r.errors.length > 0 ? { errors: r.errors } : {})
    });
  });
  return mismatches;
}
