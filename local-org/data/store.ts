/**
 * In-memory record store. One table per object (id → frozen record). Records are never
 * mutated in place: a write replaces the record object. Snapshots are copy-on-write at
 * table granularity: taking one is O(number of tables); the first write to a table after
 * a snapshot copies that table once.
 */

export type Rec = Readonly<Record<string, unknown>>;

export interface PublishedEvent {
  object: string;
  record: Rec;
  replayId: number;
  /** Whether the event trigger hook has run for it (Test.getEventBus().deliver()). */
  delivered: boolean;
}

/** A lookup cleared by deleting its target (deleteConstraint SetNull), restored on undelete. */
export interface ClearedLookup {
  object: string;
  id: string;
  field: string;
}

export interface StoreSnapshot {
  readonly tables: ReadonlyMap<string, Map<string, Rec>>;
  readonly eventBus: readonly PublishedEvent[];
  readonly clearedLookups: ReadonlyMap<string, readonly ClearedLookup[]>;
}

export class Store {
  private tables = new Map<string, Map<string, Rec>>();
  private shared = new Set<Map<string, Rec>>();
  /** Published platform events (insert on an __e object). */
  eventBus: PublishedEvent[] = [];
  /** Deleted record id → the lookups its deletion set to null. */
  clearedLookups = new Map<string, ClearedLookup[]>();
  /** Id and auto-number sequences are not rolled back (as on the platform). */
  idCounter = 0;
  replayCounter = 0;
  readonly autoNumbers = new Map<string, number>();

  /** Read-only view of a table (never mutate the returned map). */
  table(object: string): ReadonlyMap<string, Rec> {
    return this.tables.get(object) ?? EMPTY;
  }

  tableNames(): string[] {
    return [...this.tables.keys()];
  }

  get(object: string, id: string): Rec | undefined {
    return this.tables.get(object)?.get(id);
  }

  put(object: string, rec: Rec): void {
    const id = rec.Id as string;
    this.writable(object).set(id, Object.freeze({ ...rec }));
  }

  remove(object: string, id: string): void {
    this.writable(object).delete(id);
  }

  private writable(object: string): Map<string, Rec> {
    let t = this.tables.get(object);
    if (!t) {
      t = new Map();
      this.tables.set(object, t);
    } else if (this.shared.has(t)) {
      this.shared.delete(t);
      t = new Map(t);
      this.tables.set(object, t);
    }
    return t;
  }

  snapshot(): StoreSnapshot {
    for (const t of this.tables.values()) this.shared.add(t);
    return {
      tables: new Map(this.tables),
      eventBus: [...this.eventBus],
      clearedLookups: new Map(this.clearedLookups)
    };
  }

  restore(s: StoreSnapshot): void {
    this.tables = new Map(s.tables);
    this.shared = new Set(this.tables.values());
    this.eventBus = s.eventBus.map((e) => ({ ...e }));
    this.clearedLookups = new Map([...s.clearedLookups].map(([k, v]) => [k, [...v]]));
  }

  toJSON(): StoreJSON {
    const tables: Record<string, Rec[]> = {};
    for (const [k, t] of this.tables) tables[k] = [...t.values()];
    return {
      format: 'local-org-store/1',
      idCounter: this.idCounter,
      replayCounter: this.replayCounter,
      autoNumbers: Object.fromEntries(this.autoNumbers),
      tables,
      eventBus: this.eventBus,
      clearedLookups: Object.fromEntries(this.clearedLookups)
    };
  }

  static fromJSON(json: StoreJSON): Store {
    if (json.format !== 'local-org-store/1')
      throw new Error(`unknown store format ${String(json.format)}`);
    const s = new Store();
    s.idCounter = json.idCounter;
    s.replayCounter = json.replayCounter;
    for (const [k, v] of Object.entries(json.autoNumbers)) s.autoNumbers.set(k, v);
    for (const [k, recs] of Object.entries(json.tables)) {
      const t = new Map<string, Rec>();
      for (const r of recs) t.set(r.Id as string, Object.freeze({ ...r }));
      s.tables.set(k, t);
    }
    s.eventBus = json.eventBus.map((e) => ({ ...e }));
    for (const [k, v] of Object.entries(json.clearedLookups ?? {})) s.clearedLookups.set(k, [...v]);
    return s;
  }
}

export interface StoreJSON {
  format: string;
  idCounter: number;
  replayCounter: number;
  autoNumbers: Record<string, number>;
  tables: Record<string, Rec[]>;
  eventBus: PublishedEvent[];
  clearedLookups?: Record<string, ClearedLookup[]>;
}

const EMPTY: ReadonlyMap<string, Rec> = new Map();
