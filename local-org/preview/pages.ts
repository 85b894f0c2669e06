// HTML of the preview pages: SLDS markup shaped like Lightning Experience (global header,
// record highlights, regions), with placeholders the page script fills with the compiled LWCs.
import type { Org } from '../data/org.ts';
import type { FieldDescribe, ObjectDescribe } from '../data/schema-types.ts';
import type { PageLayout, Placement, RegionWidth } from './layout.ts';

export interface PageUser {
  id: string;
  name: string;
  timeZone: string;
  locale: string;
  lang: string;
}

export function esc(v: unknown): string {
  return String(v ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** JSON that is safe inside a <script> element or an attribute. */
function scriptJson(v: unknown): string {
  return JSON.stringify(v)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026');
}

/** Objects with a list page in the navigation bar (those that exist in the org). */
export const NAV_OBJECTS = ['Lead', 'Contact', 'Account', 'Opportunity'];

/** Salesforce's default compact-layout fields for the standard objects clients live on. */
const KEY_FIELDS: Record<string, string[]> = {
  lead: ['Title', 'Company', 'Phone', 'Email', 'Status'],
  contact: ['Title', 'Account.Name', 'Phone', 'Email'],
  account: ['Type', 'Phone', 'Website', 'Industry'],
  opportunity: ['Account.Name', 'CloseDate', 'Amount', 'StageName'],
  user: ['Title', 'Email', 'Phone']
};

const OBJECT_ICONS: Record<string, string> = {
  lead: 'lead',
  contact: 'contact',
  account: 'account',
  opportunity: 'opportunity',
  user: 'user',
  event: 'event',
  task: 'task',
  case: 'case'
};

function iconFor(obj: ObjectDescribe): string {
  return OBJECT_ICONS[obj.name.toLowerCase()] ?? (obj.custom ? 'custom_notification' : 'record');
}

function objectIcon(obj: ObjectDescribe, size = 'medium'): string {
  const name = iconFor(obj);
  return `<span class="slds-icon_container slds-icon-standard-${esc(name.replace(/_/g, '-'))}" title="${esc(obj.label)}">
  <svg class="slds-icon slds-icon_${size}" aria-hidden="true"><use href="/assets/icons/standard-sprite/svg/symbols.svg#${esc(name)}"></use></svg>
  <span class="slds-assistive-text">${esc(obj.label)}</span></span>`;
}

function shell(opts: {
  title: string;
  user: PageUser;
  bundleUrl: string | undefined;
  orgObjects: ObjectDescribe[];
  body: string;
  active?: string;
}): string {
  const nav = [
    `<li class="slds-context-bar__item${opts.active === 'home' ? ' slds-is-active' : ''}"><a class="slds-context-bar__label-action" href="/lightning/page/home"><span class="slds-truncate">Home</span></a></li>`,
    ...opts.orgObjects.map(
      (o) =>
        `<li class="slds-context-bar__item${opts.active === o.name ? ' slds-is-active' : ''}"><a class="slds-context-bar__label-action" href="/lightning/o/${esc(o.name)}/list"><span class="slds-truncate">${esc(o.labelPlural)}</span></a></li>`
    )
  ].join('\n');
  const context = {
    userId: opts.user.id,
    timeZone: opts.user.timeZone,
    locale: opts.user.locale,
    lang: opts.user.lang,
    labels: {}
  };
  const mount = opts.bundleUrl
    ? `<script>window.__LOCAL_ORG_PREVIEW__ = ${scriptJson(context)};</script>
<script type="module">
import ${scriptJson(opts.bundleUrl)};
const { createElement, components } = window.__LOCAL_ORG_PREVIEW_COMPONENTS__;
for (const host of document.querySelectorAll('[data-lwc]')) {
  const tag = host.getAttribute('data-lwc');
  const el = createElement(tag, { is: components[tag] });
  Object.assign(el, JSON.parse(host.getAttribute('data-props')));
  host.appendChild(el);
}
document.documentElement.setAttribute('data-preview-ready', 'true');
</script>`
    : `<script>document.documentElement.setAttribute('data-preview-ready', 'true');</script>`;
  return `<!doctype html>
<html lang="${esc(opts.user.lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(opts.title)} | local-org</title>
<link rel="stylesheet" href="/assets/styles/salesforce-lightning-design-system.min.css">
<style>
  body { background: #b0c4df; min-height: 100vh; }
  .lo-page { padding: 0.75rem; }
  .lo-region > * + * { margin-top: 0.75rem; display: block; }
  .lo-unsupported { border: 1px dashed #c23934; }
</style>
</head>
<body>
<div class="slds-context-bar" role="navigation" aria-label="Global">
  <div class="slds-context-bar__primary">
    <div class="slds-context-bar__item slds-no-hover">
      <span class="slds-context-bar__label-action slds-context-bar__app-name"><span class="slds-truncate" title="local-org">local-org</span></span>
    </div>
  </div>
  <nav class="slds-context-bar__secondary" role="navigation"><ul class="slds-grid">${nav}</ul></nav>
  <div class="slds-context-bar__tertiary slds-col_bump-left slds-p-right_medium slds-grid slds-grid_vertical-align-center">
    <span class="lo-user slds-text-body_small" title="Signed in as">${esc(opts.user.name)} · ${esc(opts.user.timeZone)}</span>
  </div>
</div>
<main class="lo-page">
${opts.body}
</main>
${mount}
</body>
</html>
`;
}

function fieldValueText(f: FieldDescribe | undefined, v: unknown, user: PageUser): string {
  if (v === null || v === undefined || v === '') return '';
  switch (f?.type) {
    case 'boolean':
      return v ? 'Yes' : 'No';
    case 'currency':
      return typeof v === 'number'
        ? new Intl.NumberFormat(user.locale, { style: 'currency', currency: 'USD' }).format(v)
        : String(v);
    case 'datetime':
      return new Intl.DateTimeFormat(user.locale, {
        dateStyle: 'medium',
        timeStyle: 'short',
        timeZone: user.timeZone || undefined
      }).format(new Date(String(v)));
    case 'date':
      return new Intl.DateTimeFormat(user.locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(
        new Date(`${String(v)}T00:00:00Z`)
      );
    case 'picklist':
      return f.picklistValues?.find((p) => p.value === v)?.label ?? String(v);
    default:
      return String(v);
  }
}

/** The parent record's name for a lookup, when the page queried it (`<Relationship>.<name field>`). */
function lookupHtml(
  org: Org,
  f: FieldDescribe,
  record: Record<string, unknown>,
  id: unknown
): string | undefined {
  if (f.type !== 'reference' || !f.relationshipName || typeof id !== 'string') return undefined;
  const parent = readPath(record, f.relationshipName) as Record<string, unknown> | null | undefined;
  if (!parent || typeof parent !== 'object') return undefined;
  const type = (parent.attributes as { type?: string } | undefined)?.type ?? f.referenceTo[0];
  const parentObj = type ? org.schema.findObject(type) : undefined;
  const name = parentObj?.nameField
    ? readPath(parent, parentObj.nameField)
    : readPath(parent, 'Name');
  if (name === undefined || name === null) return undefined;
  return `<a href="/lightning/r/${esc(id)}/view">${esc(name)}</a>`;
}

function readPath(rec: Record<string, unknown>, path: string): unknown {
  let cur: unknown = rec;
  for (const p of path.split('.')) {
    if (cur === null || cur === undefined || typeof cur !== 'object') return undefined;
    const o = cur as Record<string, unknown>;
    const key = Object.keys(o).find((k) => k.toLowerCase() === p.toLowerCase());
    cur = key === undefined ? undefined : o[key];
  }
  return cur;
}

function fieldOf(org: Org, obj: ObjectDescribe, path: string): FieldDescribe | undefined {
  const parts = path.split('.');
  if (parts.length === 1) return obj.fields.get(path.toLowerCase());
  const rel = obj.fieldList.find(
    (f) => f.relationshipName?.toLowerCase() === parts[0]!.toLowerCase()
  );
  const parent = rel?.referenceTo[0] ? org.schema.findObject(rel.referenceTo[0]) : undefined;
  return parent ? fieldOf(org, parent, parts.slice(1).join('.')) : undefined;
}

export interface RecordPageInput {
  org: Org;
  user: PageUser;
  obj: ObjectDescribe;
  record: Record<string, unknown>;
  keyFields: string[];
  detailFields: string[];
  related: {
    label: string;
    object: ObjectDescribe;
    records: Record<string, unknown>[];
    total: number;
  }[];
  layout: PageLayout;
  bundleUrl: string | undefined;
  navObjects: ObjectDescribe[];
}

/**
 * The highlights fields: the object's assigned compact layout without its first (title) field,
 * Salesforce's default compact layout for the standard client objects, or the first plain fields.
 */
export function keyFieldsFor(obj: ObjectDescribe, compact?: string[]): string[] {
  if (compact && compact.length > 0) {
    return compact.filter((f) => f.toLowerCase() !== obj.nameField?.toLowerCase()).slice(0, 7);
  }
  const preset = KEY_FIELDS[obj.name.toLowerCase()];
  if (preset) return preset;
  return obj.fieldList
    .filter(
      (f) =>
        !f.system &&
        !f.nameField &&
        f.type !== 'id' &&
        f.type !== 'textarea' &&
        f.type !== 'reference'
    )
    .slice(0, 4)
    .map((f) => f.name);
}

function recordName(obj: ObjectDescribe, record: Record<string, unknown>): string {
  const v = obj.nameField ? readPath(record, obj.nameField) : undefined;
  return String(v ?? record.Id ?? '');
}

function placementHtml(
  p: Placement,
  width: RegionWidth,
  input: RecordPageInput | undefined
): string {
  switch (p.kind) {
    case 'lwc': {
      const props: Record<string, unknown> = { ...p.properties, flexipageRegionWidth: width };
      if (input) {
        props.recordId = input.record.Id;
        props.objectApiName = input.obj.name;
      }
      return `<div class="lo-component" data-lwc="${esc(p.bundle.tag)}" data-props="${esc(JSON.stringify(props))}"></div>`;
    }
    case 'highlights':
      return input ? highlightsHtml(input) : '';
    case 'details':
      return input ? detailsHtml(input) : '';
    case 'relatedLists':
      return input ? relatedHtml(input) : '';
    case 'unsupported':
      return `<article class="slds-card lo-unsupported"><div class="slds-card__body slds-card__body_inner slds-p-vertical_small" role="note">unsupported in local-org: component <code>${esc(p.componentName)}</code></div></article>`;
  }
}

function highlightsHtml(input: RecordPageInput): string {
  const { org, obj, record } = input;
  const items = input.keyFields
    .map((path) => {
      const f = fieldOf(org, obj, path);
      const label = path.includes('.')
        ? f
          ? `${path.split('.')[0]} ${f.label}`
          : path
        : (f?.label ?? path);
      const text = fieldValueText(f, readPath(record, path), input.user);
      return `<li class="slds-page-header__detail-block"><div class="slds-text-title slds-truncate" title="${esc(label)}">${esc(label)}</div><div class="slds-truncate lo-key-field" data-field="${esc(path)}" title="${esc(text)}">${esc(text)}</div></li>`;
    })
    .join('');
  return `<div class="slds-page-header slds-page-header_record-home lo-highlights">
  <div class="slds-page-header__row">
    <div class="slds-page-header__col-title">
      <div class="slds-media">
        <div class="slds-media__figure">${objectIcon(obj)}</div>
        <div class="slds-media__body">
          <div class="slds-page-header__name">
            <div class="slds-page-header__name-title">
              <h1><span>${esc(obj.label)}</span><span class="slds-page-header__title slds-truncate lo-record-name" title="${esc(recordName(obj, record))}">${esc(recordName(obj, record))}</span></h1>
            </div>
          </div>
        </div>
      </div>
    </div>
  </div>
  <div class="slds-page-header__row slds-page-header__row_gutters">
    <div class="slds-page-header__col-details"><ul class="slds-page-header__detail-row">${items}</ul></div>
  </div>
</div>`;
}

function detailsHtml(input: RecordPageInput): string {
  const { org, obj, record } = input;
  const rows = input.detailFields
    .map((path) => {
      const f = fieldOf(org, obj, path);
      const value = readPath(record, path);
      const html =
        (f && lookupHtml(org, f, record, value)) ??
        (esc(fieldValueText(f, value, input.user)) || '&nbsp;');
      const label =
        f?.type === 'reference' && f.relationshipName
          ? f.label.replace(/ ID$/, '')
          : (f?.label ?? path);
      return `<div class="slds-form-element slds-form-element_readonly slds-form-element_stacked"><span class="slds-form-element__label">${esc(label)}</span><div class="slds-form-element__control"><div class="slds-form-element__static">${html}</div></div></div>`;
    })
    .join('');
  return `<article class="slds-card lo-details"><div class="slds-card__header slds-grid"><header class="slds-media slds-media_center slds-has-flexi-truncate"><div class="slds-media__body"><h2 class="slds-card__header-title">Details</h2></div></header></div><div class="slds-card__body slds-card__body_inner">${rows}</div></article>`;
}

function relatedHtml(input: RecordPageInput): string {
  if (input.related.length === 0) return '';
  return input.related
    .map((r) => {
      const items = r.records
        .map((rec) => {
          const name = recordName(r.object, rec);
          return `<li class="slds-item"><a href="/lightning/r/${esc(r.object.name)}/${esc(rec.Id)}/view">${esc(name)}</a></li>`;
        })
        .join('');
      return `<article class="slds-card lo-related"><div class="slds-card__header slds-grid"><header class="slds-media slds-media_center slds-has-flexi-truncate"><div class="slds-media__figure">${objectIcon(r.object, 'small')}</div><div class="slds-media__body"><h2 class="slds-card__header-title">${esc(r.label)} (${r.total})</h2></div></header></div><div class="slds-card__body slds-card__body_inner"><ul class="slds-has-dividers_bottom-space">${items}</ul></div></article>`;
    })
    .join('\n');
}

function regionsHtml(layout: PageLayout, input: RecordPageInput | undefined): string {
  const region = (name: string) => layout.regions.find((r) => r.name === name);
  const render = (r: PageLayout['regions'][number] | undefined) =>
    r ? r.items.map((p) => placementHtml(p, r.width, input)).join('\n') : '';
  const header = region('header');
  const main = region('main');
  const sidebar = region('sidebar');
  const others = layout.regions.filter((r) => !['header', 'main', 'sidebar'].includes(r.name));
  const mainCols = sidebar ? 'slds-size_1-of-1 slds-large-size_8-of-12' : 'slds-size_1-of-1';
  return `<div class="lo-layout" data-layout-source="${esc(layout.source)}">
${header ? `<div class="lo-region" data-region="header">${render(header)}</div>` : ''}
<div class="slds-grid slds-wrap slds-gutters_x-small slds-m-top_small">
  <div class="slds-col ${mainCols} lo-region" data-region="main">${render(main)}</div>
  ${sidebar ? `<div class="slds-col slds-size_1-of-1 slds-large-size_4-of-12 lo-region" data-region="sidebar">${render(sidebar)}</div>` : ''}
</div>
${others.map((r) => `<div class="lo-region slds-m-top_small" data-region="${esc(r.name)}">${render(r)}</div>`).join('\n')}
</div>`;
}

export function recordPage(input: RecordPageInput): string {
  return shell({
    title: `${recordName(input.obj, input.record)} | ${input.obj.label}`,
    user: input.user,
    bundleUrl: input.bundleUrl,
    orgObjects: input.navObjects,
    active: input.obj.name,
    body: regionsHtml(input.layout, input)
  });
}

export function homePage(opts: {
  user: PageUser;
  layout: PageLayout;
  bundleUrl: string | undefined;
  navObjects: ObjectDescribe[];
}): string {
  const body = `<div class="slds-page-header"><div class="slds-page-header__row"><div class="slds-page-header__col-title"><h1 class="slds-page-header__title">Home</h1></div></div></div>
<div class="slds-m-top_small">${regionsHtml(opts.layout, undefined)}</div>`;
  return shell({
    title: 'Home',
    user: opts.user,
    bundleUrl: opts.bundleUrl,
    orgObjects: opts.navObjects,
    active: 'home',
    body
  });
}

export function listPage(opts: {
  org: Org;
  user: PageUser;
  obj: ObjectDescribe;
  columns: string[];
  records: Record<string, unknown>[];
  total: number;
  navObjects: ObjectDescribe[];
}): string {
  const { org, obj } = opts;
  const head = opts.columns
    .map(
      (c) =>
        `<th scope="col"><div class="slds-truncate">${esc(fieldOf(org, obj, c)?.label ?? c)}</div></th>`
    )
    .join('');
  const rows = opts.records
    .map((rec) => {
      const cells = opts.columns
        .map((c, i) => {
          const text = fieldValueText(fieldOf(org, obj, c), readPath(rec, c), opts.user);
          return i === 0
            ? `<th scope="row"><a href="/lightning/r/${esc(obj.name)}/${esc(rec.Id)}/view">${esc(text || rec.Id)}</a></th>`
            : `<td><div class="slds-truncate">${esc(text)}</div></td>`;
        })
        .join('');
      return `<tr class="slds-hint-parent">${cells}</tr>`;
    })
    .join('\n');
  const body = `<div class="slds-page-header slds-page-header_object-home">
  <div class="slds-page-header__row"><div class="slds-page-header__col-title"><div class="slds-media">
    <div class="slds-media__figure">${objectIcon(obj)}</div>
    <div class="slds-media__body"><span>${esc(obj.labelPlural)}</span><h1 class="slds-page-header__title">All ${esc(obj.labelPlural)}</h1></div>
  </div></div></div>
  <div class="slds-page-header__row"><p class="slds-text-body_small">${opts.total} item${opts.total === 1 ? '' : 's'}${opts.records.length < opts.total ? ` (showing ${opts.records.length})` : ''}</p></div>
</div>
<div class="slds-card slds-m-top_small">
<table class="slds-table slds-table_cell-buffer slds-table_bordered lo-list" aria-label="All ${esc(obj.labelPlural)}">
<thead><tr class="slds-line-height_reset">${head}</tr></thead>
<tbody>${rows}</tbody>
</table></div>`;
  return shell({
    title: obj.labelPlural,
    user: opts.user,
    bundleUrl: undefined,
    orgObjects: opts.navObjects,
    active: obj.name,
    body
  });
}

export function messagePage(title: string, message: string, user?: PageUser): string {
  const body = `<div class="slds-card"><div class="slds-card__body slds-card__body_inner slds-p-around_medium"><h1 class="slds-text-heading_medium">${esc(title)}</h1><p class="slds-m-top_small">${message}</p></div></div>`;
  return shell({
    title,
    user: user ?? { id: '', name: 'not signed in', timeZone: '', locale: 'en-US', lang: 'en-US' },
    bundleUrl: undefined,
    orgObjects: [],
    body
  });
}
