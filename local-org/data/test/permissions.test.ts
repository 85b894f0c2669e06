import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PROFILE_NAMES, QueryError } from '../index.ts';
import { assignPermissionSet, fixtureOrg, makeUser, ok } from './helpers.ts';

describe('permissions: profiles + permission sets (Salesforce Help: "Object Permissions", "Field-Level Security")', () => {
  it('System Administrator has every object and field permission plus Modify All Data and API Enabled', () => {
    const org = fixtureOrg();
    const p = org.permissions;
    assert.deepEqual(p.objectAccess(org.adminUserId, 'Widget__c'), {
      read: true,
      create: true,
      edit: true,
      delete: true,
      viewAll: true,
      modifyAll: true
    });
    assert.deepEqual(p.fieldAccess(org.adminUserId, 'Widget__c', 'Email__c'), {
      readable: true,
      editable: true
    });
    assert.ok(p.hasUserPermission(org.adminUserId, 'ModifyAllData'));
    assert.ok(p.hasUserPermission(org.adminUserId, 'PermissionsApiEnabled'));
    assert.ok(p.classAccess(org.adminUserId, 'AnyClass'));
  });

  it('Standard User: standard CRM objects yes, custom objects and custom fields no', () => {
    const org = fixtureOrg();
    const u = makeUser(org, PROFILE_NAMES.standard);
    assert.equal(org.permissions.objectAccess(u, 'Account').create, true);
    assert.equal(org.permissions.objectAccess(u, 'Widget__c').read, false);
    assert.equal(org.permissions.fieldAccess(u, 'Lead', 'Email').readable, true);
    assert.equal(org.permissions.fieldAccess(u, 'Lead', 'Ext_Id__c').readable, false);
    assert.ok(org.permissions.hasUserPermission(u, 'ApiEnabled'));
    assert.ok(!org.permissions.classAccess(u, 'WidgetController'));
  });

  it('Minimum Access - Salesforce: nothing on CRM or custom objects, no API access', () => {
    const org = fixtureOrg();
    const u = makeUser(org, PROFILE_NAMES.minimum);
    assert.equal(org.permissions.objectAccess(u, 'Account').read, false);
    assert.equal(org.permissions.objectAccess(u, 'Widget__c').read, false);
    assert.ok(!org.permissions.hasUserPermission(u, 'ApiEnabled'));
  });

  it('a permission set assignment grants its objectPermissions, fieldPermissions, classAccesses and userPermissions', () => {
    const org = fixtureOrg();
    const u = makeUser(org, PROFILE_NAMES.minimum);
    assignPermissionSet(org, u, 'Widget_Reader');
    assert.deepEqual(org.permissions.objectAccess(u, 'Widget__c'), {
      read: true,
      create: false,
      edit: false,
      delete: false,
      viewAll: false,
      modifyAll: false
    });
    assert.deepEqual(org.permissions.fieldAccess(u, 'Widget__c', 'Code__c'), {
      readable: true,
      editable: false
    });
    assert.equal(org.permissions.fieldAccess(u, 'Widget__c', 'Email__c').readable, false);
    assert.equal(
      org.permissions.fieldAccess(u, 'Widget__c', 'Name').readable,
      true,
      'the name field is not subject to FLS'
    );
    assert.ok(org.permissions.classAccess(u, 'widgetcontroller'));
    assert.ok(org.permissions.hasUserPermission(u, 'ApiEnabled'));
  });
});

describe('field-level security of standard fields granted through a permission set', () => {
  it('optional standard fields need a fieldPermission; name parts, required and read-only fields come with the object', () => {
    const org = fixtureOrg();
    const u = makeUser(org, PROFILE_NAMES.minimum);
    assignPermissionSet(org, u, 'Lead_Reader');
    const fa = (f: string) => org.permissions.fieldAccess(u, 'Lead', f);
    assert.deepEqual(fa('Email'), { readable: true, editable: false });
    assert.equal(fa('Phone').readable, false);
    assert.deepEqual(
      fa('City'),
      { readable: true, editable: true },
      'Lead.Address grants the address components'
    );
    for (const f of [
      'FirstName',
      'LastName',
      'Company',
      'Status',
      'IsConverted',
      'ConvertedContactId',
      'OwnerId',
      'CreatedDate'
    ])
      assert.equal(fa(f).readable, true, f);
    assert.throws(
      () => org.query('SELECT Id, Phone FROM Lead WITH USER_MODE', {}, { userId: u }),
      /No such column 'Phone' on entity 'Lead'/
    );
    assert.equal(
      org.query('SELECT Id, FirstName, Email, City FROM Lead WITH USER_MODE', {}, { userId: u })
        .totalSize,
      0
    );
  });

  it('fields of the User object are readable by every user with the object', () => {
    const org = fixtureOrg();
    const u = makeUser(org, PROFILE_NAMES.minimum);
    assert.equal(org.permissions.fieldAccess(u, 'User', 'IsActive').readable, true);
    assert.equal(org.permissions.fieldAccess(u, 'User', 'Email').readable, true);
  });
});

describe('user mode and sharing (Apex Developer Guide: "Enforce User Mode for Database Operations")', () => {
  function setup() {
    const org = fixtureOrg();
    const reader = makeUser(org, PROFILE_NAMES.minimum, 'Reader');
    assignPermissionSet(org, reader, 'Widget_Reader');
    const editor = makeUser(org, PROFILE_NAMES.minimum, 'Editor');
    assignPermissionSet(org, editor, 'Widget_Editor');
    const [w] = ok(
      org.insert('Widget__c', [
        { Name: 'Shared', Code__c: 'S', Email__c: 'x@y.co', OwnerId: reader }
      ])
    );
    ok(org.insert('Widget__c', [{ Name: 'Admin-owned', Code__c: 'P' }]));
    return { org, reader, editor, widget: w!.id! };
  }

  it('system mode ignores CRUD/FLS and sharing', () => {
    const { org, reader } = setup();
    assert.equal(
      org.query('SELECT Name, Email__c FROM Widget__c', {}, { userId: reader }).totalSize,
      2
    );
  });

  it('WITH USER_MODE throws on a field the user cannot read and reports it in inaccessibleFields', () => {
    const { org, reader } = setup();
    assert.throws(
      () =>
        org.query('SELECT Name, Email__c FROM Widget__c WITH USER_MODE', {}, { userId: reader }),
      (e: unknown) =>
        e instanceof QueryError &&
        /No such column 'Email__c' on entity 'Widget__c'/.test(e.message) &&
        e.inaccessibleFields?.Widget__c?.includes('Email__c') === true
    );
  });

  it('USER_MODE checks the WHERE clause too; SECURITY_ENFORCED checks only the SELECT list', () => {
    const { org, reader } = setup();
    assert.throws(
      () =>
        org.query(
          "SELECT Name FROM Widget__c WHERE Email__c = 'x@y.co' WITH USER_MODE",
          {},
          { userId: reader }
        ),
      QueryError
    );
    assert.equal(
      org.query(
        "SELECT Name FROM Widget__c WHERE Email__c = 'x@y.co' WITH SECURITY_ENFORCED",
        {},
        { userId: reader }
      ).totalSize,
      1
    );
    assert.throws(
      () =>
        org.query('SELECT Email__c FROM Widget__c WITH SECURITY_ENFORCED', {}, { userId: reader }),
      /Insufficient permissions: secure query included inaccessible field/
    );
  });

  it('user mode applies sharing: a Private object shows only owned records; ModifyAllData sees everything', () => {
    const { org, reader } = setup();
    const mine = org
      .query('SELECT Name, Code__c FROM Widget__c', {}, { userId: reader, mode: 'user' })
      .records.map((r) => r.Name);
    assert.deepEqual(mine, ['Shared']);
    assert.equal(org.query('SELECT Name FROM Widget__c', {}, { mode: 'user' }).totalSize, 2);
  });

  it('system mode in a "with sharing" class applies sharing but not FLS', () => {
    const { org, reader } = setup();
    const r = org.query(
      'SELECT Name, Email__c FROM Widget__c',
      {},
      { userId: reader, sharing: 'with' }
    ).records;
    assert.deepEqual(
      r.map((x) => x.Name),
      ['Shared']
    );
  });

  it("ControlledByParent detail records follow the master record's access", () => {
    const { org, reader, widget } = setup();
    const other = org.query("SELECT Id FROM Widget__c WHERE Code__c = 'P'").records[0]!
      .Id as string;
    ok(
      org.insert('Part__c', [
        { Widget__c: widget, Label__c: 'mine' },
        { Widget__c: other, Label__c: 'theirs' }
      ])
    );
    assert.equal(
      org.permissions.recordAccess(
        reader,
        org.schema.getObject('Part__c'),
        org.query("SELECT Id, Widget__c FROM Part__c WHERE Label__c = 'mine'").records[0] as never
      ),
      'edit'
    );
    const visible = org
      .query('SELECT Label__c FROM Part__c', {}, { userId: reader, sharing: 'with' })
      .records.map((r) => r.Label__c);
    assert.deepEqual(visible, ['mine']);
  });

  it('user-mode DML: object create permission required (INSUFFICIENT_ACCESS_OR_READONLY)', () => {
    const { org, reader } = setup();
    const r = org.insert('Widget__c', [{ Name: 'x' }], { userId: reader, mode: 'user' });
    assert.equal(r[0]!.errors[0]!.statusCode, 'INSUFFICIENT_ACCESS_OR_READONLY');
  });

  it('user-mode DML: writing a field without edit FLS fails with INVALID_FIELD_FOR_INSERT_UPDATE and names the field', () => {
    const { org, editor } = setup();
    const r = org.insert('Widget__c', [{ Name: 'x', Code__c: 'E1', Email__c: 'a@b.co' }], {
      userId: editor,
      mode: 'user'
    });
    assert.equal(r[0]!.errors[0]!.statusCode, 'INVALID_FIELD_FOR_INSERT_UPDATE');
    assert.deepEqual(r[0]!.errors[0]!.fields, ['Email__c']);
    ok(
      org.insert('Widget__c', [{ Name: 'x', Code__c: 'E1', Status__c: 'Active' }], {
        userId: editor,
        mode: 'user'
      })
    );
  });

  it('user-mode DML: updating a record the user cannot edit under sharing fails with INSUFFICIENT_ACCESS_OR_READONLY', () => {
    const { org, editor, widget } = setup();
    const r = org.update('Widget__c', [{ Id: widget, Status__c: 'Active' }], {
      userId: editor,
      mode: 'user'
    });
    assert.deepEqual(r[0]!.errors[0], {
      statusCode: 'INSUFFICIENT_ACCESS_OR_READONLY',
      message: 'insufficient access rights on object id',
      fields: []
    });
    ok(
      org.update('Widget__c', [{ Id: widget, Status__c: 'Active' }], {
        userId: editor,
        mode: 'system'
      })
    );
  });

  it('records created in user mode are owned by the running user, who can then see and edit them', () => {
    const { org, editor } = setup();
    const id = ok(
      org.insert('Widget__c', [{ Name: 'Mine', Code__c: 'M' }], { userId: editor, mode: 'user' })
    )[0]!.id!;
    assert.equal(org.getRecord(id)!.OwnerId, editor);
    ok(
      org.update('Widget__c', [{ Id: id, Status__c: 'Active' }], { userId: editor, mode: 'user' })
    );
    assert.deepEqual(
      org
        .query('SELECT Name FROM Widget__c', {}, { userId: editor, mode: 'user' })
        .records.map((r) => r.Name),
      ['Mine']
    );
  });

  it('a Public Read Only (Read) object is visible but not editable by non-owners; custom metadata is readable by all', () => {
    const org = fixtureOrg();
    const u = makeUser(org, PROFILE_NAMES.standard);
    const acc = ok(org.insert('Account', [{ Name: 'A' }]))[0]!.id!;
    assert.equal(
      org.permissions.recordAccess(u, org.schema.getObject('Account'), org.getRecord(acc)!),
      'edit',
      'Account OWD is Public Read/Write in a new org'
    );
    org.schema.getObject('Account').sharingModel = 'Read';
    assert.equal(
      org.permissions.recordAccess(u, org.schema.getObject('Account'), org.getRecord(acc)!),
      'read'
    );
    assert.equal(
      org.query('SELECT DeveloperName FROM Config__mdt WITH USER_MODE', {}, { userId: u })
        .totalSize,
      1
    );
  });

  it('standard org-wide defaults of a new org: Lead read/write/transfer, Opportunity public read only, activities private but visible through their related record', () => {
    const org = fixtureOrg();
    const u = makeUser(org, PROFILE_NAMES.standard);
    const acc = ok(org.insert('Account', [{ Name: 'A' }]))[0]!.id!;
    const lead = ok(org.insert('Lead', [{ LastName: 'L', Company: 'C' }]))[0]!.id!;
    const opp = ok(
      org.insert('Opportunity', [
        { Name: 'O', StageName: 'Prospecting', CloseDate: '2026-04-01', AccountId: acc }
      ])
    )[0]!.id!;
    const [onAcc, loose] = ok(
      org.insert('Task', [{ Subject: 'on account', WhatId: acc }, { Subject: 'loose' }])
    );
    const access = (id: string) =>
      org.permissions.recordAccess(u, org.schema.objectForId(id)!, org.getRecord(id)!);
    assert.equal(access(lead), 'edit');
    assert.equal(access(opp), 'read');
    assert.equal(access(onAcc!.id!), 'read');
    assert.equal(access(loose!.id!), 'none');
    const r = org.update('Opportunity', [{ Id: opp, StageName: 'Qualification' }], {
      userId: u,
      mode: 'user'
    });
    assert.equal(r[0]!.errors[0]!.statusCode, 'INSUFFICIENT_ACCESS_OR_READONLY');
  });

  it('under sharing, a detail record needs edit access on its master and lookups must point at visible records (INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY)', () => {
    const { org, editor, widget } = setup();
    assignPermissionSet(org, editor, 'Widget_Reader');
    const r = org.insert('Part__c', [{ Widget__c: widget, Label__c: 'x' }], {
      userId: editor,
      sharing: 'with'
    });
    assert.equal(r[0]!.errors[0]!.statusCode, 'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY');
    const mine = ok(
      org.insert('Widget__c', [{ Name: 'Mine', Code__c: 'MX' }], { userId: editor })
    )[0]!.id!;
    ok(
      org.insert('Part__c', [{ Widget__c: mine, Label__c: 'x' }], {
        userId: editor,
        sharing: 'with'
      })
    );
    ok(
      org.insert('Part__c', [{ Widget__c: widget, Label__c: 'no sharing' }], {
        userId: editor
      })
    );
  });
});
