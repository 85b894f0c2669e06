import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Org } from '../index.ts';
import { fixtureOrg, REPO } from './helpers.ts';

describe('schema from the fixture project', () => {
  const org = fixtureOrg();

  it('loads custom fields with their metadata types mapped to describe types (Metadata API CustomField.type)', () => {
    const w = org.schema.getObject('widget__c');
    assert.equal(w.name, 'Widget__c');
    assert.equal(w.label, 'Widget');
    assert.equal(w.fields.get('code__c')?.type, 'string');
    assert.equal(w.fields.get('code__c')?.length, 10);
    assert.equal(w.fields.get('code__c')?.externalId, true);
    assert.equal(w.fields.get('code__c')?.unique, true);
    assert.equal(w.fields.get('email__c')?.type, 'email');
    assert.equal(w.fields.get('amount__c')?.type, 'double');
    assert.equal(w.fields.get('amount__c')?.precision, 5);
    assert.equal(w.fields.get('amount__c')?.scale, 2);
    assert.equal(w.fields.get('notes__c')?.type, 'textarea');
    assert.equal(w.fields.get('notes__c')?.length, 1000);
    assert.equal(w.fields.get('tags__c')?.type, 'multipicklist');
    assert.equal(w.fields.get('due__c')?.type, 'date');
    assert.equal(w.fields.get('when__c')?.type, 'datetime');
    assert.equal(w.fields.get('active__c')?.type, 'boolean');
    assert.equal(w.fields.get('active__c')?.defaultValue, true);
    assert.equal(w.fields.get('priority__c')?.defaultValue, 5);
    const status = w.fields.get('status__c')!;
    assert.deepEqual(
      status.picklistValues.map((p) => p.value),
      ['New', 'Active', 'Retired']
    );
    assert.equal(status.restrictedPicklist, true);
    assert.equal(status.defaultValue, 'New');
  });

  it('every object has the standard system fields (Object Reference: "System Fields")', () => {
    for (const name of ['Widget__c', 'Part__c', 'Account', 'Lead']) {
      const o = org.schema.getObject(name);
      for (const f of [
        'Id',
        'IsDeleted',
        'CreatedDate',
        'CreatedById',
        'LastModifiedDate',
        'LastModifiedById',
        'SystemModstamp'
      ]) {
        assert.ok(o.fields.has(f.toLowerCase()), `${name}.${f}`);
        assert.equal(o.fields.get(f.toLowerCase())!.createable, false);
      }
    }
    assert.ok(
      org.schema.getObject('Widget__c').fields.has('ownerid'),
      'Private object has OwnerId'
    );
    assert.ok(
      !org.schema.getObject('Part__c').fields.has('ownerid'),
      'master-detail child has no owner'
    );
  });

  it('master-detail fields are required, cascade-delete, and name the child relationship <relationshipName>__r', () => {
    const f = org.schema.getField('Part__c', 'Widget__c')!;
    assert.equal(f.masterDetail, true);
    assert.equal(f.nillable, false);
    assert.equal(f.cascadeDelete, true);
    assert.equal(f.relationshipName, 'Widget__r');
    const rel = org.schema
      .getObject('Widget__c')
      .childRelationships.find((c) => c.childSObject === 'Part__c');
    assert.equal(rel?.relationshipName, 'Parts__r');
    assert.equal(rel?.cascadeDelete, true);
  });

  it('auto-number name fields and roll-up summaries are read-only (calculated)', () => {
    const name = org.schema.getField('Part__c', 'Name')!;
    assert.equal(name.autoNumber, true);
    assert.equal(name.createable, false);
    const cnt = org.schema.getField('Widget__c', 'Part_Count__c')!;
    assert.equal(cnt.rollup?.operation, 'count');
    assert.equal(cnt.createable, false);
    assert.equal(
      org.schema.getField('Widget__c', 'Qty_Total__c')!.rollup?.summarizedField,
      'Qty__c'
    );
  });

  it('fields under objects/Activity/ appear on both Event and Task (Activity custom fields)', () => {
    for (const o of ['Event', 'Task']) {
      const f = org.schema.getField(o, 'Widget__c');
      assert.equal(f?.type, 'reference', o);
      assert.deepEqual(f?.referenceTo, ['Widget__c']);
    }
    const rels = org.schema
      .getObject('Widget__c')
      .childRelationships.filter((c) => c.relationshipName === 'Widget_Activities__r');
    assert.deepEqual(rels.map((r) => r.childSObject).sort(), ['Event', 'Task']);
  });

  it('custom fields on standard objects are added to the built-in describe', () => {
    assert.equal(org.schema.getField('Lead', 'Ext_Id__c')?.externalId, true);
    assert.equal(org.schema.getField('Lead', 'Company')?.nillable, false);
    assert.equal(
      org.schema.getObject('Lead').childRelationships.find((c) => c.childSObject === 'Widget__c')
        ?.relationshipName,
      'Widgets__r'
    );
  });

  it('custom metadata types and their records load with DeveloperName, MasterLabel, QualifiedApiName and typed values', () => {
    const t = org.schema.getObject('Config__mdt');
    assert.equal(t.isCustomMetadata, true);
    const [rec] = org.customMetadata('Config__mdt');
    assert.equal(rec?.DeveloperName, 'Default');
    assert.equal(rec?.MasterLabel, 'Default');
    assert.equal(rec?.QualifiedApiName, 'Default');
    assert.equal(rec?.Enabled__c, true);
    assert.equal(rec?.Max__c, 250);
    assert.equal(rec?.Greeting__c, null);
  });

  it('record types under objects/<Object>/recordTypes/ become RecordType records and add RecordTypeId', () => {
    const rt = org.query(
      "SELECT Id, Name, DeveloperName, IsActive FROM RecordType WHERE SobjectType = 'Widget__c'"
    ).records;
    assert.deepEqual(
      rt.map((r) => [r.Name, r.DeveloperName, r.IsActive]),
      [['Gadget', 'Gadget', true]]
    );
    assert.equal(org.schema.getField('Widget__c', 'RecordTypeId')?.referenceTo[0], 'RecordType');
    const w = org.insert('Widget__c', [{ Name: 'g', RecordTypeId: rt[0]!.Id }]);
    assert.equal(w[0]!.success, true);
    assert.equal(
      org
        .query('SELECT RecordType.DeveloperName FROM Widget__c')
        .records.map((r) => (r.RecordType as { DeveloperName: string }).DeveloperName)[0],
      'Gadget'
    );
  });

  it('platform events are not queryable and publish after commit by default', () => {
    const e = org.schema.getObject('Ping__e');
    assert.equal(e.isPlatformEvent, true);
    assert.equal(e.queryable, false);
    assert.equal(e.publishBehavior, 'PublishAfterCommit');
    assert.ok(e.fields.has('replayid'));
  });

  it('standard objects carry their real fields and types (SOAP API Object Reference)', () => {
    const lead = org.schema.getObject('Lead');
    for (const f of [
      'FirstName',
      'LastName',
      'Name',
      'Company',
      'Email',
      'Phone',
      'MobilePhone',
      'Street',
      'City',
      'State',
      'PostalCode',
      'Country',
      'Status',
      'LeadSource',
      'IsConverted',
      'ConvertedContactId',
      'ConvertedAccountId',
      'ConvertedOpportunityId',
      'ConvertedDate',
      'OwnerId'
    ])
      assert.ok(lead.fields.has(f.toLowerCase()), `Lead.${f}`);
    assert.equal(lead.fields.get('name')!.compound, true);
    assert.deepEqual(lead.fields.get('ownerid')!.referenceTo, ['Group', 'User']);
    const ev = org.schema.getObject('Event');
    assert.deepEqual(ev.fields.get('whoid')!.referenceTo, ['Contact', 'Lead']);
    assert.ok(ev.fields.get('whatid')!.referenceTo.includes('Widget__c'));
    assert.equal(ev.fields.get('whatid')!.polymorphic, true);
    assert.equal(org.schema.getField('Opportunity', 'StageName')?.type, 'picklist');
    assert.equal(org.schema.getField('Profile', 'PermissionsApiEnabled')?.type, 'boolean');
    assert.equal(org.schema.getField('Organization', 'OrganizationType')?.type, 'string');
    assert.equal(
      org.schema.getField('Account', 'PersonEmail'),
      undefined,
      'no person account fields by default'
    );
  });

  it('Person Accounts switched on add IsPersonAccount, PersonContactId, PersonEmail… to Account', () => {
    const pa = fixtureOrg({ personAccounts: true });
    for (const f of [
      'IsPersonAccount',
      'PersonContactId',
      'FirstName',
      'LastName',
      'PersonEmail',
      'PersonMobilePhone',
      'PersonMailingStreet'
    ])
      assert.ok(pa.schema.getObject('Account').fields.has(f.toLowerCase()), f);
  });

  it('seeds a Developer Edition Organization, the standard profiles and an admin user', () => {
    const o = org.query('SELECT Name, OrganizationType, IsSandbox FROM Organization').records[0]!;
    assert.equal(o.OrganizationType, 'Developer Edition');
    assert.equal(o.IsSandbox, false);
    const names = org.query('SELECT Name FROM Profile ORDER BY Name').records.map((r) => r.Name);
    assert.deepEqual(names, [
      'Minimum Access - Salesforce',
      'Standard User',
      'System Administrator'
    ]);
    const u = org.query('SELECT Name, Profile.Name, IsActive FROM User WHERE Id = :id', {
      id: org.adminUserId
    }).records[0]!;
    assert.equal((u.Profile as { Name: string }).Name, 'System Administrator');
    assert.equal(u.Name, 'Admin User');
    assert.equal(
      org.query('SELECT COUNT() FROM PermissionSet').totalSize,
      3,
      'one per project permission set'
    );
  });
});

describe('schema from the repository force-app (whatever it holds)', () => {
  it('loads every object and field of the project without errors, incl. custom metadata records', () => {
    const org = Org.loadSync(REPO);
    const custom = org.schema.objectNames().filter((n) => org.schema.getObject(n).custom);
    assert.ok(custom.length > 0, 'the project declares custom objects');
    for (const n of custom) {
      const o = org.schema.getObject(n);
      assert.ok(o.fields.has('id'), `${n} has Id`);
      for (const f of o.fieldList)
        if (f.type === 'reference')
          assert.ok(f.referenceTo.length > 0, `${n}.${f.name} references something`);
    }
    const mdt = custom.filter((n) => n.endsWith('__mdt'));
    for (const t of mdt)
      for (const r of org.customMetadata(t)) assert.equal(typeof r.DeveloperName, 'string');
  });

  it('the package objects of docs/data-model.md load with their relationships (Attendees__r, Coconut_Attendees__r, Activity lookup)', () => {
    const org = Org.loadSync(REPO);
    const appt = org.schema.getObject('Coconut_Appointment__c');
    assert.equal(appt.fields.get('coconut_id__c')?.externalId, true);
    assert.equal(appt.fields.get('attendee_count__c')?.rollup?.operation, 'count');
    assert.equal(
      appt.childRelationships.find((c) => c.childSObject === 'Coconut_Attendee__c')
        ?.relationshipName,
      'Attendees__r'
    );
    for (const parent of ['Lead', 'Contact', 'Account', 'Opportunity'])
      assert.equal(
        org.schema
          .getObject(parent)
          .childRelationships.find((c) => c.childSObject === 'Coconut_Attendee__c')
          ?.relationshipName,
        'Coconut_Attendees__r',
        parent
      );
    for (const o of ['Event', 'Task'])
      assert.deepEqual(org.schema.getField(o, 'Coconut_Appointment__c')?.referenceTo, [
        'Coconut_Appointment__c'
      ]);
    assert.equal(org.schema.getObject('Coconut_Appointment_Change__e').isPlatformEvent, true);
    assert.equal(
      org.customMetadata('Coconut_Settings__mdt').find((r) => r.DeveloperName === 'Default')
        ?.DeveloperName,
      'Default'
    );
  });
});

describe('standard object labels (Object Reference; DescribeSObjectResult.getLabelPlural)', () => {
  const org = fixtureOrg();

  it('built-in objects carry their real singular and plural labels, not label + "s"', () => {
    const labels = (n: string) => {
      const o = org.schema.getObject(n);
      return [o.label, o.labelPlural];
    };
    assert.deepEqual(labels('Opportunity'), ['Opportunity', 'Opportunities']);
    assert.deepEqual(labels('Event'), ['Event', 'Events']);
    assert.deepEqual(labels('Task'), ['Task', 'Tasks']);
    assert.deepEqual(labels('ApexClass'), ['Apex Class', 'Apex Classes']);
    assert.deepEqual(labels('RecordType'), ['Record Type', 'Record Types']);
    assert.deepEqual(labels('UserRole'), ['Role', 'Roles']);
  });

  it('standard Name fields have their describe labels', () => {
    const label = (o: string) => org.schema.getObject(o).fields.get('name')?.label;
    assert.equal(label('Account'), 'Account Name');
    assert.equal(label('Contact'), 'Full Name');
    assert.equal(label('Lead'), 'Full Name');
    assert.equal(label('Opportunity'), 'Name');
  });

  it('a label without a declared plural is pluralised by English rules', async () => {
    const { pluralLabel } = await import('../fields.ts');
    assert.equal(pluralLabel('Opportunity'), 'Opportunities');
    assert.equal(pluralLabel('Address'), 'Addresses');
    assert.equal(pluralLabel('Survey Key'), 'Survey Keys');
    assert.equal(pluralLabel('Box'), 'Boxes');
  });
});
