import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TriggerEvent } from '../index.ts';
import { fixtureOrg, ok } from './helpers.ts';

describe('trigger hook and order of execution (Apex Developer Guide: "Triggers and Order of Execution")', () => {
  it('before triggers run before system validation: a before trigger may fill a required field', () => {
    const org = fixtureOrg();
    const seen: string[] = [];
    org.setTriggerHook((ev) => {
      seen.push(`${ev.when} ${ev.operation} ${ev.object}`);
      if (ev.object === 'Lead' && ev.when === 'before')
        for (const r of ev.newRecords!) r.Company ??= 'Filled by trigger';
    });
    const id = ok(org.insert('Lead', [{ LastName: 'X' }]))[0]!.id!;
    assert.equal(org.getRecord(id)!.Company, 'Filled by trigger');
    assert.deepEqual(seen, ['before insert Lead', 'after insert Lead']);
  });

  it('foreign keys, formats, lengths and restricted picklists are validated before the before triggers (a trigger cannot repair them)', () => {
    const org = fixtureOrg();
    const seen: unknown[] = [];
    org.setTriggerHook((ev) => {
      if (ev.object === 'Widget__c' && ev.when === 'before')
        for (const r of ev.newRecords!) {
          seen.push(r.Name);
          r.Status__c = 'New';
          r.Code__c = 'short';
        }
    });
    const r = org.insert(
      'Widget__c',
      [
        { Name: 'bad picklist', Status__c: 'Nope' },
        { Name: 'too long', Code__c: 'ABCDEFGHIJKLMNOP' },
        { Name: 'bad lookup', Lead__c: org.newId('Lead') },
        { Name: 'fine' }
      ],
      {},
      { allOrNone: false }
    );
    assert.deepEqual(
      r.map((x) => x.errors[0]?.statusCode ?? 'OK'),
      [
        'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
        'STRING_TOO_LONG',
        'INVALID_CROSS_REFERENCE_KEY',
        'OK'
      ]
    );
    assert.deepEqual(
      seen,
      ['fine', 'fine'],
      'only the valid record reaches the trigger (twice: first attempt and retry)'
    );
  });

  it('before insert records have no Id and carry defaults; after insert records have Id and audit fields', () => {
    const org = fixtureOrg();
    const snaps: Record<string, unknown>[] = [];
    org.setTriggerHook((ev) => {
      if (ev.object === 'Widget__c')
        snaps.push({
          when: ev.when,
          Id: ev.newRecords![0]!.Id,
          Status: ev.newRecords![0]!.Status__c,
          Created: ev.newRecords![0]!.CreatedDate,
          Owner: ev.newRecords![0]!.OwnerId
        });
    });
    ok(org.insert('Widget__c', [{ Name: 'W' }]));
    assert.equal(snaps[0]!.Id, null);
    assert.equal(snaps[0]!.Status, 'New');
    assert.equal(snaps[0]!.Created, null);
    assert.equal(snaps[0]!.Owner, org.adminUserId, 'OwnerId is set before the before trigger');
    assert.match(String(snaps[1]!.Id), /^a/);
    assert.equal(snaps[1]!.Created, '2026-03-15T17:30:00.000Z');
  });

  it('field changes made in a before update trigger are saved; Trigger.old holds the previous values', () => {
    const org = fixtureOrg();
    const id = ok(org.insert('Widget__c', [{ Name: 'W', Amount__c: 1 }]))[0]!.id!;
    let old: unknown;
    org.setTriggerHook((ev) => {
      if (ev.operation === 'update' && ev.when === 'before') {
        old = ev.oldRecords![0]!.Amount__c;
        ev.newRecords![0]!.Notes__c = `was ${String(old)}`;
      }
    });
    ok(org.update('Widget__c', [{ Id: id, Amount__c: 2 }]));
    assert.equal(old, 1);
    assert.equal(org.getRecord(id)!.Notes__c, 'was 1');
    assert.equal(org.getRecord(id)!.Amount__c, 2);
  });

  it('addError in a before trigger fails that record with FIELD_CUSTOM_VALIDATION_EXCEPTION and the field', () => {
    const org = fixtureOrg();
    org.setTriggerHook((ev) => {
      if (ev.when === 'before' && ev.object === 'Account')
        ev.newRecords!.forEach((r, i) => r.Name === 'bad' && ev.addError(i, 'Bad name', 'Name'));
    });
    const r = org.insert('Account', [{ Name: 'good' }, { Name: 'bad' }], {}, { allOrNone: false });
    assert.equal(r[0]!.success, true);
    assert.deepEqual(r[1]!.errors, [
      { statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: 'Bad name', fields: ['Name'] }
    ]);
  });

  it('allOrNone=false retries the call on the remaining records, so their triggers run again (partial-success retry)', () => {
    const org = fixtureOrg();
    const calls: number[] = [];
    org.setTriggerHook((ev) => {
      if (ev.when === 'before' && ev.object === 'Account') calls.push(ev.newRecords!.length);
    });
    const r = org.insert(
      'Account',
      [{ Name: 'a' }, { Name: null }, { Name: 'c' }],
      {},
      { allOrNone: false }
    );
    assert.deepEqual(
      r.map((x) => x.success),
      [true, false, true]
    );
    assert.deepEqual(calls, [3, 2]);
    assert.equal(org.query('SELECT COUNT() FROM Account').totalSize, 2);
  });

  it('addError in an after trigger rolls the record back (it is not saved)', () => {
    const org = fixtureOrg();
    org.setTriggerHook((ev) => {
      if (ev.when === 'after' && ev.object === 'Account') ev.addError(0, 'no');
    });
    const r = org.insert('Account', [{ Name: 'x' }]);
    assert.equal(r[0]!.success, false);
    assert.equal(org.query('SELECT COUNT() FROM Account').totalSize, 0);
  });

  it('DML inside a trigger runs its own triggers (recursion) and is rolled back with the outer failure', () => {
    const org = fixtureOrg();
    org.setTriggerHook((ev) => {
      if (ev.object === 'Account' && ev.when === 'after' && ev.operation === 'insert') {
        ok(
          org.insert(
            'Contact',
            ev.newRecords!.map((a) => ({ LastName: `of ${String(a.Name)}`, AccountId: a.Id }))
          )
        );
      }
      if (ev.object === 'Contact' && ev.when === 'before')
        for (const c of ev.newRecords!) c.Title = 'set by contact trigger';
    });
    ok(org.insert('Account', [{ Name: 'A' }]));
    const c = org.query('SELECT Title, Account.Name FROM Contact').records[0]!;
    assert.equal(c.Title, 'set by contact trigger');
    assert.equal((c.Account as { Name: string }).Name, 'A');
    org.setTriggerHook((ev) => {
      if (ev.object === 'Account' && ev.when === 'after') {
        ok(org.insert('Contact', [{ LastName: 'orphan' }]));
        ev.addError(0, 'fail after nested DML');
      }
    });
    assert.equal(org.insert('Account', [{ Name: 'B' }])[0]!.success, false);
    assert.equal(org.query("SELECT COUNT() FROM Contact WHERE LastName = 'orphan'").totalSize, 0);
  });

  it('an exception thrown by a trigger propagates and leaves the store unchanged', () => {
    const org = fixtureOrg();
    org.setTriggerHook((ev) => {
      if (ev.when === 'after') throw new Error('boom');
    });
    assert.throws(() => org.insert('Account', [{ Name: 'x' }]), /boom/);
    assert.equal(org.query('SELECT COUNT() FROM Account').totalSize, 0);
  });

  it('delete triggers get Trigger.old only; undelete has only an after trigger with Trigger.new', () => {
    const org = fixtureOrg();
    const id = ok(org.insert('Account', [{ Name: 'x' }]))[0]!.id!;
    const evs: Pick<TriggerEvent, 'operation' | 'when'>[] = [];
    org.setTriggerHook((ev) => {
      evs.push({ operation: ev.operation, when: ev.when });
      if (ev.operation === 'delete') {
        assert.equal(ev.newRecords, null);
        assert.equal(ev.oldRecords![0]!.Id, id);
      }
      if (ev.operation === 'undelete') assert.equal(ev.newRecords![0]!.IsDeleted, false);
    });
    ok(org.delete([id]));
    ok(org.undelete([id]));
    assert.deepEqual(evs, [
      { operation: 'delete', when: 'before' },
      { operation: 'delete', when: 'after' },
      { operation: 'undelete', when: 'after' }
    ]);
  });

  it('a roll-up summary change puts the parent through its own save (parent update triggers fire)', () => {
    const org = fixtureOrg();
    const w = ok(org.insert('Widget__c', [{ Name: 'W' }]))[0]!.id!;
    const seen: string[] = [];
    org.setTriggerHook((ev) => {
      seen.push(`${ev.when} ${ev.operation} ${ev.object}`);
      if (ev.object === 'Widget__c' && ev.when === 'after')
        assert.equal(ev.newRecords![0]!.Part_Count__c, 1);
    });
    ok(org.insert('Part__c', [{ Widget__c: w, Label__c: 'a' }]));
    assert.deepEqual(seen, [
      'before insert Part__c',
      'after insert Part__c',
      'before update Widget__c',
      'after update Widget__c'
    ]);
  });

  it('cascade-deleted detail records do not fire their delete triggers', () => {
    const org = fixtureOrg();
    const w = ok(org.insert('Widget__c', [{ Name: 'W' }]))[0]!.id!;
    ok(org.insert('Part__c', [{ Widget__c: w, Label__c: 'a' }]));
    const objs = new Set<string>();
    org.setTriggerHook((ev) => {
      if (ev.operation === 'delete') objs.add(ev.object);
    });
    ok(org.delete([w]));
    assert.deepEqual([...objs], ['Widget__c']);
  });

  it('platform event triggers run when events are delivered (Test.getEventBus().deliver())', () => {
    const org = fixtureOrg();
    const got: unknown[] = [];
    org.setTriggerHook((ev) => {
      if (ev.object === 'Ping__e') got.push(...ev.newRecords!.map((r) => r.Message__c));
    });
    ok(org.insert('Ping__e', [{ Message__c: 'a' }, { Message__c: 'b' }]));
    assert.deepEqual(got, [], 'publishing does not run the trigger');
    assert.equal(org.deliverEvents(), 2);
    assert.deepEqual(got, ['a', 'b']);
    assert.equal(org.deliverEvents(), 0);
  });
});

describe('savepoints and snapshots (Database.setSavepoint / Database.rollback)', () => {
  it('rollback restores records inserted, updated and deleted after the savepoint', () => {
    const org = fixtureOrg();
    const a = ok(org.insert('Account', [{ Name: 'A' }]))[0]!.id!;
    const b = ok(org.insert('Account', [{ Name: 'B' }]))[0]!.id!;
    const sp = org.setSavepoint();
    ok(org.insert('Account', [{ Name: 'C' }]));
    ok(org.update('Account', [{ Id: a, Name: 'A2' }]));
    ok(org.delete([b]));
    org.rollback(sp);
    assert.deepEqual(
      org.query('SELECT Name FROM Account ORDER BY Name').records.map((r) => r.Name),
      ['A', 'B']
    );
  });

  it('a savepoint can be rolled back to more than once, and nested savepoints work', () => {
    const org = fixtureOrg();
    const sp1 = org.setSavepoint();
    ok(org.insert('Account', [{ Name: 'A' }]));
    const sp2 = org.setSavepoint();
    ok(org.insert('Account', [{ Name: 'B' }]));
    org.rollback(sp2);
    assert.equal(org.query('SELECT COUNT() FROM Account').totalSize, 1);
    org.rollback(sp1);
    assert.equal(org.query('SELECT COUNT() FROM Account').totalSize, 0);
    ok(org.insert('Account', [{ Name: 'C' }]));
    org.rollback(sp1);
    assert.equal(org.query('SELECT COUNT() FROM Account').totalSize, 0);
  });

  it('rollback discards PublishAfterCommit events published since the savepoint but keeps PublishImmediately ones', () => {
    const org = fixtureOrg();
    const sp = org.setSavepoint();
    ok(org.insert('Ping__e', [{ Message__c: 'after commit' }]));
    ok(org.insert('Alarm__e', [{}]));
    org.rollback(sp);
    assert.deepEqual(
      org.eventBus.map((e) => e.object),
      ['Alarm__e']
    );
  });

  it('ids are not reused after a rollback (the platform does not roll back id sequences)', () => {
    const org = fixtureOrg();
    const sp = org.setSavepoint();
    const a = ok(org.insert('Account', [{ Name: 'A' }]))[0]!.id!;
    org.rollback(sp);
    const b = ok(org.insert('Account', [{ Name: 'A' }]))[0]!.id!;
    assert.notEqual(a, b);
  });

  it('snapshot/restore isolates test methods, and is cheap for large tables', () => {
    const org = fixtureOrg();
    ok(
      org.insert(
        'Account',
        Array.from({ length: 2000 }, (_, i) => ({ Name: `A${i}` }))
      )
    );
    const t0 = performance.now();
    const snaps = Array.from({ length: 200 }, () => org.snapshot());
    const elapsed = performance.now() - t0;
    assert.ok(elapsed < 50, `200 snapshots took ${elapsed.toFixed(1)} ms`);
    ok(org.insert('Account', [{ Name: 'extra' }]));
    org.restore(snaps[0]!);
    assert.equal(org.query('SELECT COUNT() FROM Account').totalSize, 2000);
  });

  it('toJSON/loadJSON round-trips the records', () => {
    const org = fixtureOrg();
    const first = ok(org.insert('Widget__c', [{ Name: 'W', Code__c: 'J' }]))[0]!.id!;
    const json = JSON.parse(JSON.stringify(org.toJSON()));
    const copy = fixtureOrg();
    copy.loadJSON(json);
    assert.equal(
      copy.query("SELECT Name FROM Widget__c WHERE Code__c = 'j'").records[0]!.Name,
      'W'
    );
    const next = ok(copy.insert('Widget__c', [{ Name: 'N' }]))[0]!.id!;
    assert.notEqual(next, first, 'the id sequence continues from the saved state');
    assert.equal(copy.query('SELECT COUNT() FROM Widget__c').totalSize, 2);
  });
});
