import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DmlOperationError, PROFILE_NAMES } from '../index.ts';
import { fixtureOrg, makeUser, ok } from './helpers.ts';

const first = (r: { errors: { statusCode: string; message: string; fields: string[] }[] }[]) =>
  r[0]!.errors[0]!;

describe('DML validation (StatusCode and message as the platform reports them)', () => {
  it('REQUIRED_FIELD_MISSING lists every missing required field: "Required fields are missing: [LastName, Company]"', () => {
    const org = fixtureOrg();
    const r = org.insert('Lead', [{ FirstName: 'A' }]);
    assert.equal(r[0]!.success, false);
    assert.deepEqual(first(r), {
      statusCode: 'REQUIRED_FIELD_MISSING',
      message: 'Required fields are missing: [LastName, Company]',
      fields: ['LastName', 'Company']
    });
  });

  it('an empty string counts as missing for a required field (the platform stores "" as null)', () => {
    const org = fixtureOrg();
    const [w] = ok(org.insert('Widget__c', [{ Name: 'W' }]));
    const r = org.insert('Part__c', [{ Widget__c: w!.id, Label__c: '' }]);
    assert.equal(first(r).statusCode, 'REQUIRED_FIELD_MISSING');
    assert.deepEqual(first(r).fields, ['Label__c']);
  });

  it('STRING_TOO_LONG: "<label>: data value too large: <value> (max length=<n>)"', () => {
    const org = fixtureOrg();
    const r = org.insert('Widget__c', [{ Name: 'W', Code__c: 'ABCDEFGHIJK' }]);
    assert.deepEqual(first(r), {
      statusCode: 'STRING_TOO_LONG',
      message: 'Code: data value too large: ABCDEFGHIJK (max length=10)',
      fields: ['Code__c']
    });
  });

  it('INVALID_EMAIL_ADDRESS: "<label>: invalid email address: <value>"', () => {
    const org = fixtureOrg();
    const r = org.insert('Widget__c', [{ Name: 'W', Email__c: 'not-an-email' }]);
    assert.deepEqual(first(r), {
      statusCode: 'INVALID_EMAIL_ADDRESS',
      message: 'Email: invalid email address: not-an-email',
      fields: ['Email__c']
    });
    ok(org.insert('Widget__c', [{ Name: 'W', Email__c: 'first.last+tag@sub.example.co.uk' }]));
  });

  it('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: "<label>: bad value for restricted picklist field: <value>"', () => {
    const org = fixtureOrg();
    const r = org.insert('Widget__c', [{ Name: 'W', Status__c: 'Unknown' }]);
    assert.deepEqual(first(r), {
      statusCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
      message: 'Status: bad value for restricted picklist field: Unknown',
      fields: ['Status__c']
    });
    const m = org.insert('Widget__c', [{ Name: 'W', Tags__c: 'Red;Pink' }]);
    assert.equal(first(m).message, 'Tags: bad value for restricted picklist field: Pink');
  });

  it('DUPLICATE_VALUE on a unique field, case-insensitive unless the field is case-sensitive', () => {
    const org = fixtureOrg();
    const [a] = ok(org.insert('Widget__c', [{ Name: 'A', Code__c: 'abc' }]));
    const r = org.insert('Widget__c', [{ Name: 'B', Code__c: 'ABC' }]);
    assert.deepEqual(first(r), {
      statusCode: 'DUPLICATE_VALUE',
      message: `duplicate value found: Code__c duplicates value on record with id: ${a!.id}`,
      fields: ['Code__c']
    });
  });

  it('DUPLICATE_VALUE within one batch names <unknown> as the other record', () => {
    const org = fixtureOrg();
    const r = org.insert(
      'Widget__c',
      [
        { Name: 'A', Code__c: 'x' },
        { Name: 'B', Code__c: 'X' }
      ],
      {},
      { allOrNone: false }
    );
    assert.equal(r[0]!.success, true);
    assert.equal(
      r[1]!.errors[0]!.message,
      'duplicate value found: Code__c duplicates value on record with id: <unknown>'
    );
  });

  it('NUMBER_OUTSIDE_VALID_RANGE when integer digits exceed precision - scale; values are rounded to the scale', () => {
    const org = fixtureOrg();
    const r = org.insert('Widget__c', [{ Name: 'W', Amount__c: 1000 }]);
    assert.deepEqual(first(r), {
      statusCode: 'NUMBER_OUTSIDE_VALID_RANGE',
      message: 'Amount: value outside of valid range on numeric field: 1000',
      fields: ['Amount__c']
    });
    const [w] = ok(org.insert('Widget__c', [{ Name: 'W', Amount__c: 999.994 }]));
    assert.equal(org.getRecord(w!.id!)!.Amount__c, 999.99);
  });

  it('bad lookups: MALFORMED_ID, FIELD_INTEGRITY_EXCEPTION (wrong object), INVALID_CROSS_REFERENCE_KEY (no such record)', () => {
    const org = fixtureOrg();
    assert.equal(
      first(org.insert('Widget__c', [{ Name: 'W', Lead__c: 'xyz' }])).statusCode,
      'MALFORMED_ID'
    );
    const acc = ok(org.insert('Account', [{ Name: 'Acme' }]))[0]!.id!;
    const wrong = first(org.insert('Widget__c', [{ Name: 'W', Lead__c: acc }]));
    assert.equal(wrong.statusCode, 'FIELD_INTEGRITY_EXCEPTION');
    assert.equal(wrong.message, `Lead: id value of incorrect type: ${acc}`);
    const ghost = org.newId('Lead');
    assert.equal(
      first(org.insert('Widget__c', [{ Name: 'W', Lead__c: ghost }])).statusCode,
      'INVALID_CROSS_REFERENCE_KEY'
    );
  });

  it('INVALID_FIELD_FOR_INSERT_UPDATE for auto-number and roll-up summary fields', () => {
    const org = fixtureOrg();
    const r = org.insert('Widget__c', [{ Name: 'W', Part_Count__c: 3 }]);
    assert.equal(first(r).statusCode, 'INVALID_FIELD_FOR_INSERT_UPDATE');
    assert.deepEqual(first(r).fields, ['Part_Count__c']);
  });

  it('an Id on insert is rejected; update needs an Id', () => {
    const org = fixtureOrg();
    assert.equal(
      first(org.insert('Account', [{ Id: org.newId('Account'), Name: 'x' }])).statusCode,
      'INVALID_FIELD_FOR_INSERT_UPDATE'
    );
    assert.equal(first(org.update('Account', [{ Name: 'x' }])).statusCode, 'MISSING_ARGUMENT');
  });

  it('ENTITY_IS_DELETED when updating or deleting a record in the recycle bin', () => {
    const org = fixtureOrg();
    const id = ok(org.insert('Account', [{ Name: 'x' }]))[0]!.id!;
    ok(org.delete([id]));
    assert.deepEqual(first(org.update('Account', [{ Id: id, Name: 'y' }])), {
      statusCode: 'ENTITY_IS_DELETED',
      message: 'entity is deleted',
      fields: []
    });
    assert.equal(first(org.delete([id])).statusCode, 'ENTITY_IS_DELETED');
  });

  it('DML on custom metadata is not allowed ("DML operation Insert not allowed on Config__mdt")', () => {
    const org = fixtureOrg();
    assert.throws(
      () => org.insert('Config__mdt', [{ DeveloperName: 'X', MasterLabel: 'X' }]),
      (e: unknown) =>
        e instanceof DmlOperationError &&
        e.message === 'DML operation Insert not allowed on Config__mdt'
    );
    const id = org.customMetadata('Config__mdt')[0]!.Id as string;
    assert.throws(() => org.delete([id]), /DML operation Delete not allowed on Config__mdt/);
  });

  it('a list with the same id twice is rejected as a whole (System.ListException: Duplicate id in list)', () => {
    const org = fixtureOrg();
    const id = ok(org.insert('Account', [{ Name: 'x' }]))[0]!.id!;
    assert.throws(
      () => org.update('Account', [{ Id: id }, { Id: id }]),
      (e: unknown) => e instanceof DmlOperationError && e.apexType === 'System.ListException'
    );
  });
});

describe('DML save behaviour', () => {
  it('system fields are set on insert and LastModifiedDate moves on update; OwnerId defaults to the running user', () => {
    let now = new Date('2026-03-15T17:30:00.000Z');
    const org = fixtureOrg({ now: () => now });
    const id = ok(org.insert('Widget__c', [{ Name: 'W' }]))[0]!.id!;
    let r = org.getRecord(id)!;
    assert.equal(r.CreatedDate, '2026-03-15T17:30:00.000Z');
    assert.equal(r.CreatedById, org.adminUserId);
    assert.equal(r.OwnerId, org.adminUserId);
    assert.equal(r.IsDeleted, false);
    now = new Date('2026-03-15T18:00:00.000Z');
    ok(org.update('Widget__c', [{ Id: id, Name: 'W2', CreatedDate: '2000-01-01T00:00:00.000Z' }]));
    r = org.getRecord(id)!;
    assert.equal(r.LastModifiedDate, '2026-03-15T18:00:00.000Z');
    assert.equal(
      r.CreatedDate,
      '2026-03-15T17:30:00.000Z',
      'system fields sent back on update are ignored'
    );
  });

  it('default values apply to fields the caller did not set (checkbox default, number default, picklist default)', () => {
    const org = fixtureOrg();
    const id = ok(org.insert('Widget__c', [{ Name: 'W' }]))[0]!.id!;
    const r = org.getRecord(id)!;
    assert.equal(r.Active__c, true);
    assert.equal(r.Priority__c, 5);
    assert.equal(r.Status__c, 'New');
    assert.equal(
      r.Review_Date__c,
      '2026-03-22',
      'default value formula TODAY() + 7 (user time zone)'
    );
    const id2 = ok(org.insert('Widget__c', [{ Name: 'W', Active__c: false, Status__c: null }]))[0]!
      .id!;
    assert.equal(org.getRecord(id2)!.Active__c, false);
    assert.equal(org.getRecord(id2)!.Status__c, null, 'an explicit null is kept');
  });

  it('Name is compound for Lead, Contact and User (FirstName + LastName)', () => {
    const org = fixtureOrg();
    const id = ok(org.insert('Contact', [{ FirstName: 'Grace', LastName: 'Hopper' }]))[0]!.id!;
    assert.equal(
      org.query('SELECT Name FROM Contact WHERE Id = :id', { id }).records[0]!.Name,
      'Grace Hopper'
    );
    ok(org.update('Contact', [{ Id: id, FirstName: null }]));
    assert.equal(org.getRecord(id)!.Name, 'Hopper');
    assert.equal(
      first(org.insert('Contact', [{ FirstName: 'x', Name: 'y', LastName: 'z' }])).statusCode,
      'INVALID_FIELD_FOR_INSERT_UPDATE'
    );
  });

  it('Auto Number names follow the display format and are not rolled back', () => {
    const org = fixtureOrg();
    const w = ok(org.insert('Widget__c', [{ Name: 'W' }]))[0]!.id!;
    const sp = org.setSavepoint();
    ok(org.insert('Part__c', [{ Widget__c: w, Label__c: 'a' }]));
    org.rollback(sp);
    const p = ok(org.insert('Part__c', [{ Widget__c: w, Label__c: 'b' }]))[0]!.id!;
    assert.equal(org.getRecord(p)!.Name, 'P-0002');
  });

  it('roll-up summary COUNT and SUM are recalculated on insert, update, delete and undelete of children', () => {
    const org = fixtureOrg();
    const w = ok(org.insert('Widget__c', [{ Name: 'W' }]))[0]!.id!;
    const parts = ok(
      org.insert('Part__c', [
        { Widget__c: w, Label__c: 'a', Qty__c: 2 },
        { Widget__c: w, Label__c: 'b', Qty__c: 3 }
      ])
    );
    const get = () => org.query('SELECT Part_Count__c, Qty_Total__c FROM Widget__c').records[0]!;
    assert.deepEqual([get().Part_Count__c, get().Qty_Total__c], [2, 5]);
    ok(org.update('Part__c', [{ Id: parts[0]!.id, Qty__c: 10 }]));
    assert.deepEqual([get().Part_Count__c, get().Qty_Total__c], [2, 13]);
    ok(org.delete([parts[1]!.id!]));
    assert.deepEqual([get().Part_Count__c, get().Qty_Total__c], [1, 10]);
    ok(org.undelete([parts[1]!.id!]));
    assert.deepEqual([get().Part_Count__c, get().Qty_Total__c], [2, 13]);
  });

  it('deleting a master cascades to its detail records; undelete restores them', () => {
    const org = fixtureOrg();
    const w = ok(org.insert('Widget__c', [{ Name: 'W' }]))[0]!.id!;
    ok(org.insert('Part__c', [{ Widget__c: w, Label__c: 'a' }]));
    ok(org.delete([w]));
    assert.equal(org.query('SELECT COUNT() FROM Part__c').totalSize, 0);
    assert.equal(org.query('SELECT COUNT() FROM Part__c ALL ROWS').totalSize, 1);
    ok(org.undelete([w]));
    assert.equal(org.query('SELECT COUNT() FROM Part__c').totalSize, 1);
  });

  it('deleting a lookup parent sets the lookup to null (deleteConstraint SetNull); undelete restores it', () => {
    const org = fixtureOrg();
    const lead = ok(org.insert('Lead', [{ LastName: 'L', Company: 'C' }]))[0]!.id!;
    const w = ok(org.insert('Widget__c', [{ Name: 'W', Lead__c: lead }]))[0]!.id!;
    ok(org.delete([lead]));
    assert.equal(org.getRecord(w)!.Lead__c, null);
    ok(org.undelete([lead]));
    assert.equal(org.getRecord(w)!.Lead__c, lead, 'undelete restores the cleared lookup');
  });

  it('upsert by external id inserts new keys and updates existing ones (UpsertResult.isCreated)', () => {
    const org = fixtureOrg();
    ok(org.insert('Widget__c', [{ Name: 'Old', Code__c: 'K1' }]));
    const r = ok(
      org.upsert(
        'Widget__c',
        [
          { Name: 'New1', Code__c: 'k1' },
          { Name: 'New2', Code__c: 'K2' }
        ],
        'Code__c'
      )
    );
    assert.deepEqual(
      r.map((x) => x.created),
      [false, true]
    );
    assert.deepEqual(
      org.query('SELECT Name FROM Widget__c ORDER BY Name').records.map((x) => x.Name),
      ['New1', 'New2']
    );
  });

  it('upsert: a key twice in one call is DUPLICATE_EXTERNAL_ID; two matching records is DUPLICATE_EXTERNAL_ID; a non-external-id field throws', () => {
    const org = fixtureOrg();
    const r = org.upsert(
      'Widget__c',
      [
        { Name: 'a', Code__c: 'Z' },
        { Name: 'b', Code__c: 'z' }
      ],
      'Code__c',
      {},
      { allOrNone: false }
    );
    assert.equal(r[1]!.errors[0]!.statusCode, 'DUPLICATE_EXTERNAL_ID');
    ok(
      org.insert('Lead', [
        { LastName: 'a', Company: 'c', Ext_Id__c: 'E1' },
        { LastName: 'b', Company: 'c', Ext_Id__c: 'E1' }
      ])
    );
    const d = org.upsert('Lead', [{ LastName: 'x', Company: 'c', Ext_Id__c: 'E1' }], 'Ext_Id__c');
    assert.equal(first(d).statusCode, 'DUPLICATE_EXTERNAL_ID');
    assert.throws(() => org.upsert('Widget__c', [{ Name: 'x' }], 'Name'), DmlOperationError);
  });

  it('upsert by Id updates records with an Id and inserts the rest', () => {
    const org = fixtureOrg();
    const id = ok(org.insert('Account', [{ Name: 'A' }]))[0]!.id!;
    const r = ok(org.upsert('Account', [{ Id: id, Name: 'A2' }, { Name: 'B' }]));
    assert.deepEqual(
      r.map((x) => x.created),
      [false, true]
    );
    assert.equal(org.getRecord(id)!.Name, 'A2');
  });

  it('allOrNone=true: one bad record → nothing is saved', () => {
    const org = fixtureOrg();
    const r = org.insert('Account', [{ Name: 'good' }, { Name: null }]);
    assert.deepEqual(
      r.map((x) => x.success),
      [false, false]
    );
    assert.deepEqual(r[0]!.errors, []);
    assert.equal(r[1]!.errors[0]!.statusCode, 'REQUIRED_FIELD_MISSING');
    assert.equal(org.query('SELECT COUNT() FROM Account').totalSize, 0);
  });

  it('allOrNone=false: good records are saved, bad ones report their errors in order', () => {
    const org = fixtureOrg();
    const r = org.insert(
      'Account',
      [{ Name: 'good' }, { Name: null }, { Name: 'also good' }],
      {},
      { allOrNone: false }
    );
    assert.deepEqual(
      r.map((x) => x.success),
      [true, false, true]
    );
    assert.equal(org.query('SELECT COUNT() FROM Account').totalSize, 2);
    assert.ok(r[0]!.id && r[2]!.id && r[1]!.id === null);
  });

  it('delete of a record that does not exist → INVALID_CROSS_REFERENCE_KEY; undelete of a live record → UNDELETE_FAILED', () => {
    const org = fixtureOrg();
    assert.equal(
      first(org.delete([org.newId('Account')])).statusCode,
      'INVALID_CROSS_REFERENCE_KEY'
    );
    const id = ok(org.insert('Account', [{ Name: 'x' }]))[0]!.id!;
    assert.equal(first(org.undelete([id])).statusCode, 'UNDELETE_FAILED');
  });

  it('Event: StartDateTime + DurationInMinutes derive EndDateTime, ActivityDateTime and ActivityDate (owner time zone)', () => {
    const org = fixtureOrg();
    const id = ok(
      org.insert('Event', [
        { Subject: 'Meet', StartDateTime: '2026-03-16T05:00:00.000Z', DurationInMinutes: 30 }
      ])
    )[0]!.id!;
    const e = org.getRecord(id)!;
    assert.equal(e.EndDateTime, '2026-03-16T05:30:00.000Z');
    assert.equal(e.ActivityDateTime, '2026-03-16T05:00:00.000Z');
    assert.equal(e.ActivityDate, '2026-03-15', '05:00Z is still the 15th in Los Angeles');
    assert.equal(
      first(org.insert('Event', [{ Subject: 'x' }])).statusCode,
      'REQUIRED_FIELD_MISSING'
    );
  });

  it('Person Accounts: an Account with the person record type (RecordType.IsPersonType) is a person account', () => {
    const org = fixtureOrg({ personAccounts: true });
    const rt = org.query(
      "SELECT Id FROM RecordType WHERE SobjectType = 'Account' AND IsPersonType = true AND IsActive = true"
    ).records[0]!.Id;
    const business = org.query(
      "SELECT Id FROM RecordType WHERE SobjectType = 'Account' AND IsPersonType = false"
    ).records[0]!.Id;
    const [p, b] = ok(
      org.insert('Account', [
        { RecordTypeId: rt, LastName: 'Curie' },
        { RecordTypeId: business, Name: 'Acme' }
      ])
    );
    assert.equal(org.getRecord(p!.id!)!.IsPersonAccount, true);
    assert.equal(org.getRecord(p!.id!)!.Name, 'Curie');
    assert.equal(org.getRecord(b!.id!)!.IsPersonAccount, false);
    assert.throws(
      () => fixtureOrg().query('SELECT IsPersonType FROM RecordType'),
      /No such column 'IsPersonType'/
    );
  });

  it('Person Accounts: inserting an Account with LastName makes a person account with its PersonContact', () => {
    const org = fixtureOrg({ personAccounts: true });
    const id = ok(
      org.insert('Account', [
        { FirstName: 'Ada', LastName: 'Lovelace', PersonEmail: 'ada@example.com' }
      ])
    )[0]!.id!;
    const a = org.query(
      'SELECT Name, IsPersonAccount, PersonContactId, PersonEmail FROM Account WHERE Id = :id',
      { id }
    ).records[0]!;
    assert.equal(a.Name, 'Ada Lovelace');
    assert.equal(a.IsPersonAccount, true);
    const c = org.query('SELECT Email, AccountId, IsPersonAccount FROM Contact WHERE Id = :id', {
      id: a.PersonContactId
    }).records[0]!;
    assert.deepEqual([c.Email, c.AccountId, c.IsPersonAccount], ['ada@example.com', id, true]);
    assert.equal(
      org.query("SELECT COUNT() FROM Account WHERE PersonEmail = 'ADA@example.com'").totalSize,
      1
    );
  });

  it('platform events: insert publishes to the event bus (not queryable, not stored as records)', () => {
    const org = fixtureOrg();
    const r = ok(org.insert('Ping__e', [{ Message__c: 'hello' }]));
    assert.equal(org.eventBus.length, 1);
    assert.equal(org.eventBus[0]!.record.Message__c, 'hello');
    assert.equal(org.eventBus[0]!.record.Id, r[0]!.id);
    assert.equal(first(org.insert('Ping__e', [{}])).statusCode, 'REQUIRED_FIELD_MISSING');
    assert.throws(
      () => org.update('Ping__e', [{ Id: r[0]!.id }]),
      /DML operation Update not allowed on Ping__e/
    );
  });

  it('more than 200 records are processed in chunks of 200 (trigger invocations per chunk)', () => {
    const org = fixtureOrg();
    const sizes: number[] = [];
    org.setTriggerHook((ev) => {
      if (ev.when === 'before') sizes.push(ev.newRecords!.length);
    });
    ok(
      org.insert(
        'Account',
        Array.from({ length: 450 }, (_, i) => ({ Name: `A${i}` }))
      )
    );
    assert.deepEqual(sizes, [200, 200, 50]);
  });

  it('Database.convertLead creates Account, Contact and Opportunity and marks the Lead converted', () => {
    const org = fixtureOrg();
    const lead = ok(
      org.insert('Lead', [
        {
          FirstName: 'Ann',
          LastName: 'Lee',
          Company: 'Acme',
          Email: 'ann@acme.test',
          City: 'Ottawa'
        }
      ])
    )[0]!.id!;
    const status = org.query('SELECT MasterLabel FROM LeadStatus WHERE IsConverted = TRUE LIMIT 1')
      .records[0]!.MasterLabel as string;
    const [r] = org.convertLead([{ leadId: lead, convertedStatus: status }]);
    assert.equal(r!.success, true);
    const l = org.query(
      'SELECT IsConverted, ConvertedContactId, ConvertedAccountId, ConvertedOpportunityId, ConvertedDate, Status FROM Lead'
    ).records[0]!;
    assert.deepEqual(
      [
        l.IsConverted,
        l.ConvertedContactId,
        l.ConvertedAccountId,
        l.ConvertedOpportunityId,
        l.ConvertedDate,
        l.Status
      ],
      [true, r!.contactId, r!.accountId, r!.opportunityId, '2026-03-15', 'Closed - Converted']
    );
    const c = org.query('SELECT Name, Email, MailingCity, Account.Name FROM Contact').records[0]!;
    assert.deepEqual(
      [c.Name, c.Email, c.MailingCity, (c.Account as { Name: string }).Name],
      ['Ann Lee', 'ann@acme.test', 'Ottawa', 'Acme']
    );
    assert.equal(org.query('SELECT Name FROM Opportunity').records[0]!.Name, 'Acme-');
  });

  it('a converted Lead cannot be updated (CANNOT_UPDATE_CONVERTED_LEAD) or converted again; Converted* fields are read-only', () => {
    const org = fixtureOrg();
    const lead = ok(org.insert('Lead', [{ LastName: 'Lee', Company: 'Acme' }]))[0]!.id!;
    assert.equal(
      first(org.update('Lead', [{ Id: lead, ConvertedContactId: org.newId('Contact') }]))
        .statusCode,
      'INVALID_FIELD_FOR_INSERT_UPDATE'
    );
    assert.equal(
      org.convertLead([{ leadId: lead, convertedStatus: 'Working - Contacted' }])[0]!.errors[0]!
        .statusCode,
      'INVALID_STATUS'
    );
    assert.ok(
      org.convertLead([
        { leadId: lead, convertedStatus: 'Closed - Converted', doNotCreateOpportunity: true }
      ])[0]!.success
    );
    assert.equal(org.query('SELECT COUNT() FROM Opportunity').totalSize, 0);
    assert.equal(
      first(org.update('Lead', [{ Id: lead, LastName: 'x' }])).statusCode,
      'CANNOT_UPDATE_CONVERTED_LEAD'
    );
    assert.equal(
      org.convertLead([{ leadId: lead, convertedStatus: 'Closed - Converted' }])[0]!.errors[0]!
        .statusCode,
      'CANNOT_UPDATE_CONVERTED_LEAD'
    );
  });

  it('a custom object inserted without a Name gets its Id as Name', () => {
    const org = fixtureOrg();
    const id = ok(org.insert('Widget__c', [{ Code__c: 'N' }]))[0]!.id!;
    assert.equal(org.getRecord(id)!.Name, id);
  });

  it('an empty string saved into a text field reads back as null', () => {
    const org = fixtureOrg();
    const id = ok(org.insert('Widget__c', [{ Name: 'W', Notes__c: '', Email__c: '' }]))[0]!.id!;
    const r = org.query('SELECT Notes__c, Email__c FROM Widget__c WHERE Id = :id', { id })
      .records[0]!;
    assert.equal(r.Notes__c, null);
    assert.equal(r.Email__c, null);
  });

  it('deleting an Account deletes its Contacts, Opportunities and activities; undelete brings the contacts back', () => {
    const org = fixtureOrg();
    const acc = ok(org.insert('Account', [{ Name: 'A' }]))[0]!.id!;
    const con = ok(org.insert('Contact', [{ LastName: 'C', AccountId: acc }]))[0]!.id!;
    ok(
      org.insert('Opportunity', [
        { Name: 'O', AccountId: acc, StageName: 'Prospecting', CloseDate: '2026-04-01' }
      ])
    );
    ok(org.insert('Task', [{ Subject: 'Call', WhoId: con }]));
    ok(org.delete([acc]));
    assert.deepEqual(
      ['Contact', 'Opportunity', 'Task'].map(
        (o) => org.query(`SELECT COUNT() FROM ${o}`).totalSize
      ),
      [0, 0, 0]
    );
    ok(org.undelete([acc]));
    assert.equal(org.query('SELECT COUNT() FROM Contact').totalSize, 1);
  });

  it('SUM aggregates and roll-ups of decimal fields are exact at the field scale (no float noise)', () => {
    const org = fixtureOrg();
    ok(
      org.insert('Widget__c', [
        { Name: 'a', Amount__c: 0.1 },
        { Name: 'b', Amount__c: 0.2 }
      ])
    );
    assert.equal(org.query('SELECT SUM(Amount__c) s FROM Widget__c').records[0]!.s, 0.3);
  });

  it('custom validation rules run after system validation: ISCHANGED/ISPICKVAL/ISBLANK, ISNEW and $User; inactive rules are ignored', () => {
    const org = fixtureOrg();
    const id = ok(org.insert('Widget__c', [{ Name: 'W' }]))[0]!.id!;
    assert.deepEqual(first(org.update('Widget__c', [{ Id: id, Status__c: 'Retired' }])), {
      statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
      message: 'Say why the widget is retired.',
      fields: ['Notes__c']
    });
    ok(org.update('Widget__c', [{ Id: id, Status__c: 'Retired', Notes__c: 'worn out' }]));
    ok(org.insert('Widget__c', [{ Name: 'admin may', Priority__c: 500 }]));
    const u = makeUser(org, PROFILE_NAMES.standard, 'Someone');
    assert.equal(
      first(org.insert('Widget__c', [{ Name: 'x', Priority__c: 500 }], { userId: u })).message,
      'Only admins create widgets above priority 100.'
    );
    assert.equal(
      first(org.insert('Widget__c', [{ Name: 'x', Priority__c: 5000 }])).statusCode,
      'NUMBER_OUTSIDE_VALID_RANGE',
      'system validation first'
    );
  });

  it('formula fields are computed when queried (number with blank-as-zero, text with a parent path) and can be filtered', () => {
    const org = fixtureOrg();
    const lead = ok(org.insert('Lead', [{ LastName: 'L', Company: 'C', Email: 'l@c.io' }]))[0]!.id!;
    ok(org.insert('Widget__c', [{ Name: 'A', Amount__c: 1.25, Lead__c: lead }, { Name: 'B' }]));
    const r = org.query(
      'SELECT Name, Amount_Doubled__c, Display__c FROM Widget__c ORDER BY Name'
    ).records;
    assert.deepEqual(
      r.map((x) => [x.Amount_Doubled__c, x.Display__c]),
      [
        [2.5, 'A (New) l@c.io'],
        [0, 'B (New) no lead']
      ]
    );
    assert.deepEqual(
      org
        .query('SELECT Name FROM Widget__c WHERE Amount_Doubled__c > 1')
        .records.map((x) => x.Name),
      ['A']
    );
    assert.equal(
      first(org.insert('Widget__c', [{ Name: 'x', Amount_Doubled__c: 3 }])).statusCode,
      'INVALID_FIELD_FOR_INSERT_UPDATE'
    );
  });

  it('roll-up summary filter criteria (summaryFilterItems) select the children counted, and re-count when a filtered field changes', () => {
    const org = fixtureOrg();
    const w = ok(org.insert('Widget__c', [{ Name: 'W' }]))[0]!.id!;
    const parts = ok(
      org.insert('Part__c', [
        { Widget__c: w, Label__c: 'a', Qty__c: 1 },
        { Widget__c: w, Label__c: 'b', Qty__c: 5 },
        { Widget__c: w, Label__c: 'c' }
      ])
    );
    const big = () =>
      org.query('SELECT Big_Part_Count__c, Part_Count__c FROM Widget__c').records[0]!;
    assert.deepEqual([big().Big_Part_Count__c, big().Part_Count__c], [1, 3]);
    ok(org.update('Part__c', [{ Id: parts[0]!.id, Qty__c: 3 }]));
    assert.equal(big().Big_Part_Count__c, 2);
  });
});
