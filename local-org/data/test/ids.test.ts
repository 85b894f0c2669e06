import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { idEquals, idSuffix, isValidId, makeId, to18 } from '../ids.ts';
import fc from 'fast-check';
import { fixtureOrg } from './helpers.ts';

describe('record ids', () => {
  it('18-char ids append the documented case-checksum suffix (Salesforce KB "What is the 18 character record id")', () => {
    // Known pair from Salesforce documentation examples: 001A0000006Vm9r → 001A0000006Vm9rIAC
    assert.equal(to18('001A0000006Vm9r'), '001A0000006Vm9rIAC');
    // Third block '3T2PG' has capitals at positions 1, 3, 4 → 2+8+16 = 26 → '0'; the others none → 'A'.
    assert.equal(idSuffix('00300000003T2PG'), 'AA0');
  });

  it('an 18-char id in any case normalises back to the same id (18-char ids are case-insensitive)', () => {
    assert.equal(to18('001a0000006vm9riac'), '001A0000006Vm9rIAC');
    assert.ok(idEquals('001A0000006Vm9r', '001A0000006Vm9rIAC'));
    assert.ok(!idEquals('001A0000006Vm9r', '001A0000006VM9R'));
  });

  it('malformed ids are rejected (wrong length or characters)', () => {
    assert.equal(to18('001A0000006Vm9'), null);
    assert.equal(to18('001A0000006Vm9r!!!'), null);
    assert.ok(!isValidId('hello'));
  });

  it('new ids carry the object key prefix (Account 001, Contact 003, Lead 00Q, User 005) and a valid checksum', () => {
    const org = fixtureOrg();
    for (const [obj, prefix] of [
      ['Account', '001'],
      ['Contact', '003'],
      ['Lead', '00Q'],
      ['User', '005'],
      ['Opportunity', '006'],
      ['Event', '00U'],
      ['Task', '00T'],
      ['Profile', '00e'],
      ['PermissionSet', '0PS'],
      ['PermissionSetAssignment', '0Pa'],
      ['Organization', '00D'],
      ['Group', '00G'],
      ['RecordType', '012']
    ] as const) {
      const id = org.newId(obj);
      assert.equal(id.slice(0, 3), prefix, obj);
      assert.equal(id.length, 18);
      assert.equal(to18(id.slice(0, 15)), id);
    }
    assert.equal(makeId('001', 1).length, 18);
  });

  it('custom objects get deterministic a-prefixes, custom metadata m-, platform events e-', () => {
    const a = fixtureOrg();
    const b = fixtureOrg();
    const w = a.schema.getObject('Widget__c').keyPrefix;
    assert.match(w, /^a[0-9A-Za-z]{2}$/);
    assert.equal(b.schema.getObject('Widget__c').keyPrefix, w);
    assert.notEqual(a.schema.getObject('Part__c').keyPrefix, w);
    assert.match(a.schema.getObject('Config__mdt').keyPrefix, /^m/);
    assert.match(a.schema.getObject('Ping__e').keyPrefix, /^e/);
  });

  it('property: for any 15-char id, the 18-char form in any letter case normalises back to it', () => {
    const idChar = fc.constantFrom(
      ...'0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('')
    );
    fc.assert(
      fc.property(
        fc.array(idChar, { minLength: 15, maxLength: 15 }),
        fc.boolean(),
        (chars, upper) => {
          const id15 = chars.join('');
          const id18 = to18(id15)!;
          assert.equal(id18.slice(0, 15), id15);
          const recased = upper ? id18.toUpperCase() : id18.toLowerCase();
          assert.equal(to18(recased), id18);
        }
      )
    );
  });
});
