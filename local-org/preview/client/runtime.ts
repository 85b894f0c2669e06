// Browser side of the preview: what the platform modules (@salesforce/apex, i18n, user,
// lightning/navigation) do in Lightning Experience, backed by the local org. Compiled into the
// page bundle by bundle.ts; the page sets window.__LOCAL_ORG_PREVIEW__ before loading it.

export interface PreviewContext {
  userId: string;
  timeZone: string;
  locale: string;
  lang: string;
  labels: Record<string, string>;
}

interface PreviewWindow {
  __LOCAL_ORG_PREVIEW__?: PreviewContext;
}

export function context(): PreviewContext {
  const c = (globalThis as unknown as PreviewWindow).__LOCAL_ORG_PREVIEW__;
  if (!c) throw new Error('local-org preview: the page did not set __LOCAL_ORG_PREVIEW__');
  return c;
}

// ── Apex ────────────────────────────────────────────────────────────────────────────────

/** The error object Lightning hands to components for a failed Apex call. */
export interface ApexCallError {
  status: number;
  statusText: string;
  ok: false;
  headers: Record<string, string>;
  body: {
    message: string;
    exceptionType?: string;
    isUserDefinedException?: boolean;
    stackTrace?: string;
  };
}

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const k of Object.keys(v as object)) deepFreeze((v as Record<string, unknown>)[k]);
  }
  return v;
}

async function postJson(path: string, payload: unknown): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(path, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-Local-Org-Preview': '1' },
      body: JSON.stringify(payload)
    });
  } catch (err) {
    const e: ApexCallError = {
      status: 0,
      statusText: 'Network error',
      ok: false,
      headers: {},
      body: { message: `The local org did not answer: ${(err as Error).message}` }
    };
    throw e;
  }
  const text = await res.text();
  const json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  if (!res.ok) {
    const e: ApexCallError = {
      status: res.status,
      statusText: res.statusText,
      ok: false,
      headers: {},
      body: json as ApexCallError['body']
    };
    throw e;
  }
  return json.returnValue ?? null;
}

function stableKey(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'undefined';
  if (Array.isArray(v)) return `[${v.map(stableKey).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${stableKey(o[k])}`)
    .join(',')}}`;
}

function callApex(
  className: string,
  methodName: string,
  params: Record<string, unknown> | undefined,
  cacheable: boolean
): Promise<unknown> {
  return postJson('/preview/apex', { className, methodName, params: params ?? {}, cacheable });
}

type DataCallback = (value: unknown) => void;

interface WireEntry {
  value: Promise<unknown> | undefined;
  adapters: Set<ApexWireInstance>;
}

/** Wired cacheable results by method + parameters (Lightning Data Service's Apex cache). */
const wireCache = new Map<string, WireEntry>();
/** Provisioned value → how to refresh it (refreshApex). */
const refreshers = new WeakMap<object, () => Promise<void>>();

interface ApexWireInstance {
  emit(data: unknown, error: unknown): void;
}

function fetchInto(key: string, load: () => Promise<unknown>): Promise<void> {
  let entry = wireCache.get(key);
  if (!entry) wireCache.set(key, (entry = { value: undefined, adapters: new Set() }));
  const current = entry;
  const p = load().then(deepFreeze);
  current.value = p;
  return p.then(
    (data) => {
      if (current.value === p) for (const a of current.adapters) a.emit(data, undefined);
    },
    (error: unknown) => {
      if (current.value === p) {
        current.value = undefined;
        for (const a of current.adapters) a.emit(undefined, error);
      }
    }
  );
}

function apexWireAdapter(className: string, methodName: string): new (cb: DataCallback) => object {
  return class ApexWire implements ApexWireInstance {
    private readonly callback: DataCallback;
    private key: string | undefined;
    private connected = false;
    private config: Record<string, unknown> | undefined;

    constructor(callback: DataCallback) {
      this.callback = callback;
    }

    emit(data: unknown, error: unknown): void {
      if (!this.connected) return;
      const value = { data, error };
      const key = this.key;
      const config = this.config;
      refreshers.set(value, () =>
        key && config
          ? fetchInto(key, () => callApex(className, methodName, config, true))
          : Promise.resolve()
      );
      this.callback(value);
    }

    connect(): void {
      this.connected = true;
      if (this.key) this.subscribe();
    }

    disconnect(): void {
      this.connected = false;
      if (this.key) wireCache.get(this.key)?.adapters.delete(this);
    }

    update(config: Record<string, unknown>): void {
      // Like the platform: nothing is fetched while a parameter is still undefined.
      if (Object.values(config).some((v) => v === undefined)) return;
      const key = `${className}.${methodName}:${stableKey(config)}`;
      if (key === this.key) return;
      if (this.key) wireCache.get(this.key)?.adapters.delete(this);
      this.key = key;
      this.config = { ...config };
      this.subscribe();
    }

    private subscribe(): void {
      const key = this.key!;
      const config = this.config!;
      let entry = wireCache.get(key);
      if (!entry) wireCache.set(key, (entry = { value: undefined, adapters: new Set() }));
      entry.adapters.add(this);
      if (entry.value) {
        entry.value.then(
          (data) => {
            if (this.key === key) this.emit(data, undefined);
          },
          () => undefined
        );
      } else {
        void fetchInto(key, () => callApex(className, methodName, config, true));
      }
    }
  };
}

/** The default export of `@salesforce/apex/<Class>.<method>`: callable, and a wire adapter. */
export function apexMethod(className: string, methodName: string) {
  const imperative = (params?: Record<string, unknown>): Promise<unknown> =>
    callApex(className, methodName, params, false).then(deepFreeze);
  (imperative as unknown as { adapter: unknown }).adapter = apexWireAdapter(className, methodName);
  return imperative;
}

/** `refreshApex(wiredValue)` from `@salesforce/apex`. */
export function refreshApex(value: unknown): Promise<void> {
  const refresh = value && typeof value === 'object' ? refreshers.get(value) : undefined;
  if (!refresh) {
    return Promise.reject(
      new Error('refreshApex: the value was not provisioned by a wired Apex method')
    );
  }
  return refresh();
}

/** `getSObjectValue(record, field)` from `@salesforce/apex`. */
export function getSObjectValue(record: Record<string, unknown>, field: unknown): unknown {
  const name =
    typeof field === 'string' ? field : (field as { fieldApiName?: string })?.fieldApiName;
  if (!name) return undefined;
  let cur: unknown = record;
  for (const part of name.split('.')) {
    if (cur === null || cur === undefined) return cur;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

// ── lightning/navigation ────────────────────────────────────────────────────────────────

export interface PageReference {
  type: string;
  attributes?: Record<string, unknown>;
  state?: Record<string, unknown>;
}

function withState(path: string, state: Record<string, unknown> | undefined): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(state ?? {}))
    if (v !== undefined && v !== null) q.set(k, String(v));
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

export function urlFor(ref: PageReference): string {
  const a = ref.attributes ?? {};
  const enc = (v: unknown) => encodeURIComponent(String(v));
  switch (ref.type) {
    case 'standard__recordPage': {
      const action = String(a.actionName ?? 'view');
      if (action !== 'view') {
        throw new Error(`unsupported in local-org: record page action "${action}" (only view)`);
      }
      const path = a.objectApiName
        ? `/lightning/r/${enc(a.objectApiName)}/${enc(a.recordId)}/view`
        : `/lightning/r/${enc(a.recordId)}/view`;
      return withState(path, ref.state);
    }
    case 'standard__objectPage': {
      const action = String(a.actionName ?? 'home');
      if (action !== 'list' && action !== 'home') {
        throw new Error(`unsupported in local-org: object page action "${action}" (list, home)`);
      }
      return withState(`/lightning/o/${enc(a.objectApiName)}/list`, ref.state);
    }
    case 'standard__namedPage':
      if (a.pageName !== 'home') {
        throw new Error(`unsupported in local-org: named page "${String(a.pageName)}" (home)`);
      }
      return withState('/lightning/page/home', ref.state);
    case 'standard__webPage':
      return String(a.url);
    default:
      throw new Error(`unsupported in local-org: page reference type "${ref.type}"`);
  }
}

const Navigate = Symbol('Navigate');
const GenerateUrl = Symbol('GenerateUrl');

type Ctor = new (...args: any[]) => object; // eslint-disable-line @typescript-eslint/no-explicit-any

function navigationMixin<T extends Ctor>(Base: T) {
  return class extends Base {
    [Navigate](ref: PageReference, replace?: boolean): void {
      const url = urlFor(ref);
      if (ref.type === 'standard__webPage') {
        window.open(url, '_blank', 'noopener');
      } else if (replace) {
        window.location.replace(url);
      } else {
        window.location.assign(url);
      }
    }

    [GenerateUrl](ref: PageReference): Promise<string> {
      try {
        return Promise.resolve(urlFor(ref));
      } catch (err) {
        return Promise.reject(err as Error);
      }
    }
  };
}

export const NavigationMixin = Object.assign(navigationMixin, { Navigate, GenerateUrl });

/** The page reference of the current preview URL. */
export function currentPageReference(): PageReference {
  const path = window.location.pathname;
  const state: Record<string, string> = {};
  new URLSearchParams(window.location.search).forEach((v, k) => {
    state[k] = v;
  });
  let m = /^\/lightning\/r\/([^/]+)\/([^/]+)\/view$/.exec(path);
  if (m) {
    return {
      type: 'standard__recordPage',
      attributes: {
        objectApiName: decodeURIComponent(m[1]!),
        recordId: decodeURIComponent(m[2]!),
        actionName: 'view'
      },
      state
    };
  }
  m = /^\/lightning\/o\/([^/]+)\/list$/.exec(path);
  if (m) {
    return {
      type: 'standard__objectPage',
      attributes: { objectApiName: decodeURIComponent(m[1]!), actionName: 'list' },
      state
    };
  }
  return { type: 'standard__namedPage', attributes: { pageName: 'home' }, state };
}

export class CurrentPageReference {
  private readonly callback: DataCallback;
  constructor(callback: DataCallback) {
    this.callback = callback;
  }
  connect(): void {
    this.callback(deepFreeze(currentPageReference()));
  }
  disconnect(): void {}
  update(): void {}
}

// ── lightning/uiRecordApi ───────────────────────────────────────────────────────────────

/** A field as components name it: 'Contact.Account.Name' or an `@salesforce/schema` import. */
export type FieldId = string | { objectApiName?: string; fieldApiName: string };

interface UiField {
  value: unknown;
  displayValue: string | null;
}

export interface UiRecord {
  apiName: string;
  id: string;
  fields: Record<string, UiField>;
}

function fieldName(f: FieldId): string {
  if (typeof f === 'string') return f;
  return f.objectApiName ? `${f.objectApiName}.${f.fieldApiName}` : f.fieldApiName;
}

function fieldList(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  return (Array.isArray(v) ? v : [v]).map((f) => fieldName(f as FieldId));
}

const recordAdapters = new Set<{ recordId: string | undefined; refresh(): Promise<void> }>();

/** `getRecord` wire adapter: the record's fields as the signed-in user may read them. */
export class getRecord {
  private readonly callback: DataCallback;
  private connected = false;
  private config: Record<string, unknown> | undefined;
  private seq = 0;
  recordId: string | undefined;

  constructor(callback: DataCallback) {
    this.callback = callback;
  }

  connect(): void {
    this.connected = true;
    recordAdapters.add(this);
    if (this.config) void this.refresh();
  }

  disconnect(): void {
    this.connected = false;
    recordAdapters.delete(this);
  }

  update(config: Record<string, unknown>): void {
    if (config.recordId === undefined || config.recordId === null) return;
    if (config.layoutTypes !== undefined || config.modes !== undefined) {
      this.emit(undefined, {
        status: 400,
        statusText: 'Bad Request',
        ok: false,
        headers: {},
        body: {
          message: 'unsupported in local-org: getRecord with layoutTypes/modes (name fields)'
        }
      });
      return;
    }
    this.config = config;
    this.recordId = String(config.recordId);
    if (this.connected) void this.refresh();
  }

  refresh(): Promise<void> {
    const config = this.config;
    if (!config) return Promise.resolve();
    const seq = ++this.seq;
    return postJson('/preview/ui-api/record', {
      recordId: config.recordId,
      fields: fieldList(config.fields),
      optionalFields: fieldList(config.optionalFields)
    }).then(
      (data) => {
        if (seq === this.seq) this.emit(deepFreeze(data), undefined);
      },
      (error: unknown) => {
        if (seq === this.seq) this.emit(undefined, error);
      }
    );
  }

  private emit(data: unknown, error: unknown): void {
    if (!this.connected) return;
    const value = { data, error };
    refreshers.set(value, () => this.refresh());
    this.callback(value);
  }
}

function walk(record: UiRecord | undefined, field: FieldId): UiField | undefined {
  if (!record) return undefined;
  const parts = fieldName(field).split('.');
  // The first part names the record's object ('Contact.Account.Name').
  if (parts.length > 1 && parts[0]!.toLowerCase() === record.apiName.toLowerCase()) parts.shift();
  let rec: UiRecord | undefined = record;
  for (let i = 0; i < parts.length; i++) {
    const f: UiField | undefined = rec?.fields[parts[i]!];
    if (!f) return undefined;
    if (i === parts.length - 1) return f;
    rec = (f.value ?? undefined) as UiRecord | undefined;
  }
  return undefined;
}

export function getFieldValue(record: UiRecord, field: FieldId): unknown {
  return walk(record, field)?.value;
}

export function getFieldDisplayValue(record: UiRecord, field: FieldId): unknown {
  return walk(record, field)?.displayValue;
}

/** Tells wired getRecord adapters that these records changed: they fetch them again. */
export function notifyRecordUpdateAvailable(items: { recordId: string }[]): Promise<void> {
  const ids = new Set(items.map((i) => i.recordId));
  return Promise.all(
    [...recordAdapters].filter((a) => a.recordId && ids.has(a.recordId)).map((a) => a.refresh())
  ).then(() => undefined);
}
