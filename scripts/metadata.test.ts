/**
 * Checks the package's declarative metadata (force-app) the way a deploy would, without an org:
 * - every *-meta.xml is well-formed XML;
 * - the objects and fields match docs/data-model.md (the contract Apex and LWC code against);
 * - permission sets only name fields that exist and never name required or master-detail fields
 *   (Salesforce rejects those), the admin set covers every permissionable custom field, and the
 *   integration set stays least-privilege;
 * - custom metadata records, layouts, list views, compact layouts and the record page only refer
 *   to fields that exist;
 * - @salesforce/source-deploy-retrieve resolves the whole package into a ComponentSet and converts
 *   it to Metadata API format, as `sf project deploy` does before sending it.
 */
import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ComponentSet, MetadataConverter } from '@salesforce/source-deploy-retrieve';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const FORCE_APP = join(ROOT, 'force-app');
const DEFAULT = join(FORCE_APP, 'main', 'default');
const OBJECTS = join(DEFAULT, 'objects');
const DATA_MODEL = readFileSync(join(ROOT, 'docs', 'data-model.md'), 'utf8');

/** Standard fields the permission sets and layouts may name (they do not live in objects/). */
const STANDARD_FIELDS = new Set([
  'Account.Phone',
  'Contact.AccountId',
  'Contact.Email',
  'Contact.LeadSource',
  'Contact.MailingAddress',
  'Contact.MobilePhone',
  'Contact.Phone',
  'Lead.Address',
  'Lead.Email',
  'Lead.LeadSource',
  'Lead.MobilePhone',
  'Lead.Phone'
]);
/** Standard fields of every custom object that layouts and compact layouts may use. */
const CUSTOM_OBJECT_STANDARD_FIELDS = new Set([
  'Name',
  'OwnerId',
  'CreatedById',
  'LastModifiedById'
]);
const STANDARD_OBJECTS = new Set(['Lead', 'Contact', 'Account', 'Opportunity', 'User']);

const ARRAY_TAGS = new Set([
  'fieldPermissions',
  'objectPermissions',
  'classAccesses',
  'tabSettings',
  'customMetadataTypeAccesses',
  'applicationVisibilities',
  'values',
  'value',
  'layoutSections',
  'layoutColumns',
  'layoutItems',
  'relatedLists',
  'fields',
  'columns',
  'filters',
  'flexiPageRegions',
  'itemInstances',
  'componentInstanceProperties',
  'sections',
  'tabs',
  'actionOverrides'
]);
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  isArray: (name) => ARRAY_TAGS.has(name)
});

type Xml = Record<string, unknown>;

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((entry) => {
    const full = join(dir, entry);
    return statSync(full).isDirectory() ? walk(full) : [full];
  });
}

function parse(file: string): Xml {
  return parser.parse(readFileSync(file, 'utf8')) as Xml;
}

function root(file: string, rootTag: string): Xml {
  const doc = parse(file);
  const node = doc[rootTag];
  assert.ok(
    node && typeof node === 'object',
    `${relative(ROOT, file)}: root element <${rootTag}> expected`
  );
  return node as Xml;
}

function list(value: unknown): Xml[] {
  if (value === undefined || value === null || value === '') return [];
  return (Array.isArray(value) ? value : [value]) as Xml[];
}

function text(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object' && '#text' in (value as Xml))
    return String((value as Xml)['#text']);
  return String(value);
}

interface FieldDef {
  object: string;
  name: string;
  type: string;
  required: boolean;
  length?: number;
  precision?: number;
  scale?: number;
  externalId: boolean;
  unique: boolean;
  trackHistory: boolean;
  picklist?: { values: string[]; restricted: boolean; defaultValue?: string };
  referenceTo?: string;
  relationshipName?: string;
  deleteConstraint?: string;
}

function loadFields(): Map<string, FieldDef> {
  const out = new Map<string, FieldDef>();
  for (const object of readdirSync(OBJECTS)) {
    const dir = join(OBJECTS, object, 'fields');
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.field-meta.xml'))) {
      const f = root(join(dir, file), 'CustomField');
      const name = text(f.fullName);
      assert.equal(
        `${name}.field-meta.xml`,
        file,
        `${object}/${file}: fullName must match the file name`
      );
      const valueSet = f.valueSet as Xml | undefined;
      const definition = valueSet?.valueSetDefinition as Xml | undefined;
      const values = list(definition?.value);
      const def: FieldDef = {
        object,
        name,
        type: text(f.type),
        required: text(f.required) === 'true',
        externalId: text(f.externalId) === 'true',
        unique: text(f.unique) === 'true',
        trackHistory: text(f.trackHistory) === 'true',
        length: f.length === undefined ? undefined : Number(text(f.length)),
        precision: f.precision === undefined ? undefined : Number(text(f.precision)),
        scale: f.scale === undefined ? undefined : Number(text(f.scale)),
        referenceTo: f.referenceTo === undefined ? undefined : text(f.referenceTo),
        relationshipName: f.relationshipName === undefined ? undefined : text(f.relationshipName),
        deleteConstraint: f.deleteConstraint === undefined ? undefined : text(f.deleteConstraint)
      };
      if (def.type === 'Picklist') {
        def.picklist = {
          values: values.map((v) => text(v.fullName)),
          restricted: text(valueSet?.restricted) === 'true',
          defaultValue: values
            .filter((v) => text(v.default) === 'true')
            .map((v) => text(v.fullName))[0]
        };
      }
      out.set(`${object}.${name}`, def);
    }
  }
  return out;
}

const FIELDS = loadFields();
const fieldsOf = (object: string): FieldDef[] =>
  [...FIELDS.values()].filter((f) => f.object === object);
const field = (key: string): FieldDef => {
  const f = FIELDS.get(key);
  assert.ok(f, `field ${key} expected in force-app/main/default/objects`);
  return f;
};
const objectMeta = (object: string): Xml =>
  root(join(OBJECTS, object, `${object}.object-meta.xml`), 'CustomObject');

/** Fields whose FLS can be granted: not required, not master-detail (Salesforce rejects those). */
function isPermissionable(f: FieldDef): boolean {
  if (f.required || f.type === 'MasterDetail') return false;
  if (f.object.endsWith('__mdt') || f.object.endsWith('__e')) return false;
  return f.name.endsWith('__c');
}

/** Permission-set field names for a field (activity fields are granted on Event and Task). */
function permissionNames(f: FieldDef): string[] {
  return f.object === 'Activity'
    ? [`Event.${f.name}`, `Task.${f.name}`]
    : [`${f.object}.${f.name}`];
}

function resolvePermissionField(name: string): FieldDef | 'standard' | undefined {
  const [object, fieldName] = name.split('.');
  const key = object === 'Event' || object === 'Task' ? `Activity.${fieldName}` : name;
  if (FIELDS.has(key)) return FIELDS.get(key);
  if (STANDARD_FIELDS.has(name)) return 'standard';
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// docs/data-model.md
// ---------------------------------------------------------------------------------------------

interface DocRow {
  object: string;
  field: string;
  type: string;
  notes: string;
}

/** Field tables under "## <Object API name>" headings and the "Fields on standard objects" table. */
function docRows(): DocRow[] {
  const rows: DocRow[] = [];
  let object: string | undefined;
  let standard = false;
  for (const line of DATA_MODEL.split('\n')) {
    const heading = /^## (\S+)/.exec(line);
    if (line.startsWith('## ')) {
      standard = line.startsWith('## Fields on standard objects');
      object = heading && /__(c|mdt|e)$/.test(heading[1]) ? heading[1] : undefined;
      continue;
    }
    if (!line.startsWith('|')) continue;
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim());
    const name = cells[0]?.replace(/`/g, '');
    if (!name || !/__c$/.test(name)) continue;
    if (standard) {
      const [obj, fieldName] = name.split('.');
      rows.push({ object: obj, field: fieldName, type: cells[1] ?? '', notes: cells[2] ?? '' });
    } else if (object) {
      rows.push({ object, field: name, type: cells[1] ?? '', notes: cells[2] ?? '' });
    }
  }
  return rows;
}

const TYPE_PATTERNS: [RegExp, string][] = [
  [/^Roll-Up Summary/i, 'Summary'],
  [/^Master-Detail/i, 'MasterDetail'],
  [/^Lookup/i, 'Lookup'],
  [/^Long Text Area/i, 'LongTextArea'],
  [/^Text Area/i, 'TextArea'],
  [/^DateTime/i, 'DateTime'],
  [/^Text/i, 'Text'],
  [/^Picklist/i, 'Picklist'],
  [/^Number/i, 'Number'],
  [/^URL/i, 'Url'],
  [/^Checkbox/i, 'Checkbox'],
  [/^Email/i, 'Email'],
  [/^Phone/i, 'Phone']
];

const DOC_ROWS = docRows();

describe('metadata XML', () => {
  const files = walk(FORCE_APP).filter((f) => f.endsWith('-meta.xml'));

  it('finds the package metadata', () => {
    assert.ok(files.length >= 100, `expected the package's metadata files, found ${files.length}`);
  });

  it('every *-meta.xml under force-app is well-formed XML', () => {
    const bad = files
      .map((file) => ({ file, result: XMLValidator.validate(readFileSync(file, 'utf8')) }))
      .filter(({ result }) => result !== true)
      .map(({ file, result }) => `${relative(ROOT, file)}: ${JSON.stringify(result)}`);
    assert.deepEqual(bad, [], 'malformed XML');
  });

  it('every metadata file declares the Metadata API namespace', () => {
    const missing = files.filter(
      (file) =>
        !readFileSync(file, 'utf8').includes('xmlns="http://soap.sforce.com/2006/04/metadata"')
    );
    assert.deepEqual(
      missing.map((f) => relative(ROOT, f)),
      []
    );
  });
});

describe('objects and fields match docs/data-model.md', () => {
  it('the data model documents a field table for every package object', () => {
    const objects = new Set(DOC_ROWS.map((r) => r.object));
    for (const o of [
      'Coconut_Appointment__c',
      'Coconut_Attendee__c',
      'Coconut_Sync_Log__c',
      'Coconut_Settings__mdt',
      'Coconut_Field_Mapping__mdt',
      'Coconut_Appointment_Change__e',
      'Lead',
      'Contact',
      'Account',
      'User',
      'Activity'
    ]) {
      assert.ok(objects.has(o), `docs/data-model.md lists no fields for ${o}`);
    }
    assert.ok(
      DOC_ROWS.length >= 90,
      `expected the full data model, parsed ${DOC_ROWS.length} rows`
    );
  });

  it('every documented field exists with the documented type and size', () => {
    for (const row of DOC_ROWS) {
      const f = field(`${row.object}.${row.field}`);
      const expected = TYPE_PATTERNS.find(([re]) => re.test(row.type))?.[1];
      assert.ok(expected, `${row.object}.${row.field}: unknown documented type "${row.type}"`);
      assert.equal(f.type, expected, `${row.object}.${row.field}: type`);
      const size = /\((\d+)(?:,(\d+))?\)/.exec(row.type);
      if (size && (f.type === 'Text' || f.type === 'LongTextArea')) {
        assert.equal(f.length, Number(size[1]), `${row.object}.${row.field}: length`);
      }
      if (size && f.type === 'Number') {
        assert.equal(f.precision, Number(size[1]), `${row.object}.${row.field}: precision`);
        assert.equal(f.scale, Number(size[2] ?? 0), `${row.object}.${row.field}: scale`);
      }
      const spec = `${row.type} ${row.notes}`;
      assert.equal(
        f.required,
        /\brequired\b/.test(row.type),
        `${row.object}.${row.field}: required`
      );
      if (/External ID/i.test(spec))
        assert.ok(f.externalId, `${row.object}.${row.field}: external id`);
      if (/\bUnique\b/.test(row.type)) assert.ok(f.unique, `${row.object}.${row.field}: unique`);
      if (/not unique/i.test(row.type))
        assert.ok(!f.unique, `${row.object}.${row.field}: not unique`);
    }
  });

  it('documented picklist values, restriction and defaults are the metadata ones', () => {
    for (const row of DOC_ROWS.filter((r) => /^Picklist/.test(r.type))) {
      const f = field(`${row.object}.${row.field}`);
      assert.ok(f.picklist, `${row.object}.${row.field}: picklist values`);
      const m = /^Picklist(?:, restricted| \(unrestricted\))?: (.+)$/.exec(row.type);
      if (m && !/same values as/.test(m[1])) {
        const values = m[1]
          .replace(/;\s*default .*$/, '')
          .split(', ')
          .map((v) => v.trim());
        assert.deepEqual(f.picklist.values, values, `${row.object}.${row.field}: values`);
      }
      if (/restricted/.test(row.type) && !/unrestricted/.test(row.type)) {
        assert.ok(f.picklist.restricted, `${row.object}.${row.field}: restricted`);
      }
      if (/unrestricted/.test(row.type))
        assert.ok(!f.picklist.restricted, `${row.object}.${row.field}: unrestricted`);
      const def = /default (\w[\w ]*)/.exec(`${row.type} ${row.notes}`);
      if (def && row.object.endsWith('__c')) {
        assert.equal(f.picklist.defaultValue, def[1].trim(), `${row.object}.${row.field}: default`);
      }
    }
    assert.deepEqual(
      field('Coconut_Attendee__c.Status__c').picklist?.values,
      field('Coconut_Appointment__c.Status__c').picklist?.values,
      'attendee and appointment statuses share their values'
    );
  });

  it('no undocumented custom fields on the package objects', () => {
    const documented = new Set(DOC_ROWS.map((r) => `${r.object}.${r.field}`));
    const extra = [...FIELDS.keys()].filter((k) => k.endsWith('__c') && !documented.has(k));
    assert.deepEqual(extra, []);
  });

  it('relationships are the documented ones', () => {
    const md = field('Coconut_Attendee__c.Appointment__c');
    assert.equal(md.referenceTo, 'Coconut_Appointment__c');
    assert.equal(md.relationshipName, 'Attendees');
    const mdXml = root(
      join(OBJECTS, 'Coconut_Attendee__c', 'fields', 'Appointment__c.field-meta.xml'),
      'CustomField'
    );
    assert.equal(text(mdXml.reparentableMasterDetail), 'false');
    for (const [name, target] of [
      ['Lead__c', 'Lead'],
      ['Contact__c', 'Contact'],
      ['Account__c', 'Account'],
      ['Opportunity__c', 'Opportunity']
    ]) {
      const f = field(`Coconut_Attendee__c.${name}`);
      assert.equal(f.referenceTo, target, `${name} refers to ${target}`);
      assert.equal(f.relationshipName, 'Coconut_Attendees', `${name} relationship name`);
      assert.equal(f.deleteConstraint, 'SetNull', `${name} delete constraint`);
    }
    const activity = field('Activity.Coconut_Appointment__c');
    assert.equal(activity.referenceTo, 'Coconut_Appointment__c');
    assert.equal(activity.deleteConstraint, 'SetNull');
    const rollup = root(
      join(OBJECTS, 'Coconut_Appointment__c', 'fields', 'Attendee_Count__c.field-meta.xml'),
      'CustomField'
    );
    assert.equal(text(rollup.summaryForeignKey), 'Coconut_Attendee__c.Appointment__c');
    assert.equal(text(rollup.summaryOperation), 'count');
  });

  it('object settings are the documented ones', () => {
    const appt = objectMeta('Coconut_Appointment__c');
    assert.equal(text(appt.label), 'Coconut Appointment');
    assert.equal(text(appt.pluralLabel), 'Coconut Appointments');
    assert.equal(text(appt.sharingModel), 'Read');
    for (const flag of ['enableHistory', 'enableActivities', 'enableReports', 'enableSearch']) {
      assert.equal(text(appt[flag]), 'true', `Coconut_Appointment__c.${flag}`);
    }
    assert.equal(text((appt.nameField as Xml).type), 'Text');
    assert.equal(text(appt.compactLayoutAssignment), 'Coconut_Appointment_Compact');

    const attendee = objectMeta('Coconut_Attendee__c');
    assert.equal(text(attendee.sharingModel), 'ControlledByParent');
    assert.equal(text((attendee.nameField as Xml).type), 'AutoNumber');
    assert.equal(text((attendee.nameField as Xml).displayFormat), 'ATT-{000000}');

    const log = objectMeta('Coconut_Sync_Log__c');
    assert.equal(text(log.sharingModel), 'Private');
    assert.equal(text((log.nameField as Xml).displayFormat), 'SYNC-{0000000}');

    const event = objectMeta('Coconut_Appointment_Change__e');
    assert.equal(text(event.eventType), 'HighVolume');
    assert.equal(text(event.publishBehavior), 'PublishAfterCommit');

    for (const object of ['Coconut_Appointment__c', 'Coconut_Attendee__c', 'Coconut_Sync_Log__c']) {
      const o = objectMeta(object);
      const flags = ['enableBulkApi', 'enableSharing', 'enableStreamingApi'].map((k) => text(o[k]));
      assert.ok(
        flags.every((v) => v === flags[0]),
        `${object}: bulk API, sharing and streaming go together`
      );
    }
  });

  it('field history is tracked on Status__c, Start__c, End__c and OwnerId of the appointment', () => {
    const tracked = fieldsOf('Coconut_Appointment__c')
      .filter((f) => f.trackHistory)
      .map((f) => f.name)
      .sort();
    assert.deepEqual(tracked, ['End__c', 'OwnerId', 'Start__c', 'Status__c']);
    assert.ok(FIELDS.size > 0);
  });

  it('the fields an admin would wonder about carry help text', () => {
    for (const key of [
      'Coconut_Appointment__c.Coconut_Id__c',
      'Coconut_Appointment__c.Status__c',
      'Coconut_Appointment__c.Coconut_Updated_At__c',
      'Coconut_Appointment__c.Sync_Hash__c',
      'Coconut_Attendee__c.Matched_By__c',
      'Coconut_Sync_Log__c.Payload__c',
      'User.Coconut_Staff_Id__c'
    ]) {
      const [object, name] = key.split('.');
      const xml = root(join(OBJECTS, object, 'fields', `${name}.field-meta.xml`), 'CustomField');
      assert.ok(text(xml.inlineHelpText).length > 10, `${key}: inline help`);
      assert.ok(text(xml.description).length > 10, `${key}: description`);
    }
  });
});

describe('permission sets', () => {
  const PERMSETS = ['Coconut_Admin', 'Coconut_User', 'Coconut_Integration'];
  const load = (name: string): Xml =>
    root(join(DEFAULT, 'permissionsets', `${name}.permissionset-meta.xml`), 'PermissionSet');
  const fieldPerms = (ps: Xml) =>
    list(ps.fieldPermissions).map((p) => ({
      field: text(p.field),
      editable: text(p.editable) === 'true',
      readable: text(p.readable) === 'true'
    }));
  const objectPerms = (ps: Xml) =>
    new Map(
      list(ps.objectPermissions).map((p) => [
        text(p.object),
        Object.fromEntries(
          [
            'allowCreate',
            'allowRead',
            'allowEdit',
            'allowDelete',
            'viewAllRecords',
            'modifyAllRecords'
          ].map((k) => [k, text(p[k]) === 'true'])
        ) as Record<string, boolean>
      ])
    );
  const documentedClasses = new Set(
    [...(DATA_MODEL.split('## Apex classes')[1] ?? '').matchAll(/`(\w+)`/g)].map((m) => m[1])
  );

  for (const name of PERMSETS) {
    describe(name, () => {
      const ps = load(name);

      it('names only existing, permissionable fields, each once', () => {
        const seen = new Set<string>();
        for (const p of fieldPerms(ps)) {
          assert.ok(!seen.has(p.field), `${p.field} listed twice`);
          seen.add(p.field);
          const f = resolvePermissionField(p.field);
          assert.ok(
            f,
            `${p.field} does not exist in force-app/main/default/objects (nor in the standard-field list)`
          );
          assert.ok(p.readable, `${p.field}: a field permission must at least be readable`);
          if (f !== 'standard') {
            assert.ok(
              !f.required,
              `${p.field} is required: Salesforce rejects field permissions on it`
            );
            assert.notEqual(
              f.type,
              'MasterDetail',
              `${p.field} is master-detail: Salesforce rejects field permissions on it`
            );
            if (f.type === 'Summary')
              assert.ok(!p.editable, `${p.field} is a roll-up summary: read-only`);
          }
        }
      });

      it('grants objects, tabs, custom metadata types and classes that exist', () => {
        for (const object of objectPerms(ps).keys()) {
          assert.ok(
            STANDARD_OBJECTS.has(object) ||
              existsSync(join(OBJECTS, object, `${object}.object-meta.xml`)),
            `object ${object}`
          );
        }
        for (const t of list(ps.tabSettings)) {
          assert.ok(
            existsSync(join(DEFAULT, 'tabs', `${text(t.tab)}.tab-meta.xml`)),
            `tab ${text(t.tab)}`
          );
          assert.equal(text(t.visibility), 'Visible');
        }
        for (const c of list(ps.customMetadataTypeAccesses)) {
          assert.ok(
            existsSync(join(OBJECTS, text(c.name))),
            `custom metadata type ${text(c.name)}`
          );
        }
        for (const a of list(ps.applicationVisibilities)) {
          assert.ok(
            existsSync(join(DEFAULT, 'applications', `${text(a.application)}.app-meta.xml`))
          );
        }
        for (const c of list(ps.classAccesses)) {
          const apexClass = text(c.apexClass);
          assert.ok(
            existsSync(join(DEFAULT, 'classes', `${apexClass}.cls`)),
            `class ${apexClass} does not exist in force-app/main/default/classes`
          );
          assert.ok(
            documentedClasses.has(apexClass),
            `class ${apexClass} is not in docs/data-model.md`
          );
          assert.equal(text(c.enabled), 'true', `class ${apexClass} enabled`);
        }
      });

      it('object permissions respect the platform dependencies', () => {
        // ObjectPermissions: Create, Edit and View All need Read; Delete needs Read and Edit;
        // Modify All needs Read, Edit, Delete and View All (a deploy fails otherwise).
        for (const [o, p] of objectPerms(ps)) {
          if (p.allowCreate || p.allowEdit || p.viewAllRecords)
            assert.ok(p.allowRead || o.endsWith('__e'), `${o}: needs Read`);
          if (p.allowDelete) assert.ok(p.allowRead && p.allowEdit, `${o}: Delete needs Read, Edit`);
          if (p.modifyAllRecords)
            assert.ok(
              p.allowRead && p.allowEdit && p.allowDelete && p.viewAllRecords,
              `${o}: Modify All needs Read, Edit, Delete and View All`
            );
        }
      });
    });
  }

  it('Coconut_Admin covers every permissionable custom field, editable unless read-only by type', () => {
    const perms = new Map(fieldPerms(load('Coconut_Admin')).map((p) => [p.field, p]));
    for (const f of FIELDS.values()) {
      if (!isPermissionable(f)) continue;
      for (const n of permissionNames(f)) {
        const p = perms.get(n);
        assert.ok(p, `Coconut_Admin lacks ${n}`);
        assert.equal(p.editable, f.type !== 'Summary', `${n} editable`);
      }
    }
    const objects = objectPerms(load('Coconut_Admin'));
    for (const o of ['Coconut_Appointment__c', 'Coconut_Attendee__c', 'Coconut_Sync_Log__c']) {
      assert.ok(
        Object.values(objects.get(o) ?? {}).every(Boolean) && objects.has(o),
        `Coconut_Admin full access to ${o}`
      );
    }
    const ps = load('Coconut_Admin');
    assert.deepEqual(
      list(ps.customMetadataTypeAccesses)
        .map((c) => text(c.name))
        .sort(),
      ['Coconut_Field_Mapping__mdt', 'Coconut_Settings__mdt']
    );
    assert.deepEqual(
      list(ps.classAccesses)
        .map((c) => text(c.apexClass))
        .sort(),
      [
        'CoconutAppointmentsController',
        'CoconutAppointmentsResource',
        'CoconutHealthResource',
        'CoconutSyncLogService'
      ],
      'admins call the REST classes, the record-page controller and the sync log replay'
    );
    assert.deepEqual(
      list(ps.tabSettings)
        .map((t) => text(t.tab))
        .sort(),
      ['Coconut_Appointment__c', 'Coconut_Sync_Log__c']
    );
  });

  it('Coconut_User only reads appointments and attendees', () => {
    const ps = load('Coconut_User');
    for (const p of fieldPerms(ps))
      assert.ok(!p.editable, `${p.field} must be read-only for users`);
    const objects = objectPerms(ps);
    assert.deepEqual([...objects.keys()].sort(), ['Coconut_Appointment__c', 'Coconut_Attendee__c']);
    for (const [o, p] of objects) {
      assert.deepEqual(
        Object.entries(p)
          .filter(([, v]) => v)
          .map(([k]) => k),
        ['allowRead'],
        `${o}: read only`
      );
    }
    const readable = new Set(fieldPerms(ps).map((p) => p.field));
    for (const f of [
      ...fieldsOf('Coconut_Appointment__c'),
      ...fieldsOf('Coconut_Attendee__c')
    ].filter(isPermissionable)) {
      assert.ok(readable.has(`${f.object}.${f.name}`), `Coconut_User reads ${f.object}.${f.name}`);
    }
    assert.deepEqual(
      list(ps.classAccesses).map((c) => text(c.apexClass)),
      ['CoconutAppointmentsController']
    );
    assert.deepEqual(
      list(ps.tabSettings).map((t) => text(t.tab)),
      ['Coconut_Appointment__c']
    );
    assert.equal(list(ps.customMetadataTypeAccesses).length, 0, 'only admins see the settings');
  });

  it('Coconut_Integration is least privilege', () => {
    const ps = load('Coconut_Integration');
    const objects = objectPerms(ps);
    const granted = (o: string) =>
      Object.entries(objects.get(o) ?? {})
        .filter(([, v]) => v)
        .map(([k]) => k)
        .sort();
    for (const o of ['Coconut_Attendee__c', 'Coconut_Sync_Log__c']) {
      assert.deepEqual(
        granted(o),
        ['allowCreate', 'allowEdit', 'allowRead'],
        `${o}: create, read, edit (attendees are controlled by their appointment)`
      );
    }
    // Appointments are owned by staff and shared Read-only: updating them needs Modify All, which
    // the platform only grants together with Delete and View All.
    assert.deepEqual(granted('Coconut_Appointment__c'), [
      'allowCreate',
      'allowDelete',
      'allowEdit',
      'allowRead',
      'modifyAllRecords',
      'viewAllRecords'
    ]);
    // Matching must see clients it does not own (Private sharing); edit rights stay with sharing.
    for (const o of ['Lead', 'Contact', 'Account']) {
      assert.deepEqual(
        granted(o),
        ['allowCreate', 'allowEdit', 'allowRead', 'viewAllRecords'],
        `${o}: create, read, edit, View All (no Modify All)`
      );
    }
    assert.deepEqual(granted('Opportunity'), ['allowRead']);
    assert.deepEqual(
      granted('Coconut_Appointment_Change__e'),
      ['allowCreate'],
      'publishes the change event'
    );
    assert.deepEqual([...objects.keys()].sort(), [
      'Account',
      'Coconut_Appointment_Change__e',
      'Coconut_Appointment__c',
      'Coconut_Attendee__c',
      'Coconut_Sync_Log__c',
      'Contact',
      'Lead',
      'Opportunity'
    ]);
    assert.deepEqual(
      list(ps.classAccesses)
        .map((c) => text(c.apexClass))
        .sort(),
      ['CoconutAppointmentsResource', 'CoconutHealthResource']
    );
    assert.equal(list(ps.tabSettings).length, 0, 'no tabs');
    assert.equal(list(ps.applicationVisibilities).length, 0, 'no apps');
    // Coconut calls the REST API as this user: it needs "API Enabled" (Minimum Access does not
    // have it) and nothing else (Events are edited through the Apex classes).
    assert.deepEqual(
      list(ps.userPermissions).map((u) => `${text(u.name)}:${text(u.enabled)}`),
      ['ApiEnabled:true'],
      'only API Enabled'
    );
    const perms = new Map(fieldPerms(ps).map((p) => [p.field, p]));
    for (const f of [
      ...fieldsOf('Coconut_Appointment__c'),
      ...fieldsOf('Coconut_Attendee__c'),
      ...fieldsOf('Coconut_Sync_Log__c')
    ]) {
      if (!isPermissionable(f)) continue;
      assert.equal(
        perms.get(`${f.object}.${f.name}`)?.editable,
        f.type !== 'Summary',
        `writes ${f.object}.${f.name}`
      );
    }
    for (const n of [
      'Lead.Coconut_Client_Id__c',
      'Contact.Coconut_Client_Id__c',
      'Account.Coconut_Client_Id__c',
      'Event.Coconut_Appointment__c',
      // New Person Accounts carry the client's phone (Account.Phone is under field-level security).
      'Account.Phone'
    ]) {
      assert.equal(perms.get(n)?.editable, true, `writes ${n}`);
    }
    assert.equal(
      perms.get('User.Coconut_Staff_Id__c')?.editable,
      false,
      'reads, never writes, staff ids'
    );
  });
});

describe('custom metadata records', () => {
  const dir = join(DEFAULT, 'customMetadata');
  const records = readdirSync(dir).filter((f) => f.endsWith('.md-meta.xml'));

  it('every record names a custom metadata type, existing fields and values of the right xsi type', () => {
    for (const file of records) {
      const [type] = basename(file).split('.');
      const object = `${type}__mdt`;
      const record = root(join(dir, file), 'CustomMetadata');
      assert.ok(text(record.label).length > 0, `${file}: label`);
      for (const v of list(record.values)) {
        const f = field(`${object}.${text(v.field)}`);
        const value = list(v.value)[0] ?? {};
        if (value['@_xsi:nil'] === 'true') continue;
        const xsi = String(value['@_xsi:type']);
        const expected =
          f.type === 'Checkbox' ? 'xsd:boolean' : f.type === 'Number' ? 'xsd:double' : 'xsd:string';
        assert.equal(xsi, expected, `${file}: ${f.name} is ${f.type}`);
        if (f.picklist)
          assert.ok(f.picklist.values.includes(text(value)), `${file}: ${f.name} = ${text(value)}`);
        if (f.type === 'Checkbox') assert.match(text(value), /^(true|false)$/);
      }
    }
  });

  it('the Default settings record holds the documented defaults', () => {
    const record = root(join(dir, 'Coconut_Settings.Default.md-meta.xml'), 'CustomMetadata');
    const values = new Map(
      list(record.values).map((v) => {
        const value = list(v.value)[0] ?? {};
        return [text(v.field), value['@_xsi:nil'] === 'true' ? null : text(value)];
      })
    );
    assert.deepEqual(Object.fromEntries(values), {
      Appointment_Path__c: '/admin/appointments/',
      Booking_Path__c: '/book',
      Coconut_Base_URL__c: 'https://example.coconutcalendar.com',
      Create_Events__c: 'true',
      Default_Owner_Username__c: null,
      Delete_Cancelled_Events__c: 'false',
      Lead_Company_Placeholder__c: '[Coconut client]',
      Lead_Source__c: 'Coconut',
      Match_Order__c: 'SalesforceId,CoconutClientId,Email,Phone,Name',
      Publish_Change_Events__c: 'true',
      Redact_PII_In_Logs__c: 'true',
      Unmatched_Client_Action__c: 'Lead',
      Walk_In_Sync__c: 'On End'
    });
  });

  it('the default field mappings copy the attendee address and cell phone to Lead and Contact', () => {
    const mappings = records
      .filter((f) => f.startsWith('Coconut_Field_Mapping.'))
      .map((file) => {
        const r = root(join(dir, file), 'CustomMetadata');
        const v = Object.fromEntries(
          list(r.values).map((x) => [text(x.field), text(list(x.value)[0])])
        );
        return `${v.Source_Path__c} -> ${v.Target_Object__c}.${v.Target_Field__c} (${v.Policy__c}, active ${v.Active__c})`;
      })
      .sort();
    assert.deepEqual(mappings, [
      'attendee.address -> Contact.MailingStreet (Always, active true)',
      'attendee.address -> Lead.Street (Always, active true)',
      'attendee.cell_phone -> Contact.MobilePhone (Only When Blank, active true)',
      'attendee.cell_phone -> Lead.MobilePhone (Only When Blank, active true)',
      'attendee.city -> Contact.MailingCity (Always, active true)',
      'attendee.city -> Lead.City (Always, active true)',
      'attendee.country -> Contact.MailingCountry (Always, active true)',
      'attendee.country -> Lead.Country (Always, active true)',
      'attendee.postcode -> Contact.MailingPostalCode (Always, active true)',
      'attendee.postcode -> Lead.PostalCode (Always, active true)',
      'attendee.region -> Contact.MailingState (Always, active true)',
      'attendee.region -> Lead.State (Always, active true)'
    ]);
  });
});

describe('layouts, list views, compact layouts, report type and record page', () => {
  const fieldExists = (object: string, name: string) =>
    CUSTOM_OBJECT_STANDARD_FIELDS.has(name) || FIELDS.has(`${object}.${name}`);

  it('layouts name existing fields, required fields as Required, roll-ups as Readonly', () => {
    const dir = join(DEFAULT, 'layouts');
    const layouts = readdirSync(dir);
    assert.deepEqual(layouts.sort(), [
      'Coconut_Appointment__c-Coconut Appointment Layout.layout-meta.xml',
      'Coconut_Attendee__c-Coconut Attendee Layout.layout-meta.xml',
      'Coconut_Sync_Log__c-Coconut Sync Log Layout.layout-meta.xml'
    ]);
    for (const file of layouts) {
      const object = file.split('-')[0];
      const layout = root(join(dir, file), 'Layout');
      const items = list(layout.layoutSections)
        .flatMap((s) => list(s.layoutColumns))
        .flatMap((c) => list(c.layoutItems))
        .map((i) => ({ field: text(i.field), behavior: text(i.behavior) }));
      for (const i of items) {
        assert.ok(fieldExists(object, i.field), `${file}: ${i.field}`);
        const f = FIELDS.get(`${object}.${i.field}`);
        if (f?.required || f?.type === 'MasterDetail')
          assert.equal(i.behavior, 'Required', `${file}: ${i.field}`);
        if (f?.type === 'Summary') assert.equal(i.behavior, 'Readonly', `${file}: ${i.field}`);
      }
      const onLayout = new Set(items.map((i) => i.field));
      for (const f of fieldsOf(object).filter((x) => x.name.endsWith('__c'))) {
        assert.ok(onLayout.has(f.name), `${file}: ${f.name} missing from the layout`);
      }
    }
    const appt = root(join(dir, layouts[0]), 'Layout');
    const related = list(appt.relatedLists);
    const attendees = related.find(
      (r) => text(r.relatedList) === 'Coconut_Attendee__c.Appointment__c'
    );
    assert.ok(attendees, 'the appointment layout has the attendees related list');
    for (const f of list(attendees.fields).map(text)) {
      assert.ok(f === 'NAME' || FIELDS.has(`Coconut_Attendee__c.${f}`), `related list column ${f}`);
    }
  });

  it('list views and compact layouts name existing fields', () => {
    const views: Record<string, string[]> = {};
    for (const object of ['Coconut_Appointment__c', 'Coconut_Attendee__c', 'Coconut_Sync_Log__c']) {
      const dir = join(OBJECTS, object, 'listViews');
      views[object] = readdirSync(dir)
        .map((f) => f.replace('.listView-meta.xml', ''))
        .sort();
      for (const file of readdirSync(dir)) {
        const view = root(join(dir, file), 'ListView');
        for (const c of list(view.columns).map(text)) {
          assert.ok(
            /^[A-Z_]+$/.test(c) || FIELDS.has(`${object}.${c}`),
            `${object}/${file}: column ${c}`
          );
        }
        for (const flt of list(view.filters)) {
          assert.ok(
            FIELDS.has(`${object}.${text(flt.field)}`),
            `${object}/${file}: filter ${text(flt.field)}`
          );
        }
      }
      const compactDir = join(OBJECTS, object, 'compactLayouts');
      for (const file of readdirSync(compactDir)) {
        for (const f of list(root(join(compactDir, file), 'CompactLayout').fields).map(text)) {
          assert.ok(fieldExists(object, f), `${object}/${file}: ${f}`);
        }
      }
      const assigned = text(objectMeta(object).compactLayoutAssignment);
      assert.ok(
        existsSync(join(compactDir, `${assigned}.compactLayout-meta.xml`)),
        `${object}: ${assigned}`
      );
    }
    assert.deepEqual(views.Coconut_Appointment__c, ['All', 'Cancelled', 'Upcoming']);
    const upcoming = root(
      join(OBJECTS, 'Coconut_Appointment__c', 'listViews', 'Upcoming.listView-meta.xml'),
      'ListView'
    );
    assert.deepEqual(
      list(upcoming.filters).map((f) => [text(f.field), text(f.operation), text(f.value)]),
      [['Start__c', 'greaterOrEqual', 'TODAY']]
    );
    const compact = root(
      join(
        OBJECTS,
        'Coconut_Appointment__c',
        'compactLayouts',
        'Coconut_Appointment_Compact.compactLayout-meta.xml'
      ),
      'CompactLayout'
    );
    assert.deepEqual(list(compact.fields).map(text), [
      'Name',
      'Status__c',
      'Start__c',
      'Services__c',
      'Staff_Name__c',
      'Meeting_Method__c'
    ]);
  });

  it('the report type joins attendees and names existing fields', () => {
    const rt = root(
      join(DEFAULT, 'reportTypes', 'Coconut_Appointments_with_Attendees.reportType-meta.xml'),
      'ReportType'
    );
    assert.equal(text(rt.baseObject), 'Coconut_Appointment__c');
    assert.equal(text((rt.join as Xml).relationship), 'Attendees__r');
    for (const s of list(rt.sections)) {
      for (const c of list(s.columns)) {
        const table = text(c.table);
        const object =
          table === 'Coconut_Appointment__c'
            ? table
            : table === 'Coconut_Appointment__c.Attendees__r'
              ? 'Coconut_Attendee__c'
              : '';
        assert.ok(object, `report type table ${table}`);
        const name = text(c.field);
        assert.ok(
          fieldExists(object, name) || ['Owner', 'CreatedDate'].includes(name),
          `${table}.${name}`
        );
      }
    }
  });

  it('the record page uses the desktop record template with the three standard components and no LWC', () => {
    const page = root(
      join(DEFAULT, 'flexipages', 'Coconut_Appointment_Record_Page.flexipage-meta.xml'),
      'FlexiPage'
    );
    assert.equal(text(page.type), 'RecordPage');
    assert.equal(text(page.sobjectType), 'Coconut_Appointment__c');
    assert.equal(text((page.template as Xml).name), 'flexipage:recordHomeTemplateDesktop');
    const components = list(page.flexiPageRegions).flatMap((r) =>
      list(r.itemInstances).map(
        (i) => `${text(r.name)}:${text((i.componentInstance as Xml).componentName)}`
      )
    );
    assert.deepEqual(components, [
      'header:force:highlightsPanel',
      'main:force:detailPanel',
      'sidebar:force:relatedListContainer'
    ]);
    const view = list(objectMeta('Coconut_Appointment__c').actionOverrides).find(
      (o) => text(o.actionName) === 'View'
    );
    assert.equal(
      text(view?.content),
      'Coconut_Appointment_Record_Page',
      'the page is the org default record page'
    );
  });

  it('the Coconut app is a Lightning app with the appointment tab', () => {
    const app = root(join(DEFAULT, 'applications', 'Coconut.app-meta.xml'), 'CustomApplication');
    assert.equal(text(app.uiType), 'Lightning');
    const tabs = list(app.tabs).map(text);
    assert.ok(tabs.includes('Coconut_Appointment__c'));
    for (const t of tabs.filter((x) => !x.startsWith('standard-'))) {
      assert.ok(existsSync(join(DEFAULT, 'tabs', `${t}.tab-meta.xml`)), `tab ${t}`);
    }
  });
});

describe('source-deploy-retrieve', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'coconut-mdapi-'));
  after(() => rmSync(outDir, { recursive: true, force: true }));

  it('resolves the whole package into a ComponentSet and converts it to Metadata API format', async () => {
    const set = ComponentSet.fromSource(FORCE_APP);
    // As `sf project deploy` does: the package.xml version comes from sfdx-project.json.
    const project = JSON.parse(readFileSync(join(ROOT, 'sfdx-project.json'), 'utf8')) as {
      sourceApiVersion: string;
    };
    set.sourceApiVersion = project.sourceApiVersion;
    const members = new Set<string>();
    for (const c of set.getSourceComponents()) {
      members.add(`${c.type.name}:${c.fullName}`);
      for (const child of c.getChildren()) members.add(`${child.type.name}:${child.fullName}`);
    }
    const expected = [
      'CustomObject:Coconut_Appointment__c',
      'CustomObject:Coconut_Attendee__c',
      'CustomObject:Coconut_Sync_Log__c',
      'CustomObject:Coconut_Settings__mdt',
      'CustomObject:Coconut_Field_Mapping__mdt',
      'CustomObject:Coconut_Appointment_Change__e',
      'CustomField:Coconut_Appointment__c.Status__c',
      'CustomField:Coconut_Attendee__c.Appointment__c',
      'CustomField:Coconut_Sync_Log__c.Payload__c',
      'CustomField:Lead.Coconut_Client_Id__c',
      'CustomField:Contact.Coconut_Client_Id__c',
      'CustomField:Account.Coconut_Client_Id__c',
      'CustomField:User.Coconut_Staff_Id__c',
      'CustomField:Activity.Coconut_Appointment__c',
      'ListView:Coconut_Appointment__c.Upcoming',
      'CompactLayout:Coconut_Appointment__c.Coconut_Appointment_Compact',
      'CustomMetadata:Coconut_Settings.Default',
      'CustomMetadata:Coconut_Field_Mapping.Lead_City',
      'PermissionSet:Coconut_Admin',
      'PermissionSet:Coconut_User',
      'PermissionSet:Coconut_Integration',
      'CustomTab:Coconut_Appointment__c',
      'CustomApplication:Coconut',
      'Layout:Coconut_Appointment__c-Coconut Appointment Layout',
      'Layout:Coconut_Attendee__c-Coconut Attendee Layout',
      'Layout:Coconut_Sync_Log__c-Coconut Sync Log Layout',
      'ReportType:Coconut_Appointments_with_Attendees',
      'FlexiPage:Coconut_Appointment_Record_Page'
    ];
    assert.deepEqual(
      expected.filter((m) => !members.has(m)),
      [],
      'components missing from the ComponentSet'
    );
    for (const row of DOC_ROWS) {
      assert.ok(
        members.has(`CustomField:${row.object}.${row.field}`),
        `ComponentSet has ${row.object}.${row.field}`
      );
    }

    const result = await new MetadataConverter().convert(set, 'metadata', {
      type: 'directory',
      outputDirectory: outDir,
      genUniqueDir: false
    });
    assert.ok(result.converted && result.converted.length > 0, 'converted components');
    const objectXml = readFileSync(
      join(outDir, 'objects', 'Coconut_Appointment__c.object'),
      'utf8'
    );
    assert.equal(XMLValidator.validate(objectXml), true);
    assert.match(objectXml, /<fullName>Attendee_Count__c<\/fullName>/);
    const packageXml = readFileSync(join(outDir, 'package.xml'), 'utf8');
    assert.match(packageXml, /<name>PermissionSet<\/name>/);
    assert.match(packageXml, /<version>62\.0<\/version>/);
  });
});
